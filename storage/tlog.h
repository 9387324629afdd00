// The journal's Merkle tree as stored (docs/storage-format.md, "Merkle
// tree"): the "tlog" column family holds every complete subtree hash, keyed
// by level (1 byte) || index (8 bytes big-endian); level 0 holds the leaf
// hashes (merkle.h). A journal append adds its leaf and the subtrees it
// completes in the same write batch, so proofs read O(log n) nodes and never
// recompute the tree.
#ifndef SMPTRACE_STORAGE_TLOG_H_
#define SMPTRACE_STORAGE_TLOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/store.h"

namespace smptrace::storage {

std::string TlogNodeKey(int level, uint64_t index);

// Adds leaf `index` (the tree has `index` leaves before it) and the complete
// subtrees it closes to `txn`, reading the left siblings from `txn`. DataLoss
// if one is missing.
absl::Status AppendTlogLeaf(WriteTxn& txn, uint64_t index,
                            std::string leaf_hash);

// The tree of the journal's first `size` entries, from the stored nodes.
// DataLoss when a node is missing or malformed.
absl::StatusOr<std::string> ReadTlogRoot(const Reader& reader, uint64_t size);
absl::StatusOr<std::vector<std::string>> ReadTlogInclusionProof(
    const Reader& reader, uint64_t index, uint64_t size);
absl::StatusOr<std::vector<std::string>> ReadTlogConsistencyProof(
    const Reader& reader, uint64_t old_size, uint64_t new_size);

// Writes the tree of every journal entry into `txn` (the format 3 upgrade).
absl::Status BuildTlog(WriteTxn& txn);

struct TlogVerification {
  bool ok = true;
  uint64_t leaves = 0;
  // When !ok: the first entry whose leaf or subtree differs, and why.
  uint64_t first_bad_seq = 0;
  std::string detail;
};

// Recomputes the tree from the journal's entries and compares every stored
// node (and that there are no others).
absl::StatusOr<TlogVerification> VerifyTlog(const Reader& reader);

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_TLOG_H_
