// Printable serial labels for units smptrace serialised: one GS1 DataMatrix
// per unit carrying (01) GTIN, (17) expiry, (10) lot and (21) serial, as
// DESIGN.md §6 asks, rendered with libzint; sheets as PDF (libharu, with the
// human-readable lines beside each symbol) or PNG (libpng, symbols only).
// Pure: bytes out, no files. Also the certificate's QR code (zint as well).
#ifndef SMPTRACE_SERVICE_DOMAIN_LABEL_SHEET_H_
#define SMPTRACE_SERVICE_DOMAIN_LABEL_SHEET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace smptrace::domain {

struct LabelItem {
  std::string gtin;  // 14 digits
  std::string lot;
  std::optional<absl::CivilDay> expiry;
  std::string serial;
  // Printed on the PDF label, e.g. the product name.
  std::string caption;
};

// One label's DataMatrix as an 8-bit grayscale PNG, `module_pixels` pixels
// per module, with a quiet zone. InvalidArgument when the data cannot be a
// GS1 DataMatrix (e.g. a lot outside GS1 character set 82).
absl::StatusOr<std::string> RenderLabelPng(const LabelItem& item,
                                           int module_pixels = 6);

// The labels' DataMatrix symbols on one PNG, in rows of 4.
absl::StatusOr<std::string> RenderLabelSheetPng(
    const std::vector<LabelItem>& items);

// A4 PDF sheets of 3 x 10 labels (about 63 x 27 mm each): the symbol, then
// caption, GTIN, LOT, EXP and SN lines. Errors name the item:
// "items[3]: ...".
absl::StatusOr<std::string> RenderLabelSheetPdf(
    const std::vector<LabelItem>& items);

// A QR code (ISO/IEC 18004, byte mode, error correction level M) of `text`,
// one pixel per module with the 4-module quiet zone: `size` x `size`
// pixels, 0 black and 255 white. InvalidArgument when `text` is too long.
struct QrCode {
  int version = 0;  // 1..40: (modules - 17) / 4
  int size = 0;
  std::vector<uint8_t> pixels;
};
absl::StatusOr<QrCode> EncodeQrCode(std::string_view text);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_LABEL_SHEET_H_
