// The GS1 component checks ("linters") named in the GS1 Barcode Syntax
// Dictionary. See gs1_lint.h for the contract.
//
// Sources (our own reading of the rules; no engine code):
//  * GS1 General Specifications: §7.9 (mod-10 check digit), §7.9.5 (check
//    character pair over GS1 character set 82, prime weights, mod 1021,
//    character set 32), §7.11 (character set 82), §7.12 (YYMMDD, day 00),
//    the GS1 Company Prefix (at least 4 digits), AI (4309) latitude and
//    longitude, (7040) importer index, (7241) AIDC media types, (8001)
//    winding direction, (8006)/(8026) piece of total, (7258) birth sequence.
//  * ISO 13616 (IBAN: country code, two check digits, mod 97-10).
//  * ISO 3166-1, ISO 4217, ISO 5218, UN/ECE Recommendation 21: the code lists
//    in gs1_lint_code_lists.inc (data, with their source).
//  * "North American Coupon Application Guideline Using GS1 DataBar Expanded
//    Symbols" (JICC/GS1 US) for AI (8110), and the GS1 positive offer file
//    coupon structure for AI (8112).
//  * GS1 Digital Link's percent-encoding of AI values ("pcenc").
// Where GS1's Barcode Syntax Engine (github.com/gs1/gs1-syntax-engine) decides
// a detail those texts leave open (the order of coupon optional fields, which
// IBAN country codes count), we behave as its published test vectors do.

#include "service/domain/gs1_lint.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "service/domain/gs1.h"

namespace smptrace::domain {
namespace {

#include "service/domain/gs1_lint_code_lists.inc"

// What a linter found wrong: where (gs1_lint.h: the first offending
// character, or the component's length when characters are missing or the
// length is wrong) and why.
struct Fault {
  std::size_t offset = 0;
  std::string reason;
};
using LintResult = std::optional<Fault>;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

bool AllDigits(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), IsDigit);
}

// A character for a reason: 'x', or its byte value if it does not print.
std::string ShowChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte == ' ') return "a space";
  if (byte > 0x20 && byte < 0x7f)
    return absl::StrCat("'", std::string(1, c), "'");
  return absl::StrFormat("byte 0x%02X", byte);
}

// A value for a reason: as is, or "an empty value".
std::string ShowValue(absl::string_view s) {
  if (s.empty()) return "an empty value";
  std::string out;
  for (char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte < 0x7f) {
      out.push_back(c);
    } else {
      absl::StrAppendFormat(&out, "\\x%02X", byte);
    }
  }
  return out;
}

// Characters are missing, or the length is wrong.
Fault AtEnd(absl::string_view s, std::string reason) {
  return Fault{s.size(), std::move(reason)};
}

// The value as a whole is wrong (not in its code list, out of range, ...):
// the offending characters start at its start.
Fault AtStart(std::string reason) { return Fault{0, std::move(reason)}; }

// The first non-digit of s[from, to), if any.
LintResult FirstNonDigit(absl::string_view s, std::size_t from = 0,
                         std::size_t to = absl::string_view::npos) {
  to = std::min(to, s.size());
  for (std::size_t i = from; i < to; ++i) {
    if (!IsDigit(s[i])) {
      return Fault{i, absl::StrCat(ShowChar(s[i]), " is not a digit")};
    }
  }
  return std::nullopt;
}

// Value of a short run of digits. REQUIRES: all digits, at most 9.
int DigitsValue(absl::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

template <std::size_t N>
bool InList(const absl::string_view (&list)[N], absl::string_view code) {
  return std::binary_search(std::begin(list), std::end(list), code);
}

// --- Check digits ------------------------------------------------------------

// csum: the last digit is the GS1 mod-10 check digit (§7.9).
LintResult LintCsum(absl::string_view s) {
  if (s.empty()) return Fault{0, "no digits, so no check digit"};
  if (auto fault = FirstNonDigit(s)) return fault;
  const char expected = Gs1CheckDigit(std::string_view(s.data(), s.size() - 1));
  if (s.back() != expected) {
    return Fault{s.size() - 1, absl::StrFormat("check digit is %c, expected %c",
                                               s.back(), expected)};
  }
  return std::nullopt;
}

// GS1 character set 82 in its §7.11 order: a character's value is its index.
constexpr absl::string_view kCset82 =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
    "abcdefghijklmnopqrstuvwxyz";
// GS1 character set 32 (§7.9.5): the check characters.
constexpr absl::string_view kCset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

// The first `count` primes: the weights of the check character pair.
std::vector<int> Primes(std::size_t count) {
  std::vector<int> primes;
  for (int n = 2; primes.size() < count; ++n) {
    const bool prime = std::none_of(primes.begin(), primes.end(),
                                    [n](int p) { return n % p == 0; });
    if (prime) primes.push_back(n);
  }
  return primes;
}

// csumalpha: the last two characters are the check character pair of the
// others (§7.9.5): each character's set-82 value times a prime weight (2 for
// the rightmost, then 3, 5, 7, ... leftwards), summed modulo 1021; the pair is
// that sum's two base-32 digits in character set 32.
LintResult LintCsumAlpha(absl::string_view s) {
  if (s.size() < 2) {
    return AtEnd(s, "too short for its two check characters");
  }
  const absl::string_view body = s.substr(0, s.size() - 2);
  const std::vector<int> weights = Primes(body.size());
  int sum = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const std::size_t value = kCset82.find(body[i]);
    if (value == absl::string_view::npos) {
      return Fault{i, absl::StrCat(ShowChar(body[i]),
                                   " is not in GS1 character set 82")};
    }
    sum = (sum + static_cast<int>(value) * weights[body.size() - 1 - i]) % 1021;
  }
  const std::string expected = {kCset32[static_cast<std::size_t>(sum / 32)],
                                kCset32[static_cast<std::size_t>(sum % 32)]};
  const absl::string_view pair = s.substr(body.size());
  if (pair != expected) {
    return Fault{body.size(),
                 absl::StrCat("check characters are ", ShowValue(pair),
                              ", expected ", expected)};
  }
  return std::nullopt;
}

// --- GS1 Company Prefix ------------------------------------------------------

// The shortest GS1 Company Prefix has 4 digits. Without a lookup of the
// prefixes GS1 has allocated, that is all that can be checked.
constexpr std::size_t kShortestCompanyPrefix = 4;

// gcppos1 / gcppos2: a GS1 Company Prefix starts at `start` (0, or 1 after an
// indicator or extension digit).
LintResult LintCompanyPrefixAt(absl::string_view s, std::size_t start) {
  if (s.size() < start + kShortestCompanyPrefix) {
    return AtEnd(s,
                 absl::StrFormat("too short to hold a GS1 company prefix (at "
                                 "least %d digits from position %d)",
                                 kShortestCompanyPrefix, start));
  }
  if (auto fault = FirstNonDigit(s, start, start + kShortestCompanyPrefix)) {
    fault->reason += " (a GS1 company prefix is digits)";
    return fault;
  }
  return std::nullopt;
}

LintResult LintGcpPos1(absl::string_view s) {
  return LintCompanyPrefixAt(s, 0);
}
LintResult LintGcpPos2(absl::string_view s) {
  return LintCompanyPrefixAt(s, 1);
}

// --- Dates and times ---------------------------------------------------------

// Days in `month` of `year`, from the civil calendar.
int DaysInMonth(int year, int month) {
  const absl::CivilMonth first(year, month);
  return static_cast<int>(absl::CivilDay(first + 1) - absl::CivilDay(first));
}

// A date of `year_digits` (2 or 4) year digits, then MM and DD. With
// `day_zero`, day 00 (a month's last day, §7.12) is allowed.
//
// A two-digit year's century depends on the day the barcode is read (§7.12),
// which a linter does not know, so 29 February is accepted when the year
// could be a leap year in some century: when YY is a multiple of 4 (00 could
// be 2000). The parser that resolves the century checks the day again.
LintResult CheckDate(absl::string_view s, int year_digits, bool day_zero) {
  const std::size_t want = static_cast<std::size_t>(year_digits) + 4;
  const char* layout = year_digits == 2 ? "YYMMDD" : "YYYYMMDD";
  if (s.size() != want) {
    return AtEnd(s, absl::StrFormat("a date has %d digits (%s), not %d", want,
                                    layout, s.size()));
  }
  if (auto fault = FirstNonDigit(s)) return fault;
  const std::size_t m = static_cast<std::size_t>(year_digits);
  const int year = DigitsValue(s.substr(0, m));
  const int month = DigitsValue(s.substr(m, 2));
  const int day = DigitsValue(s.substr(m + 2, 2));
  if (month < 1 || month > 12) {
    return Fault{m, absl::StrFormat("month %02d is not a valid month", month)};
  }
  if (day == 0) {
    if (day_zero) return std::nullopt;
    return Fault{m + 2, "day 00 is not a valid day here"};
  }
  // 2000 + YY is a leap year exactly when YY is a multiple of 4.
  const int calendar_year = year_digits == 2 ? 2000 + year : year;
  if (day > DaysInMonth(calendar_year, month)) {
    std::string reason;
    if (year_digits == 4) {
      reason = absl::StrFormat("day %02d does not exist in %04d-%02d", day,
                               year, month);
    } else if (month == 2 && day == 29) {
      reason = absl::StrFormat(
          "day 29 does not exist in month 02 of a year ending in %02d (not a "
          "leap year)",
          year);
    } else {
      reason =
          absl::StrFormat("day %02d does not exist in month %02d", day, month);
    }
    return Fault{m + 2, std::move(reason)};
  }
  return std::nullopt;
}

LintResult LintYymmd0(absl::string_view s) { return CheckDate(s, 2, true); }
LintResult LintYymmdd(absl::string_view s) { return CheckDate(s, 2, false); }
LintResult LintYyyymmd0(absl::string_view s) { return CheckDate(s, 4, true); }
LintResult LintYyyymmdd(absl::string_view s) { return CheckDate(s, 4, false); }

// Two digits at `at` (hour, minute or second) no greater than `max`.
LintResult CheckClockField(absl::string_view s, std::size_t at, int max,
                           const char* what) {
  if (auto fault = FirstNonDigit(s, at, at + 2)) return fault;
  const int value = DigitsValue(s.substr(at, 2));
  if (value > max) {
    return Fault{at, absl::StrFormat("%s %02d is not a valid %s (00-%02d)",
                                     what, value, what, max)};
  }
  return std::nullopt;
}

LintResult CheckLength(absl::string_view s, std::size_t want,
                       const char* what) {
  if (s.size() == want) return std::nullopt;
  return AtEnd(
      s, absl::StrFormat("%s has %d digits, not %d", what, want, s.size()));
}

LintResult LintHh(absl::string_view s) {
  if (auto fault = CheckLength(s, 2, "an hour (HH)")) return fault;
  return CheckClockField(s, 0, 23, "hour");
}

LintResult LintMi(absl::string_view s) {
  if (auto fault = CheckLength(s, 2, "a minute (MI)")) return fault;
  return CheckClockField(s, 0, 59, "minute");
}

LintResult LintSs(absl::string_view s) {
  if (auto fault = CheckLength(s, 2, "a second (SS)")) return fault;
  return CheckClockField(s, 0, 59, "second");
}

LintResult LintHhmi(absl::string_view s) {
  if (auto fault = CheckLength(s, 4, "a time (HHMI)")) return fault;
  if (auto fault = CheckClockField(s, 0, 23, "hour")) return fault;
  return CheckClockField(s, 2, 59, "minute");
}

// --- Code lists --------------------------------------------------------------

// A code of a list: `what` names the list, `length` is its codes' length (0
// if they vary).
LintResult CheckCode(absl::string_view s, bool listed, std::size_t length,
                     absl::string_view what) {
  if (listed) return std::nullopt;
  std::string reason = absl::StrCat(ShowValue(s), " is not ", what);
  if (length != 0 && s.size() != length) {
    return AtEnd(
        s, absl::StrCat(reason, length == 1 ? " (one character)"
                                            : absl::StrFormat(
                                                  " (%d characters)", length)));
  }
  return AtStart(std::move(reason));
}

LintResult LintIso3166(absl::string_view s) {
  return CheckCode(s, InList(kIso3166Numeric, s), 3,
                   "an ISO 3166 country code");
}

LintResult LintIso3166999(absl::string_view s) {
  return CheckCode(s, s == "999" || InList(kIso3166Numeric, s), 3,
                   "an ISO 3166 country code or 999");
}

LintResult LintIso3166Alpha2(absl::string_view s) {
  return CheckCode(s, InList(kIso3166Alpha2, s), 2,
                   "an ISO 3166 alpha-2 country code");
}

LintResult LintIso4217(absl::string_view s) {
  return CheckCode(s, InList(kIso4217Numeric, s), 3,
                   "an ISO 4217 currency code");
}

LintResult LintIso5218(absl::string_view s) {
  return CheckCode(s, s == "0" || s == "1" || s == "2" || s == "9", 1,
                   "an ISO 5218 sex code (0 not known, 1 male, 2 female, 9 "
                   "not applicable)");
}

LintResult LintPackageType(absl::string_view s) {
  return CheckCode(s, InList(kPackageTypes, s), 0,
                   "a package type code of UN/ECE Recommendation 21");
}

// AIDC media types: 01-10 assigned by GS1, 80-99 company internal.
LintResult LintMediaType(absl::string_view s) {
  bool listed = false;
  if (s.size() == 2 && AllDigits(s)) {
    const int value = DigitsValue(s);
    listed = (value >= 1 && value <= 10) || value >= 80;
  }
  return CheckCode(s, listed, 2, "an AIDC media type (01-10 or 80-99)");
}

// The importer index of an EU 2018/574 facility or machine id: one letter,
// digit, '-' or '_'.
LintResult LintImporterIdx(absl::string_view s) {
  const bool listed =
      s.size() == 1 && (IsDigit(s[0]) || IsUpper(s[0]) || IsLower(s[0]) ||
                        s[0] == '-' || s[0] == '_');
  return CheckCode(s, listed, 1,
                   "an importer index (a letter, a digit, '-' or '_')");
}

// --- Single values -----------------------------------------------------------

LintResult LintYesNo(absl::string_view s) {
  return CheckCode(s, s == "0" || s == "1", 1, "0 (no) or 1 (yes)");
}

LintResult LintWinding(absl::string_view s) {
  return CheckCode(s, s == "0" || s == "1" || s == "9", 1,
                   "a winding direction (0 face in, 1 face out, 9 "
                   "undetermined)");
}

LintResult LintZero(absl::string_view s) {
  if (!s.empty() && s.find_first_not_of('0') == absl::string_view::npos) {
    return std::nullopt;
  }
  return AtStart(absl::StrCat("must be zero, not ", ShowValue(s)));
}

LintResult LintNonZero(absl::string_view s) {
  if (auto fault = FirstNonDigit(s)) return fault;
  if (s.find_first_not_of('0') == absl::string_view::npos) {
    return AtStart("must not be zero");
  }
  return std::nullopt;
}

LintResult LintNoZeroPrefix(absl::string_view s) {
  if (auto fault = FirstNonDigit(s)) return fault;
  if (!s.empty() && s[0] == '0') {
    return Fault{0, "must not start with 0"};
  }
  return std::nullopt;
}

LintResult LintHasNonDigit(absl::string_view s) {
  if (!AllDigits(s)) return std::nullopt;
  return AtStart("must hold at least one character that is not a digit");
}

LintResult LintHyphen(absl::string_view s) {
  if (!s.empty() && s.find_first_not_of('-') == absl::string_view::npos) {
    return std::nullopt;
  }
  return AtStart(absl::StrCat("must be a hyphen ('-'), not ", ShowValue(s)));
}

// Compares two runs of digits as numbers. REQUIRES: digits only.
int CompareNumbers(absl::string_view a, absl::string_view b) {
  const auto strip = [](absl::string_view s) {
    const std::size_t first = s.find_first_not_of('0');
    return first == absl::string_view::npos ? absl::string_view()
                                            : s.substr(first);
  };
  a = strip(a);
  b = strip(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b);
}

// AI (4309): latitude as (degrees + 90) x 10^7, longitude as (degrees + 180)
// x 10^7, 10 digits each.
LintResult CheckCoordinate(absl::string_view s, const char* what,
                           absl::string_view max, const char* max_meaning) {
  if (s.size() != 10) {
    return AtEnd(s,
                 absl::StrFormat("a %s has 10 digits, not %d", what, s.size()));
  }
  if (auto fault = FirstNonDigit(s)) return fault;
  if (CompareNumbers(s, max) > 0) {
    return AtStart(absl::StrFormat("%s %s is above %s (%s)", what,
                                   std::string(s), std::string(max),
                                   max_meaning));
  }
  return std::nullopt;
}

LintResult LintLatitude(absl::string_view s) {
  return CheckCoordinate(s, "latitude", "1800000000", "90 degrees north");
}

LintResult LintLongitude(absl::string_view s) {
  return CheckCoordinate(s, "longitude", "3600000000", "180 degrees east");
}

// AI (8006)/(8026): piece number then total count, with as many digits each.
LintResult LintPieceOfTotal(absl::string_view s) {
  if (s.empty() || s.size() % 2 != 0) {
    return AtEnd(s,
                 "the piece number and the total need the same "
                 "number of digits");
  }
  if (auto fault = FirstNonDigit(s)) return fault;
  const std::size_t half = s.size() / 2;
  const absl::string_view piece = s.substr(0, half);
  const absl::string_view total = s.substr(half);
  if (CompareNumbers(piece, "0") == 0) {
    return Fault{0, "piece number 0 does not exist (pieces count from 1)"};
  }
  if (CompareNumbers(total, "0") == 0) {
    return Fault{half, "a total of 0 pieces is not possible"};
  }
  if (CompareNumbers(piece, total) > 0) {
    return AtStart(absl::StrCat("piece ", piece, " of ", total,
                                ": the piece number is greater than "
                                "the total"));
  }
  return std::nullopt;
}

// AI (7258): "position/total", numbers without leading zeros.
LintResult LintPosInSeqSlash(absl::string_view s) {
  const std::size_t slash = s.find('/');
  if (slash == absl::string_view::npos || slash == 0 || slash + 1 == s.size() ||
      !AllDigits(s.substr(0, slash)) || !AllDigits(s.substr(slash + 1))) {
    return AtStart(absl::StrCat(ShowValue(s),
                                " is not a position in a sequence "
                                "(position/total, e.g. 1/3)"));
  }
  const absl::string_view position = s.substr(0, slash);
  const absl::string_view total = s.substr(slash + 1);
  if (position[0] == '0') {
    return Fault{0, "the position must not start with 0"};
  }
  if (total[0] == '0') {
    return Fault{slash + 1, "the total must not start with 0"};
  }
  if (CompareNumbers(position, total) > 0) {
    return AtStart(absl::StrCat("position ", position,
                                " is after the end of the sequence (", total,
                                ")"));
  }
  return std::nullopt;
}

// --- Text --------------------------------------------------------------------

bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

// pcenc: every '%' starts a percent-encoded byte, '%' and two hex digits.
LintResult LintPcenc(absl::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    if (i + 2 < s.size() && IsHexDigit(s[i + 1]) && IsHexDigit(s[i + 2])) {
      i += 2;
      continue;
    }
    const absl::string_view bad = s.substr(i, 3);
    return Fault{i, absl::StrCat(ShowValue(bad),
                                 " is not a percent-encoded byte ('%' and two "
                                 "hexadecimal digits)")};
  }
  return std::nullopt;
}

// ISO 13616 IBAN: country code (ISO 3166 alpha-2), two check digits, then up
// to 30 digits and upper-case letters; 34 characters at most. Valid when the
// number formed by moving the first four characters to the end, letters
// counted as 10 (A) to 35 (Z), is 1 modulo 97.
LintResult LintIban(absl::string_view s) {
  constexpr std::size_t kShortest = 5;
  constexpr std::size_t kLongest = 34;
  if (s.size() < kShortest) {
    return AtEnd(s, absl::StrFormat("not a valid IBAN: too short (%d "
                                    "characters, at least %d)",
                                    s.size(), kShortest));
  }
  if (s.size() > kLongest) {
    return AtEnd(s, absl::StrFormat("not a valid IBAN: too long (%d "
                                    "characters, at most %d)",
                                    s.size(), kLongest));
  }
  const absl::string_view country = s.substr(0, 2);
  if (!InList(kIso3166Alpha2, country)) {
    return Fault{0, absl::StrCat("not a valid IBAN: ", ShowValue(country),
                                 " is not an ISO 3166 country code")};
  }
  if (auto fault = FirstNonDigit(s, 2, 4)) {
    fault->reason = absl::StrCat("not a valid IBAN: ", fault->reason,
                                 " (the check digits)");
    return fault;
  }
  for (std::size_t i = 4; i < s.size(); ++i) {
    if (!IsDigit(s[i]) && !IsUpper(s[i])) {
      return Fault{i, absl::StrCat("not a valid IBAN: ", ShowChar(s[i]),
                                   " is not a digit or an upper-case letter")};
    }
  }
  // Remainder modulo 97 of BBAN + country + "00"; the check digits are
  // 98 minus it.
  int remainder = 0;
  const auto add = [&remainder](char c) {
    const int value = IsDigit(c) ? c - '0' : c - 'A' + 10;
    remainder = (remainder * (value < 10 ? 10 : 100) + value) % 97;
  };
  for (char c : s.substr(4)) add(c);
  for (char c : country) add(c);
  add('0');
  add('0');
  const int expected = 98 - remainder;
  const int actual = DigitsValue(s.substr(2, 2));
  if (actual != expected) {
    return Fault{2, absl::StrFormat("not a valid IBAN: check digits %02d, "
                                    "expected %02d",
                                    actual, expected)};
  }
  return std::nullopt;
}

// --- Coupons -----------------------------------------------------------------

// Reads a coupon's digit fields left to right; each Read* names the field in
// its fault. REQUIRES: all digits (checked first).
class CouponReader {
 public:
  explicit CouponReader(absl::string_view s) : s_(s) {}

  std::size_t position() const { return pos_; }
  bool Done() const { return pos_ == s_.size(); }
  // Steps over an optional field's indicator digit. REQUIRES: !Done().
  void SkipIndicator() { ++pos_; }

  // One digit that must be one of `allowed`.
  LintResult ReadCode(absl::string_view field, absl::string_view allowed,
                      absl::string_view allowed_text, int* value) {
    if (Done()) return Missing(field);
    const char c = s_[pos_];
    if (allowed.find(c) == absl::string_view::npos) {
      return Fault{pos_, absl::StrCat(field, " is ", std::string(1, c),
                                      ", not ", allowed_text)};
    }
    *value = c - '0';
    ++pos_;
    return std::nullopt;
  }

  // `count` digits.
  LintResult ReadDigits(absl::string_view field, std::size_t count,
                        absl::string_view* digits) {
    const std::size_t left = s_.size() - pos_;
    if (left < count) {
      return Fault{s_.size(),
                   absl::StrFormat("%s is cut short: %d digits expected, %d "
                                   "present",
                                   field, count, left)};
    }
    *digits = s_.substr(pos_, count);
    pos_ += count;
    return std::nullopt;
  }

  // A length digit in [min_vli, max_vli] then (length digit + `add`) digits.
  LintResult ReadVariable(absl::string_view field, int min_vli, int max_vli,
                          int add) {
    const std::string allowed_digits = AllowedDigits(min_vli, max_vli);
    int vli = 0;
    if (auto fault = ReadCode(
            absl::StrCat("the length digit of the ", field), allowed_digits,
            absl::StrFormat("%d-%d", min_vli, max_vli), &vli)) {
      return fault;
    }
    absl::string_view ignored;
    return ReadDigits(absl::StrCat("the ", field),
                      static_cast<std::size_t>(vli + add), &ignored);
  }

  // A GS1 Company Prefix: length digit 0-6 for 6-12 digits, or, when
  // `none_allowed`, 9 for none (the primary company prefix applies).
  LintResult ReadCompanyPrefix(absl::string_view field, bool none_allowed) {
    if (none_allowed && !Done() && s_[pos_] == '9') {
      ++pos_;
      return std::nullopt;
    }
    if (Done()) return Missing(absl::StrCat("the length digit of the ", field));
    const absl::string_view allowed = "0123456";
    if (allowed.find(s_[pos_]) == absl::string_view::npos) {
      return Fault{pos_, absl::StrCat("the length digit of the ", field, " is ",
                                      std::string(1, s_[pos_]), ", not 0-6",
                                      none_allowed ? " or 9" : "")};
    }
    return ReadVariable(field, 0, 6, 6);
  }

  // A purchase requirement: length digit 1-5 and that many digits, a
  // requirement code (0-4 or 9) and a 3-digit family code.
  LintResult ReadPurchase(absl::string_view which) {
    if (auto fault = ReadVariable(absl::StrCat(which, " purchase requirement"),
                                  1, 5, 0)) {
      return fault;
    }
    int code = 0;
    if (auto fault =
            ReadCode(absl::StrCat("the ", which, " purchase requirement code"),
                     "012349", "0-4 or 9", &code)) {
      return fault;
    }
    absl::string_view family;
    return ReadDigits(absl::StrCat("the ", which, " purchase family code"), 3,
                      &family);
  }

  // A YYMMDD date, day 00 not allowed.
  LintResult ReadDate(absl::string_view field, absl::string_view* date) {
    if (auto fault = ReadDigits(absl::StrCat("the ", field), 6, date)) {
      return fault;
    }
    if (auto fault = CheckDate(*date, 2, /*day_zero=*/false)) {
      return Fault{pos_ - 6,
                   absl::StrCat("the ", field, " ", *date,
                                " is not a valid date: ", fault->reason)};
    }
    return std::nullopt;
  }

  LintResult Missing(absl::string_view field) const {
    return AtEnd(s_, absl::StrCat("the coupon ends before ", field));
  }

 private:
  static std::string AllowedDigits(int from, int to) {
    std::string digits;
    for (int d = from; d <= to; ++d)
      digits.push_back(static_cast<char>('0' + d));
    return digits;
  }

  absl::string_view s_;
  std::size_t pos_ = 0;
};

// AI (8110), the North American coupon code: the required fields, then the
// optional fields 1-6 and 9, each at most once and in that order.
LintResult LintCouponCode(absl::string_view s) {
  if (auto fault = FirstNonDigit(s)) return fault;
  CouponReader r(s);
  absl::string_view offer;
  if (auto f = r.ReadCompanyPrefix("primary company prefix", false)) return f;
  if (auto f = r.ReadDigits("the offer code", 6, &offer)) return f;
  if (auto f = r.ReadVariable("save value", 1, 5, 0)) return f;
  if (auto f = r.ReadPurchase("primary")) return f;

  int last_field = 0;
  std::optional<std::size_t> expiry_at;
  absl::string_view expiry;
  while (!r.Done()) {
    const std::size_t at = r.position();
    const int field = s[at] - '0';
    const bool known = (field >= 1 && field <= 6) || field == 9;
    if (!known || field <= last_field) {
      return Fault{at,
                   absl::StrFormat("unexpected %c after the coupon's fields "
                                   "(optional fields are 1-6 and 9, each "
                                   "once, in that order)",
                                   s[at])};
    }
    last_field = field;
    int ignored = 0;
    absl::string_view date;
    r.SkipIndicator();
    LintResult fault;
    switch (field) {
      case 1:
        if ((fault = r.ReadCode("the additional purchase rules code", "0123",
                                "0-3", &ignored))) {
          return fault;
        }
        if ((fault = r.ReadPurchase("second"))) return fault;
        fault = r.ReadCompanyPrefix("second purchase company prefix", true);
        break;
      case 2:
        if ((fault = r.ReadPurchase("third"))) return fault;
        fault = r.ReadCompanyPrefix("third purchase company prefix", true);
        break;
      case 3:
        fault = r.ReadDate("expiration date", &date);
        expiry_at = at;
        expiry = date;
        break;
      case 4:
        fault = r.ReadDate("start date", &date);
        // YYMMDD compares as text within one century; a coupon spanning
        // the turn of a century is not foreseen.
        if (!fault && expiry_at && expiry < date) {
          return Fault{*expiry_at,
                       absl::StrCat("the coupon expires (", expiry,
                                    ") before it starts (", date, ")")};
        }
        break;
      case 5:
        fault = r.ReadVariable("serial number", 0, 9, 6);
        break;
      case 6:
        fault = r.ReadVariable("retailer company prefix or GLN", 1, 7, 6);
        break;
      case 9:
        if ((fault = r.ReadCode("the save value code", "01256",
                                "0, 1, 2, 5 or 6", &ignored))) {
          return fault;
        }
        if ((fault = r.ReadCode("the save value applies-to-item code", "012",
                                "0-2", &ignored))) {
          return fault;
        }
        if ((fault = r.ReadCode("the store coupon flag", "0123456789",
                                "a digit", &ignored))) {
          return fault;
        }
        fault = r.ReadCode("the don't-multiply flag", "01", "0 or 1", &ignored);
        break;
    }
    if (fault) return fault;
  }
  return std::nullopt;
}

// AI (8112), a paperless coupon's positive offer file reference: format code
// (0 or 1), funder company prefix (length digit 0-6 for 6-12 digits), offer
// code (6 digits), serial number (length digit 0-9 for 6-15 digits).
LintResult LintCouponPosOffer(absl::string_view s) {
  if (auto fault = FirstNonDigit(s)) return fault;
  CouponReader r(s);
  int format = 0;
  absl::string_view offer;
  if (auto f = r.ReadCode("the format code", "01", "0 or 1", &format)) return f;
  if (auto f = r.ReadVariable("funder company prefix", 0, 6, 6)) return f;
  if (auto f = r.ReadDigits("the offer code", 6, &offer)) return f;
  if (auto f = r.ReadVariable("serial number", 0, 9, 6)) return f;
  if (!r.Done()) {
    return Fault{r.position(), "unexpected data after the serial number"};
  }
  return std::nullopt;
}

// --- The table ---------------------------------------------------------------

struct Linter {
  absl::string_view name;
  LintResult (*run)(absl::string_view component);
};

// Sorted by name, for binary search. Every linter the syntax dictionary
// names, and yyyymmd0, which the engine defines for future AIs.
constexpr Linter kLinters[] = {
    {"couponcode", LintCouponCode},
    {"couponposoffer", LintCouponPosOffer},
    {"csum", LintCsum},
    {"csumalpha", LintCsumAlpha},
    {"gcppos1", LintGcpPos1},
    {"gcppos2", LintGcpPos2},
    {"hasnondigit", LintHasNonDigit},
    {"hh", LintHh},
    {"hhmi", LintHhmi},
    {"hyphen", LintHyphen},
    {"iban", LintIban},
    {"importeridx", LintImporterIdx},
    {"iso3166", LintIso3166},
    {"iso3166999", LintIso3166999},
    {"iso3166alpha2", LintIso3166Alpha2},
    {"iso4217", LintIso4217},
    {"iso5218", LintIso5218},
    {"latitude", LintLatitude},
    {"longitude", LintLongitude},
    {"mediatype", LintMediaType},
    {"mi", LintMi},
    {"nonzero", LintNonZero},
    {"nozeroprefix", LintNoZeroPrefix},
    {"packagetype", LintPackageType},
    {"pcenc", LintPcenc},
    {"pieceoftotal", LintPieceOfTotal},
    {"posinseqslash", LintPosInSeqSlash},
    {"ss", LintSs},
    {"winding", LintWinding},
    {"yesno", LintYesNo},
    {"yymmd0", LintYymmd0},
    {"yymmdd", LintYymmdd},
    {"yyyymmd0", LintYyyymmd0},
    {"yyyymmdd", LintYyyymmdd},
    {"zero", LintZero},
};

const Linter* FindLinter(absl::string_view name) {
  const auto it = std::lower_bound(
      std::begin(kLinters), std::end(kLinters), name,
      [](const Linter& l, absl::string_view n) { return l.name < n; });
  if (it == std::end(kLinters) || it->name != name) return nullptr;
  return &*it;
}

}  // namespace

std::optional<Gs1LintError> RunGs1Linter(std::string_view name_in,
                                         std::string_view component_in) {
  const absl::string_view name(name_in.data(), name_in.size());
  const absl::string_view component(component_in.data(), component_in.size());
  const Linter* linter = FindLinter(name);
  if (linter == nullptr) {
    return Gs1LintError{component.size(),
                        absl::StrCat("no check named ", ShowValue(name))};
  }
  std::optional<Fault> fault = linter->run(component);
  if (!fault) return std::nullopt;
  return Gs1LintError{fault->offset, std::move(fault->reason)};
}

bool IsKnownGs1Linter(std::string_view name) {
  return FindLinter(absl::string_view(name.data(), name.size())) != nullptr;
}

std::vector<std::string_view> Gs1LinterNames() {
  std::vector<std::string_view> names;
  for (const Linter& linter : kLinters) {
    names.emplace_back(linter.name.data(), linter.name.size());
  }
  return names;
}

}  // namespace smptrace::domain
