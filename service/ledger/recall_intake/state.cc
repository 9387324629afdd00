#include "service/ledger/recall_intake/state.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "storage/keys.h"

namespace smptrace::ledger {

namespace keys = storage::keys;

absl::StatusOr<std::optional<v1::RecallCandidate>> ReadRecallCandidate(
    const storage::Reader& reader, uint64_t number) {
  return ReadRecord<v1::RecallCandidate>(
      reader, storage::Cf::kState,
      keys::NumberedKey(keys::StateTag::kRecallCandidate, number),
      "recall candidate");
}

absl::StatusOr<v1::RecallCandidate> MustReadRecallCandidate(
    const storage::Reader& reader, const std::string& id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n,
      domain::ParseId(domain::IdKind::kRecallCandidate, id, "candidate_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto c, ReadRecallCandidate(reader, n));
  if (!c.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("candidate_id: recall candidate ", id, " does not exist"));
  }
  return *std::move(c);
}

absl::StatusOr<Page<v1::RecallCandidate>> ListRecallCandidates(
    const storage::Reader& reader, v1::RecallCandidateStatus status,
    uint64_t after, int limit) {
  const std::string prefix =
      keys::StatePrefix(keys::StateTag::kRecallCandidate);
  return ListRecords<v1::RecallCandidate>(
      reader, keys::NumberedKey(keys::StateTag::kRecallCandidate, after + 1),
      keys::PrefixEnd(prefix), limit, "recall candidate",
      [status](const v1::RecallCandidate& c) {
        return status == v1::RECALL_CANDIDATE_STATUS_UNSPECIFIED ||
               c.status() == status;
      },
      [](const v1::RecallCandidate& c) { return c.candidate_id(); });
}

}  // namespace smptrace::ledger
