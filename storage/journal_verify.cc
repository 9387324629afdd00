// VerifyJournal and VerifyTlog (journal.h, tlog.h): one pass that re-hashes
// the journal in ranges of 2^range_level entries on several threads and joins
// the ranges at their ends, then compares the Merkle tree's stored nodes with
// the recomputed ones by scanning them in key order.
//
// A range holds the leaves [r << K, (r + 1) << K) (K = range_level), so every
// complete subtree of level <= K lies inside one range and is checked there;
// the subtrees above K are built from the ranges' level-K roots at the end.
// The failure reported is the first in journal order, as a sequential pass
// would report it: chain damage first, then the head record, then the tree.
#include <algorithm>
#include <atomic>
#include <limits>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "storage/journal.h"
#include "storage/keys.h"
#include "storage/merkle.h"
#include "storage/tlog.h"

namespace smptrace::storage {
namespace {

struct Failure {
  bool failed = false;
  uint64_t seq = 0;
  JournalProblem problem = JournalProblem::kNone;
  std::string detail;

  void Set(uint64_t at, JournalProblem kind, std::string why) {
    failed = true;
    seq = at;
    problem = kind;
    detail = std::move(why);
  }
  // Keeps the earlier of the two.
  void Merge(Failure other) {
    if (other.failed && (!failed || other.seq < seq)) *this = std::move(other);
  }
};

// What one range found.
struct RangeResult {
  absl::Status error;  // could not read
  bool has_first = false;
  uint64_t first_seq = 0;
  bool has_first_entry = false;
  std::string first_prev_hash;
  uint64_t entries = 0;  // verified entries
  uint64_t last_seq = 0;
  std::string last_hash;
  Failure chain;          // the first damage inside the range
  Failure tree;           // the first wrong or missing node of level <= K
  bool complete = false;  // holds all 2^K leaves: root is its level-K node
  Sha256Digest root;
};

struct Plan {
  const Reader* reader;
  VerifyOptions options;
  bool check_chain;
  uint64_t first_seq;  // of range 0
  uint64_t ranges;
};

std::string TreeNodeDetail(int level, uint64_t index, std::string_view what) {
  return absl::StrCat("the Merkle tree's node (level ", level, ", index ",
                      index, ") ", ToAbsl(what), ": it first covers seq ",
                      (index + 1) << level);
}

// Compares the stored nodes of `level` from `first_index` on with `hashes`
// (consecutive), in one bounded scan.
absl::Status CompareLevel(const Reader& reader, int level, uint64_t first_index,
                          const std::vector<Sha256Digest>& hashes,
                          Failure* failure) {
  if (hashes.empty()) return absl::OkStatus();
  uint64_t index = first_index;
  const uint64_t end = first_index + hashes.size();
  auto mismatch = [&](std::string what) {
    Failure f;
    f.Set((index + 1) << level, JournalProblem::kTreeMismatch,
          TreeNodeDetail(level, index, what));
    failure->Merge(std::move(f));
  };
  SMPTRACE_RETURN_IF_ERROR(reader.ScanOnce(
      Cf::kTlog, TlogNodeKey(level, first_index), TlogNodeKey(level, end),
      [&](std::string_view key, std::string_view value) {
        const TlogNodeKeyBytes expected = EncodeTlogNodeKey(level, index);
        const std::string_view expected_key(expected.data(), expected.size());
        if (key != expected_key) {
          mismatch(key > expected_key
                       ? std::string("is missing")
                       : absl::StrCat("is followed by a key of ", key.size(),
                                      " bytes that is no node"));
          return false;
        }
        const std::string_view hash = DigestView(hashes[index - first_index]);
        if (value != hash) {
          mismatch(absl::StrCat("is ", ToHex(value),
                                " but the entries hash to ", ToHex(hash)));
          return false;
        }
        ++index;
        return true;
      }));
  if (!failure->failed && index < end) mismatch("is missing");
  return absl::OkStatus();
}

RangeResult VerifyRange(const Plan& plan, uint64_t r) {
  RangeResult out;
  const VerifyOptions& o = plan.options;
  const uint64_t size = uint64_t{1} << o.range_level;
  const uint64_t first = plan.first_seq + r * size;
  // The first range also sees keys before seq 1, the last one every key
  // after the head record's seq: damage there is named too.
  const std::string begin =
      r == 0 && plan.first_seq == 1 ? "" : keys::JournalKey(first);
  const std::string end =
      r + 1 == plan.ranges ? "" : keys::JournalKey(first + size);
  const bool tree = o.check_tree;
  // The nodes this range's entries make, by level, and the last entry's
  // hash: digests by value, so an entry costs no allocation of its own.
  std::vector<std::vector<Sha256Digest>> levels(tree ? o.range_level + 1 : 0);
  if (tree) levels[0].reserve(size);
  Sha256Digest prev_hash{};
  uint64_t prev_seq = first - 1;

  out.error = plan.reader->ScanOnce(
      Cf::kJournal, begin, end,
      [&](std::string_view key, std::string_view value) {
        auto seq = keys::DecodeJournalKey(key);
        if (!seq.ok()) {
          out.chain.Set(
              prev_seq + 1, JournalProblem::kUnreadable,
              absl::StrCat("after seq ", prev_seq,
                           " a journal key is not a sequence number (",
                           key.size(), " bytes)"));
          return false;
        }
        if (!out.has_first) {
          out.has_first = true;
          out.first_seq = *seq;
        } else if (*seq != prev_seq + 1) {
          out.chain.Set(prev_seq + 1, JournalProblem::kGap,
                        absl::StrCat("seq ", prev_seq + 1, " is missing: seq ",
                                     prev_seq, " is followed by seq ", *seq));
          return false;
        }
        JournalEntryView entry;
        if (!DecodeJournalEntry(*seq, value, &entry)) {
          out.chain.Set(*seq, JournalProblem::kUnreadable,
                        absl::StrCat("seq ", *seq, " holds ", value.size(),
                                     " bytes, too few for an entry"));
          return false;
        }
        if (!out.has_first_entry) {
          out.has_first_entry = true;
          out.first_prev_hash = std::string(entry.prev_hash);
        } else if (plan.check_chain &&
                   entry.prev_hash != DigestView(prev_hash)) {
          out.chain.Set(
              *seq, JournalProblem::kBrokenLink,
              absl::StrCat("seq ", *seq, " links to ", ToHex(entry.prev_hash),
                           " but seq ", prev_seq, " has hash ",
                           ToHex(DigestView(prev_hash))));
          return false;
        }
        if (plan.check_chain) {
          Sha256Digest hash;
          if (tree) {
            const JournalEntryDigests both =
                DigestJournalEntry(entry.prev_hash, *seq, entry.event);
            hash = both.entry;
            levels[0].push_back(both.leaf);
          } else {
            hash = JournalEntryDigest(entry.prev_hash, *seq, entry.event);
          }
          if (DigestView(hash) != entry.hash) {
            out.chain.Set(
                *seq, JournalProblem::kHashMismatch,
                absl::StrCat("seq ", *seq, " stores hash ", ToHex(entry.hash),
                             " but its bytes hash to ",
                             ToHex(DigestView(hash))));
            return false;
          }
        } else if (tree) {
          levels[0].push_back(TlogEntryLeafDigest(*seq, entry.event));
        }
        prev_seq = *seq;
        // DecodeJournalEntry's hash is kHashSize bytes.
        std::copy(entry.hash.begin(), entry.hash.end(), prev_hash.begin());
        ++out.entries;
        return true;
      });
  if (out.entries > 0) {
    out.last_seq = prev_seq;
    out.last_hash = std::string(DigestView(prev_hash));
  }
  if (!out.error.ok() || out.chain.failed || !tree) return out;
  if (out.has_first && out.first_seq != first) return out;  // a gap: chain
  // Each level's complete pairs make the level above (the range starts at
  // a multiple of 2^K, so every level's first node is a left child), two
  // parents at a time.
  for (int level = 0; level < o.range_level; ++level) {
    const std::vector<Sha256Digest>& children = levels[level];
    std::vector<Sha256Digest>& parents = levels[level + 1];
    parents.resize(children.size() / 2);
    size_t i = 0;
    for (; i + 1 < parents.size(); i += 2) {
      const auto two = TlogNodeDigests(&children[2 * i]);
      parents[i] = two[0];
      parents[i + 1] = two[1];
    }
    if (i < parents.size()) {
      parents[i] = TlogNodeDigest(DigestView(children[2 * i]),
                                  DigestView(children[2 * i + 1]));
    }
  }
  // Leaves are not stored (tlog.h): the nodes from level 1 up are.
  const uint64_t first_leaf = first - 1;
  for (int level = 1; level <= o.range_level; ++level) {
    out.error = CompareLevel(*plan.reader, level, first_leaf >> level,
                             levels[level], &out.tree);
    if (!out.error.ok()) return out;
  }
  out.complete = out.entries == size;
  if (out.complete) out.root = levels[o.range_level].front();
  return out;
}

struct Outcome {
  JournalVerification chain;
  Failure tree;
  uint64_t leaves = 0;
};

// The pass both VerifyJournal and VerifyTlog make.
absl::StatusOr<Outcome> Run(const Reader& reader, VerifyOptions options,
                            bool check_chain) {
  if (options.from.seq != 0 && options.check_tree) {
    return absl::InvalidArgumentError(
        "a verification from a mark cannot check the Merkle tree");
  }
  options.range_level = std::clamp(options.range_level, 1, 30);
  Outcome out;
  JournalVerification& v = out.chain;
  v.good_head.seq = options.from.seq;
  v.good_head.hash = options.from.hash;
  auto fail = [&v](uint64_t seq, JournalProblem problem, std::string detail) {
    v.ok = false;
    v.first_bad_seq = seq;
    v.problem = problem;
    v.detail = std::move(detail);
  };

  if (options.from.seq != 0) {
    // The mark's own entry must still be what was verified.
    SMPTRACE_ASSIGN_OR_RETURN(
        auto stored,
        reader.Get(Cf::kJournal, keys::JournalKey(options.from.seq)));
    JournalEntryView entry;
    if (!stored.has_value() ||
        !DecodeJournalEntry(options.from.seq, *stored, &entry) ||
        entry.hash != options.from.hash) {
      fail(options.from.seq, JournalProblem::kHashMismatch,
           absl::StrCat("seq ", options.from.seq, " ",
                        stored.has_value() ? "no longer holds the hash "
                                           : "is gone; it held the hash ",
                        ToHex(options.from.hash),
                        " when the journal was last verified whole"));
      return out;
    }
  }

  // Ranges up to the head record's seq (the last one open-ended).
  uint64_t head_seq = 0;
  if (auto head = ReadJournalHead(reader); head.ok()) head_seq = head->seq;
  const uint64_t size = uint64_t{1} << options.range_level;
  Plan plan{&reader, options, check_chain, options.from.seq + 1, 1};
  if (head_seq > options.from.seq) {
    plan.ranges = (head_seq - options.from.seq + size - 1) / size;
  }
  std::vector<RangeResult> results(plan.ranges);
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::thread::hardware_concurrency());
  threads = static_cast<int>(std::clamp<uint64_t>(
      static_cast<uint64_t>(std::max(threads, 1)), 1, plan.ranges));
  std::atomic<uint64_t> next{0};
  // Ranges after the first damaged one need not be read.
  std::atomic<uint64_t> stop_after{std::numeric_limits<uint64_t>::max()};
  auto work = [&] {
    for (;;) {
      const uint64_t r = next.fetch_add(1);
      if (r >= plan.ranges || r > stop_after.load()) return;
      if (options.cancelled && options.cancelled()) {
        results[r].error = absl::CancelledError("verification cancelled");
      } else {
        results[r] = VerifyRange(plan, r);
      }
      if (!results[r].error.ok() || results[r].chain.failed) {
        uint64_t seen = stop_after.load();
        while (r < seen && !stop_after.compare_exchange_weak(seen, r)) {
        }
      }
    }
  };
  std::vector<std::thread> helpers;
  for (int i = 1; i < threads; ++i) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();

  // Join the ranges in order.
  const uint64_t last = std::min<uint64_t>(plan.ranges - 1, stop_after.load());
  for (uint64_t r = 0; r <= last; ++r) {
    RangeResult& range = results[r];
    SMPTRACE_RETURN_IF_ERROR(range.error);
    if (range.has_first && range.first_seq != v.good_head.seq + 1) {
      fail(v.good_head.seq + 1, JournalProblem::kGap,
           absl::StrCat("seq ", v.good_head.seq + 1, " is missing: seq ",
                        v.good_head.seq, " is followed by seq ",
                        range.first_seq));
      return out;
    }
    if (range.has_first_entry && check_chain &&
        range.first_prev_hash != v.good_head.hash) {
      fail(
          range.first_seq, JournalProblem::kBrokenLink,
          absl::StrCat("seq ", range.first_seq, " links to ",
                       ToHex(range.first_prev_hash), " but seq ",
                       v.good_head.seq, " has hash ", ToHex(v.good_head.hash)));
      return out;
    }
    if (range.entries > 0) {
      v.good_head.seq = range.last_seq;
      v.good_head.hash = range.last_hash;
      v.entries += range.entries;
    }
    if (range.chain.failed) {
      fail(range.chain.seq, range.chain.problem, range.chain.detail);
      return out;
    }
  }
  out.leaves = v.good_head.seq;
  v.good_head.tlog_edge.reset();

  if (check_chain) {
    auto head = ReadJournalHead(reader);
    if (!head.ok()) {
      fail(v.good_head.seq, JournalProblem::kUnreadable,
           std::string(head.status().message()));
      return out;
    }
    if (head->seq != v.good_head.seq || head->hash != v.good_head.hash) {
      fail(std::min(head->seq, v.good_head.seq + 1),
           JournalProblem::kHeadMismatch,
           absl::StrCat("the journal ends at seq ", v.good_head.seq,
                        " but the head record says seq ", head->seq, " (hash ",
                        ToHex(head->hash), ")"));
      return out;
    }
  }
  if (!options.check_tree) return out;

  // The tree: nodes inside the ranges, then above them, then nothing else.
  Failure& tree = out.tree;
  for (const RangeResult& range : results) tree.Merge(range.tree);
  const int k = options.range_level;
  std::vector<std::vector<Sha256Digest>> upper;
  TlogBuilder roots;
  for (const RangeResult& range : results) {
    if (!range.complete) break;
    roots.Add(range.root, [&](int level, uint64_t, const Sha256Digest& hash) {
      if (level == 0) return;  // the range's own root, compared already
      if (upper.size() < static_cast<size_t>(level)) upper.resize(level);
      upper[level - 1].push_back(hash);
    });
  }
  for (size_t i = 0; i < upper.size(); ++i) {
    SMPTRACE_RETURN_IF_ERROR(
        CompareLevel(reader, k + 1 + static_cast<int>(i), 0, upper[i], &tree));
  }
  // No node beyond those the entries make, no stored leaf, and no key that
  // is no node.
  const uint64_t n = out.leaves;
  auto extra = [&](std::string_view begin, std::string_view end,
                   std::string_view why) {
    return reader.ScanOnce(
        Cf::kTlog, begin, end, [&](std::string_view key, std::string_view) {
          Failure f;
          f.Set(n + 1, JournalProblem::kTreeMismatch,
                absl::StrCat("the Merkle tree holds a key (", ToHex(key),
                             ") that the journal's ", n,
                             " entries do not make: ", ToAbsl(why)));
          tree.Merge(std::move(f));
          return false;
        });
  };
  SMPTRACE_RETURN_IF_ERROR(extra(
      "", TlogNodeKey(1, 0),
      "a leaf's hash is its journal entry's and is not stored (level 0)"));
  for (int level = 1; level < 64; ++level) {
    SMPTRACE_RETURN_IF_ERROR(
        extra(TlogNodeKey(level, n >> level), TlogNodeKey(level + 1, 0),
              "it has nodes for entries the journal lacks"));
  }
  SMPTRACE_RETURN_IF_ERROR(extra(TlogNodeKey(64, 0), "",
                                 "it has nodes for entries the journal lacks"));
  return out;
}

}  // namespace

absl::StatusOr<JournalVerification> VerifyJournal(
    const Reader& reader, const VerifyOptions& options) {
  SMPTRACE_ASSIGN_OR_RETURN(Outcome out,
                            Run(reader, options, /*check_chain=*/true));
  JournalVerification v = std::move(out.chain);
  if (v.ok && out.tree.failed) {
    v.ok = false;
    v.first_bad_seq = out.tree.seq;
    v.problem = JournalProblem::kTreeMismatch;
    v.detail = std::move(out.tree.detail);
  }
  return v;
}

absl::StatusOr<TlogVerification> VerifyTlog(const Reader& reader,
                                            const VerifyOptions& options) {
  VerifyOptions tree_options = options;
  tree_options.from = JournalHead();
  tree_options.check_tree = true;
  SMPTRACE_ASSIGN_OR_RETURN(Outcome out,
                            Run(reader, tree_options, /*check_chain=*/false));
  TlogVerification v;
  v.leaves = out.leaves;
  Failure failure = std::move(out.tree);
  if (!out.chain.ok) {
    failure.Set(
        out.chain.first_bad_seq, JournalProblem::kTreeMismatch,
        absl::StrCat("the tree cannot be recomputed: ", out.chain.detail));
  }
  if (failure.failed) {
    v.ok = false;
    v.first_bad_seq = failure.seq;
    v.detail = std::move(failure.detail);
  }
  return v;
}

}  // namespace smptrace::storage
