// The GS1 component checks ("linters") that the GS1 Barcode Syntax Dictionary
// names after a component's format, e.g. "N6,yymmd0" or "X..3,iso3166alpha2":
// check digits, dates and times, ISO country and currency codes, IBAN, and the
// others. One function checks a component by the linter's name, so the AI
// table (gs1_ai_table.h) can stay data.
//
// Pure domain: no I/O and no clock.

#ifndef SMPTRACE_SERVICE_DOMAIN_GS1_LINT_H_
#define SMPTRACE_SERVICE_DOMAIN_GS1_LINT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smptrace::domain {

// Why a component failed a linter.
struct Gs1LintError {
  // 0-based offset of the first offending character within the component
  // (the component's length when the fault is the whole value, e.g. a wrong
  // length for a code list). In detail: characters missing at the end (too
  // short, a coupon field cut short) or a wrong length give the length; a
  // wrong character, check digit, month or day gives its first character; a
  // value of the right length that is not allowed (a code not in its list,
  // piece 2 of 1, a latitude out of range) gives 0, where that value starts.
  std::size_t offset = 0;
  // Lower case, for a person at the chair, without the AI or the position
  // (the caller adds those), e.g. "check digit is 3, expected 7",
  // "month 13 is not a valid month", "ZZ is not an ISO 3166 country code".
  std::string reason;
};

// Runs the linter `name` (as spelled in the syntax dictionary: "csum",
// "yymmd0", "iso3166", ...) over `component`, which has already passed its
// character set and length. Returns nullopt when the component passes, and
// an error naming the reason otherwise. An unknown linter name is an error
// ("no check named ..."), so a table that names a linter we do not have
// fails its tests instead of passing silently.
//
// Dates: "yymmd0" and "yyyymmd0" accept day 00 (the month's last day),
// "yymmdd" and "yyyymmdd" do not. A two-digit year's century depends on the
// day the barcode is read (General Specifications §7.12), which a linter does
// not know: 29 February is accepted when YY is a multiple of 4 (some century
// makes it a leap year; 00 may be 2000); the reader that resolves the century
// checks the day again.
// "gcppos1"/"gcppos2" check only that a GS1 Company Prefix could start at
// position 0/1 (4 digits or more): there is no lookup of allocated prefixes.
std::optional<Gs1LintError> RunGs1Linter(std::string_view name,
                                         std::string_view component);

// True if RunGs1Linter() knows the linter `name`, e.g. "csum".
bool IsKnownGs1Linter(std::string_view name);

// The names of all linters RunGs1Linter() knows, sorted.
std::vector<std::string_view> Gs1LinterNames();

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_GS1_LINT_H_
