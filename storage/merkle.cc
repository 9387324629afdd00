#include "storage/merkle.h"

#include <algorithm>
#include <array>
#include <cassert>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/journal.h"
#include "storage/keys.h"

namespace smptrace::storage {
namespace {

// The largest power of two smaller than n (n > 1).
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

int Log2(uint64_t n) {
  int l = 0;
  while (n > 1) {
    n >>= 1;
    ++l;
  }
  return l;
}

// MTH(D[begin:end]) where every split the RFC's recursion makes lands on a
// complete subtree (true of every range the proofs below ask for).
absl::StatusOr<std::string> RangeHash(TlogNodeFn node, uint64_t begin,
                                      uint64_t end) {
  const uint64_t n = end - begin;
  if (IsPowerOfTwo(n) && begin % n == 0) return node(Log2(n), begin / n);
  const uint64_t k = SplitPoint(n);
  SMPTRACE_ASSIGN_OR_RETURN(std::string left,
                            RangeHash(node, begin, begin + k));
  SMPTRACE_ASSIGN_OR_RETURN(std::string right, RangeHash(node, begin + k, end));
  return TlogNodeHash(left, right);
}

// PATH(m, D[begin:end]) appended to `out` (leaf to root).
absl::Status Path(TlogNodeFn node, uint64_t m, uint64_t begin, uint64_t end,
                  std::vector<std::string>* out) {
  const uint64_t n = end - begin;
  if (n <= 1) return absl::OkStatus();
  const uint64_t k = SplitPoint(n);
  if (m < k) {
    SMPTRACE_RETURN_IF_ERROR(Path(node, m, begin, begin + k, out));
    SMPTRACE_ASSIGN_OR_RETURN(std::string h, RangeHash(node, begin + k, end));
    out->push_back(std::move(h));
  } else {
    SMPTRACE_RETURN_IF_ERROR(Path(node, m - k, begin + k, end, out));
    SMPTRACE_ASSIGN_OR_RETURN(std::string h, RangeHash(node, begin, begin + k));
    out->push_back(std::move(h));
  }
  return absl::OkStatus();
}

// SUBPROOF(m, D[begin:end], b) appended to `out`.
absl::Status SubProof(TlogNodeFn node, uint64_t m, uint64_t begin, uint64_t end,
                      bool b, std::vector<std::string>* out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!b) {
      SMPTRACE_ASSIGN_OR_RETURN(std::string h, RangeHash(node, begin, end));
      out->push_back(std::move(h));
    }
    return absl::OkStatus();
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    SMPTRACE_RETURN_IF_ERROR(SubProof(node, m, begin, begin + k, b, out));
    SMPTRACE_ASSIGN_OR_RETURN(std::string h, RangeHash(node, begin + k, end));
    out->push_back(std::move(h));
  } else {
    SMPTRACE_RETURN_IF_ERROR(
        SubProof(node, m - k, begin + k, end, /*b=*/false, out));
    SMPTRACE_ASSIGN_OR_RETURN(std::string h, RangeHash(node, begin, begin + k));
    out->push_back(std::move(h));
  }
  return absl::OkStatus();
}

absl::Status Mismatch(std::string what) {
  return absl::FailedPreconditionError(std::move(what));
}

}  // namespace

std::string TlogLeafData(uint64_t seq, std::string_view event) {
  std::string data;
  data.reserve(8 + event.size());
  keys::AppendUint64(&data, seq);
  data.append(event);
  return data;
}

std::string TlogLeafHash(std::string_view leaf_data) {
  return std::string(DigestView(Sha256Of({kTlogLeafPrefix, leaf_data})));
}

std::string TlogNodeHash(std::string_view left, std::string_view right) {
  return std::string(DigestView(TlogNodeDigest(left, right)));
}

Sha256Digest TlogNodeDigest(std::string_view left, std::string_view right) {
  return Sha256Of({kTlogNodePrefix, left, right});
}

std::array<Sha256Digest, 2> TlogNodeDigests(const Sha256Digest* children) {
  return Sha256OfTwo(
      {kTlogNodePrefix, DigestView(children[0]), DigestView(children[1])},
      {kTlogNodePrefix, DigestView(children[2]), DigestView(children[3])});
}

absl::StatusOr<std::string> TlogRoot(TlogNodeFn node, uint64_t size) {
  if (size == 0) return Sha256("");
  return RangeHash(node, 0, size);
}

absl::StatusOr<std::vector<std::string>> TlogInclusionProof(TlogNodeFn node,
                                                            uint64_t index,
                                                            uint64_t size) {
  if (index >= size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf index ", index, " is not in a tree of ", size,
                     " entries (indexes run from 0 to size - 1)"));
  }
  std::vector<std::string> out;
  SMPTRACE_RETURN_IF_ERROR(Path(node, index, 0, size, &out));
  return out;
}

absl::StatusOr<std::vector<std::string>> TlogConsistencyProof(
    TlogNodeFn node, uint64_t old_size, uint64_t new_size) {
  if (old_size > new_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("old_size: ", old_size, " is larger than new_size ",
                     new_size, "; a log only grows"));
  }
  std::vector<std::string> out;
  if (old_size == 0 || old_size == new_size) return out;
  SMPTRACE_RETURN_IF_ERROR(
      SubProof(node, old_size, 0, new_size, /*b=*/true, &out));
  return out;
}

absl::Status VerifyTlogInclusion(std::string_view leaf_hash, uint64_t index,
                                 uint64_t size,
                                 absl::Span<const std::string> proof,
                                 std::string_view root) {
  if (index >= size) {
    return Mismatch(absl::StrCat("leaf index ", index, " is outside a tree of ",
                                 size, " entries"));
  }
  uint64_t fn = index;
  uint64_t sn = size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) {
      return Mismatch(absl::StrCat("the inclusion proof has ", proof.size(),
                                   " hashes, more than a tree of ", size,
                                   " entries needs"));
    }
    if ((fn & 1) != 0 || fn == sn) {
      r = TlogNodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = TlogNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Mismatch(absl::StrCat("the inclusion proof has ", proof.size(),
                                 " hashes, too few for a tree of ", size,
                                 " entries"));
  }
  if (r != root) {
    return Mismatch(absl::StrCat(
        "the entry and its inclusion proof lead to root ", ToHex(r),
        ", not the checkpoint's ", ToHex(root),
        ": the entry differs from what the log holds at index ", index));
  }
  return absl::OkStatus();
}

absl::Status VerifyTlogConsistency(uint64_t old_size, uint64_t new_size,
                                   std::string_view old_root,
                                   std::string_view new_root,
                                   absl::Span<const std::string> proof) {
  if (old_size > new_size) {
    return Mismatch(absl::StrCat("the new tree (", new_size,
                                 " entries) is smaller than the old one (",
                                 old_size, "): the log was rolled back"));
  }
  if (old_size == new_size) {
    if (!proof.empty()) {
      return Mismatch("a proof between trees of the same size must be empty");
    }
    if (old_root != new_root) {
      return Mismatch(absl::StrCat(
          "two trees of ", old_size, " entries with different roots (",
          ToHex(old_root), ", ", ToHex(new_root), "): the log forked"));
    }
    return absl::OkStatus();
  }
  if (old_size == 0) {
    if (!proof.empty()) return Mismatch("a proof from the empty tree is empty");
    return absl::OkStatus();
  }
  if (proof.empty()) return Mismatch("the consistency proof is empty");
  std::vector<std::string> path;
  path.reserve(proof.size() + 1);
  if (IsPowerOfTwo(old_size)) path.emplace_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return Mismatch("the consistency proof has too many hashes");
    if ((fn & 1) != 0 || fn == sn) {
      fr = TlogNodeHash(c, fr);
      sr = TlogNodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = TlogNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Mismatch("the consistency proof has too few hashes");
  if (fr != old_root) {
    return Mismatch(
        absl::StrCat("the log's first ", old_size, " entries hash to ",
                     ToHex(fr), ", not the older checkpoint's root ",
                     ToHex(old_root), ": the log forked or was rewritten"));
  }
  if (sr != new_root) {
    return Mismatch(absl::StrCat(
        "the proof leads to root ", ToHex(sr),
        ", not the newer checkpoint's root ", ToHex(new_root),
        ": the log forked or was rewritten, or the proof is not for these "
        "two checkpoints"));
  }
  return absl::OkStatus();
}

std::string TlogEntryLeafHash(uint64_t seq, std::string_view event) {
  return std::string(DigestView(TlogEntryLeafDigest(seq, event)));
}

Sha256Digest TlogEntryLeafDigest(uint64_t seq, std::string_view event) {
  const std::array<char, 8> seq_bytes = keys::EncodeUint64(seq);
  return Sha256Of({kTlogLeafPrefix,
                   std::string_view(seq_bytes.data(), seq_bytes.size()),
                   event});
}

absl::StatusOr<TlogBuilder> TlogBuilder::Resume(TlogNodeFn node,
                                                uint64_t size) {
  TlogBuilder builder;
  builder.size_ = size;
  for (int level = 0; level < 64 && (size >> level) != 0; ++level) {
    if (((size >> level) & 1) == 0) continue;
    SMPTRACE_ASSIGN_OR_RETURN(std::string hash,
                              node(level, (size >> level) - 1));
    if (hash.size() != kHashSize) {
      return absl::DataLossError(absl::StrCat(
          "the Merkle tree's node (level ", level, ", index ",
          (size >> level) - 1, ") holds ", hash.size(), " bytes, not a hash"));
    }
    builder.frontier_.resize(level + 1);
    std::copy(hash.begin(), hash.end(), builder.frontier_[level].begin());
  }
  return builder;
}

void TlogBuilder::Add(std::string leaf_hash, EmitFn emit) {
  assert(leaf_hash.size() == kHashSize);
  Hash leaf;
  std::copy(leaf_hash.begin(), leaf_hash.end(), leaf.begin());
  Add(leaf, [&](int level, uint64_t index, const Hash& hash) {
    emit(level, index, std::string(DigestView(hash)));
  });
}

void TlogBuilder::Add(const Hash& leaf_hash, DigestEmitFn emit) {
  uint64_t index = size_++;
  int level = 0;
  Hash hash = leaf_hash;
  emit(level, index, hash);
  while ((index & 1) != 0) {
    hash = TlogNodeDigest(DigestView(frontier_[level]), DigestView(hash));
    index >>= 1;
    ++level;
    emit(level, index, hash);
  }
  if (frontier_.size() <= static_cast<size_t>(level)) {
    frontier_.resize(level + 1);
  }
  frontier_[level] = hash;
}

}  // namespace smptrace::storage
