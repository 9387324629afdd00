// A transparency-log witness (c2sp.org/tlog-witness): for each log it
// keeps the last checkpoint it cosigned, and cosigns a new checkpoint only
// when a consistency proof shows that the new tree extends that one. A log
// that forked (two histories) or was rolled back gets no cosignature, and
// the witness says why. The first checkpoint of a log the witness has not
// seen is trusted on first use, with the log's key the operator gives.
//
// Pure apart from the state file (WitnessStateFile): `smptrace witness` and
// `smptrace log cosign` run it, tests drive it directly.
#ifndef SMPTRACE_SERVICE_PROOF_WITNESS_H_
#define SMPTRACE_SERVICE_PROOF_WITNESS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/checkpoint_note.h"
#include "storage/cosignature.h"
#include "storage/signing.h"

namespace smptrace::proof {

// What the witness holds for one log.
struct WitnessedLog {
  std::string origin;
  uint64_t size = 0;
  std::string root;     // 32 raw bytes
  std::string log_key;  // the log's note verifier key, trusted on first use
};

// Every log the witness has cosigned. Its text form (the state file):
//
//   smptrace witness state v1
//   <origin> <tree size> <base64 root hash> <log verifier key>
class WitnessState {
 public:
  // InvalidArgument saying which line is malformed.
  static absl::StatusOr<WitnessState> Parse(std::string_view text);
  std::string Format() const;

  // nullptr when the witness has not seen `origin`.
  const WitnessedLog* Find(std::string_view origin) const;
  void Put(WitnessedLog log);

 private:
  std::map<std::string, WitnessedLog, std::less<>> logs_;
};

// The witness's state file, locked (flock on PATH.lock) from Open until
// destroyed so that two witness runs cannot both advance it. Written only
// whole: a new file (0600, fsynced) renamed over the old one.
class WitnessStateFile {
 public:
  // Creates nothing until Save; an absent file is the empty state.
  // FailedPrecondition when the file is readable or writable by group or
  // others, or another run holds the lock; InvalidArgument when it is not a
  // state file.
  static absl::StatusOr<std::unique_ptr<WitnessStateFile>> Open(
      const std::string& path);
  ~WitnessStateFile();

  WitnessState& state() { return state_; }
  // Replaces the file with state(), durably. Errors name the path.
  absl::Status Save();

 private:
  WitnessStateFile() = default;
  std::string path_;
  int lock_fd_ = -1;
  WitnessState state_;
};

// The add-checkpoint request (c2sp.org/tlog-witness): "old <size>", the
// consistency proof from that size (base64 hashes, one a line), a blank
// line, then the checkpoint note.
struct AddCheckpoint {
  uint64_t old_size = 0;
  std::vector<std::string> proof;  // raw 32-byte hashes
  std::string note;
};
std::string FormatAddCheckpoint(const AddCheckpoint& request);
// InvalidArgument saying what is malformed.
absl::StatusOr<AddCheckpoint> ParseAddCheckpoint(std::string_view text);

// What the witness cosigned.
struct WitnessVerdict {
  storage::TlogCheckpoint checkpoint;
  storage::Cosignature cosignature;
  // The log was new to the witness: its checkpoint was trusted on first use.
  bool first_seen = false;
  // In words: "cosigned smptrace/… at tree size 43: it extends the tree of
  // size 42 the witness cosigned before".
  std::string detail;
};

// Checks `request` against `state` and, when the new checkpoint extends the
// one held for its log (or the log is new), cosigns it as witness `name`
// with `key` at `now` and advances `state`. The caller persists `state`
// before handing out the cosignature. `log_key` is the log's key the
// operator trusts: required for a log the state does not hold; for a log it
// holds, the key first trusted is used and a different `log_key` refused.
// Refusals leave `state` unchanged and say why in words an inspector
// understands: FailedPrecondition for a fork, a rollback, a proof that does
// not link the two trees, a wrong old size, an unsigned checkpoint;
// InvalidArgument for a request that is not a checkpoint.
absl::StatusOr<WitnessVerdict> WitnessCheckpoint(
    WitnessState& state, const AddCheckpoint& request,
    const std::optional<storage::NoteVerifier>& log_key,
    const storage::CheckpointKey& key, std::string_view name, absl::Time now);

}  // namespace smptrace::proof

#endif  // SMPTRACE_SERVICE_PROOF_WITNESS_H_
