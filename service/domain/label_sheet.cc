#include "service/domain/label_sheet.h"

#include <png.h>
#include <zint.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/domain/gs1.h"
#include "service/domain/pdf_doc.h"

namespace smptrace::domain {
namespace {

// A grayscale image: 0 = black, 255 = white.
struct Gray {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};

struct ZintDeleter {
  void operator()(zint_symbol* s) const { ZBarcode_Delete(s); }
};

// What zint encodes: "[01]...[17]...[10]...[21]..." (brackets: GS1 set 82
// has no '[').
std::string Gs1Data(const LabelItem& item) {
  ScannedItem fields;
  fields.gtin = item.gtin;
  fields.lot = item.lot;
  fields.serial = item.serial;
  fields.expiry = item.expiry;
  std::string text = FormatGs1HumanReadable(fields);
  std::replace(text.begin(), text.end(), '(', '[');
  std::replace(text.begin(), text.end(), ')', ']');
  return text;
}

// GS1 character set 82 (General Specifications figure 7.11-1): what AI (10)
// and (21) may hold.
bool InSet82(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) !=
             std::string_view::npos;
}

absl::Status CheckField(const char* name, const std::string& value) {
  if (value.empty() || value.size() > 20) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": must be 1..20 characters, got ", value.size()));
  }
  for (char c : value) {
    if (!InSet82(c)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: '%c' (0x%02X) is not in GS1 character set 82",
                          name, c, static_cast<unsigned char>(c)));
    }
  }
  return absl::OkStatus();
}

// zint's buffered symbol (scale 0.5: one pixel per module) in gray, with a
// quiet zone of `quiet` modules.
Gray BitmapOf(const zint_symbol& symbol, int quiet) {
  Gray g;
  g.width = symbol.bitmap_width + 2 * quiet;
  g.height = symbol.bitmap_height + 2 * quiet;
  g.pixels.assign(static_cast<size_t>(g.width) * g.height, 255);
  for (int y = 0; y < symbol.bitmap_height; ++y) {
    for (int x = 0; x < symbol.bitmap_width; ++x) {
      const unsigned char* rgb =
          symbol.bitmap +
          3 * (static_cast<size_t>(y) * symbol.bitmap_width + x);
      g.pixels[static_cast<size_t>(y + quiet) * g.width + x + quiet] =
          rgb[0] < 128 ? 0 : 255;
    }
  }
  return g;
}

// The item's DataMatrix, one pixel per module, with a 2-module quiet zone.
absl::StatusOr<Gray> EncodeModules(const LabelItem& item) {
  if (!HasValidGs1CheckDigit(item.gtin) || item.gtin.size() != 14) {
    return absl::InvalidArgumentError(
        "gtin: not a GTIN-14 with its check digit");
  }
  if (absl::Status s = CheckField("lot", item.lot); !s.ok()) return s;
  if (absl::Status s = CheckField("serial", item.serial); !s.ok()) return s;
  std::unique_ptr<zint_symbol, ZintDeleter> symbol(ZBarcode_Create());
  if (!symbol) return absl::InternalError("zint: out of memory");
  symbol->symbology = BARCODE_DATAMATRIX;
  symbol->input_mode = GS1_MODE;
  symbol->option_3 = DM_SQUARE;
  symbol->scale = 0.5f;  // one pixel per module
  symbol->show_hrt = 0;
  const std::string data = Gs1Data(item);
  const int rc = ZBarcode_Encode_and_Buffer(
      symbol.get(), reinterpret_cast<const unsigned char*>(data.data()),
      static_cast<int>(data.size()), 0);
  if (rc >= ZINT_ERROR) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot encode ", data, ": ", symbol->errtxt));
  }
  return BitmapOf(*symbol, /*quiet=*/2);
}

Gray Scale(const Gray& in, int factor) {
  Gray out;
  out.width = in.width * factor;
  out.height = in.height * factor;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      out.pixels[static_cast<size_t>(y) * out.width + x] =
          in.pixels[static_cast<size_t>(y / factor) * in.width + x / factor];
    }
  }
  return out;
}

void AppendPng(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

absl::StatusOr<std::string> EncodePng(const Gray& g) {
  std::string out;
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) return absl::InternalError("libpng: out of memory");
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return absl::InternalError("libpng: cannot encode the image");
  }
  png_set_write_fn(png, &out, AppendPng, nullptr);
  png_set_IHDR(png, info, g.width, g.height, 8, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < g.height; ++y) {
    png_write_row(png, const_cast<png_bytep>(
                           &g.pixels[static_cast<size_t>(y) * g.width]));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

absl::Status ItemError(size_t i, const absl::Status& status) {
  return absl::InvalidArgumentError(
      absl::StrCat("items[", i, "]: ", status.message()));
}

}  // namespace

absl::StatusOr<std::string> RenderLabelPng(const LabelItem& item,
                                           int module_pixels) {
  auto modules = EncodeModules(item);
  if (!modules.ok()) return modules.status();
  return EncodePng(Scale(*modules, std::max(1, module_pixels)));
}

absl::StatusOr<std::string> RenderLabelSheetPng(
    const std::vector<LabelItem>& items) {
  constexpr int kColumns = 4;
  constexpr int kScale = 6;
  std::vector<Gray> symbols;
  int cell = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    auto modules = EncodeModules(items[i]);
    if (!modules.ok()) return ItemError(i, modules.status());
    symbols.push_back(Scale(*modules, kScale));
    cell = std::max({cell, symbols.back().width, symbols.back().height});
  }
  cell += 4 * kScale;  // gap between symbols
  Gray sheet;
  const int rows = static_cast<int>((symbols.size() + kColumns - 1) / kColumns);
  sheet.width =
      cell * std::min<int>(kColumns, std::max<int>(1, symbols.size()));
  sheet.height = cell * std::max(1, rows);
  sheet.pixels.assign(static_cast<size_t>(sheet.width) * sheet.height, 255);
  for (size_t i = 0; i < symbols.size(); ++i) {
    const int x0 = static_cast<int>(i % kColumns) * cell;
    const int y0 = static_cast<int>(i / kColumns) * cell;
    const Gray& s = symbols[i];
    for (int y = 0; y < s.height; ++y) {
      std::memcpy(&sheet.pixels[static_cast<size_t>(y0 + y) * sheet.width + x0],
                  &s.pixels[static_cast<size_t>(y) * s.width], s.width);
    }
  }
  return EncodePng(sheet);
}

absl::StatusOr<std::string> RenderLabelSheetPdf(
    const std::vector<LabelItem>& items) {
  constexpr float kMm = PdfDoc::kMm;
  constexpr int kColumns = 3, kRows = 10;
  const float margin_x = 7 * kMm, margin_y = 13 * kMm;
  const float cell_w = (PdfDoc::kPageWidth - 2 * margin_x) / kColumns;
  const float cell_h = (PdfDoc::kPageHeight - 2 * margin_y) / kRows;
  const float symbol_size = cell_h - 6 * kMm;

  PdfDoc pdf;
  for (size_t i = 0; i < items.size(); ++i) {
    const LabelItem& item = items[i];
    auto modules = EncodeModules(item);
    if (!modules.ok()) return ItemError(i, modules.status());
    if (i % (kColumns * kRows) == 0) pdf.AddPage();
    const int slot = static_cast<int>(i % (kColumns * kRows));
    const float x = margin_x + (slot % kColumns) * cell_w + 2 * kMm;
    const float top =
        PdfDoc::kPageHeight - margin_y - (slot / kColumns) * cell_h - 3 * kMm;
    pdf.Gray(x, top - symbol_size, symbol_size, symbol_size, modules->pixels,
             modules->width, modules->height);
    const float tx = x + symbol_size + 2 * kMm;
    const float room = cell_w - (tx - x) - 3 * kMm;
    const std::string exp =
        item.expiry.has_value()
            ? absl::StrFormat("%04d-%02d-%02d", item.expiry->year(),
                              item.expiry->month(), item.expiry->day())
            : "-";
    const std::string lines[] = {item.caption, "GTIN " + item.gtin,
                                 "LOT " + item.lot, "EXP " + exp,
                                 "SN " + item.serial};
    float y = top - 7;
    for (size_t l = 0; l < 5; ++l) {
      pdf.Text(tx, y, l == 0 ? 7 : 6.5f, l == 0, lines[l], room);
      y -= 9;
    }
  }
  return pdf.Finish();
}

absl::StatusOr<QrCode> EncodeQrCode(std::string_view text) {
  std::unique_ptr<zint_symbol, ZintDeleter> symbol(ZBarcode_Create());
  if (!symbol) return absl::InternalError("zint: out of memory");
  symbol->symbology = BARCODE_QRCODE;
  symbol->input_mode = DATA_MODE;
  symbol->option_1 = 2;  // error correction level M
  symbol->scale = 0.5f;  // one pixel per module
  symbol->show_hrt = 0;
  const int rc = ZBarcode_Encode_and_Buffer(
      symbol.get(), reinterpret_cast<const unsigned char*>(text.data()),
      static_cast<int>(text.size()), 0);
  if (rc >= ZINT_ERROR) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot encode ", text.size(),
                     " bytes in a QR code: ", symbol->errtxt));
  }
  QrCode qr;
  qr.version = (symbol->width - 17) / 4;
  Gray g = BitmapOf(*symbol, /*quiet=*/4);
  qr.size = g.width;
  qr.pixels = std::move(g.pixels);
  return qr;
}

}  // namespace smptrace::domain
