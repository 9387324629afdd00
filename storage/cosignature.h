// Witness cosignatures of the log's checkpoints (c2sp.org/tlog-cosignature,
// the Ed25519 "cosignature/v1" form), and where the server keeps those it
// was handed (meta "cosignature/", one record per tree size and witness).
//
// A cosignature line is a note signature line:
//
//   — <witness name> base64(key ID || time || signature)
//
// key ID = SHA-256(name || 0x0A || 0x04 || public key)[:4], time = 8 bytes
// big-endian (POSIX seconds), signature = Ed25519 over
// "cosignature/v1\ntime <time>\n" followed by the checkpoint's text (its
// lines up to the blank line, each with its newline).
#ifndef SMPTRACE_STORAGE_COSIGNATURE_H_
#define SMPTRACE_STORAGE_COSIGNATURE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/checkpoint_note.h"
#include "storage/signing.h"
#include "storage/store.h"

namespace smptrace::storage {

// What a witness signs: "cosignature/v1\ntime <time>\n" || checkpoint_text.
std::string CosignedMessage(std::string_view checkpoint_text, uint64_t time);

struct Cosignature {
  std::string witness;    // the key name
  std::string key_id;     // 4 bytes
  uint64_t time = 0;      // POSIX seconds
  std::string signature;  // 64 bytes
  // "— <witness> <base64>", without a newline.
  std::string Line() const;
};

// OK for a witness name a note and a verifier key can carry: one word, no
// spaces, no '+'; InvalidArgument saying so otherwise.
absl::Status ValidateWitnessName(std::string_view name);

// `key`'s cosignature, as witness `name`, of the checkpoint whose note text
// is `checkpoint_text`, at `time`. InvalidArgument for a name with white
// space or a time of 2^63 or more; the signer's error otherwise.
absl::StatusOr<Cosignature> Cosign(const CheckpointKey& key,
                                   std::string_view name,
                                   std::string_view checkpoint_text,
                                   uint64_t time);

// The cosignature in signature line `line`, if it is one by `witness` (its
// name and key ID); std::nullopt for another key's line. Does not verify.
std::optional<Cosignature> CosignatureOf(const NoteSignatureLine& line,
                                         const NoteVerifier& witness);

// OK if `c` is `witness`'s valid cosignature of `checkpoint_text`;
// FailedPrecondition saying what does not match otherwise.
absl::Status VerifyCosignature(const Cosignature& c,
                               const NoteVerifier& witness,
                               std::string_view checkpoint_text);

// ---- kept by the server ----------------------------------------------------

// Keeps `c` as a cosignature of the tree of `size` entries, in a synced
// write of its own (meta: cosignatures stand on their own signatures and
// are not clinic events; journaling one would grow the very log it
// cosigns). A witness's cosignature already kept for that size is kept (a
// retry, or the same witness again, changes nothing): returns whether `c`
// was added. Errors: the write gate's while it is closed, the store's.
// REQUIRES: `c` was verified.
absl::StatusOr<bool> KeepCosignature(Store& store, uint64_t size,
                                     const Cosignature& c);

// The cosignatures kept for the tree of `size` entries, by key ID.
absl::StatusOr<std::vector<Cosignature>> ReadCosignatures(const Reader& reader,
                                                          uint64_t size);

// The largest tree size with a cosignature kept; 0 when there is none.
absl::StatusOr<uint64_t> LastCosignedSize(const Reader& reader);

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_COSIGNATURE_H_
