// Tests of the screening rules: one row per rule and boundary (exactly at the
// threshold, one day inside, one day outside), the worst verdict winning, the
// policy's switches, and the validation of the answers.

#include "service/domain/screening.h"

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::domain {

// Readable failure output for the types under test.
void PrintTo(ScreeningVerdict verdict, std::ostream* os) {
  *os << ScreeningVerdictName(verdict);
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::CivilDay kToday(2026, 5, 1);

absl::CivilDay DaysAgo(int days) { return kToday - days; }

// One finding as a line, so that a mismatch prints readably.
std::string Describe(const ScreeningFinding& f) {
  return std::string(ScreeningVerdictName(f.verdict)) + " " + f.rule + ": " +
         f.message;
}

std::vector<std::string> Describe(const std::vector<ScreeningFinding>& fs) {
  std::vector<std::string> lines;
  for (const ScreeningFinding& f : fs) lines.push_back(Describe(f));
  return lines;
}

struct RuleCase {
  std::string name;  // states the behaviour; the test's name
  std::function<void(ScreeningAnswers&)> answer;
  std::optional<absl::CivilDay> previous_plan_session;
  PlanStep step;
  ScreeningVerdict verdict;
  std::vector<std::string> findings;  // as Describe() prints them
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

const RuleCase kRuleCases[] = {
    {"NoAnswersOfNoteIsCleared",
     [](ScreeningAnswers&) {},
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},

    // Topical hair-loss treatments: none within 30 days before.
    {"TopicalTreatment29DaysAgoIsBlocked",
     [](ScreeningAnswers& a) {
       a.last_topical_hair_loss_treatment = DaysAgo(29);
     },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED topical_hair_loss_treatment: topical hair-loss treatment used "
      "29 days ago; none allowed within 30 days before"}},
    {"TopicalTreatmentExactly30DaysAgoIsCleared",
     [](ScreeningAnswers& a) {
       a.last_topical_hair_loss_treatment = DaysAgo(30);
     },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},
    {"TopicalTreatment31DaysAgoIsCleared",
     [](ScreeningAnswers& a) {
       a.last_topical_hair_loss_treatment = DaysAgo(31);
     },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},
    {"TopicalTreatmentTodayIsBlocked",
     [](ScreeningAnswers& a) { a.last_topical_hair_loss_treatment = kToday; },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED topical_hair_loss_treatment: topical hair-loss treatment used "
      "today; none allowed within 30 days before"}},

    // Finasteride: stopped at least 30 days before.
    {"FinasterideStillTakenIsBlocked",
     [](ScreeningAnswers& a) { a.finasteride_current = true; },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED finasteride: finasteride still taken; must be stopped at least "
      "30 days before"}},
    {"FinasterideStopped29DaysAgoIsBlocked",
     [](ScreeningAnswers& a) { a.finasteride_stopped = DaysAgo(29); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED finasteride: finasteride stopped 29 days ago; must be stopped "
      "at least 30 days before"}},
    {"FinasterideStoppedExactly30DaysAgoIsCleared",
     [](ScreeningAnswers& a) { a.finasteride_stopped = DaysAgo(30); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},
    {"FinasterideStopped31DaysAgoIsCleared",
     [](ScreeningAnswers& a) { a.finasteride_stopped = DaysAgo(31); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},
    {"FinasterideStoppedYesterdaySaysOneDay",
     [](ScreeningAnswers& a) { a.finasteride_stopped = DaysAgo(1); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED finasteride: finasteride stopped 1 day ago; must be stopped at "
      "least 30 days before"}},

    // Microneedling: at least 28 days before, warn under 42, skin healed.
    {"Microneedling27DaysAgoIsBlocked",
     [](ScreeningAnswers& a) { a.last_microneedling = DaysAgo(27); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED microneedling: microneedling 27 days ago; must be at least 28 "
      "days before"}},
    {"MicroneedlingExactly28DaysAgoIsWarned",
     [](ScreeningAnswers& a) { a.last_microneedling = DaysAgo(28); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kWarn,
     {"WARN microneedling: microneedling 28 days ago; at least 42 days before "
      "is advised"}},
    {"Microneedling29DaysAgoIsWarned",
     [](ScreeningAnswers& a) { a.last_microneedling = DaysAgo(29); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kWarn,
     {"WARN microneedling: microneedling 29 days ago; at least 42 days before "
      "is advised"}},
    {"Microneedling41DaysAgoIsWarned",
     [](ScreeningAnswers& a) { a.last_microneedling = DaysAgo(41); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kWarn,
     {"WARN microneedling: microneedling 41 days ago; at least 42 days before "
      "is advised"}},
    {"MicroneedlingExactly42DaysAgoIsCleared",
     [](ScreeningAnswers& a) { a.last_microneedling = DaysAgo(42); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},
    {"Microneedling43DaysAgoIsCleared",
     [](ScreeningAnswers& a) { a.last_microneedling = DaysAgo(43); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},
    {"MicroneedlingLongAgoWithSkinNotHealedIsBlocked",
     [](ScreeningAnswers& a) {
       a.last_microneedling = DaysAgo(60);
       a.skin_healed = false;
     },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED microneedling_skin_not_healed: skin not healed after "
      "microneedling; must be healed before the session"}},

    // Hair restoration surgery: at least 183 days healed.
    {"HairRestorationSurgery182DaysAgoIsBlocked",
     [](ScreeningAnswers& a) { a.hair_restoration_surgery = DaysAgo(182); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED hair_restoration_surgery: hair restoration surgery 182 days "
      "ago; must have healed at least 183 days"}},
    {"HairRestorationSurgeryExactly183DaysAgoIsCleared",
     [](ScreeningAnswers& a) { a.hair_restoration_surgery = DaysAgo(183); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},
    {"HairRestorationSurgery184DaysAgoIsCleared",
     [](ScreeningAnswers& a) { a.hair_restoration_surgery = DaysAgo(184); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},

    // Isotretinoin: none within 365 days.
    {"Isotretinoin364DaysAgoIsBlocked",
     [](ScreeningAnswers& a) { a.last_isotretinoin = DaysAgo(364); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED isotretinoin: isotretinoin (Accutane) taken 364 days ago; none "
      "allowed within 365 days before"}},
    {"IsotretinoinExactly365DaysAgoIsCleared",
     [](ScreeningAnswers& a) { a.last_isotretinoin = DaysAgo(365); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},
    {"Isotretinoin366DaysAgoIsCleared",
     [](ScreeningAnswers& a) { a.last_isotretinoin = DaysAgo(366); },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},

    // Skin.
    {"HairFibresOnHealedSkinAreCleared",
     [](ScreeningAnswers& a) { a.uses_hair_fibres = true; },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kCleared,
     {}},
    {"HairFibresOnSkinNotHealedAreBlocked",
     [](ScreeningAnswers& a) {
       a.uses_hair_fibres = true;
       a.skin_healed = false;
     },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED hair_fibres_skin_not_healed: hair fibres used and skin not "
      "healed; fibres are fine only on healed skin"}},
    {"SkinNotHealedWithoutMicroneedlingOrFibresIsWarned",
     [](ScreeningAnswers& a) { a.skin_healed = false; },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kWarn,
     {"WARN skin_not_healed: scalp skin not healed"}},

    // Wellbeing and the day before.
    {"ExtremeAnxietyOrDepressionIsWarned",
     [](ScreeningAnswers& a) { a.extreme_anxiety_or_depression = true; },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kWarn,
     {"WARN extreme_anxiety_or_depression: extreme anxiety or depression "
      "reported"}},
    {"BloodThinnersTheDayBeforeAreBlocked",
     [](ScreeningAnswers& a) { a.blood_thinners_day_before = true; },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED blood_thinners: blood thinners (aspirin, ibuprofen, "
      "anti-inflammatories, steroids) taken the day before"}},
    {"SupplementsTheDayBeforeAreWarned",
     [](ScreeningAnswers& a) { a.supplements_day_before = true; },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kWarn,
     {"WARN supplements: garlic, ginger, ginkgo, fish oil or vitamin E "
      "supplements taken the day before"}},
    {"AlcoholWithin24HoursIsBlocked",
     [](ScreeningAnswers& a) { a.alcohol_within_24h = true; },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED alcohol: alcohol within 24 hours before the session"}},
    {"ScalpNotExfoliatedIsWarned",
     [](ScreeningAnswers& a) { a.scalp_exfoliated = false; },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kWarn,
     {"WARN scalp_not_exfoliated: scalp not exfoliated the night before"}},

    // The plan: previous session at least 7 days earlier.
    {"PreviousSession6DaysAgoIsWarned",
     [](ScreeningAnswers&) {},
     DaysAgo(6),
     PlanStep::kSecond,
     ScreeningVerdict::kWarn,
     {"WARN plan_interval: previous session of the plan 6 days ago; sessions "
      "must be at least 7 days apart"}},
    {"PreviousSessionExactly7DaysAgoIsCleared",
     [](ScreeningAnswers&) {},
     DaysAgo(7),
     PlanStep::kSecond,
     ScreeningVerdict::kCleared,
     {}},
    {"PreviousSession8DaysAgoIsCleared",
     [](ScreeningAnswers&) {},
     DaysAgo(8),
     PlanStep::kThird,
     ScreeningVerdict::kCleared,
     {}},
    {"PreviousSessionTodayIsWarned",
     [](ScreeningAnswers&) {},
     kToday,
     PlanStep::kSecond,
     ScreeningVerdict::kWarn,
     {"WARN plan_interval: previous session of the plan today; sessions must "
      "be at least 7 days apart"}},
    {"PreviousSessionAfterTodayCountsAsToday",
     [](ScreeningAnswers&) {},
     kToday + 1,
     PlanStep::kSecond,
     ScreeningVerdict::kWarn,
     {"WARN plan_interval: previous session of the plan today; sessions must "
      "be at least 7 days apart"}},
    {"SecondSessionWithNoEarlierSessionIsWarned",
     [](ScreeningAnswers&) {},
     std::nullopt,
     PlanStep::kSecond,
     ScreeningVerdict::kWarn,
     {"WARN plan_no_earlier_session: no earlier session of the plan on record "
      "for a SECOND session"}},
    {"ThirdSessionWithNoEarlierSessionIsWarned",
     [](ScreeningAnswers&) {},
     std::nullopt,
     PlanStep::kThird,
     ScreeningVerdict::kWarn,
     {"WARN plan_no_earlier_session: no earlier session of the plan on record "
      "for a THIRD session"}},
    {"TouchUpYearsLaterIsCleared",
     [](ScreeningAnswers&) {},
     absl::CivilDay(2023, 3, 14),
     PlanStep::kTouchUp,
     ScreeningVerdict::kCleared,
     {}},
    {"TouchUpWithNoEarlierSessionIsCleared",
     [](ScreeningAnswers&) {},
     std::nullopt,
     PlanStep::kTouchUp,
     ScreeningVerdict::kCleared,
     {}},

    // Several findings: the worst verdict wins, findings keep the rule order.
    {"BlockedFindingOutranksWarnings",
     [](ScreeningAnswers& a) {
       a.scalp_exfoliated = false;
       a.supplements_day_before = true;
       a.alcohol_within_24h = true;
     },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"WARN supplements: garlic, ginger, ginkgo, fish oil or vitamin E "
      "supplements taken the day before",
      "BLOCKED alcohol: alcohol within 24 hours before the session",
      "WARN scalp_not_exfoliated: scalp not exfoliated the night before"}},
    {"SeveralWarningsStayWarn",
     [](ScreeningAnswers& a) {
       a.extreme_anxiety_or_depression = true;
       a.last_microneedling = DaysAgo(30);
     },
     DaysAgo(3),
     PlanStep::kSecond,
     ScreeningVerdict::kWarn,
     {"WARN microneedling: microneedling 30 days ago; at least 42 days before "
      "is advised",
      "WARN extreme_anxiety_or_depression: extreme anxiety or depression "
      "reported",
      "WARN plan_interval: previous session of the plan 3 days ago; sessions "
      "must be at least 7 days apart"}},
    {"MicroneedlingTooRecentWithSkinNotHealedGivesBothFindings",
     [](ScreeningAnswers& a) {
       a.last_microneedling = DaysAgo(10);
       a.skin_healed = false;
       a.uses_hair_fibres = true;
     },
     std::nullopt,
     PlanStep::kFirst,
     ScreeningVerdict::kBlocked,
     {"BLOCKED microneedling: microneedling 10 days ago; must be at least 28 "
      "days before",
      "BLOCKED microneedling_skin_not_healed: skin not healed after "
      "microneedling; must be healed before the session",
      "BLOCKED hair_fibres_skin_not_healed: hair fibres used and skin not "
      "healed; fibres are fine only on healed skin"}},
};

class ScreeningRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(ScreeningRuleTest, GivesTheExpectedVerdictAndFindings) {
  const RuleCase& c = GetParam();
  ScreeningAnswers answers;
  c.answer(answers);
  ASSERT_TRUE(ValidateScreeningAnswers(answers, kToday).ok());

  ScreeningResult result = EvaluateScreening(answers, ScreeningPolicy(), kToday,
                                             c.previous_plan_session, c.step);

  EXPECT_EQ(result.verdict, c.verdict);
  EXPECT_EQ(Describe(result.findings), c.findings);
}

INSTANTIATE_TEST_SUITE_P(DefaultPolicy, ScreeningRuleTest,
                         ::testing::ValuesIn(kRuleCases),
                         [](const ::testing::TestParamInfo<RuleCase>& row) {
                           return row.param.name;
                         });

TEST(EvaluateScreening, GivesTopicalTreatmentAftercareWhateverTheVerdict) {
  ScreeningAnswers blocked;
  blocked.alcohol_within_24h = true;
  for (const ScreeningAnswers& answers : {ScreeningAnswers(), blocked}) {
    ScreeningResult result = EvaluateScreening(
        answers, ScreeningPolicy(), kToday, std::nullopt, PlanStep::kFirst);
    EXPECT_THAT(result.aftercare,
                ElementsAre("no topical hair-loss treatments (minoxidil, "
                            "medicated shampoos) for 30 days after the "
                            "session"));
  }
}

TEST(EvaluateScreening, AftercareFollowsThePolicy) {
  ScreeningPolicy policy;
  policy.topical_hair_loss_treatment_aftercare_days = 14;
  EXPECT_THAT(EvaluateScreening(ScreeningAnswers(), policy, kToday,
                                std::nullopt, PlanStep::kFirst)
                  .aftercare,
              ElementsAre("no topical hair-loss treatments (minoxidil, "
                          "medicated shampoos) for 14 days after the session"));

  policy.topical_hair_loss_treatment_aftercare_days = 0;
  EXPECT_THAT(EvaluateScreening(ScreeningAnswers(), policy, kToday,
                                std::nullopt, PlanStep::kFirst)
                  .aftercare,
              IsEmpty());
}

TEST(EvaluateScreening, RuleSwitchedOffWithClearedGivesNoFinding) {
  ScreeningPolicy policy;
  policy.alcohol_severity = ScreeningVerdict::kCleared;
  ScreeningAnswers answers;
  answers.alcohol_within_24h = true;

  ScreeningResult result = EvaluateScreening(answers, policy, kToday,
                                             std::nullopt, PlanStep::kFirst);

  EXPECT_EQ(result.verdict, ScreeningVerdict::kCleared);
  EXPECT_THAT(result.findings, IsEmpty());
}

TEST(EvaluateScreening, UsesTheClinicsThresholdAndSeverity) {
  ScreeningPolicy policy;
  policy.finasteride_min_days = 60;
  policy.finasteride_severity = ScreeningVerdict::kWarn;
  ScreeningAnswers answers;
  answers.finasteride_stopped = DaysAgo(45);

  ScreeningResult result = EvaluateScreening(answers, policy, kToday,
                                             std::nullopt, PlanStep::kFirst);

  EXPECT_EQ(result.verdict, ScreeningVerdict::kWarn);
  EXPECT_THAT(Describe(result.findings),
              ElementsAre("WARN finasteride: finasteride stopped 45 days ago; "
                          "must be stopped at least 60 days before"));
}

TEST(EvaluateScreening, MicroneedlingWarningCoversTheDaysOfASwitchedOffBlock) {
  ScreeningPolicy policy;
  policy.microneedling_severity = ScreeningVerdict::kCleared;
  ScreeningAnswers answers;
  answers.last_microneedling = DaysAgo(5);

  ScreeningResult result = EvaluateScreening(answers, policy, kToday,
                                             std::nullopt, PlanStep::kFirst);

  EXPECT_THAT(Describe(result.findings),
              ElementsAre("WARN microneedling: microneedling 5 days ago; at "
                          "least 42 days before is advised"));
}

TEST(EvaluateScreening, PlanIntervalFollowsThePolicy) {
  ScreeningPolicy policy;
  policy.plan_interval_min_days = 14;
  policy.plan_interval_severity = ScreeningVerdict::kBlocked;

  EXPECT_EQ(EvaluateScreening(ScreeningAnswers(), policy, kToday, DaysAgo(13),
                              PlanStep::kSecond)
                .verdict,
            ScreeningVerdict::kBlocked);
  EXPECT_EQ(EvaluateScreening(ScreeningAnswers(), policy, kToday, DaysAgo(14),
                              PlanStep::kSecond)
                .verdict,
            ScreeningVerdict::kCleared);
}

struct FutureDateCase {
  std::string field;
  std::function<void(ScreeningAnswers&, absl::CivilDay)> set;
};

TEST(ValidateScreeningAnswers, RefusesEachDateInTheFutureNamingTheField) {
  const FutureDateCase cases[] = {
      {"last_topical_hair_loss_treatment",
       [](ScreeningAnswers& a, absl::CivilDay d) {
         a.last_topical_hair_loss_treatment = d;
       }},
      {"finasteride_stopped",
       [](ScreeningAnswers& a, absl::CivilDay d) {
         a.finasteride_stopped = d;
       }},
      {"last_microneedling",
       [](ScreeningAnswers& a, absl::CivilDay d) { a.last_microneedling = d; }},
      {"hair_restoration_surgery",
       [](ScreeningAnswers& a, absl::CivilDay d) {
         a.hair_restoration_surgery = d;
       }},
      {"last_isotretinoin",
       [](ScreeningAnswers& a, absl::CivilDay d) { a.last_isotretinoin = d; }},
  };
  for (const FutureDateCase& c : cases) {
    SCOPED_TRACE(c.field);
    ScreeningAnswers tomorrow;
    c.set(tomorrow, kToday + 1);
    absl::Status status = ValidateScreeningAnswers(tomorrow, kToday);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), absl::StrCat("screening.", c.field,
                                             ": 2026-05-02 is in the "
                                             "future"));

    ScreeningAnswers today;
    c.set(today, kToday);
    EXPECT_TRUE(ValidateScreeningAnswers(today, kToday).ok());
  }
}

TEST(ValidateScreeningAnswers, RefusesFinasterideStoppedWhileStillTaken) {
  ScreeningAnswers answers;
  answers.finasteride_current = true;
  answers.finasteride_stopped = DaysAgo(40);

  absl::Status status = ValidateScreeningAnswers(answers, kToday);

  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "screening.finasteride_stopped: set while "
            "screening.finasteride_current is true");
}

TEST(ValidateScreeningAnswers, AcceptsDefaultAnswers) {
  EXPECT_TRUE(ValidateScreeningAnswers(ScreeningAnswers(), kToday).ok());
}

TEST(ScreeningVerdict, OrdersFromClearedToBlocked) {
  EXPECT_LT(ScreeningVerdict::kCleared, ScreeningVerdict::kWarn);
  EXPECT_LT(ScreeningVerdict::kWarn, ScreeningVerdict::kBlocked);
  EXPECT_EQ(ScreeningVerdictName(ScreeningVerdict::kCleared), "CLEARED");
  EXPECT_EQ(ScreeningVerdictName(ScreeningVerdict::kWarn), "WARN");
  EXPECT_EQ(ScreeningVerdictName(ScreeningVerdict::kBlocked), "BLOCKED");
}

TEST(PlanStep, HasTheApiSpelling) {
  EXPECT_EQ(PlanStepName(PlanStep::kFirst), "FIRST");
  EXPECT_EQ(PlanStepName(PlanStep::kSecond), "SECOND");
  EXPECT_EQ(PlanStepName(PlanStep::kThird), "THIRD");
  EXPECT_EQ(PlanStepName(PlanStep::kTouchUp), "TOUCH_UP");
}

}  // namespace
}  // namespace smptrace::domain
