#include "service/domain/recall_match.h"

#include <optional>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

TEST(ReadNoticeLots, ReadsACommaList) {
  NoticeLots lots = ReadNoticeLots("Lot 12345, 12346");
  EXPECT_THAT(lots.lots, ElementsAre("12345", "12346"));
  EXPECT_FALSE(lots.all_lots);
}

TEST(ReadNoticeLots, KeepsPunctuationInsideALotNumber) {
  EXPECT_THAT(ReadNoticeLots("Lot #: AB-12/3.").lots, ElementsAre("AB-12/3"));
  EXPECT_THAT(ReadNoticeLots("LOT#K-7781; Exp. 2027-01").lots,
              ElementsAre("K-7781"));
}

TEST(ReadNoticeLots, SkipsNumberWordsAndStopsAtTheFirstWordWithoutADigit) {
  EXPECT_THAT(
      ReadNoticeLots("Model BK-10, Lot Numbers: 2401A and 2402A; Expiration "
                     "2027-06-30")
          .lots,
      ElementsAre("2401A", "2402A"));
}

TEST(ReadNoticeLots, ReadsARangeWithThrough) {
  NoticeLots lots = ReadNoticeLots("Lots 1001 through 1010");
  EXPECT_THAT(lots.lots, IsEmpty());
  ASSERT_EQ(lots.ranges.size(), 1u);
  EXPECT_EQ(lots.ranges[0].first, "1001");
  EXPECT_EQ(lots.ranges[0].last, "1010");
}

TEST(ReadNoticeLots, ReadsAllLots) {
  EXPECT_TRUE(ReadNoticeLots("All lots distributed").all_lots);
  EXPECT_TRUE(ReadNoticeLots("ALL LOT NUMBERS").all_lots);
  EXPECT_EQ(ReadNoticeLots("All lot numbers").all_lots_words,
            "All lot numbers");
}

TEST(ReadNoticeLots, ReadsNothingWithoutALotWord) {
  NoticeLots lots = ReadNoticeLots("UDI-DI 00812345000015, Exp 2027");
  EXPECT_THAT(lots.lots, IsEmpty());
  EXPECT_FALSE(lots.all_lots);
}

TEST(WordsAlike, ToleratesOneOrTwoEditsInLongWordsOnly) {
  EXPECT_TRUE(WordsAlike("pigments", "pigmnets"));  // a swap
  EXPECT_TRUE(WordsAlike("micropigment", "micropigmant"));
  EXPECT_TRUE(WordsAlike("scalpmicro", "scalpmikro"));
  EXPECT_FALSE(WordsAlike("ink", "inc"));    // short: exact only
  EXPECT_FALSE(WordsAlike("10ml", "20ml"));  // digits: exact only
  EXPECT_FALSE(WordsAlike("needles", "needless2"));
}

TEST(NameWords, DropsCaseCompanyFormsAndPunctuation) {
  EXPECT_THAT(NameWords("Dermis Pigments, Inc."),
              ElementsAre("dermis", "pigments"));
  EXPECT_THAT(NameWords("NORTHLINE-NEEDLE GmbH & Co. KG"),
              ElementsAre("northline", "needle"));
}

std::optional<ProductMatch> Match(NoticeWords notice,
                                  const CatalogueProduct& product) {
  return MatchNotice(PrepareNotice(std::move(notice)), product);
}

CatalogueProduct Ink() {
  return {"00812345000015",
          "SMP Black Ink 15ml",
          "Dermis Pigments Inc",
          {"DP-2411/07", "12345", "1005", "99999"}};
}

TEST(MatchNotice, MatchesFirmProductAndAHeldLotWithEvidence) {
  auto m = Match(
      {"DERMIS PIGMNETS, INC.",
       "Scalp micropigmentation ink, black, 15 mL bottle", "Lot 12345, 12346"},
      Ink());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->scope, ProductMatch::Lots::kNamed);
  EXPECT_THAT(m->lots, ElementsAre("12345"));
  EXPECT_THAT(m->evidence,
              ElementsAre(Field(&MatchEvidence::how,
                                "pigmnets: spelling differs (1 letter)"),
                          Field(&MatchEvidence::notice_words, "black ink"),
                          Field(&MatchEvidence::how, "same lot number")));
}

TEST(MatchNotice, MatchesALotWrittenWithOtherPunctuation) {
  auto m =
      Match({"Dermis Pigments", "SMP black ink", "Lot #: DP2411-07"}, Ink());
  ASSERT_TRUE(m.has_value());
  EXPECT_THAT(m->lots, ElementsAre("DP-2411/07"));
  EXPECT_EQ(m->evidence.back().how, "punctuation differs");
}

TEST(MatchNotice, MatchesHeldLotsInARange) {
  auto m = Match({"Dermis Pigments", "SMP black ink", "Lots 1001 through 1010"},
                 Ink());
  ASSERT_TRUE(m.has_value());
  EXPECT_THAT(m->lots, ElementsAre("1005"));
  EXPECT_EQ(m->evidence.back().notice_words, "1001 through 1010");
}

TEST(MatchNotice, AllLotsCoversTheProduct) {
  auto m =
      Match({"Dermis Pigments Inc.", "Black ink for SMP", "All lots"}, Ink());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->scope, ProductMatch::Lots::kAll);
}

TEST(MatchNotice, AnotherFirmsProductIsNotAMatch) {
  EXPECT_FALSE(
      Match({"Inkwell Tattoo Supply LLC", "SMP black ink, 15 mL", "All lots"},
            Ink())
          .has_value());
}

TEST(MatchNotice, TheFirmAloneIsNotAMatch) {
  EXPECT_FALSE(
      Match({"Dermis Pigments Inc", "Cartridge needles 1RL", "Lot 12345"},
            Ink())
          .has_value());
}

TEST(MatchNotice, TheGtinWrittenIsAMatchByItself) {
  auto m =
      Match({"Some Distributor", "UDI-DI 0812345000015", "Lot 99999"}, Ink());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->evidence.front().kind, "gtin");
  EXPECT_THAT(m->lots, ElementsAre("99999"));
}

TEST(MatchNotice, SaysWhenNoLotIsHeldOrNoneCanBeRead) {
  EXPECT_EQ(
      Match({"Dermis Pigments", "SMP black ink", "Lot 777"}, Ink())->scope,
      ProductMatch::Lots::kNoneHeld);
  EXPECT_EQ(Match({"Dermis Pigments", "SMP black ink", "Expiration 2027-01-01"},
                  Ink())
                ->scope,
            ProductMatch::Lots::kUnreadable);
}

}  // namespace
}  // namespace smptrace::domain
