#include "service/ledger/sessions/screening_record.h"

#include <optional>

#include "service/ledger/dates.h"

namespace smptrace::ledger {
namespace {

std::optional<absl::CivilDay> Day(const v1::Date& d) {
  if (!IsSet(d)) return std::nullopt;
  return ToCivilDay(d);
}

}  // namespace

domain::ScreeningAnswers FromProto(const v1::ScreeningAnswers& a) {
  domain::ScreeningAnswers out;
  out.last_topical_hair_loss_treatment =
      Day(a.last_topical_hair_loss_treatment());
  out.finasteride_stopped = Day(a.finasteride_stopped());
  out.finasteride_current = a.finasteride_current();
  out.last_microneedling = Day(a.last_microneedling());
  out.hair_restoration_surgery = Day(a.hair_restoration_surgery());
  out.last_isotretinoin = Day(a.last_isotretinoin());
  out.skin_healed = !a.skin_not_healed();
  out.uses_hair_fibres = a.uses_hair_fibres();
  out.extreme_anxiety_or_depression = a.extreme_anxiety_or_depression();
  out.blood_thinners_day_before = a.blood_thinners_day_before();
  out.supplements_day_before = a.supplements_day_before();
  out.alcohol_within_24h = a.alcohol_within_24h();
  out.scalp_exfoliated = !a.scalp_not_exfoliated();
  return out;
}

v1::ScreeningVerdict ToProto(domain::ScreeningVerdict verdict) {
  switch (verdict) {
    case domain::ScreeningVerdict::kCleared:
      return v1::SCREENING_VERDICT_CLEARED;
    case domain::ScreeningVerdict::kWarn:
      return v1::SCREENING_VERDICT_WARN;
    case domain::ScreeningVerdict::kBlocked:
      return v1::SCREENING_VERDICT_BLOCKED;
  }
  return v1::SCREENING_VERDICT_UNSPECIFIED;
}

domain::PlanStep FromProto(v1::PlanStep step) {
  switch (step) {
    case v1::PLAN_STEP_SECOND:
      return domain::PlanStep::kSecond;
    case v1::PLAN_STEP_THIRD:
      return domain::PlanStep::kThird;
    case v1::PLAN_STEP_TOUCH_UP:
      return domain::PlanStep::kTouchUp;
    case v1::PLAN_STEP_FIRST:
    case v1::PLAN_STEP_UNSPECIFIED:
    case v1::PlanStep_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::PlanStep_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return domain::PlanStep::kFirst;
}

v1::Screening ToProto(const v1::ScreeningAnswers& answers,
                      const domain::ScreeningResult& result) {
  v1::Screening s;
  *s.mutable_answers() = answers;
  s.set_verdict(ToProto(result.verdict));
  for (const auto& f : result.findings) {
    v1::ScreeningFinding* finding = s.add_findings();
    finding->set_rule(f.rule);
    finding->set_verdict(ToProto(f.verdict));
    finding->set_message(f.message);
  }
  for (const auto& advice : result.aftercare) s.add_aftercare(advice);
  return s;
}

}  // namespace smptrace::ledger
