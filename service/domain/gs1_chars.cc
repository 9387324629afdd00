// See gs1_chars.h.

#include "service/domain/gs1_chars.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace smptrace::domain {

std::string DescribeGs1Char(char c) {
  switch (c) {
    case '\r':
      return "carriage return (0x0D)";
    case '\n':
      return "line feed (0x0A)";
    case '\t':
      return "tab (0x09)";
    case ' ':
      return "space";
    case '\x1d':
      return "GS (0x1D)";
    default:
      break;
  }
  const auto byte = static_cast<unsigned char>(c);
  if (byte > 0x20 && byte < 0x7f) {
    return absl::StrCat("'", std::string(1, c), "'");
  }
  return absl::StrFormat("byte 0x%02X", byte);
}

std::string BadGs1CharReason(char c, std::string_view what_it_is_not) {
  if (IsGs1Whitespace(c)) {
    return absl::StrCat("unexpected ", DescribeGs1Char(c), " inside the data");
  }
  return absl::StrCat(
      DescribeGs1Char(c), " ",
      absl::string_view(what_it_is_not.data(), what_it_is_not.size()));
}

}  // namespace smptrace::domain
