#include "service/domain/text.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/string_view.h"

namespace smptrace::domain {
namespace {

// One decoded character: its code point and its length in bytes; an invalid
// sequence decodes as its first byte with `valid` false.
struct Decoded {
  uint32_t code_point = 0;
  size_t length = 1;
  bool valid = true;
};

Decoded DecodeAt(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return {b0, 1, true};
  size_t length = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return {b0, 1, false};
  }
  if (i + length > s.size()) return {b0, 1, false};
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {b0, 1, false};
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return {b0, 1, false};
  }
  return {cp, length, true};
}

bool IsControl(uint32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool IsSpace(uint32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool IsBidiControl(uint32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool IsInvisible(uint32_t c) {
  return c == 0xAD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 ||
         c == 0xFEFF;
}

std::string_view NameOf(uint32_t c) {
  switch (c) {
    case 0x061C:
      return "arabic letter mark";
    case 0x200E:
      return "left-to-right mark";
    case 0x200F:
      return "right-to-left mark";
    case 0x202A:
      return "left-to-right embedding";
    case 0x202B:
      return "right-to-left embedding";
    case 0x202C:
      return "pop directional formatting";
    case 0x202D:
      return "left-to-right override";
    case 0x202E:
      return "right-to-left override";
    case 0x2066:
      return "left-to-right isolate";
    case 0x2067:
      return "right-to-left isolate";
    case 0x2068:
      return "first strong isolate";
    case 0x2069:
      return "pop directional isolate";
    case 0x200B:
      return "zero-width space";
    case 0x200C:
      return "zero-width non-joiner";
    case 0x200D:
      return "zero-width joiner";
    case 0xFEFF:
      return "zero-width no-break space";
    case 0x2060:
      return "word joiner";
    case 0xAD:
      return "soft hyphen";
  }
  if (IsControl(c)) return "control character";
  if (IsSpace(c)) return "white space";
  return "character";
}

// The first character that `why_bad(code point, byte offset, is last)`
// names a reason for (non-empty), or the first invalid UTF-8 byte.
template <typename WhyBad>
std::optional<BadCharacter> FindFirst(std::string_view text, WhyBad why_bad) {
  size_t position = 0;
  for (size_t i = 0; i < text.size(); ++position) {
    const Decoded d = DecodeAt(text, i);
    if (!d.valid) return BadCharacter{position, d.code_point, "invalid UTF-8"};
    const std::string_view why =
        why_bad(d.code_point, i, i + d.length == text.size());
    if (!why.empty()) return BadCharacter{position, d.code_point, why};
    i += d.length;
  }
  return std::nullopt;
}

}  // namespace

bool IsBlank(std::string_view text) {
  // An invalid byte is not blank either: FindFirst stops on it.
  return !FindFirst(text, [](uint32_t c, size_t, bool) {
            const bool visible =
                !IsSpace(c) && !IsInvisible(c) && !IsBidiControl(c);
            return visible ? std::string_view("visible") : std::string_view();
          }).has_value();
}

std::string Describe(const BadCharacter& bad) {
  if (bad.what == "invalid UTF-8") {
    return absl::StrFormat("invalid UTF-8 byte 0x%02X at position %d",
                           bad.code_point, bad.position);
  }
  return absl::StrFormat("U+%04X (%s) at position %d", bad.code_point,
                         ToAbsl(bad.what), bad.position);
}

std::optional<BadCharacter> FindControlCharacter(std::string_view text) {
  return FindFirst(text, [](uint32_t c, size_t, bool) {
    return IsControl(c) ? NameOf(c) : std::string_view();
  });
}

std::optional<BadCharacter> FindIdentifierViolation(std::string_view text) {
  return FindFirst(text, [](uint32_t c, size_t byte, bool last) {
    if (IsControl(c) || IsBidiControl(c) || IsInvisible(c)) return NameOf(c);
    if (!IsSpace(c)) return std::string_view();
    if (byte == 0 || last) return std::string_view("white space at either end");
    return c == ' ' ? std::string_view() : NameOf(c);
  });
}

std::string Shorten(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max;
  // Back up to the start of a character (never inside a UTF-8 sequence).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat(ToAbsl(text.substr(0, cut)), "\u2026(", text.size(),
                      " bytes)");
}

std::string Quote(std::string_view input) {
  return absl::StrCat("'", Shorten(input, kMaxQuoted), "'");
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1,
                                     std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace smptrace::domain
