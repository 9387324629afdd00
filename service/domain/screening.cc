#include "service/domain/screening.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/string_view.h"

namespace smptrace::domain {
namespace {

// The policy as one tuple, so that equality cannot forget a field that the
// struct gains (add it here too).
auto PolicyFields(const ScreeningPolicy& p) {
  return std::tie(
      p.topical_hair_loss_treatment_min_days,
      p.topical_hair_loss_treatment_severity,
      p.topical_hair_loss_treatment_aftercare_days, p.finasteride_min_days,
      p.finasteride_severity, p.microneedling_min_days,
      p.microneedling_severity, p.microneedling_warn_under_days,
      p.microneedling_warn_severity, p.microneedling_skin_not_healed_severity,
      p.hair_restoration_surgery_min_days, p.hair_restoration_surgery_severity,
      p.isotretinoin_min_days, p.isotretinoin_severity,
      p.hair_fibres_skin_not_healed_severity, p.skin_not_healed_severity,
      p.extreme_anxiety_or_depression_severity, p.blood_thinners_severity,
      p.supplements_severity, p.alcohol_severity,
      p.scalp_not_exfoliated_severity, p.plan_interval_min_days,
      p.plan_interval_severity, p.plan_no_earlier_session_severity);
}

// "today", "1 day ago", "12 days ago".
std::string DaysAgo(int64_t days) {
  if (days <= 0) return "today";
  if (days == 1) return "1 day ago";
  return absl::StrCat(days, " days ago");
}

// Collects findings; a rule whose severity is kCleared is switched off and
// adds nothing.
class Findings {
 public:
  void Add(std::string_view rule, ScreeningVerdict severity,
           std::string message) {
    if (severity == ScreeningVerdict::kCleared) return;
    result_.verdict = std::max(result_.verdict, severity);
    result_.findings.push_back(
        ScreeningFinding{std::string(rule), severity, std::move(message)});
  }

  void AddAftercare(std::string advice) {
    result_.aftercare.push_back(std::move(advice));
  }

  ScreeningResult Take() && { return std::move(result_); }

 private:
  ScreeningResult result_;
};

absl::Status CheckNotFuture(absl::string_view field,
                            const std::optional<absl::CivilDay>& day,
                            absl::CivilDay today) {
  if (day.has_value() && *day > today) {
    return absl::InvalidArgumentError(absl::StrCat("screening.", field, ": ",
                                                   absl::FormatCivilTime(*day),
                                                   " is in the future"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view ScreeningVerdictName(ScreeningVerdict verdict) {
  switch (verdict) {
    case ScreeningVerdict::kCleared:
      return "CLEARED";
    case ScreeningVerdict::kWarn:
      return "WARN";
    case ScreeningVerdict::kBlocked:
      return "BLOCKED";
  }
  assert(false && "unknown ScreeningVerdict");
  return "UNKNOWN";
}

std::string_view PlanStepName(PlanStep step) {
  switch (step) {
    case PlanStep::kFirst:
      return "FIRST";
    case PlanStep::kSecond:
      return "SECOND";
    case PlanStep::kThird:
      return "THIRD";
    case PlanStep::kTouchUp:
      return "TOUCH_UP";
  }
  assert(false && "unknown PlanStep");
  return "UNKNOWN";
}

bool operator==(const ScreeningPolicy& a, const ScreeningPolicy& b) {
  return PolicyFields(a) == PolicyFields(b);
}

bool operator!=(const ScreeningPolicy& a, const ScreeningPolicy& b) {
  return !(a == b);
}

absl::Status ValidateScreeningAnswers(const ScreeningAnswers& answers,
                                      absl::CivilDay today) {
  const std::pair<absl::string_view, const std::optional<absl::CivilDay>*>
      dates[] = {
          {"last_topical_hair_loss_treatment",
           &answers.last_topical_hair_loss_treatment},
          {"finasteride_stopped", &answers.finasteride_stopped},
          {"last_microneedling", &answers.last_microneedling},
          {"hair_restoration_surgery", &answers.hair_restoration_surgery},
          {"last_isotretinoin", &answers.last_isotretinoin},
      };
  for (const auto& [field, day] : dates) {
    absl::Status status = CheckNotFuture(field, *day, today);
    if (!status.ok()) return status;
  }
  if (answers.finasteride_current && answers.finasteride_stopped.has_value()) {
    return absl::InvalidArgumentError(
        "screening.finasteride_stopped: set while "
        "screening.finasteride_current is true");
  }
  return absl::OkStatus();
}

bool AnyAnswerGiven(const ScreeningAnswers& a) {
  return a.last_topical_hair_loss_treatment.has_value() ||
         a.finasteride_stopped.has_value() || a.finasteride_current ||
         a.last_microneedling.has_value() ||
         a.hair_restoration_surgery.has_value() ||
         a.last_isotretinoin.has_value() || !a.skin_healed ||
         a.uses_hair_fibres || a.extreme_anxiety_or_depression ||
         a.blood_thinners_day_before || a.supplements_day_before ||
         a.alcohol_within_24h || !a.scalp_exfoliated;
}

ScreeningResult EvaluateScreening(
    const ScreeningAnswers& answers, const ScreeningPolicy& policy,
    absl::CivilDay today, std::optional<absl::CivilDay> previous_plan_session,
    PlanStep step) {
  assert(ValidateScreeningAnswers(answers, today).ok());
  Findings findings;

  if (answers.last_topical_hair_loss_treatment.has_value()) {
    const int64_t days = today - *answers.last_topical_hair_loss_treatment;
    if (days < policy.topical_hair_loss_treatment_min_days) {
      findings.Add(kRuleTopicalHairLossTreatment,
                   policy.topical_hair_loss_treatment_severity,
                   absl::StrCat("topical hair-loss treatment used ",
                                DaysAgo(days), "; none allowed within ",
                                policy.topical_hair_loss_treatment_min_days,
                                " days before"));
    }
  }

  if (answers.finasteride_current) {
    findings.Add(kRuleFinasteride, policy.finasteride_severity,
                 absl::StrCat("finasteride still taken; must be stopped at "
                              "least ",
                              policy.finasteride_min_days, " days before"));
  } else if (answers.finasteride_stopped.has_value()) {
    const int64_t days = today - *answers.finasteride_stopped;
    if (days < policy.finasteride_min_days) {
      findings.Add(kRuleFinasteride, policy.finasteride_severity,
                   absl::StrCat("finasteride stopped ", DaysAgo(days),
                                "; must be stopped at least ",
                                policy.finasteride_min_days, " days before"));
    }
  }

  if (answers.last_microneedling.has_value()) {
    const int64_t days = today - *answers.last_microneedling;
    // When the block is switched off, the warning still covers its days.
    if (days < policy.microneedling_min_days &&
        policy.microneedling_severity != ScreeningVerdict::kCleared) {
      findings.Add(
          kRuleMicroneedling, policy.microneedling_severity,
          absl::StrCat("microneedling ", DaysAgo(days), "; must be at least ",
                       policy.microneedling_min_days, " days before"));
    } else if (days < policy.microneedling_warn_under_days) {
      findings.Add(kRuleMicroneedling, policy.microneedling_warn_severity,
                   absl::StrCat("microneedling ", DaysAgo(days), "; at least ",
                                policy.microneedling_warn_under_days,
                                " days before is advised"));
    }
    if (!answers.skin_healed) {
      findings.Add(kRuleMicroneedlingSkinNotHealed,
                   policy.microneedling_skin_not_healed_severity,
                   "skin not healed after microneedling; must be healed "
                   "before the session");
    }
  }

  if (answers.hair_restoration_surgery.has_value()) {
    const int64_t days = today - *answers.hair_restoration_surgery;
    if (days < policy.hair_restoration_surgery_min_days) {
      findings.Add(
          kRuleHairRestorationSurgery, policy.hair_restoration_surgery_severity,
          absl::StrCat("hair restoration surgery ", DaysAgo(days),
                       "; must have healed at least ",
                       policy.hair_restoration_surgery_min_days, " days"));
    }
  }

  if (answers.last_isotretinoin.has_value()) {
    const int64_t days = today - *answers.last_isotretinoin;
    if (days < policy.isotretinoin_min_days) {
      findings.Add(kRuleIsotretinoin, policy.isotretinoin_severity,
                   absl::StrCat("isotretinoin (Accutane) taken ", DaysAgo(days),
                                "; none allowed within ",
                                policy.isotretinoin_min_days, " days before"));
    }
  }

  if (!answers.skin_healed && answers.uses_hair_fibres) {
    findings.Add(kRuleHairFibresSkinNotHealed,
                 policy.hair_fibres_skin_not_healed_severity,
                 "hair fibres used and skin not healed; fibres are fine only "
                 "on healed skin");
  }
  if (!answers.skin_healed && !answers.uses_hair_fibres &&
      !answers.last_microneedling.has_value()) {
    findings.Add(kRuleSkinNotHealed, policy.skin_not_healed_severity,
                 "scalp skin not healed");
  }

  if (answers.extreme_anxiety_or_depression) {
    findings.Add(kRuleExtremeAnxietyOrDepression,
                 policy.extreme_anxiety_or_depression_severity,
                 "extreme anxiety or depression reported");
  }

  if (answers.blood_thinners_day_before) {
    findings.Add(kRuleBloodThinners, policy.blood_thinners_severity,
                 "blood thinners (aspirin, ibuprofen, anti-inflammatories, "
                 "steroids) taken the day before");
  }
  if (answers.supplements_day_before) {
    findings.Add(kRuleSupplements, policy.supplements_severity,
                 "garlic, ginger, ginkgo, fish oil or vitamin E supplements "
                 "taken the day before");
  }
  if (answers.alcohol_within_24h) {
    findings.Add(kRuleAlcohol, policy.alcohol_severity,
                 "alcohol within 24 hours before the session");
  }
  if (!answers.scalp_exfoliated) {
    findings.Add(kRuleScalpNotExfoliated, policy.scalp_not_exfoliated_severity,
                 "scalp not exfoliated the night before");
  }

  if (previous_plan_session.has_value()) {
    const int64_t days = std::max<int64_t>(0, today - *previous_plan_session);
    if (days < policy.plan_interval_min_days) {
      findings.Add(kRulePlanInterval, policy.plan_interval_severity,
                   absl::StrCat("previous session of the plan ", DaysAgo(days),
                                "; sessions must be at least ",
                                policy.plan_interval_min_days, " days apart"));
    }
  } else if (step == PlanStep::kSecond || step == PlanStep::kThird) {
    findings.Add(kRulePlanNoEarlierSession,
                 policy.plan_no_earlier_session_severity,
                 absl::StrCat("no earlier session of the plan on record for a ",
                              ToAbsl(PlanStepName(step)), " session"));
  }

  if (policy.topical_hair_loss_treatment_aftercare_days > 0) {
    findings.AddAftercare(absl::StrCat(
        "no topical hair-loss treatments (minoxidil, medicated shampoos) for ",
        policy.topical_hair_loss_treatment_aftercare_days,
        " days after the session"));
  }
  return std::move(findings).Take();
}

}  // namespace smptrace::domain
