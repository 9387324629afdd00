// A Clock that moves only when a test says so.
#ifndef SMPTRACE_TESTS_TESTING_FAKE_CLOCK_H_
#define SMPTRACE_TESTS_TESTING_FAKE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"

namespace smptrace::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromCivil(
                         absl::CivilSecond(2026, 11, 23, 9, 0, 0),
                         absl::UTCTimeZone()))
      : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_FAKE_CLOCK_H_
