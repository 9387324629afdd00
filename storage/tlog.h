// The journal's Merkle tree as stored (docs/storage-format.md, "Merkle
// tree"): the "tlog" column family holds the hash of every complete subtree
// of two leaves or more, keyed by level (1 byte) || index (8 bytes
// big-endian), levels 1 and up. A leaf's hash (level 0, merkle.h) is not
// stored since data format 4: it is its journal entry's, hashed when a proof
// needs it (one entry per proof). A journal append adds the subtrees it
// completes in the same write batch, so proofs read O(log n) nodes and never
// recompute the tree.
#ifndef SMPTRACE_STORAGE_TLOG_H_
#define SMPTRACE_STORAGE_TLOG_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/journal.h"
#include "storage/merkle.h"
#include "storage/store.h"

namespace smptrace::storage {

std::string TlogNodeKey(int level, uint64_t index);
// The same 9 bytes by value, for scans that compare every key they see.
using TlogNodeKeyBytes = std::array<char, 9>;
TlogNodeKeyBytes EncodeTlogNodeKey(int level, uint64_t index);

// Adds the complete subtrees leaf `index` closes (the tree has `index`
// leaves before it) to `txn`, reading the left siblings from `txn` (a leaf
// sibling from its journal entry). DataLoss if one is missing.
absl::Status AppendTlogLeaf(WriteTxn& txn, uint64_t index,
                            std::string leaf_hash);

// The right edge of the tree of the journal's first `size` entries, from the
// stored nodes (one per set bit of `size`). DataLoss when one is missing.
absl::StatusOr<TlogBuilder> ReadTlogEdge(const Reader& reader, uint64_t size);

// The tree of the journal's first `size` entries, from the stored nodes.
// DataLoss when a node is missing or malformed.
absl::StatusOr<std::string> ReadTlogRoot(const Reader& reader, uint64_t size);
absl::StatusOr<std::vector<std::string>> ReadTlogInclusionProof(
    const Reader& reader, uint64_t index, uint64_t size);
absl::StatusOr<std::vector<std::string>> ReadTlogConsistencyProof(
    const Reader& reader, uint64_t old_size, uint64_t new_size);

// Writes the tree of every journal entry into `store` (the format 3
// upgrade, with format 4's levels), committing every `batch_entries` entries'
// nodes on their own so that no write batch grows with the journal. Nodes
// written by an attempt that failed half-way are rewritten with the same values
// by the next one.
absl::Status BuildTlog(Store& store, uint64_t batch_entries = 65536);

struct TlogVerification {
  bool ok = true;
  uint64_t leaves = 0;
  // When !ok: the first entry whose leaf or subtree differs, and why.
  uint64_t first_bad_seq = 0;
  std::string detail;
};

// Recomputes the tree from the journal's entries and compares every stored
// node (and that there are no others), scanning the nodes in key order;
// ranges of entries in parallel as VerifyJournal does (journal.h; its
// from/check_tree are ignored). A gap in the journal is a mismatch here.
absl::StatusOr<TlogVerification> VerifyTlog(const Reader& reader,
                                            const VerifyOptions& options = {});

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_TLOG_H_
