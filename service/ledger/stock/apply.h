// How the inventory's events change state and indexes. Called only by
// ApplyEvent (projection.h), the one writer of state and index.
#ifndef SMPTRACE_SERVICE_LEDGER_STOCK_APPLY_H_
#define SMPTRACE_SERVICE_LEDGER_STOCK_APPLY_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "smptrace/v1/inventory.pb.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

// When an event happened and where it is in the journal: what every stock
// movement is stamped with.
struct At {
  absl::Time time;
  uint64_t seq = 0;
};

// Writes a unit's record, with its lookback row (recalls/trace_rows.h): the
// one writer of unit records.
void PutUnit(const v1::Unit& unit, storage::WriteTxn& txn);

// Stores written before the first-in-stock index (keys.h 0x12): writes it
// from the in-stock index, then records in meta that it is complete. Does
// nothing when it is. Errors: the store's. REQUIRES: nothing else writes to
// `store` meanwhile.
absl::Status EnsureFirstInStockIndex(storage::Store& store);

// Takes an in-stock unit out of stock as discarded (counts follow).
absl::Status DiscardInStockUnit(const v1::UnitRef& ref,
                                v1::DiscardReason reason,
                                const std::string& note, const At& at,
                                storage::WriteTxn& txn);
// Opens an in-stock unit (counts follow; it then awaits disposal): into
// `session_id` for a single-use unit, "" for a pigment bottle, which gets
// `usable_until`.
absl::Status OpenUnit(const v1::UnitRef& ref, const std::string& session_id,
                      const v1::Date& usable_until, const std::string& actor,
                      const At& at, storage::WriteTxn& txn);

// Puts an opened single-use unit back in stock where it was opened, as if
// never opened (a scan voided with its package not opened; counts follow).
absl::Status ReturnOpenedUnitToStock(const v1::UnitRef& ref, const At& at,
                                     storage::WriteTxn& txn);

absl::Status ApplyStockReceived(const v1::StockReceived& e, const At& at,
                                storage::WriteTxn& txn);
absl::Status ApplyLotStatusChanged(const v1::LotStatusChanged& e,
                                   storage::WriteTxn& txn);
absl::Status ApplyUnitsDiscarded(const v1::UnitsDiscarded& e, const At& at,
                                 storage::WriteTxn& txn);
absl::Status ApplyStockAdjusted(const v1::StockAdjusted& e, const At& at,
                                storage::WriteTxn& txn);
absl::Status ApplyUnitsTransferred(const v1::UnitsTransferred& e, const At& at,
                                   storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_STOCK_APPLY_H_
