#include "service/api/ink_disclosure_pdf.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "service/api/pdf_writer.h"

namespace smptrace::api {
namespace {

// Characters of 9-point text that fit across the page.
constexpr size_t kLineChars = 95;

// `line` cut at spaces into pieces of at most kLineChars (a longer word
// stays whole); continuation pieces keep the line's indentation.
std::vector<std::string> Wrap(absl::string_view line) {
  const size_t indent = line.find_first_not_of(' ');
  const std::string lead(indent == absl::string_view::npos ? 0 : indent, ' ');
  std::vector<std::string> out;
  std::string current;
  for (absl::string_view word : absl::StrSplit(line, ' ', absl::SkipEmpty())) {
    if (!current.empty() && current.size() + 1 + word.size() > kLineChars) {
      out.push_back(current);
      current = lead;
    }
    if (current.empty()) current = lead;
    if (current.size() > lead.size()) current += ' ';
    absl::StrAppend(&current, word);
  }
  out.push_back(current);
  return out;
}

}  // namespace

absl::StatusOr<std::string> InkDisclosurePdf(
    const v1::InkDisclosure& disclosure, const ClinicOptions& clinic) {
  PdfWriter w(absl::StrCat("smptrace ink disclosure, session ",
                           disclosure.session_id(), ", SHA-256 ",
                           disclosure.sha256()));
  w.Line(16, true, "The inks to be used on you");
  if (!clinic.name.empty()) w.Line(11, false, clinic.name);
  w.Gap(6);
  bool first = true;
  for (absl::string_view line : absl::StrSplit(disclosure.text(), '\n')) {
    if (first) {  // the heading, already printed larger
      first = false;
      continue;
    }
    for (const std::string& piece : Wrap(line)) w.Line(9, false, piece);
  }
  return w.Finish();
}

}  // namespace smptrace::api
