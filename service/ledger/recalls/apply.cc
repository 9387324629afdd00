#include "service/ledger/recalls/apply.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/ledger/recalls/state.h"
#include "service/ledger/records.h"
#include "service/ledger/stock/apply.h"
#include "service/ledger/stock/state.h"

namespace smptrace::ledger {
absl::Status ApplyRecallCaseRecorded(const v1::RecallCaseRecorded& e,
                                     const v1::Event& event,
                                     storage::WriteTxn& txn) {
  const v1::RecallCase& c = e.recall_case();
  SMPTRACE_RETURN_IF_ERROR(PutNumbered(kRecallCaseRecord, c.case_id(), c, txn));
  if (e.change() != "opened") return absl::OkStatus();
  // The holds: each lot in scope is recalled with the case's notice.
  for (const v1::LotRef& hold : c.holds()) {
    SMPTRACE_ASSIGN_OR_RETURN(auto lot, ReadLot(txn, hold.gtin(), hold.lot()));
    if (!lot.has_value()) {
      return absl::DataLossError(
          absl::StrCat("held lot ", hold.lot(), " is missing"));
    }
    v1::LotStatusChanged changed;
    changed.set_previous_status(lot->status());
    lot->set_status(v1::LOT_STATUS_RECALLED);
    *lot->mutable_recall() = c.notice();
    lot->set_status_reason(absl::StrCat("recall case ", c.case_id()));
    *lot->mutable_status_changed_at() = event.time();
    lot->set_status_changed_by(event.actor());
    *changed.mutable_lot() = *std::move(lot);
    SMPTRACE_RETURN_IF_ERROR(ApplyLotStatusChanged(changed, txn));
  }
  return absl::OkStatus();
}

}  // namespace smptrace::ledger
