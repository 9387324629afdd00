// The RocksDB database behind smptrace: one column family per data role,
// reads through Reader, writes through a WriteTxn committed as one synced
// WriteBatch. The only code in the project that includes <rocksdb/...>;
// rocksdb::Status never leaves this layer (Corruption -> DataLoss, IOError ->
// Unavailable, everything else -> Internal).
#ifndef SMPTRACE_STORAGE_STORE_H_
#define SMPTRACE_STORAGE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/write_gate.h"

namespace rocksdb {
class DB;
}  // namespace rocksdb

namespace smptrace::storage {

// DO NOT CHANGE the names: they are the column families on disk.
enum class Cf {
  kJournal,  // "journal": seq -> entry
  kState,    // "state": current entities and their versions
  kIndex,    // "index": secondary indexes
  kIdem,     // "idem": request id -> first answer
  kMeta,     // "meta": schema version, journal head
  // "client_keys": each client's personal-data key, wrapped by the data key
  // (client_keys.h). Not journaled, not replayed, not exported; erasure
  // deletes a client's key.
  kClientKeys,
  kTlog,  // "tlog": the journal's Merkle tree (tlog.h), from format 3
};
inline constexpr int kNumCfs = 7;
const char* CfName(Cf cf);

// The on-disk layout (data format) this build reads and writes; the formats
// and the upgrade steps between them are in upgrades.h.
inline constexpr uint64_t kSchemaVersion = 4;

// Called for each key/value of a scan, in scan order. Returns true to go on,
// false to stop (the scan then returns OK), or an error, which stops the
// scan and is what Scan returns. A callable returning plain bool fits too.
using ScanFn = absl::FunctionRef<absl::StatusOr<bool>(std::string_view key,
                                                      std::string_view value)>;

// Read access to the store (live, a snapshot, or a write transaction that
// sees its own writes). Thread-compatible; Store's live reader and snapshots
// are thread-safe.
class Reader {
 public:
  virtual ~Reader() = default;
  // The value under `key`, std::nullopt when there is none.
  virtual absl::StatusOr<std::optional<std::string>> Get(
      Cf cf, std::string_view key) const = 0;
  // Calls fn for every key in [begin, end), in order, until fn returns false
  // or an error. An empty `end` means "to the end of the column family".
  // Returns fn's error if it gave one, else the store's own read error.
  virtual absl::Status Scan(Cf cf, std::string_view begin, std::string_view end,
                            ScanFn fn) const = 0;
  // Like Scan, from the last key in [begin, end) backwards.
  virtual absl::Status ScanReverse(Cf cf, std::string_view begin,
                                   std::string_view end, ScanFn fn) const = 0;
  // Like Scan, for a pass that reads a long range once (verification): the
  // blocks it reads are not kept in the block cache, so it neither pays for
  // inserting them nor evicts what the server's reads keep there.
  virtual absl::Status ScanOnce(Cf cf, std::string_view begin,
                                std::string_view end, ScanFn fn) const {
    return Scan(cf, begin, end, fn);
  }
};

// Writes of one commit, readable before they are committed. Not thread-safe:
// owned by the single writer. Save points let one command's writes be undone
// without touching the rest of its group. Get reads a key under its own
// writes once and keeps what it found for the transaction's life (a
// decision and its projection read the same records): a commit that is not
// its base's, made while it is open, is not seen by a second Get of a key
// read before. The ledger's writer is the only one that commits state.
class WriteTxn : public Reader {
 public:
  virtual void Put(Cf cf, std::string_view key, std::string_view value) = 0;
  virtual void Delete(Cf cf, std::string_view key) = 0;
  // What this transaction itself wrote under `key`, reading neither base's
  // writes nor the store: nullopt when it wrote nothing there or deleted
  // it. For keys no one else can have written (they hold this command's
  // own journal seq), where Get would go on to a store read that always
  // misses.
  virtual std::optional<std::string> GetOwn(Cf cf,
                                            std::string_view key) const = 0;
  virtual void SetSavePoint() = 0;
  // REQUIRES: a save point is set. Undoes every write since the last one and
  // removes it.
  virtual void RollbackToSavePoint() = 0;
  // REQUIRES: a save point is set. Keeps the writes, forgets the save point.
  virtual void PopSavePoint() = 0;
  // Number of keys written (put or deleted); a key written twice counts
  // once.
  virtual int Count() const = 0;
  // For a transaction from BeginWriteAfter(base), once base is committed:
  // reads go to the store from then on, and base may be destroyed.
  virtual void ForgetBase() = 0;
};

struct StoreOptions {
  // Open an existing store for reading only (offline verify on a stopped
  // server's data). No lock is taken and nothing is written.
  bool read_only = false;
  // Create the directory and column families if they do not exist.
  bool create_if_missing = true;
  // Writes are refused (the write gate closes with kDiskFull) while the
  // filesystem of the data directory has less free space than this, so that
  // RocksDB itself never runs out and a restart always has room. 0: no
  // reserve (RocksDB's own out-of-space handling still applies).
  uint64_t min_free_bytes = 64ull << 20;
  // How often free space is polled while the gate is closed for it (and
  // between commits otherwise).
  absl::Duration disk_poll_interval = absl::Seconds(1);
};

// RocksDB's own figures, for monitoring. Estimates, not exact.
struct CfStorageStats {
  Cf cf = Cf::kJournal;
  uint64_t live_data_bytes = 0;           // estimated live data
  uint64_t sst_files_bytes = 0;           // SST files, live and obsolete
  uint64_t memtable_bytes = 0;            // not yet flushed (still in the WAL)
  uint64_t pending_compaction_bytes = 0;  // estimated
  uint64_t stall_stops = 0;               // writes stopped since open
  uint64_t stall_slowdowns = 0;           // writes slowed down since open
};
struct StorageStats {
  std::vector<CfStorageStats> cfs;  // one per Cf, in Cf order
  uint64_t wal_bytes = 0;           // write-ahead log files, all CFs
  bool writes_stopped = false;      // RocksDB stops writes now
};

class Store {
 public:
  // Opens (or creates) the store in `dir`. A store of an older format is
  // upgraded first (not when read_only), one step at a time (upgrades.h),
  // each after a checkpoint of the store as it was in
  // PreUpgradeCopyDir(dir, step). Errors: NotFound if `dir` holds no store
  // and create_if_missing is false or read_only; FailedPrecondition if its
  // format is newer than kSchemaVersion, or older and read_only, or a
  // pre-upgrade copy is already there; Unavailable if another process has
  // it open for writing; DataLoss on corruption.
  //
  // Closing a writable store (destroying it) flushes its memtables, so that
  // the next Open replays no write-ahead log.
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const std::string& dir, const StoreOptions& options);
  virtual ~Store() = default;

  // Reads the latest committed data. Thread-safe.
  virtual const Reader& live() const = 0;
  // A consistent view as of now, unaffected by later commits. Thread-safe.
  virtual std::unique_ptr<Reader> NewSnapshot() const = 0;
  // An empty transaction over the latest committed data.
  virtual std::unique_ptr<WriteTxn> BeginWrite() = 0;
  // An empty transaction that reads through `base`'s writes to the latest
  // committed data (its own writes first, then base's, then the store's):
  // for a writer that decides the next commit while `base` is being
  // committed on another thread. Reading base's writes while Commit(base)
  // runs is safe; nothing else may change base meanwhile. REQUIRES: `base`
  // came from this store and is committed (or abandoned) before the new
  // transaction; it outlives the new one, or its ForgetBase() call.
  virtual std::unique_ptr<WriteTxn> BeginWriteAfter(const WriteTxn& base) = 0;
  // Writes every operation of `txn` atomically: with `sync`, the WAL is
  // fsync'd before this returns. On error nothing of `txn` is visible.
  // Refused without touching the disk while the write gate is closed (its
  // status); ResourceExhausted when the disk fills during the write.
  // REQUIRES: txn came from this store's BeginWrite().
  virtual absl::Status Commit(WriteTxn& txn, bool sync) = 0;

  // Whether writes can be taken now, and why not (see write_gate.h). The
  // store closes and reopens it for disk space and RocksDB background
  // errors; others close it for damage.
  virtual WriteGate& write_gate() = 0;
  // Measures free space now and updates the gate (the background poll does
  // this every disk_poll_interval). Returns the gate's status.
  virtual absl::Status CheckDiskSpace() = 0;

  virtual const std::string& dir() const = 0;

  // Makes what was deleted so far unrecoverable from the files of the data
  // directory (erasure of a client's key): flushes every column family, so
  // the write-ahead logs that held deleted values become obsolete and are
  // removed, then compacts `cfs` down to the bottommost level, rewriting
  // even its files, so that no SST keeps a deleted value or its tombstone.
  // A backup in progress or an open snapshot may delay it; files of a
  // backup directory are not touched. Errors: Unavailable/Internal from
  // RocksDB.
  virtual absl::Status PurgeDeleted(const std::vector<Cf>& cfs) = 0;

  // RocksDB's figures for monitoring. Thread-safe; cheap (no file reads
  // beyond listing the WAL files).
  virtual StorageStats Stats() const = 0;
  // The RocksDB database, for the rest of storage/ (backup.cc): code above
  // storage/ sees no RocksDB header and cannot use it.
  virtual rocksdb::DB* rocks_db() const = 0;
};

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_STORE_H_
