#include "storage/write_gate.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace smptrace::storage {

const char* WriteBlockName(WriteBlock block) {
  switch (block) {
    case WriteBlock::kDiskFull:
      return "disk_full";
    case WriteBlock::kStorageFault:
      return "storage_fault";
    case WriteBlock::kDamaged:
      return "damaged";
  }
  return "?";
}

absl::Status WriteGate::Check() const {
  absl::MutexLock lock(&mu_);
  const WriteGateState& s = state_;
  if (s.of(WriteBlock::kDamaged).active) {
    return absl::FailedPreconditionError(absl::StrCat(
        "writes are refused: the stored record failed verification (",
        s.of(WriteBlock::kDamaged).detail,
        "); nothing was written. Reads still work. An admin must investigate "
        "(smptrace admin verify) and restore the last verified backup; see "
        "docs/admin.md, 'A damaged store'"));
  }
  if (s.of(WriteBlock::kStorageFault).active) {
    return absl::UnavailableError(
        absl::StrCat("writes are refused: the storage reported an error (",
                     s.of(WriteBlock::kStorageFault).detail,
                     "); nothing was written: retry with the same request_id"));
  }
  if (s.of(WriteBlock::kDiskFull).active) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "writes are refused: the server's disk is full (",
        s.of(WriteBlock::kDiskFull).detail,
        "); nothing was written. Reads still work. Retry with the same "
        "request_id once an admin has freed space"));
  }
  return absl::OkStatus();
}

void WriteGate::Close(WriteBlock block, std::string detail) {
  {
    absl::MutexLock lock(&mu_);
    WriteGateState::Block& b = state_.blocks[static_cast<int>(block)];
    if (b.active && b.detail == detail) return;
    if (!b.active) ++b.times_closed;
    b.active = true;
    b.detail = std::move(detail);
  }
  Notify();
}

void WriteGate::Reopen(WriteBlock block) {
  if (block == WriteBlock::kDamaged) return;
  {
    absl::MutexLock lock(&mu_);
    WriteGateState::Block& b = state_.blocks[static_cast<int>(block)];
    if (!b.active) return;
    b.active = false;
    b.detail.clear();
  }
  Notify();
}

WriteGateState WriteGate::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

void WriteGate::SetListener(Listener listener) {
  {
    absl::MutexLock lock(&notify_mu_);
    listener_ = std::move(listener);
  }
  Notify();
}

void WriteGate::Notify() {
  absl::MutexLock notify(&notify_mu_);
  if (!listener_) return;
  // Read the state under notify_mu_, so the last call always carries the
  // latest state even when two changes race.
  listener_(state());
}

}  // namespace smptrace::storage
