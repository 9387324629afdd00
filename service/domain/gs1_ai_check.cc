// CheckGs1Value (gs1_ai_table.h): a value against its AI's components, their
// character sets and linters. Kept apart from the table so that code which
// only looks AIs up does not link the linters.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "service/domain/gs1_ai_table.h"
#include "service/domain/gs1_chars.h"
#include "service/domain/gs1_lint.h"

namespace smptrace::domain {
namespace {

// The first character of `part` outside the component's character set, as
// an error at `offset` + its index; nullopt if all are in it.
std::optional<Gs1ValueError> CheckCharacterSet(const Gs1Component& component,
                                               std::string_view part,
                                               std::size_t offset) {
  for (std::size_t i = 0; i < part.size(); ++i) {
    const char c = part[i];
    switch (component.character_set) {
      case Gs1CharacterSet::kNumeric:
        if (IsGs1Digit(c)) continue;
        return Gs1ValueError{offset + i, BadGs1CharReason(c, "is not a digit")};
      case Gs1CharacterSet::kCset82:
        if (IsGs1Cset82(c)) continue;
        return Gs1ValueError{
            offset + i, BadGs1CharReason(c, "is not in GS1 character set 82")};
      case Gs1CharacterSet::kCset39:
        if (IsGs1Cset39(c)) continue;
        return Gs1ValueError{
            offset + i,
            BadGs1CharReason(c,
                             "is not in GS1 character set 39 (capital "
                             "letters, digits, # - /)")};
      case Gs1CharacterSet::kCset64: {
        if (IsGs1Cset64(c)) continue;
        // '=' pads the end: one or two of them, after at least one
        // character, and the value is then a whole number of base64 groups
        // short of one character.
        const std::size_t pad = part.size() - i;
        const bool padding =
            c == '=' && i > 0 && pad <= 2 &&
            part.substr(i).find_first_not_of('=') == std::string_view::npos &&
            part.size() % 4 == 3;
        if (padding) return std::nullopt;
        return Gs1ValueError{
            offset + i,
            c == '=' ? std::string("'=' is not valid base64 padding here")
                     : BadGs1CharReason(c,
                                        "is not in GS1 character set 64 "
                                        "(letters, digits, - _)")};
      }
    }
  }
  return std::nullopt;
}

std::string LengthReason(const Gs1Ai& ai, std::size_t found) {
  const std::size_t min = static_cast<std::size_t>(ai.min_length());
  const std::size_t max = static_cast<std::size_t>(ai.max_length());
  const char* unit = ai.numeric() ? "digits" : "characters";
  if (min == max) {
    return absl::StrCat("expected ", min, " ", unit, ", found ", found);
  }
  if (found == 0) return "value is empty";
  if (found < min) {
    return absl::StrCat("value is ", found, " ", unit, " long, at least ", min,
                        " needed");
  }
  return absl::StrCat("value is ", found, " ", unit, " long, at most ", max,
                      " allowed");
}

}  // namespace

std::optional<Gs1ValueError> CheckGs1Value(const Gs1Ai& ai,
                                           std::string_view value) {
  // Characters first, each against the component it falls in (past the
  // maximum length, the last one): a stray space or line feed is named as
  // such rather than as a wrong length.
  std::size_t start = 0;
  for (std::size_t k = 0; k < ai.components.size() && start < value.size();
       ++k) {
    const Gs1Component& component = ai.components[k];
    const bool last = k + 1 == ai.components.size();
    const std::size_t length =
        last
            ? value.size() - start
            : std::min<std::size_t>(component.max_length, value.size() - start);
    if (auto error =
            CheckCharacterSet(component, value.substr(start, length), start)) {
      return error;
    }
    start += length;
  }
  if (value.size() < static_cast<std::size_t>(ai.min_length()) ||
      value.size() > static_cast<std::size_t>(ai.max_length())) {
    return Gs1ValueError{0, LengthReason(ai, value.size())};
  }
  std::size_t pos = 0;
  for (const Gs1Component& component : ai.components) {
    if (pos == value.size() && component.optional) break;
    const std::size_t remaining = value.size() - pos;
    const std::size_t length =
        component.fixed_length()
            ? static_cast<std::size_t>(component.min_length)
            : remaining;
    if (length > remaining) {
      return Gs1ValueError{
          pos, absl::StrCat("the part at character ", pos + 1, " needs ",
                            length, " characters, found ", remaining)};
    }
    const std::string_view part = value.substr(pos, length);
    for (const std::string& linter : component.linters) {
      if (std::optional<Gs1LintError> lint = RunGs1Linter(linter, part)) {
        return Gs1ValueError{pos + std::min(lint->offset, part.size()),
                             lint->reason};
      }
    }
    pos += length;
  }
  return std::nullopt;
}

}  // namespace smptrace::domain
