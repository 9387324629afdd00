// Barcode scan parsing: GS1 element strings and human-readable text, plain
// GTINs, HIBC LIC. See gs1.h for the contract.
//
// Sources:
//  * GS1 General Specifications: the AI formats and pairing rules through the
//    GS1 Barcode Syntax Dictionary (gs1_ai_table.h), §7.9 (mod-10 check
//    digit), §7.12 (century of a two-digit year), its rules on transmitting
//    FNC1 as GS and composite symbols ("|]e0"), and the AIM symbology
//    identifiers (ISO/IEC 15424) ]C1 ]d2 ]Q3 ]e0 ]J1 ]E0 ]E4 of GS1 carriers.
//  * ANSI/HIBC 2.6 Supplier Labeling Standard (HIBCC), as summarised in the
//    BWIPP "HIBC Data Structures" notes and HIBCC's own modulus-43 page
//    (hibcc.org/m43/terms.htm): primary data "+ LIC(4) PCN(1-18) U(1) C",
//    secondary data "$lot", "$+serial", "$$[+][8QQ|9QQQQQ][date format]lot",
//    old-style "YYJJJlot", supplemental "/14D", "/16D", "/S", "/Q" segments.
//    The section numbers of the standard were not available to us; the
//    comments below name the data structures instead.

#include "service/domain/gs1.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/status_macros.h"
#include "service/domain/gs1_ai_table.h"
#include "service/domain/gs1_chars.h"
#include "service/domain/gs1_digital_link.h"

namespace smptrace::domain {
namespace {

constexpr char kGroupSeparator = '\x1d';

// --- Characters --------------------------------------------------------------

// Letters and digits: the HIBC LIC, PCN, lot and serial characters.
bool IsHibcAlphanumeric(char c) { return IsGs1Digit(c) || IsGs1Upper(c); }

// Value of a run of digits. REQUIRES: all digits, at most 18 of them.
int64_t DigitsValue(absl::string_view digits) {
  int64_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// The GS1 mod-10 check digit: weights 3, 1, 3, ... from the rightmost digit
// (General Specifications §7.9). '\0' if there is a non-digit.
char Mod10CheckDigit(absl::string_view digits) {
  int sum = 0;
  int weight = 3;
  for (size_t i = digits.size(); i > 0; --i) {
    const char c = digits[i - 1];
    if (!IsGs1Digit(c)) return '\0';
    sum += (c - '0') * weight;
    weight = 4 - weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!IsGs1Digit(c)) return false;
  }
  return true;
}

// --- Errors ------------------------------------------------------------------

absl::Status PositionError(size_t position, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("position ", position, ": ", reason));
}

absl::Status AiError(size_t position, absl::string_view ai,
                     absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("position ", position, ": AI (", ai, "): ", reason));
}

absl::Status HibcError(size_t position, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("position ", position, ": hibc: ", reason));
}

// --- Dates -------------------------------------------------------------------

bool IsLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int64_t year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// GS1 General Specifications §7.12: the year is the one ending in `yy` that
// lies in reference_year-49 .. reference_year+50.
int64_t ResolveTwoDigitYear(int yy, int reference_year) {
  const int64_t reference = reference_year;
  int64_t century = reference / 100 * 100;
  if (reference % 100 < 0) century -= 100;  // floor for negative years
  const int64_t difference = yy - (reference - century);
  if (difference >= 51) century -= 100;
  if (difference <= -50) century += 100;
  return century + yy;
}

// A calendar day, checked: the month must be 01-12 and the day must exist.
// With `day_zero_is_last_day`, day 00 stands for the month's last day.
absl::StatusOr<absl::CivilDay> CheckedDay(int64_t year, int month, int day,
                                          bool day_zero_is_last_day) {
  if (month < 1 || month > 12) {
    return absl::InvalidArgumentError(
        absl::StrFormat("month %02d is not a valid month", month));
  }
  const int days_in_month = DaysInMonth(year, month);
  if (day == 0 && day_zero_is_last_day) day = days_in_month;
  if (day < 1 || day > days_in_month) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "day %02d does not exist in %04d-%02d", day, year, month));
  }
  return absl::CivilDay(year, month, day);
}

// YYMMDD, day 00 = last day of the month. REQUIRES: 6 digits.
absl::StatusOr<absl::CivilDay> ParseYymmdd(absl::string_view digits,
                                           int reference_year) {
  const int64_t year = ResolveTwoDigitYear(
      static_cast<int>(DigitsValue(digits.substr(0, 2))), reference_year);
  return CheckedDay(year, static_cast<int>(DigitsValue(digits.substr(2, 2))),
                    static_cast<int>(DigitsValue(digits.substr(4, 2))),
                    /*day_zero_is_last_day=*/true);
}

// YYJJJ (Julian day of the year, 001-365/366). REQUIRES: 5 digits.
absl::StatusOr<absl::CivilDay> ParseYyjjj(absl::string_view digits,
                                          int reference_year) {
  const int64_t year = ResolveTwoDigitYear(
      static_cast<int>(DigitsValue(digits.substr(0, 2))), reference_year);
  const int day_of_year = static_cast<int>(DigitsValue(digits.substr(2, 3)));
  const int days_in_year = IsLeapYear(year) ? 366 : 365;
  if (day_of_year < 1 || day_of_year > days_in_year) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "day of year %03d does not exist in %04d", day_of_year, year));
  }
  return absl::CivilDay(year, 1, 1) + (day_of_year - 1);
}

// --- GS1 application identifiers ---------------------------------------------

struct ParseContext {
  absl::string_view text;  // the whole input: positions are offsets in it
  char fnc1_substitute;
  int reference_year;

  bool IsSeparator(char c) const {
    return c == kGroupSeparator ||
           (fnc1_substitute != '\0' && c == fnc1_substitute);
  }
};

// Where each of item.elements starts in the input (its AI), for messages
// about rules between elements.
using ElementPositions = std::vector<size_t>;

// A YYMMDD value of one of the AIs smptrace keeps as a day: checked again
// with its century (29 February depends on it); day 00 means the month's
// last day.
absl::Status SetDay(const ParseContext& ctx, absl::string_view ai,
                    size_t value_pos, absl::string_view value,
                    std::optional<absl::CivilDay>& field) {
  absl::StatusOr<absl::CivilDay> day = ParseYymmdd(value, ctx.reference_year);
  if (!day.ok()) return AiError(value_pos, ai, day.status().message());
  field = *day;
  return absl::OkStatus();
}

// Fills the named ScannedItem field an AI has, if any. REQUIRES: `value`
// passed CheckGs1Value().
absl::Status SetNamedField(const ParseContext& ctx, absl::string_view ai,
                           size_t value_pos, absl::string_view value,
                           ScannedItem& item) {
  if (ai == "00") {
    item.sscc = std::string(value);
  } else if (ai == "01") {
    item.gtin = std::string(value);
  } else if (ai == "02") {
    item.content_gtin = std::string(value);
  } else if (ai == "10") {
    item.lot = std::string(value);
  } else if (ai == "11") {
    return SetDay(ctx, ai, value_pos, value, item.production_date);
  } else if (ai == "15") {
    return SetDay(ctx, ai, value_pos, value, item.best_before);
  } else if (ai == "17") {
    return SetDay(ctx, ai, value_pos, value, item.expiry);
  } else if (ai == "21") {
    item.serial = std::string(value);
  } else if (ai == "240") {
    item.additional_id = std::string(value);
  } else if (ai == "241") {
    item.customer_part_number = std::string(value);
  } else if (ai == "30") {
    item.variable_count = DigitsValue(value);
  } else if (ai == "37") {
    item.count = DigitsValue(value);
  }
  return absl::OkStatus();
}

// What messages call the value of an AI smptrace keeps in a named field
// ("lot is empty"); "" for the others ("value is empty").
absl::string_view FieldName(absl::string_view ai) {
  if (ai == "10") return "lot";
  if (ai == "21") return "serial";
  if (ai == "240") return "additional product id";
  if (ai == "241") return "customer part number";
  if (ai == "30") return "variable count";
  if (ai == "37") return "count";
  return "";
}

// Checks one element (AI at ai_pos, value at value_pos) against the AI
// table and adds it to `item`: to item.elements (a repeat of the same value
// once) and to its named field. `value_positions`, when given, is where each
// character of a value that was decoded (a Digital Link's percent-escapes)
// stands in the input, and one more entry for its end.
absl::Status ApplyElement(
    const ParseContext& ctx, const Gs1Ai& ai, size_t ai_pos, size_t value_pos,
    absl::string_view value, ElementPositions& positions, ScannedItem& item,
    const std::vector<size_t>* value_positions = nullptr) {
  if (std::optional<Gs1ValueError> error =
          CheckGs1Value(ai, std::string_view(value.data(), value.size()))) {
    std::string reason = std::move(error->reason);
    const absl::string_view name = FieldName(ai.ai);
    if (!name.empty() && absl::StartsWith(reason, "value ")) {
      reason = absl::StrCat(name, reason.substr(5));
    }
    const size_t at = value_positions == nullptr
                          ? value_pos + error->offset
                          : (*value_positions)[std::min(
                                error->offset, value_positions->size() - 1)];
    return AiError(at, ai.ai, reason);
  }
  for (const Gs1Element& seen : item.elements) {
    if (seen.ai != ai.ai) continue;
    if (seen.value == value) return absl::OkStatus();
    return PositionError(ai_pos,
                         absl::StrCat("AI (", ai.ai,
                                      ") appears twice with different "
                                      "values (",
                                      seen.value, ", then ", value, ")"));
  }
  SMPTRACE_RETURN_IF_ERROR(SetNamedField(ctx, ai.ai, value_pos, value, item));
  item.elements.push_back({ai.ai, std::string(value)});
  positions.push_back(ai_pos);
  return absl::OkStatus();
}

// The req= and ex= rules of the GS1 General Specifications over all the
// elements of the scan.
absl::Status CheckPairing(const ScannedItem& item,
                          const ElementPositions& positions) {
  std::optional<Gs1PairingError> error = CheckGs1Pairing(item.elements);
  if (!error.has_value()) return absl::OkStatus();
  return PositionError(positions[error->element_index], error->reason);
}

absl::Status UnknownAiError(size_t pos, absl::string_view ai) {
  return PositionError(
      pos, absl::StrCat("unknown application identifier (", ai, ")"));
}

// Raw element string: AIs back to back, a separator after each value whose
// AI is not of GS1's predefined length, unless it is last (a separator after
// a predefined-length value is tolerated).
absl::Status ParseElementString(const ParseContext& ctx, size_t begin,
                                size_t end, ElementPositions& positions,
                                ScannedItem& item) {
  const absl::string_view text = ctx.text;
  size_t pos = begin;
  while (pos < end) {
    const char c = text[pos];
    if (ctx.IsSeparator(c)) {
      return PositionError(pos, "unexpected FNC1 separator: empty element");
    }
    if (!IsGs1Digit(c)) {
      return PositionError(
          pos, BadGs1CharReason(c, "is not an application identifier"));
    }
    const absl::string_view rest = text.substr(pos, end - pos);
    const Gs1Ai* ai =
        FindGs1AiPrefix(std::string_view(rest.data(), rest.size()));
    if (ai == nullptr) {
      size_t digits = 0;
      while (pos + digits < end && digits < 4 &&
             IsGs1Digit(text[pos + digits])) {
        ++digits;
      }
      if (digits < 2) {
        if (pos + digits == end) {
          return PositionError(
              pos, absl::StrCat("truncated application identifier (",
                                text.substr(pos, digits), ")"));
        }
        return PositionError(
            pos + digits,
            BadGs1CharReason(text[pos + digits],
                             "is not a digit of an application identifier"));
      }
      const absl::string_view prefix = text.substr(pos, 2);
      size_t ai_length =
          Gs1AiLengthForPrefix(std::string_view(prefix.data(), prefix.size()));
      if (ai_length == 0) ai_length = 2;
      return UnknownAiError(pos, text.substr(pos, std::min(ai_length, digits)));
    }
    const size_t value_pos = pos + ai->ai.size();
    const size_t max_length = static_cast<size_t>(ai->max_length());
    size_t value_end = value_pos;
    while (value_end < end && !ctx.IsSeparator(text[value_end]) &&
           (ai->fnc1_required || value_end - value_pos < max_length)) {
      ++value_end;
    }
    SMPTRACE_RETURN_IF_ERROR(ApplyElement(
        ctx, *ai, pos, value_pos, text.substr(value_pos, value_end - value_pos),
        positions, item));
    pos = value_end;
    if (pos < end && ctx.IsSeparator(text[pos])) ++pos;
  }
  return absl::OkStatus();
}

// Length of "(" 2-4 digits ")" at text[pos], or 0 if there is none.
size_t HumanReadableAiLength(absl::string_view text, size_t pos, size_t end) {
  if (pos >= end || text[pos] != '(') return 0;
  size_t q = pos + 1;
  while (q < end && q - pos <= 5 && IsGs1Digit(text[q])) ++q;
  const size_t digits = q - pos - 1;
  if (q >= end || text[q] != ')' || digits < 2 || digits > 4) return 0;
  return digits + 2;
}

// "(01)09506000134352(17)261231(10)AB-12". A value runs to the next "(nn)";
// a lot containing "(nn)" cannot be read from this form.
absl::Status ParseHumanReadable(const ParseContext& ctx, size_t begin,
                                size_t end, ElementPositions& positions,
                                ScannedItem& item) {
  const absl::string_view text = ctx.text;
  size_t pos = begin;
  while (pos < end) {
    const size_t ai_length = HumanReadableAiLength(text, pos, end);
    // Every value runs up to the next "(nn)", so only the first can miss it.
    if (ai_length == 0) {
      return PositionError(pos,
                           "malformed application identifier: expected '(', "
                           "2 to 4 digits and ')'");
    }
    const absl::string_view number = text.substr(pos + 1, ai_length - 2);
    const Gs1Ai* ai = FindGs1Ai(std::string_view(number.data(), number.size()));
    if (ai == nullptr) return UnknownAiError(pos, number);
    const size_t value_pos = pos + ai_length;
    size_t value_end = value_pos;
    while (value_end < end &&
           HumanReadableAiLength(text, value_end, end) == 0) {
      ++value_end;
    }
    SMPTRACE_RETURN_IF_ERROR(ApplyElement(
        ctx, *ai, pos, value_pos, text.substr(value_pos, value_end - value_pos),
        positions, item));
    pos = value_end;
  }
  return absl::OkStatus();
}

// A GS1 Digital Link URI (gs1_digital_link.h): its elements checked and kept
// like those of an element string, with the same pairing rules.
absl::Status ParseDigitalLink(const ParseContext& ctx, size_t begin, size_t end,
                              ElementPositions& positions, ScannedItem& item) {
  item.format = BarcodeFormat::kGs1DigitalLink;
  absl::StatusOr<std::vector<Gs1DigitalLinkElement>> elements =
      ReadGs1DigitalLink(std::string_view(ctx.text.data(), ctx.text.size()),
                         begin, end);
  if (!elements.ok()) return elements.status();
  for (const Gs1DigitalLinkElement& e : *elements) {
    SMPTRACE_RETURN_IF_ERROR(ApplyElement(ctx, *e.ai, e.ai_position,
                                          e.value_positions.front(), e.value,
                                          positions, item, &e.value_positions));
  }
  return CheckPairing(item, positions);
}

bool IsGtinLength(size_t length) {
  return length == 8 || length == 12 || length == 13 || length == 14;
}

// A GTIN-8/12/13/14 standing alone (EAN/UPC, ITF-14, typed): item.gtin and
// one (01) element, padded to 14 digits.
absl::Status ParsePlainGtin(const ParseContext& ctx, size_t begin, size_t end,
                            ElementPositions& positions, ScannedItem& item) {
  const absl::string_view digits = ctx.text.substr(begin, end - begin);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (!IsGs1Digit(digits[i])) {
      return PositionError(
          begin + i, BadGs1CharReason(digits[i], "is not a digit of a gtin"));
    }
  }
  if (!IsGtinLength(digits.size())) {
    return PositionError(begin, absl::StrCat("gtin has ", digits.size(),
                                             " digits, expected 8, 12, 13 "
                                             "or 14"));
  }
  const char expected = Mod10CheckDigit(digits.substr(0, digits.size() - 1));
  if (digits.back() != expected) {
    return PositionError(
        end - 1,
        absl::StrCat("gtin check digit is ", std::string(1, digits.back()),
                     ", expected ", std::string(1, expected)));
  }
  item.format = BarcodeFormat::kPlainGtin;
  item.gtin = std::string(14 - digits.size(), '0') + std::string(digits);
  item.elements.push_back({"01", item.gtin});
  positions.push_back(begin);
  return absl::OkStatus();
}

// --- HIBC LIC ----------------------------------------------------------------

// The modulus-43 character set, in value order (HIBCC, "Modulus 43 Check
// Character"): 0-9 = 0-9, A-Z = 10-35, '-' 36, '.' 37, ' ' 38, '$' 39,
// '/' 40, '+' 41, '%' 42.
constexpr absl::string_view kHibcCharacters =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";

int HibcValue(char c) {
  const size_t index = kHibcCharacters.find(c);
  return index == absl::string_view::npos ? -1 : static_cast<int>(index);
}

// HIBC modulus-43 check character: the character whose value is the sum of
// the values of `data`, modulo 43. '\0' if a character is outside the set.
char Mod43CheckCharacter(absl::string_view data) {
  int sum = 0;
  for (char c : data) {
    const int value = HibcValue(c);
    if (value < 0) return '\0';
    sum = (sum + value) % 43;
  }
  return kHibcCharacters[static_cast<size_t>(sum)];
}

std::string QuoteHibc(char c) {
  return absl::StrCat("'", std::string(1, c), "'");
}

constexpr size_t kHibcMaxProductLength = 18;
constexpr size_t kHibcMaxLotLength = 18;
// Lot after an old-style "YYJJJ" date.
constexpr size_t kHibcMaxJulianLotLength = 13;
constexpr size_t kHibcMaxQuantityDigits = 5;

// A run of `count` digits at seg[i] (seg starts at text position seg_pos).
absl::Status ExpectHibcDigits(absl::string_view seg, size_t seg_pos, size_t i,
                              size_t count, absl::string_view what) {
  for (size_t k = 0; k < count; ++k) {
    if (i + k >= seg.size()) {
      return HibcError(seg_pos + i, absl::StrCat(what, ": expected ", count,
                                                 " digits, found ", k));
    }
    if (!IsGs1Digit(seg[i + k])) {
      return HibcError(seg_pos + i + k,
                       absl::StrCat(what, ": ", DescribeGs1Char(seg[i + k]),
                                    " is not a digit"));
    }
  }
  return absl::OkStatus();
}

absl::Status SetHibcExpiry(absl::CivilDay day, size_t pos, ScannedItem& item) {
  if (item.expiry.has_value()) {
    return HibcError(pos, "expiry date appears more than once");
  }
  item.expiry = day;
  return absl::OkStatus();
}

absl::Status SetHibcQuantity(int64_t quantity, size_t pos, ScannedItem& item) {
  if (item.variable_count.has_value()) {
    return HibcError(pos, "quantity appears more than once");
  }
  item.variable_count = quantity;
  return absl::OkStatus();
}

// Lot or serial: letters and digits, 1..max_length (0 allowed if
// `may_be_empty`).
absl::Status SetHibcLotOrSerial(absl::string_view value, size_t pos,
                                bool is_serial, size_t max_length,
                                bool may_be_empty, ScannedItem& item) {
  const absl::string_view what = is_serial ? "serial" : "lot";
  for (size_t i = 0; i < value.size(); ++i) {
    if (!IsHibcAlphanumeric(value[i])) {
      return HibcError(pos + i,
                       absl::StrCat(what, ": ", DescribeGs1Char(value[i]),
                                    " is not a capital letter or digit"));
    }
  }
  if (value.size() > max_length) {
    return HibcError(pos, absl::StrCat(what, " is ", value.size(),
                                       " characters long, at most ", max_length,
                                       " allowed"));
  }
  if (value.empty()) {
    if (may_be_empty) return absl::OkStatus();
    return HibcError(pos, absl::StrCat(what, " is empty"));
  }
  std::string& field = is_serial ? item.serial : item.lot;
  if (!field.empty()) {
    return HibcError(pos, absl::StrCat(what, " appears more than once"));
  }
  field = std::string(value);
  return absl::OkStatus();
}

// The date after "$$" (or after its quantity), starting at the format digit
// seg[*i]; advances *i past it. Formats: 0/1 = MMYY (the digit is the first of
// the month), 2 = MMDDYY, 3 = YYMMDD, 4 = YYMMDDHH, 5 = YYJJJ, 6 = YYJJJHH,
// 7 = no date.
absl::Status ParseHibcDateField(const ParseContext& ctx, absl::string_view seg,
                                size_t seg_pos, size_t* i, ScannedItem& item) {
  const char format = seg[*i];
  const size_t format_pos = seg_pos + *i;
  if (format == '7') {
    ++*i;
    return absl::OkStatus();
  }
  if (format == '8' || format == '9') {
    return HibcError(format_pos,
                     absl::StrCat("quantity format ", std::string(1, format),
                                  " cannot follow a quantity"));
  }
  size_t digits_length = 0;
  absl::string_view pattern;
  switch (format) {
    case '0':
    case '1':
      digits_length = 4;
      pattern = "MMYY";
      break;
    case '2':
      digits_length = 6;
      pattern = "MMDDYY";
      break;
    case '3':
      digits_length = 6;
      pattern = "YYMMDD";
      break;
    case '4':
      digits_length = 8;
      pattern = "YYMMDDHH";
      break;
    case '5':
      digits_length = 5;
      pattern = "YYJJJ";
      break;
    default:
      // The caller passes a digit, and 7-9 were handled above.
      assert(format == '6');
      digits_length = 7;
      pattern = "YYJJJHH";
      break;
  }
  const size_t start = (format == '0' || format == '1') ? *i : *i + 1;
  const std::string what = absl::StrCat("expiry date (", pattern, ")");
  SMPTRACE_RETURN_IF_ERROR(
      ExpectHibcDigits(seg, seg_pos, start, digits_length, what));
  const absl::string_view d = seg.substr(start, digits_length);
  const size_t date_pos = seg_pos + start;
  auto two = [&](size_t at) {
    return static_cast<int>(DigitsValue(d.substr(at, 2)));
  };
  absl::StatusOr<absl::CivilDay> day;
  switch (format) {
    case '0':
    case '1':
      day = CheckedDay(ResolveTwoDigitYear(two(2), ctx.reference_year), two(0),
                       0, /*day_zero_is_last_day=*/true);
      break;
    case '2':
      day = CheckedDay(ResolveTwoDigitYear(two(4), ctx.reference_year), two(0),
                       two(2), /*day_zero_is_last_day=*/false);
      break;
    case '3':
    case '4':
      day = CheckedDay(ResolveTwoDigitYear(two(0), ctx.reference_year), two(2),
                       two(4), /*day_zero_is_last_day=*/false);
      break;
    default:  // '5', '6'
      day = ParseYyjjj(d.substr(0, 5), ctx.reference_year);
      break;
  }
  if (!day.ok()) {
    return HibcError(date_pos,
                     absl::StrCat(what, ": ", day.status().message()));
  }
  if (format == '4' || format == '6') {
    const int hour = two(digits_length - 2);
    if (hour > 23) {
      return HibcError(
          date_pos + digits_length - 2,
          absl::StrFormat("%s: hour %02d is not a valid hour", what, hour));
    }
  }
  *i = start + digits_length;
  return SetHibcExpiry(*day, date_pos, item);
}

// Secondary data: "$lot", "$+serial", "$$[+]<quantity/date formats>lot",
// or the old "YYJJJlot".
absl::Status ParseHibcSecondary(const ParseContext& ctx, absl::string_view seg,
                                size_t seg_pos, ScannedItem& item) {
  if (IsGs1Digit(seg[0])) {
    SMPTRACE_RETURN_IF_ERROR(
        ExpectHibcDigits(seg, seg_pos, 0, 5, "expiry date (YYJJJ)"));
    absl::StatusOr<absl::CivilDay> day =
        ParseYyjjj(seg.substr(0, 5), ctx.reference_year);
    if (!day.ok()) {
      return HibcError(seg_pos, absl::StrCat("expiry date (YYJJJ): ",
                                             day.status().message()));
    }
    SMPTRACE_RETURN_IF_ERROR(SetHibcExpiry(*day, seg_pos, item));
    return SetHibcLotOrSerial(seg.substr(5), seg_pos + 5, /*is_serial=*/false,
                              kHibcMaxJulianLotLength, /*may_be_empty=*/true,
                              item);
  }
  // seg[0] == '$'.
  const bool quantity_date_line = seg.size() >= 2 && seg[1] == '$';
  size_t i = quantity_date_line ? 2 : 1;
  const bool is_serial = i < seg.size() && seg[i] == '+';
  if (is_serial) ++i;
  if (!quantity_date_line) {
    return SetHibcLotOrSerial(seg.substr(i), seg_pos + i, is_serial,
                              kHibcMaxLotLength, /*may_be_empty=*/false, item);
  }
  const bool had_expiry = item.expiry.has_value();
  const bool had_quantity = item.variable_count.has_value();
  if (i < seg.size() && (seg[i] == '8' || seg[i] == '9')) {
    const size_t digits = seg[i] == '8' ? 2 : 5;
    const std::string what =
        absl::StrCat("quantity (format ", std::string(1, seg[i]), ")");
    SMPTRACE_RETURN_IF_ERROR(
        ExpectHibcDigits(seg, seg_pos, i + 1, digits, what));
    SMPTRACE_RETURN_IF_ERROR(SetHibcQuantity(
        DigitsValue(seg.substr(i + 1, digits)), seg_pos + i + 1, item));
    i += 1 + digits;
    // A date format may follow the quantity; a lot may follow directly.
    if (i < seg.size() && IsGs1Digit(seg[i])) {
      SMPTRACE_RETURN_IF_ERROR(ParseHibcDateField(ctx, seg, seg_pos, &i, item));
    }
  } else if (i < seg.size() && IsGs1Digit(seg[i])) {
    SMPTRACE_RETURN_IF_ERROR(ParseHibcDateField(ctx, seg, seg_pos, &i, item));
  } else {
    return HibcError(seg_pos + i,
                     "'$$' must be followed by a date format (0-7) or a "
                     "quantity format (8, 9)");
  }
  // After "$$7" a lot must follow; after a date or quantity it may be absent.
  const bool may_be_empty = item.expiry.has_value() != had_expiry ||
                            item.variable_count.has_value() != had_quantity;
  return SetHibcLotOrSerial(seg.substr(i), seg_pos + i, is_serial,
                            kHibcMaxLotLength, may_be_empty, item);
}

// Supplemental data segments of HIBC 2.6: "14D" YYYYMMDD expiry, "16D"
// YYYYMMDD date of manufacture, "S" serial, "Q" quantity.
absl::Status ParseHibcSupplemental(absl::string_view seg, size_t seg_pos,
                                   ScannedItem& item) {
  const bool is_expiry = seg.substr(0, 3) == "14D";
  if (is_expiry || seg.substr(0, 3) == "16D") {
    const std::string what = is_expiry ? "expiry date (14D YYYYMMDD)"
                                       : "production date (16D YYYYMMDD)";
    SMPTRACE_RETURN_IF_ERROR(ExpectHibcDigits(seg, seg_pos, 3, 8, what));
    if (seg.size() != 11) {
      return HibcError(seg_pos + 11, absl::StrCat(what, ": unexpected ",
                                                  DescribeGs1Char(seg[11]),
                                                  " after the date"));
    }
    const absl::string_view d = seg.substr(3);
    absl::StatusOr<absl::CivilDay> day =
        CheckedDay(DigitsValue(d.substr(0, 4)),
                   static_cast<int>(DigitsValue(d.substr(4, 2))),
                   static_cast<int>(DigitsValue(d.substr(6, 2))),
                   /*day_zero_is_last_day=*/false);
    if (!day.ok()) {
      return HibcError(seg_pos + 3,
                       absl::StrCat(what, ": ", day.status().message()));
    }
    if (is_expiry) return SetHibcExpiry(*day, seg_pos, item);
    if (item.production_date.has_value()) {
      return HibcError(seg_pos, "production date appears more than once");
    }
    item.production_date = *day;
    return absl::OkStatus();
  }
  if (seg[0] == 'S') {
    return SetHibcLotOrSerial(seg.substr(1), seg_pos + 1, /*is_serial=*/true,
                              kHibcMaxLotLength, /*may_be_empty=*/false, item);
  }
  // The caller passes only 14D, 16D, S and Q segments.
  assert(seg[0] == 'Q');
  const absl::string_view digits = seg.substr(1);
  if (digits.empty() || digits.size() > kHibcMaxQuantityDigits) {
    return HibcError(
        seg_pos + 1,
        absl::StrCat("quantity (Q) must have 1 to ", kHibcMaxQuantityDigits,
                     " digits, found ", digits.size()));
  }
  SMPTRACE_RETURN_IF_ERROR(
      ExpectHibcDigits(seg, seg_pos, 1, digits.size(), "quantity (Q)"));
  return SetHibcQuantity(DigitsValue(digits), seg_pos, item);
}

// Primary data: LIC (a letter and 3 letters/digits), PCN (1-18 letters or
// digits), unit of measure (a digit).
absl::Status ParseHibcPrimary(absl::string_view seg, size_t seg_pos,
                              ScannedItem& item) {
  if (seg.size() < 6) {
    return HibcError(seg_pos,
                     "primary data is too short: expected a 4-character "
                     "labeler code, a product number and a unit of measure");
  }
  for (size_t i = 0; i < seg.size(); ++i) {
    if (!IsHibcAlphanumeric(seg[i])) {
      return HibcError(seg_pos + i,
                       absl::StrCat("primary data: ", DescribeGs1Char(seg[i]),
                                    " is not a capital letter or digit"));
    }
  }
  const absl::string_view product = seg.substr(4, seg.size() - 5);
  if (product.size() > kHibcMaxProductLength) {
    return HibcError(seg_pos + 4,
                     absl::StrCat("product number is ", product.size(),
                                  " characters long, at most ",
                                  kHibcMaxProductLength, " allowed"));
  }
  if (!IsGs1Digit(seg.back())) {
    return HibcError(
        seg_pos + seg.size() - 1,
        absl::StrCat("unit of measure ", DescribeGs1Char(seg.back()),
                     " is not a digit"));
  }
  item.hibc_labeler = std::string(seg.substr(0, 4));
  item.hibc_product = std::string(product);
  item.hibc_unit_of_measure = seg.back() - '0';
  return absl::OkStatus();
}

// Splits text[begin, end) at '/' into (position, segment) pairs.
std::vector<std::pair<size_t, absl::string_view>> SplitHibcSegments(
    absl::string_view text, size_t begin, size_t end) {
  std::vector<std::pair<size_t, absl::string_view>> segments;
  size_t start = begin;
  for (size_t i = begin; i <= end; ++i) {
    if (i == end || text[i] == '/') {
      segments.emplace_back(start, text.substr(start, i - start));
      start = i + 1;
    }
  }
  return segments;
}

// Secondary and supplemental segments, in any order, each kind at most once.
absl::Status ParseHibcDataSegments(
    const ParseContext& ctx,
    const std::vector<std::pair<size_t, absl::string_view>>& segments,
    size_t first, ScannedItem& item) {
  bool have_secondary = false;
  for (size_t k = first; k < segments.size(); ++k) {
    const auto& [pos, seg] = segments[k];
    if (seg.empty()) return HibcError(pos, "empty data segment");
    const bool supplemental = seg.substr(0, 3) == "14D" ||
                              seg.substr(0, 3) == "16D" || seg[0] == 'S' ||
                              seg[0] == 'Q';
    if (supplemental) {
      SMPTRACE_RETURN_IF_ERROR(ParseHibcSupplemental(seg, pos, item));
    } else if (seg[0] == '$' || IsGs1Digit(seg[0])) {
      if (have_secondary) {
        return HibcError(pos, "secondary data appears more than once");
      }
      have_secondary = true;
      SMPTRACE_RETURN_IF_ERROR(ParseHibcSecondary(ctx, seg, pos, item));
    } else {
      return HibcError(pos, absl::StrCat("unknown data segment starting with ",
                                         DescribeGs1Char(seg[0])));
    }
  }
  return absl::OkStatus();
}

// text[begin, end) is "+...C" with C the modulus-43 check character of all
// before it. Shapes:
//   +PRIMARY C                    primary only; C doubles as link character
//   +PRIMARY/SECONDARY[/SUPP...]C primary and secondary in one symbol
//   +SECONDARY[/SUPP...] L C      separate secondary symbol, L = link
absl::Status ParseHibc(const ParseContext& ctx, size_t begin, size_t end,
                       ScannedItem& item) {
  const absl::string_view text = ctx.text;
  item.format = BarcodeFormat::kHibc;
  for (size_t i = begin; i < end; ++i) {
    if (HibcValue(text[i]) < 0) {
      return HibcError(i, BadGs1CharReason(text[i],
                                           "is not in the HIBC character set "
                                           "(0-9 A-Z - . space $ / + %)"));
    }
  }
  if (end - begin < 3) return HibcError(begin, "data is too short");
  const size_t check_pos = end - 1;
  const char expected =
      Mod43CheckCharacter(text.substr(begin, check_pos - begin));
  if (text[check_pos] != expected) {
    return HibcError(
        check_pos,
        absl::StrCat("check character is ", QuoteHibc(text[check_pos]),
                     ", expected ", QuoteHibc(expected)));
  }
  const size_t data_begin = begin + 1;
  const char first = text[data_begin];
  if (IsGs1Upper(first)) {
    const auto segments = SplitHibcSegments(text, data_begin, check_pos);
    SMPTRACE_RETURN_IF_ERROR(
        ParseHibcPrimary(segments[0].second, segments[0].first, item));
    if (segments.size() == 1) {
      item.hibc_link_character = text[check_pos];
      return absl::OkStatus();
    }
    return ParseHibcDataSegments(ctx, segments, 1, item);
  }
  if (first == '$' || IsGs1Digit(first)) {
    const size_t link_pos = check_pos - 1;
    if (link_pos <= data_begin) {
      return HibcError(data_begin,
                       "secondary data is missing before the link character");
    }
    item.hibc_link_character = text[link_pos];
    return ParseHibcDataSegments(
        ctx, SplitHibcSegments(text, data_begin, link_pos), 0, item);
  }
  return HibcError(data_begin,
                   absl::StrCat(DescribeGs1Char(first),
                                " after '+' starts neither a labeler code "
                                "(a letter) nor secondary data ('$' or a "
                                "digit)"));
}

// --- Symbology identifiers ---------------------------------------------------

enum class Carrier {
  kUnknown,  // no symbology identifier
  kGs1,      // GS1-128, GS1 DataBar and composites, GS1 DataMatrix, GS1 QR
             // Code, GS1 DotCode
  kEan13,    // EAN-13, UPC-A, UPC-E (13 digits)
  kEan8,     // EAN-8
  kHibc,     // Code 39, Code 128 without GS1 FNC1
  // QR Code, DataMatrix, DotCode without GS1 FNC1: HIBC, or a GS1 Digital
  // Link URI.
  kText2d,
};

// AIM symbology identifiers (ISO/IEC 15424) and the GS1 General
// Specifications' list of the identifiers of GS1 carriers.
std::optional<Carrier> CarrierOf(absl::string_view id) {
  if (id == "]d2" || id == "]C1" || id == "]Q3" || id == "]e0" || id == "]J1") {
    return Carrier::kGs1;
  }
  if (id == "]E0") return Carrier::kEan13;
  if (id == "]E4") return Carrier::kEan8;
  if (id == "]A0" || id == "]A1" || id == "]C0") return Carrier::kHibc;
  if (id == "]d1" || id == "]Q1" || id == "]J0") return Carrier::kText2d;
  return std::nullopt;
}

// The 2D component of an EAN/UPC composite symbol follows the linear data
// as "|]e0" and an element string (GS1 General Specifications, composite
// transmission; the vectors of GS1's syntax engine, scandata.c).
constexpr absl::string_view kCompositeSeparator = "|]e0";

// ]E0 / ]E4 data: exactly 13 / 8 digits, then optionally the 2D component.
absl::Status ParseEanUpc(const ParseContext& ctx, Carrier carrier, size_t begin,
                         size_t end, ElementPositions& positions,
                         ScannedItem& item) {
  const absl::string_view text = ctx.text;
  size_t linear_end = text.substr(begin, end - begin).find(kCompositeSeparator);
  linear_end = linear_end == absl::string_view::npos ? end : begin + linear_end;
  const size_t expected = carrier == Carrier::kEan8 ? 8 : 13;
  const size_t found = linear_end - begin;
  if (found != expected && AllDigits(text.substr(begin, found))) {
    return PositionError(
        begin, absl::StrCat(carrier == Carrier::kEan8 ? "EAN-8 (]E4)"
                                                      : "EAN-13/UPC (]E0)",
                            " carries ", expected, " digits, found ", found));
  }
  SMPTRACE_RETURN_IF_ERROR(
      ParsePlainGtin(ctx, begin, linear_end, positions, item));
  if (linear_end == end) return absl::OkStatus();
  const size_t component = linear_end + kCompositeSeparator.size();
  if (component == end) {
    return PositionError(component, "no data in the composite 2D component");
  }
  item.format = BarcodeFormat::kGs1ElementString;
  SMPTRACE_RETURN_IF_ERROR(
      ParseElementString(ctx, component, end, positions, item));
  return CheckPairing(item, positions);
}

// Debian's Abseil has its own string_view type; the public API takes the
// standard one.
absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// What scanners send around the data: a suffix (Enter, Tab) after it, and
// some a space before it.
bool IsScannerPadding(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

std::string ScannedItem::hibc_id() const {
  if (hibc_labeler.empty()) return "";
  return absl::StrCat(hibc_labeler, hibc_product, hibc_unit_of_measure);
}

absl::StatusOr<ScannedItem> ParseBarcode(std::string_view input,
                                         const BarcodeOptions& options) {
  const absl::string_view text = ToAbsl(input);
  const ParseContext ctx{text, options.fnc1_substitute, options.reference_year};
  size_t end = text.size();
  while (end > 0 && IsScannerPadding(text[end - 1])) --end;
  if (end == 0) return PositionError(0, "empty barcode");

  size_t begin = 0;
  while (IsScannerPadding(text[begin])) ++begin;
  Carrier carrier = Carrier::kUnknown;
  if (text[begin] == ']') {
    const size_t id_pos = begin;
    if (end - id_pos < 3) {
      return PositionError(id_pos, "truncated symbology identifier");
    }
    const absl::string_view id = text.substr(id_pos, 3);
    const std::optional<Carrier> known = CarrierOf(id);
    if (!known.has_value()) {
      return PositionError(
          id_pos, absl::StrCat("symbology identifier ", absl::CHexEscape(id),
                               " is not supported (GS1: ]d2 ]C1 ]Q3 ]e0 ]J1; "
                               "EAN/UPC: ]E0 ]E4; HIBC: ]A0 ]A1 ]C0 ]d1 ]Q1 "
                               "]J0; GS1 Digital Link: ]d1 ]Q1 ]J0)"));
    }
    carrier = *known;
    begin = id_pos + 3;
    if (begin == end) {
      return PositionError(begin, absl::StrCat("no data after symbology "
                                               "identifier ",
                                               id));
    }
  }

  ScannedItem item;
  ElementPositions positions;
  if (IsGs1DigitalLinkUri(input.substr(begin, end - begin)) &&
      (carrier == Carrier::kUnknown || carrier == Carrier::kText2d)) {
    SMPTRACE_RETURN_IF_ERROR(
        ParseDigitalLink(ctx, begin, end, positions, item));
    return item;
  }
  if (text[begin] == '+' &&
      (carrier == Carrier::kUnknown || carrier == Carrier::kHibc ||
       carrier == Carrier::kText2d)) {
    // The check character may be a space, which the suffix trimming took.
    if (end < text.size() && text[end] == ' ' &&
        Mod43CheckCharacter(text.substr(begin, end - 1 - begin)) !=
            text[end - 1] &&
        Mod43CheckCharacter(text.substr(begin, end - begin)) == ' ') {
      ++end;
    }
    SMPTRACE_RETURN_IF_ERROR(ParseHibc(ctx, begin, end, item));
    return item;
  }
  switch (carrier) {
    case Carrier::kHibc:
      return PositionError(
          begin,
          absl::StrCat("symbology identifier ", text.substr(begin - 3, 3),
                       " is not GS1; only HIBC data ('+') is read "
                       "from it"));
    case Carrier::kText2d:
      return PositionError(
          begin,
          absl::StrCat("symbology identifier ", text.substr(begin - 3, 3),
                       " is not GS1; only HIBC data ('+') or a GS1 Digital "
                       "Link uri (https://...) is read from it"));
    case Carrier::kEan13:
    case Carrier::kEan8:
      SMPTRACE_RETURN_IF_ERROR(
          ParseEanUpc(ctx, carrier, begin, end, positions, item));
      return item;
    case Carrier::kGs1:
    case Carrier::kUnknown:
      break;
  }
  const bool leading_fnc1 = ctx.IsSeparator(text[begin]);
  if (leading_fnc1) {
    ++begin;
    if (begin == end) return PositionError(begin, "no data after FNC1");
  }
  if (carrier == Carrier::kUnknown && !leading_fnc1) {
    if (text[begin] == '(') {
      item.format = BarcodeFormat::kGs1HumanReadable;
      SMPTRACE_RETURN_IF_ERROR(
          ParseHumanReadable(ctx, begin, end, positions, item));
      SMPTRACE_RETURN_IF_ERROR(CheckPairing(item, positions));
      return item;
    }
    if (IsGtinLength(end - begin) &&
        AllDigits(text.substr(begin, end - begin))) {
      SMPTRACE_RETURN_IF_ERROR(
          ParsePlainGtin(ctx, begin, end, positions, item));
      return item;
    }
  }
  item.format = BarcodeFormat::kGs1ElementString;
  SMPTRACE_RETURN_IF_ERROR(
      ParseElementString(ctx, begin, end, positions, item));
  SMPTRACE_RETURN_IF_ERROR(CheckPairing(item, positions));
  return item;
}

bool HasValidGs1CheckDigit(std::string_view input) {
  const absl::string_view digits = ToAbsl(input);
  if (digits.empty() || !AllDigits(digits)) return false;
  return Mod10CheckDigit(digits.substr(0, digits.size() - 1)) == digits.back();
}

char Gs1CheckDigit(std::string_view digits_without_check) {
  return Mod10CheckDigit(ToAbsl(digits_without_check));
}

absl::StatusOr<std::string> NormalizeGtin(std::string_view input) {
  const absl::string_view gtin = ToAbsl(input);
  for (size_t i = 0; i < gtin.size(); ++i) {
    if (!IsGs1Digit(gtin[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("gtin has ", DescribeGs1Char(gtin[i]), " at position ",
                       i, "; only digits are allowed"));
    }
  }
  if (!IsGtinLength(gtin.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "gtin has ", gtin.size(), " digits, expected 8, 12, 13 or 14"));
  }
  const char expected = Mod10CheckDigit(gtin.substr(0, gtin.size() - 1));
  if (gtin.back() != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("gtin check digit is ", std::string(1, gtin.back()),
                     ", expected ", std::string(1, expected)));
  }
  return std::string(14 - gtin.size(), '0') + std::string(gtin);
}

char HibcCheckCharacter(std::string_view data) {
  return Mod43CheckCharacter(ToAbsl(data));
}

absl::StatusOr<ScannedItem> LinkHibcSecondary(const ScannedItem& primary,
                                              const ScannedItem& secondary) {
  if (primary.format != BarcodeFormat::kHibc || primary.hibc_labeler.empty() ||
      primary.hibc_link_character == '\0') {
    return absl::InvalidArgumentError(
        "the first scan is not a primary-only hibc symbol");
  }
  if (secondary.format != BarcodeFormat::kHibc ||
      !secondary.hibc_labeler.empty() ||
      secondary.hibc_link_character == '\0') {
    return absl::InvalidArgumentError(
        "the second scan is not a secondary-only hibc symbol");
  }
  if (primary.hibc_link_character != secondary.hibc_link_character) {
    return absl::InvalidArgumentError(
        absl::StrCat("hibc secondary symbol has link character ",
                     QuoteHibc(secondary.hibc_link_character), ", but primary ",
                     primary.hibc_id(), " has check character ",
                     QuoteHibc(primary.hibc_link_character),
                     ": they belong to different products"));
  }
  ScannedItem linked = primary;
  linked.hibc_link_character = '\0';
  linked.lot = secondary.lot;
  linked.serial = secondary.serial;
  linked.expiry = secondary.expiry;
  linked.production_date = secondary.production_date;
  linked.variable_count = secondary.variable_count;
  return linked;
}

std::string FormatGs1ElementString(const ScannedItem& item, char separator) {
  std::string out;
  if (!item.gtin.empty()) absl::StrAppend(&out, "01", item.gtin);
  if (item.expiry.has_value()) {
    absl::StrAppend(&out, "17", FormatGs1Date(*item.expiry));
  }
  if (!item.lot.empty()) absl::StrAppend(&out, "10", item.lot);
  if (!item.serial.empty()) {
    if (!item.lot.empty()) out.push_back(separator);
    absl::StrAppend(&out, "21", item.serial);
  }
  return out;
}

std::string FormatGs1HumanReadable(const ScannedItem& item) {
  std::string out;
  if (!item.gtin.empty()) absl::StrAppend(&out, "(01)", item.gtin);
  if (item.expiry.has_value()) {
    absl::StrAppend(&out, "(17)", FormatGs1Date(*item.expiry));
  }
  if (!item.lot.empty()) absl::StrAppend(&out, "(10)", item.lot);
  if (!item.serial.empty()) absl::StrAppend(&out, "(21)", item.serial);
  return out;
}

std::string FormatGs1Date(absl::CivilDay day) {
  const int64_t yy = ((day.year() % 100) + 100) % 100;
  return absl::StrFormat("%02d%02d%02d", yy, day.month(), day.day());
}

}  // namespace smptrace::domain
