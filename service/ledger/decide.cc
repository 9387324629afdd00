#include "service/ledger/decide.h"

#include "absl/status/status.h"
#include "service/ledger/catalog_decisions.h"
#include "service/ledger/inventory_decisions.h"
#include "service/ledger/planning_decisions.h"
#include "service/ledger/principals.h"
#include "service/ledger/recall.h"
#include "service/ledger/session_decisions.h"

namespace smptrace::ledger {

absl::StatusOr<Decision> Decide(const v1::Command& command,
                                const DecisionContext& ctx) {
  switch (command.payload_case()) {
    case v1::Command::kCreateProduct:
      return DecideCreateProduct(ctx, command.create_product());
    case v1::Command::kUpdateProduct:
      return DecideUpdateProduct(ctx, command.update_product());
    case v1::Command::kCreateSupplier:
      return DecideCreateSupplier(ctx, command.create_supplier());
    case v1::Command::kUpdateSupplier:
      return DecideUpdateSupplier(ctx, command.update_supplier());
    case v1::Command::kCreateLocation:
      return DecideCreateLocation(ctx, command.create_location());
    case v1::Command::kUpdateLocation:
      return DecideUpdateLocation(ctx, command.update_location());
    case v1::Command::kReceive:
      return DecideReceive(ctx, command.receive());
    case v1::Command::kSetLotStatus:
      return DecideSetLotStatus(ctx, command.set_lot_status());
    case v1::Command::kDiscard:
      return DecideDiscard(ctx, command.discard());
    case v1::Command::kAdjustStock:
      return DecideAdjustStock(ctx, command.adjust_stock());
    case v1::Command::kTransfer:
      return DecideTransfer(ctx, command.transfer());
    case v1::Command::kSetReorderPolicy:
      return DecideSetReorderPolicy(ctx, command.set_reorder_policy());
    case v1::Command::kCreatePurchaseOrder:
      return DecideCreatePurchaseOrder(ctx, command.create_purchase_order());
    case v1::Command::kEditPurchaseOrder:
      return DecideEditPurchaseOrder(ctx, command.edit_purchase_order());
    case v1::Command::kSubmitPurchaseOrder:
      return DecideSubmitPurchaseOrder(ctx, command.submit_purchase_order());
    case v1::Command::kCancelPurchaseOrder:
      return DecideCancelPurchaseOrder(ctx, command.cancel_purchase_order());
    case v1::Command::kCreateClient:
      return DecideCreateClient(ctx, command.create_client());
    case v1::Command::kApproveScreeningOverride:
      return DecideApproveScreeningOverride(
          ctx, command.approve_screening_override());
    case v1::Command::kUpdateClientContact:
      return DecideUpdateClientContact(ctx, command.update_client_contact());
    case v1::Command::kStartSession:
      return DecideStartSession(ctx, command.start_session());
    case v1::Command::kScanConsumable:
      return DecideScanConsumable(ctx, command.scan_consumable(),
                                  command.scan());
    case v1::Command::kOpenPigmentBottle:
      return DecideOpenPigmentBottle(ctx, command.open_pigment_bottle(),
                                     command.scan());
    case v1::Command::kVoidScan:
      return DecideVoidScan(ctx, command.void_scan());
    case v1::Command::kCloseSession:
      return DecideCloseSession(ctx, command.close_session());
    case v1::Command::kAbortSession:
      return DecideAbortSession(ctx, command.abort_session());
    case v1::Command::kRecordClientRead:
      return DecideRecordClientRead(ctx, command.record_client_read());
    case v1::Command::kOpenRecallCase:
      return DecideOpenRecallCase(ctx, command.open_recall_case());
    case v1::Command::kRecordNotification:
      return DecideRecordNotification(ctx, command.record_notification());
    case v1::Command::kCloseRecallCase:
      return DecideCloseRecallCase(ctx, command.close_recall_case());
    case v1::Command::kOpenContainer:
      return DecideOpenContainer(ctx, command.open_container());
    case v1::Command::kDispose:
      return DecideDispose(ctx, command.dispose(), command.scan());
    case v1::Command::kSealContainer:
      return DecideSealContainer(ctx, command.seal_container());
    case v1::Command::kPickUpContainer:
      return DecidePickUpContainer(ctx, command.pick_up_container());
    case v1::Command::kCreatePrincipal:
      return DecideCreatePrincipal(ctx, command.create_principal(),
                                   command.token_secret_sha256());
    case v1::Command::kIssueToken:
      return DecideIssueToken(ctx, command.issue_token(),
                              command.token_secret_sha256());
    case v1::Command::kRevokeToken:
      return DecideRevokeToken(ctx, command.revoke_token());
    case v1::Command::kDisablePrincipal:
      return DecideDisablePrincipal(ctx, command.disable_principal());
    case v1::Command::PAYLOAD_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("command has no payload");
}

}  // namespace smptrace::ledger
