// A Clock that moves only when a test says so.
#ifndef SMPTRACE_TESTS_TESTING_FAKE_CLOCK_H_
#define SMPTRACE_TESTS_TESTING_FAKE_CLOCK_H_

#include <mutex>

#include "common/clock.h"

namespace smptrace::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromCivil(
                         absl::CivilSecond(2026, 11, 23, 9, 0, 0),
                         absl::UTCTimeZone()))
      : now_(start) {}
  absl::Time Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = t;
  }

 private:
  mutable std::mutex mu_;
  absl::Time now_;
};

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_FAKE_CLOCK_H_
