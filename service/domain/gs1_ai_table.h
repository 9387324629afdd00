// The GS1 Application Identifier table: every AI of the GS1 Barcode Syntax
// Dictionary with its components (character set, length, linters), whether
// FNC1 must follow it, its pairing rules (req= / ex=) and its GS1 Digital
// Link roles (dlpkey, data attribute). One owner for all of it: the element
// string reader (gs1.cc) and the Digital Link reader look AIs up here.
//
// The table is the dictionary file itself (service/domain/
// gs1_syntax_dictionary.txt, GS1 release 2026-01-27, Apache-2.0, from
// github.com/gs1/gs1-syntax-engine src/c-lib/gs1-syntax-dictionary.txt),
// compiled in as text by CMake and parsed once by ParseGs1SyntaxDictionary(),
// so a new GS1 release is a file replacement.
//
// Pure domain: no I/O and no clock.

#ifndef SMPTRACE_SERVICE_DOMAIN_GS1_AI_TABLE_H_
#define SMPTRACE_SERVICE_DOMAIN_GS1_AI_TABLE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/domain/gs1.h"

namespace smptrace::domain {

// The character set of a component (the letter of its type in the
// dictionary).
enum class Gs1CharacterSet {
  kNumeric,  // "N": digits 0-9
  kCset82,   // "X": GS1 AI encodable character set 82
  kCset39,   // "Y": GS1 AI encodable character set 39
  kCset64,   // "Z": GS1 AI encodable character set 64 (URI-safe base64)
};

// One component of an AI's value, e.g. "N6,yymmd0" or "[X..17]".
struct Gs1Component {
  Gs1CharacterSet character_set = Gs1CharacterSet::kNumeric;
  int min_length = 1;  // == max_length for a fixed-length component
  int max_length = 1;
  // "[...]" in the dictionary: may be left out once the data is exhausted.
  bool optional = false;
  // Linter names in order, e.g. {"csum", "gcppos2"}; run with RunGs1Linter().
  std::vector<std::string> linters;

  bool fixed_length() const { return min_length == max_length; }
};

// AI numbers, or patterns where 'n' stands for any digit ("310n", "31nn"),
// that must all be present together: "01+21" is {"01", "21"}.
using Gs1AiGroup = std::vector<std::string>;

struct Gs1Ai {
  std::string ai;     // "01", "3103", "8030"
  std::string title;  // GS1's short title, e.g. "USE BY or EXPIRY"; may be ""
  // False for the AIs of GS1's predefined-length table (flag "*"): their
  // value has a fixed length and no FNC1 follows it. True for all others,
  // including some fixed-length ones like (8001): an FNC1 must end their
  // value unless it is the last of the symbol.
  bool fnc1_required = true;
  // Flag "?": may appear as a GS1 Digital Link query attribute.
  bool dl_data_attribute = false;
  std::vector<Gs1Component> components;
  // "req=" clauses. Each clause must hold; a clause holds when one of its
  // groups has all its AIs present. E.g. (37): {{{"00"}}, {{"02"}, {"8026"}}}.
  std::vector<std::vector<Gs1AiGroup>> required;
  // "ex=": AIs or patterns that must not appear with this one. An AI never
  // excludes itself, even where it matches a pattern.
  std::vector<std::string> excluded;
  // "dlpkey": a GS1 Digital Link primary key.
  bool dl_primary_key = false;
  // Its alternative ordered qualifier paths: "dlpkey=22,10,21|235" is
  // {{"22", "10", "21"}, {"235"}}; empty for "dlpkey" alone and for AIs that
  // are no key.
  std::vector<std::vector<std::string>> dl_qualifier_paths;

  // Length bounds of the whole value: the sum over components (optional
  // ones count 0 towards the minimum).
  int min_length() const;
  int max_length() const;
  // True if every component is numeric.
  bool numeric() const;
};

// The AI table parsed from the compiled-in dictionary, sorted by AI (ranges
// such as "3100-3105" expanded to one entry per AI). Parsed on first use;
// thread-safe.
const std::vector<Gs1Ai>& Gs1AiTable();

// The entry for exactly `ai` ("01", "3103"), or nullptr for an AI GS1 does
// not define.
const Gs1Ai* FindGs1Ai(std::string_view ai);

// The entry whose AI is a prefix of `data` (at most one: GS1 AIs are
// prefix-free), e.g. for "3103000150..." the (3103) entry; nullptr if none.
const Gs1Ai* FindGs1AiPrefix(std::string_view data);

// The number of digits of the AIs that start with the two digits `prefix`
// ("31" -> 4), or 0 when the dictionary has no AI starting with them. Used to
// name an unknown AI in full.
std::size_t Gs1AiLengthForPrefix(std::string_view prefix);

// True if `ai` matches `pattern`: equal, or the same length with 'n' in the
// pattern matching any digit ("3103" matches "310n" and "31nn").
bool Gs1AiMatches(std::string_view ai, std::string_view pattern);

// Why a value does not fit its AI.
struct Gs1ValueError {
  // 0-based offset of the fault within the value.
  std::size_t offset = 0;
  // Lower case, without the AI or the position (the caller adds those), e.g.
  // "expected 14 digits, found 13", "'a' is not a digit",
  // "check digit is 3, expected 7".
  std::string reason;
};

// Checks `value` against `ai`'s components: their lengths, character sets
// and linters (through RunGs1Linter()). Returns nullopt when it fits.
std::optional<Gs1ValueError> CheckGs1Value(const Gs1Ai& ai,
                                           std::string_view value);

// A broken pairing rule.
struct Gs1PairingError {
  // Index in the checked list of the element whose rule is broken.
  std::size_t element_index = 0;
  // Lower case, e.g. "AI (02) needs AI (37) with it",
  // "AI (01) and AI (37) cannot appear together".
  std::string reason;
};

// Checks the req= and ex= rules of every element against all `elements`
// (all the data of one item: a composite symbol's two parts together), and
// one rule the dictionary cannot write: with a digital signature (8030), a
// (253), (255) or (8003) must carry its optional serial component.
// Elements whose AI is not in the table are ignored. Returns the first
// broken rule in element order (for each element: exclusions first), or
// nullopt.
std::optional<Gs1PairingError> CheckGs1Pairing(
    const std::vector<Gs1Element>& elements);

// Parses the text of a GS1 Barcode Syntax Dictionary (the format described
// in its header) into a table sorted by AI. Returns InvalidArgument naming
// the line and the fault for a line it cannot read (an unknown attribute
// key, a malformed component, a bad AI range, a repeated AI).
absl::StatusOr<std::vector<Gs1Ai>> ParseGs1SyntaxDictionary(
    std::string_view text);

// The compiled-in dictionary text (gs1_syntax_dictionary.txt, unchanged).
std::string_view Gs1SyntaxDictionaryText();

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_GS1_AI_TABLE_H_
