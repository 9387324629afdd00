// Scheduled backups (smptraced --backup_dir, --backup_interval,
// --backup_keep): a background thread takes an online backup of the store
// every interval and keeps the newest N. It never blocks writes (the backup
// copies files while the ledger goes on committing) and a failure never
// stops the server: it is logged, counted and shown in health.
#ifndef SMPTRACE_SERVICE_API_BACKUP_SCHEDULE_H_
#define SMPTRACE_SERVICE_API_BACKUP_SCHEDULE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "storage/backup.h"
#include "storage/store.h"

namespace smptrace::api {

struct BackupScheduleOptions {
  // Empty: no scheduled backups. Otherwise an absolute directory outside
  // the data directory.
  std::string dir;
  absl::Duration interval = absl::Hours(6);
  // Backups kept in `dir` after each new one (older ones are purged).
  int keep = 7;
  // Start the background thread (tests call RunNow()).
  bool background = true;
};

// The health service name whose status follows scheduled backups: SERVING
// until one fails, NOT_SERVING from a failure until the next success.
inline constexpr char kBackupHealthName[] = "smptrace.backup";

// For logs, health and metrics. Counters since start.
struct BackupScheduleStats {
  uint64_t taken = 0;
  uint64_t failed = 0;
  // The last attempt's error ("" when it succeeded or none was made).
  std::string last_error;
  // The last backup taken (id 0: none yet).
  storage::BackupRecord last_backup;
  absl::Time last_success = absl::InfinitePast();
};

class BackupSchedule {
 public:
  // Called after every attempt with its result (for health).
  using Listener = std::function<void(const absl::Status&)>;

  // Starts the thread (if options.background); the first backup is taken
  // one interval after the start. InvalidArgument for a bad directory,
  // interval or keep. REQUIRES: store and clock outlive the schedule.
  static absl::StatusOr<std::unique_ptr<BackupSchedule>> Start(
      const storage::Store* store, const Clock* clock,
      BackupScheduleOptions options, Listener listener);
  ~BackupSchedule();  // Stop()s.

  // Takes one backup now and purges beyond `keep`; logs and counts.
  // Returns the backup, or what went wrong.
  absl::StatusOr<storage::BackupRecord> RunNow();
  BackupScheduleStats stats() const;
  // Joins the thread (an attempt in progress finishes first). Idempotent.
  void Stop();

 private:
  BackupSchedule(const storage::Store* store, const Clock* clock,
                 BackupScheduleOptions options, Listener listener)
      : store_(*store),
        clock_(*clock),
        options_(std::move(options)),
        listener_(std::move(listener)) {}
  void Loop();

  const storage::Store& store_;
  const Clock& clock_;
  const BackupScheduleOptions options_;
  const Listener listener_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  BackupScheduleStats stats_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_BACKUP_SCHEDULE_H_
