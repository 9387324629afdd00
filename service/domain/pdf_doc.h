// A small wrapper over libharu for the documents smptrace prints (label
// sheets, certificates): A4 pages, base-14 Helvetica in WinAnsi encoding
// (UTF-8 text is converted), text that shrinks to fit, grayscale images,
// errors as a Status, bytes out (no files).
#ifndef SMPTRACE_SERVICE_DOMAIN_PDF_DOC_H_
#define SMPTRACE_SERVICE_DOMAIN_PDF_DOC_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace smptrace::domain {

// UTF-8 to the WinAnsi (CP1252) encoding of the base-14 fonts; characters
// it has no code for become '?'.
std::string ToWinAnsi(std::string_view utf8);

class PdfDoc {
 public:
  static constexpr float kMm = 72.0f / 25.4f;
  static constexpr float kPageWidth = 210 * kMm;  // A4 portrait
  static constexpr float kPageHeight = 297 * kMm;

  PdfDoc();
  ~PdfDoc();
  PdfDoc(const PdfDoc&) = delete;
  PdfDoc& operator=(const PdfDoc&) = delete;

  // Starts a new A4 page; later calls draw on it.
  void AddPage();
  // Text at (x, y) in points from the bottom-left, UTF-8; shrunk (down to
  // 3.5 pt) to fit `max_width` when that is > 0.
  void Text(float x, float y, float size, bool bold, std::string_view utf8,
            float max_width = 0);
  // An 8-bit grayscale image (row-major, `width` x `height`) drawn at
  // (x, y) with the given size in points.
  void Gray(float x, float y, float w, float h,
            const std::vector<uint8_t>& pixels, int width, int height);
  // A line from (x1, y1) to (x2, y2).
  void Line(float x1, float y1, float x2, float y2);
  // The document's bytes; Internal if libharu reported an error.
  absl::StatusOr<std::string> Finish();

  struct State;  // libharu's document and error; defined in pdf_doc.cc

 private:
  std::unique_ptr<State> state_;
};

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_PDF_DOC_H_
