// Keeps checking that the stored record is intact while the server runs.
// At start, before anything is served, it checks what no complete
// verification has covered yet: the entries after the mark the last one left
// (meta "verified_through", storage/journal.h), that the marked entry still
// holds the hash it had, and the head record; with no mark, the whole
// journal and its tree. Then, on a low-priority thread, the whole journal
// and tree are re-hashed at once and every verify_interval; each complete
// pass that finds no damage moves the mark. Damage closes the store's write
// gate (kDamaged), logs a critical line and counts. The same thread enforces
// the retry window: idempotency records older than it are cut down to a
// marker.
#ifndef SMPTRACE_SERVICE_LEDGER_INTEGRITY_MONITOR_H_
#define SMPTRACE_SERVICE_LEDGER_INTEGRITY_MONITOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "service/ledger/ledger.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::ledger {

struct IntegrityOptions {
  // Time between background verification passes; zero or negative: verify
  // only at start.
  absl::Duration verify_interval = absl::Minutes(60);
  // How long a retried request (same request_id) still gets its first
  // answer. Older idempotency records keep only a marker that refuses the
  // retry. Zero or negative: keep every answer forever.
  absl::Duration retry_window = absl::Hours(7 * 24);
  // Start the background thread (tests drive CheckNow()/ExpireNow()).
  bool background = true;
};

// For logs, health and (issue 17) metrics. Counters since start.
struct IntegrityStats {
  uint64_t passes = 0;          // verification passes completed (any kind)
  uint64_t damaged_passes = 0;  // passes that found damage
  uint64_t entries_last_pass = 0;
  absl::Duration last_pass_time;
  uint64_t retries_expired = 0;  // idempotency records cut to a marker
  // The start check covered only the entries after the mark: until a
  // complete pass has run, older damage would not be known yet.
  bool full_pass_pending = false;
  // Entries the start check re-hashed, and how long it took.
  uint64_t start_check_entries = 0;
  absl::Duration start_check_time;
  // Seq through which a complete pass (this run's or an earlier one's, by
  // its mark) found the journal intact; 0 when none.
  uint64_t verified_through = 0;
  // The first damage found ("" while none): seq and what is wrong.
  std::string damage;
};

class IntegrityMonitor {
 public:
  // Checks the journal since the last mark (synchronously: that damage is
  // known before the server serves), then starts the background thread if
  // asked, whose first complete pass runs at once when the start check was
  // not complete.
  // REQUIRES: store, ledger and clock outlive the monitor.
  static std::unique_ptr<IntegrityMonitor> Start(storage::Store* store,
                                                 Ledger* ledger,
                                                 const Clock* clock,
                                                 IntegrityOptions options);
  ~IntegrityMonitor();  // Stop()s.

  // One complete verification pass over a snapshot. Returns what it found;
  // damage has closed the write gate, an intact journal moved the mark.
  // Errors only when the store cannot be read.
  absl::StatusOr<storage::JournalVerification> CheckNow();
  // The start check: the entries since the mark (all of them without one).
  absl::StatusOr<storage::JournalVerification> CheckSinceMark();
  // Applies the retry window once, as of clock->Now(). Returns how many
  // records were cut down.
  absl::StatusOr<uint64_t> ExpireNow();

  IntegrityStats stats() const;
  // Joins the background thread. Idempotent.
  void Stop();

 private:
  IntegrityMonitor(storage::Store* store, Ledger* ledger, const Clock* clock,
                   IntegrityOptions options)
      : store_(store), ledger_(ledger), clock_(clock), options_(options) {}
  void Loop();
  // Counts a pass and closes the gate on damage.
  void Record(const storage::JournalVerification& v, absl::Duration took);

  storage::Store* const store_;
  Ledger* const ledger_;
  const Clock* const clock_;
  const IntegrityOptions options_;

  mutable absl::Mutex mu_;
  IntegrityStats stats_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_INTEGRITY_MONITOR_H_
