// Expiry at the boundary: an item is usable through its expiry day, in the
// clinic's time zone; GS1 day-00 dates arrive as the month's last day.
#include "service/ledger/dates.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/gs1.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::ledger {
namespace {

using ::smptrace::testing::IsOk;
using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;

v1::Date D(int y, int m, int d) { return ToProto(absl::CivilDay(y, m, d)); }

struct ExpiryCase {
  const char* name;
  v1::Date expiry;
  absl::CivilDay today;
  bool expired;
};

class ExpiryTest : public ::testing::TestWithParam<ExpiryCase> {};

TEST_P(ExpiryTest, IsUsableThroughItsExpiryDay) {
  const ExpiryCase& c = GetParam();
  EXPECT_EQ(IsExpired(c.expiry, c.today), c.expired);
}

INSTANTIATE_TEST_SUITE_P(
    Boundaries, ExpiryTest,
    ::testing::Values(ExpiryCase{"DayBefore", D(2026, 11, 30),
                                 absl::CivilDay(2026, 11, 29), false},
                      ExpiryCase{"OnTheDay", D(2026, 11, 30),
                                 absl::CivilDay(2026, 11, 30), false},
                      ExpiryCase{"DayAfter", D(2026, 11, 30),
                                 absl::CivilDay(2026, 12, 1), true},
                      ExpiryCase{"LeapDay", D(2028, 2, 29),
                                 absl::CivilDay(2028, 2, 29), false},
                      ExpiryCase{"AfterLeapDay", D(2028, 2, 29),
                                 absl::CivilDay(2028, 3, 1), true},
                      ExpiryCase{"NewYear", D(2026, 12, 31),
                                 absl::CivilDay(2027, 1, 1), true},
                      ExpiryCase{"NoExpiryNeverExpires", v1::Date(),
                                 absl::CivilDay(2099, 1, 1), false}),
    [](const auto& info) { return std::string(info.param.name); });

struct DayZeroCase {
  const char* name;
  const char* yymmdd;
  v1::Date last_day;
};

class DayZeroTest : public ::testing::TestWithParam<DayZeroCase> {};

// A GS1 expiry with day 00 is the last day of its month; usable through it.
TEST_P(DayZeroTest, MeansTheLastDayOfTheMonth) {
  const DayZeroCase& c = GetParam();
  auto item = domain::ParseBarcode(std::string("0109506000134352") + "17" +
                                   c.yymmdd + "10LOT");
  ASSERT_TRUE(item.ok()) << item.status();
  ASSERT_TRUE(item->expiry.has_value());
  const v1::Date expiry = ToProto(*item->expiry);
  EXPECT_EQ(FormatDate(expiry), FormatDate(c.last_day));
  EXPECT_FALSE(IsExpired(expiry, ToCivilDay(c.last_day)));
  EXPECT_TRUE(IsExpired(expiry, ToCivilDay(c.last_day) + 1));
}

INSTANTIATE_TEST_SUITE_P(
    Months, DayZeroTest,
    ::testing::Values(DayZeroCase{"November", "261100", D(2026, 11, 30)},
                      DayZeroCase{"December", "261200", D(2026, 12, 31)},
                      DayZeroCase{"February", "270200", D(2027, 2, 28)},
                      DayZeroCase{"LeapFebruary", "280200", D(2028, 2, 29)}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Today, IsTheCalendarDayInTheClinicsTimeZone) {
  // 23:30 UTC on 30 Nov is already 1 Dec in Sydney (UTC+11 in summer).
  const absl::Time t = absl::FromCivil(
      absl::CivilSecond(2026, 11, 30, 23, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(Today(t, absl::UTCTimeZone()), absl::CivilDay(2026, 11, 30));
  absl::TimeZone sydney;
  if (absl::LoadTimeZone("Australia/Sydney", &sydney)) {
    EXPECT_EQ(Today(t, sydney), absl::CivilDay(2026, 12, 1));
    EXPECT_TRUE(IsExpired(D(2026, 11, 30), Today(t, sydney)));
  }
}

// A barcode's (17)990101 reads as 1999-01-01 (GS1's century rule); the date
// is valid, so the scan is refused for what it is: expired.
TEST(ValidateDate, AcceptsALastCenturyExpiryForTheRulesToCallExpired) {
  EXPECT_THAT(ValidateDate(D(1999, 1, 1), "expiry"), IsOk());
  EXPECT_TRUE(IsExpired(D(1999, 1, 1), absl::CivilDay(2026, 11, 30)));
}

TEST(ValidateDate, NamesTheFieldAndTheReason) {
  EXPECT_THAT(ValidateDate(v1::Date(), "expiry"), IsOk());
  EXPECT_THAT(ValidateDate(D(2027, 3, 31), "expiry"), IsOk());
  v1::Date bad;
  bad.set_year(2027);
  bad.set_month(2);
  bad.set_day(30);
  EXPECT_THAT(
      ValidateDate(bad, "lines[2].expiry"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("lines[2].expiry: 2027-02-30 is not a calendar "
                         "day")));
  EXPECT_THAT(ValidateDate(D(1899, 12, 31), "expiry"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expiry: year 1899 is outside 1900..2199")));
  EXPECT_THAT(ValidateDate(D(2200, 1, 1), "expiry"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("outside 1900..2199")));
  EXPECT_EQ(DateKey(D(2027, 3, 31), 0), 20270331u);
  EXPECT_EQ(DateKey(v1::Date(), 99991231), 99991231u);
}

}  // namespace
}  // namespace smptrace::ledger
