#include "service/domain/retention_policy.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::domain {
namespace {

using ::testing::HasSubstr;
using testing::StatusIs;

TEST(RetentionPolicy, TheShippedFileParses) {
  std::ifstream in(std::string(SMPTRACE_SOURCE_DIR) + "/deploy/retention.conf");
  std::stringstream text;
  text << in.rdbuf();
  auto policy = ParseRetentionPolicy(text.str());
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(policy->configured);
  EXPECT_EQ(policy->client_personal_data.years, 3);
  EXPECT_EQ(policy->procedure_records.years, 3);
  EXPECT_FALSE(policy->erase_automatically);
}

TEST(RetentionPolicy, AClientIsDueAfterTheLongerOfItsTwoPeriods) {
  auto policy = ParseRetentionPolicy(
      "client_personal_data.keep = 2 years\n"
      "procedure_records.keep = 5 years\n");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->ClientDueOn(absl::CivilDay(2026, 3, 1)),
            absl::CivilDay(2031, 3, 1));
  auto days = ParseRetentionPolicy("client_personal_data.keep = 30 days\n");
  ASSERT_TRUE(days.ok()) << days.status();
  EXPECT_EQ(days->ClientDueOn(absl::CivilDay(2026, 12, 15)),
            absl::CivilDay(2027, 1, 14));
}

TEST(RetentionPolicy, RefusesABadFileNamingTheLineAndTheField) {
  const struct {
    const char* text;
    const char* error;
  } kCases[] = {
      {"client_personal_data.keep = three years\n",
       "line 1: client_personal_data.keep: expected 'N years' or 'N days', "
       "got 'three years'"},
      {"client_personal_data.keep = 3 weeks\n",
       "line 1: client_personal_data.keep: the unit is years or days, got "
       "'weeks'"},
      {"client_personal_data.keep = 0 days\n",
       "line 1: client_personal_data.keep: between 1 day and 100 years"},
      {"# x\nprocedure_record.keep = 3 years\n",
       "line 2: unknown key 'procedure_record.keep'"},
      {"client_personal_data.keep = 3 years\nprocedure_records.erase = "
       "automatic\n",
       "line 2: procedure_records.erase: procedure and stock records are "
       "never erased"},
      {"client_personal_data.keep = 3 years\nclient_personal_data.erase = "
       "soon\n",
       "line 2: client_personal_data.erase: expected automatic or approval, "
       "got 'soon'"},
      {"client_personal_data.keep = 3 years\nclient_personal_data.keep = 2 "
       "years\n",
       "line 2: client_personal_data.keep: already set on line 1"},
      {"client_personal_data.keep = 3 years\nlegal_basis =\n",
       "line 2: legal_basis: blank"},
      {"procedure_records.keep = 3 years\n",
       "client_personal_data.keep: not set"},
      {"client_personal_data.keep 3 years\n", "line 1: expected 'key = value'"},
  };
  for (const auto& c : kCases) {
    EXPECT_THAT(
        ParseRetentionPolicy(c.text).status(),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.error)))
        << c.text;
  }
}

}  // namespace
}  // namespace smptrace::domain
