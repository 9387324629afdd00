// Typed reads of recall cases, from any storage::Reader.
#ifndef SMPTRACE_SERVICE_LEDGER_RECALLS_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_RECALLS_STATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "service/ledger/records.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

inline constexpr NumberedRecord kRecallCaseRecord{
    storage::keys::StateTag::kRecallCase, domain::IdKind::kRecallCase,
    "recall case"};

absl::StatusOr<std::optional<v1::RecallCase>> ReadRecallCase(
    const storage::Reader& reader, uint64_t number);
// The case whose id ("RC-000001") is `id`; InvalidArgument for a malformed
// id, NotFound ("case_id: recall case RC-000009 does not exist") if none.
absl::StatusOr<v1::RecallCase> MustReadRecallCase(const storage::Reader& reader,
                                                  const std::string& id);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_RECALLS_STATE_H_
