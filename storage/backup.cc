#include "storage/backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <system_error>

#include "absl/base/const_init.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "rocksdb/env.h"
#include "rocksdb/utilities/backup_engine.h"
#include "storage/rocks_status.h"

namespace smptrace::storage {
namespace {

namespace fs = std::filesystem;

// BackupEngine allows one writer per backup directory; one backup at a time
// in the process keeps the scheduled ones and those asked for apart.
ABSL_CONST_INIT absl::Mutex backup_mu(absl::kConstInit);

// The app metadata a backup carries (DO NOT CHANGE: read back from every
// backup ever taken):
//   smptrace-backup-v1
//   seq <decimal>
//   hash <64 hex>
//   request_id <text, may be empty>
//   time <unix seconds>
constexpr char kMetadataTag[] = "smptrace-backup-v1";

std::string EncodeMetadata(const JournalHead& head,
                           const std::string& request_id, absl::Time now) {
  return absl::StrCat(kMetadataTag, "\nseq ", head.seq, "\nhash ",
                      ToHex(head.hash), "\nrequest_id ", request_id, "\ntime ",
                      absl::ToUnixSeconds(now), "\n");
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

absl::Status DecodeMetadata(uint32_t id, const std::string& text,
                            BackupRecord* out) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  auto bad = [&](std::string_view why) {
    return absl::DataLossError(absl::StrCat(
        "backup ", id, " does not say which journal head it holds (",
        ToAbsl(why), "): it was not taken by smptrace"));
  };
  if (lines.size() < 5 || lines[0] != kMetadataTag) return bad("no header");
  auto field = [&](int i, std::string_view name) -> std::optional<std::string> {
    const std::string prefix = absl::StrCat(ToAbsl(name), " ");
    if (lines[i].rfind(prefix, 0) != 0) return std::nullopt;
    return lines[i].substr(prefix.size());
  };
  auto seq = field(1, "seq");
  auto hash = field(2, "hash");
  auto request_id = field(3, "request_id");
  if (!seq || !absl::SimpleAtoi(*seq, &out->head.seq)) return bad("seq");
  if (!hash || hash->size() != 2 * kHashSize || !IsLowerHex(*hash)) {
    return bad("hash");
  }
  if (!request_id) return bad("request_id");
  auto time = field(4, "time");
  int64_t seconds = 0;
  if (!time || !absl::SimpleAtoi(*time, &seconds)) return bad("time");
  out->time = absl::FromUnixSeconds(seconds);
  out->head.hash = absl::HexStringToBytes(*hash);
  out->request_id = *request_id;
  return absl::OkStatus();
}

absl::StatusOr<BackupRecord> ToRecord(const rocksdb::BackupInfo& info) {
  BackupRecord r;
  r.id = info.backup_id;
  r.size_bytes = info.size;
  r.files = info.number_files;
  SMPTRACE_RETURN_IF_ERROR(
      DecodeMetadata(info.backup_id, info.app_metadata, &r));
  return r;
}

rocksdb::BackupEngineOptions EngineOptions(const std::string& backup_dir) {
  rocksdb::BackupEngineOptions options(backup_dir);
  options.share_table_files = true;
  options.share_files_with_checksum = true;
  options.sync = true;
  options.backup_log_files = true;
  options.max_background_operations = 1;
  return options;
}

// Every backup of `engine`, oldest first, with the bytes each added.
absl::StatusOr<std::vector<BackupRecord>> Records(
    rocksdb::BackupEngineReadOnlyBase& engine) {
  std::vector<rocksdb::BackupInfo> infos;
  engine.GetBackupInfo(&infos, /*include_file_details=*/true);
  std::sort(infos.begin(), infos.end(), [](const auto& a, const auto& b) {
    return a.backup_id < b.backup_id;
  });
  std::set<std::string> seen;
  std::vector<BackupRecord> out;
  for (const auto& info : infos) {
    SMPTRACE_ASSIGN_OR_RETURN(BackupRecord r, ToRecord(info));
    for (const auto& f : info.file_details) {
      // Shared files have the same relative name in every backup that
      // uses them ("shared_checksum/…"); private ones are per backup.
      if (seen.insert(f.relative_filename).second) r.new_bytes += f.size;
    }
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<BackupRecord> Find(rocksdb::BackupEngineReadOnlyBase& engine,
                                  uint32_t id) {
  SMPTRACE_ASSIGN_OR_RETURN(auto records, Records(engine));
  for (BackupRecord& r : records) {
    if (r.id == id) return std::move(r);
  }
  return absl::InternalError(absl::StrCat("backup ", id, " vanished"));
}

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngine>> OpenEngine(
    const std::string& backup_dir) {
  rocksdb::BackupEngine* engine = nullptr;
  SMPTRACE_RETURN_IF_ERROR(
      FromRocks(rocksdb::BackupEngine::Open(EngineOptions(backup_dir),
                                            rocksdb::Env::Default(), &engine),
                absl::StrCat("open backup directory ", backup_dir)));
  return std::unique_ptr<rocksdb::BackupEngine>(engine);
}

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> OpenReadOnly(
    const std::string& backup_dir) {
  std::error_code ec;
  if (!fs::is_directory(fs::path(backup_dir) / "meta", ec)) {
    return absl::NotFoundError(
        absl::StrCat("no backups in ", backup_dir,
                     " (no meta/ directory: not a backup directory)"));
  }
  rocksdb::BackupEngineReadOnly* engine = nullptr;
  SMPTRACE_RETURN_IF_ERROR(FromRocks(
      rocksdb::BackupEngineReadOnly::Open(EngineOptions(backup_dir),
                                          rocksdb::Env::Default(), &engine),
      absl::StrCat("open backup directory ", backup_dir)));
  return std::unique_ptr<rocksdb::BackupEngineReadOnly>(engine);
}

// Whether another process holds RocksDB's lock on `lock_file`.
bool LockHeldElsewhere(const std::string& lock_file) {
  const int fd = open(lock_file.c_str(), O_RDWR);
  if (fd < 0) return false;
  struct flock probe = {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  const bool held = fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
  close(fd);
  return held;
}

void EmptyDirectory(const std::string& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code rm;
    fs::remove_all(it->path(), rm);
  }
}

}  // namespace

absl::StatusOr<BackupOutcome> CreateBackup(const Store& store,
                                           const std::string& backup_dir,
                                           const std::string& request_id,
                                           absl::Time now) {
  absl::MutexLock lock(&backup_mu);
  const absl::Time start = absl::Now();
  std::error_code ec;
  fs::create_directories(backup_dir, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat(
        "cannot create backup directory ", backup_dir, ": ", ec.message()));
  }
  SMPTRACE_ASSIGN_OR_RETURN(auto engine, OpenEngine(backup_dir));
  BackupOutcome out;
  if (!request_id.empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(auto existing, Records(*engine));
    for (const BackupRecord& r : existing) {
      if (r.request_id != request_id) continue;
      out.backup = r;
      out.reused = true;
      out.took = absl::Now() - start;
      return out;
    }
  }
  // Read before the backup begins: every entry acknowledged by now is in it.
  SMPTRACE_ASSIGN_OR_RETURN(JournalHead head, ReadJournalHead(store.live()));
  rocksdb::CreateBackupOptions create;
  // Memtables are flushed first, so the backup is mostly table files,
  // shared with the next backups (only new ones are copied), and at most the
  // live write-ahead log is copied with them: writes made during the flush
  // are in it, so the backup is still one consistent point of every column
  // family.
  create.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  SMPTRACE_RETURN_IF_ERROR(FromRocks(
      engine->CreateNewBackupWithMetadata(
          create, store.rocks_db(), EncodeMetadata(head, request_id, now), &id),
      absl::StrCat("backup into ", backup_dir)));
  SMPTRACE_ASSIGN_OR_RETURN(out.backup, Find(*engine, id));
  out.took = absl::Now() - start;
  return out;
}

absl::Status PurgeOldBackups(const std::string& backup_dir, int keep) {
  absl::MutexLock lock(&backup_mu);
  SMPTRACE_ASSIGN_OR_RETURN(auto engine, OpenEngine(backup_dir));
  return FromRocks(engine->PurgeOldBackups(static_cast<uint32_t>(keep)),
                   absl::StrCat("purge old backups in ", backup_dir));
}

absl::StatusOr<std::vector<BackupRecord>> ListBackups(
    const std::string& backup_dir) {
  SMPTRACE_ASSIGN_OR_RETURN(auto engine, OpenReadOnly(backup_dir));
  SMPTRACE_ASSIGN_OR_RETURN(auto records, Records(*engine));
  if (records.empty()) {
    return absl::NotFoundError(absl::StrCat("no backups in ", backup_dir));
  }
  return records;
}

absl::Status CheckRestoreTarget(const std::string& data_dir) {
  std::error_code ec;
  const fs::path dir(data_dir);
  if (!fs::exists(dir, ec)) return absl::OkStatus();
  if (!fs::is_directory(dir, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        data_dir, " is a file, not a directory: name a new data directory"));
  }
  if (LockHeldElsewhere((dir / "LOCK").string())) {
    return absl::FailedPreconditionError(absl::StrCat(
        data_dir,
        " is the data directory of a running smptraced (its lock is held): "
        "restore into a new directory, never over a live one"));
  }
  if (!fs::is_empty(dir, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        data_dir,
        " is not empty: restore into a new (or empty) directory; nothing "
        "was overwritten"));
  }
  return absl::OkStatus();
}

absl::StatusOr<BackupRecord> RestoreBackup(const std::string& backup_dir,
                                           std::optional<uint32_t> id,
                                           const std::string& data_dir) {
  SMPTRACE_RETURN_IF_ERROR(CheckRestoreTarget(data_dir));
  SMPTRACE_ASSIGN_OR_RETURN(auto engine, OpenReadOnly(backup_dir));
  SMPTRACE_ASSIGN_OR_RETURN(auto records, Records(*engine));
  if (records.empty()) {
    return absl::NotFoundError(absl::StrCat("no backups in ", backup_dir));
  }
  const BackupRecord* chosen = &records.back();
  if (id.has_value()) {
    auto it = std::find_if(records.begin(), records.end(),
                           [&](const BackupRecord& r) { return r.id == *id; });
    if (it == records.end()) {
      return absl::NotFoundError(absl::StrCat(
          "backup: no backup ", *id, " in ", backup_dir, " (it has ",
          records.front().id, " to ", records.back().id,
          "; smptrace admin backup-list --from ", backup_dir, ")"));
    }
    chosen = &*it;
  }
  // Every file against the checksum and size recorded when it was backed up.
  rocksdb::IOStatus verified =
      engine->VerifyBackup(chosen->id, /*verify_with_checksum=*/true);
  if (!verified.ok()) {
    return absl::DataLossError(absl::StrCat(
        "backup ", chosen->id, " in ", backup_dir,
        " is damaged: ", verified.ToString(),
        "; nothing was restored: restore another backup (--backup ID)"));
  }
  rocksdb::IOStatus restored = engine->RestoreDBFromBackup(
      rocksdb::RestoreOptions(), chosen->id, data_dir, data_dir);
  if (!restored.ok()) {
    EmptyDirectory(data_dir);
    absl::Status s =
        FromRocks(restored, absl::StrCat("restore backup ", chosen->id, " of ",
                                         backup_dir, " into ", data_dir));
    if (restored.IsCorruption()) {
      return absl::DataLossError(
          absl::StrCat(s.message(),
                       "; nothing was restored: restore another backup "
                       "(--backup ID)"));
    }
    return s;
  }
  return *chosen;
}

}  // namespace smptrace::storage
