// The source of "now" for everything that records or compares time. Code
// takes a Clock* instead of calling absl::Now(), so tests use a FakeClock.
#ifndef SMPTRACE_COMMON_CLOCK_H_
#define SMPTRACE_COMMON_CLOCK_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace smptrace {

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual absl::Time Now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance; never destroyed.
  static SystemClock* Get() {
    static SystemClock* clock = new SystemClock;
    return clock;
  }
};

// The wall clock shifted by a fixed offset: it runs at real speed from an
// instant chosen at start. Only for tests and documentation examples that
// must show the same dates on every run (smptraced --clock_start).
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(absl::Duration offset) : offset_(offset) {}
  absl::Time Now() const override { return absl::Now() + offset_; }

 private:
  const absl::Duration offset_;
};

}  // namespace smptrace

#endif  // SMPTRACE_COMMON_CLOCK_H_
