// The lookback's covering index (keys.h, index 0x11): for every unit, one row
// with what a trace counts of it (state, arrival), and one row per session
// that used it with what a trace lists of that session (client, place,
// start, status, and whether each use was voided). They sort by lot, serial
// and session, so a lot's trace is one ordered range read of small fixed
// rows instead of a unit record, an index scan and a session record per
// unit. Written in the same batch as the records they summarise: the unit
// row wherever a unit record is written (stock/apply.h PutUnit), the session
// rows on a scan, a void, a close and an abort.
#ifndef SMPTRACE_SERVICE_LEDGER_RECALLS_TRACE_ROWS_H_
#define SMPTRACE_SERVICE_LEDGER_RECALLS_TRACE_ROWS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "smptrace/v1/inventory.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

// What a trace needs of a unit. Views into the row's bytes.
struct TraceUnitRow {
  v1::UnitState state = v1::UNIT_STATE_UNSPECIFIED;
  bool adjusted_in = false;
  int64_t received_micros = 0;
  std::string_view received_location_id;
  // The purchase order reference, or for a unit a stock take found, the
  // adjustment's reason.
  std::string_view reference;
};

// What a trace needs of one session's use(s) of one unit. Views into the
// row's bytes.
struct TraceUseRow {
  uint64_t client = 0;
  int64_t started_seconds = 0;
  int32_t started_nanos = 0;
  v1::SessionStatus status = v1::SESSION_STATUS_UNSPECIFIED;
  // One byte per use of the unit in the session, in scan order: 1 if voided.
  std::string_view voided;
  std::string_view location_id;
  std::string_view client_code;
};

// Writes the unit's row (its lot, serial, state and arrival).
void PutTraceUnit(const v1::Unit& unit, storage::WriteTxn& txn);

// Writes the rows of session `s`: of every unit it used, or with a
// gtin and serial, of that unit only. InvalidArgument if the session's or
// client's id is malformed.
absl::Status PutTraceUses(const v1::Session& s, storage::WriteTxn& txn,
                          std::string_view gtin = {},
                          std::string_view serial = {});

// DataLoss if `bytes` is not a row of that kind.
absl::StatusOr<TraceUnitRow> DecodeTraceUnitRow(std::string_view bytes);
absl::StatusOr<TraceUseRow> DecodeTraceUseRow(std::string_view bytes);

// Stores written before the index existed: writes every unit's and every
// session's rows from their records, in commits of `chunk` rows, then
// records in meta that the index is complete. Does nothing when it is.
// Errors: the store's. REQUIRES: nothing else writes to `store` meanwhile.
absl::Status EnsureLotTraceIndex(storage::Store& store, int chunk = 50000);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_RECALLS_TRACE_ROWS_H_
