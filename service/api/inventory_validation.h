// Shape checks of the inventory's requests (see validation.h for the rules
// every check follows), and the one place a scanned barcode becomes an
// identified item: parsed (domain/gs1.h), HIBC resolved to the product's GTIN.
#ifndef SMPTRACE_SERVICE_API_INVENTORY_VALIDATION_H_
#define SMPTRACE_SERVICE_API_INVENTORY_VALIDATION_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/domain/gs1.h"
#include "smptrace/v1/inventory.pb.h"

namespace smptrace::api {

// Looks up the GTIN of the product with an HIBC id; nullopt if none.
using HibcResolver =
    absl::FunctionRef<absl::StatusOr<std::optional<std::string>>(
        std::string_view hibc_id)>;

// How to read scans: the scanner's FNC1 substitute and today's year.
struct ScanContext {
  domain::BarcodeOptions options;
  HibcResolver resolve_hibc;
};

// Parses a scan (and an HIBC secondary symbol, if any) and resolves an HIBC
// item's GTIN. InvalidArgument naming `field`; NotFound for an HIBC id no
// product carries.
absl::StatusOr<domain::ScannedItem> ResolveScan(std::string_view field,
                                                std::string_view barcode,
                                                std::string_view secondary,
                                                const ScanContext& scan);

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

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_INVENTORY_VALIDATION_H_
