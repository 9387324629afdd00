#include "service/domain/label_sheet.h"

#include <hpdf.h>
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
  constexpr int kQuiet = 2;
  Gray g;
  g.width = symbol->bitmap_width + 2 * kQuiet;
  g.height = symbol->bitmap_height + 2 * kQuiet;
  g.pixels.assign(static_cast<size_t>(g.width) * g.height, 255);
  for (int y = 0; y < symbol->bitmap_height; ++y) {
    for (int x = 0; x < symbol->bitmap_width; ++x) {
      const unsigned char* rgb =
          symbol->bitmap +
          3 * (static_cast<size_t>(y) * symbol->bitmap_width + x);
      g.pixels[static_cast<size_t>(y + kQuiet) * g.width + x + kQuiet] =
          rgb[0] < 128 ? 0 : 255;
    }
  }
  return g;
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

// libharu reports errors through a callback; keep the first.
struct PdfError {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void OnPdfError(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
  auto* e = static_cast<PdfError*>(user);
  if (e->code == HPDF_OK) {
    e->code = code;
    e->detail = detail;
  }
}

struct PdfDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};

constexpr float kMm = 72.0f / 25.4f;

// UTF-8 to the PDF's WinAnsi (CP1252) encoding for the base-14 fonts:
// Latin-1 letters map to themselves, a few common punctuation marks to their
// CP1252 codes, anything else to '?'.
std::string ToWinAnsi(std::string_view utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    if (len > 1 && i + len <= utf8.size()) {
      cp = c & (0xFF >> (len + 1));
      for (size_t k = 1; k < len; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
      }
    }
    i += len;
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
      out.push_back(static_cast<char>(cp));
    } else if (cp == 0x2013) {
      out.push_back('\x96');  // en dash
    } else if (cp == 0x2014) {
      out.push_back('\x97');  // em dash
    } else if (cp == 0x2019) {
      out.push_back('\x92');  // right single quote
    } else if (cp == 0x20AC) {
      out.push_back('\x80');  // euro sign
    } else {
      out.push_back('?');
    }
  }
  return out;
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
  PdfError error;
  std::unique_ptr<_HPDF_Doc_Rec, PdfDeleter> doc(HPDF_New(OnPdfError, &error));
  if (!doc) return absl::InternalError("libharu: out of memory");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_IMAGE);
  HPDF_Font font = HPDF_GetFont(doc.get(), "Helvetica", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(doc.get(), "Helvetica-Bold", "WinAnsiEncoding");

  constexpr int kColumns = 3, kRows = 10;
  const float page_w = 210 * kMm, page_h = 297 * kMm;
  const float margin_x = 7 * kMm, margin_y = 13 * kMm;
  const float cell_w = (page_w - 2 * margin_x) / kColumns;
  const float cell_h = (page_h - 2 * margin_y) / kRows;
  const float symbol_size = cell_h - 6 * kMm;

  HPDF_Page page = nullptr;
  for (size_t i = 0; i < items.size(); ++i) {
    const LabelItem& item = items[i];
    auto modules = EncodeModules(item);
    if (!modules.ok()) return ItemError(i, modules.status());
    if (i % (kColumns * kRows) == 0) {
      page = HPDF_AddPage(doc.get());
      HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    }
    const int slot = static_cast<int>(i % (kColumns * kRows));
    const float x = margin_x + (slot % kColumns) * cell_w + 2 * kMm;
    const float top = page_h - margin_y - (slot / kColumns) * cell_h - 3 * kMm;
    HPDF_Image image = HPDF_LoadRawImageFromMem(
        doc.get(), modules->pixels.data(), modules->width, modules->height,
        HPDF_CS_DEVICE_GRAY, 8);
    HPDF_Page_DrawImage(page, image, x, top - symbol_size, symbol_size,
                        symbol_size);
    const float tx = x + symbol_size + 2 * kMm;
    const std::string exp =
        item.expiry.has_value()
            ? absl::StrFormat("%04d-%02d-%02d", item.expiry->year(),
                              item.expiry->month(), item.expiry->day())
            : "-";
    const std::string lines[] = {ToWinAnsi(item.caption), "GTIN " + item.gtin,
                                 "LOT " + item.lot, "EXP " + exp,
                                 "SN " + item.serial};
    float y = top - 7;
    for (size_t l = 0; l < 5; ++l) {
      HPDF_Page_BeginText(page);
      // Shrink a long line to fit the label rather than run into the next.
      const float room = cell_w - (tx - x) - 3 * kMm;
      float size = l == 0 ? 7 : 6.5f;
      HPDF_Page_SetFontAndSize(page, l == 0 ? bold : font, size);
      const float width = HPDF_Page_TextWidth(page, lines[l].c_str());
      if (width > room && width > 0) {
        size = std::max(3.5f, size * room / width);
        HPDF_Page_SetFontAndSize(page, l == 0 ? bold : font, size);
      }
      HPDF_Page_TextOut(page, tx, y, lines[l].c_str());
      HPDF_Page_EndText(page);
      y -= 9;
    }
    if (error.code != HPDF_OK) break;
  }
  if (page == nullptr) {
    page = HPDF_AddPage(doc.get());
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  }
  HPDF_SaveToStream(doc.get());
  if (error.code != HPDF_OK) {
    return absl::InternalError(absl::StrFormat(
        "libharu: error 0x%04X (detail %u)", error.code, error.detail));
  }
  std::string out(HPDF_GetStreamSize(doc.get()), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
  HPDF_ReadFromStream(doc.get(), reinterpret_cast<HPDF_BYTE*>(out.data()),
                      &size);
  out.resize(size);
  return out;
}

}  // namespace smptrace::domain
