// Conformance of ParseBarcode (service/domain/gs1.h) with GS1's reference
// engine, the GS1 Barcode Syntax Engine: every vector of its unit tests
// (scandata.c, ai.c, dl.c), extracted as data into
// tests/testdata/gs1-syntax-engine/ (engine commit, file and line of each
// vector, the Apache-2.0 licence and the columns: README.md there).
//
// A vector the engine reads as valid must be accepted with exactly the GS1
// elements the engine gives, in the order carried; one it refuses must be
// refused as InvalidArgument naming a "position N" and, when the engine's
// error names AIs, one of them. Test names are the vectors' ids:
// <engine file>_L<line>[_hri|_gs1], e.g. scandata_c_L857, ai_c_L1372_hri.
//
// Nothing is skipped. ClinicDiffers() and RepeatKeptOnce() list, one by one,
// the vectors where a clinic is right to answer otherwise than the engine,
// why, and what it answers.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/gs1.h"
#include "tests/testing/gs1_vectors.h"

namespace smptrace::domain {
namespace {

using ::smptrace::testing::EscapeGs1Vector;
using ::smptrace::testing::Gs1ElementsText;
using ::smptrace::testing::Gs1Vector;
using ::smptrace::testing::LoadGs1Vectors;
using ::testing::TestParamInfo;
using ::testing::TestWithParam;
using ::testing::ValuesIn;

// Plain (non-GS1) data in a QR Code, Data Matrix or DotCode: the engine
// reports it as such (no AI data); it identifies no product, so a clinic
// refuses it as a scan, as it refuses any text that is not a GS1, HIBC or
// Digital Link barcode.
constexpr char kPlainData[] =
    "plain (non-GS1) data names no product: refused like any text that is not "
    "a GS1, HIBC or Digital Link barcode";

// Vector id -> why the clinic refuses a vector the engine reads as valid.
const std::map<std::string, std::string>& ClinicDiffers() {
  static const auto* m = new std::map<std::string, std::string>{
      // ]Q1, ]d1, ]J0 "TESTING": plain text in QR / DataMatrix / DotCode.
      {"scandata_c_L646", kPlainData},
      {"scandata_c_L655", kPlainData},
      {"scandata_c_L664", kPlainData},
      {"scandata_c_L853", kPlainData},
      {"scandata_c_L880", kPlainData},
      {"scandata_c_L895", kPlainData},
      // The same with a literal "^" (the engine's own FNC1 notation) and
      // "\^" in the plain text.
      {"scandata_c_L647", kPlainData},
      {"scandata_c_L648", kPlainData},
      {"scandata_c_L656", kPlainData},
      {"scandata_c_L657", kPlainData},
      {"scandata_c_L665", kPlainData},
      {"scandata_c_L666", kPlainData},
      {"scandata_c_L854", kPlainData},
      {"scandata_c_L855", kPlainData},
      {"scandata_c_L881", kPlainData},
      {"scandata_c_L882", kPlainData},
      {"scandata_c_L896", kPlainData},
      {"scandata_c_L897", kPlainData},
      // An empty QR / DataMatrix / DotCode: nothing to record.
      {"scandata_c_L852", "an empty symbol names no product"},
      {"scandata_c_L879", "an empty symbol names no product"},
      {"scandata_c_L894", "an empty symbol names no product"},
      // QR plain text followed by "|^99XYZ": the engine keeps it as plain
      // data (a QR Code has no composite component).
      {"scandata_c_L755", kPlainData},
      // "HtTps://...": a mixed-case scheme is not a GS1 Digital Link URI
      // (the engine reads it as plain data and extracts no AI); a clinic
      // refuses it rather than record plain text.
      {"scandata_c_L874", kPlainData},
  };
  return *m;
}

// The same AI and value carried twice: ScannedItem.elements keeps a repeated
// AI once (gs1.h), since the second copy tells a clinic nothing; the engine
// lists both. Vector id -> why; the expected elements drop the later copies.
const std::map<std::string, std::string>& RepeatKeptOnce() {
  static const auto* m = new std::map<std::string, std::string>{
      // (400)ABC(400)ABC: the order reference twice, same value.
      {"ai_c_L2049_hri", "(400) repeated with the same value, kept once"},
      {"ai_c_L2049_gs1", "(400) repeated with the same value, kept once"},
      // (400)ABC(99)DEF(400)ABC: the same, another AI between.
      {"ai_c_L2050_hri", "(400) repeated with the same value, kept once"},
      {"ai_c_L2050_gs1", "(400) repeated with the same value, kept once"},
      // (99)ABC(400)XYZ(400)XYZ: the same, at the end.
      {"ai_c_L2051_hri", "(400) repeated with the same value, kept once"},
      {"ai_c_L2051_gs1", "(400) repeated with the same value, kept once"},
  };
  return *m;
}

// `elements` without the later copies of an element (same AI and value).
std::vector<Gs1Element> FirstCopies(const std::vector<Gs1Element>& elements) {
  std::vector<Gs1Element> out;
  for (const Gs1Element& e : elements) {
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  }
  return out;
}

// What a scan yielded, as GS1 elements: a plain GTIN (]E0, ]E4) is AI (01).
std::vector<Gs1Element> ElementsOf(const ScannedItem& item) {
  if (item.format == BarcodeFormat::kPlainGtin && item.elements.empty()) {
    return {{"01", item.gtin}};
  }
  return item.elements;
}

enum class Outcome {
  kAcceptedExact,       // valid: accepted with the expected elements
  kAcceptedOther,       // valid: accepted with other elements
  kRefused,             // valid: refused
  kRefusedRight,        // invalid: InvalidArgument, position and AI named
  kRefusedWrongReason,  // invalid: refused, but not so
  kWronglyAccepted,     // invalid: accepted
};

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kAcceptedExact:
      return "valid accepted with the expected values";
    case Outcome::kAcceptedOther:
      return "valid accepted with other values";
    case Outcome::kRefused:
      return "valid refused";
    case Outcome::kRefusedRight:
      return "invalid refused (position and AI named)";
    case Outcome::kRefusedWrongReason:
      return "invalid refused for the wrong reason";
    case Outcome::kWronglyAccepted:
      return "invalid wrongly accepted";
  }
  return "?";
}

// Tallies per suite, printed when the test program ends (the counts the
// issue reports).
std::map<std::string, std::map<Outcome, int>>& Tally() {
  static auto* t = new std::map<std::string, std::map<Outcome, int>>;
  return *t;
}

class TallyPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    for (const auto& [suite, counts] : Tally()) {
      std::string line = absl::StrCat("[gs1 conformance] ", suite, ":");
      for (const auto& [outcome, n] : counts) {
        absl::StrAppend(&line, " ", OutcomeName(outcome), " ", n, ";");
      }
      std::printf("%s\n", line.c_str());
    }
  }
};
[[maybe_unused]] const auto* const kTallyPrinter =
    ::testing::AddGlobalTestEnvironment(new TallyPrinter);

// "position N" somewhere in `message`.
bool NamesPosition(absl::string_view message) {
  constexpr absl::string_view kWord = "position ";
  for (size_t at = message.find(kWord); at != absl::string_view::npos;
       at = message.find(kWord, at + 1)) {
    const size_t digit = at + kWord.size();
    if (digit < message.size() &&
        std::isdigit(static_cast<unsigned char>(message[digit]))) {
      return true;
    }
  }
  return false;
}

// Checks one vector against `expected` elements (when valid); `explanation`
// says what differs.
Outcome Check(const Gs1Vector& v, bool expect_valid,
              const std::vector<Gs1Element>& expected,
              std::string* explanation) {
  const absl::StatusOr<ScannedItem> got = ParseBarcode(v.input);
  if (expect_valid) {
    if (!got.ok()) {
      *explanation = absl::StrCat("refused: ", got.status().ToString());
      return Outcome::kRefused;
    }
    const std::vector<Gs1Element> elements = ElementsOf(*got);
    if (elements != expected) {
      *explanation = absl::StrCat("elements ", Gs1ElementsText(elements),
                                  "; expected ", Gs1ElementsText(expected));
      return Outcome::kAcceptedOther;
    }
    return Outcome::kAcceptedExact;
  }
  if (got.ok()) {
    *explanation =
        absl::StrCat("accepted with ", Gs1ElementsText(ElementsOf(*got)));
    return Outcome::kWronglyAccepted;
  }
  const absl::Status& s = got.status();
  const std::string message(s.message());
  std::vector<std::string> wrong;
  if (s.code() != absl::StatusCode::kInvalidArgument) {
    wrong.push_back("not InvalidArgument");
  }
  // An empty scan has no byte to point at: "empty barcode" says it all.
  if (!NamesPosition(message) && !v.input.empty()) {
    wrong.push_back("no \"position N\"");
  }
  bool names_ai = v.error_ais.empty();
  for (const std::string& ai : v.error_ais) {
    names_ai =
        names_ai || absl::StrContains(message, absl::StrCat("(", ai, ")"));
  }
  if (!names_ai) {
    wrong.push_back(absl::StrCat("names none of the AIs the engine names (",
                                 absl::StrJoin(v.error_ais, ", "), ")"));
  }
  if (!wrong.empty()) {
    *explanation = absl::StrCat(absl::StrJoin(wrong, "; "), ": ", s.ToString());
    return Outcome::kRefusedWrongReason;
  }
  return Outcome::kRefusedRight;
}

void ExpectConforms(const std::string& suite, const Gs1Vector& v) {
  ASSERT_TRUE(v.load_error.empty()) << v.load_error;
  bool expect_valid = v.valid;
  std::string differs;
  if (auto it = ClinicDiffers().find(v.id); it != ClinicDiffers().end()) {
    expect_valid = false;
    differs = it->second;
  }
  if (!v.clinic_reading.empty()) differs = v.clinic_reading;
  std::vector<Gs1Element> expected = v.elements;
  if (auto it = RepeatKeptOnce().find(v.id); it != RepeatKeptOnce().end()) {
    expected = FirstCopies(v.elements);
    differs = it->second;
  }
  std::string explanation;
  const Outcome outcome = Check(v, expect_valid, expected, &explanation);
  ++Tally()[suite][outcome];
  const Outcome want =
      expect_valid ? Outcome::kAcceptedExact : Outcome::kRefusedRight;
  EXPECT_EQ(std::string(OutcomeName(outcome)), OutcomeName(want))
      << explanation << "\n  vector " << v.source << " (" << v.test << ", "
      << v.form << "): \"" << EscapeGs1Vector(v.input)
      << "\"\n  engine: " << v.engine
      << (differs.empty() ? "" : "\n  clinic differs: ") << differs;
}

std::vector<Gs1Vector> Vectors(const std::string& file, bool digital_link) {
  std::vector<Gs1Vector> out;
  for (Gs1Vector& v : LoadGs1Vectors(file)) {
    if (!v.load_error.empty() || v.IsDigitalLink() == digital_link) {
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::string VectorName(const TestParamInfo<Gs1Vector>& info) {
  return info.param.id;
}

class Gs1Conformance : public TestWithParam<Gs1Vector> {};

TEST_P(Gs1Conformance, AsTheEngine) {
  ExpectConforms("element strings and human-readable text", GetParam());
}

INSTANTIATE_TEST_SUITE_P(ScanData, Gs1Conformance,
                         ValuesIn(Vectors("scandata.tsv", false)), VectorName);
INSTANTIATE_TEST_SUITE_P(AiData, Gs1Conformance,
                         ValuesIn(Vectors("ai.tsv", false)), VectorName);

// GS1 Digital Link URIs (dl.tsv, and the scandata.c scans that carry one),
// read by ParseBarcode wherever an element string is read (issue 14). The
// zero-suppressed GTINs a clinic reads although the engine at its defaults
// refuses them are listed in Gs1ClinicReadings() (tests/testing/
// gs1_vectors.h), with why.
class Gs1DigitalLinkConformance : public TestWithParam<Gs1Vector> {};

TEST_P(Gs1DigitalLinkConformance, AsTheEngine) {
  ExpectConforms("digital link", GetParam());
}

std::vector<Gs1Vector> DigitalLinkVectors() {
  std::vector<Gs1Vector> out = Vectors("scandata.tsv", true);
  for (Gs1Vector& v : Vectors("dl.tsv", true)) out.push_back(std::move(v));
  // dl.tsv vectors that are not URIs at all ("", "ftp://"): invalid as
  // Digital Link, tested here too.
  for (Gs1Vector& v : Vectors("dl.tsv", false)) out.push_back(std::move(v));
  return out;
}

INSTANTIATE_TEST_SUITE_P(DigitalLink, Gs1DigitalLinkConformance,
                         ValuesIn(DigitalLinkVectors()), VectorName);

}  // namespace
}  // namespace smptrace::domain
