// The transparency log's proofs in their API and file forms, shared by the
// server and the CLI's offline checks (`smptrace log verify-*`,
// `smptrace checkpoint check`):
// - signed checkpoints (C2SP tlog-checkpoint notes, storage/checkpoint_note.h)
//   of the journal's Merkle tree;
// - inclusion proofs as c2sp.org/tlog-proof@v1 files, whose `extra` line is
//   the leaf's bytes (seq || event, storage/merkle.h): one self-contained
//   text a certificate can carry (a QR code holds ~2.9 KB: a 1 M entry log's
//   proof is 20 hashes, ~900 characters, plus the entry and the checkpoint);
// - consistency proofs as "smptrace consistency proof v1" files.
#ifndef SMPTRACE_SERVICE_PROOF_TLOG_PROOF_H_
#define SMPTRACE_SERVICE_PROOF_TLOG_PROOF_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/checkpoint_note.h"
#include "storage/signing.h"
#include "storage/store.h"

namespace smptrace::proof {

// The signed checkpoint of the journal's first `size` entries, with every
// witness cosignature kept for that size.
absl::StatusOr<v1::LogCheckpoint> SignLogCheckpoint(
    const storage::Reader& reader, uint64_t size,
    const storage::CheckpointKey& key);

// Checks a checkpoint note against the journal in `reader`: `verifier`'s
// signature, and that the journal (which must verify, chain and tree) still
// holds the checkpoint's tree as its first entries. A failed check is a
// result (ok = false, `detail` says why); InvalidArgument for text that is
// not a note; the storage error when the journal cannot be read.
absl::StatusOr<v1::CheckCheckpointResponse> CheckCheckpointNote(
    const storage::Reader& reader, std::string_view note,
    const storage::NoteVerifier& verifier);

// The inclusion proof of entry `seq` in the tree of `tree_size` entries
// (0: the current tree, `current_size`, and its checkpoint signed by `key`).
absl::StatusOr<v1::InclusionProof> ProveInclusion(
    const storage::Reader& reader, uint64_t seq, uint64_t tree_size,
    uint64_t current_size, const storage::CheckpointKey& key);
absl::StatusOr<v1::ConsistencyProof> ProveConsistency(
    const storage::Reader& reader, uint64_t old_size, uint64_t new_size,
    uint64_t current_size);

// c2sp.org/tlog-proof@v1 text: header, "extra <base64 leaf data>", "index N",
// the hashes (base64), a blank line and the checkpoint note (may be empty).
std::string FormatTlogProof(uint64_t index, std::string_view leaf_data,
                            const std::vector<std::string>& hashes,
                            std::string_view checkpoint_note);

// What an inclusion check found.
struct VerifiedInclusion {
  uint64_t seq = 0;
  std::string event;  // the entry's event bytes as stored
  storage::TlogCheckpoint checkpoint;
};
// Verifies a tlog-proof file offline: its checkpoint (`checkpoint_note` when
// not empty, else the one the file carries) signed by `verifier`, and the
// entry's inclusion in that tree. InvalidArgument for text that is not a
// proof; FailedPrecondition saying what does not match.
absl::StatusOr<VerifiedInclusion> VerifyTlogProofText(
    std::string_view proof_text, std::string_view checkpoint_note,
    const storage::NoteVerifier& verifier);

std::string FormatConsistencyProof(const v1::ConsistencyProof& p);
absl::StatusOr<v1::ConsistencyProof> ParseConsistencyProof(
    std::string_view text);
// Both checkpoints signed by `verifier`, and the proof links the older to the
// newer. Returns the two checkpoints.
absl::StatusOr<std::pair<storage::TlogCheckpoint, storage::TlogCheckpoint>>
VerifyConsistencyText(std::string_view old_note, std::string_view new_note,
                      std::string_view proof_text,
                      const storage::NoteVerifier& verifier);

}  // namespace smptrace::proof

#endif  // SMPTRACE_SERVICE_PROOF_TLOG_PROOF_H_
