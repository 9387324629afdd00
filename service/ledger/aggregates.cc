// The registration table of the ledger's aggregates: which aggregate
// decides each command (Decide, decide.h) and which applies each event
// (ApplyEvent, projection.h). Two switches over the oneof cases with no
// `default:`, compiled with -Werror=switch: a command or event added to the
// proto without a line here does not build.
//
// | aggregate  | folder                   | commands / events               |
// |------------|--------------------------|---------------------------------|
// | catalog    | service/ledger/catalog/    | products, suppliers, locations |
// | stock      | service/ledger/stock/      | lots, units, movements         |
// | purchasing | service/ledger/purchasing/ | reorder policies, orders       |
// | clients    | service/ledger/clients/    | clients, record reads, consent,|
// |            |                            | erasure, legal holds           |
// | sessions   | service/ledger/sessions/   | sessions, scans, bottles, ink  |
// |            |                            | disclosures                    |
// | disposal   | service/ledger/disposal/   | sharps containers              |
// | recalls    | service/ledger/recalls/    | recall cases                   |
// | recall     | service/ledger/            | candidate recall cases from    |
// |  intake    |   recall_intake/           | published notices              |
// | principals | service/ledger/principals/ | principals, tokens             |
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/ledger/catalog/apply.h"
#include "service/ledger/catalog/decide.h"
#include "service/ledger/clients/apply.h"
#include "service/ledger/clients/consent.h"
#include "service/ledger/clients/decide.h"
#include "service/ledger/clients/holds.h"
#include "service/ledger/dates.h"
#include "service/ledger/decide.h"
#include "service/ledger/disposal/apply.h"
#include "service/ledger/disposal/decide.h"
#include "service/ledger/principals/apply.h"
#include "service/ledger/principals/decide.h"
#include "service/ledger/projection.h"
#include "service/ledger/purchasing/apply.h"
#include "service/ledger/purchasing/decide.h"
#include "service/ledger/recall_intake/apply.h"
#include "service/ledger/recall_intake/decide.h"
#include "service/ledger/recalls/apply.h"
#include "service/ledger/recalls/decide.h"
#include "service/ledger/sessions/apply.h"
#include "service/ledger/sessions/decide.h"
#include "service/ledger/sessions/ink_disclosure.h"
#include "service/ledger/stock/apply.h"
#include "service/ledger/stock/decide.h"

namespace smptrace::ledger {
namespace {

absl::Status Apply(const v1::Event& event, const storage::JournalHead& entry,
                   storage::WriteTxn& txn) {
  const absl::Time time = FromProto(event.time());
  const At at{time, entry.seq};
  switch (event.payload_case()) {
    // catalog
    case v1::Event::kProductRecorded:
      return ApplyProductRecorded(event.product_recorded(), txn);
    case v1::Event::kSupplierRecorded:
      return ApplySupplierRecorded(event.supplier_recorded(), txn);
    case v1::Event::kLocationRecorded:
      return ApplyLocationRecorded(event.location_recorded(), txn);
    // stock (a delivery against an order also updates the order)
    case v1::Event::kStockReceived: {
      absl::Status status = ApplyStockReceived(event.stock_received(), at, txn);
      if (!status.ok()) return status;
      return ApplyPurchaseOrderReceipt(event.stock_received(), at, txn);
    }
    case v1::Event::kLotStatusChanged:
      return ApplyLotStatusChanged(event.lot_status_changed(), txn);
    case v1::Event::kUnitsDiscarded:
      return ApplyUnitsDiscarded(event.units_discarded(), at, txn);
    case v1::Event::kStockAdjusted:
      return ApplyStockAdjusted(event.stock_adjusted(), at, txn);
    case v1::Event::kUnitsTransferred:
      return ApplyUnitsTransferred(event.units_transferred(), at, txn);
    // purchasing
    case v1::Event::kReorderPolicySet:
      return ApplyReorderPolicySet(event.reorder_policy_set(), txn);
    case v1::Event::kPurchaseOrderRecorded:
      return ApplyPurchaseOrderRecorded(event.purchase_order_recorded(), txn);
    // clients
    case v1::Event::kClientRegistered:
      return ApplyClientRegistered(event.client_registered(), txn);
    case v1::Event::kClientContactUpdated:
      return ApplyClientContactUpdated(event.client_contact_updated(), txn);
    case v1::Event::kClientRecordRead:
      return ApplyClientRecordRead(event.client_record_read(), entry.seq, txn);
    case v1::Event::kClientErased:
      return ApplyClientErased(event.client_erased(), entry.seq, txn);
    case v1::Event::kLegalHoldRecorded:
      return ApplyLegalHoldRecorded(event.legal_hold_recorded(), txn);
    case v1::Event::kConsentRecorded:
      return ApplyConsentRecorded(event.consent_recorded(), entry.seq, txn);
    // sessions
    case v1::Event::kInkDisclosureGiven:
      return ApplyInkDisclosureGiven(event.ink_disclosure_given(), entry.seq,
                                     txn);
    case v1::Event::kSessionStarted:
      return ApplySessionStarted(event.session_started(), entry.seq, txn);
    case v1::Event::kConsumableScanned:
      return ApplyConsumableScanned(event.consumable_scanned(), event, at, txn);
    case v1::Event::kScanRefused:
      return ApplyScanRefused(event.scan_refused(), txn);
    case v1::Event::kPackageDamaged:
      return ApplyPackageDamaged(event.package_damaged(), at, txn);
    case v1::Event::kBottleOpened:
      return ApplyBottleOpened(event.bottle_opened(), event, at, txn);
    case v1::Event::kScanVoided:
      return ApplyScanVoided(event.scan_voided(), at, txn);
    case v1::Event::kSessionClosed:
      return ApplySessionClosed(event.session_closed(), entry, time, txn);
    case v1::Event::kSessionAborted:
      return ApplySessionAborted(event.session_aborted(), time, txn);
    case v1::Event::kScreeningOverrideApproved:
      return ApplyScreeningOverrideApproved(event.screening_override_approved(),
                                            txn);
    // disposal
    case v1::Event::kContainerOpened:
      return ApplyContainerOpened(event.container_opened(), txn);
    case v1::Event::kUnitDisposed:
      return ApplyUnitDisposed(event.unit_disposed(), event, entry, txn);
    case v1::Event::kContainerSealed:
      return ApplyContainerSealed(event.container_sealed(), time, txn);
    case v1::Event::kContainerPickedUp:
      return ApplyContainerPickedUp(event.container_picked_up(), time, txn);
    // recalls
    case v1::Event::kRecallCaseRecorded:
      return ApplyRecallCaseRecorded(event.recall_case_recorded(), event, txn);
    // recall intake
    case v1::Event::kRecallCandidatesImported:
      return ApplyRecallCandidatesImported(event.recall_candidates_imported(),
                                           txn);
    case v1::Event::kRecallCandidateDecided:
      return ApplyRecallCandidateDecided(event.recall_candidate_decided(),
                                         event, txn);
    // principals
    case v1::Event::kPrincipalRecorded:
      return ApplyPrincipalRecorded(event.principal_recorded(), txn);
    case v1::Event::PAYLOAD_NOT_SET:
      break;
  }
  return absl::DataLossError("event has no payload");
}

}  // namespace

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
    case v1::Command::kEraseClient:
      return DecideEraseClient(ctx, command.erase_client());
    case v1::Command::kPlaceLegalHold:
      return DecidePlaceLegalHold(ctx, command.place_legal_hold());
    case v1::Command::kReleaseLegalHold:
      return DecideReleaseLegalHold(ctx, command.release_legal_hold());
    case v1::Command::kRecordConsent:
      return DecideRecordConsent(ctx, command.record_consent());
    case v1::Command::kStartSession:
      return DecideStartSession(ctx, command.start_session());
    case v1::Command::kRecordInkDisclosure:
      return DecideRecordInkDisclosure(ctx, command.record_ink_disclosure());
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
    case v1::Command::kImportRecallNotices:
      return DecideImportRecallNotices(ctx, command.import_recall_notices());
    case v1::Command::kConfirmRecallCandidate:
      return DecideConfirmRecallCandidate(ctx,
                                          command.confirm_recall_candidate());
    case v1::Command::kDismissRecallCandidate:
      return DecideDismissRecallCandidate(ctx,
                                          command.dismiss_recall_candidate());
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

absl::Status ApplyEvent(const v1::Event& event,
                        const storage::JournalHead& entry,
                        storage::WriteTxn& txn) {
  absl::Status status = Apply(event, entry, txn);
  if (!status.ok() && status.code() != absl::StatusCode::kDataLoss) {
    // A stored event that cannot be applied means the record is damaged.
    return absl::DataLossError(
        absl::StrCat("cannot apply event: ", status.message()));
  }
  return status;
}

}  // namespace smptrace::ledger
