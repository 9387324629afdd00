// What text from outside may contain: when a "required" value is really
// blank (ASCII and Unicode spaces, invisible characters), which characters
// free text and identifiers refuse, and how much of an input a message may
// quote back.
#ifndef SMPTRACE_SERVICE_DOMAIN_TEXT_H_
#define SMPTRACE_SERVICE_DOMAIN_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smptrace::domain {

// True when `text` has nothing visible: empty, or only white space (ASCII
// and Unicode: U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
// U+202F, U+205F, U+3000) and invisible format characters (zero-width
// U+200B..U+200D, U+2060, U+FEFF, bidirectional controls).
bool IsBlank(std::string_view text);

// A character a value may not contain, and where: `position` counts
// characters (code points) from 0. An invalid UTF-8 byte is reported with
// code_point = the byte and `what` = "invalid UTF-8".
struct BadCharacter {
  size_t position = 0;
  uint32_t code_point = 0;
  std::string_view what;
};

// "U+202E (right-to-left override) at position 3" (counting characters).
std::string Describe(const BadCharacter& bad);

// Free text (names, reasons, notes): the first C0 or C1 control character
// or DEL.
std::optional<BadCharacter> FindControlCharacter(std::string_view text);

// Identifiers and codes (client codes, lot numbers as typed, serials, ids,
// names used as keys): the first control character, bidirectional control
// (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), invisible
// character (U+00AD, U+200B..U+200D, U+2060, U+FEFF) or white space other
// than the ASCII space; and white space at either end. Everything else is
// kept exactly as given (a lot number is matched as printed).
std::optional<BadCharacter> FindIdentifierViolation(std::string_view text);

// `text` if it has at most `max` bytes; else its first bytes (at most `max`,
// cut at a character boundary), "…" and its size: "AAAA…(9000 bytes)".
std::string Shorten(std::string_view text, size_t max);

// Input quoted in a message, shortened to kMaxQuoted bytes, in single quotes:
// 'LOT-AAAA…(9000 bytes)'. Keeps error messages small whatever was sent.
inline constexpr size_t kMaxQuoted = 64;
std::string Quote(std::string_view input);

// Edits from `a` to `b` (bytes): insertions, deletions, substitutions and
// swaps of two neighbours ("scna" is one edit from "scan"): the optimal
// string alignment distance.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_TEXT_H_
