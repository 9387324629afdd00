// The GS1 AI table: parsing the syntax dictionary, lookups and the pairing
// rules. See gs1_ai_table.h; the value check is in gs1_ai_check.cc.

#include "service/domain/gs1_ai_table.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace smptrace::domain {

// Defined in the gs1_syntax_dictionary.cc that CMake generates from
// gs1_syntax_dictionary.txt.
extern const char kGs1SyntaxDictionary[];

namespace {

absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

// An AI or an AI pattern of a req= / ex= / dlpkey= list: 2-4 characters,
// digits or 'n'.
bool IsAiPattern(absl::string_view s) {
  if (s.size() < 2 || s.size() > 4) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == 'n'; });
}

absl::Status LineError(int line, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("gs1 syntax dictionary line ", line, ": ", reason));
}

// "N14", "X..20", "N1..4" after the optional-bracket and linters are
// removed.
absl::Status ParseComponentType(int line, absl::string_view type,
                                Gs1Component& component) {
  if (type.size() < 2) {
    return LineError(line, absl::StrCat("malformed component '", type, "'"));
  }
  switch (type[0]) {
    case 'N':
      component.character_set = Gs1CharacterSet::kNumeric;
      break;
    case 'X':
      component.character_set = Gs1CharacterSet::kCset82;
      break;
    case 'Y':
      component.character_set = Gs1CharacterSet::kCset39;
      break;
    case 'Z':
      component.character_set = Gs1CharacterSet::kCset64;
      break;
    default:
      return LineError(line,
                       absl::StrCat("unknown character set in '", type, "'"));
  }
  const absl::string_view lengths = type.substr(1);
  const size_t dots = lengths.find("..");
  int min = 0;
  int max = 0;
  if (dots == absl::string_view::npos) {
    if (!AllDigits(lengths) || !absl::SimpleAtoi(lengths, &min)) {
      return LineError(line, absl::StrCat("malformed length in '", type, "'"));
    }
    max = min;
  } else {
    const absl::string_view low = lengths.substr(0, dots);
    const absl::string_view high = lengths.substr(dots + 2);
    min = 1;
    if ((!low.empty() && (!AllDigits(low) || !absl::SimpleAtoi(low, &min))) ||
        !AllDigits(high) || !absl::SimpleAtoi(high, &max)) {
      return LineError(line, absl::StrCat("malformed length in '", type, "'"));
    }
  }
  if (min < 1 || max < min || max > 99) {
    return LineError(line, absl::StrCat("impossible length in '", type, "'"));
  }
  component.min_length = min;
  component.max_length = max;
  return absl::OkStatus();
}

// "N6,yymmd0", "[X..17]", "[N3],iso3166".
absl::Status ParseComponent(int line, absl::string_view token,
                            Gs1Component& component) {
  std::string spec;
  if (token[0] == '[') {
    const size_t close = token.find(']');
    if (close == absl::string_view::npos) {
      return LineError(line, absl::StrCat("unclosed '[' in '", token, "'"));
    }
    component.optional = true;
    spec = absl::StrCat(token.substr(1, close - 1), token.substr(close + 1));
  } else {
    spec = std::string(token);
  }
  std::vector<std::string> parts = absl::StrSplit(spec, ',');
  if (absl::Status s = ParseComponentType(line, parts[0], component); !s.ok()) {
    return s;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty()) {
      return LineError(line,
                       absl::StrCat("empty linter name in '", token, "'"));
    }
    component.linters.push_back(parts[i]);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ParseAiList(int line,
                                                     absl::string_view list,
                                                     char separator) {
  std::vector<std::string> ais = absl::StrSplit(list, separator);
  for (const std::string& ai : ais) {
    if (!IsAiPattern(ai)) {
      return LineError(line,
                       absl::StrCat("'", ai, "' is not an ai in '", list, "'"));
    }
  }
  return ais;
}

absl::Status ParseAttribute(int line, absl::string_view token, Gs1Ai& ai) {
  const size_t eq = token.find('=');
  const absl::string_view key = token.substr(0, eq);
  const absl::string_view value = eq == absl::string_view::npos
                                      ? absl::string_view()
                                      : token.substr(eq + 1);
  if (key == "dlpkey") {
    ai.dl_primary_key = true;
    if (eq == absl::string_view::npos) return absl::OkStatus();
    for (absl::string_view path : absl::StrSplit(value, '|')) {
      absl::StatusOr<std::vector<std::string>> qualifiers =
          ParseAiList(line, path, ',');
      if (!qualifiers.ok()) return qualifiers.status();
      ai.dl_qualifier_paths.push_back(*std::move(qualifiers));
    }
    return absl::OkStatus();
  }
  if (eq == absl::string_view::npos || value.empty()) {
    return LineError(line, absl::StrCat("unknown attribute '", token, "'"));
  }
  if (key == "req") {
    std::vector<Gs1AiGroup> clause;
    for (absl::string_view group : absl::StrSplit(value, ',')) {
      absl::StatusOr<std::vector<std::string>> ais =
          ParseAiList(line, group, '+');
      if (!ais.ok()) return ais.status();
      clause.push_back(*std::move(ais));
    }
    ai.required.push_back(std::move(clause));
    return absl::OkStatus();
  }
  if (key == "ex") {
    absl::StatusOr<std::vector<std::string>> ais =
        ParseAiList(line, value, ',');
    if (!ais.ok()) return ais.status();
    ai.excluded.insert(ai.excluded.end(), ais->begin(), ais->end());
    return absl::OkStatus();
  }
  return LineError(line, absl::StrCat("unknown attribute '", token, "'"));
}

// The flags token: characters of the dictionary's reserved flag set only.
bool IsFlagsToken(absl::string_view token) {
  constexpr absl::string_view kFlagCharacters =
      "*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~";
  if (token[0] == '[') return false;
  return std::all_of(token.begin(), token.end(), [&](char c) {
    return kFlagCharacters.find(c) != absl::string_view::npos;
  });
}

// Components start with their character set letter (or '[');
// attributes with a lower-case key.
bool StartsComponent(absl::string_view token) {
  return (token[0] >= 'A' && token[0] <= 'Z') || token[0] == '[';
}

// One entry line, e.g.
//   "3100-3105  *?  N6   req=01,02 ex=310n   # NET WEIGHT (kg)".
// Appends one Gs1Ai per AI of the range to `table`.
absl::Status ParseEntry(int line, absl::string_view body,
                        absl::string_view title, std::vector<Gs1Ai>& table) {
  const std::vector<absl::string_view> tokens =
      absl::StrSplit(body, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  Gs1Ai entry;
  entry.title = std::string(title);
  size_t i = 1;
  if (i < tokens.size() && IsFlagsToken(tokens[i])) {
    for (char flag : tokens[i]) {
      if (flag == '*') {
        entry.fnc1_required = false;
      } else if (flag == '?') {
        entry.dl_data_attribute = true;
      } else {
        return LineError(
            line, absl::StrCat("unknown flag '", std::string(1, flag), "'"));
      }
    }
    ++i;
  }
  for (; i < tokens.size() && StartsComponent(tokens[i]); ++i) {
    Gs1Component component;
    if (absl::Status s = ParseComponent(line, tokens[i], component); !s.ok()) {
      return s;
    }
    if (!entry.components.empty()) {
      const Gs1Component& previous = entry.components.back();
      if (!previous.fixed_length()) {
        return LineError(line, "only the last component may vary in length");
      }
      if (previous.optional && !component.optional) {
        return LineError(line, "a mandatory component follows an optional one");
      }
    }
    entry.components.push_back(std::move(component));
  }
  if (entry.components.empty()) {
    return LineError(line, "no components");
  }
  for (; i < tokens.size(); ++i) {
    if (absl::Status s = ParseAttribute(line, tokens[i], entry); !s.ok()) {
      return s;
    }
  }

  // "3100-3105" or a single AI.
  const absl::string_view range = tokens[0];
  const size_t dash = range.find('-');
  const absl::string_view first = range.substr(0, dash);
  const absl::string_view last =
      dash == absl::string_view::npos ? first : range.substr(dash + 1);
  int from = 0;
  int to = 0;
  if (first.size() < 2 || first.size() > 4 || last.size() != first.size() ||
      !AllDigits(first) || !AllDigits(last) ||
      !absl::SimpleAtoi(first, &from) || !absl::SimpleAtoi(last, &to) ||
      to < from) {
    return LineError(line, absl::StrCat("malformed ai '", range, "'"));
  }
  if (!entry.fnc1_required) {
    for (const Gs1Component& component : entry.components) {
      if (!component.fixed_length() || component.optional) {
        return LineError(line,
                         "a predefined-length ai ('*') must have a fixed "
                         "length");
      }
    }
  }
  for (int n = from; n <= to; ++n) {
    Gs1Ai ai = entry;
    ai.ai = std::to_string(n);
    ai.ai.insert(0, first.size() - ai.ai.size(), '0');
    table.push_back(std::move(ai));
  }
  return absl::OkStatus();
}

std::string FormatGroup(const Gs1AiGroup& group) {
  return absl::StrJoin(group, " and ", [](std::string* out, const auto& ai) {
    absl::StrAppend(out, "AI (", ai, ")");
  });
}

// "AI (00)", "AI (02) or AI (8026)", "AI (00), AI (01) and AI (21), ... or
// AI (8018)".
std::string FormatClause(const std::vector<Gs1AiGroup>& clause) {
  std::string out;
  for (size_t i = 0; i < clause.size(); ++i) {
    if (i > 0) absl::StrAppend(&out, i + 1 == clause.size() ? " or " : ", ");
    absl::StrAppend(&out, FormatGroup(clause[i]));
  }
  return out;
}

bool AnyMatches(const std::vector<Gs1Element>& elements,
                const std::string& pattern) {
  return std::any_of(
      elements.begin(), elements.end(),
      [&](const Gs1Element& e) { return Gs1AiMatches(e.ai, pattern); });
}

}  // namespace

int Gs1Ai::min_length() const {
  int length = 0;
  for (const Gs1Component& c : components) {
    if (!c.optional) length += c.min_length;
  }
  return length;
}

int Gs1Ai::max_length() const {
  int length = 0;
  for (const Gs1Component& c : components) length += c.max_length;
  return length;
}

bool Gs1Ai::numeric() const {
  return std::all_of(components.begin(), components.end(),
                     [](const Gs1Component& c) {
                       return c.character_set == Gs1CharacterSet::kNumeric;
                     });
}

absl::StatusOr<std::vector<Gs1Ai>> ParseGs1SyntaxDictionary(
    std::string_view input) {
  std::vector<Gs1Ai> table;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(ToAbsl(input), '\n')) {
    ++line_number;
    const size_t hash = line.find('#');
    const absl::string_view body =
        absl::StripAsciiWhitespace(line.substr(0, hash));
    if (body.empty()) continue;
    const absl::string_view title =
        hash == absl::string_view::npos
            ? absl::string_view()
            : absl::StripAsciiWhitespace(line.substr(hash + 1));
    if (absl::Status s = ParseEntry(line_number, body, title, table); !s.ok()) {
      return s;
    }
  }
  std::sort(table.begin(), table.end(),
            [](const Gs1Ai& a, const Gs1Ai& b) { return a.ai < b.ai; });
  for (size_t i = 0; i < table.size(); ++i) {
    const bool repeated = i > 0 && table[i - 1].ai == table[i].ai;
    const bool prefix = i > 0 && table[i].ai.compare(0, table[i - 1].ai.size(),
                                                     table[i - 1].ai) == 0;
    if (repeated || prefix) {
      return absl::InvalidArgumentError(
          absl::StrCat("gs1 syntax dictionary: ai (", table[i].ai, ") ",
                       repeated ? "appears twice" : "starts with another ai (",
                       repeated ? "" : table[i - 1].ai, repeated ? "" : ")"));
    }
  }
  if (table.empty()) {
    return absl::InvalidArgumentError("gs1 syntax dictionary: no entries");
  }
  return table;
}

std::string_view Gs1SyntaxDictionaryText() { return kGs1SyntaxDictionary; }

const std::vector<Gs1Ai>& Gs1AiTable() {
  static const std::vector<Gs1Ai>* const table = [] {
    absl::StatusOr<std::vector<Gs1Ai>> parsed =
        ParseGs1SyntaxDictionary(kGs1SyntaxDictionary);
    // The compiled-in file is tested (gs1_ai_table_test); a failure here is
    // a broken build.
    assert(parsed.ok());
    return new std::vector<Gs1Ai>(parsed.ok() ? *std::move(parsed)
                                              : std::vector<Gs1Ai>());
  }();
  return *table;
}

const Gs1Ai* FindGs1Ai(std::string_view ai) {
  const std::vector<Gs1Ai>& table = Gs1AiTable();
  const auto it = std::lower_bound(
      table.begin(), table.end(), ai,
      [](const Gs1Ai& entry, std::string_view key) { return entry.ai < key; });
  if (it == table.end() || it->ai != ai) return nullptr;
  return &*it;
}

const Gs1Ai* FindGs1AiPrefix(std::string_view data) {
  for (size_t length = 2; length <= 4 && length <= data.size(); ++length) {
    if (const Gs1Ai* ai = FindGs1Ai(data.substr(0, length))) return ai;
  }
  return nullptr;
}

std::size_t Gs1AiLengthForPrefix(std::string_view prefix) {
  if (prefix.size() != 2) return 0;
  for (const Gs1Ai& entry : Gs1AiTable()) {
    if (entry.ai.compare(0, 2, prefix) == 0) return entry.ai.size();
  }
  return 0;
}

bool Gs1AiMatches(std::string_view ai, std::string_view pattern) {
  if (ai.size() != pattern.size()) return false;
  for (size_t i = 0; i < ai.size(); ++i) {
    const bool any_digit = pattern[i] == 'n' && ai[i] >= '0' && ai[i] <= '9';
    if (!any_digit && pattern[i] != ai[i]) return false;
  }
  return true;
}

std::optional<Gs1PairingError> CheckGs1Pairing(
    const std::vector<Gs1Element>& elements) {
  // Not in the dictionary: a digital signature (8030) signs one item, so a
  // GDTI (253), GCN (255) or GRAI (8003) with it must carry its optional
  // serial component (GS1 General Specifications, AI (8030); GS1's syntax
  // engine checks the same).
  const bool signed_data = AnyMatches(elements, "8030");
  for (size_t i = 0; signed_data && i < elements.size(); ++i) {
    const Gs1Element& e = elements[i];
    if (e.ai != "253" && e.ai != "255" && e.ai != "8003") continue;
    const Gs1Ai* entry = FindGs1Ai(e.ai);
    if (entry != nullptr &&
        e.value.size() <= static_cast<size_t>(entry->min_length())) {
      return Gs1PairingError{
          i, absl::StrCat("AI (", e.ai,
                          ") needs its serial component when AI (8030), a "
                          "digital signature, is present")};
    }
  }
  for (size_t i = 0; i < elements.size(); ++i) {
    const Gs1Ai* entry = FindGs1Ai(elements[i].ai);
    if (entry == nullptr) continue;
    for (const std::string& pattern : entry->excluded) {
      for (const Gs1Element& other : elements) {
        if (other.ai != entry->ai && Gs1AiMatches(other.ai, pattern)) {
          return Gs1PairingError{
              i, absl::StrCat("AI (", entry->ai, ") and AI (", other.ai,
                              ") cannot appear together")};
        }
      }
    }
    for (const std::vector<Gs1AiGroup>& clause : entry->required) {
      const bool holds =
          std::any_of(clause.begin(), clause.end(), [&](const Gs1AiGroup& g) {
            return std::all_of(g.begin(), g.end(), [&](const std::string& p) {
              return AnyMatches(elements, p);
            });
          });
      if (!holds) {
        return Gs1PairingError{
            i, absl::StrCat("AI (", entry->ai, ") needs ", FormatClause(clause),
                            " with it")};
      }
    }
  }
  return std::nullopt;
}

}  // namespace smptrace::domain
