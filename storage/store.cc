#include "storage/store.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/build_info.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/listener.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_manager.h"
#include "rocksdb/table.h"
#include "rocksdb/transaction_log.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "spdlog/spdlog.h"
#include "storage/keys.h"
#include "storage/rocks_status.h"
#include "storage/upgrades.h"

namespace smptrace::storage {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(ToAbsl(what), ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(msg);
  if (s.IsIOError() || s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) {
    return absl::UnavailableError(msg);
  }
  if (s.IsInvalidArgument()) return absl::FailedPreconditionError(msg);
  return absl::InternalError(msg);
}

namespace {

std::string_view ToView(const rocksdb::Slice& s) {
  return {s.data(), s.size()};
}
rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

// Memtable and WAL bounds. A restart replays at most kMaxTotalWal of WAL
// (and, with avoid_flush_during_recovery, writes no table files to do so),
// and RocksDB needs kWriteBuffer of free space before it resumes after
// running out: both far below the default free-space reserve.
constexpr uint64_t kWriteBuffer = 4 << 20;
constexpr uint64_t kAllWriteBuffers = 16 << 20;
constexpr uint64_t kMaxTotalWal = 16 << 20;

// RocksDB's info log, sent to our log (warnings and errors only) instead of
// a LOG file in the data directory: RocksDB aborts (an assertion in its
// WritableFileWriter) when its own LOG file cannot be written on a full
// disk, and an offline check must write nothing into the directory.
class RocksLog final : public rocksdb::Logger {
 public:
  RocksLog() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel level, const char* format,
            va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char line[1024];
    vsnprintf(line, sizeof line, format, ap);
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) {
      spdlog::error("rocksdb: {}", line);
    } else {
      spdlog::warn("rocksdb: {}", line);
    }
  }
  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }
};

rocksdb::DBOptions MakeDbOptions(const StoreOptions& options) {
  rocksdb::DBOptions db;
  db.info_log = std::make_shared<RocksLog>();
  db.db_write_buffer_size = kAllWriteBuffers;
  db.max_total_wal_size = kMaxTotalWal;
  db.avoid_flush_during_recovery = true;
  // Out of space: RocksDB stops writing, polls free space through its
  // SstFileManager and resumes by itself once there is room (the listener
  // below mirrors this into the write gate). Retries every second, forever.
  db.sst_file_manager.reset(
      rocksdb::NewSstFileManager(rocksdb::Env::Default()));
  db.max_bgerror_resume_count = INT_MAX;
  db.bgerror_resume_retry_interval = 1000000;
  db.create_if_missing = options.create_if_missing;
  db.create_missing_column_families = options.create_if_missing;
  // Refuse to run on data that fails its checksums instead of guessing.
  db.paranoid_checks = true;
  // After a crash, recover every write up to the first damaged WAL record and
  // nothing after it: an acknowledged (synced) write is never lost, a torn
  // tail is dropped.
  db.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // Every write goes to the WAL and is flushed with it; stated explicitly.
  db.manual_wal_flush = false;
  db.track_and_verify_wals_in_manifest = true;
  db.max_background_jobs = 2;
  db.keep_log_file_num = 10;
  // No WAL archive: an obsolete WAL is deleted at once. Erasure relies on
  // it (PurgeDeleted): an archived WAL would keep a deleted client key.
  db.WAL_ttl_seconds = 0;
  db.WAL_size_limit_MB = 0;
  return db;
}

// `of`: the column family, nullopt for RocksDB's unused default one.
rocksdb::ColumnFamilyOptions MakeCfOptions(std::optional<Cf> of) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = kWriteBuffer;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Index and Bloom filter in partitions of a block each, under a small
  // top-level index: a table keeps only that top level in memory, and a
  // read loads the partitions it needs through the block cache. A whole
  // index and filter per table stayed in the heap from open: 276 MB for the
  // 2,053 table files of a 12.5 M-entry clinic store, against ~40 MB at
  // SERVING once its tables were rewritten this way (docs/BENCHMARKS.md,
  // "At the size"). Tables written before keep their whole index
  // and filter until a compaction rewrites them.
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // Table files are compressed (LZ4: cheap to read back, so verification
  // and scans barely notice; docs/BENCHMARKS.md, "Bytes per journal
  // entry"); the WAL is not. Files written before stay readable: each block
  // records its own compression. Not the wrapped client keys: random bytes
  // gain nothing, and the erasure test looks for them in every file.
  cf.compression = of == Cf::kClientKeys ? rocksdb::kNoCompression
                                         : rocksdb::kLZ4Compression;
  return cf;
}

constexpr Cf kAllCfs[kNumCfs] = {Cf::kJournal, Cf::kState, Cf::kIndex,
                                 Cf::kIdem,    Cf::kMeta,  Cf::kClientKeys,
                                 Cf::kTlog};

// Shared by the live reader, snapshots and (for the base) transactions.
absl::Status ScanIterator(rocksdb::Iterator* it, std::string_view begin,
                          std::string_view end, bool reverse, ScanFn fn) {
  if (!reverse) {
    for (it->Seek(ToSlice(begin)); it->Valid(); it->Next()) {
      std::string_view key = ToView(it->key());
      if (!end.empty() && key >= end) break;
      absl::StatusOr<bool> more = fn(key, ToView(it->value()));
      if (!more.ok()) return more.status();
      if (!*more) break;
    }
  } else {
    if (end.empty()) {
      it->SeekToLast();
    } else {
      it->SeekForPrev(ToSlice(end));
      if (it->Valid() && ToView(it->key()) >= end) it->Prev();
    }
    for (; it->Valid(); it->Prev()) {
      std::string_view key = ToView(it->key());
      if (key < begin) break;
      absl::StatusOr<bool> more = fn(key, ToView(it->value()));
      if (!more.ok()) return more.status();
      if (!*more) break;
    }
  }
  return FromRocks(it->status(), "scan");
}

class RocksStore;
class DiskSpaceWatch;

// Reads from the DB, optionally at a snapshot.
class DbReader : public Reader {
 public:
  DbReader(const RocksStore* store, const rocksdb::Snapshot* snapshot)
      : store_(store), snapshot_(snapshot) {}
  ~DbReader() override;

  absl::StatusOr<std::optional<std::string>> Get(
      Cf cf, std::string_view key) const override;
  absl::Status Scan(Cf cf, std::string_view begin, std::string_view end,
                    ScanFn fn) const override {
    return DoScan(cf, begin, end, false, fn);
  }
  absl::Status ScanReverse(Cf cf, std::string_view begin, std::string_view end,
                           ScanFn fn) const override {
    return DoScan(cf, begin, end, true, fn);
  }
  absl::Status ScanOnce(Cf cf, std::string_view begin, std::string_view end,
                        ScanFn fn) const override {
    return DoScan(cf, begin, end, false, fn, /*fill_cache=*/false);
  }

 private:
  absl::Status DoScan(Cf cf, std::string_view begin, std::string_view end,
                      bool reverse, ScanFn fn, bool fill_cache = true) const;
  rocksdb::ReadOptions ReadOpts() const {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    ro.verify_checksums = true;
    return ro;
  }

  const RocksStore* store_;
  const rocksdb::Snapshot* snapshot_;  // null = latest
};

// A write transaction: the latest write of each key per column family
// (nullopt: deleted), which Commit writes as one batch and reads see before
// then. Reads look there first, then in base's writes, then in the
// store. An ordered map rather than RocksDB's WriteBatchWithIndex: the
// writer puts ~20 keys and reads ~15 per command, and comparing std::string
// keys directly costs a fraction of the batch index's skip list, whose every
// comparison decodes the batch's entries and calls the comparator through
// two virtual functions (docs/BENCHMARKS.md, "The transaction's own index").
class Txn : public WriteTxn {
 public:
  // `base`: a transaction whose writes this one reads through (null: none).
  Txn(const RocksStore* store, const Txn* base) : store_(store), base_(base) {}

  absl::StatusOr<std::optional<std::string>> Get(
      Cf cf, std::string_view key) const override;
  absl::Status Scan(Cf cf, std::string_view begin, std::string_view end,
                    ScanFn fn) const override {
    return DoScan(cf, begin, end, false, fn);
  }
  absl::Status ScanReverse(Cf cf, std::string_view begin, std::string_view end,
                           ScanFn fn) const override {
    return DoScan(cf, begin, end, true, fn);
  }
  void Put(Cf cf, std::string_view key, std::string_view value) override;
  void Delete(Cf cf, std::string_view key) override;
  std::optional<std::string> GetOwn(Cf cf, std::string_view key) const override;
  void SetSavePoint() override;
  void RollbackToSavePoint() override;
  void PopSavePoint() override;
  int Count() const override;

  void ForgetBase() override { base_ = nullptr; }

  // What Commit writes: each key's latest write, column family by column
  // family in key order. In order, so that each memtable insert starts from
  // the previous one's place in the skip list (RocksDB keeps that
  // "splice"); one write per key, so a key written by several commands of a
  // group (the journal head, a session's record) is inserted once.
  rocksdb::WriteBatch Batch() const;
  const RocksStore* store() const { return store_; }

 private:
  // Key -> the latest write (nullopt: a delete). std::map: an undo step
  // keeps an iterator to its entry, and later inserts leave it valid.
  using Writes = std::map<std::string, std::optional<std::string>, std::less<>>;
  // What one write replaced, to put back on RollbackToSavePoint.
  struct Undo {
    Writes* writes;
    Writes::iterator entry;
    bool existed;  // false: the write inserted `entry`
    std::optional<std::string> before;
  };

  void Record(Cf cf, std::string_view key, std::optional<std::string> value);
  // What this transaction already knows of `key`: its own write, else what
  // it read under them before; null when neither.
  const std::optional<std::string>* Known(Cf cf, std::string_view key) const;
  // A read of what lies under this transaction's writes and reads: base's
  // view, or the store. Caches nothing.
  absl::StatusOr<std::optional<std::string>> GetBelow(
      Cf cf, std::string_view key) const;
  // Known, else GetBelow: how the transaction begun after this one reads
  // through it, without touching this one's cache.
  absl::StatusOr<std::optional<std::string>> GetUnder(
      Cf cf, std::string_view key) const;
  absl::Status DoScan(Cf cf, std::string_view begin, std::string_view end,
                      bool reverse, ScanFn fn) const;
  // The scan of what this transaction reads through: base's view, or the
  // store.
  absl::Status ScanUnder(Cf cf, std::string_view begin, std::string_view end,
                         bool reverse, ScanFn fn) const;

  const RocksStore* store_;
  const Txn* base_;
  std::array<Writes, kNumCfs> writes_;
  // What Get read under writes_, by key: a decision and its projection read
  // the same records (a scan's session, unit, lot and container), and a
  // RocksDB Get costs ~10 k instructions (memtable skip lists) against a
  // map lookup. Valid for the transaction's life: only the ledger's writer
  // changes what lies under it, by committing this transaction's base.
  mutable std::array<Writes, kNumCfs> read_;
  std::vector<Undo> undo_;
  std::vector<size_t> save_points_;  // undo_.size() at each save point
};

// Mirrors RocksDB's background errors into the write gate: closed when
// RocksDB stops writes, reopened when its automatic recovery succeeds.
class GateListener final : public rocksdb::EventListener {
 public:
  explicit GateListener(DiskSpaceWatch* watch) : watch_(watch) {}
  void OnBackgroundError(rocksdb::BackgroundErrorReason,
                         rocksdb::Status* error) override;
  void OnErrorRecoveryEnd(
      const rocksdb::BackgroundErrorRecoveryInfo& info) override;

 private:
  DiskSpaceWatch* watch_;
};

// The two sources of "disk full" (our reserve and RocksDB's own error) and
// RocksDB's other background errors, folded into the write gate.
class DiskSpaceWatch {
 public:
  DiskSpaceWatch(std::string dir, const StoreOptions& options)
      : dir_(std::move(dir)),
        min_free_bytes_(options.min_free_bytes),
        interval_(options.disk_poll_interval) {}
  ~DiskSpaceWatch() { StopPolling(); }

  WriteGate& gate() { return gate_; }

  void StartPolling() {
    if (min_free_bytes_ == 0) return;
    poller_ = std::thread([this] {
      absl::MutexLock lock(&mu_);
      while (!stopping_) {
        mu_.Unlock();
        Measure().IgnoreError();
        mu_.Lock();
        mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_);
      }
    });
  }
  void StopPolling() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (poller_.joinable()) poller_.join();
  }

  // statvfs on the data directory; closes or reopens kDiskFull.
  absl::Status Measure() {
    if (min_free_bytes_ == 0) return gate_.Check();
    struct statvfs fs;
    if (statvfs(dir_.c_str(), &fs) != 0) return gate_.Check();
    const uint64_t free_bytes =
        static_cast<uint64_t>(fs.f_bavail) * static_cast<uint64_t>(fs.f_frsize);
    absl::MutexLock lock(&mu_);
    low_space_ = free_bytes < min_free_bytes_;
    if (low_space_) {
      low_space_detail_ = absl::StrCat(
          free_bytes >> 20, " MiB free on the filesystem of ", dir_,
          ", below the reserve of ", min_free_bytes_ >> 20, " MiB");
    }
    return UpdateLocked();
  }

  void RocksError(const rocksdb::Status& error) {
    absl::MutexLock lock(&mu_);
    if (error.IsNoSpace()) {
      rocks_no_space_ = true;
      rocks_detail_ = error.ToString();
    } else {
      gate_.Close(WriteBlock::kStorageFault, error.ToString());
    }
    UpdateLocked().IgnoreError();
  }
  void RocksRecovered() {
    absl::MutexLock lock(&mu_);
    rocks_no_space_ = false;
    gate_.Reopen(WriteBlock::kStorageFault);
    UpdateLocked().IgnoreError();
  }

 private:
  absl::Status UpdateLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const bool was_full = gate_.state().of(WriteBlock::kDiskFull).active;
    if (low_space_ || rocks_no_space_) {
      std::string detail = low_space_ ? low_space_detail_ : rocks_detail_;
      if (!was_full) spdlog::error("writes refused: disk full: {}", detail);
      gate_.Close(WriteBlock::kDiskFull, std::move(detail));
    } else if (was_full) {
      spdlog::warn(
          "writes accepted again: disk space is back above the "
          "reserve and the store is writable");
      gate_.Reopen(WriteBlock::kDiskFull);
    }
    return gate_.Check();
  }

  const std::string dir_;
  const uint64_t min_free_bytes_;
  const absl::Duration interval_;
  WriteGate gate_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool low_space_ ABSL_GUARDED_BY(mu_) = false;
  std::string low_space_detail_ ABSL_GUARDED_BY(mu_);
  bool rocks_no_space_ ABSL_GUARDED_BY(mu_) = false;
  std::string rocks_detail_ ABSL_GUARDED_BY(mu_);
  std::thread poller_;
};

void GateListener::OnBackgroundError(rocksdb::BackgroundErrorReason,
                                     rocksdb::Status* error) {
  if (error->ok() ||
      error->severity() < rocksdb::Status::Severity::kHardError) {
    return;
  }
  spdlog::error("rocksdb stopped writing: {}", error->ToString());
  watch_->RocksError(*error);
}

void GateListener::OnErrorRecoveryEnd(
    const rocksdb::BackgroundErrorRecoveryInfo& info) {
  if (!info.new_bg_error.ok()) return;
  spdlog::warn("rocksdb recovered from: {}", info.old_bg_error.ToString());
  watch_->RocksRecovered();
}

// A count in a RocksDB map property ("12" or "12.000"); 0 when absent.
uint64_t MapCount(const std::map<std::string, std::string>& map,
                  const std::string& key) {
  auto it = map.find(key);
  double value = 0;
  if (it == map.end() || !absl::SimpleAtod(it->second, &value) || value < 0) {
    return 0;
  }
  return static_cast<uint64_t>(value);
}

class RocksStore final : public Store {
 public:
  RocksStore(std::string dir, rocksdb::DB* db,
             std::vector<rocksdb::ColumnFamilyHandle*> handles, bool read_only,
             std::unique_ptr<DiskSpaceWatch> watch)
      : dir_(std::move(dir)),
        db_(db),
        handles_(std::move(handles)),
        read_only_(read_only),
        watch_(std::move(watch)),
        live_(this, nullptr) {
    if (!read_only_) {
      watch_->Measure().IgnoreError();
      watch_->StartPolling();
    }
  }

  ~RocksStore() override {
    watch_->StopPolling();
    watch_->gate().SetListener(nullptr);
    if (!read_only_ && opened_) FlushMemtables();
    for (auto* h : handles_) {
      if (h != nullptr) db_->DestroyColumnFamilyHandle(h);
    }
    if (!read_only_) db_->Close().PermitUncheckedError();
    delete db_;
  }

  // Copies the store as it is now into `to` (a new directory; table files
  // are hard links when on the same filesystem).
  absl::Status Checkpoint(const std::string& to) {
    rocksdb::Checkpoint* raw = nullptr;
    SMPTRACE_RETURN_IF_ERROR(
        FromRocks(rocksdb::Checkpoint::Create(db_, &raw), "checkpoint"));
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    return FromRocks(checkpoint->CreateCheckpoint(to),
                     absl::StrCat("checkpoint into ", to));
  }

  // Open() succeeded (the format is this build's): only then does closing
  // flush, so that a refused store is left as it was found.
  void SetOpened() { opened_ = true; }

  const Reader& live() const override { return live_; }
  std::unique_ptr<Reader> NewSnapshot() const override {
    return std::make_unique<DbReader>(this, db_->GetSnapshot());
  }
  std::unique_ptr<WriteTxn> BeginWrite() override {
    return std::make_unique<Txn>(this, nullptr);
  }
  std::unique_ptr<WriteTxn> BeginWriteAfter(const WriteTxn& base) override {
    const auto& b = static_cast<const Txn&>(base);
    assert(b.store() == this);
    return std::make_unique<Txn>(this, &b);
  }
  absl::Status Commit(WriteTxn& txn, bool sync) override {
    return Write(txn, sync, nullptr);
  }
  // A step's commit (synced), with the range it drops (upgrades.h) in the
  // same batch.
  absl::Status CommitUpgrade(WriteTxn& txn, const UpgradeStep& step) {
    return Write(txn, /*sync=*/true, &step);
  }

 private:
  absl::Status Write(WriteTxn& txn, bool sync, const UpgradeStep* step) {
    if (read_only_) return absl::FailedPreconditionError("store is read-only");
    auto& t = static_cast<Txn&>(txn);
    assert(t.store() == this);
    SMPTRACE_RETURN_IF_ERROR(watch_->Measure());
    rocksdb::WriteOptions wo;
    wo.sync = sync;
    wo.disableWAL = false;
    rocksdb::WriteBatch batch = t.Batch();
    if (step != nullptr && !step->drop_end.empty()) {
      SMPTRACE_RETURN_IF_ERROR(FromRocks(
          batch.DeleteRange(handle(step->drop_cf), ToSlice(step->drop_begin),
                            ToSlice(step->drop_end)),
          "upgrade"));
    }
    absl::Status s = FromRocks(db_->Write(wo, &batch), "commit");
    // A write that found the disk full also stopped RocksDB (the listener
    // closed the gate): answer as the gate does.
    if (absl::IsResourceExhausted(s)) {
      absl::Status gate = watch_->gate().Check();
      if (!gate.ok()) return gate;
    }
    return s;
  }

 public:
  const std::string& dir() const override { return dir_; }
  WriteGate& write_gate() override { return watch_->gate(); }
  absl::Status CheckDiskSpace() override { return watch_->Measure(); }

  absl::Status PurgeDeleted(const std::vector<Cf>& cfs) override {
    if (read_only_) return absl::FailedPreconditionError("store is read-only");
    // RocksDB keeps a deleted value in the memtable's WAL until every column
    // family with data in that WAL is flushed; the WAL is then obsolete and,
    // with WAL_ttl_seconds = WAL_size_limit_MB = 0 (our options: no
    // archive), deleted at once instead of moved to archive/ (options.h).
    rocksdb::FlushOptions flush;
    flush.wait = true;
    flush.allow_write_stall = true;
    SMPTRACE_RETURN_IF_ERROR(
        FromRocks(db_->Flush(flush, handles_), "flush before purge"));
    // A flushed value and its tombstone then sit in SSTs until a compaction
    // drops them; a manual CompactRange skips the files already at the
    // bottommost level unless told kForce, so a value compacted down before
    // the delete would stay there (BottommostLevelCompaction, options.h).
    // Dropping needs no live snapshot older than the delete.
    rocksdb::CompactRangeOptions compact;
    compact.bottommost_level_compaction =
        rocksdb::BottommostLevelCompaction::kForce;
    compact.allow_write_stall = true;
    for (Cf cf : cfs) {
      SMPTRACE_RETURN_IF_ERROR(
          FromRocks(db_->CompactRange(compact, handle(cf), nullptr, nullptr),
                    absl::StrCat("compact ", CfName(cf))));
    }
    return absl::OkStatus();
  }

  StorageStats Stats() const override {
    StorageStats stats;
    for (int i = 0; i < kNumCfs; ++i) {
      CfStorageStats cf;
      cf.cf = static_cast<Cf>(i);
      rocksdb::ColumnFamilyHandle* h = handles_[i];
      if (h == nullptr) {  // not in a read-only old store
        stats.cfs.push_back(cf);
        continue;
      }
      db_->GetIntProperty(h, "rocksdb.estimate-live-data-size",
                          &cf.live_data_bytes);
      db_->GetIntProperty(h, "rocksdb.total-sst-files-size",
                          &cf.sst_files_bytes);
      db_->GetIntProperty(h, "rocksdb.cur-size-all-mem-tables",
                          &cf.memtable_bytes);
      db_->GetIntProperty(h, "rocksdb.estimate-pending-compaction-bytes",
                          &cf.pending_compaction_bytes);
      std::map<std::string, std::string> cf_stats;
      if (db_->GetMapProperty(h, rocksdb::DB::Properties::kCFStats,
                              &cf_stats)) {
        cf.stall_stops = MapCount(cf_stats, "io_stalls.total_stop");
        cf.stall_slowdowns = MapCount(cf_stats, "io_stalls.total_slowdown");
      }
      stats.cfs.push_back(cf);
    }
    rocksdb::VectorLogPtr wal_files;
    if (db_->GetSortedWalFiles(wal_files).ok()) {
      for (const auto& f : wal_files) {
        if (f->Type() == rocksdb::kAliveLogFile) {
          stats.wal_bytes += f->SizeFileBytes();
        }
      }
    }
    uint64_t stopped = 0;
    db_->GetIntProperty("rocksdb.is-write-stopped", &stopped);
    stats.writes_stopped = stopped != 0;
    return stats;
  }

  rocksdb::DB* rocks_db() const override { return db_; }
  rocksdb::DB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* handle(Cf cf) const {
    return handles_[static_cast<int>(cf)];
  }
  void ReleaseSnapshot(const rocksdb::Snapshot* s) const {
    db_->ReleaseSnapshot(s);
  }

 private:
  // RocksDB's Close() leaves what is only in the memtables in the WAL, to be
  // replayed at the next open: write it to table files instead, so that a
  // clean stop is followed by a start that replays (almost) nothing.
  void FlushMemtables() {
    const absl::Time start = absl::Now();
    rocksdb::FlushOptions flush;
    flush.wait = true;
    flush.allow_write_stall = true;
    absl::Status s = FromRocks(db_->Flush(flush, handles_), "flush at close");
    if (!s.ok()) {
      spdlog::warn(
          "{} (nothing is lost: the next start replays the write-ahead log)",
          std::string(s.message()));
      return;
    }
    spdlog::debug("memtables flushed at close in {}",
                  absl::FormatDuration(absl::Now() - start));
  }

  std::string dir_;
  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // indexed by Cf
  bool read_only_;
  std::unique_ptr<DiskSpaceWatch> watch_;
  DbReader live_;
  bool opened_ = false;
};

DbReader::~DbReader() {
  if (snapshot_ != nullptr) store_->ReleaseSnapshot(snapshot_);
}

absl::StatusOr<std::optional<std::string>> DbReader::Get(
    Cf cf, std::string_view key) const {
  if (store_->handle(cf) == nullptr) return std::nullopt;  // see Store::Open
  std::string value;
  rocksdb::Status s =
      store_->db()->Get(ReadOpts(), store_->handle(cf), ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  SMPTRACE_RETURN_IF_ERROR(FromRocks(s, "get"));
  return value;
}

absl::Status DbReader::DoScan(Cf cf, std::string_view begin,
                              std::string_view end, bool reverse, ScanFn fn,
                              bool fill_cache) const {
  if (store_->handle(cf) == nullptr) return absl::OkStatus();  // Store::Open
  rocksdb::ReadOptions ro = ReadOpts();
  ro.fill_cache = fill_cache;
  rocksdb::Slice upper = ToSlice(end);
  rocksdb::Slice lower = ToSlice(begin);
  if (!end.empty()) ro.iterate_upper_bound = &upper;
  ro.iterate_lower_bound = &lower;
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(ro, store_->handle(cf)));
  return ScanIterator(it.get(), begin, end, reverse, fn);
}

absl::StatusOr<std::optional<std::string>> Txn::Get(
    Cf cf, std::string_view key) const {
  if (const auto* known = Known(cf, key)) return *known;
  absl::StatusOr<std::optional<std::string>> value = GetBelow(cf, key);
  if (value.ok()) read_[static_cast<int>(cf)].emplace(key, *value);
  return value;
}

const std::optional<std::string>* Txn::Known(Cf cf,
                                             std::string_view key) const {
  const int i = static_cast<int>(cf);
  for (const Writes* known :
       {&writes_[i], static_cast<const Writes*>(&read_[i])}) {
    if (auto it = known->find(key); it != known->end()) return &it->second;
  }
  return nullptr;
}

absl::StatusOr<std::optional<std::string>> Txn::GetBelow(
    Cf cf, std::string_view key) const {
  if (base_ != nullptr) return base_->GetUnder(cf, key);
  return store_->live().Get(cf, key);
}

absl::StatusOr<std::optional<std::string>> Txn::GetUnder(
    Cf cf, std::string_view key) const {
  if (const auto* known = Known(cf, key)) return *known;
  return GetBelow(cf, key);
}

std::optional<std::string> Txn::GetOwn(Cf cf, std::string_view key) const {
  const Writes& own = writes_[static_cast<int>(cf)];
  auto it = own.find(key);
  return it == own.end() ? std::nullopt : it->second;
}

absl::Status Txn::ScanUnder(Cf cf, std::string_view begin, std::string_view end,
                            bool reverse, ScanFn fn) const {
  if (base_ != nullptr) return base_->DoScan(cf, begin, end, reverse, fn);
  const Reader& live = store_->live();
  return reverse ? live.ScanReverse(cf, begin, end, fn)
                 : live.Scan(cf, begin, end, fn);
}

absl::Status Txn::DoScan(Cf cf, std::string_view begin, std::string_view end,
                         bool reverse, ScanFn fn) const {
  // This transaction's writes in [begin, end), merged into the scan below
  // them in scan order; where both have a key, this transaction's write is
  // the one seen (a delete hides it).
  const Writes& own = writes_[static_cast<int>(cf)];
  auto first = own.lower_bound(begin);
  // (An empty range when end <= begin: a reader's scan of it sees nothing.)
  auto last = end.empty()    ? own.end()
              : end <= begin ? first
                             : own.lower_bound(end);
  // Walks [first, last) forwards, or backwards for a reverse scan.
  auto next = reverse ? last : first;
  auto more_own = [&] { return reverse ? next != first : next != last; };
  auto own_entry = [&]() -> const Writes::value_type& {
    return reverse ? *std::prev(next) : *next;
  };
  auto step = [&] { reverse ? --next : ++next; };
  auto before = [&](std::string_view a, std::string_view b) {
    return reverse ? a > b : a < b;
  };
  bool stopped = false;
  // Gives `fn` one of this transaction's writes (none for a delete).
  auto emit_own = [&](const Writes::value_type& entry) -> absl::StatusOr<bool> {
    if (!entry.second.has_value()) return true;
    SMPTRACE_ASSIGN_OR_RETURN(bool more, fn(entry.first, *entry.second));
    stopped = !more;
    return more;
  };
  SMPTRACE_RETURN_IF_ERROR(
      ScanUnder(cf, begin, end, reverse,
                [&](std::string_view key,
                    std::string_view value) -> absl::StatusOr<bool> {
                  while (more_own() && before(own_entry().first, key)) {
                    SMPTRACE_ASSIGN_OR_RETURN(bool more, emit_own(own_entry()));
                    step();
                    if (!more) return false;
                  }
                  if (more_own() && own_entry().first == key) {
                    const Writes::value_type& shadowing = own_entry();
                    step();
                    return emit_own(shadowing);
                  }
                  SMPTRACE_ASSIGN_OR_RETURN(bool more, fn(key, value));
                  stopped = !more;
                  return more;
                }));
  for (; !stopped && more_own(); step()) {
    SMPTRACE_RETURN_IF_ERROR(emit_own(own_entry()).status());
  }
  return absl::OkStatus();
}

void Txn::Record(Cf cf, std::string_view key,
                 std::optional<std::string> value) {
  Writes& writes = writes_[static_cast<int>(cf)];
  auto [entry, inserted] = writes.try_emplace(std::string(key));
  if (!save_points_.empty()) {
    undo_.push_back(Undo{&writes, entry, !inserted,
                         inserted ? std::nullopt : std::move(entry->second)});
  }
  entry->second = std::move(value);
}

void Txn::Put(Cf cf, std::string_view key, std::string_view value) {
  Record(cf, key, std::string(value));
}

void Txn::Delete(Cf cf, std::string_view key) { Record(cf, key, std::nullopt); }

int Txn::Count() const {
  size_t keys = 0;
  for (const Writes& writes : writes_) keys += writes.size();
  return static_cast<int>(keys);
}

rocksdb::WriteBatch Txn::Batch() const {
  rocksdb::WriteBatch batch;
  for (Cf cf : kAllCfs) {
    rocksdb::ColumnFamilyHandle* handle = store_->handle(cf);
    for (const auto& [key, value] : writes_[static_cast<int>(cf)]) {
      rocksdb::Status s = value.has_value()
                              ? batch.Put(handle, ToSlice(key), ToSlice(*value))
                              : batch.Delete(handle, ToSlice(key));
      assert(s.ok());
      (void)s;
    }
  }
  return batch;
}

void Txn::SetSavePoint() { save_points_.push_back(undo_.size()); }

void Txn::RollbackToSavePoint() {
  assert(!save_points_.empty());
  for (size_t n = save_points_.back(); undo_.size() > n; undo_.pop_back()) {
    Undo& u = undo_.back();
    if (u.existed) {
      u.entry->second = std::move(u.before);
    } else {
      u.writes->erase(u.entry);
    }
  }
  save_points_.pop_back();
}

void Txn::PopSavePoint() {
  assert(!save_points_.empty());
  save_points_.pop_back();
  // The outer save point, if any, still needs what this one recorded.
  if (save_points_.empty()) undo_.clear();
}

// The format version `store` records; nullopt for a new store.
absl::StatusOr<std::optional<uint64_t>> ReadFormat(const Store& store) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto stored, store.live().Get(Cf::kMeta, keys::kSchemaVersionKey));
  if (!stored.has_value()) return std::nullopt;
  keys::KeyReader r(*stored);
  uint64_t version = 0;
  if (!r.ReadUint64(&version) || !r.done()) {
    return absl::DataLossError("schema_version record is unreadable");
  }
  return version;
}

void PutFormat(WriteTxn& txn, uint64_t version) {
  std::string value;
  keys::AppendUint64(&value, version);
  txn.Put(Cf::kMeta, keys::kSchemaVersionKey, value);
}

std::string ThisBuild() {
  return absl::StrCat("smptrace ", BuildVersion(), " (commit ", BuildCommit(),
                      ")");
}

// Runs `step` on `store` (whose copy is in `copy`) as one synced commit
// that also records the new format. On an error nothing was written.
absl::Status UpgradeOneStep(RocksStore& store, const UpgradeStep& step,
                            const std::string& copy) {
  auto txn = store.BeginWrite();
  SMPTRACE_RETURN_IF_ERROR(step.apply(store, *txn));
  PutFormat(*txn, step.to);
  RecordFormatChange(
      *txn, step.to,
      absl::StrCat("upgraded from format ", step.to - 1, " by ", ThisBuild(),
                   "; the store before the upgrade is in ", copy));
  return store.CommitUpgrade(*txn, step);
}

// A step that failed (`error`, copying or upgrading) left the store at its
// format (a step that writes in chunks, like format 3's tree, may leave
// chunks the old format never reads and the next attempt rewrites the
// same): the copy made for it, if any, is removed, so that the next start
// upgrades again instead of refusing because the copy is there.
absl::Status FailedUpgrade(const RocksStore& store, const UpgradeStep& step,
                           const std::string& copy, const absl::Status& error) {
  std::error_code ec;
  std::filesystem::remove_all(copy, ec);
  const std::string copy_left =
      ec ? absl::StrCat(
               ". The copy made for this attempt could not be "
               "removed (",
               ec.message(),
               "): with smptraced stopped, move it "
               "out of the way (mv ",
               copy, " ", copy, ".old)")
         : std::string();
  return absl::Status(
      error.code(),
      absl::StrCat("upgrade of ", store.dir(), " to data format ", step.to,
                   " failed, the store is unchanged: ", error.message(),
                   copy_left, ". Fix that, then start smptraced again"));
}

// Stamps a new store with kSchemaVersion, refuses a newer one, and upgrades
// an older one step by step, each step after a checkpoint of the store as
// it was.
absl::Status OpenFormat(RocksStore& store, bool read_only) {
  SMPTRACE_ASSIGN_OR_RETURN(std::optional<uint64_t> version, ReadFormat(store));
  if (!version.has_value()) {
    if (read_only) return absl::OkStatus();
    auto txn = store.BeginWrite();
    PutFormat(*txn, kSchemaVersion);
    RecordFormatChange(*txn, kSchemaVersion,
                       absl::StrCat("created by ", ThisBuild()));
    return store.Commit(*txn, /*sync=*/true);
  }
  if (*version == kSchemaVersion) return absl::OkStatus();
  if (*version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data directory ", store.dir(), " has data format ", *version,
        ", newer than this build reads (", ThisBuild(), " reads format ",
        kSchemaVersion,
        "): it was written by a newer smptraced. Install that version (or a "
        "newer one) again and start it; a store is never downgraded. The "
        "copy kept before the store was upgraded to format ",
        *version, ", if there is one, is in ",
        PreUpgradeCopyDir(store.dir(), *version)));
  }
  if (read_only) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data directory ", store.dir(), " has data format ", *version,
        "; this build reads format ", kSchemaVersion,
        ": start this build's smptraced on it once to upgrade it (it first "
        "copies the store as it is to ",
        PreUpgradeCopyDir(store.dir(), *version + 1), "), then try again"));
  }
  for (const UpgradeStep& step : UpgradeSteps()) {
    if (step.to <= *version) continue;
    const std::string copy = PreUpgradeCopyDir(store.dir(), step.to);
    std::error_code ec;
    if (std::filesystem::exists(copy, ec)) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot upgrade data directory ", store.dir(),
                       " from data format ", step.to - 1, " to ", step.to,
                       ": the copy of the store before the "
                       "upgrade goes to ",
                       copy,
                       ", which exists already (left by an earlier attempt?). "
                       "With smptraced stopped, move it out of the way: mv ",
                       copy, " ", copy,
                       ".old (keep it until the upgrade has run well), then "
                       "start smptraced again"));
    }
    absl::Status upgraded = store.Checkpoint(copy);
    if (upgraded.ok()) upgraded = UpgradeOneStep(store, step, copy);
    if (!upgraded.ok()) return FailedUpgrade(store, step, copy, upgraded);
    spdlog::warn(
        "data directory {} upgraded from data format {} to {}: {}; the store "
        "before the upgrade is in {}",
        store.dir(), step.to - 1, step.to, step.what, copy);
  }
  return absl::OkStatus();
}

}  // namespace

const char* CfName(Cf cf) {
  switch (cf) {
    case Cf::kJournal:
      return "journal";
    case Cf::kState:
      return "state";
    case Cf::kIndex:
      return "index";
    case Cf::kIdem:
      return "idem";
    case Cf::kMeta:
      return "meta";
    case Cf::kClientKeys:
      return "client_keys";
    case Cf::kTlog:
      return "tlog";
  }
  return "?";
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const std::string& dir, const StoreOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool exists = fs::exists(fs::path(dir) / "CURRENT", ec);
  if (!exists && (options.read_only || !options.create_if_missing)) {
    return absl::NotFoundError(absl::StrCat("no smptrace data in ", dir,
                                            " (no RocksDB CURRENT file)"));
  }
  if (!exists) {
    fs::create_directories(dir, ec);
    if (ec) {
      return absl::UnavailableError(absl::StrCat(
          "cannot create data directory ", dir, ": ", ec.message()));
    }
  }

  rocksdb::DBOptions db_options = MakeDbOptions(options);
  auto watch = std::make_unique<DiskSpaceWatch>(dir, options);
  if (!options.read_only) {
    db_options.listeners.push_back(std::make_shared<GateListener>(watch.get()));
  }
  // Read-only, a store written before a column family existed (client_keys
  // came with sealed personal data, tlog with format 3) is opened without
  // it: it reads as empty, and OpenFormat refuses an old format before
  // anything reads a missing one. A writable open creates it.
  std::vector<std::string> present;
  if (options.read_only &&
      !rocksdb::DB::ListColumnFamilies(db_options, dir, &present).ok()) {
    present.clear();
  }
  auto opens = [&](Cf cf) {
    return !options.read_only || present.empty() ||
           std::find(present.begin(), present.end(), CfName(cf)) !=
               present.end();
  };
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName,
                           MakeCfOptions(std::nullopt));
  for (Cf cf : kAllCfs) {
    if (opens(cf)) descriptors.emplace_back(CfName(cf), MakeCfOptions(cf));
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, dir, descriptors, &handles,
                                         &db)
          : rocksdb::DB::Open(db_options, dir, descriptors, &handles, &db);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return absl::UnavailableError(absl::StrCat(
          "data directory ", dir,
          " is in use by another process (is smptraced running?): ",
          s.ToString()));
    }
    return FromRocks(s, absl::StrCat("open ", dir));
  }
  // We never use the default column family; drop its handle right away.
  db->DestroyColumnFamilyHandle(handles[0]);
  handles.erase(handles.begin());
  std::vector<rocksdb::ColumnFamilyHandle*> by_cf;  // indexed by Cf
  for (Cf cf : kAllCfs) {
    by_cf.push_back(nullptr);
    if (opens(cf)) {
      by_cf.back() = handles.front();
      handles.erase(handles.begin());
    }
  }
  handles = std::move(by_cf);

  auto store = std::make_unique<RocksStore>(
      dir, db, std::move(handles), options.read_only, std::move(watch));
  SMPTRACE_RETURN_IF_ERROR(OpenFormat(*store, options.read_only));
  store->SetOpened();
  return store;
}

}  // namespace smptrace::storage
