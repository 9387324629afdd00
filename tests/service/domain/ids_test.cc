#include "service/domain/ids.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::domain {
namespace {

using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;

TEST(FormatId, PadsToSixDigitsAndGrowsBeyond) {
  EXPECT_EQ(FormatId(IdKind::kLocation, 3), "LOC-000003");
  EXPECT_EQ(FormatId(IdKind::kSupplier, 1234567), "SUP-1234567");
  EXPECT_EQ(FormatId(IdKind::kSession, 999999), "SES-999999");
  EXPECT_EQ(FormatId(IdKind::kSession, 18446744073709551615u),
            "SES-18446744073709551615");
}

TEST(ParseId, AcceptsAnyCaseOfThePrefix) {
  EXPECT_EQ(*ParseId(IdKind::kLocation, "LOC-000003", "f"), 3u);
  EXPECT_EQ(*ParseId(IdKind::kLocation, "loc-3", "f"), 3u);
  EXPECT_EQ(*ParseId(IdKind::kSupplier, "SUP-1234567", "f"), 1234567u);
}

struct BadId {
  const char* text;
  const char* why;
  friend void PrintTo(const BadId& b, std::ostream* os) { *os << b.text; }
};

class ParseIdRefuses : public ::testing::TestWithParam<BadId> {};

TEST_P(ParseIdRefuses, NamingTheFieldAndTheExpectedShape) {
  EXPECT_THAT(
      ParseId(IdKind::kLocation, GetParam().text, "location.parent_id"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(GetParam().why)));
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseIdRefuses,
    ::testing::Values(BadId{"", "location.parent_id: required"},
                      BadId{"ROOM1",
                            "location.parent_id: 'ROOM1' is not a location id "
                            "(expected LOC-000001)"},
                      BadId{"SUP-000001", "is not a location id"},
                      BadId{"LOC-", "is not a location id"},
                      BadId{"LOC-0", "is not a location id"},
                      BadId{"LOC-12a", "is not a location id"},
                      BadId{"LOC--1", "is not a location id"},
                      BadId{"LOC-99999999999999999999",
                            "is not a location id"}));

}  // namespace
}  // namespace smptrace::domain
