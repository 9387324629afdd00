#include "service/api/backup_schedule.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/api/admin_service.h"
#include "spdlog/spdlog.h"

namespace smptrace::api {

absl::StatusOr<std::unique_ptr<BackupSchedule>> BackupSchedule::Start(
    const storage::Store* store, const Clock* clock,
    BackupScheduleOptions options, Listener listener) {
  SMPTRACE_RETURN_IF_ERROR(
      CheckBackupDir("--backup_dir", options.dir, store->dir()));
  if (options.interval < absl::Minutes(1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--backup_interval: at least 1m, got ",
                     absl::FormatDuration(options.interval)));
  }
  if (options.keep < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--backup_keep: at least 1 backup is kept, got ", options.keep));
  }
  std::unique_ptr<BackupSchedule> schedule(new BackupSchedule(
      store, clock, std::move(options), std::move(listener)));
  if (schedule->options_.background) {
    schedule->thread_ = std::thread([s = schedule.get()] { s->Loop(); });
  }
  return schedule;
}

BackupSchedule::~BackupSchedule() { Stop(); }

void BackupSchedule::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

BackupScheduleStats BackupSchedule::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void BackupSchedule::Loop() {
  absl::MutexLock lock(&mu_);
  while (
      !mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.interval)) {
    mu_.Unlock();
    RunNow().IgnoreError();  // logged, counted and reported by RunNow
    mu_.Lock();
  }
}

absl::StatusOr<storage::BackupRecord> BackupSchedule::RunNow() {
  auto result = [&]() -> absl::StatusOr<storage::BackupOutcome> {
    SMPTRACE_ASSIGN_OR_RETURN(
        storage::BackupOutcome out,
        storage::CreateBackup(store_, options_.dir, /*request_id=*/"",
                              clock_.Now()));
    SMPTRACE_RETURN_IF_ERROR(
        storage::PurgeOldBackups(options_.dir, options_.keep));
    return out;
  }();
  if (result.ok()) {
    spdlog::info(
        "scheduled backup {} into {} · journal head seq {} · {} bytes new of "
        "{} · {:.3f}s",
        result->backup.id, options_.dir, result->backup.head.seq,
        result->backup.new_bytes, result->backup.size_bytes,
        absl::ToDoubleSeconds(result->took));
  } else {
    spdlog::error(
        "scheduled backup into {} FAILED (the server goes on; "
        "health {} is NOT_SERVING until one succeeds): {}",
        options_.dir, kBackupHealthName,
        std::string(result.status().message()));
  }
  {
    absl::MutexLock lock(&mu_);
    if (result.ok()) {
      ++stats_.taken;
      stats_.last_error.clear();
      stats_.last_backup = result->backup;
      stats_.last_success = result->backup.time;
    } else {
      ++stats_.failed;
      stats_.last_error = std::string(result.status().message());
    }
  }
  if (listener_) listener_(result.status());
  if (!result.ok()) return result.status();
  return result->backup;
}

}  // namespace smptrace::api
