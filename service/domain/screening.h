// Pre-procedure screening: the answers a practitioner records at session
// start, the clinic's rules (DESIGN.md §2 "Screening") and the verdict they
// give: CLEARED, WARN (proceed, noted) or BLOCKED (proceed only with a manager
// override and a reason, noted as an exception).
//
// Pure domain: plain structs in, values out. Today's date is passed in, in the
// clinic's time zone; nothing here reads a clock.

#ifndef SMPTRACE_SERVICE_DOMAIN_SCREENING_H_
#define SMPTRACE_SERVICE_DOMAIN_SCREENING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"

namespace smptrace::domain {

// How far a screening lets the session go. The values are ordered so that the
// larger one is the stricter: the verdict of a screening is the largest
// verdict among its findings.
enum class ScreeningVerdict {
  kCleared = 1,
  kWarn = 2,
  kBlocked = 3,
};

// "CLEARED", "WARN" or "BLOCKED": the spelling used in policy files and
// messages.
std::string_view ScreeningVerdictName(ScreeningVerdict verdict);

// Which session of a client's plan this is. Two or three sessions make a plan;
// a touch-up follows years later.
enum class PlanStep {
  kFirst = 1,
  kSecond = 2,
  kThird = 3,
  kTouchUp = 4,
};

// "FIRST", "SECOND", "THIRD" or "TOUCH_UP".
std::string_view PlanStepName(PlanStep step);

// The practitioner's answers. A "last date" field holds the day the thing last
// happened, std::nullopt meaning never (or not within memory); each must be
// today or earlier (see ValidateScreeningAnswers).
struct ScreeningAnswers {
  // Minoxidil, medicated shampoos and other topical hair-loss treatments.
  std::optional<absl::CivilDay> last_topical_hair_loss_treatment;
  // The day finasteride was stopped; leave unset while still taking it.
  std::optional<absl::CivilDay> finasteride_stopped;
  bool finasteride_current = false;
  std::optional<absl::CivilDay> last_microneedling;
  std::optional<absl::CivilDay> hair_restoration_surgery;
  // Isotretinoin (Accutane).
  std::optional<absl::CivilDay> last_isotretinoin;
  // The scalp skin has healed (from microneedling, hair fibres or anything
  // else).
  bool skin_healed = true;
  bool uses_hair_fibres = false;
  bool extreme_anxiety_or_depression = false;
  // The day before the session: aspirin, ibuprofen, anti-inflammatories,
  // steroids.
  bool blood_thinners_day_before = false;
  // The day before the session: garlic, ginger, ginkgo, fish oil, vitamin E.
  bool supplements_day_before = false;
  bool alcohol_within_24h = false;
  // The scalp was exfoliated the night before.
  bool scalp_exfoliated = true;
};

// Stable rule codes. A finding names its rule with one of these; the clinic's
// policy file uses the same code as the prefix of the rule's keys
// (e.g. "finasteride.min_days"). They may be stored with an exception on the
// record: do not rename.
inline constexpr std::string_view kRuleTopicalHairLossTreatment =
    "topical_hair_loss_treatment";
inline constexpr std::string_view kRuleFinasteride = "finasteride";
inline constexpr std::string_view kRuleMicroneedling = "microneedling";
inline constexpr std::string_view kRuleMicroneedlingSkinNotHealed =
    "microneedling_skin_not_healed";
inline constexpr std::string_view kRuleHairRestorationSurgery =
    "hair_restoration_surgery";
inline constexpr std::string_view kRuleIsotretinoin = "isotretinoin";
inline constexpr std::string_view kRuleHairFibresSkinNotHealed =
    "hair_fibres_skin_not_healed";
inline constexpr std::string_view kRuleSkinNotHealed = "skin_not_healed";
inline constexpr std::string_view kRuleExtremeAnxietyOrDepression =
    "extreme_anxiety_or_depression";
inline constexpr std::string_view kRuleBloodThinners = "blood_thinners";
inline constexpr std::string_view kRuleSupplements = "supplements";
inline constexpr std::string_view kRuleAlcohol = "alcohol";
inline constexpr std::string_view kRuleScalpNotExfoliated =
    "scalp_not_exfoliated";
inline constexpr std::string_view kRulePlanInterval = "plan_interval";
inline constexpr std::string_view kRulePlanNoEarlierSession =
    "plan_no_earlier_session";

// The clinic's screening rules. The defaults are DESIGN.md §2 and equal
// deploy/screening.conf. Each field is named after its key in the policy file
// ("finasteride.min_days" sets finasteride_min_days).
//
// A `*_min_days` threshold is passed by exactly that many days: with 30, a
// treatment 30 days before the session passes and 29 days before gives the
// rule's severity. A severity of kCleared switches a rule off: it then
// produces no finding.
struct ScreeningPolicy {
  // Minoxidil, medicated shampoos: none within this many days before.
  int topical_hair_loss_treatment_min_days = 30;
  ScreeningVerdict topical_hair_loss_treatment_severity =
      ScreeningVerdict::kBlocked;
  // None for this many days after the session, given as aftercare advice;
  // 0 gives no advice.
  int topical_hair_loss_treatment_aftercare_days = 30;

  // The severity also applies while finasteride is still taken.
  int finasteride_min_days = 30;
  ScreeningVerdict finasteride_severity = ScreeningVerdict::kBlocked;

  int microneedling_min_days = 28;
  ScreeningVerdict microneedling_severity = ScreeningVerdict::kBlocked;
  // Microneedling at least `microneedling_min_days` but fewer than this many
  // days before gives `microneedling_warn_severity`. Never less than
  // `microneedling_min_days`; a warning never stricter than
  // `microneedling_severity` (unless that is switched off).
  int microneedling_warn_under_days = 42;
  ScreeningVerdict microneedling_warn_severity = ScreeningVerdict::kWarn;
  // Microneedling on record and the skin not healed.
  ScreeningVerdict microneedling_skin_not_healed_severity =
      ScreeningVerdict::kBlocked;

  // 183 days: six months.
  int hair_restoration_surgery_min_days = 183;
  ScreeningVerdict hair_restoration_surgery_severity =
      ScreeningVerdict::kBlocked;

  int isotretinoin_min_days = 365;
  ScreeningVerdict isotretinoin_severity = ScreeningVerdict::kBlocked;

  // Hair fibres are fine only on healed skin.
  ScreeningVerdict hair_fibres_skin_not_healed_severity =
      ScreeningVerdict::kBlocked;
  // Skin not healed with neither microneedling nor hair fibres on record. Not
  // in the clinic's list; WARN so that the answer is noted on the session.
  ScreeningVerdict skin_not_healed_severity = ScreeningVerdict::kWarn;

  ScreeningVerdict extreme_anxiety_or_depression_severity =
      ScreeningVerdict::kWarn;

  // The day before the session.
  ScreeningVerdict blood_thinners_severity = ScreeningVerdict::kBlocked;
  ScreeningVerdict supplements_severity = ScreeningVerdict::kWarn;
  ScreeningVerdict alcohol_severity = ScreeningVerdict::kBlocked;
  ScreeningVerdict scalp_not_exfoliated_severity = ScreeningVerdict::kWarn;

  // Days since the same client's previous session of the plan.
  int plan_interval_min_days = 7;
  ScreeningVerdict plan_interval_severity = ScreeningVerdict::kWarn;
  // A SECOND or THIRD session with no earlier session of the plan on record.
  ScreeningVerdict plan_no_earlier_session_severity = ScreeningVerdict::kWarn;
};

bool operator==(const ScreeningPolicy& a, const ScreeningPolicy& b);
bool operator!=(const ScreeningPolicy& a, const ScreeningPolicy& b);

// One rule that fired.
struct ScreeningFinding {
  std::string rule;  // one of the kRule* codes
  ScreeningVerdict verdict;
  // One line a practitioner understands, e.g.
  // "finasteride stopped 12 days ago; must be stopped at least 30 days before".
  std::string message;
};

struct ScreeningResult {
  // The strictest verdict among `findings`; kCleared when there are none.
  ScreeningVerdict verdict = ScreeningVerdict::kCleared;
  // In the order of DESIGN.md §2's list.
  std::vector<ScreeningFinding> findings;
  // Advice for after the session, e.g. "no topical hair-loss treatments
  // (minoxidil, medicated shampoos) for 30 days after the session".
  std::vector<std::string> aftercare;
};

// Checks the shape of `answers` against `today`.
// Returns OK, or InvalidArgument naming the first bad field:
//   "screening.last_microneedling: 2026-12-01 is in the future"
//   "screening.finasteride_stopped: set while screening.finasteride_current is
//    true" (stopped and still taking cannot both be on the record).
absl::Status ValidateScreeningAnswers(const ScreeningAnswers& answers,
                                      absl::CivilDay today);

// True if any answer differs from "never / no": something applies to the
// client. False for default answers, which by themselves do not show that
// the questions were asked.
bool AnyAnswerGiven(const ScreeningAnswers& answers);

// Evaluates `answers` against `policy` for a session held on `today` (the
// clinic's local date). `previous_plan_session` is the day of the same
// client's previous session of the plan, if any; `step` is this session's
// place in the plan.
//
// Intervals count whole calendar days: a session 30 days after the last
// treatment passes a 30-day rule, 29 days does not.
//
// REQUIRES: ValidateScreeningAnswers(answers, today).ok().
// REQUIRES: `policy` came from the defaults or ParseScreeningPolicy.
// A `previous_plan_session` after `today` (a clock set back) counts as a
// session today.
//
// Example:
//   ScreeningAnswers a;
//   a.finasteride_stopped = absl::CivilDay(2026, 4, 19);
//   ScreeningResult r = EvaluateScreening(a, ScreeningPolicy(),
//                                         absl::CivilDay(2026, 5, 1),
//                                         std::nullopt, PlanStep::kFirst);
//   // r.verdict == ScreeningVerdict::kBlocked, one finding "finasteride".
ScreeningResult EvaluateScreening(
    const ScreeningAnswers& answers, const ScreeningPolicy& policy,
    absl::CivilDay today, std::optional<absl::CivilDay> previous_plan_session,
    PlanStep step);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_SCREENING_H_
