// Tests of barcode scan parsing (service/domain/gs1.h): tables of inputs with
// the fields they must yield, tables of inputs with the exact error they must
// give, the check-digit helpers, the label formatting and its round trip.
//
// Published vectors: GTINs and check digits from the GS1 check digit
// calculator page (629104150021 -> 3) and GS1 member organisations
// (730001100001 -> 7, 890400021003 -> 7), GS1's example GTIN 09506000134352;
// the HIBCC example primary "+A123BJC5D6E71" (check 'G') and the worked
// modulus-43 example "+A1234BJC5D6E71" (check 'K'). HIBC check characters of
// the other vectors were computed with an independent script.

#include "service/domain/gs1.h"

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/gtin.h"

namespace smptrace::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::TestParamInfo;
using ::testing::ValuesIn;

std::string FormatName(BarcodeFormat format) {
  switch (format) {
    case BarcodeFormat::kGs1ElementString:
      return "gs1";
    case BarcodeFormat::kGs1HumanReadable:
      return "gs1-hri";
    case BarcodeFormat::kPlainGtin:
      return "gtin";
    case BarcodeFormat::kHibc:
      return "hibc";
    case BarcodeFormat::kGs1DigitalLink:
      return "gs1-dl";
  }
  return "?";
}

// The fields a scan has, on one line, so that a table row can say what it
// expects and a mismatch prints readably:
// "gs1 gtin=09506000134352 lot=AB-12 expiry=2026-12-31".
std::string Describe(const ScannedItem& item) {
  std::string out = FormatName(item.format);
  auto text = [&out](const char* name, const std::string& value) {
    if (!value.empty()) absl::StrAppend(&out, " ", name, "=", value);
  };
  auto day = [&out](const char* name,
                    const std::optional<absl::CivilDay>& value) {
    if (value)
      absl::StrAppend(&out, " ", name, "=", absl::FormatCivilTime(*value));
  };
  auto number = [&out](const char* name, const std::optional<int64_t>& value) {
    if (value) absl::StrAppend(&out, " ", name, "=", *value);
  };
  text("gtin", item.gtin);
  text("sscc", item.sscc);
  text("content_gtin", item.content_gtin);
  text("lot", item.lot);
  day("production", item.production_date);
  day("best_before", item.best_before);
  day("expiry", item.expiry);
  text("serial", item.serial);
  number("variable_count", item.variable_count);
  number("count", item.count);
  text("additional_id", item.additional_id);
  text("customer_part_number", item.customer_part_number);
  // The AIs without a named field, as "(91)=ABC".
  for (const Gs1Element& e : item.elements) {
    static const std::set<std::string> kNamed = {"00",  "01",  "02", "10",
                                                 "11",  "15",  "17", "21",
                                                 "240", "241", "30", "37"};
    if (kNamed.count(e.ai) == 0) {
      absl::StrAppend(&out, " (", e.ai, ")=", e.value);
    }
  }
  if (!item.hibc_labeler.empty() || !item.hibc_product.empty() ||
      item.hibc_unit_of_measure != 0) {
    absl::StrAppend(&out, " hibc=", item.hibc_labeler, "/", item.hibc_product,
                    "/", item.hibc_unit_of_measure);
  }
  if (item.hibc_link_character != '\0') {
    absl::StrAppend(&out, " link='", std::string(1, item.hibc_link_character),
                    "'");
  }
  return out;
}

// Tables write the GS (0x1D) a scanner sends for FNC1 as "{GS}".
std::string WithGs(std::string text) {
  for (size_t at = text.find("{GS}"); at != std::string::npos;
       at = text.find("{GS}", at)) {
    text.replace(at, 4, "\x1d");
  }
  return text;
}

BarcodeOptions Options(int reference_year, char fnc1_substitute) {
  BarcodeOptions options;
  options.reference_year = reference_year;
  options.fnc1_substitute = fnc1_substitute;
  return options;
}

// ---------------------------------------------------------------------------
// Inputs that parse.

struct AcceptCase {
  std::string name;  // states the behaviour; the test's name
  std::string input;
  std::string expected;  // Describe() of the result
  int reference_year = 2026;
  char fnc1_substitute = '\0';
};

void PrintTo(const AcceptCase& c, std::ostream* os) { *os << c.name; }

std::string AcceptName(const TestParamInfo<AcceptCase>& info) {
  return info.param.name;
}

class ParseBarcodeAccepts : public ::testing::TestWithParam<AcceptCase> {};

TEST_P(ParseBarcodeAccepts, YieldsTheFields) {
  const AcceptCase& c = GetParam();
  const absl::StatusOr<ScannedItem> item = ParseBarcode(
      WithGs(c.input), Options(c.reference_year, c.fnc1_substitute));
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(Describe(*item), c.expected);
}

const AcceptCase kElementStringCases[] = {
    {"GtinExpiryLot", "01095060001343521726123110AB-12",
     "gs1 gtin=09506000134352 lot=AB-12 expiry=2026-12-31"},
    {"GtinExpiryLotSerialWithSeparatorAfterLot",
     "01095060001343521726123110AB-12{GS}21SN0042",
     "gs1 gtin=09506000134352 lot=AB-12 expiry=2026-12-31 serial=SN0042"},
    {"GtinLotExpiryAsOnTheGs1Sample", "01034531200000111712050810ABCD1234",
     "gs1 gtin=03453120000011 lot=ABCD1234 expiry=2012-05-08"},
    {"DataMatrixSymbologyIdentifierIsStripped", "]d2010950600013435210AB",
     "gs1 gtin=09506000134352 lot=AB"},
    {"Gs1128SymbologyIdentifierIsStripped", "]C10195012345678903",
     "gs1 gtin=95012345678903"},
    {"QrSymbologyIdentifierIsStripped", "]Q3010950600013435221X1",
     "gs1 gtin=09506000134352 serial=X1"},
    {"DataBarSymbologyIdentifierIsStripped", "]e00195012345678903",
     "gs1 gtin=95012345678903"},
    {"LeadingFnc1IsIgnored", "{GS}010950600013435210AB",
     "gs1 gtin=09506000134352 lot=AB"},
    {"SymbologyIdentifierThenLeadingFnc1", "]d2{GS}0109506000134352",
     "gs1 gtin=09506000134352"},
    {"TrailingSeparatorIsAccepted", "010950600013435210AB{GS}",
     "gs1 gtin=09506000134352 lot=AB"},
    {"TrailingCrLfIsStripped", "010950600013435210AB\r\n",
     "gs1 gtin=09506000134352 lot=AB"},
    {"TrailingSpacesAndTabIsStripped", "010950600013435210AB \t ",
     "gs1 gtin=09506000134352 lot=AB"},
    {"TrailingSeparatorThenCrLf", "010950600013435210AB{GS}\r\n",
     "gs1 gtin=09506000134352 lot=AB"},
    // Some scanners send a space (or a prefix key) before the data.
    {"LeadingSpaceIsStripped", " 0109506000134352", "gs1 gtin=09506000134352"},
    {"LeadingSpaceBeforeSymbologyIdentifier", " ]d2010950600013435210AB",
     "gs1 gtin=09506000134352 lot=AB"},
    // GS1 allows an AI to repeat with the same value (not with another).
    {"LotRepeatedWithTheSameValue", "010950600013435210AB{GS}10AB",
     "gs1 gtin=09506000134352 lot=AB"},
    {"GtinRepeatedWithTheSameValue", "01095060001343520109506000134352",
     "gs1 gtin=09506000134352"},
    {"TildeSubstituteSeparatesFields", "010950600013435210LOT1~21SN1",
     "gs1 gtin=09506000134352 lot=LOT1 serial=SN1", 2026, '~'},
    {"PipeSubstituteSeparatesFields", "010950600013435210LOT1|21SN1|240ADD",
     "gs1 gtin=09506000134352 lot=LOT1 serial=SN1 additional_id=ADD", 2026,
     '|'},
    {"GsStillSeparatesWhenASubstituteIsSet", "010950600013435210LOT1{GS}21SN1",
     "gs1 gtin=09506000134352 lot=LOT1 serial=SN1", 2026, '~'},
    {"LeadingSubstituteIsIgnored", "~0109506000134352",
     "gs1 gtin=09506000134352", 2026, '~'},
    {"LowerCaseLotIsKeptAsPrinted", "010950600013435210ab-12c",
     "gs1 gtin=09506000134352 lot=ab-12c"},
    {"LotOfEveryCset82Symbol", "010950600013435210!\"%&'()*+,-./:;<=>?_",
     "gs1 gtin=09506000134352 lot=!\"%&'()*+,-./:;<=>?_"},
    {"LotOfTwentyCharactersIsTheMaximum",
     "010950600013435210ABCDEFGHIJKLMNOPQRST",
     "gs1 gtin=09506000134352 lot=ABCDEFGHIJKLMNOPQRST"},
    {"SerialOfTwentyCharactersIsTheMaximum",
     "01095060001343522101234567890123456789",
     "gs1 gtin=09506000134352 serial=01234567890123456789"},
    {"SsccWithValidCheckDigit", "00106141411234567897",
     "gs1 sscc=106141411234567897"},
    {"ContentGtinAndCount", "0010614141123456789702106141410004153724",
     "gs1 sscc=106141411234567897 content_gtin=10614141000415 count=24"},
    {"SsccContentGtinCount", "00106141412345678908021061414100041537100",
     "gs1 sscc=106141412345678908 content_gtin=10614141000415 count=100"},
    {"ProductionDate", "]d2010950600013435211250101",
     "gs1 gtin=09506000134352 production=2025-01-01"},
    {"BestBeforeDayZeroIsEndOfMonth", "]d2010950600013435215261100",
     "gs1 gtin=09506000134352 best_before=2026-11-30"},
    {"VariableCountOfEightDigits", "01095060001343523012345678",
     "gs1 gtin=09506000134352 variable_count=12345678"},
    {"CountOfOneDigit", "001061414112345678970210614141000415371",
     "gs1 sscc=106141411234567897 content_gtin=10614141000415 count=1"},
    {"AdditionalIdAndCustomerPartNumber",
     "0109506000134352240ADD-ID/1{GS}241CUST.PN",
     "gs1 gtin=09506000134352 additional_id=ADD-ID/1 "
     "customer_part_number=CUST.PN"},
    {"AdditionalIdOfThirtyCharacters",
     "0109506000134352240ABCDEFGHIJKLMNOPQRSTUVWXYZ0123",
     "gs1 gtin=09506000134352 additional_id=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"},
    {"CustomerPartNumberOfThirtyCharacters",
     "0109506000134352241abcdefghijklmnopqrstuvwxyz0123",
     "gs1 gtin=09506000134352 "
     "customer_part_number=abcdefghijklmnopqrstuvwxyz0123"},
    {"SeparatorAfterFixedLengthFieldIsTolerated", "0109506000134352{GS}10AB",
     "gs1 gtin=09506000134352 lot=AB"},
    {"FieldsInAnyOrder", "10AB{GS}172612310109506000134352",
     "gs1 gtin=09506000134352 lot=AB expiry=2026-12-31"},
    {"GtinWithIndicatorDigit", "0150614141322607", "gs1 gtin=50614141322607"},
    {"GtinOnlySixteenDigitsIsAnElementString", "0109506000134352",
     "gs1 gtin=09506000134352"},
    {"AllDigitGtinLengthWithGs1IdentifierIsAnElementString",
     "]d2010950600013435210123456", "gs1 gtin=09506000134352 lot=123456"},
    {"EightDigitsWithoutIdentifierAreAGtinNotAnExpiry", "17260930",
     "gtin gtin=00000017260930"},
    {"AllDigitGtinLengthAfterFnc1IsAnElementString",
     "{GS}010950600013435210123456", "gs1 gtin=09506000134352 lot=123456"},
};
INSTANTIATE_TEST_SUITE_P(Gs1ElementString, ParseBarcodeAccepts,
                         ValuesIn(kElementStringCases), AcceptName);

const AcceptCase kHumanReadableCases[] = {
    {"GtinExpiryLot", "(01)09506000134352(17)261231(10)AB-12",
     "gs1-hri gtin=09506000134352 lot=AB-12 expiry=2026-12-31"},
    {"LeadingSpaceIsStripped", " (01)09506000134352",
     "gs1-hri gtin=09506000134352"},
    {"ExpiryRepeatedWithTheSameValue",
     "(01)09506000134352(17)261231(10)A(17)261231",
     "gs1-hri gtin=09506000134352 lot=A expiry=2026-12-31"},
    {"GtinExpiryLotSerial", "(01)09506000134352(17)261231(10)AB-12(21)SN0042",
     "gs1-hri gtin=09506000134352 lot=AB-12 expiry=2026-12-31 serial=SN0042"},
    {"Gs1SampleWithLotBeforeDate", "(01)03453120000011(17)120508(10)ABCD1234",
     "gs1-hri gtin=03453120000011 lot=ABCD1234 expiry=2012-05-08"},
    {"Sscc", "(00)106141411234567897", "gs1-hri sscc=106141411234567897"},
    {"ContentGtinAndCount", "(00)106141411234567897(02)10614141000415(37)24",
     "gs1-hri sscc=106141411234567897 content_gtin=10614141000415 count=24"},
    {"ThreeDigitAis", "(01)09506000134352(240)X-1(241)y.2",
     "gs1-hri gtin=09506000134352 additional_id=X-1 customer_part_number=y.2"},
    {"ParenthesesInsideALotWithoutDigitsAreData", "(01)09506000134352(10)A(B)C",
     "gs1-hri gtin=09506000134352 lot=A(B)C"},
    {"TrailingCrLfIsStripped", "(01)09506000134352\r\n",
     "gs1-hri gtin=09506000134352"},
    {"LowerCaseSerialIsKept", "(01)09506000134352(21)sn-00a",
     "gs1-hri gtin=09506000134352 serial=sn-00a"},
};
INSTANTIATE_TEST_SUITE_P(Gs1HumanReadable, ParseBarcodeAccepts,
                         ValuesIn(kHumanReadableCases), AcceptName);

const AcceptCase kPlainGtinCases[] = {
    {"Gtin8IsPaddedTo14", "96385074", "gtin gtin=00000096385074"},
    {"Gtin12IsPaddedTo14", "036000291452", "gtin gtin=00036000291452"},
    {"Gtin13", "9506000134352", "gtin gtin=09506000134352"},
    {"Gtin13FromGs1CalculatorExample", "6291041500213",
     "gtin gtin=06291041500213"},
    {"Gtin13FromGs1SwedenExample", "7300011000017", "gtin gtin=07300011000017"},
    {"Gtin13FromGs1IndiaExample", "8904000210037", "gtin gtin=08904000210037"},
    {"Gtin14", "95012345678903", "gtin gtin=95012345678903"},
    {"Ean13SymbologyIdentifier", "]E09506000134352",
     "gtin gtin=09506000134352"},
    {"Ean8SymbologyIdentifier", "]E496385074", "gtin gtin=00000096385074"},
    {"TrailingCrLfIsStripped", "9506000134352\r\n", "gtin gtin=09506000134352"},
    {"LeadingSpaceIsStripped", " 9506000134352", "gtin gtin=09506000134352"},
};
INSTANTIATE_TEST_SUITE_P(PlainGtin, ParseBarcodeAccepts,
                         ValuesIn(kPlainGtinCases), AcceptName);

// Day 00 and the century of two-digit years (GS1 General Specifications
// §7.12: reference_year-49 .. reference_year+50).
const AcceptCase kDateCases[] = {
    {"DayZeroOfFebruaryInLeapYear", "]d2010950600013435217240200",
     "gs1 gtin=09506000134352 expiry=2024-02-29"},
    {"DayZeroOfFebruaryInCommonYear", "]d2010950600013435217250200",
     "gs1 gtin=09506000134352 expiry=2025-02-28"},
    {"DayZeroOfFebruary2000IsLeap", "]d2010950600013435217000200",
     "gs1 gtin=09506000134352 expiry=2000-02-29"},
    {"DayZeroOfFebruary2100IsNotLeap", "]d2010950600013435217000200",
     "gs1 gtin=09506000134352 expiry=2100-02-28", 2075},
    {"DayZeroOfThirtyDayMonth", "]d2010950600013435217260400",
     "gs1 gtin=09506000134352 expiry=2026-04-30"},
    {"DayZeroOfThirtyOneDayMonth", "]d2010950600013435217260100",
     "gs1 gtin=09506000134352 expiry=2026-01-31"},
    {"DayZeroOfDecember", "]d2010950600013435217261200",
     "gs1 gtin=09506000134352 expiry=2026-12-31"},
    {"February29InLeapYear", "]d2010950600013435217240229",
     "gs1 gtin=09506000134352 expiry=2024-02-29"},
    {"LastDayOfThirtyDayMonth", "]d2010950600013435217260930",
     "gs1 gtin=09506000134352 expiry=2026-09-30"},
    {"FiftyYearsAheadIsThisCentury", "]d2010950600013435217760101",
     "gs1 gtin=09506000134352 expiry=2076-01-01"},
    {"FiftyOneYearsAheadIsLastCentury", "]d2010950600013435217770101",
     "gs1 gtin=09506000134352 expiry=1977-01-01"},
    {"YearZeroIs2000In2026", "]d2010950600013435217000101",
     "gs1 gtin=09506000134352 expiry=2000-01-01"},
    {"FiftyYearsBackIsNextCentury", "]d2010950600013435217250101",
     "gs1 gtin=09506000134352 expiry=2125-01-01", 2075},
    {"FortyNineYearsBackIsThisCentury", "]d2010950600013435217260101",
     "gs1 gtin=09506000134352 expiry=2026-01-01", 2075},
    {"In2000FiftyIs2050", "]d2010950600013435217500101",
     "gs1 gtin=09506000134352 expiry=2050-01-01", 2000},
    {"In2000FiftyOneIs1951", "]d2010950600013435217510101",
     "gs1 gtin=09506000134352 expiry=1951-01-01", 2000},
    {"In2000NinetyNineIs1999", "]d2010950600013435217990101",
     "gs1 gtin=09506000134352 expiry=1999-01-01", 2000},
    {"In2099FortyEightIs2148", "]d2010950600013435217480101",
     "gs1 gtin=09506000134352 expiry=2148-01-01", 2099},
    {"In2099FiftyIs2050", "]d2010950600013435217500101",
     "gs1 gtin=09506000134352 expiry=2050-01-01", 2099},
    {"ProductionDateUsesTheSameRule", "]d2010950600013435211770101",
     "gs1 gtin=09506000134352 production=1977-01-01"},
};
INSTANTIATE_TEST_SUITE_P(Gs1Dates, ParseBarcodeAccepts, ValuesIn(kDateCases),
                         AcceptName);

const AcceptCase kHibcCases[] = {
    {"HibccExamplePrimary", "+A123BJC5D6E71G",
     "hibc hibc=A123/BJC5D6E7/1 link='G'"},
    {"PrimaryOnly", "+H123NDL3RL11", "hibc hibc=H123/NDL3RL/1 link='1'"},
    {"PrimaryWithOneCharacterProductAndUnitZero", "+H12350Q",
     "hibc hibc=H123/5/0 link='Q'"},
    {"PrimaryWithEighteenCharacterProduct", "+H123ABCDEFGHIJKLMNOPQR3D",
     "hibc hibc=H123/ABCDEFGHIJKLMNOPQR/3 link='D'"},
    {"PrimaryWithSpaceCheckCharacterBeforeCrLf", "+H123NDLAZ1 \r\n",
     "hibc hibc=H123/NDLAZ/1 link=' '"},
    {"PrimaryWithSlashCheckCharacter", "+H123NDLCZ1/",
     "hibc hibc=H123/NDLCZ/1 link='/'"},
    {"PrimaryWithPlusCheckCharacter", "+H123NDLDZ1+",
     "hibc hibc=H123/NDLDZ/1 link='+'"},
    {"DataMatrixSymbologyIdentifier", "]d1+H123NDL3RL11",
     "hibc hibc=H123/NDL3RL/1 link='1'"},
    {"Code39SymbologyIdentifier", "]A1+H123NDL3RL11",
     "hibc hibc=H123/NDL3RL/1 link='1'"},
    {"LotOnly", "+H123NDL3RL1/$LOT42V", "hibc lot=LOT42 hibc=H123/NDL3RL/1"},
    {"LotOfEighteenCharacters", "+H123NDL3RL1/$LOT420000000000000V",
     "hibc lot=LOT420000000000000 hibc=H123/NDL3RL/1"},
    {"ExpiryYymmddAndLot", "+H123NDL3RL1/$$3271031LOT421",
     "hibc lot=LOT42 expiry=2027-10-31 hibc=H123/NDL3RL/1"},
    {"ExpiryMmddyyAndLot", "+H123NDL3RL1/$$2103127LOT420",
     "hibc lot=LOT42 expiry=2027-10-31 hibc=H123/NDL3RL/1"},
    {"ExpiryWithHourDropsTheHour", "+H123NDL3RL1/$$427103123LOT427",
     "hibc lot=LOT42 expiry=2027-10-31 hibc=H123/NDL3RL/1"},
    {"ExpiryJulian", "+H123NDL3RL1/$$527304LOT425",
     "hibc lot=LOT42 expiry=2027-10-31 hibc=H123/NDL3RL/1"},
    {"ExpiryJulianWithHour", "+H123NDL3RL1/$$62730423LOT42B",
     "hibc lot=LOT42 expiry=2027-10-31 hibc=H123/NDL3RL/1"},
    {"FormatSevenIsLotWithoutDate", "+H123NDL3RL1/$$7LOT42Y",
     "hibc lot=LOT42 hibc=H123/NDL3RL/1"},
    {"MonthYearIsLastDayOfMonth", "+H123NDL3RL1/$$1027LOT42.",
     "hibc lot=LOT42 expiry=2027-10-31 hibc=H123/NDL3RL/1"},
    {"MonthYearFebruaryWithSpaceCheckCharacter", "+H123NDL3RL1/$$0227LOT42 ",
     "hibc lot=LOT42 expiry=2027-02-28 hibc=H123/NDL3RL/1"},
    {"MonthYearFebruaryOfLeapYearWithoutLot", "+H123NDL3RL1/$$02282",
     "hibc expiry=2028-02-29 hibc=H123/NDL3RL/1"},
    {"TwoDigitQuantityThenExpiryAndLot", "+H123NDL3RL1/$$8243271031LOT42F",
     "hibc lot=LOT42 expiry=2027-10-31 variable_count=24 hibc=H123/NDL3RL/1"},
    {"FiveDigitQuantityAlone", "+H123NDL3RL1/$$9001000",
     "hibc variable_count=100 hibc=H123/NDL3RL/1"},
    {"QuantityThenLotDirectly", "+H123NDL3RL1/$$812LOT42 \r\n",
     "hibc lot=LOT42 variable_count=12 hibc=H123/NDL3RL/1"},
    {"SerialWithExpiry", "+H123NDL3RL1/$$+3271031SN42J",
     "hibc expiry=2027-10-31 serial=SN42 hibc=H123/NDL3RL/1"},
    {"SerialOnly", "+H123NDL3RL1/$+SN426",
     "hibc serial=SN42 hibc=H123/NDL3RL/1"},
    {"SerialWithoutDate", "+H123NDL3RL1/$$+7SN429",
     "hibc serial=SN42 hibc=H123/NDL3RL/1"},
    {"OldJulianDateAndLot", "+H123NDL3RL1/27304LOT428",
     "hibc lot=LOT42 expiry=2027-10-31 hibc=H123/NDL3RL/1"},
    {"SupplementalSegments",
     "+H123NDL3RL1/$LOT42/16D20250115/14D20271031/SSN42/Q50X",
     "hibc lot=LOT42 production=2025-01-15 expiry=2027-10-31 serial=SN42 "
     "variable_count=50 hibc=H123/NDL3RL/1"},
    {"SeparateSecondaryWithLot", "+$LOT421W", "hibc lot=LOT42 link='1'"},
    {"SeparateSecondaryWithExpiry", "+$$3271031LOT4212",
     "hibc lot=LOT42 expiry=2027-10-31 link='1'"},
    {"SeparateSecondaryWithSerial", "+$$+7SN421A", "hibc serial=SN42 link='1'"},
    {"SeparateSecondaryWithSlashLink", "+$LOT42/S", "hibc lot=LOT42 link='/'"},
    {"SeparateSecondaryWithSpaceLink", "+$LOT42 Q", "hibc lot=LOT42 link=' '"},
    {"SeparateSecondaryWithDollarLink", "+$LOT42$R", "hibc lot=LOT42 link='$'"},
};
INSTANTIATE_TEST_SUITE_P(Hibc, ParseBarcodeAccepts, ValuesIn(kHibcCases),
                         AcceptName);

// ---------------------------------------------------------------------------
// Inputs that are refused, with the exact message.

struct RejectCase {
  std::string name;
  std::string input;
  std::string message;
  int reference_year = 2026;
  char fnc1_substitute = '\0';
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.name; }

std::string RejectName(const TestParamInfo<RejectCase>& info) {
  return info.param.name;
}

class ParseBarcodeRejects : public ::testing::TestWithParam<RejectCase> {};

TEST_P(ParseBarcodeRejects, WithInvalidArgumentNamingPositionAndReason) {
  const RejectCase& c = GetParam();
  const absl::StatusOr<ScannedItem> item = ParseBarcode(
      WithGs(c.input), Options(c.reference_year, c.fnc1_substitute));
  ASSERT_FALSE(item.ok()) << Describe(*item);
  EXPECT_EQ(item.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(item.status().message()), c.message);
}

const RejectCase kInputShapeRejects[] = {
    {"EmptyInput", "", "position 0: empty barcode"},
    {"OnlyCrLf", "\r\n", "position 0: empty barcode"},
    {"UnknownSymbologyIdentifier", "]X90109506000134352",
     "position 0: symbology identifier ]X9 is not supported (GS1: ]d2 ]C1 ]Q3 "
     "]e0 ]J1; EAN/UPC: ]E0 ]E4; HIBC: ]A0 ]A1 ]C0 ]d1 ]Q1 ]J0; GS1 Digital "
     "Link: ]d1 ]Q1 ]J0)"},
    {"TruncatedSymbologyIdentifier", "]d",
     "position 0: truncated symbology identifier"},
    {"NothingAfterSymbologyIdentifier", "]d2\r\n",
     "position 3: no data after symbology identifier ]d2"},
    {"NothingAfterFnc1", "{GS}", "position 1: no data after FNC1"},
    {"HumanReadableAfterGs1Identifier", "]d2(01)09506000134352",
     "position 3: '(' is not an application identifier"},
    {"Gs1DataAfterNonGs1Identifier", "]d10109506000134352",
     "position 3: symbology identifier ]d1 is not GS1; only HIBC data ('+') or "
     "a GS1 Digital Link uri (https://...) is read from it"},
    {"HibcAfterGs1Identifier", "]d2+H123NDL3RL11",
     "position 3: '+' is not an application identifier"},
    {"CrLfBetweenFields", "0109506000134352\r\n10AB",
     "position 16: unexpected carriage return (0x0D) inside the data"},
    {"TabInsideGtin", "010950600\t0134352",
     "position 9: AI (01): unexpected tab (0x09) inside the data"},
    {"LineFeedInsideLot", "10AB\nC",
     "position 4: AI (10): unexpected line feed (0x0A) inside the data"},
    {"SpaceInsideLot", "10AB C",
     "position 4: AI (10): unexpected space inside the data"},
};
INSTANTIATE_TEST_SUITE_P(InputShape, ParseBarcodeRejects,
                         ValuesIn(kInputShapeRejects), RejectName);

const RejectCase kElementStringRejects[] = {
    {"UnknownTwoDigitAi", "14ABC",
     "position 0: unknown application identifier (14)"},
    {"UnknownFourDigitAiIsNamedInFull", "01095060001343523106000123",
     "position 16: unknown application identifier (3106)"},
    {"UnknownThreeDigitAiIsNamedInFull", "0109506000134352236PO1",
     "position 16: unknown application identifier (236)"},
    {"AiMustBeDigits", "0109506000134352AB",
     "position 16: 'A' is not an application identifier"},
    {"AiWithOneDigitThenLetter", "01095060001343521A",
     "position 17: 'A' is not a digit of an application identifier"},
    {"TruncatedAi", "01095060001343521",
     "position 16: truncated application identifier (1)"},
    {"GtinCheckDigit", "0108904000210033",
     "position 15: AI (01): check digit is 3, expected 7"},
    {"GtinTooShortBeforeSeparator", "01095060001343{GS}10AB",
     "position 2: AI (01): expected 14 digits, found 12"},
    {"GtinTooShortAtEnd", "]d201950600013435",
     "position 5: AI (01): expected 14 digits, found 12"},
    {"GtinWithLetter", "010950600013435A",
     "position 15: AI (01): 'A' is not a digit"},
    {"SsccCheckDigit", "00106141411234567890",
     "position 19: AI (00): check digit is 0, expected 7"},
    {"SsccTooShort", "0010614141123456789",
     "position 2: AI (00): expected 18 digits, found 17"},
    {"ContentGtinCheckDigit", "0210614141000416",
     "position 15: AI (02): check digit is 6, expected 5"},
    {"GtinAndContentGtinTogether", "01095060001343520210614141000415",
     "position 16: AI (02) and AI (01) cannot appear together"},
    {"LotRepeatedWithAnotherValue", "10A{GS}10B",
     "position 4: AI (10) appears twice with different values (A, then B)"},
    {"GtinRepeatedWithAnotherValue", "01095060001343520195012345678903",
     "position 16: AI (01) appears twice with different values "
     "(09506000134352, then 95012345678903)"},
    {"TwoSeparatorsInARow", "10A{GS}{GS}21B",
     "position 4: unexpected FNC1 separator: empty element"},
    {"EmptyLot", "10{GS}21X", "position 2: AI (10): lot is empty"},
    {"EmptyLotAtEnd", "010950600013435210",
     "position 18: AI (10): lot is empty"},
    {"LotOfTwentyOneCharacters", "10ABCDEFGHIJKLMNOPQRSTU",
     "position 2: AI (10): lot is 21 characters long, at most 20 allowed"},
    {"SerialOfTwentyOneCharacters", "21012345678901234567890",
     "position 2: AI (21): serial is 21 characters long, at most 20 allowed"},
    {"AdditionalIdOfThirtyOneCharacters", "240ABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
     "position 3: AI (240): additional product id is 31 characters long, at "
     "most 30 allowed"},
    {"CustomerPartNumberOfThirtyOneCharacters",
     "241ABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
     "position 3: AI (241): customer part number is 31 characters long, at "
     "most 30 allowed"},
    {"LotWithHash", "10AB#",
     "position 4: AI (10): '#' is not in GS1 character set 82"},
    {"LotWithNonAsciiByte", "10AB\xc3\xa9",
     "position 4: AI (10): byte 0xC3 is not in GS1 character set 82"},
    {"SerialWithTilde", "21SN~1",
     "position 4: AI (21): '~' is not in GS1 character set 82"},
    {"SubstituteNotConfigured", "10A~21B",
     "position 3: AI (10): '~' is not in GS1 character set 82"},
    {"VariableCountOfNineDigits", "30123456789",
     "position 2: AI (30): variable count is 9 digits long, at most 8 "
     "allowed"},
    {"VariableCountWithLetter", "3012A",
     "position 4: AI (30): 'A' is not a digit"},
    {"EmptyVariableCount", "30{GS}10A",
     "position 2: AI (30): variable count is empty"},
    {"CountOfNineDigits", "37123456789",
     "position 2: AI (37): count is 9 digits long, at most 8 allowed"},
    {"CountWithLetter", "37X", "position 2: AI (37): 'X' is not a digit"},
};
INSTANTIATE_TEST_SUITE_P(Gs1ElementString, ParseBarcodeRejects,
                         ValuesIn(kElementStringRejects), RejectName);

const RejectCase kDateRejects[] = {
    {"MonthThirteen", "010950600013435217261301",
     "position 20: AI (17): month 13 is not a valid month"},
    {"MonthZero", "]d217260001",
     "position 7: AI (17): month 00 is not a valid month"},
    {"February30InLeapYear", "]d217240230",
     "position 9: AI (17): day 30 does not exist in month 02"},
    {"February29InCommonYear", "]d217250229",
     "position 9: AI (17): day 29 does not exist in month 02 of a year ending "
     "in 25 (not a leap year)"},
    {"February29In2100", "]d217000229",
     "position 5: AI (17): day 29 does not exist in 2100-02", 2075},
    {"April31", "]d217260431",
     "position 9: AI (17): day 31 does not exist in month 04"},
    {"January32", "]d217260132",
     "position 9: AI (17): day 32 does not exist in month 01"},
    {"DateTooShort", "17261",
     "position 2: AI (17): expected 6 digits, found 3"},
    {"DateWithLetter", "1726A231", "position 4: AI (17): 'A' is not a digit"},
    {"ProductionDateMonthThirteen", "]d211251301",
     "position 7: AI (11): month 13 is not a valid month"},
    {"BestBeforeDay31InJune", "]d215260631",
     "position 9: AI (15): day 31 does not exist in month 06"},
    {"ExpiryBeforeSeparatorTooShort", "1726123{GS}10A",
     "position 2: AI (17): expected 6 digits, found 5"},
};
INSTANTIATE_TEST_SUITE_P(Gs1Dates, ParseBarcodeRejects, ValuesIn(kDateRejects),
                         RejectName);

const RejectCase kHumanReadableRejects[] = {
    {"UnknownAi", "(14)123", "position 0: unknown application identifier (14)"},
    {"UnknownFourDigitAi", "(01)09506000134352(3106)000123",
     "position 18: unknown application identifier (3106)"},
    {"GtinTooShort", "(01)0950600013435",
     "position 4: AI (01): expected 14 digits, found 13"},
    {"GtinTooLong", "(01)095060001343520",
     "position 4: AI (01): expected 14 digits, found 15"},
    {"MonthThirteen", "(01)09506000134352(17)261331",
     "position 24: AI (17): month 13 is not a valid month"},
    {"SpaceBetweenElements", "(01)09506000134352 (10)A",
     "position 18: AI (01): unexpected space inside the data"},
    {"OneDigitAi", "(1)23",
     "position 0: malformed application identifier: expected '(', 2 to 4 "
     "digits and ')'"},
    {"LotRepeatedWithAnotherValue", "(10)A(10)B",
     "position 5: AI (10) appears twice with different values (A, then B)"},
    {"LotOfTwentyOneCharacters", "(10)ABCDEFGHIJKLMNOPQRSTU",
     "position 4: AI (10): lot is 21 characters long, at most 20 allowed"},
    {"EmptyLot", "(10)(21)X", "position 4: AI (10): lot is empty"},
};
INSTANTIATE_TEST_SUITE_P(Gs1HumanReadable, ParseBarcodeRejects,
                         ValuesIn(kHumanReadableRejects), RejectName);

const RejectCase kPlainGtinRejects[] = {
    {"Gtin13CheckDigit", "9506000134353",
     "position 12: gtin check digit is 3, expected 2"},
    {"Gtin8CheckDigit", "96385075",
     "position 7: gtin check digit is 5, expected 4"},
    {"Gtin12CheckDigit", "036000291453",
     "position 11: gtin check digit is 3, expected 2"},
    {"Gtin14CheckDigit", "95012345678904",
     "position 13: gtin check digit is 4, expected 3"},
    {"EanIdentifierWithTenDigits", "]E01234567890",
     "position 3: EAN-13/UPC (]E0) carries 13 digits, found 10"},
    {"EanIdentifierWithLetter", "]E0950600013435X",
     "position 15: 'X' is not a digit of a gtin"},
};
INSTANTIATE_TEST_SUITE_P(PlainGtin, ParseBarcodeRejects,
                         ValuesIn(kPlainGtinRejects), RejectName);

// ---------------------------------------------------------------------------
// Issue 14: every AI of the GS1 Barcode Syntax Dictionary, the pairing
// rules, composite symbols, DotCode and the symbology identifiers of every
// GS1 carrier. Inputs marked "engine" are scan data from GS1's Barcode Syntax
// Engine test suite (github.com/gs1/gs1-syntax-engine src/c-lib/scandata.c,
// test_testProcessScanData, commit 50657dbd), with its verdict.

const AcceptCase kFullTableCases[] = {
    {"CompanyInternalAiIsKept", "0109506000134352{GS}91ABC-123",
     "gs1 gtin=09506000134352 (91)=ABC-123"},
    {"NetWeightIsKept", "010950600013435231030001501726123110AB",
     "gs1 gtin=09506000134352 lot=AB expiry=2026-12-31 (3103)=000150"},
    {"SameMeasureInAnotherUnitIsAllowed",
     "010950600013435231030001503203000330",
     "gs1 gtin=09506000134352 (3103)=000150 (3203)=000330"},
    {"DigitalSignatureIsKept", "010950600013435221SN1{GS}8030AbC-_9",
     "gs1 gtin=09506000134352 serial=SN1 (8030)=AbC-_9"},
    {"ExpiryDateTimeIsKept", "0109506000134352{GS}70032612311430",
     "gs1 gtin=09506000134352 (7003)=2612311430"},
    {"NotBeforeDeliveryDateAllowsDayZero",
     "00106141411234567897{GS}43242612001430",
     "gs1 sscc=106141411234567897 (4324)=2612001430"},
    {"DocumentTypeWithOptionalSerial", "2539506000134352ABC",
     "gs1 (253)=9506000134352ABC"},
    {"HumanReadableWithExtraAis", "(01)09506000134352(91)X(3103)000150",
     "gs1-hri gtin=09506000134352 (91)=X (3103)=000150"},
    {"ExpiryOf1999IsReadAs1999", "]d2010950600013435217991231",
     "gs1 gtin=09506000134352 expiry=1999-12-31"},
    // engine: ]e0 DataBar, a composite component after a predefined-length AI
    // needs no separator; 99 in 2026 is 1999 (General Specifications §7.12).
    {"DataBarCompositeAfterFixedLengthAi",
     "]e0011231231231233310ABC123{GS}1199122598TESTING{GS}97XYZ",
     "gs1 gtin=12312312312333 lot=ABC123 production=1999-12-25 "
     "(98)=TESTING (97)=XYZ"},
    // engine: (235) X..28 in GS1-128 with a separator before (10).
    {"Gs1128ThirdPartyControlledSerial", "]C10112312312312333235XYZ{GS}10ABC",
     "gs1 gtin=12312312312333 lot=ABC (235)=XYZ"},
    // engine: GS1 DotCode.
    {"DotCode", "]J1011231231231233310ABC123{GS}99TESTING",
     "gs1 gtin=12312312312333 lot=ABC123 (99)=TESTING"},
    // engine: EAN-13 and EAN-8 with a composite 2D component.
    {"Ean13Composite", "]E02112345678900|]e099COMPOSITE{GS}98XYZ",
     "gs1 gtin=02112345678900 (99)=COMPOSITE (98)=XYZ"},
    {"Ean8Composite", "]E402345673|]e099COMPOSITE{GS}98XYZ",
     "gs1 gtin=00000002345673 (99)=COMPOSITE (98)=XYZ"},
    {"Ean13CompositeWithLotAndExpiry", "]E02112345678900|]e01726123110AB",
     "gs1 gtin=02112345678900 lot=AB expiry=2026-12-31"},
};
INSTANTIATE_TEST_SUITE_P(Gs1FullTable, ParseBarcodeAccepts,
                         ValuesIn(kFullTableCases), AcceptName);

const RejectCase kFullTableRejects[] = {
    // Pairing rules, both ways (General Specifications, invalid pairs and
    // mandatory associations; the dictionary's ex= and req=).
    {"GtinWithCount", "01095060001343523724",
     "position 0: AI (01) and AI (37) cannot appear together"},
    {"ContentGtinWithoutCount", "001061414112345678970210614141000415",
     "position 20: AI (02) needs AI (37) with it"},
    {"CountWithoutSscc", "02106141410004153724",
     "position 16: AI (37) needs AI (00) with it"},
    {"LotWithoutProductKey", "10ABC",
     "position 0: AI (10) needs AI (01), AI (02), AI (03), AI (8006) or AI "
     "(8026) with it"},
    {"TwoNetWeightsInOneUnit", "010950600013435231030001503102000150",
     "position 16: AI (3103) and AI (3102) cannot appear together"},
    {"SerialWithThirdPartySerial", "010950600013435221A{GS}235X",
     "position 16: AI (21) and AI (235) cannot appear together"},
    {"HumanReadableGtinWithCount", "(01)09506000134352(37)24",
     "position 0: AI (01) and AI (37) cannot appear together"},
    // Formats from the table.
    {"Cset39RefusesLowerCase", "8010ab",
     "position 4: AI (8010): 'a' is not in GS1 character set 39 (capital "
     "letters, digits, # - /)"},
    {"FixedLengthAiOutsideThePredefinedTableNeedsFnc1",
     "01095060001343528001010000500001013103000150",
     "position 20: AI (8001): expected 14 digits, found 24"},
    {"DigitalSignatureRefusesBadPadding", "010950600013435221SN1{GS}8030ab=c",
     "position 28: AI (8030): '=' is not valid base64 padding here"},
    {"ReleaseDateRefusesDayZero", "001061414112345678974326261200",
     "position 28: AI (4326): day 00 is not a valid day here"},
    {"ExpiryTimeRefusesHour25", "0109506000134352{GS}70032612312530",
     "position 27: AI (7003): hour 25 is not a valid hour (00-23)"},
    // Carriers: EAN-13/UPC carries 13 digits (]E0), EAN-8 8 (]E4) (engine).
    {"Ean13IdentifierWithTwelveDigits", "]E0036000291452",
     "position 3: EAN-13/UPC (]E0) carries 13 digits, found 12"},
    {"Ean13IdentifierWithFourteenDigits", "]E012345678901234",
     "position 3: EAN-13/UPC (]E0) carries 13 digits, found 14"},
    {"Ean8IdentifierWithSevenDigits", "]E41234567",
     "position 3: EAN-8 (]E4) carries 8 digits, found 7"},
    {"Ean8IdentifierWithNineDigits", "]E4123456789",
     "position 3: EAN-8 (]E4) carries 8 digits, found 9"},
    {"Ean13BadCheckDigit", "]E02112345678901",
     "position 15: gtin check digit is 1, expected 0"},
    {"CompositeWithoutData", "]E02112345678900|]e0",
     "position 20: no data in the composite 2D component"},
    {"CompositeBreaksAPairingRule", "]E02112345678900|]e03724",
     "position 3: AI (01) and AI (37) cannot appear together"},
    {"CompositeRepeatsTheGtinWithAnotherValue",
     "]E02112345678900|]e00109506000134352",
     "position 20: AI (01) appears twice with different values "
     "(02112345678900, then 09506000134352)"},
    {"EmptyDotCode", "]J1",
     "position 3: no data after symbology identifier ]J1"},
    // engine: a caret is not GS1 data.
    {"CaretInGs1128Data", "]C101123123123133^10ABC",
     "position 17: AI (01): '^' is not a digit"},
};
INSTANTIATE_TEST_SUITE_P(Gs1FullTable, ParseBarcodeRejects,
                         ValuesIn(kFullTableRejects), RejectName);

TEST(ParseBarcode, KeepsEveryElementInTheOrderScannedARepeatOnce) {
  const absl::StatusOr<ScannedItem> item = ParseBarcode(WithGs(
      "]d20109506000134352{GS}91INT{GS}1726120010LOT1{GS}21S1{GS}10LOT1"));
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_THAT(item->elements,
              ElementsAre(Gs1Element{"01", "09506000134352"},
                          Gs1Element{"91", "INT"}, Gs1Element{"17", "261200"},
                          Gs1Element{"10", "LOT1"}, Gs1Element{"21", "S1"}));
  EXPECT_EQ(item->expiry, absl::CivilDay(2026, 12, 31));
}

TEST(ParseBarcode, PlainGtinYieldsOneGtinElementPaddedTo14) {
  for (const char* scan :
       {"]E09506000134352", "9506000134352", "96385074", "]E400000000"}) {
    const absl::StatusOr<ScannedItem> item = ParseBarcode(scan);
    if (std::string(scan) == "]E400000000") {
      EXPECT_TRUE(item.ok()) << item.status();
      continue;
    }
    ASSERT_TRUE(item.ok()) << scan << ": " << item.status();
    ASSERT_THAT(item->elements, SizeIs(1)) << scan;
    EXPECT_EQ(item->elements[0].ai, "01");
    EXPECT_EQ(item->elements[0].value, item->gtin);
    EXPECT_EQ(item->elements[0].value.size(), 14u);
  }
}

TEST(ParseBarcode, HibcHasNoGs1Elements) {
  const absl::StatusOr<ScannedItem> item = ParseBarcode("+A123BJC5D6E71G");
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_THAT(item->elements, IsEmpty());
}

const RejectCase kHibcRejects[] = {
    {"WrongCheckCharacter", "+A123BJC5D6E71K",
     "position 14: hibc: check character is 'K', expected 'G'"},
    {"LowerCase", "+h123NDL3RL11",
     "position 1: hibc: 'h' is not in the HIBC character set (0-9 A-Z - . "
     "space $ / + %)"},
    {"CarriageReturnInside", "+H123\rNDL3RL11",
     "position 5: hibc: unexpected carriage return (0x0D) inside the data"},
    {"TooShort", "+A", "position 0: hibc: data is too short"},
    {"PrimaryTooShort", "+A1235J",
     "position 1: hibc: primary data is too short: expected a 4-character "
     "labeler code, a product number and a unit of measure"},
    {"ProductOfNineteenCharacters", "+H123ABCDEFGHIJKLMNOPQRS3+",
     "position 5: hibc: product number is 19 characters long, at most 18 "
     "allowed"},
    {"UnitOfMeasureNotADigit", "+H123NDL3RLXX",
     "position 11: hibc: unit of measure 'X' is not a digit"},
    {"NeitherLabelerNorSecondary", "+-H123E",
     "position 1: hibc: '-' after '+' starts neither a labeler code (a letter) "
     "nor secondary data ('$' or a digit)"},
    {"ExpiryMonthThirteen", "+H123NDL3RL1/$$3271331LOT+",
     "position 16: hibc: expiry date (YYMMDD): month 13 is not a valid month"},
    {"ExpiryFebruary31", "+H123NDL3RL1/$$2023127LOT ",
     "position 16: hibc: expiry date (MMDDYY): day 31 does not exist in "
     "2027-02"},
    {"JulianDay366InCommonYear", "+H123NDL3RL1/$$527366LOT7",
     "position 16: hibc: expiry date (YYJJJ): day of year 366 does not exist "
     "in 2027"},
    {"Hour24", "+H123NDL3RL1/$$427103124LOT2",
     "position 22: hibc: expiry date (YYMMDDHH): hour 24 is not a valid hour"},
    {"DollarDollarWithoutFormat", "+H123NDL3RL1/$$LOTL",
     "position 15: hibc: '$$' must be followed by a date format (0-7) or a "
     "quantity format (8, 9)"},
    {"QuantityTooShort", "+H123NDL3RL1/$$820",
     "position 16: hibc: quantity (format 8): expected 2 digits, found 1"},
    {"QuantityFormatAfterQuantity", "+H123NDL3RL1/$$8248LOT0",
     "position 18: hibc: quantity format 8 cannot follow a quantity"},
    {"LotOfNineteenCharacters", "+H123NDL3RL1/$LOT4200000000000000V",
     "position 14: hibc: lot is 19 characters long, at most 18 allowed"},
    {"LotWithHyphen", "+H123NDL3RL1/$LOT-42O",
     "position 17: hibc: lot: '-' is not a capital letter or digit"},
    {"FormatSevenWithoutLot", "+H123NDL3RL1/$$7/",
     "position 16: hibc: lot is empty"},
    {"ExpiryTwice", "+H123NDL3RL1/$$3271031LOT/14D20271031Q",
     "position 26: hibc: expiry date appears more than once"},
    {"SerialTwice", "+H123NDL3RL1/$+SN1/SSN2-",
     "position 20: hibc: serial appears more than once"},
    {"QuantityTwice", "+H123NDL3RL1/$$824LOT/Q5K",
     "position 22: hibc: quantity appears more than once"},
    {"SecondaryTwice", "+H123NDL3RL1/$A/$B8",
     "position 16: hibc: secondary data appears more than once"},
    {"UnknownSegment", "+H123NDL3RL1/XYZE",
     "position 13: hibc: unknown data segment starting with 'X'"},
    {"ProductionDateFebruary30", "+H123NDL3RL1/16D20250230W",
     "position 16: hibc: production date (16D YYYYMMDD): day 30 does not exist "
     "in 2025-02"},
    {"SupplementalExpiryTooShort", "+H123NDL3RL1/14D202710S",
     "position 16: hibc: expiry date (14D YYYYMMDD): expected 8 digits, found "
     "6"},
    {"EmptySegment", "+H123NDL3RL1//$LOTM",
     "position 13: hibc: empty data segment"},
    {"SecondaryWithoutData", "+$.",
     "position 1: hibc: secondary data is missing before the link character"},
    {"TwoLinearSymbolsInOneScan", "+A123BJC5D6E71G+$$710X3G7",
     "position 24: hibc: check character is '7', expected '$'"},
};
INSTANTIATE_TEST_SUITE_P(Hibc, ParseBarcodeRejects, ValuesIn(kHibcRejects),
                         RejectName);

// ---------------------------------------------------------------------------
// Helpers.

struct CheckDigitCase {
  std::string digits_without_check;
  char check_digit;
};

// Published check digits, independent of any code here.
const CheckDigitCase kPublishedCheckDigits[] = {
    {"629104150021", '3'},       // GS1 check digit calculator page
    {"730001100001", '7'},       // GS1 Sweden
    {"890400021003", '7'},       // GS1 India
    {"950600013435", '2'},       // GS1 example GTIN
    {"9638507", '4'},            // GTIN-8
    {"03600029145", '2'},        // GTIN-12 (UPC-A)
    {"9501234567890", '3'},      // GTIN-14
    {"10614141123456789", '7'},  // SSCC
};

TEST(Gs1CheckDigit, ComputesMod10OfPublishedExamples) {
  for (const CheckDigitCase& c : kPublishedCheckDigits) {
    EXPECT_EQ(Gs1CheckDigit(c.digits_without_check), c.check_digit)
        << c.digits_without_check;
  }
  EXPECT_EQ(Gs1CheckDigit(""), '0');
  EXPECT_EQ(Gs1CheckDigit("12A"), '\0');
}

// The tests' GTINs (tests/testing/gtin.h) come from a second implementation
// of the check digit, so that no test trusts the code under test for its
// data: it matches the published examples, and the two agree on every test
// GTIN.
TEST(TestGtin, IsASecondImplementationThatAgreesWithGs1CheckDigit) {
  for (const CheckDigitCase& c : kPublishedCheckDigits) {
    EXPECT_EQ(::smptrace::testing::WithCheckDigit(c.digits_without_check),
              c.digits_without_check + c.check_digit);
  }
  EXPECT_EQ(::smptrace::testing::TestGtin(1), "09506000000015");
  for (int n = 0; n < 2000; ++n) {
    const std::string gtin = ::smptrace::testing::TestGtin(n);
    ASSERT_EQ(gtin.size(), 14u);
    EXPECT_TRUE(HasValidGs1CheckDigit(gtin)) << gtin;
  }
}

TEST(HasValidGs1CheckDigit, AcceptsOnlyDigitsEndingInTheirCheckDigit) {
  const std::pair<std::string, bool> kCases[] = {
      {"6291041500213", true},
      {"6291041500214", false},
      {"96385074", true},
      {"106141411234567897", true},
      {"106141411234567898", false},
      {"", false},
      {"0", true},
      {"629104150021A", false},
      {" 6291041500213", false},
  };
  for (const auto& [digits, valid] : kCases) {
    EXPECT_EQ(HasValidGs1CheckDigit(digits), valid) << "'" << digits << "'";
  }
}

struct NormalizeCase {
  std::string name;
  std::string gtin;
  std::string expected;  // the 14 digits, or the error message
  bool ok;
};

TEST(NormalizeGtin, PadsValidGtinsAndNamesTheReasonOtherwise) {
  const NormalizeCase kCases[] = {
      {"Gtin8", "96385074", "00000096385074", true},
      {"Gtin12", "036000291452", "00036000291452", true},
      {"Gtin13", "9506000134352", "09506000134352", true},
      {"Gtin14", "95012345678903", "95012345678903", true},
      {"SevenDigits", "9638507", "gtin has 7 digits, expected 8, 12, 13 or 14",
       false},
      {"FifteenDigits", "095012345678903",
       "gtin has 15 digits, expected 8, 12, 13 or 14", false},
      {"Empty", "", "gtin has 0 digits, expected 8, 12, 13 or 14", false},
      {"Letter", "95060001343A2",
       "gtin has 'A' at position 11; only digits are allowed", false},
      {"Space", "9506000 134352",
       "gtin has space at position 7; only digits are allowed", false},
      {"WrongCheckDigit", "9506000134353", "gtin check digit is 3, expected 2",
       false},
  };
  for (const NormalizeCase& c : kCases) {
    const absl::StatusOr<std::string> gtin = NormalizeGtin(c.gtin);
    if (c.ok) {
      ASSERT_TRUE(gtin.ok()) << c.name << ": " << gtin.status();
      EXPECT_EQ(*gtin, c.expected) << c.name;
    } else {
      ASSERT_FALSE(gtin.ok()) << c.name;
      EXPECT_EQ(gtin.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(gtin.status().message(), c.expected) << c.name;
    }
  }
}

TEST(HibcCheckCharacter, ComputesModulus43OfPublishedExamples) {
  const std::pair<std::string, char> kCases[] = {
      {"+A123BJC5D6E71", 'G'},   // HIBCC example primary
      {"+A1234BJC5D6E71", 'K'},  // worked modulus-43 example (sum 149)
      {"07000503", 'F'},         // sum 15
      {"159AZ", 'H'},            // sum 60, remainder 17
      {"+H123NDLAZ1", ' '},     {"+H123NDLCZ1", '/'}, {"", '0'}, {"+a", '\0'},
  };
  for (const auto& [data, check] : kCases) {
    EXPECT_EQ(HibcCheckCharacter(data), check) << "'" << data << "'";
  }
}

TEST(ScannedItemHibcId, JoinsLabelerProductAndUnit) {
  absl::StatusOr<ScannedItem> item = ParseBarcode("+H123NDL3RL11");
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->hibc_id(), "H123NDL3RL1");
  item = ParseBarcode("+H12350Q");
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->hibc_id(), "H12350");
}

TEST(ScannedItemHibcId, IsEmptyForGs1) {
  const absl::StatusOr<ScannedItem> item = ParseBarcode("0109506000134352");
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->hibc_id(), "");
}

TEST(LinkHibcSecondary, JoinsSymbolsWhoseLinkMatches) {
  const absl::StatusOr<ScannedItem> primary = ParseBarcode("+H123NDL3RL11");
  const absl::StatusOr<ScannedItem> secondary =
      ParseBarcode("+$$3271031LOT4212\r\n");
  ASSERT_TRUE(primary.ok()) << primary.status();
  ASSERT_TRUE(secondary.ok()) << secondary.status();
  const absl::StatusOr<ScannedItem> linked =
      LinkHibcSecondary(*primary, *secondary);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(Describe(*linked),
            "hibc lot=LOT42 expiry=2027-10-31 hibc=H123/NDL3RL/1");
}

TEST(LinkHibcSecondary, RefusesSecondaryOfAnotherProduct) {
  const absl::StatusOr<ScannedItem> primary = ParseBarcode("+H123NDLCZ1/");
  const absl::StatusOr<ScannedItem> secondary = ParseBarcode("+$LOT421W");
  ASSERT_TRUE(primary.ok()) << primary.status();
  ASSERT_TRUE(secondary.ok()) << secondary.status();
  const absl::StatusOr<ScannedItem> linked =
      LinkHibcSecondary(*primary, *secondary);
  EXPECT_EQ(linked.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      linked.status().message(),
      "hibc secondary symbol has link character '1', but primary H123NDLCZ1 "
      "has check character '/': they belong to different products");
}

TEST(LinkHibcSecondary, RefusesScansInTheWrongRoles) {
  const absl::StatusOr<ScannedItem> primary = ParseBarcode("+H123NDL3RL11");
  const absl::StatusOr<ScannedItem> secondary = ParseBarcode("+$LOT421W");
  const absl::StatusOr<ScannedItem> combined =
      ParseBarcode("+H123NDL3RL1/$LOT42V");
  const absl::StatusOr<ScannedItem> gs1 = ParseBarcode("0109506000134352");
  ASSERT_TRUE(primary.ok() && secondary.ok() && combined.ok() && gs1.ok());
  EXPECT_EQ(LinkHibcSecondary(*secondary, *primary).status().message(),
            "the first scan is not a primary-only hibc symbol");
  EXPECT_EQ(LinkHibcSecondary(*combined, *secondary).status().message(),
            "the first scan is not a primary-only hibc symbol");
  EXPECT_EQ(LinkHibcSecondary(*gs1, *secondary).status().message(),
            "the first scan is not a primary-only hibc symbol");
  EXPECT_EQ(LinkHibcSecondary(*primary, *primary).status().message(),
            "the second scan is not a secondary-only hibc symbol");
  EXPECT_EQ(LinkHibcSecondary(*primary, *gs1).status().message(),
            "the second scan is not a secondary-only hibc symbol");
}

// ---------------------------------------------------------------------------
// Formatting our own labels.

TEST(FormatGs1Date, WritesYymmdd) {
  const std::pair<absl::CivilDay, std::string> kCases[] = {
      {absl::CivilDay(2026, 12, 31), "261231"},
      {absl::CivilDay(2000, 1, 1), "000101"},
      {absl::CivilDay(1999, 2, 28), "990228"},
      {absl::CivilDay(2105, 7, 4), "050704"},
  };
  for (const auto& [day, text] : kCases) {
    EXPECT_EQ(FormatGs1Date(day), text) << day;
  }
}

ScannedItem Item(std::string gtin, std::optional<absl::CivilDay> expiry,
                 std::string lot, std::string serial) {
  ScannedItem item;
  item.gtin = std::move(gtin);
  item.expiry = expiry;
  item.lot = std::move(lot);
  item.serial = std::move(serial);
  return item;
}

TEST(FormatGs1ElementString, WritesGtinExpiryLotSerialInThatOrder) {
  const absl::CivilDay expiry(2026, 12, 31);
  EXPECT_EQ(
      FormatGs1ElementString(Item("09506000134352", expiry, "AB-12", "SN0042")),
      WithGs("01095060001343521726123110AB-12{GS}21SN0042"));
  EXPECT_EQ(FormatGs1ElementString(
                Item("09506000134352", expiry, "AB-12", "SN0042"), '|'),
            "01095060001343521726123110AB-12|21SN0042");
  EXPECT_EQ(FormatGs1ElementString(
                Item("09506000134352", std::nullopt, "", "SN0042")),
            "010950600013435221SN0042");
  EXPECT_EQ(
      FormatGs1ElementString(Item("09506000134352", std::nullopt, "AB", "")),
      "010950600013435210AB");
  EXPECT_EQ(FormatGs1ElementString(Item("", std::nullopt, "", "")), "");
}

TEST(FormatGs1HumanReadable, WritesParenthesisedAis) {
  EXPECT_EQ(
      FormatGs1HumanReadable(Item(
          "09506000134352", absl::CivilDay(2026, 12, 31), "AB-12", "SN0042")),
      "(01)09506000134352(17)261231(10)AB-12(21)SN0042");
  EXPECT_EQ(
      FormatGs1HumanReadable(Item("09506000134352", std::nullopt, "", "sn1")),
      "(01)09506000134352(21)sn1");
}

struct RoundTripCase {
  std::string name;
  ScannedItem item;
  int reference_year = 2026;
};

void PrintTo(const RoundTripCase& c, std::ostream* os) { *os << c.name; }

class FormatThenParse : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(FormatThenParse, GivesBackTheFieldsFromElementString) {
  const RoundTripCase& c = GetParam();
  const absl::StatusOr<ScannedItem> parsed = ParseBarcode(
      FormatGs1ElementString(c.item), Options(c.reference_year, '\0'));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ScannedItem expected = c.item;
  expected.format = BarcodeFormat::kGs1ElementString;
  EXPECT_EQ(Describe(*parsed), Describe(expected));
}

TEST_P(FormatThenParse, GivesBackTheFieldsFromElementStringWithSubstitute) {
  const RoundTripCase& c = GetParam();
  const absl::StatusOr<ScannedItem> parsed =
      ParseBarcode(absl::StrCat("]d2", FormatGs1ElementString(c.item, '~')),
                   Options(c.reference_year, '~'));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ScannedItem expected = c.item;
  expected.format = BarcodeFormat::kGs1ElementString;
  EXPECT_EQ(Describe(*parsed), Describe(expected));
}

TEST_P(FormatThenParse, GivesBackTheFieldsFromHumanReadable) {
  const RoundTripCase& c = GetParam();
  const absl::StatusOr<ScannedItem> parsed = ParseBarcode(
      FormatGs1HumanReadable(c.item), Options(c.reference_year, '\0'));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ScannedItem expected = c.item;
  expected.format = BarcodeFormat::kGs1HumanReadable;
  EXPECT_EQ(Describe(*parsed), Describe(expected));
}

const RoundTripCase kRoundTripCases[] = {
    {"MintedSerialLabel",
     Item("09506000134352", absl::CivilDay(2026, 12, 31), "AB-12", "SN0042")},
    {"SerialWithoutLot", Item("09506000134352", std::nullopt, "", "SN0042")},
    {"LotWithoutSerial", Item("95012345678903", std::nullopt, "L1", "")},
    {"ExpiryOnly", Item("00000096385074", absl::CivilDay(2027, 2, 28), "", "")},
    {"LowerCaseAndSymbolsInLot",
     Item("09506000134352", absl::CivilDay(2026, 1, 1), "ab/c-d.e_f%", "x1")},
    {"LongestLotAndSerial",
     Item("09506000134352", std::nullopt, "ABCDEFGHIJKLMNOPQRST",
          "abcdefghijklmnopqrst")},
    {"ExpiryAtTheFarEndOfTheCenturyWindow",
     Item("09506000134352", absl::CivilDay(2076, 12, 31), "L", "S")},
    {"ExpiryAtTheNearEndOfTheCenturyWindow",
     Item("09506000134352", absl::CivilDay(1977, 1, 1), "L", "S")},
    {"OtherReferenceYear",
     Item("09506000134352", absl::CivilDay(2120, 6, 15), "L", "S"), 2090},
};
INSTANTIATE_TEST_SUITE_P(Labels, FormatThenParse, ValuesIn(kRoundTripCases),
                         [](const TestParamInfo<RoundTripCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace smptrace::domain
