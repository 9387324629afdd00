// The server's side of witnesses (c2sp.org/tlog-cosignature): which
// witnesses it knows (smptraced --witness_keys FILE), and checking a
// checkpoint a witness cosigned before the server keeps the cosignatures
// (storage/cosignature.h) and serves them with that checkpoint.
#ifndef SMPTRACE_SERVICE_PROOF_COSIGNED_CHECKPOINT_H_
#define SMPTRACE_SERVICE_PROOF_COSIGNED_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/checkpoint_note.h"
#include "storage/cosignature.h"
#include "storage/signing.h"
#include "storage/store.h"

namespace smptrace::proof {

// "<data_dir>.witnesses", beside the data directory like its keys.
std::string DefaultWitnessKeysPath(const std::string& data_dir);

// The witness keys in `text`: one witness verifier key ("<name>+<key ID
// hex>+<base64(0x04 || public key)>", what `smptrace witness key` prints) a
// line; blank lines and lines starting with '#' are skipped.
// InvalidArgument naming the line that is not one.
absl::StatusOr<std::vector<storage::NoteVerifier>> ParseWitnessKeys(
    std::string_view text);
// The same from the file `path`; no witnesses when it does not exist.
absl::StatusOr<std::vector<storage::NoteVerifier>> LoadWitnessKeys(
    const std::string& path);

// The API form of a cosignature: witness, key ID (hex), time, line.
v1::LogCosignature CosignatureProto(const storage::Cosignature& c);

struct CheckedCosignatures {
  uint64_t size = 0;
  std::vector<storage::Cosignature> cosignatures;
};

// Checks `note`, a checkpoint note followed by cosignature lines: its text
// must be this log's checkpoint (`key`'s origin) of a tree of at most
// `current_size` entries whose root the journal in `reader` holds, and each
// line by one of `witnesses` must be a valid cosignature of it. Lines by
// other keys (the log's own signature among them) are skipped.
// InvalidArgument for text that is not a note; FailedPrecondition saying
// what is wrong otherwise, including a note with no known witness's line.
absl::StatusOr<CheckedCosignatures> CheckCosignedNote(
    const storage::Reader& reader, std::string_view note, uint64_t current_size,
    const storage::CheckpointKey& key,
    const std::vector<storage::NoteVerifier>& witnesses);

// What a reader of a cosigned checkpoint checked.
struct OpenedCheckpoint {
  storage::TlogCheckpoint checkpoint;
  // The valid cosignatures by `witnesses`, in the note's order.
  std::vector<storage::Cosignature> cosignatures;
  // The names of `witnesses` that did not cosign it.
  std::vector<std::string> missing;
};
// Opens `note` offline: `log`'s signature (storage::OpenCheckpointNote's
// errors), then each line by one of `witnesses`. FailedPrecondition when a
// known witness's line does not verify (the note was altered).
absl::StatusOr<OpenedCheckpoint> OpenCosignedCheckpoint(
    std::string_view note, const storage::NoteVerifier& log,
    const std::vector<storage::NoteVerifier>& witnesses);

}  // namespace smptrace::proof

#endif  // SMPTRACE_SERVICE_PROOF_COSIGNED_CHECKPOINT_H_
