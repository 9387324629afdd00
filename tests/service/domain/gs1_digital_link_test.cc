// Tests of GS1 Digital Link URIs read by ParseBarcode (service/domain/gs1.h,
// gs1_digital_link.h): the examples GS1 publishes in the GS1 Digital Link
// Standard: URI Syntax (its worked examples, which GS1's Barcode Syntax
// Engine reproduces in its tests, src/c-lib/dl.c lines 1625-1735: "Examples
// from DL specification"), then each rule both ways with the exact message
// and byte position. The engine's full vector set runs in
// gs1_conformance_test.cc.

#include "service/domain/gs1_digital_link.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/gs1.h"

namespace smptrace::domain {
namespace {

using ::testing::ElementsAreArray;
using ::testing::TestParamInfo;
using ::testing::ValuesIn;

struct Accepted {
  const char* name;
  const char* input;
  std::vector<Gs1Element> elements;
};

void PrintTo(const Accepted& a, std::ostream* os) { *os << a.input; }

class DigitalLinkAccepts : public ::testing::TestWithParam<Accepted> {};

TEST_P(DigitalLinkAccepts, WithTheElementsInOrder) {
  const Accepted& a = GetParam();
  absl::StatusOr<ScannedItem> item = ParseBarcode(a.input);
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->format, BarcodeFormat::kGs1DigitalLink);
  EXPECT_THAT(item->elements, ElementsAreArray(a.elements));
}

// The standard's examples: a GTIN alone and with each qualifier, qualifiers
// and attributes together, weight and dates as attributes, an SSCC with the
// contents of the logistic unit, a GLN with its extension (percent-encoded
// '/'), a GIAI with a GTIN as attribute.
const Accepted kPublishedExamples[] = {
    {"Gtin",
     "https://id.gs1.org/01/09520123456788",
     {{"01", "09520123456788"}}},
    {"GtinVariant",
     "https://id.gs1.org/01/09520123456788/22/2A",
     {{"01", "09520123456788"}, {"22", "2A"}}},
    {"GtinBatch",
     "https://id.gs1.org/01/09520123456788/10/ABC123",
     {{"01", "09520123456788"}, {"10", "ABC123"}}},
    {"GtinSerial",
     "https://id.gs1.org/01/09520123456788/21/12345",
     {{"01", "09520123456788"}, {"21", "12345"}}},
    {"GtinBatchSerialExpiry",
     "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
     {{"01", "09520123456788"},
      {"10", "ABC1"},
      {"21", "12345"},
      {"17", "180426"}}},
    {"GtinNetWeight",
     "https://id.gs1.org/01/09520123456788?3103=000195",
     {{"01", "09520123456788"}, {"3103", "000195"}}},
    {"OtherDomainWeightPriceExpiry",
     "https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225",
     {{"01", "09520123456788"},
      {"3103", "000195"},
      {"3922", "0299"},
      {"17", "201225"}}},
    {"Sscc",
     "https://id.gs1.org/00/952012345678912345",
     {{"00", "952012345678912345"}}},
    {"SsccContents",
     "https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10="
     "ABC123",
     {{"00", "952012345678912345"},
      {"02", "09520123456788"},
      {"37", "25"},
      {"10", "ABC123"}}},
    {"Gln", "https://id.gs1.org/414/9520123456788", {{"414", "9520123456788"}}},
    {"GlnExtensionPercentEncoded",
     "https://id.gs1.org/414/9520123456788/254/32a%2Fb",
     {{"414", "9520123456788"}, {"254", "32a/b"}}},
    {"GiaiWithGtinAttribute",
     "https://example.com/8004/9520614141234567?01=09520123456788",
     {{"8004", "9520614141234567"}, {"01", "09520123456788"}}},
};

// Rules, the accepting side.
const Accepted kRulesAccepted[] = {
    // Scheme http or https, lower or upper case.
    {"HttpLower", "http://a/01/09520123456788", {{"01", "09520123456788"}}},
    {"HttpsUpper", "HTTPS://A/01/09520123456788", {{"01", "09520123456788"}}},
    // Any domain: port, IPv4, IPv6 literal, a trailing dot.
    {"DomainWithPort",
     "https://a.example:8443/01/09520123456788",
     {{"01", "09520123456788"}}},
    {"DomainIpv6",
     "https://[2001:db8::1]/01/09520123456788",
     {{"01", "09520123456788"}}},
    // A path prefix of the domain owner's, even one that looks like an AI.
    {"PathPrefix",
     "https://brand.example/products/x/01/09520123456788",
     {{"01", "09520123456788"}}},
    {"PathPrefixLooksLikeKey",
     "https://a/00/stem/01/09520123456788/10/L1",
     {{"01", "09520123456788"}, {"10", "L1"}}},
    // Qualifiers in the order dlpkey gives, any of them left out.
    {"QualifiersSkipOne",
     "https://a/01/09520123456788/22/V/21/S1",
     {{"01", "09520123456788"}, {"22", "V"}, {"21", "S1"}}},
    {"QualifierAlternative",
     "https://a/01/09520123456788/235/TPX1",
     {{"01", "09520123456788"}, {"235", "TPX1"}}},
    // A qualifier of another alternative may be an attribute.
    {"BatchAttributeBesideAlternative",
     "https://a/01/09520123456788/235/TPX1?10=L1",
     {{"01", "09520123456788"}, {"235", "TPX1"}, {"10", "L1"}}},
    // GTIN-8/12/13 in (01) read as the GTIN-14 they are.
    {"Gtin13Padded", "https://a/01/9520123456788", {{"01", "09520123456788"}}},
    {"Gtin12Padded", "https://a/01/416000336108", {{"01", "00416000336108"}}},
    {"Gtin8Padded", "https://a/01/02345673", {{"01", "00000002345673"}}},
    {"Gtin13PaddedInQuery",
     "https://a/8004/9520614141234567?01=9520123456788",
     {{"8004", "9520614141234567"}, {"01", "09520123456788"}}},
    // Percent-encoding, either case of hex digit; '+' is itself in the path
    // and a space in the query; %2B is '+' in both.
    {"PercentEncodedLowerHex",
     "https://a/01/09520123456788/10/AB%2d12",
     {{"01", "09520123456788"}, {"10", "AB-12"}}},
    {"PlusInPath",
     "https://a/01/09520123456788/10/AB+12",
     {{"01", "09520123456788"}, {"10", "AB+12"}}},
    {"EncodedPlusInQuery",
     "https://a/01/09520123456788?99=X%2BY",
     {{"01", "09520123456788"}, {"99", "X+Y"}}},
    // Query parameters that are not AIs, empty ones and ones without '='
    // are ignored; so is a fragment.
    {"NonGs1QueryIgnored",
     "https://a/01/09520123456788?linkType=gs1:pip&utm_source=qr&17=261231&"
     "&flag",
     {{"01", "09520123456788"}, {"17", "261231"}}},
    {"FragmentIgnored",
     "https://a/01/09520123456788/10/L1#top%zz",
     {{"01", "09520123456788"}, {"10", "L1"}}},
    {"EmptyQuery", "https://a/01/09520123456788?", {{"01", "09520123456788"}}},
    // The symbology identifiers of QR Code, DataMatrix and DotCode without
    // GS1 FNC1, and scanner padding.
    {"QrCode",
     "]Q1https://a/01/09520123456788/10/L1",
     {{"01", "09520123456788"}, {"10", "L1"}}},
    {"DataMatrix",
     "]d1https://a/01/09520123456788/10/L1\r\n",
     {{"01", "09520123456788"}, {"10", "L1"}}},
    {"DotCode", "]J0https://a/01/09520123456788", {{"01", "09520123456788"}}},
};

std::string AcceptedName(const TestParamInfo<Accepted>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(PublishedExamples, DigitalLinkAccepts,
                         ValuesIn(kPublishedExamples), AcceptedName);
INSTANTIATE_TEST_SUITE_P(Rules, DigitalLinkAccepts, ValuesIn(kRulesAccepted),
                         AcceptedName);

struct Refused {
  const char* name;
  const char* input;
  const char* message;
};

void PrintTo(const Refused& r, std::ostream* os) { *os << r.input; }

class DigitalLinkRefuses : public ::testing::TestWithParam<Refused> {};

TEST_P(DigitalLinkRefuses, NamingPositionAiAndRule) {
  const Refused& r = GetParam();
  absl::StatusOr<ScannedItem> item = ParseBarcode(r.input);
  ASSERT_FALSE(item.ok()) << r.input;
  EXPECT_EQ(item.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(item.status().message()), r.message);
}

const Refused kRulesRefused[] = {
    {"MixedCaseScheme", "HtTps://a/01/09520123456788",
     "position 0: a GS1 Digital Link uri starts with http:// or https://, in "
     "lower or upper case, not mixed"},
    {"NoDomain", "https:///01/09520123456788",
     "position 8: the uri has no domain"},
    {"NoPath", "https://a",
     "position 9: the uri has no path: a GS1 Digital "
     "Link carries its key in the path, e.g. /01/ and "
     "a GTIN"},
    {"BadDomainCharacter", "https://a$b/01/09520123456788",
     "position 9: '$' is not allowed in the domain"},
    {"CharacterNotInUri", "https://a/01/09520123456788/10/A B",
     "position 32: unexpected space inside the data"},
    {"CaretNotInUri", "https://a/01/09520123456788/10/A^B",
     "position 32: '^' cannot appear in a uri; it must be percent-encoded"},
    {"NoKey", "https://a/products/123",
     "position 9: no GS1 Digital Link "
     "primary key in the path (e.g. /01/ "
     "and a GTIN)"},
    {"UnknownAiInPathHidesKey", "https://a/01/09520123456788/89/X",
     "position 9: no GS1 Digital Link primary key in the path (e.g. /01/ and "
     "a GTIN)"},
    {"TrailingSlash", "https://a/01/09520123456788/",
     "position 9: no GS1 Digital Link primary key in the path (e.g. /01/ and "
     "a GTIN)"},
    {"QualifiersOutOfOrder", "https://a/01/09520123456788/21/S1/10/L1",
     "position 34: AI (10) cannot follow in the path here: the key "
     "qualifiers of AI (01) are 22, 10, 21 in that order, or 235 in that "
     "order"},
    {"QualifierAlternativesMixed", "https://a/01/09520123456788/10/L1/235/T",
     "position 34: AI (235) cannot follow in the path here: the key "
     "qualifiers of AI (01) are 22, 10, 21 in that order, or 235 in that "
     "order"},
    {"NotAQualifier", "https://a/01/09520123456788/17/261231",
     "position 28: AI (17) cannot follow in the path here: the key "
     "qualifiers of AI (01) are 22, 10, 21 in that order, or 235 in that "
     "order"},
    {"KeyWithoutQualifiers", "https://a/00/952012345678912345/10/L1",
     "position 32: AI (10) cannot follow in the path here: AI (00) takes no "
     "key qualifiers"},
    {"EmptyPathValue", "https://a/01/09520123456788/10/",
     "position 31: AI (10): the value is empty"},
    {"EmptyQueryValue", "https://a/01/09520123456788?99=",
     "position 31: AI (99): the value is empty"},
    {"BadEscape", "https://a/01/09520123456788/10/A%2G",
     "position 32: AI (10): '%' must be followed by two hexadecimal digits "
     "(percent-encoding)"},
    {"TruncatedEscape", "https://a/01/09520123456788?99=A%2",
     "position 32: AI (99): '%' must be followed by two hexadecimal digits "
     "(percent-encoding)"},
    {"NulEscape", "https://a/01/09520123456788/10/A%00",
     "position 32: AI (10): %00 (a NUL byte) cannot be part of a value"},
    {"UnknownAiInQuery", "https://a/01/09520123456788?999=X",
     "position 28: unknown application identifier (999) in the query string"},
    {"QualifierInQuery", "https://a/01/09520123456788/22/V?10=L1",
     "position 33: AI (10) is a key qualifier of AI (01): it belongs in the "
     "path (/10/...), not in the query string"},
    {"NotADataAttribute", "https://a/8004/9520614141234567?7040=1A2B",
     "position 32: AI (7040) is a key qualifier of AI (8004): it belongs in "
     "the path (/7040/...), not in the query string"},
    {"SerialNotAnAttribute", "https://a/00/952012345678912345?21=S1",
     "position 32: AI (21) is not a GS1 Digital Link data attribute: it "
     "cannot be in the query string"},
    {"RepeatedAiSameValue", "https://a/01/09520123456788/10/L1?10=L1",
     "position 34: AI (10) appears twice in the digital link uri"},
    {"RepeatedAttribute", "https://a/01/09520123456788?99=A&99=A",
     "position 33: AI (99) appears twice in the digital link uri"},
    // The same format, linter and pairing rules as element strings.
    {"GtinCheckDigit", "https://a/01/09520123456789",
     "position 26: AI (01): check digit is 9, expected 8"},
    {"GtinTooShort", "https://a/01/95201234567",
     "position 13: AI (01): expected 14 digits, found 11"},
    {"ExpiryMonth", "https://a/01/09520123456788?17=261331",
     "position 33: AI (17): month 13 is not a valid month"},
    {"LotTooLong", "https://a/01/09520123456788/10/ABCDEFGHIJKLMNOPQRSTU",
     "position 31: AI (10): lot is 21 characters long, at most 20 allowed"},
    {"DecodedCharacterOutsideSet", "https://a/01/09520123456788/10/A%7E",
     "position 32: AI (10): '~' is not in GS1 character set 82"},
    {"SpaceFromPlusInQuery", "https://a/01/09520123456788?99=A+B",
     "position 32: AI (99): unexpected space inside the data"},
    {"PairingExcludes", "https://a/01/09520123456788?37=5",
     "position 10: AI (01) and AI (37) cannot appear together"},
    {"PairingRequires", "https://a/8004/9520614141234567?02=09520123456788",
     "position 32: AI (02) needs AI (37) with it"},
    // A Digital Link in a GS1-mode symbol is not GS1 element string data.
    {"InGs1DataMatrix", "]d2https://a/01/09520123456788",
     "position 3: 'h' is not an application identifier"},
};

std::string RefusedName(const TestParamInfo<Refused>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Rules, DigitalLinkRefuses, ValuesIn(kRulesRefused),
                         RefusedName);

// The named fields a clinic uses are set from a Digital Link as from an
// element string.
TEST(DigitalLink, SetsTheNamedFields) {
  absl::StatusOr<ScannedItem> item = ParseBarcode(
      "]Q1https://id.gs1.org/01/09506000134352/10/AB%2D12/21/SN0042"
      "?17=261200&linkType=all");
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->gtin, "09506000134352");
  EXPECT_EQ(item->lot, "AB-12");
  EXPECT_EQ(item->serial, "SN0042");
  EXPECT_EQ(item->expiry, absl::CivilDay(2026, 12, 31));
}

TEST(DigitalLink, IsRecognisedByItsSchemeInAnyCase) {
  EXPECT_TRUE(IsGs1DigitalLinkUri("https://a/01/09520123456788"));
  EXPECT_TRUE(IsGs1DigitalLinkUri("HtTp://a"));
  EXPECT_FALSE(IsGs1DigitalLinkUri("ftp://a/01/09520123456788"));
  EXPECT_FALSE(IsGs1DigitalLinkUri("0109520123456788"));
}

// Positions point into the scanned text, before decoding: the third decoded
// character of "%41%42X" is the 'X', and a padding zero of a short GTIN
// points at the value's first digit.
TEST(DigitalLink, PositionsAreInTheScannedText) {
  absl::StatusOr<std::vector<Gs1DigitalLinkElement>> elements =
      ReadGs1DigitalLink("]Q1https://a/01/02345673/10/%41%42X", 3, 35);
  ASSERT_TRUE(elements.ok()) << elements.status();
  ASSERT_EQ(elements->size(), 2u);
  const Gs1DigitalLinkElement& gtin = (*elements)[0];
  EXPECT_EQ(gtin.value, "00000002345673");
  EXPECT_EQ(gtin.ai_position, 13u);
  EXPECT_EQ(gtin.value_positions.front(), 16u);
  EXPECT_EQ(gtin.value_positions.size(), 15u);
  const Gs1DigitalLinkElement& lot = (*elements)[1];
  EXPECT_EQ(lot.value, "ABX");
  EXPECT_EQ(lot.ai_position, 25u);
  EXPECT_THAT(lot.value_positions, ElementsAreArray({28u, 31u, 34u, 35u}));
}

}  // namespace
}  // namespace smptrace::domain
