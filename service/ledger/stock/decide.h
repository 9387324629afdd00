// Decisions for the inventory's commands: receiving, lot status, discards,
// count adjustments, transfers. Each checks the command against the state and
// returns the event to record; a refusal records nothing.
#ifndef SMPTRACE_SERVICE_LEDGER_STOCK_DECIDE_H_
#define SMPTRACE_SERVICE_LEDGER_STOCK_DECIDE_H_

#include "absl/status/statusor.h"
#include "service/ledger/catalog/decide.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/inventory.pb.h"

namespace smptrace::ledger {

// REQUIRES (checked by the API): lines carry a 14-digit gtin, a lot, valid
// dates, and `quantity` = the number of units (1 with a serial).
// Refusals: NotFound (location, supplier, product); AlreadyExists (a serial
// already received); FailedPrecondition "expiry_mismatch",
// "production_date_mismatch", "sterilization_mismatch", "lot_recalled";
// InvalidArgument "lines[i].expiry" when a new lot of a sterile product or a
// pigment has none.
absl::StatusOr<Decision> DecideReceive(const DecisionContext& ctx,
                                       const v1::ReceiveRequest& r);

// Refusals: NotFound (lot); FailedPrecondition "lot_status_unchanged",
// "lot_recalled" (a recall is final).
absl::StatusOr<Decision> DecideSetLotStatus(const DecisionContext& ctx,
                                            const v1::SetLotStatusRequest& r);

// REQUIRES: barcodes already resolved into `units`.
// Refusals: NotFound (unit, lot, location); FailedPrecondition
// "unit_not_in_stock", "insufficient_stock".
absl::StatusOr<Decision> DecideDiscard(const DecisionContext& ctx,
                                       const v1::DiscardRequest& r);

// Refusals: NotFound (lot, location); FailedPrecondition
// "insufficient_stock" for a negative delta larger than the stock.
absl::StatusOr<Decision> DecideAdjustStock(const DecisionContext& ctx,
                                           const v1::AdjustStockRequest& r);

// REQUIRES: barcodes already resolved into `units`.
// Refusals: NotFound; FailedPrecondition "unit_not_in_stock",
// "unit_elsewhere", "insufficient_stock".
absl::StatusOr<Decision> DecideTransfer(const DecisionContext& ctx,
                                        const v1::TransferRequest& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_STOCK_DECIDE_H_
