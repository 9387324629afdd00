// Online backups of the store (RocksDB BackupEngine: incremental, table
// files shared between backups and named by checksum, every file checksummed)
// and the offline side of a backup directory: list, restore, verify.
//
// A backup directory holds RocksDB files only: never the checkpoint-signing
// key (it lives outside the data directory, smptraced --signing_key), which
// is kept off-site separately.
#ifndef SMPTRACE_STORAGE_BACKUP_H_
#define SMPTRACE_STORAGE_BACKUP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::storage {

// One backup in a backup directory.
struct BackupRecord {
  uint32_t id = 0;
  absl::Time time;  // when it was taken (the server's clock, whole seconds)
  uint64_t size_bytes = 0;  // every file it needs, shared ones included
  // Bytes of the files no earlier backup in the directory holds: what this
  // backup added (all of size_bytes for the first one).
  uint64_t new_bytes = 0;
  uint32_t files = 0;
  // The journal head when the backup began: every entry acknowledged
  // before then is in the backup (it may hold a few later ones too).
  JournalHead head;
  // The request that took it ("" for a scheduled backup).
  std::string request_id;
};

// What CreateBackup did.
struct BackupOutcome {
  BackupRecord backup;
  absl::Duration took;
  // True when a backup of the same non-empty request id was already in the
  // directory: it is returned and nothing new is taken.
  bool reused = false;
};

// Takes an online backup of `store` into `backup_dir` (created if missing),
// while writes go on. Backups in one process are taken one at a time. A
// non-empty `request_id` already recorded in `backup_dir` returns that
// backup instead. `now` is recorded as its time. Errors: Unavailable when the
// directory cannot be written or is full; FailedPrecondition when it holds
// something that is not a backup directory.
absl::StatusOr<BackupOutcome> CreateBackup(const Store& store,
                                           const std::string& backup_dir,
                                           const std::string& request_id,
                                           absl::Time now);

// Deletes all but the newest `keep` backups of `backup_dir` (and the files
// only they used). REQUIRES: keep >= 1.
absl::Status PurgeOldBackups(const std::string& backup_dir, int keep);

// The backups in `backup_dir`, oldest first. NotFound when it holds none
// (or does not exist).
absl::StatusOr<std::vector<BackupRecord>> ListBackups(
    const std::string& backup_dir);

// Why `data_dir` must not be written into: FailedPrecondition when a
// running server holds its lock, or when it is not empty; OK when it does
// not exist or is an empty directory.
absl::Status CheckRestoreTarget(const std::string& data_dir);

// Restores backup `id` (the newest when nullopt) of `backup_dir` into the
// new directory `data_dir`, after checking every file of the backup against
// its recorded checksum and size. Returns the backup restored. Errors:
// CheckRestoreTarget's; NotFound for an unknown id; DataLoss when a file is
// damaged or missing (nothing is left in `data_dir` then).
absl::StatusOr<BackupRecord> RestoreBackup(const std::string& backup_dir,
                                           std::optional<uint32_t> id,
                                           const std::string& data_dir);

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_BACKUP_H_
