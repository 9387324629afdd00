// Recall intake's state reads: candidate recall cases (RCN-000001), each
// stored under keys::NumberedKey(StateTag::kRecallCandidate, n).
#ifndef SMPTRACE_SERVICE_LEDGER_RECALL_INTAKE_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_RECALL_INTAKE_STATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "service/ledger/records.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::StatusOr<std::optional<v1::RecallCandidate>> ReadRecallCandidate(
    const storage::Reader& reader, uint64_t number);
// The candidate whose id ("RCN-000001") is `id`; InvalidArgument for a
// malformed id, NotFound ("candidate_id: recall candidate RCN-000009 does
// not exist") if none.
absl::StatusOr<v1::RecallCandidate> MustReadRecallCandidate(
    const storage::Reader& reader, const std::string& id);

// Up to `limit` candidates after the one numbered `after`, in `status`
// (UNSPECIFIED: any), by id.
absl::StatusOr<Page<v1::RecallCandidate>> ListRecallCandidates(
    const storage::Reader& reader, v1::RecallCandidateStatus status,
    uint64_t after, int limit);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_RECALL_INTAKE_STATE_H_
