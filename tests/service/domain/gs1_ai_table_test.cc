// Tests of the GS1 AI table (service/domain/gs1_ai_table.h): the compiled-in
// dictionary is the file in the tree, it parses into the AIs GS1 defines
// (counts and entries checked against the dictionary text by hand and with
// awk, not with the parser), the parser refuses malformed lines, and the
// pairing rules hold both ways.

#include "service/domain/gs1_ai_table.h"

#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/gs1.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::domain {
namespace {

using ::smptrace::testing::IsOk;
using ::smptrace::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST(Gs1SyntaxDictionary, CompiledInTextIsTheFileInTheTree) {
  std::ifstream file(std::string(SMPTRACE_SOURCE_DIR) +
                     "/service/domain/gs1_syntax_dictionary.txt");
  ASSERT_TRUE(file.good());
  const std::string text((std::istreambuf_iterator<char>(file)),
                         std::istreambuf_iterator<char>());
  EXPECT_EQ(Gs1SyntaxDictionaryText(), text);
  EXPECT_THAT(text, HasSubstr("# Release: 2026-01-27"));
}

// 224 entry lines; 541 AIs once the ranges are expanded; 337 with the
// predefined-length flag '*', 525 with the Digital Link attribute flag '?'
// (counted with awk over the file).
TEST(Gs1AiTable, HoldsEveryAiOfTheDictionary) {
  const std::vector<Gs1Ai>& table = Gs1AiTable();
  EXPECT_THAT(table, SizeIs(541));
  int predefined = 0;
  int dl_attributes = 0;
  for (const Gs1Ai& ai : table) {
    if (!ai.fnc1_required) ++predefined;
    if (ai.dl_data_attribute) ++dl_attributes;
  }
  EXPECT_EQ(predefined, 337);
  EXPECT_EQ(dl_attributes, 525);
  for (size_t i = 1; i < table.size(); ++i) {
    EXPECT_LT(table[i - 1].ai, table[i].ai);
  }
}

TEST(Gs1AiTable, GtinEntry) {
  const Gs1Ai* gtin = FindGs1Ai("01");
  ASSERT_NE(gtin, nullptr);
  EXPECT_EQ(gtin->ai, "01");
  EXPECT_EQ(gtin->title, "GTIN");
  EXPECT_FALSE(gtin->fnc1_required);
  EXPECT_TRUE(gtin->dl_data_attribute);
  ASSERT_THAT(gtin->components, SizeIs(1));
  const Gs1Component& c = gtin->components[0];
  EXPECT_EQ(c.character_set, Gs1CharacterSet::kNumeric);
  EXPECT_EQ(c.min_length, 14);
  EXPECT_EQ(c.max_length, 14);
  EXPECT_FALSE(c.optional);
  EXPECT_THAT(c.linters, ElementsAre("csum", "gcppos2"));
  EXPECT_THAT(gtin->excluded, ElementsAre("255", "37"));
  EXPECT_THAT(gtin->required, IsEmpty());
  EXPECT_TRUE(gtin->dl_primary_key);
  EXPECT_THAT(gtin->dl_qualifier_paths,
              ElementsAre(ElementsAre("22", "10", "21"), ElementsAre("235")));
}

TEST(Gs1AiTable, CountHasTwoRequirementClauses) {
  // "37  ?  N..8  req=00 req=02,8026  # COUNT"
  const Gs1Ai* count = FindGs1Ai("37");
  ASSERT_NE(count, nullptr);
  EXPECT_TRUE(count->fnc1_required);
  EXPECT_EQ(count->min_length(), 1);
  EXPECT_EQ(count->max_length(), 8);
  EXPECT_THAT(count->required,
              ElementsAre(ElementsAre(ElementsAre("00")),
                          ElementsAre(ElementsAre("02"), ElementsAre("8026"))));
  EXPECT_FALSE(count->dl_primary_key);
}

TEST(Gs1AiTable, RangesAreExpanded) {
  // "3100-3105  *?  N6  req=01,02 ex=310n  # NET WEIGHT (kg)"
  for (const char* ai : {"3100", "3103", "3105"}) {
    const Gs1Ai* weight = FindGs1Ai(ai);
    ASSERT_NE(weight, nullptr) << ai;
    EXPECT_EQ(weight->ai, ai);
    EXPECT_EQ(weight->title, "NET WEIGHT (kg)");
    EXPECT_FALSE(weight->fnc1_required);
    EXPECT_THAT(weight->excluded, ElementsAre("310n"));
    EXPECT_THAT(weight->required,
                ElementsAre(ElementsAre(ElementsAre("01"), ElementsAre("02"))));
  }
  EXPECT_EQ(FindGs1Ai("3106"), nullptr);
  // "91-99  ?  X..90  # INTERNAL"
  for (const char* ai : {"91", "95", "99"}) {
    const Gs1Ai* internal = FindGs1Ai(ai);
    ASSERT_NE(internal, nullptr) << ai;
    EXPECT_EQ(internal->title, "INTERNAL");
    EXPECT_EQ(internal->max_length(), 90);
    EXPECT_TRUE(internal->fnc1_required);
  }
}

TEST(Gs1AiTable, FixedLengthAiOutsideThePredefinedTableNeedsFnc1) {
  // "8001  ?  N4,nonzero N5,nonzero N3,nonzero N1,winding N1  req=01"
  const Gs1Ai* dimensions = FindGs1Ai("8001");
  ASSERT_NE(dimensions, nullptr);
  EXPECT_TRUE(dimensions->fnc1_required);
  EXPECT_EQ(dimensions->min_length(), 14);
  EXPECT_EQ(dimensions->max_length(), 14);
  ASSERT_THAT(dimensions->components, SizeIs(5));
  EXPECT_THAT(dimensions->components[3].linters, ElementsAre("winding"));
  EXPECT_THAT(dimensions->components[4].linters, IsEmpty());
}

TEST(Gs1AiTable, OptionalComponentsKeepTheirLinters) {
  // "423  ?  N3,iso3166 [N3],iso3166 ... (five)  req=01,02 ex=426"
  const Gs1Ai* origin = FindGs1Ai("423");
  ASSERT_NE(origin, nullptr);
  ASSERT_THAT(origin->components, SizeIs(5));
  EXPECT_FALSE(origin->components[0].optional);
  for (size_t i = 1; i < 5; ++i) {
    EXPECT_TRUE(origin->components[i].optional);
    EXPECT_THAT(origin->components[i].linters, ElementsAre("iso3166"));
  }
  EXPECT_EQ(origin->min_length(), 3);
  EXPECT_EQ(origin->max_length(), 15);
  // "253  ?  N13,csum,gcppos1 [X..17]  dlpkey  # GDTI"
  const Gs1Ai* gdti = FindGs1Ai("253");
  ASSERT_NE(gdti, nullptr);
  ASSERT_THAT(gdti->components, SizeIs(2));
  EXPECT_TRUE(gdti->components[1].optional);
  EXPECT_EQ(gdti->components[1].character_set, Gs1CharacterSet::kCset82);
  EXPECT_EQ(gdti->components[1].max_length, 17);
  EXPECT_TRUE(gdti->dl_primary_key);
  EXPECT_THAT(gdti->dl_qualifier_paths, IsEmpty());
}

TEST(Gs1AiTable, CharacterSetsAndOddEntries) {
  EXPECT_EQ(FindGs1Ai("8010")->components[0].character_set,
            Gs1CharacterSet::kCset39);
  EXPECT_EQ(FindGs1Ai("8030")->components[0].character_set,
            Gs1CharacterSet::kCset64);
  // "8030 ... req=00,01+21,253,..." : a group of two.
  EXPECT_THAT(FindGs1Ai("8030")->required[0][1], ElementsAre("01", "21"));
  // "8110  ?  X..70,couponcode" has no title and no attributes.
  EXPECT_EQ(FindGs1Ai("8110")->title, "");
  // "7040  N1 X1 X1 X1,importeridx  # UIC+EXT" has no flags.
  const Gs1Ai* uic = FindGs1Ai("7040");
  EXPECT_TRUE(uic->fnc1_required);
  EXPECT_FALSE(uic->dl_data_attribute);
  EXPECT_EQ(uic->title, "UIC+EXT");
  // "414 ... dlpkey=254|7040"
  EXPECT_THAT(FindGs1Ai("414")->dl_qualifier_paths,
              ElementsAre(ElementsAre("254"), ElementsAre("7040")));
}

TEST(FindGs1AiPrefix, FindsTheAiThatStartsTheData) {
  EXPECT_EQ(FindGs1AiPrefix("3103000150")->ai, "3103");
  EXPECT_EQ(FindGs1AiPrefix("0109506000134352")->ai, "01");
  EXPECT_EQ(FindGs1AiPrefix("235ABC")->ai, "235");
  EXPECT_EQ(FindGs1AiPrefix("8030abc")->ai, "8030");
  EXPECT_EQ(FindGs1AiPrefix("14000"), nullptr);
  EXPECT_EQ(FindGs1AiPrefix("310"), nullptr);
  EXPECT_EQ(FindGs1AiPrefix("0"), nullptr);
  EXPECT_EQ(FindGs1Ai(""), nullptr);
}

TEST(Gs1AiLengthForPrefix, NamesTheLengthOfTheAisOfAPrefix) {
  EXPECT_EQ(Gs1AiLengthForPrefix("01"), 2u);
  EXPECT_EQ(Gs1AiLengthForPrefix("23"), 3u);
  EXPECT_EQ(Gs1AiLengthForPrefix("31"), 4u);
  EXPECT_EQ(Gs1AiLengthForPrefix("80"), 4u);
  EXPECT_EQ(Gs1AiLengthForPrefix("14"), 0u);
  EXPECT_EQ(Gs1AiLengthForPrefix("5"), 0u);
}

TEST(Gs1AiMatches, DigitPlaceholders) {
  EXPECT_TRUE(Gs1AiMatches("3103", "310n"));
  EXPECT_TRUE(Gs1AiMatches("3103", "31nn"));
  EXPECT_TRUE(Gs1AiMatches("01", "01"));
  EXPECT_FALSE(Gs1AiMatches("3113", "310n"));
  EXPECT_FALSE(Gs1AiMatches("310", "310n"));
  EXPECT_FALSE(Gs1AiMatches("01", "010"));
}

TEST(ParseGs1SyntaxDictionary, ReadsAnEntryLine) {
  auto table = ParseGs1SyntaxDictionary(
      "# comment\n"
      "\n"
      "4330  ?  N6 [X1],hyphen  req=00 ex=4331  # MAX TEMP F.\r\n"
      "12-13 *  N6,yymmd0\n");
  ASSERT_THAT(table.status(), IsOk());
  ASSERT_THAT(*table, SizeIs(3));
  EXPECT_EQ((*table)[0].ai, "12");
  EXPECT_EQ((*table)[0].title, "");
  EXPECT_EQ((*table)[1].ai, "13");
  const Gs1Ai& temp = (*table)[2];
  EXPECT_EQ(temp.ai, "4330");
  EXPECT_EQ(temp.title, "MAX TEMP F.");
  ASSERT_THAT(temp.components, SizeIs(2));
  EXPECT_TRUE(temp.components[1].optional);
  EXPECT_THAT(temp.components[1].linters, ElementsAre("hyphen"));
  EXPECT_EQ(temp.min_length(), 6);
  EXPECT_EQ(temp.max_length(), 7);
}

TEST(ParseGs1SyntaxDictionary, RefusesWhatItCannotRead) {
  struct Case {
    const char* line;
    const char* error;
  };
  const Case cases[] = {
      {"01 * N14 owner=me", "line 1: unknown attribute 'owner=me'"},
      {"01 * N14 dlattr", "line 1: unknown attribute 'dlattr'"},
      {"01 # N14", "line 1: no components"},
      {"01 * Q14", "line 1: unknown character set in 'Q14'"},
      {"01 * N..", "line 1: malformed length in 'N..'"},
      {"01 * N0", "line 1: impossible length in 'N0'"},
      {"01 ! N14", "line 1: unknown flag '!'"},
      {"01 * [N14", "line 1: unclosed '['"},
      {"21 X..20 N2", "line 1: only the last component may vary in length"},
      {"21 [N2] N2", "line 1: a mandatory component follows an optional one"},
      {"21 X..20 req=1x", "line 1: '1x' is not an ai"},
      {"2 X..20", "line 1: malformed ai '2'"},
      {"31-2 X..20", "line 1: malformed ai '31-2'"},
      {"35-34 X..20", "line 1: malformed ai '35-34'"},
      {"21 * X..20", "line 1: a predefined-length ai ('*') must have"},
      {"21 X..20\n21 X..20", "ai (21) appears twice"},
      {"21 X..20\n210 X..20", "ai (210) starts with another ai (21)"},
      {"# nothing", "no entries"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(
        ParseGs1SyntaxDictionary(c.line).status(),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.error)))
        << c.line;
  }
}

std::vector<Gs1Element> Elements(std::vector<std::string> ais) {
  std::vector<Gs1Element> elements;
  for (std::string& ai : ais) elements.push_back({std::move(ai), "x"});
  return elements;
}

std::string PairingError(std::vector<std::string> ais) {
  const std::optional<Gs1PairingError> error =
      CheckGs1Pairing(Elements(std::move(ais)));
  if (!error) return "ok";
  return absl::StrCat(error->element_index, ": ", error->reason);
}

TEST(CheckGs1Pairing, RulesOfTheGeneralSpecificationsBothWays) {
  // (01) excludes (37): a count belongs with (02).
  EXPECT_EQ(PairingError({"01", "37"}),
            "0: AI (01) and AI (37) cannot appear together");
  EXPECT_EQ(PairingError({"00", "02", "37"}), "ok");
  // (02) needs (37); (37) needs (00) and one of (02), (8026).
  EXPECT_EQ(PairingError({"00", "02"}), "1: AI (02) needs AI (37) with it");
  EXPECT_EQ(PairingError({"02", "37"}), "1: AI (37) needs AI (00) with it");
  EXPECT_EQ(PairingError({"00", "37"}),
            "1: AI (37) needs AI (02) or AI (8026) with it");
  EXPECT_EQ(PairingError({"01", "02"}),
            "1: AI (02) and AI (01) cannot appear together");
  // Attributes need a key.
  EXPECT_EQ(PairingError({"10"}),
            "0: AI (10) needs AI (01), AI (02), AI (03), AI (8006) or AI "
            "(8026) with it");
  EXPECT_EQ(PairingError({"01", "10", "17", "21"}), "ok");
  // Groups: (7004) needs (01) and (10) together.
  EXPECT_EQ(PairingError({"01", "7004"}),
            "1: AI (7004) needs AI (01) and AI (10) with it");
  EXPECT_EQ(PairingError({"01", "10", "7004"}), "ok");
  // Patterns: one net weight only, in one unit; an AI does not exclude
  // itself.
  EXPECT_EQ(PairingError({"01", "3103", "3102"}),
            "1: AI (3103) and AI (3102) cannot appear together");
  EXPECT_EQ(PairingError({"01", "3103", "3103"}), "ok");
  EXPECT_EQ(PairingError({"01", "3103", "3203"}), "ok");
  // Pattern in a requirement: (3925) needs (01) and one of 30, 31nn, ...
  EXPECT_EQ(PairingError({"01", "3925", "3103"}), "ok");
  EXPECT_EQ(PairingError({"01", "3925"}),
            "1: AI (3925) needs AI (30), AI (31nn), AI (32nn), AI (35nn) or "
            "AI (36nn) with it");
  // A digital signature needs a serialised GDTI / GCN / GRAI (engine:
  // ai.c validateDigSigRequiresSerialisedKey).
  const std::vector<Gs1Element> unserialised = {{"253", "1234567890128"},
                                                {"8030", "ABC123"}};
  const std::optional<Gs1PairingError> error = CheckGs1Pairing(unserialised);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->element_index, 0u);
  EXPECT_EQ(error->reason,
            "AI (253) needs its serial component when AI (8030), a digital "
            "signature, is present");
  EXPECT_EQ(CheckGs1Pairing({{"253", "1234567890128X"}, {"8030", "ABC123"}}),
            std::nullopt);
  EXPECT_EQ(CheckGs1Pairing({{"255", "12345678901280"}, {"8030", "ABC123"}}),
            std::nullopt);
  EXPECT_TRUE(CheckGs1Pairing({{"8003", "01234567890128"}, {"8030", "ABC123"}})
                  .has_value());
  // Free AIs and AIs the table does not know pair with anything.
  EXPECT_EQ(PairingError({"91", "400"}), "ok");
  EXPECT_EQ(PairingError({"14"}), "ok");
  EXPECT_EQ(PairingError({}), "ok");
}

}  // namespace
}  // namespace smptrace::domain
