// Shape checks of the inventory's requests (see validation.h for the rules
// every check follows), and the one place a scanned barcode becomes an
// identified item: parsed (domain/gs1.h), HIBC resolved to the product's GTIN.
#ifndef SMPTRACE_SERVICE_API_INVENTORY_VALIDATION_H_
#define SMPTRACE_SERVICE_API_INVENTORY_VALIDATION_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/domain/gs1.h"
#include "smptrace/v1/inventory.pb.h"
#include "storage/store.h"

namespace smptrace::api {

// What the server knows about the clinic it serves.
struct ClinicOptions {
  // The clinic's time zone: what "today" is for expiry, and the zone every
  // time is written in (common/clinic_time.h).
  absl::TimeZone zone = absl::UTCTimeZone();
  // The clinic's name as printed on certificates and reports ("" = none).
  std::string name;
  // The character the clinic's scanners send for FNC1 instead of ASCII GS;
  // '\0' for none.
  char fnc1_substitute = '\0';
  // The public certificate verification page as clients reach it
  // (smptraced --verify_url): what a certificate's QR code opens.
  std::string verify_url;
};

// How to read scans: the scanner's FNC1 substitute, today's year, and where
// to look up HIBC ids.
struct ScanContext {
  domain::BarcodeOptions options;
  const storage::Reader* products = nullptr;
};

// REQUIRES: `products` outlives the context.
ScanContext MakeScanContext(const ClinicOptions& clinic, absl::Time now,
                            const storage::Reader& products);

// Parses a scan (and an HIBC secondary symbol, if any) and resolves an HIBC
// item's GTIN. InvalidArgument naming `field`; NotFound for an HIBC id no
// product carries.
absl::StatusOr<domain::ScannedItem> ResolveScan(std::string_view field,
                                                std::string_view barcode,
                                                std::string_view secondary,
                                                const ScanContext& scan);

// Appends to `out` the elements of `item` whose AI is not one of `recorded`
// (the AIs the calling command keeps), each with its GS1 title: a reply
// shows them, so a practitioner or manager sees what the record leaves out.
void AddUnrecordedElements(
    const domain::ScannedItem& item,
    std::initializer_list<std::string_view> recorded,
    google::protobuf::RepeatedPtrField<v1::BarcodeElement>* out);

// Parses every barcode line and leaves each line with a 14-digit gtin, lot,
// serial, dates and quantity = the number of units it stands for.
absl::Status NormalizeReceive(v1::ReceiveRequest* r, const ScanContext& scan);
absl::Status NormalizeSetLotStatus(v1::SetLotStatusRequest* r);
// Barcodes are resolved into `units` (and cleared).
absl::Status NormalizeDiscard(v1::DiscardRequest* r, const ScanContext& scan);
absl::Status NormalizeAdjustStock(v1::AdjustStockRequest* r);
absl::Status NormalizeTransfer(v1::TransferRequest* r, const ScanContext& scan);

// Query checks. The gtin is normalised in place where there is one.
absl::Status NormalizeGetStock(v1::GetStockRequest* r);
absl::Status NormalizeGetLot(v1::GetLotRequest* r);
// Leaves gtin + serial set (from the barcode if one was given).
absl::Status NormalizeGetUnit(v1::GetUnitRequest* r, const ScanContext& scan);
absl::Status NormalizePrintLabels(v1::PrintLabelsRequest* r);

// Planning and purchasing.
absl::Status NormalizeSetReorderPolicy(v1::SetReorderPolicyRequest* r);
absl::Status NormalizeCreatePurchaseOrder(v1::CreatePurchaseOrderRequest* r);
absl::Status NormalizeEditPurchaseOrder(v1::EditPurchaseOrderRequest* r);
absl::Status NormalizeSubmitPurchaseOrder(v1::SubmitPurchaseOrderRequest* r);
absl::Status NormalizeCancelPurchaseOrder(v1::CancelPurchaseOrderRequest* r);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_INVENTORY_VALIDATION_H_
