// Tests of the screening policy file parser: what it accepts, each way it
// refuses a file (with line, key and why), and that deploy/screening.conf
// states exactly the built-in defaults.

#include "service/domain/screening_policy.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/screening.h"

#ifndef SMPTRACE_SOURCE_DIR
#error "SMPTRACE_SOURCE_DIR must name the source tree (a quoted path)"
#endif

namespace smptrace::domain {
namespace {

TEST(ParseScreeningPolicy, EmptyTextGivesTheDefaults) {
  absl::StatusOr<ScreeningPolicy> policy = ParseScreeningPolicy("");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(*policy, ScreeningPolicy());
}

TEST(ParseScreeningPolicy, CommentsAndBlankLinesGiveTheDefaults) {
  absl::StatusOr<ScreeningPolicy> policy =
      ParseScreeningPolicy("# the clinic's rules\n\n   \n\t# indented\n");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(*policy, ScreeningPolicy());
}

TEST(ParseScreeningPolicy, SetsTheGivenKeysAndKeepsTheOthers) {
  absl::StatusOr<ScreeningPolicy> policy = ParseScreeningPolicy(
      "finasteride.min_days = 60\n"
      "alcohol.severity = WARN\n");
  ASSERT_TRUE(policy.ok()) << policy.status();

  ScreeningPolicy expected;
  expected.finasteride_min_days = 60;
  expected.alcohol_severity = ScreeningVerdict::kWarn;
  EXPECT_EQ(*policy, expected);
}

TEST(ParseScreeningPolicy, ToleratesHandEditing) {
  // CRLF line endings, spacing, a trailing comment, lower-case severity.
  absl::StatusOr<ScreeningPolicy> policy = ParseScreeningPolicy(
      "  microneedling.min_days=35\r\n"
      "microneedling.warn_under_days   =   56   # eight weeks\r\n"
      "supplements.severity = blocked\r\n");
  ASSERT_TRUE(policy.ok()) << policy.status();

  ScreeningPolicy expected;
  expected.microneedling_min_days = 35;
  expected.microneedling_warn_under_days = 56;
  expected.supplements_severity = ScreeningVerdict::kBlocked;
  EXPECT_EQ(*policy, expected);
}

TEST(ParseScreeningPolicy, AcceptsAMicroneedlingWarningEqualToTheBlock) {
  absl::StatusOr<ScreeningPolicy> policy = ParseScreeningPolicy(
      "microneedling.min_days = 42\nmicroneedling.warn_under_days = 42\n");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->microneedling_min_days, 42);
  EXPECT_EQ(policy->microneedling_warn_under_days, 42);
}

TEST(ParseScreeningPolicy, AcceptsAWarningStricterThanASwitchedOffBlock) {
  absl::StatusOr<ScreeningPolicy> policy = ParseScreeningPolicy(
      "microneedling.severity = CLEARED\n"
      "microneedling.warn_severity = BLOCKED\n");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->microneedling_warn_severity, ScreeningVerdict::kBlocked);
}

TEST(ParseScreeningPolicy, AcceptsTheLargestAndSmallestDays) {
  absl::StatusOr<ScreeningPolicy> policy = ParseScreeningPolicy(
      "isotretinoin.min_days = 36500\nplan_interval.min_days = 0\n");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->isotretinoin_min_days, 36500);
  EXPECT_EQ(policy->plan_interval_min_days, 0);
}

struct BadPolicyCase {
  std::string name;  // states what is wrong; the test's name
  std::string text;
  std::string message;
};

void PrintTo(const BadPolicyCase& c, std::ostream* os) { *os << c.name; }

const BadPolicyCase kBadPolicyCases[] = {
    {"DaysInWords", "# comment\n\nmicroneedling.min_days = four\n",
     "line 3: microneedling.min_days: expected a whole number of days, got "
     "'four'"},
    {"NegativeDays", "finasteride.min_days = -3",
     "line 1: finasteride.min_days: expected a whole number of days, got "
     "'-3'"},
    {"SignedDays", "finasteride.min_days = +30",
     "line 1: finasteride.min_days: expected a whole number of days, got "
     "'+30'"},
    {"FractionalDays", "finasteride.min_days = 30.5",
     "line 1: finasteride.min_days: expected a whole number of days, got "
     "'30.5'"},
    {"DaysWithAUnit", "finasteride.min_days = 4 weeks",
     "line 1: finasteride.min_days: expected a whole number of days, got "
     "'4 weeks'"},
    {"EmptyDays", "finasteride.min_days =",
     "line 1: finasteride.min_days: expected a whole number of days, got ''"},
    {"DaysOverTheLimit", "isotretinoin.min_days = 36501",
     "line 1: isotretinoin.min_days: must be at most 36500 days, got '36501'"},
    {"DaysOverflowingAnInt", "isotretinoin.min_days = 99999999999",
     "line 1: isotretinoin.min_days: must be at most 36500 days, got "
     "'99999999999'"},
    {"UnknownSeverity", "finasteride.severity = BLOCK",
     "line 1: finasteride.severity: expected CLEARED, WARN or BLOCKED, got "
     "'BLOCK'"},
    {"DaysGivenAsSeverity", "finasteride.severity = 30",
     "line 1: finasteride.severity: expected CLEARED, WARN or BLOCKED, got "
     "'30'"},
    {"SeverityGivenAsDays", "finasteride.min_days = BLOCKED",
     "line 1: finasteride.min_days: expected a whole number of days, got "
     "'BLOCKED'"},
    {"UnknownKey", "alcohol.severity = WARN\nfinasteride.min_day = 30\n",
     "line 2: unknown key 'finasteride.min_day'"},
    {"RuleCodeWithoutSetting", "finasteride = 30",
     "line 1: unknown key 'finasteride'"},
    {"NoEqualsSign", "finasteride.min_days 30",
     "line 1: expected 'key = value', got 'finasteride.min_days 30'"},
    {"NoKey", "  = 30", "line 1: expected 'key = value', got '= 30'"},
    {"KeySetTwice",
     "finasteride.min_days = 30\n# changed our mind\nfinasteride.min_days = 45",
     "line 3: finasteride.min_days: already set on line 1"},
    {"MicroneedlingWarningBelowTheBlock", "microneedling.warn_under_days = 21",
     "line 1: microneedling.warn_under_days: 21 is less than "
     "microneedling.min_days (28)"},
    {"MicroneedlingBlockAboveTheWarning", "microneedling.min_days = 50",
     "line 1: microneedling.min_days: 50 is more than "
     "microneedling.warn_under_days (42)"},
    {"MicroneedlingBlockRaisedAfterTheWarning",
     "microneedling.warn_under_days = 30\nmicroneedling.min_days = 35\n",
     "line 2: microneedling.min_days: 35 is more than "
     "microneedling.warn_under_days (30)"},
    {"MicroneedlingWarningLoweredAfterTheBlock",
     "microneedling.min_days = 35\nmicroneedling.warn_under_days = 30\n",
     "line 2: microneedling.warn_under_days: 30 is less than "
     "microneedling.min_days (35)"},
    {"MicroneedlingWarningStricterThanTheBlock",
     "microneedling.severity = WARN\nmicroneedling.warn_severity = BLOCKED\n",
     "line 2: microneedling.warn_severity: BLOCKED is stricter than "
     "microneedling.severity (WARN)"},
    {"MicroneedlingBlockMilderThanTheWarning",
     "microneedling.warn_severity = BLOCKED\nmicroneedling.severity = WARN\n",
     "line 2: microneedling.severity: WARN is milder than "
     "microneedling.warn_severity (BLOCKED)"},
};

class BadPolicyTest : public ::testing::TestWithParam<BadPolicyCase> {};

TEST_P(BadPolicyTest, IsRefusedNamingLineKeyAndWhy) {
  const BadPolicyCase& c = GetParam();
  absl::StatusOr<ScreeningPolicy> policy = ParseScreeningPolicy(c.text);
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(policy.status().message(), c.message);
}

INSTANTIATE_TEST_SUITE_P(
    ParseScreeningPolicy, BadPolicyTest, ::testing::ValuesIn(kBadPolicyCases),
    [](const ::testing::TestParamInfo<BadPolicyCase>& row) {
      return row.param.name;
    });

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// Each key must reach its own field of the policy: setting it to some valid
// value other than the default changes the policy, and no two keys change it
// the same way.
TEST(ParseScreeningPolicy, EveryKeySetsAFieldOfItsOwn) {
  const std::vector<std::string_view> keys = ScreeningPolicyKeys();
  ASSERT_FALSE(keys.empty());
  std::vector<ScreeningPolicy> changed_policies;
  for (std::string_view key : keys) {
    SCOPED_TRACE(key);
    const std::vector<std::string> values =
        EndsWith(key, "severity")
            ? std::vector<std::string>{"CLEARED", "WARN", "BLOCKED"}
            : std::vector<std::string>{"0", "100"};
    bool changed = false;
    for (const std::string& value : values) {
      absl::StatusOr<ScreeningPolicy> policy =
          ParseScreeningPolicy(std::string(key) + " = " + value);
      if (policy.ok() && *policy != ScreeningPolicy()) {
        for (const ScreeningPolicy& other : changed_policies) {
          EXPECT_NE(*policy, other);
        }
        changed_policies.push_back(*policy);
        changed = true;
        break;
      }
    }
    EXPECT_TRUE(changed) << "no value of " << key << " changes the policy";
  }
}

std::string ReadSourceFile(const std::string& relative_path) {
  const std::string path =
      absl::StrCat(SMPTRACE_SOURCE_DIR, "/", relative_path);
  std::ifstream file(path);
  EXPECT_TRUE(file.good()) << "cannot read " << path;
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(DeployedScreeningConf, EqualsTheBuiltInDefaults) {
  absl::StatusOr<ScreeningPolicy> policy =
      ParseScreeningPolicy(ReadSourceFile("deploy/screening.conf"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(*policy, ScreeningPolicy());
}

TEST(DeployedScreeningConf, StatesEveryKey) {
  const std::string text = ReadSourceFile("deploy/screening.conf");
  std::set<std::string> set_keys;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    set_keys.insert(line.substr(0, line.find(' ')));
  }
  for (std::string_view key : ScreeningPolicyKeys()) {
    EXPECT_EQ(set_keys.count(std::string(key)), 1u)
        << key << " is not stated in deploy/screening.conf";
  }
}

}  // namespace
}  // namespace smptrace::domain
