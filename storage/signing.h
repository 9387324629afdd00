// Signed checkpoints (DESIGN.md §4): the server's Ed25519 key, kept outside
// the data directory with mode 0600, signs "journal size ‖ head hash"; an
// auditor keeps the small signed receipt and later checks that the journal
// still extends it. A journal rewritten from a changed event, even with every
// hash recomputed, no longer holds the checkpoint's hash at its seq.
#ifndef SMPTRACE_STORAGE_SIGNING_H_
#define SMPTRACE_STORAGE_SIGNING_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::storage {

// The key file's name. It used to live inside the data directory under
// this name; it now lives outside it (smptraced --signing_key), by default
// next to it: DefaultSigningKeyPath.
inline constexpr std::string_view kCheckpointKeyFile = "checkpoint-ed25519.pem";

// "<data_dir>.checkpoint-ed25519.pem": beside the data directory, not in it,
// so that copies and backups of the data never carry the private key.
std::string DefaultSigningKeyPath(const std::string& data_dir);

// FailedPrecondition when `data_dir` still holds the key (a data directory
// from before the key moved out), saying how to move it to `key_path`; OK
// otherwise.
absl::Status CheckNoKeyInDataDir(const std::string& data_dir,
                                 const std::string& key_path);

class CheckpointKey {
 public:
  // Loads the key file `path`, creating it (mode 0600, written atomically)
  // if it does not exist. FailedPrecondition if the file is readable by
  // group or others, or does not hold an Ed25519 private key.
  static absl::StatusOr<std::unique_ptr<CheckpointKey>> LoadOrCreate(
      const std::string& path);
  // The same without creating: NotFound when there is no key file.
  static absl::StatusOr<std::unique_ptr<CheckpointKey>> Load(
      const std::string& path);
  ~CheckpointKey();

  // The public key, PEM (SubjectPublicKeyInfo).
  const std::string& public_key_pem() const { return public_pem_; }
  // Hex SHA-256 of the raw 32-byte public key: names the key in messages.
  const std::string& key_id() const { return key_id_; }
  // The raw 32-byte Ed25519 public key (what a C2SP note verifier key holds).
  const std::string& raw_public_key() const { return raw_public_; }
  // A 64-byte Ed25519 signature of `message`.
  absl::StatusOr<std::string> Sign(std::string_view message) const;

 private:
  CheckpointKey() = default;
  static absl::StatusOr<std::unique_ptr<CheckpointKey>> Open(
      const std::string& path, bool create);
  void* key_ = nullptr;  // EVP_PKEY*
  std::string public_pem_;
  std::string key_id_;
  std::string raw_public_;
};

// OK if `signature` is the Ed25519 signature of `message` by the raw 32-byte
// public key `raw_public_key`; FailedPrecondition otherwise.
absl::Status VerifyRawSignature(std::string_view raw_public_key,
                                std::string_view message,
                                std::string_view signature);

// The raw 32-byte public key in a PEM (SubjectPublicKeyInfo) Ed25519 key.
absl::StatusOr<std::string> RawPublicKeyOf(std::string_view public_key_pem);

// What a checkpoint signs: "smptrace-checkpoint-v1" ‖ seq (8 bytes,
// big-endian) ‖ hash (32 bytes).
std::string CheckpointMessage(uint64_t seq, std::string_view hash);

// OK if `signature` is `public_key_pem`'s Ed25519 signature of `message`;
// InvalidArgument for a malformed key, FailedPrecondition for a bad
// signature.
absl::Status VerifySignature(std::string_view public_key_pem,
                             std::string_view message,
                             std::string_view signature);

// The hex SHA-256 of the raw public key in `public_key_pem`.
absl::StatusOr<std::string> KeyIdOf(std::string_view public_key_pem);

// The last checkpoint the server signed and handed out, kept in the store
// (meta "last_checkpoint") so that its age survives a restart: monitoring
// alerts when the auditors stop saving checkpoints.
struct IssuedCheckpoint {
  uint64_t seq = 0;
  absl::Time signed_at;
};

// Records `checkpoint` as the last one issued, in a synced write of its own.
// The key is written by nothing else, so this needs no ledger and may run
// beside it. Errors: the write gate's while it is closed, the store's.
absl::Status RecordIssuedCheckpoint(Store& store,
                                    const IssuedCheckpoint& checkpoint);

// The last checkpoint recorded; std::nullopt if none was. DataLoss if the
// record is unreadable.
absl::StatusOr<std::optional<IssuedCheckpoint>> ReadIssuedCheckpoint(
    const Reader& reader);

// OK if the journal in `reader` still holds, at `checkpoint.seq`, the entry
// whose hash is `checkpoint.hash`, and verifies from the first entry to its
// head. FailedPrecondition naming what differs otherwise ("the journal ends
// at seq 12, before the checkpoint's seq 40", "entry 17's hash differs from
// the checkpoint's: the history was rewritten", or the first bad entry).
absl::Status CheckJournalExtends(const Reader& reader,
                                 const JournalHead& checkpoint);

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_SIGNING_H_
