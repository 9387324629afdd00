// Tests of the GS1 component checks (service/domain/gs1_lint.h): every linter
// at its boundaries with the exact reason and offset, the names the syntax
// dictionary uses, and GS1's own linter test vectors.
//
// Sources of the expectations (none computed with the code under test):
//  * gs1_lint_engine_vectors.inc: the vectors of GS1's Barcode Syntax Engine,
//    github.com/gs1/gs1-syntax-engine (Apache-2.0), commit
//    50657dbd04ce78d8734e8793e054bf70dcba294b, src/c-lib/syntax/lint_*.c,
//    extracted as data by extract_gs1_lint_vectors.py (in this directory).
//  * GS1's example GTIN 09506000134352 and SSCC 106141411234567897 (GS1
//    General Specifications); IBAN examples GB82WEST12345698765432 and
//    DE89370400440532013000 (ISO 13616 / ECBS published examples). Other
//    check digits and IBAN check digits here were computed with an
//    independent script; the GMN "1987654Ad4X4bL5ttr2310c2K" is one of the
//    engine's vectors.
//  * Coupon examples of databar-barcode.info's "GS1 DataBar coupon data
//    encodation examples" (AI 8110).

#include "service/domain/gs1_lint.h"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::domain {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::TestParamInfo;
using ::testing::ValuesIn;

// --- GS1's engine's vectors
// ----------------------------------------------------

struct EngineVector {
  std::string_view linter;
  std::string_view input;
  bool passes;
  std::string_view error;  // the engine's error name, e.g. "ILLEGAL_MONTH"
  std::size_t offset;      // the engine's highlighted span
  std::size_t length;
};

constexpr EngineVector kEngineVectors[] = {
#include "tests/service/domain/gs1_lint_engine_vectors.inc"
};

// The fixed length of each code-list linter's codes, from the dictionary's
// formats (N3,iso3166 ...); the others' codes vary or have no list.
std::size_t CodeLength(std::string_view linter) {
  if (linter == "iso3166" || linter == "iso3166999" || linter == "iso4217") {
    return 3;
  }
  if (linter == "iso3166alpha2" || linter == "mediatype") return 2;
  if (linter == "iso5218" || linter == "yesno" || linter == "winding" ||
      linter == "importeridx") {
    return 1;
  }
  return 0;
}

// Our offset for a vector the engine refuses. The engine highlights a span;
// the contract (gs1_lint.h) asks for one offset: the component's length
// when characters are missing (too short, truncated, missing) or the length
// is wrong, otherwise the first character the engine highlights.
std::size_t ExpectedOffset(const EngineVector& v) {
  const std::size_t code_length = CodeLength(v.linter);
  if (code_length != 0 && v.input.size() != code_length) return v.input.size();
  for (std::string_view missing :
       {"TOO_SHORT", "TOO_LONG", "TRUNCATED", "MISSING", "INVALID_LENGTH",
        "MUST_BE_ONE_CHARACTER"}) {
    if (v.error.find(missing) != std::string_view::npos) return v.input.size();
  }
  return v.offset;
}

// The linters the vectors cover, in order.
std::vector<std::string> EngineLinters() {
  std::vector<std::string> names;
  for (const EngineVector& v : kEngineVectors) {
    if (names.empty() || names.back() != v.linter) {
      names.emplace_back(v.linter);
    }
  }
  return names;
}

class EngineVectorsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(EngineVectorsTest, AgreesWithGs1SyntaxEngine) {
  int count = 0;
  for (const EngineVector& v : kEngineVectors) {
    if (v.linter != GetParam()) continue;
    ++count;
    SCOPED_TRACE(testing::Message()
                 << v.linter << " \"" << v.input
                 << "\" engine: " << (v.passes ? "passes" : v.error));
    const std::optional<Gs1LintError> error = RunGs1Linter(v.linter, v.input);
    if (v.passes) {
      EXPECT_EQ(error, std::nullopt) << error->reason;
      continue;
    }
    ASSERT_NE(error, std::nullopt);
    if (v.error == "TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION") {
      // The engine's own limit (its table of weights ends at 97 characters);
      // ours computes the weights, and this pair is simply wrong.
      EXPECT_EQ(error->offset, v.input.size() - 2);
      continue;
    }
    EXPECT_EQ(error->offset, ExpectedOffset(v)) << error->reason;
    EXPECT_FALSE(error->reason.empty());
  }
  EXPECT_GT(count, 0);
}

INSTANTIATE_TEST_SUITE_P(Gs1Lint, EngineVectorsTest, ValuesIn(EngineLinters()),
                         [](const TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(Gs1LintEngineVectors, CoverEveryLinterButTheCompanyPrefixOnes) {
  // gcppos1/gcppos2 vectors are built in loops there: see GcpPos* below.
  std::vector<std::string_view> expected;
  for (std::string_view name : Gs1LinterNames()) {
    if (name != "gcppos1" && name != "gcppos2") expected.push_back(name);
  }
  std::vector<std::string> covered = EngineLinters();
  EXPECT_THAT(std::vector<std::string_view>(covered.begin(), covered.end()),
              ElementsAreArray(expected));
  EXPECT_EQ(std::size(kEngineVectors), 4839u);
}

// --- Names
// ---------------------------------------------------------------------

// Every linter named after a component's format in GS1's Barcode Syntax
// Dictionary (gs1-syntax-dictionary.txt of the engine commit above), and
// yyyymmd0, which the engine defines for AIs to come.
constexpr std::string_view kDictionaryLinters[] = {
    "couponcode", "couponposoffer", "csum",          "csumalpha",
    "gcppos1",    "gcppos2",        "hasnondigit",   "hh",
    "hhmi",       "hyphen",         "iban",          "importeridx",
    "iso3166",    "iso3166999",     "iso3166alpha2", "iso4217",
    "iso5218",    "latitude",       "longitude",     "mediatype",
    "mi",         "nonzero",        "nozeroprefix",  "packagetype",
    "pcenc",      "pieceoftotal",   "posinseqslash", "ss",
    "winding",    "yesno",          "yymmd0",        "yymmdd",
    "yyyymmd0",   "yyyymmdd",       "zero",
};

TEST(Gs1LinterNames, AreExactlyTheDictionarys) {
  EXPECT_THAT(Gs1LinterNames(), ElementsAreArray(kDictionaryLinters));
  for (std::string_view name : kDictionaryLinters) {
    EXPECT_TRUE(IsKnownGs1Linter(name)) << name;
  }
}

TEST(RunGs1Linter, RefusesAnUnknownLinterName) {
  EXPECT_FALSE(IsKnownGs1Linter("csum2"));
  EXPECT_FALSE(IsKnownGs1Linter(""));
  EXPECT_FALSE(IsKnownGs1Linter("CSUM"));
  const std::optional<Gs1LintError> error = RunGs1Linter("csum2", "12");
  ASSERT_NE(error, std::nullopt);
  EXPECT_EQ(error->reason, "no check named csum2");
  EXPECT_EQ(error->offset, 2u);
}

// --- Each linter at its boundaries
// ------------------------------------------------

struct Case {
  std::string_view linter;
  std::string_view input;
  // Empty when the input passes.
  std::string_view reason = {};
  std::size_t offset = 0;
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << c.linter << " \"" << c.input << "\"";
}

constexpr Case kCases[] = {
    // csum: §7.9 mod-10.
    {"csum", "96385074"},       // GTIN-8
    {"csum", "036000291452"},   // GTIN-12 (UPC-A)
    {"csum", "4006381333931"},  // GTIN-13
    {"csum", "4006381333932", "check digit is 2, expected 1", 12},
    {"csum", "09506000134352"},
    {"csum", "106141411234567897"},
    {"csum", "09506000134353", "check digit is 3, expected 2", 13},
    {"csum", "0", ""},
    {"csum", "1", "check digit is 1, expected 0", 0},
    {"csum", "", "no digits, so no check digit", 0},
    {"csum", "0950600013435A", "'A' is not a digit", 13},
    // csumalpha: §7.9.5.
    {"csumalpha", "1987654Ad4X4bL5ttr2310c2K"},
    {"csumalpha", "22"},
    {"csumalpha", "1987654Ad4X4bL5ttr2310c2X",
     "check characters are 2X, expected 2K", 23},
    {"csumalpha", "2", "too short for its two check characters", 1},
    {"csumalpha", "12 4NT", "a space is not in GS1 character set 82", 2},
    // Company prefix.
    {"gcppos1", "0614"},
    {"gcppos1", "061",
     "too short to hold a GS1 company prefix (at least 4 digits from "
     "position 0)",
     3},
    {"gcppos1", "06A4567",
     "'A' is not a digit (a GS1 company prefix is digits)", 2},
    {"gcppos1", "0614ABC"},
    {"gcppos2", "I0614"},
    {"gcppos2", "10614A"},
    {"gcppos2", "I061",
     "too short to hold a GS1 company prefix (at least 4 digits from "
     "position 1)",
     4},
    {"gcppos2", "I",
     "too short to hold a GS1 company prefix (at least 4 "
     "digits from position 1)",
     1},
    {"gcppos2", "",
     "too short to hold a GS1 company prefix (at least 4 "
     "digits from position 1)",
     0},
    {"gcppos2", "I06A4", "'A' is not a digit (a GS1 company prefix is digits)",
     3},
    // Dates (§7.12).
    {"yymmd0", "261231"},
    {"yymmd0", "000101"},
    {"yymmd0", "991231"},
    {"yymmd0", "260131"},
    {"yymmd0", "260132", "day 32 does not exist in month 01", 4},
    {"yymmd0", "261232", "day 32 does not exist in month 12", 4},
    {"yymmd0", "261200"},
    {"yymmd0", "000229"},  // 2000 was a leap year
    {"yymmd0", "280229"},
    {"yymmd0", "260229",
     "day 29 does not exist in month 02 of a year ending in 26 (not a leap "
     "year)",
     4},
    {"yymmd0", "261301", "month 13 is not a valid month", 2},
    {"yymmd0", "260001", "month 00 is not a valid month", 2},
    {"yymmd0", "260431", "day 31 does not exist in month 04", 4},
    {"yymmd0", "26043", "a date has 6 digits (YYMMDD), not 5", 5},
    {"yymmd0", "26O431", "'O' is not a digit", 2},
    {"yymmdd", "260430"},
    {"yymmdd", "260400", "day 00 is not a valid day here", 4},
    {"yyyymmdd", "20240229"},
    {"yyyymmdd", "20000229"},
    {"yyyymmdd", "21000229", "day 29 does not exist in 2100-02", 6},
    {"yyyymmdd", "20260431", "day 31 does not exist in 2026-04", 6},
    {"yyyymmdd", "20261301", "month 13 is not a valid month", 4},
    {"yyyymmdd", "20260400", "day 00 is not a valid day here", 6},
    {"yyyymmd0", "20260400"},
    {"yyyymmd0", "2026040", "a date has 8 digits (YYYYMMDD), not 7", 7},
    // Times.
    {"hh", "00"},
    {"hh", "23"},
    {"hh", "24", "hour 24 is not a valid hour (00-23)", 0},
    {"hh", "1", "an hour (HH) has 2 digits, not 1", 1},
    {"mi", "59"},
    {"mi", "60", "minute 60 is not a valid minute (00-59)", 0},
    {"ss", "60", "second 60 is not a valid second (00-59)", 0},
    {"ss", "6x", "'x' is not a digit", 1},
    {"hhmi", "2359"},
    {"hhmi", "0000"},
    {"hhmi", "2400", "hour 24 is not a valid hour (00-23)", 0},
    {"hhmi", "2360", "minute 60 is not a valid minute (00-59)", 2},
    {"hhmi", "236", "a time (HHMI) has 4 digits, not 3", 3},
    // Code lists.
    {"iso3166", "250"},
    {"iso3166", "894"},
    {"iso3166", "999", "999 is not an ISO 3166 country code", 0},
    {"iso3166", "000", "000 is not an ISO 3166 country code", 0},
    {"iso3166", "25", "25 is not an ISO 3166 country code (3 characters)", 2},
    {"iso3166", "",
     "an empty value is not an ISO 3166 country code (3 characters)", 0},
    {"iso3166999", "999"},
    {"iso3166999", "826"},
    {"iso3166999", "998", "998 is not an ISO 3166 country code or 999", 0},
    {"iso3166alpha2", "FR"},
    {"iso3166alpha2", "ZZ", "ZZ is not an ISO 3166 alpha-2 country code", 0},
    {"iso3166alpha2", "fr", "fr is not an ISO 3166 alpha-2 country code", 0},
    {"iso4217", "978"},
    {"iso4217", "840"},
    {"iso4217", "000", "000 is not an ISO 4217 currency code", 0},
    {"iso5218", "9"},
    {"iso5218", "3",
     "3 is not an ISO 5218 sex code (0 not known, 1 male, 2 female, 9 not "
     "applicable)",
     0},
    {"packagetype", "BX"},
    {"packagetype", "X11"},
    {"packagetype", "1A"},
    {"packagetype", "XYZ",
     "XYZ is not a package type code of UN/ECE Recommendation 21", 0},
    {"mediatype", "01"},
    {"mediatype", "10"},
    {"mediatype", "80"},
    {"mediatype", "99"},
    {"mediatype", "11", "11 is not an AIDC media type (01-10 or 80-99)", 0},
    {"mediatype", "79", "79 is not an AIDC media type (01-10 or 80-99)", 0},
    {"mediatype", "00", "00 is not an AIDC media type (01-10 or 80-99)", 0},
    {"mediatype", "1",
     "1 is not an AIDC media type (01-10 or 80-99) (2 characters)", 1},
    {"importeridx", "_"},
    {"importeridx", "z"},
    {"importeridx", "!",
     "! is not an importer index (a letter, a digit, '-' or '_')", 0},
    {"importeridx", "AB",
     "AB is not an importer index (a letter, a digit, '-' or '_') (one "
     "character)",
     2},
    // Single values.
    {"yesno", "1"},
    {"yesno", "2", "2 is not 0 (no) or 1 (yes)", 0},
    {"winding", "9"},
    {"winding", "2",
     "2 is not a winding direction (0 face in, 1 face out, 9 undetermined)", 0},
    {"zero", "0"},
    {"zero", "1", "must be zero, not 1", 0},
    {"nonzero", "0001"},
    {"nonzero", "0000", "must not be zero", 0},
    {"nozeroprefix", "10"},
    {"nozeroprefix", "01", "must not start with 0", 0},
    {"hasnondigit", "12A"},
    {"hasnondigit", "123",
     "must hold at least one character that is not a digit", 0},
    {"hyphen", "-"},
    {"hyphen", "X", "must be a hyphen ('-'), not X", 0},
    {"latitude", "1800000000"},
    {"latitude", "1800000001",
     "latitude 1800000001 is above 1800000000 (90 degrees north)", 0},
    {"longitude", "3600000000"},
    {"longitude", "3600000001",
     "longitude 3600000001 is above 3600000000 (180 degrees east)", 0},
    {"longitude", "360000000", "a longitude has 10 digits, not 9", 9},
    {"pieceoftotal", "0102"},
    {"pieceoftotal", "0202"},
    {"pieceoftotal", "0302",
     "piece 03 of 02: the piece number is greater than the total", 0},
    {"pieceoftotal", "0002",
     "piece number 0 does not exist (pieces count "
     "from 1)",
     0},
    {"pieceoftotal", "0100", "a total of 0 pieces is not possible", 2},
    {"pieceoftotal", "010",
     "the piece number and the total need the same number of digits", 3},
    {"posinseqslash", "2/3"},
    {"posinseqslash", "4/3", "position 4 is after the end of the sequence (3)",
     0},
    {"posinseqslash", "1/03", "the total must not start with 0", 2},
    {"posinseqslash", "1-3",
     "1-3 is not a position in a sequence (position/total, e.g. 1/3)", 0},
    // Text.
    {"pcenc", "A%20B"},
    {"pcenc", "A%2GB",
     "%2G is not a percent-encoded byte ('%' and two hexadecimal digits)", 1},
    {"pcenc", "AB%2",
     "%2 is not a percent-encoded byte ('%' and two hexadecimal digits)", 2},
    // IBAN (ISO 13616).
    {"iban", "GB82WEST12345698765432"},
    {"iban", "DE89370400440532013000"},
    {"iban", "GB12WEST12345698765432",
     "not a valid IBAN: check digits 12, expected 82", 2},
    {"iban", "DE89370400440532013001",
     "not a valid IBAN: check digits 89, expected 62", 2},
    {"iban", "XX82WEST12345698765432",
     "not a valid IBAN: XX is not an ISO 3166 country code", 0},
    {"iban", "GB82west12345698765432",
     "not a valid IBAN: 'w' is not a digit or an upper-case letter", 4},
    {"iban", "GB8", "not a valid IBAN: too short (3 characters, at least 5)",
     3},
    // Coupons: AI (8110) examples 1 and 2 of the source named above, then
    // each field broken.
    {"couponcode", "1061414165432132501101203140131"},
    {"couponcode", "106141411234562751106501013085093140131"},
    {"couponcode", "1061414165432132501101203140132",
     "the expiration date 140132 is not a valid date: day 32 does not exist "
     "in month 01",
     25},
    {"couponcode", "7061414165432132501101203140131",
     "the length digit of the primary company prefix is 7, not 0-6", 0},
    {"couponcode", "10614141654321325011012",
     "the primary purchase family code is cut short: 3 digits expected, 2 "
     "present",
     23},
    {"couponcode", "1061414165432132501101203",
     "the expiration date is cut short: 6 digits expected, 0 present", 25},
    {"couponcode", "10614141654321325011012031401311",
     "unexpected 1 after the coupon's fields (optional fields are 1-6 and 9, "
     "each once, in that order)",
     31},
    {"couponcode", "10614141654321325011012031401014140131",
     "the coupon expires (140101) before it starts (140131)", 24},
    {"couponcode",
     "1061414165432132501101203140131"
     "4140101"    // start date
     "50123456"   // serial number, 6 digits
     "610614141"  // retailer GS1 company prefix, 7 digits
     "9"
     "0011"},  // save value code ... don't-multiply flag
    {"couponcode", "1061414165432132501101209131",
     "the save value applies-to-item code is 3, not 0-2", 26},
    {"couponposoffer", "001234561234560123456"},
    {"couponposoffer", "161234567890121234569123456789012345"},
    {"couponposoffer", "201234561234560123456",
     "the format code is 2, not 0 or 1", 0},
    {"couponposoffer", "0012345612345601234567",
     "unexpected data after the serial number", 21},
};

class LintCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(LintCaseTest, GivesTheReasonAndOffset) {
  const Case& c = GetParam();
  const std::optional<Gs1LintError> error = RunGs1Linter(c.linter, c.input);
  if (c.reason.empty()) {
    EXPECT_EQ(error, std::nullopt) << error->reason;
    return;
  }
  ASSERT_NE(error, std::nullopt);
  EXPECT_EQ(error->reason, c.reason);
  EXPECT_EQ(error->offset, c.offset);
}

INSTANTIATE_TEST_SUITE_P(Gs1Lint, LintCaseTest, ValuesIn(kCases));

}  // namespace
}  // namespace smptrace::domain
