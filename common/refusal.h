// Rule refusals: FAILED_PRECONDITION statuses that carry a stable,
// machine-readable reason code ("lot_expired", "unit_already_opened") next to
// the one-line human message. The API edge turns the code into a
// smptrace.v1.Refusal status detail.
#ifndef SMPTRACE_COMMON_REFUSAL_H_
#define SMPTRACE_COMMON_REFUSAL_H_

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/strings/cord.h"

namespace smptrace {

// The absl::Status payload key under which the reason code is kept.
inline constexpr absl::string_view kRefusalPayloadUrl =
    "type.googleapis.com/smptrace.v1.Refusal";

// A FailedPrecondition status with `reason` attached.
// REQUIRES: reason is lower_snake_case and stable (clients switch on it).
inline absl::Status Refusal(absl::string_view reason, absl::string_view message) {
  absl::Status status = absl::FailedPreconditionError(message);
  status.SetPayload(kRefusalPayloadUrl, absl::Cord(reason));
  return status;
}

// The reason code of a status made by Refusal(), nullopt for any other.
inline std::optional<std::string> RefusalReason(const absl::Status& status) {
  auto payload = status.GetPayload(kRefusalPayloadUrl);  // absl::optional
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

}  // namespace smptrace

#endif  // SMPTRACE_COMMON_REFUSAL_H_
