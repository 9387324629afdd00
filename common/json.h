// JSON text written by hand (exports, the CLI's JSON lines): one way to
// quote a string.
#ifndef SMPTRACE_COMMON_JSON_H_
#define SMPTRACE_COMMON_JSON_H_

#include <string>
#include <string_view>

namespace smptrace {

// `text` as a JSON string literal, quotes included: '"' and '\' escaped,
// control characters as \n \r \t or \u00XX; other bytes (UTF-8) as they
// are. JsonString("a\"b") == "\"a\\\"b\"".
inline std::string JsonString(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace smptrace

#endif  // SMPTRACE_COMMON_JSON_H_
