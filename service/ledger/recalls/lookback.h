// The lookback, for recalls and audits: a lot (or every lot of a product)
// forward to its units, the sessions that used them and the clients exposed,
// and backward to its supplier and receipts. It reads the indexes, so the
// work grows with the answer, not with the history. Opening a recall case
// runs it inside the writer (through its WriteTxn); the audit API runs it on
// a snapshot.
#ifndef SMPTRACE_SERVICE_LEDGER_RECALLS_LOOKBACK_H_
#define SMPTRACE_SERVICE_LEDGER_RECALLS_LOOKBACK_H_

#include <cstdint>
#include <limits>
#include <string_view>

#include "absl/status/statusor.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

// NotFound when the lot (or product) does not exist. ResourceExhausted,
// after visiting max_units units, when the lot (or product) has more: the
// work of one trace inside the writer stays bounded.
absl::StatusOr<v1::TraceResponse> TraceLot(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot,
    int64_t max_units = std::numeric_limits<int64_t>::max());
absl::StatusOr<v1::TraceResponse> TraceProduct(
    const storage::Reader& reader, std::string_view gtin14,
    int64_t max_units = std::numeric_limits<int64_t>::max());

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_RECALLS_LOOKBACK_H_
