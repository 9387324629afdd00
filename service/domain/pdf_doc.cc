#include "service/domain/pdf_doc.h"

#include <hpdf.h>

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace smptrace::domain {

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
    } else if (cp == 0x2026) {
      out.push_back('\x85');  // horizontal ellipsis
    } else if (cp == 0x2022) {
      out.push_back('\x95');  // bullet
    } else if (cp == 0x20AC) {
      out.push_back('\x80');  // euro sign
    } else {
      out.push_back('?');
    }
  }
  return out;
}

struct PdfDoc::State {
  HPDF_STATUS error = HPDF_OK;
  HPDF_STATUS detail = 0;
  HPDF_Doc doc = nullptr;
  HPDF_Page page = nullptr;
  HPDF_Font regular = nullptr;
  HPDF_Font bold = nullptr;
};

namespace {

void OnError(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
  auto* s = static_cast<PdfDoc::State*>(user);
  if (s->error == HPDF_OK) {
    s->error = code;
    s->detail = detail;
  }
}

}  // namespace

PdfDoc::PdfDoc() : state_(new State) {
  state_->doc = HPDF_New(OnError, state_.get());
  if (state_->doc == nullptr) return;
  HPDF_SetCompressionMode(state_->doc, HPDF_COMP_IMAGE);
  state_->regular = HPDF_GetFont(state_->doc, "Helvetica", "WinAnsiEncoding");
  state_->bold = HPDF_GetFont(state_->doc, "Helvetica-Bold", "WinAnsiEncoding");
}

PdfDoc::~PdfDoc() {
  if (state_->doc != nullptr) HPDF_Free(state_->doc);
}

void PdfDoc::AddPage() {
  if (state_->doc == nullptr) return;
  state_->page = HPDF_AddPage(state_->doc);
  HPDF_Page_SetSize(state_->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
}

void PdfDoc::Text(float x, float y, float size, bool bold,
                  std::string_view utf8, float max_width) {
  if (state_->page == nullptr) AddPage();
  if (state_->page == nullptr) return;
  const std::string text = ToWinAnsi(utf8);
  HPDF_Font font = bold ? state_->bold : state_->regular;
  HPDF_Page_SetFontAndSize(state_->page, font, size);
  const float width = HPDF_Page_TextWidth(state_->page, text.c_str());
  if (max_width > 0 && width > max_width) {
    HPDF_Page_SetFontAndSize(state_->page, font,
                             std::max(3.5f, size * max_width / width));
  }
  HPDF_Page_BeginText(state_->page);
  HPDF_Page_TextOut(state_->page, x, y, text.c_str());
  HPDF_Page_EndText(state_->page);
}

void PdfDoc::Gray(float x, float y, float w, float h,
                  const std::vector<uint8_t>& pixels, int width, int height) {
  if (state_->page == nullptr) AddPage();
  if (state_->page == nullptr) return;
  HPDF_Image image = HPDF_LoadRawImageFromMem(state_->doc, pixels.data(), width,
                                              height, HPDF_CS_DEVICE_GRAY, 8);
  HPDF_Page_DrawImage(state_->page, image, x, y, w, h);
}

void PdfDoc::Line(float x1, float y1, float x2, float y2) {
  if (state_->page == nullptr) AddPage();
  if (state_->page == nullptr) return;
  HPDF_Page_SetLineWidth(state_->page, 0.5f);
  HPDF_Page_MoveTo(state_->page, x1, y1);
  HPDF_Page_LineTo(state_->page, x2, y2);
  HPDF_Page_Stroke(state_->page);
}

absl::StatusOr<std::string> PdfDoc::Finish() {
  if (state_->doc == nullptr)
    return absl::InternalError("libharu: out of memory");
  if (state_->page == nullptr) AddPage();
  HPDF_SaveToStream(state_->doc);
  if (state_->error != HPDF_OK) {
    return absl::InternalError(absl::StrFormat(
        "libharu: error 0x%04X (detail %u)", state_->error, state_->detail));
  }
  std::string out(HPDF_GetStreamSize(state_->doc), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
  HPDF_ReadFromStream(state_->doc, reinterpret_cast<HPDF_BYTE*>(out.data()),
                      &size);
  out.resize(size);
  return out;
}

}  // namespace smptrace::domain
