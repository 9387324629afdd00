#include "service/domain/reorder.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::domain {
namespace {

using ::testing::HasSubstr;

const absl::CivilDay kToday(2026, 11, 23);

TEST(SimulateFefo, UsesEarliestFirstAndCountsWhatExpiresUnused) {
  // 2 a day. Lot A (10, expires in 2 days: today..+2 = 3 days = 6 units
  // usable, 4 wasted); lot B (10, expires in 30 days) fully usable after A.
  FefoOutlook out = SimulateFefo(
      {{kToday + 30, 10}, {kToday + 2, 10}, {std::nullopt, 5}}, 2.0, kToday);
  EXPECT_EQ(out.usable, 6 + 10 + 5);
  EXPECT_EQ(out.expiring_unused, 4);
}

TEST(SimulateFefo, ALaterLotCanExpireWhileEarlierOnesAreUsed) {
  // 1 a day: 20 from lot A take 20 days, lot B (10) expires on day 25, so
  // only days 20..25 (6 units) of it are used.
  FefoOutlook out =
      SimulateFefo({{kToday + 19, 20}, {kToday + 25, 10}}, 1.0, kToday);
  EXPECT_EQ(out.usable, 26);
  EXPECT_EQ(out.expiring_unused, 4);
}

TEST(SimulateFefo, NoUsageJudgesNothingExpired) {
  FefoOutlook out = SimulateFefo({{kToday + 1, 10}}, 0.0, kToday);
  EXPECT_EQ(out.usable, 10);
  EXPECT_EQ(out.expiring_unused, 0);
}

TEST(AdviseReorder, OrdersWholePacksUpToTheTargetAndExplainsWhy) {
  ReorderInputs in;
  in.today = kToday;
  in.daily_rate = 2.0;  // 14/week
  in.lots = {{kToday + 2, 6}, {kToday + 200, 6}};
  in.on_order = 20;
  in.lead_time_days = 10;
  in.review_period_days = 7;
  in.safety_stock_days = 7;
  in.pack_size = 20;
  ReorderAdvice a = AdviseReorder(in);
  EXPECT_EQ(a.target, 48);         // 2 x 24 days
  EXPECT_EQ(a.reorder_point, 34);  // 2 x 17 days
  EXPECT_EQ(a.usable, 12);         // lot 1: 3 days x 2 = 6, lot 2: 6
  EXPECT_EQ(a.expiring_unused, 0);
  EXPECT_TRUE(a.below_reorder_point);  // 12 + 20 <= 34
  EXPECT_EQ(a.packs, 1);               // 48 - 32 = 16 -> one pack of 20
  EXPECT_EQ(a.quantity, 20);
  EXPECT_EQ(a.explanation,
            "uses 14/week · 12 usable · 20 on order · lead 10 days → order 1 "
            "pack of 20");
}

TEST(AdviseReorder, NamesWhatExpiresBeforeUse) {
  ReorderInputs in;
  in.today = kToday;
  in.daily_rate = 1.0;
  in.lots = {{kToday + 4, 8}};
  in.lead_time_days = 5;
  in.pack_size = 10;
  ReorderAdvice a = AdviseReorder(in);
  EXPECT_EQ(a.usable, 5);
  EXPECT_EQ(a.expiring_unused, 3);
  EXPECT_THAT(a.explanation, HasSubstr("5 usable (3 expire before use)"));
}

TEST(AdviseReorder, NeverOrdersMoreThanANewLotCanSupplyBeforeItExpires) {
  ReorderInputs in;
  in.today = kToday;
  in.daily_rate = 1.0;
  in.lead_time_days = 10;
  in.review_period_days = 60;
  in.pack_size = 10;
  in.shelf_life_days = 20;  // a new lot lasts 20 days after arrival
  ReorderAdvice a = AdviseReorder(in);
  EXPECT_EQ(a.target, 70);
  EXPECT_EQ(a.packs, 3);  // 1 x (10 + 20) = 30 units can be used in time
  EXPECT_THAT(a.explanation, HasSubstr("capped"));
}

TEST(AdviseReorder, RespectsTheMinimumOrderAndCoveredTargets) {
  ReorderInputs in;
  in.today = kToday;
  in.daily_rate = 1.0;
  in.lead_time_days = 3;
  in.review_period_days = 4;
  in.pack_size = 5;
  in.minimum_order_packs = 4;
  EXPECT_EQ(AdviseReorder(in).packs, 4);
  in.lots = {{std::nullopt, 100}};
  ReorderAdvice covered = AdviseReorder(in);
  EXPECT_EQ(covered.packs, 0);
  EXPECT_THAT(covered.explanation, HasSubstr("no order (100 usable + on order "
                                             "covers target 7)"));
}

TEST(AdviseReorder, FixedMinMaxOrdersUpToMaxOnlyAtMin) {
  ReorderInputs in;
  in.today = kToday;
  in.pack_size = 10;
  in.fixed_min = 10;
  in.fixed_max = 40;
  in.lots = {{std::nullopt, 15}};
  EXPECT_EQ(AdviseReorder(in).packs, 0);
  in.lots = {{std::nullopt, 10}};
  ReorderAdvice a = AdviseReorder(in);
  EXPECT_EQ(a.packs, 3);
  EXPECT_THAT(a.explanation, HasSubstr("fixed min 10 / max 40"));
}

}  // namespace
}  // namespace smptrace::domain
