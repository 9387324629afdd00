#include "service/ledger/recalls/state.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {

absl::StatusOr<std::optional<v1::RecallCase>> ReadRecallCase(
    const storage::Reader& reader, uint64_t number) {
  return ReadNumbered<v1::RecallCase>(reader, kRecallCaseRecord, number);
}

absl::StatusOr<v1::RecallCase> MustReadRecallCase(const storage::Reader& reader,
                                                  const std::string& id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(domain::IdKind::kRecallCase, id, "case_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto c, ReadRecallCase(reader, n));
  if (!c.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("case_id: recall case ", id, " does not exist"));
  }
  return *std::move(c);
}

}  // namespace smptrace::ledger
