// Reads the clinic's screening policy file (deploy/screening.conf) into a
// ScreeningPolicy, so that a clinic can change a threshold or a severity
// without a rebuild.
//
// The format is line-oriented, for editing by hand:
//   # a comment; blank lines are ignored
//   finasteride.min_days = 30
//   finasteride.severity = BLOCKED     # text after '#' is a comment
// Keys are "<rule>.<setting>", the rule being one of the kRule* codes in
// screening.h. Days are whole numbers; severities are CLEARED (rule off),
// WARN or BLOCKED, in any letter case. A key left out keeps its default.

#ifndef SMPTRACE_SERVICE_DOMAIN_SCREENING_POLICY_H_
#define SMPTRACE_SERVICE_DOMAIN_SCREENING_POLICY_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/domain/screening.h"

namespace smptrace::domain {

// The largest number of days a threshold may be set to (about 100 years).
inline constexpr int kMaxScreeningPolicyDays = 36500;

// Parses the text of a policy file. Keys not in `text` keep the defaults of
// ScreeningPolicy.
//
// Returns the policy, or InvalidArgument naming the line, the key and why:
//   "line 7: microneedling.min_days: expected a whole number of days, got
//    'four'"
//   "line 3: unknown key 'finasteride.min_day'"
//   "line 9: finasteride.min_days: already set on line 3"
//   "line 4: expected 'key = value', got 'finasteride.min_days 30'"
//   "line 12: microneedling.warn_under_days: 21 is less than
//    microneedling.min_days (28)"
//   "line 12: microneedling.warn_severity: BLOCKED is stricter than
//    microneedling.severity (WARN)"
// The last two name the later of the two lines involved.
absl::StatusOr<ScreeningPolicy> ParseScreeningPolicy(std::string_view text);

// Every key ParseScreeningPolicy accepts, in the order of DESIGN.md §2's list.
std::vector<std::string_view> ScreeningPolicyKeys();

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_SCREENING_POLICY_H_
