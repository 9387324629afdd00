// RFC 6962 / RFC 9162 Merkle tree hashing over the journal (the transparency
// log): leaf and node hashes, the tree head, inclusion and consistency proofs
// built from stored complete subtrees, and their offline verification. Pure:
// the stored tree is in tlog.h; a verifier needs only this file.
//
// A leaf is one journal entry: leaf data = seq (8 bytes big-endian) || the
// event bytes exactly as stored, leaf index = seq - 1, leaf hash =
// SHA-256(0x00 || leaf data), node hash = SHA-256(0x01 || left || right).
#ifndef SMPTRACE_STORAGE_MERKLE_H_
#define SMPTRACE_STORAGE_MERKLE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storage/sha256.h"

namespace smptrace::storage {

// The first byte of what a leaf hash and a node hash hash (RFC 9162 2.1.1).
inline constexpr std::string_view kTlogLeafPrefix("\0", 1);
inline constexpr std::string_view kTlogNodePrefix("\x01", 1);

// seq (8 bytes big-endian) || event.
std::string TlogLeafData(uint64_t seq, std::string_view event);
// SHA-256(0x00 || leaf_data).
std::string TlogLeafHash(std::string_view leaf_data);
// SHA-256(0x01 || left || right).
std::string TlogNodeHash(std::string_view left, std::string_view right);

// The hash of a complete subtree: the leaves [index << level,
// (index + 1) << level). Level 0 is the leaf hashes.
using TlogNodeFn =
    absl::FunctionRef<absl::StatusOr<std::string>(int level, uint64_t index)>;

// MTH of the first `size` leaves (SHA-256 of nothing when size is 0).
absl::StatusOr<std::string> TlogRoot(TlogNodeFn node, uint64_t size);
// RFC 9162 PATH(index, D[size]), leaf to root. InvalidArgument unless
// index < size.
absl::StatusOr<std::vector<std::string>> TlogInclusionProof(TlogNodeFn node,
                                                            uint64_t index,
                                                            uint64_t size);
// RFC 9162 PROOF(old_size, D[new_size]); empty when old_size is 0 or equals
// new_size. InvalidArgument when old_size > new_size.
absl::StatusOr<std::vector<std::string>> TlogConsistencyProof(
    TlogNodeFn node, uint64_t old_size, uint64_t new_size);

// RFC 9162 2.1.3.2. OK, or FailedPrecondition saying what does not match.
absl::Status VerifyTlogInclusion(std::string_view leaf_hash, uint64_t index,
                                 uint64_t size,
                                 absl::Span<const std::string> proof,
                                 std::string_view root);
// RFC 9162 2.1.4.2. OK, or FailedPrecondition saying what does not match.
absl::Status VerifyTlogConsistency(uint64_t old_size, uint64_t new_size,
                                   std::string_view old_root,
                                   std::string_view new_root,
                                   absl::Span<const std::string> proof);

// SHA-256(0x00 || BE64(seq) || event): TlogLeafHash(TlogLeafData(seq,
// event)) without building the leaf data.
std::string TlogEntryLeafHash(uint64_t seq, std::string_view event);
// TlogEntryLeafHash and TlogNodeHash by value: nothing allocated (the
// journal's append and its verification, which make one of each per entry).
Sha256Digest TlogEntryLeafDigest(uint64_t seq, std::string_view event);
Sha256Digest TlogNodeDigest(std::string_view left, std::string_view right);
// Two neighbouring parents at once (Sha256OfTwo): the nodes over
// children[0], children[1] and over children[2], children[3].
std::array<Sha256Digest, 2> TlogNodeDigests(const Sha256Digest* children);

// Builds the complete subtrees of a tree leaf by leaf, keeping only its right
// edge (at most one hash per level): each Add reports the nodes it completes
// (the leaf, then its parents). Copyable: the journal head carries one so
// that an append reads no stored node (journal.h).
class TlogBuilder {
 public:
  using EmitFn = absl::FunctionRef<void(int level, uint64_t index,
                                        const std::string& hash)>;
  using DigestEmitFn = absl::FunctionRef<void(int level, uint64_t index,
                                              const Sha256Digest& hash)>;
  // A builder for a tree of `size` leaves whose complete subtrees `node`
  // gives: it reads only the right edge, one node per set bit of `size`.
  // `node`'s errors are returned.
  static absl::StatusOr<TlogBuilder> Resume(TlogNodeFn node, uint64_t size);

  // REQUIRES: leaf_hash is kHashSize bytes.
  void Add(std::string leaf_hash, EmitFn emit);
  // The same without a string per node.
  void Add(const Sha256Digest& leaf_hash, DigestEmitFn emit);
  uint64_t size() const { return size_; }

 private:
  using Hash = Sha256Digest;
  uint64_t size_ = 0;
  // frontier_[level]: the last complete subtree of that level not yet paired
  // (meaningful where bit `level` of size_ is set).
  std::vector<Hash> frontier_;
};

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_MERKLE_H_
