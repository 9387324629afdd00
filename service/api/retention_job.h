// The daily retention job (smptraced --retention_policy): once each clinic
// day it lists what the policy makes due (ledger/clients/retention.h) and
// erases the clients due for automatic erasure, one EraseClient each, on
// the clinic's clock; the others wait for a manager's approval or their
// hold. A manager can run it now (SessionService.RunRetention).
#ifndef SMPTRACE_SERVICE_API_RETENTION_JOB_H_
#define SMPTRACE_SERVICE_API_RETENTION_JOB_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "service/ledger/ledger.h"
#include "service/query/reads.h"
#include "smptrace/v1/session.pb.h"

namespace smptrace::api {

// One run as of the clinic's today (clock and zone), by `actor` (the
// manager who asked, or the job): erases every client due for automatic
// erasure and not held (request id "retention-DAY-CLIENT", so a second run
// the same day applies nothing twice); returns them and what stays due. A
// client whose erasure is refused meanwhile (a new session, a new hold) is
// left for the next run. Errors: the ledger's other errors (store full,
// stopping), after which the erasures already made stand.
absl::StatusOr<v1::RunRetentionResponse> RunRetention(ledger::Ledger& ledger,
                                                      const query::Reads& reads,
                                                      const Clock& clock,
                                                      absl::TimeZone zone,
                                                      const std::string& actor);

// Runs RunRetention once per clinic day on a background thread: it wakes
// every `check_every` and runs when the clinic's day (on `clock`) is not
// the day of its last run. The first check is one interval after Start.
class RetentionSchedule {
 public:
  // The principal journaled as the job's erasures' author.
  static constexpr char kActor[] = "smptraced-retention";

  // REQUIRES: ledger, reads and clock outlive the schedule.
  RetentionSchedule(ledger::Ledger* ledger, const query::Reads* reads,
                    const Clock* clock, absl::TimeZone zone,
                    absl::Duration check_every = absl::Hours(1));
  ~RetentionSchedule();  // Stop()s.

  // Joins the thread (a run in progress finishes first). Idempotent.
  void Stop();

 private:
  void Loop();

  ledger::Ledger& ledger_;
  const query::Reads& reads_;
  const Clock& clock_;
  const absl::TimeZone zone_;
  const absl::Duration check_every_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_RETENTION_JOB_H_
