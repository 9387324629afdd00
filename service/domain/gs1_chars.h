// Characters of GS1 and HIBC data: the GS1 AI encodable character sets
// (General Specifications §7.11) and how a character is named in a message.
// Shared by the barcode reader (gs1.cc) and the AI value check
// (gs1_ai_check.cc).

#ifndef SMPTRACE_SERVICE_DOMAIN_GS1_CHARS_H_
#define SMPTRACE_SERVICE_DOMAIN_GS1_CHARS_H_

#include <string>
#include <string_view>

namespace smptrace::domain {

inline bool IsGs1Digit(char c) { return c >= '0' && c <= '9'; }
inline bool IsGs1Upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsGs1Lower(char c) { return c >= 'a' && c <= 'z'; }

// Characters a scanner or a keyboard may put inside data by mistake.
inline bool IsGs1Whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

// GS1 AI encodable character set 82: letters, digits and
// !"%&'()*+,-./:;<=>?_
inline bool IsGs1Cset82(char c) {
  if (IsGs1Digit(c) || IsGs1Upper(c) || IsGs1Lower(c)) return true;
  constexpr std::string_view kSymbols = "!\"%&'()*+,-./:;<=>?_";
  return kSymbols.find(c) != std::string_view::npos;
}

// GS1 AI encodable character set 39: capital letters, digits and #-/
inline bool IsGs1Cset39(char c) {
  return IsGs1Digit(c) || IsGs1Upper(c) || c == '#' || c == '-' || c == '/';
}

// GS1 AI encodable character set 64 (URI-safe base64), without its '='
// padding: letters, digits, '-' and '_'.
inline bool IsGs1Cset64(char c) {
  return IsGs1Digit(c) || IsGs1Upper(c) || IsGs1Lower(c) || c == '-' ||
         c == '_';
}

// A character for a message: 'A', or a name for what cannot be read as is
// ("line feed (0x0A)", "GS (0x1D)", "byte 0x80").
std::string DescribeGs1Char(char c);

// "unexpected line feed (0x0A) inside the data" for whitespace, otherwise
// "'A' <what_it_is_not>".
std::string BadGs1CharReason(char c, std::string_view what_it_is_not);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_GS1_CHARS_H_
