// The clinic's state for monitoring (smptraced's /metrics turns it into
// gauges, service/api/server_metrics.cc): open sessions, units in stock, lots
// about to expire, lots on hold or recalled, today's exceptions. A read
// model: counts only, read from a snapshot, nothing written.
#ifndef SMPTRACE_SERVICE_QUERY_CLINIC_METRICS_H_
#define SMPTRACE_SERVICE_QUERY_CLINIC_METRICS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "storage/store.h"

namespace smptrace::query {

// What the gauges say at one moment.
struct ClinicCounts {
  int64_t open_sessions = 0;
  int64_t units_in_stock = 0;
  // Lots with units in stock that expire within 30 days (not yet expired),
  // and ones already expired that still have units in stock.
  int64_t lots_expiring_30d = 0;
  int64_t lots_expired_in_stock = 0;
  int64_t lots_quarantined = 0;
  int64_t lots_recalled = 0;
  // Exceptions of the sessions started today (the clinic's day).
  int64_t exceptions_today = 0;
};

// Reads the counts from `reader` as of `now` in `zone`. Errors: the store's.
absl::StatusOr<ClinicCounts> CountClinic(const storage::Reader& reader,
                                         absl::Time now, absl::TimeZone zone);

// CountClinic over a snapshot, at most once per `max_age`: monitoring that
// asks often (a scrape every few seconds) does not rescan the store each
// time. Thread-safe.
class ClinicMetrics {
 public:
  // REQUIRES: store and clock outlive this.
  ClinicMetrics(const storage::Store* store, const Clock* clock,
                absl::TimeZone zone, absl::Duration max_age = absl::Seconds(10))
      : store_(*store), clock_(*clock), zone_(zone), max_age_(max_age) {}

  // The counts as of at most `max_age` ago (the clock's time); the store's
  // error if it could not be read then.
  absl::StatusOr<ClinicCounts> Counts();

 private:
  const storage::Store& store_;
  const Clock& clock_;
  const absl::TimeZone zone_;
  const absl::Duration max_age_;
  absl::Mutex mu_;
  absl::Time computed_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::StatusOr<ClinicCounts> counts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_CLINIC_METRICS_H_
