#include "service/api/log_throttle.h"

#include "absl/strings/str_cat.h"

namespace smptrace::api {

std::optional<int64_t> LogThrottle::Admit() {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  if (now - window_start_ >= absl::Minutes(1)) {
    window_start_ = now;
    lines_in_window_ = 0;
  }
  if (lines_in_window_ >= lines_per_minute_) {
    ++not_logged_;
    return std::nullopt;
  }
  ++lines_in_window_;
  const int64_t skipped = not_logged_;
  not_logged_ = 0;
  return skipped;
}

std::string LogThrottle::Suffix(int64_t skipped) {
  return skipped > 0 ? absl::StrCat("; ", skipped, " not logged before this")
                     : "";
}

}  // namespace smptrace::api
