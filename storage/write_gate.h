// The one answer to "can the store take writes right now, and if not, why?".
// Storage closes the gate when the disk is (nearly) full or RocksDB reports
// a background error, and opens it again when that clears; the integrity
// checks close it for good when the record is found damaged. The ledger
// consults it before taking a command, and the server maps every change to
// its health status. Reads never consult it.
#ifndef SMPTRACE_STORAGE_WRITE_GATE_H_
#define SMPTRACE_STORAGE_WRITE_GATE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace smptrace::storage {

// Why writes are refused. Several can hold at once. DO NOT CHANGE the
// values: they are exported as metric labels.
enum class WriteBlock {
  // Less free space than the reserve, or RocksDB ran out of space. Clears by
  // itself once space is freed (nothing to restart).
  kDiskFull = 0,
  // RocksDB stopped writing after an I/O error other than a full disk.
  // Clears if RocksDB recovers by itself; otherwise restart after fixing the
  // disk.
  kStorageFault = 1,
  // Verification found the record damaged or edited. Never clears while the
  // process runs: restore a verified backup.
  kDamaged = 2,
};
inline constexpr int kNumWriteBlocks = 3;
// "disk_full", "storage_fault", "damaged".
const char* WriteBlockName(WriteBlock block);

// A copy of the gate's state, for health, logs and metrics.
struct WriteGateState {
  struct Block {
    bool active = false;
    std::string detail;         // why, in one sentence, while active
    uint64_t times_closed = 0;  // since the process started
  };
  Block blocks[kNumWriteBlocks];

  bool open() const {
    for (const Block& b : blocks)
      if (b.active) return false;
    return true;
  }
  const Block& of(WriteBlock block) const {
    return blocks[static_cast<int>(block)];
  }
};

class WriteGate {
 public:
  // Called after every change, outside the gate's lock, with the new state.
  // It may run on RocksDB's background threads: keep it short.
  using Listener = std::function<void(const WriteGateState&)>;

  // OK while no block is active. Otherwise the refusal a writer answers
  // (damage first, then faults, then a full disk):
  //   kDamaged      -> FailedPrecondition (fix the state first),
  //   kStorageFault -> Unavailable,
  //   kDiskFull     -> ResourceExhausted;
  // each message says that nothing was written and what to do. Thread-safe.
  absl::Status Check() const;

  // Activates `block` with `detail` (updates the detail if already active).
  // Thread-safe.
  void Close(WriteBlock block, std::string detail);
  // Clears `block` if it is active. kDamaged cannot be cleared. Thread-safe.
  void Reopen(WriteBlock block);

  WriteGateState state() const;

  // Replaces the listener (nullptr: none) and calls it once with the
  // current state. Thread-safe.
  void SetListener(Listener listener);

 private:
  void Notify();

  mutable absl::Mutex mu_;
  WriteGateState state_ ABSL_GUARDED_BY(mu_);
  // Serialises listener calls so they arrive in the order of the changes.
  absl::Mutex notify_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  Listener listener_ ABSL_GUARDED_BY(notify_mu_);
};

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_WRITE_GATE_H_
