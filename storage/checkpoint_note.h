// Checkpoints of the journal's Merkle tree as C2SP signed notes
// (c2sp.org/tlog-checkpoint, c2sp.org/signed-note):
//
//   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64 sig>\n
//
// The signature line's bytes are the 4-byte key ID, SHA-256(key name || 0x0A
// || 0x01 || public key)[:4], then the 64-byte Ed25519 signature of the note
// text (the three lines, with their newlines). The key name is the origin.
// A verifier needs only the note verifier key "<name>+<key ID hex>+<base64
// (0x01 || public key)>".
#ifndef SMPTRACE_STORAGE_CHECKPOINT_NOTE_H_
#define SMPTRACE_STORAGE_CHECKPOINT_NOTE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/signing.h"

namespace smptrace::storage {

struct TlogCheckpoint {
  std::string origin;
  uint64_t size = 0;
  std::string root;  // 32 raw bytes
};

// The default origin of a clinic's log: "smptrace/<first 16 hex digits of
// the key id>", unique per signing key.
std::string DefaultLogOrigin(const CheckpointKey& key);

// The signature types of C2SP note keys, the byte each key ID hashes and
// each verifier key starts with: the log's own Ed25519 signature
// (c2sp.org/signed-note), a witness's Ed25519 cosignature
// (c2sp.org/tlog-cosignature). DO NOT CHANGE: part of every key ID.
enum class NoteKeyType : char {
  kEd25519 = 0x01,
  kCosignatureV1 = 0x04,
};

// The 4-byte C2SP key ID of an Ed25519 key named `name`:
// SHA-256(name || 0x0A || type || public key)[:4].
std::string NoteKeyId(std::string_view name, std::string_view raw_public_key,
                      NoteKeyType type = NoteKeyType::kEd25519);
// "<name>+<key ID hex>+<base64(type || public key)>".
std::string NoteVerifierKey(std::string_view name,
                            std::string_view raw_public_key,
                            NoteKeyType type = NoteKeyType::kEd25519);

struct NoteVerifier {
  std::string name;
  std::string key_id;          // 4 bytes
  std::string raw_public_key;  // 32 bytes
};
// The verifier of `key`'s checkpoints, named by DefaultLogOrigin(key).
NoteVerifier VerifierOf(const CheckpointKey& key);
// InvalidArgument naming what is wrong with `vkey` (a key of another type
// among them).
absl::StatusOr<NoteVerifier> ParseNoteVerifierKey(
    std::string_view vkey, NoteKeyType type = NoteKeyType::kEd25519);

// A signed note taken apart (c2sp.org/signed-note): its text, up to and
// with the newline before the blank line, and its signature lines.
struct NoteSignatureLine {
  std::string name;
  // base64-decoded: key ID || signature; empty when not base64.
  std::string bytes;
  // The line as written, without its newline.
  std::string line;
};
struct SplitNote {
  std::string_view text;
  std::vector<NoteSignatureLine> signatures;
};
// InvalidArgument "not a signed checkpoint note: ..." when there is no blank
// line or a signature line is not "— <name> <base64>".
absl::StatusOr<SplitNote> SplitSignedNote(std::string_view note);

// The checkpoint a note's text states (origin, tree size, base64 root hash;
// extension lines are allowed), unverified. InvalidArgument when it is not
// a checkpoint.
absl::StatusOr<TlogCheckpoint> ParseCheckpointText(std::string_view text);
// The note text of `checkpoint`: its three lines.
std::string CheckpointText(const TlogCheckpoint& checkpoint);

// The signed note of `checkpoint`, signed by `key` under the origin's name.
absl::StatusOr<std::string> SignCheckpointNote(
    const CheckpointKey& key, const TlogCheckpoint& checkpoint);

// The 64-byte Ed25519 signature of `checkpoint`'s note text, and the note
// made of the text and such a signature by the key with ID `key_id` (named
// by the origin): a certificate carries only the signature and rebuilds the
// note to check it.
absl::StatusOr<std::string> SignCheckpoint(const CheckpointKey& key,
                                           const TlogCheckpoint& checkpoint);
std::string CheckpointNoteOf(const TlogCheckpoint& checkpoint,
                             std::string_view key_id,
                             std::string_view signature);

// Checks the signature line of `verifier` in `note` (other lines, e.g. a
// witness's cosignatures, are skipped) and reads the checkpoint. Errors:
// InvalidArgument for text that is not a checkpoint note, FailedPrecondition
// for a note with no valid signature by `verifier` or another origin.
absl::StatusOr<TlogCheckpoint> OpenCheckpointNote(std::string_view note,
                                                  const NoteVerifier& verifier);

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_CHECKPOINT_NOTE_H_
