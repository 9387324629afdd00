// Top-to-bottom writing of a many-page A4 document (the inspection record,
// the client's subject-access record): lines, rows of cells, rules; a new
// numbered page when the next line would not fit.
#ifndef SMPTRACE_SERVICE_API_PDF_WRITER_H_
#define SMPTRACE_SERVICE_API_PDF_WRITER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "service/domain/pdf_doc.h"

namespace smptrace::api {

// Writes top to bottom, starting a new page when the next line would not
// fit, and numbers the pages.
class PdfWriter {
 public:
  static constexpr float kMm = domain::PdfDoc::kMm;
  static constexpr float kLeft = 15 * kMm;
  static constexpr float kRight = domain::PdfDoc::kPageWidth - 15 * kMm;
  static constexpr float kTop = domain::PdfDoc::kPageHeight - 18 * kMm;
  static constexpr float kBottom = 18 * kMm;

  // `footer` is printed at the foot of every page with its number.
  explicit PdfWriter(std::string footer) : footer_(std::move(footer)) {
    NewPage();
  }

  // Makes room for `height` points, on a new page if need be.
  void Need(float height) {
    if (y_ - height < kBottom) NewPage();
  }
  void Line(float size, bool bold, const std::string& text, float indent = 0) {
    Need(size + 4);
    pdf_.Text(kLeft + indent, y_, size, bold, text, kRight - kLeft - indent);
    y_ -= size + 4;
  }
  // One row of cells at the given x offsets (the last runs to the margin).
  void Row(const std::vector<float>& at, const std::vector<std::string>& cells,
           float size, bool bold) {
    Need(size + 3.5f);
    for (size_t i = 0; i < cells.size(); ++i) {
      const float end = i + 1 < at.size() ? kLeft + at[i + 1] : kRight;
      pdf_.Text(kLeft + at[i], y_, size, bold, cells[i],
                end - kLeft - at[i] - 1.5f * kMm);
    }
    y_ -= size + 3.5f;
  }
  // A rule under the row just written.
  void Rule() {
    pdf_.Line(kLeft, y_ + 8, kRight, y_ + 8);
    y_ -= 2;
  }
  void Gap(float points) { y_ -= points; }
  absl::StatusOr<std::string> Finish() { return pdf_.Finish(); }

 private:
  void NewPage() {
    pdf_.AddPage();
    ++page_;
    pdf_.Text(kLeft, 10 * kMm, 7, false,
              absl::StrCat(footer_, " · page ", page_));
    y_ = kTop;
  }

  domain::PdfDoc pdf_;
  std::string footer_;
  int page_ = 0;
  float y_ = kTop;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_PDF_WRITER_H_
