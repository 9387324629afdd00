#include "service/domain/screening_policy.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/string_view.h"
#include "service/domain/settings_file.h"

namespace smptrace::domain {
namespace {

// One key of the policy file and the field it sets: exactly one of `days`
// and `severity` is set. The field is the key with '.' turned into '_'.
struct PolicyKey {
  absl::string_view key;
  int ScreeningPolicy::*days;
  ScreeningVerdict ScreeningPolicy::*severity;
};

// In the order of DESIGN.md §2's list.
constexpr PolicyKey kPolicyKeys[] = {
    {"topical_hair_loss_treatment.min_days",
     &ScreeningPolicy::topical_hair_loss_treatment_min_days, nullptr},
    {"topical_hair_loss_treatment.severity", nullptr,
     &ScreeningPolicy::topical_hair_loss_treatment_severity},
    {"topical_hair_loss_treatment.aftercare_days",
     &ScreeningPolicy::topical_hair_loss_treatment_aftercare_days, nullptr},
    {"finasteride.min_days", &ScreeningPolicy::finasteride_min_days, nullptr},
    {"finasteride.severity", nullptr, &ScreeningPolicy::finasteride_severity},
    {"microneedling.min_days", &ScreeningPolicy::microneedling_min_days,
     nullptr},
    {"microneedling.severity", nullptr,
     &ScreeningPolicy::microneedling_severity},
    {"microneedling.warn_under_days",
     &ScreeningPolicy::microneedling_warn_under_days, nullptr},
    {"microneedling.warn_severity", nullptr,
     &ScreeningPolicy::microneedling_warn_severity},
    {"microneedling_skin_not_healed.severity", nullptr,
     &ScreeningPolicy::microneedling_skin_not_healed_severity},
    {"hair_restoration_surgery.min_days",
     &ScreeningPolicy::hair_restoration_surgery_min_days, nullptr},
    {"hair_restoration_surgery.severity", nullptr,
     &ScreeningPolicy::hair_restoration_surgery_severity},
    {"isotretinoin.min_days", &ScreeningPolicy::isotretinoin_min_days, nullptr},
    {"isotretinoin.severity", nullptr, &ScreeningPolicy::isotretinoin_severity},
    {"hair_fibres_skin_not_healed.severity", nullptr,
     &ScreeningPolicy::hair_fibres_skin_not_healed_severity},
    {"skin_not_healed.severity", nullptr,
     &ScreeningPolicy::skin_not_healed_severity},
    {"extreme_anxiety_or_depression.severity", nullptr,
     &ScreeningPolicy::extreme_anxiety_or_depression_severity},
    {"blood_thinners.severity", nullptr,
     &ScreeningPolicy::blood_thinners_severity},
    {"supplements.severity", nullptr, &ScreeningPolicy::supplements_severity},
    {"alcohol.severity", nullptr, &ScreeningPolicy::alcohol_severity},
    {"scalp_not_exfoliated.severity", nullptr,
     &ScreeningPolicy::scalp_not_exfoliated_severity},
    {"plan_interval.min_days", &ScreeningPolicy::plan_interval_min_days,
     nullptr},
    {"plan_interval.severity", nullptr,
     &ScreeningPolicy::plan_interval_severity},
    {"plan_no_earlier_session.severity", nullptr,
     &ScreeningPolicy::plan_no_earlier_session_severity},
};

constexpr absl::string_view kMicroneedlingMinDays = "microneedling.min_days";
constexpr absl::string_view kMicroneedlingWarnUnderDays =
    "microneedling.warn_under_days";
constexpr absl::string_view kMicroneedlingSeverity = "microneedling.severity";
constexpr absl::string_view kMicroneedlingWarnSeverity =
    "microneedling.warn_severity";

absl::Status LineError(int line, absl::string_view key, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line, ": ", key, ": ", why));
}

// Parses a whole number of days: digits only, no sign, no unit.
absl::StatusOr<int> ParseDays(int line, absl::string_view key,
                              absl::string_view value) {
  int days = 0;
  const bool digits_only =
      !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      });
  if (!digits_only) {
    return LineError(
        line, key,
        absl::StrCat("expected a whole number of days, got '", value, "'"));
  }
  if (!absl::SimpleAtoi(value, &days) || days > kMaxScreeningPolicyDays) {
    return LineError(line, key,
                     absl::StrCat("must be at most ", kMaxScreeningPolicyDays,
                                  " days, got '", value, "'"));
  }
  return days;
}

absl::StatusOr<ScreeningVerdict> ParseSeverity(int line, absl::string_view key,
                                               absl::string_view value) {
  for (ScreeningVerdict verdict :
       {ScreeningVerdict::kCleared, ScreeningVerdict::kWarn,
        ScreeningVerdict::kBlocked}) {
    if (absl::EqualsIgnoreCase(value, ToAbsl(ScreeningVerdictName(verdict)))) {
      return verdict;
    }
  }
  return LineError(
      line, key,
      absl::StrCat("expected CLEARED, WARN or BLOCKED, got '", value, "'"));
}

// The rules that tie two keys together. `lines` maps each key set in the file
// to its line; an error names the later of the two keys involved, since that
// is the line where the file stopped making sense.
absl::Status CheckConsistency(const ScreeningPolicy& policy,
                              const std::map<absl::string_view, int>& lines) {
  auto line_of = [&lines](absl::string_view key) {
    auto it = lines.find(key);
    return it == lines.end() ? 0 : it->second;
  };

  if (policy.microneedling_warn_under_days < policy.microneedling_min_days) {
    if (line_of(kMicroneedlingWarnUnderDays) > line_of(kMicroneedlingMinDays)) {
      return LineError(line_of(kMicroneedlingWarnUnderDays),
                       kMicroneedlingWarnUnderDays,
                       absl::StrCat(policy.microneedling_warn_under_days,
                                    " is less than ", kMicroneedlingMinDays,
                                    " (", policy.microneedling_min_days, ")"));
    }
    return LineError(
        line_of(kMicroneedlingMinDays), kMicroneedlingMinDays,
        absl::StrCat(policy.microneedling_min_days, " is more than ",
                     kMicroneedlingWarnUnderDays, " (",
                     policy.microneedling_warn_under_days, ")"));
  }

  // A switched-off block (CLEARED) leaves the warning to cover its days.
  if (policy.microneedling_severity != ScreeningVerdict::kCleared &&
      policy.microneedling_warn_severity > policy.microneedling_severity) {
    if (line_of(kMicroneedlingWarnSeverity) > line_of(kMicroneedlingSeverity)) {
      return LineError(
          line_of(kMicroneedlingWarnSeverity), kMicroneedlingWarnSeverity,
          absl::StrCat(
              ToAbsl(ScreeningVerdictName(policy.microneedling_warn_severity)),
              " is stricter than ", kMicroneedlingSeverity, " (",
              ToAbsl(ScreeningVerdictName(policy.microneedling_severity)),
              ")"));
    }
    return LineError(
        line_of(kMicroneedlingSeverity), kMicroneedlingSeverity,
        absl::StrCat(
            ToAbsl(ScreeningVerdictName(policy.microneedling_severity)),
            " is milder than ", kMicroneedlingWarnSeverity, " (",
            ToAbsl(ScreeningVerdictName(policy.microneedling_warn_severity)),
            ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ScreeningPolicy> ParseScreeningPolicy(std::string_view text) {
  ScreeningPolicy policy;
  std::map<absl::string_view, int> lines;  // key → line it was set on
  absl::StatusOr<std::vector<SettingLine>> settings = ParseSettingLines(text);
  if (!settings.ok()) return settings.status();
  for (const auto& [line, key, value] : *settings) {
    const PolicyKey* known = nullptr;
    for (const PolicyKey& k : kPolicyKeys) {
      if (k.key == key) known = &k;
    }
    if (known == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line, ": unknown key '", key, "'"));
    }
    // The map's keys view the static table, not `text`.
    const auto [it, inserted] = lines.emplace(known->key, line);
    if (!inserted) {
      return LineError(line, key,
                       absl::StrCat("already set on line ", it->second));
    }

    if (known->days != nullptr) {
      absl::StatusOr<int> days = ParseDays(line, key, value);
      if (!days.ok()) return days.status();
      policy.*(known->days) = *days;
    } else {
      absl::StatusOr<ScreeningVerdict> severity =
          ParseSeverity(line, key, value);
      if (!severity.ok()) return severity.status();
      policy.*(known->severity) = *severity;
    }
  }

  absl::Status consistent = CheckConsistency(policy, lines);
  if (!consistent.ok()) return consistent;
  return policy;
}

std::vector<std::string_view> ScreeningPolicyKeys() {
  std::vector<std::string_view> keys;
  for (const PolicyKey& k : kPolicyKeys) {
    keys.push_back(std::string_view(k.key.data(), k.key.size()));
  }
  return keys;
}

}  // namespace smptrace::domain
