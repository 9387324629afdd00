// A cap on how many lines a noisy source may log: at most N a minute, the
// rest counted and reported by the next line that is logged. Used wherever
// a client can make the server log (refused calls, undecodable requests,
// refused connections), so that nobody can fill the disk with the log.
//
//   LogThrottle throttle(clock, 60);
//   if (auto skipped = throttle.Admit(); skipped.has_value())
//     spdlog::warn("... {}", LogThrottle::Suffix(*skipped));
#ifndef SMPTRACE_SERVICE_API_LOG_THROTTLE_H_
#define SMPTRACE_SERVICE_API_LOG_THROTTLE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace smptrace::api {

// Thread-safe.
class LogThrottle {
 public:
  // REQUIRES: clock outlives this; lines_per_minute > 0.
  LogThrottle(const Clock* clock, int lines_per_minute)
      : clock_(*clock),
        lines_per_minute_(lines_per_minute),
        window_start_(clock->Now()) {}

  // Whether to log this line: if so, how many lines were not logged since
  // the last one that was; nullopt if this one must not be logged (it is
  // counted instead).
  std::optional<int64_t> Admit();

  // "" for 0, else "; N not logged before this": to end a logged line with.
  static std::string Suffix(int64_t skipped);

 private:
  const Clock& clock_;
  const int lines_per_minute_;
  absl::Mutex mu_;
  absl::Time window_start_ ABSL_GUARDED_BY(mu_);
  int lines_in_window_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t not_logged_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_LOG_THROTTLE_H_
