#include "service/ledger/recalls/state.h"

#include "service/ledger/records.h"

namespace smptrace::ledger {

absl::StatusOr<std::optional<v1::RecallCase>> ReadRecallCase(
    const storage::Reader& reader, uint64_t number) {
  return ReadNumbered<v1::RecallCase>(reader, kRecallCaseRecord, number);
}

absl::StatusOr<v1::RecallCase> MustReadRecallCase(const storage::Reader& reader,
                                                  const std::string& id) {
  return FindNumbered<v1::RecallCase>(reader, kRecallCaseRecord, id, "case_id");
}

}  // namespace smptrace::ledger
