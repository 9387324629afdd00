// The journal's Merkle tree against RFC 6962 / RFC 9162 computed here, from
// the RFC's own recursive definitions (MTH, PATH, PROOF/SUBPROOF) over the
// leaves' bytes: every entry and every pair of sizes of random trees up to
// 64 leaves and a few large ones; the stored tree (nodes written with each
// journal append, in its write batch) against the same; and the verifiers'
// refusals.
#include "storage/tlog.h"

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/journal.h"
#include "storage/keys.h"
#include "storage/merkle.h"
#include "storage/store.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

using ::smptrace::testing::IsOk;
using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;
using Leaves = std::vector<std::string>;  // leaf data, not hashes

// ---- RFC 6962 section 2.1, written from its text --------------------------

std::string H(const std::string& data) { return Sha256(data); }

// The largest power of two smaller than n.
size_t K(size_t n) {
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Leaves Slice(const Leaves& d, size_t from, size_t to) {
  return Leaves(d.begin() + from, d.begin() + to);
}

std::string Mth(const Leaves& d) {
  if (d.empty()) return H("");
  if (d.size() == 1) return H(std::string(1, '\0') + d[0]);
  const size_t k = K(d.size());
  return H(std::string(1, '\x01') + Mth(Slice(d, 0, k)) +
           Mth(Slice(d, k, d.size())));
}

std::vector<std::string> NaivePath(size_t m, const Leaves& d) {
  if (d.size() <= 1) return {};
  const size_t k = K(d.size());
  std::vector<std::string> out;
  if (m < k) {
    out = NaivePath(m, Slice(d, 0, k));
    out.push_back(Mth(Slice(d, k, d.size())));
  } else {
    out = NaivePath(m - k, Slice(d, k, d.size()));
    out.push_back(Mth(Slice(d, 0, k)));
  }
  return out;
}

std::vector<std::string> SubProof(size_t m, const Leaves& d, bool b) {
  if (m == d.size()) {
    if (b) return {};
    return {Mth(d)};
  }
  const size_t k = K(d.size());
  std::vector<std::string> out;
  if (m <= k) {
    out = SubProof(m, Slice(d, 0, k), b);
    out.push_back(Mth(Slice(d, k, d.size())));
  } else {
    out = SubProof(m - k, Slice(d, k, d.size()), false);
    out.push_back(Mth(Slice(d, 0, k)));
  }
  return out;
}

std::vector<std::string> NaiveProof(size_t m, const Leaves& d) {
  return SubProof(m, d, true);
}

// ---------------------------------------------------------------------------

Leaves RandomLeaves(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Leaves out;
  for (size_t i = 0; i < n; ++i) {
    std::string leaf(rng() % 40, '\0');
    for (char& c : leaf) c = static_cast<char>(rng());
    out.push_back(TlogLeafData(i + 1, leaf));
  }
  return out;
}

// The complete subtrees of `d`, as the builder reports them.
struct Nodes {
  std::map<std::pair<int, uint64_t>, std::string> map;
  absl::StatusOr<std::string> operator()(int level, uint64_t index) const {
    auto it = map.find({level, index});
    if (it == map.end()) return absl::NotFoundError("no such node");
    return it->second;
  }
};
Nodes Build(const Leaves& d) {
  Nodes nodes;
  TlogBuilder builder;
  for (const std::string& leaf : d) {
    builder.Add(TlogLeafHash(leaf),
                [&](int level, uint64_t index, const std::string& hash) {
                  nodes.map[{level, index}] = hash;
                });
  }
  return nodes;
}

TEST(TlogHashes, AreRfc6962s) {
  EXPECT_EQ(TlogLeafHash("abc"), Sha256(std::string("\0abc", 4)));
  EXPECT_EQ(TlogNodeHash("l", "r"), Sha256("\x01lr"));
  EXPECT_EQ(TlogLeafData(0x0102, "ev"), std::string("\0\0\0\0\0\0\x01\x02"
                                                    "ev",
                                                    10));
  // RFC 6962's empty tree: SHA-256 of the empty string.
  EXPECT_EQ(ToHex(*TlogRoot(Nodes(), 0)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(TlogProofs, MatchTheRfcForEveryEntryAndEveryPairOfSizesUpTo64) {
  for (uint32_t seed : {1u, 2u}) {
    const Leaves all = RandomLeaves(64, seed);
    const Nodes nodes = Build(all);
    for (size_t n = 1; n <= all.size(); ++n) {
      const Leaves d = Slice(all, 0, n);
      const std::string root = Mth(d);
      ASSERT_EQ(*TlogRoot(nodes, n), root) << "size " << n;
      for (size_t i = 0; i < n; ++i) {
        auto path = TlogInclusionProof(nodes, i, n);
        ASSERT_TRUE(path.ok()) << path.status();
        ASSERT_EQ(*path, NaivePath(i, d)) << "index " << i << " size " << n;
        ASSERT_THAT(VerifyTlogInclusion(TlogLeafHash(d[i]), i, n, *path, root),
                    IsOk())
            << "index " << i << " size " << n;
      }
      for (size_t m = 1; m <= n; ++m) {
        auto proof = TlogConsistencyProof(nodes, m, n);
        ASSERT_TRUE(proof.ok()) << proof.status();
        if (m < n) {
          ASSERT_EQ(*proof, NaiveProof(m, d)) << m << " " << n;
        }
        ASSERT_THAT(
            VerifyTlogConsistency(m, n, Mth(Slice(d, 0, m)), root, *proof),
            IsOk())
            << m << " -> " << n;
      }
    }
  }
}

TEST(TlogProofs, MatchTheRfcInLargeTrees) {
  const Leaves all = RandomLeaves(5000, 7);
  const Nodes nodes = Build(all);
  std::mt19937 rng(11);
  for (size_t n : {1023u, 1024u, 1025u, 4097u, 5000u}) {
    const Leaves d = Slice(all, 0, n);
    const std::string root = Mth(d);
    ASSERT_EQ(*TlogRoot(nodes, n), root);
    for (int trial = 0; trial < 5; ++trial) {
      const size_t i = rng() % n;
      auto path = TlogInclusionProof(nodes, i, n);
      ASSERT_TRUE(path.ok());
      EXPECT_EQ(*path, NaivePath(i, d));
      EXPECT_THAT(VerifyTlogInclusion(TlogLeafHash(d[i]), i, n, *path, root),
                  IsOk());
      const size_t m = 1 + rng() % n;
      auto proof = TlogConsistencyProof(nodes, m, n);
      ASSERT_TRUE(proof.ok());
      if (m < n) {
        EXPECT_EQ(*proof, NaiveProof(m, d));
      }
      EXPECT_THAT(
          VerifyTlogConsistency(m, n, Mth(Slice(d, 0, m)), root, *proof),
          IsOk());
    }
  }
}

TEST(TlogProofs, AChangedEntryOrProofFailsInclusion) {
  const Leaves d = RandomLeaves(21, 5);
  const Nodes nodes = Build(d);
  const std::string root = Mth(d);
  const std::vector<std::string> path = *TlogInclusionProof(nodes, 6, 21);
  // The entry changed.
  EXPECT_THAT(
      VerifyTlogInclusion(TlogLeafHash(d[6] + "x"), 6, 21, path, root),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("differs from what the log holds at index 6")));
  // Another entry's place, a changed hash, one hash short or extra.
  EXPECT_FALSE(VerifyTlogInclusion(TlogLeafHash(d[6]), 7, 21, path, root).ok());
  std::vector<std::string> changed = path;
  changed[2][0] ^= 1;
  EXPECT_FALSE(
      VerifyTlogInclusion(TlogLeafHash(d[6]), 6, 21, changed, root).ok());
  std::vector<std::string> shorter(path.begin(), path.end() - 1);
  EXPECT_THAT(
      VerifyTlogInclusion(TlogLeafHash(d[6]), 6, 21, shorter, root),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("too few")));
  std::vector<std::string> longer = path;
  longer.push_back(root);
  EXPECT_FALSE(
      VerifyTlogInclusion(TlogLeafHash(d[6]), 6, 21, longer, root).ok());
  EXPECT_FALSE(
      VerifyTlogInclusion(TlogLeafHash(d[6]), 21, 21, path, root).ok());
}

TEST(TlogProofs, AForkedLogFailsConsistency) {
  // Two logs equal up to entry 12, different from entry 13 on.
  Leaves a = RandomLeaves(40, 3);
  Leaves b = a;
  b[12] = TlogLeafData(13, "another event");
  const Nodes nodes_b = Build(b);
  for (size_t m : {13u, 20u, 32u}) {
    const std::string old_root_a = Mth(Slice(a, 0, m));
    auto proof = TlogConsistencyProof(nodes_b, m, 40);
    ASSERT_TRUE(proof.ok());
    EXPECT_THAT(VerifyTlogConsistency(m, 40, old_root_a, Mth(b), *proof),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("the log forked or was rewritten")))
        << m;
  }
  // Before the fork they agree.
  auto proof = TlogConsistencyProof(nodes_b, 12, 40);
  EXPECT_THAT(
      VerifyTlogConsistency(12, 40, Mth(Slice(a, 0, 12)), Mth(b), *proof),
      IsOk());
  // Same size, different roots.
  EXPECT_THAT(
      VerifyTlogConsistency(40, 40, Mth(a), Mth(b), {}),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("forked")));
  // A rolled-back log: the "newer" tree is smaller.
  EXPECT_THAT(VerifyTlogConsistency(30, 20, Mth(Slice(a, 0, 30)),
                                    Mth(Slice(a, 0, 20)), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("rolled back")));
}

// ---- the stored tree -------------------------------------------------------

class StoredTlogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  // Appends `events` in one commit (a group), as the ledger does.
  void AppendGroup(const std::vector<std::string>& events) {
    auto txn = store_->BeginWrite();
    for (const std::string& event : events) {
      auto next = AppendJournalEntry(*txn, head_, event);
      ASSERT_TRUE(next.ok()) << next.status();
      head_ = *std::move(next);
      leaves_.push_back(TlogLeafData(head_.seq, event));
    }
    ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  }

  // Appends events "e1".."e<n>" in one group.
  void AppendNumbered(int n) {
    std::vector<std::string> group;
    for (int i = 1; i <= n; ++i) group.push_back("e" + std::to_string(i));
    AppendGroup(group);
  }
  static VerifyOptions SmallRanges() {
    VerifyOptions ranges;
    ranges.range_level = 2;
    ranges.threads = 3;
    return ranges;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  JournalHead head_;
  Leaves leaves_;
};

TEST_F(StoredTlogTest, AppendsKeepTheTreeOfTheEntriesInTheirWriteBatch) {
  std::mt19937 rng(4);
  int next = 1;
  while (leaves_.size() < 45) {
    std::vector<std::string> group;
    for (int i = 0, n = 1 + rng() % 5; i < n; ++i) {
      group.push_back("event-" + std::to_string(next++));
    }
    AppendGroup(group);
  }
  for (size_t n = 1; n <= leaves_.size(); ++n) {
    const Leaves d = Slice(leaves_, 0, n);
    ASSERT_EQ(*ReadTlogRoot(store_->live(), n), Mth(d)) << n;
    for (size_t i = 0; i < n; i += 7) {
      EXPECT_EQ(*ReadTlogInclusionProof(store_->live(), i, n), NaivePath(i, d));
    }
    for (size_t m = 1; m < n; m += 5) {
      EXPECT_EQ(*ReadTlogConsistencyProof(store_->live(), m, n),
                NaiveProof(m, d));
    }
  }
  auto v = VerifyJournal(store_->live());
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok) << v->detail;
}

TEST_F(StoredTlogTest, ACommandRolledBackLeavesNoNodes) {
  AppendGroup({"event-1", "event-2", "event-3"});
  auto txn = store_->BeginWrite();
  txn->SetSavePoint();
  ASSERT_TRUE(AppendJournalEntry(*txn, head_, "event-4").ok());
  txn->RollbackToSavePoint();
  ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  AppendGroup({"event-4"});
  EXPECT_EQ(*ReadTlogRoot(store_->live(), 4), Mth(leaves_));
  EXPECT_TRUE(VerifyJournal(store_->live())->ok);
}

TEST_F(StoredTlogTest, VerifyNamesTheFirstEntryOfADamagedNode) {
  AppendGroup({"e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"});
  // Level 1, index 2 covers leaves 4 and 5: seq 5 and 6.
  auto txn = store_->BeginWrite();
  txn->Put(Cf::kTlog, TlogNodeKey(1, 2), std::string(kHashSize, 'x'));
  ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  auto v = VerifyJournal(store_->live());
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->problem, JournalProblem::kTreeMismatch);
  EXPECT_EQ(v->first_bad_seq, 6u);
  EXPECT_THAT(v->detail, HasSubstr("(level 1, index 2)"));
}

TEST_F(StoredTlogTest, VerifyCatchesNodesBeyondTheJournal) {
  AppendGroup({"e1", "e2", "e3", "e4", "e5"});
  auto txn = store_->BeginWrite();
  txn->Put(Cf::kTlog, TlogNodeKey(1, 2), std::string(kHashSize, 'x'));
  ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  auto v = VerifyJournal(store_->live());
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->problem, JournalProblem::kTreeMismatch);
  EXPECT_THAT(v->detail, HasSubstr("nodes for entries the journal lacks"));
}

TEST_F(StoredTlogTest, AMissingSiblingIsDataLossNotAWrongTree) {
  AppendGroup({"e1", "e2", "e3"});
  // A head read from the store has no edge: appending seq 4 (leaf 3) reads
  // its siblings, the node over leaves 0 and 1 and leaf 2, which is seq 3's
  // hash.
  JournalHead read = *ReadJournalHead(store_->live());
  auto txn = store_->BeginWrite();
  txn->Delete(Cf::kTlog, TlogNodeKey(1, 0));
  ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  auto write = store_->BeginWrite();
  EXPECT_THAT(AppendJournalEntry(*write, read, "e4").status(),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("(level 1, index 0) is missing")));
  EXPECT_THAT(LoadTlogEdge(store_->live(), &read),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("(level 1, index 0) is missing")));

  txn = store_->BeginWrite();
  txn->Delete(Cf::kJournal, keys::JournalKey(3));
  ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  write = store_->BeginWrite();
  EXPECT_THAT(AppendJournalEntry(*write, read, "e4").status(),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("leaf 2 is journal entry seq 3, which is "
                                 "missing")));
  EXPECT_THAT(ReadTlogInclusionProof(store_->live(), 0, 3),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("seq 3")));
}

// The right edge carried by the head: an append reads no stored node, so it
// goes through even with its left siblings deleted from the store, and the
// tree it writes is the RFC's.
TEST_F(StoredTlogTest, AnAppendFromTheEdgeReadsNoStoredNode) {
  AppendGroup({"e1", "e2", "e3"});
  ASSERT_TRUE(head_.tlog_edge.has_value());
  // Leaf 2 is seq 3's hash: its entry goes too.
  const std::string entry3 =
      **store_->live().Get(Cf::kJournal, keys::JournalKey(3));
  const std::string pair0 = **store_->live().Get(Cf::kTlog, TlogNodeKey(1, 0));
  auto txn = store_->BeginWrite();
  txn->Delete(Cf::kJournal, keys::JournalKey(3));
  txn->Delete(Cf::kTlog, TlogNodeKey(1, 0));
  ASSERT_THAT(store_->Commit(*txn, true), IsOk());

  AppendGroup({"e4"});
  txn = store_->BeginWrite();
  txn->Put(Cf::kJournal, keys::JournalKey(3), entry3);
  txn->Put(Cf::kTlog, TlogNodeKey(1, 0), pair0);
  ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  EXPECT_EQ(*ReadTlogRoot(store_->live(), 4), Mth(leaves_));
  EXPECT_TRUE(VerifyJournal(store_->live())->ok);
}

TEST_F(StoredTlogTest, TheEdgeLoadedFromTheStoreContinuesTheSameTree) {
  AppendNumbered(21);
  JournalHead read = *ReadJournalHead(store_->live());
  EXPECT_FALSE(read.tlog_edge.has_value());
  ASSERT_THAT(LoadTlogEdge(store_->live(), &read), IsOk());
  ASSERT_EQ(read.tlog_edge->size(), 21u);
  head_ = read;
  AppendGroup({"e22", "e23", "e24"});
  EXPECT_EQ(*ReadTlogRoot(store_->live(), 24), Mth(leaves_));
  EXPECT_TRUE(VerifyJournal(store_->live())->ok);
}

// The tree checked in ranges of 4 leaves on 3 threads: every damaged or
// missing node, inside a range or above them, is named at the last entry it
// covers; nodes the entries do not make are found wherever they are.
TEST_F(StoredTlogTest, VerifyInRangesNamesTheFirstEntryOfEveryDamagedNode) {
  AppendNumbered(37);
  const VerifyOptions ranges = SmallRanges();
  // Level 0, the leaves, is the journal's entries (RangedVerifyTest).
  for (int level = 1; (37 >> level) != 0; ++level) {
    for (uint64_t index = 0; index < (37u >> level); ++index) {
      const std::string key = TlogNodeKey(level, index);
      const std::string original = **store_->live().Get(Cf::kTlog, key);
      const std::string where =
          absl::StrCat("(level ", level, ", index ", index, ")");
      for (bool remove : {false, true}) {
        auto txn = store_->BeginWrite();
        if (remove) {
          txn->Delete(Cf::kTlog, key);
        } else {
          txn->Put(Cf::kTlog, key, std::string(kHashSize, 'x'));
        }
        ASSERT_THAT(store_->Commit(*txn, true), IsOk());
        auto v = VerifyJournal(store_->live(), ranges);
        ASSERT_THAT(v, IsOk());
        EXPECT_FALSE(v->ok) << where;
        EXPECT_EQ(v->problem, JournalProblem::kTreeMismatch) << where;
        EXPECT_EQ(v->first_bad_seq, (index + 1) << level) << where;
        EXPECT_THAT(v->detail, HasSubstr(where));
        EXPECT_THAT(v->detail, HasSubstr(remove ? "is missing" : "is 7878"));
        auto tree = VerifyTlog(store_->live(), ranges);
        ASSERT_THAT(tree, IsOk());
        EXPECT_EQ(tree->first_bad_seq, (index + 1) << level) << where;
        txn = store_->BeginWrite();
        txn->Put(Cf::kTlog, key, original);
        ASSERT_THAT(store_->Commit(*txn, true), IsOk());
      }
    }
  }
  auto v = VerifyJournal(store_->live(), ranges);
  EXPECT_TRUE(v->ok) << v->detail;
  auto tree = VerifyTlog(store_->live(), ranges);
  EXPECT_TRUE(tree->ok) << tree->detail;
  EXPECT_EQ(tree->leaves, 37u);
}

TEST_F(StoredTlogTest, VerifyInRangesCatchesEveryNodeBeyondTheJournal) {
  AppendNumbered(37);
  const VerifyOptions ranges = SmallRanges();
  for (const std::string& key :
       {TlogNodeKey(0, 37), TlogNodeKey(0, 5), TlogNodeKey(1, 18),
        TlogNodeKey(3, 4), TlogNodeKey(6, 0), TlogNodeKey(1, 2) + "x",
        std::string("\x00", 1)}) {
    auto txn = store_->BeginWrite();
    txn->Put(Cf::kTlog, key, std::string(kHashSize, 'x'));
    ASSERT_THAT(store_->Commit(*txn, true), IsOk());
    auto v = VerifyJournal(store_->live(), ranges);
    ASSERT_THAT(v, IsOk());
    EXPECT_FALSE(v->ok) << ToHex(key);
    EXPECT_EQ(v->problem, JournalProblem::kTreeMismatch);
    txn = store_->BeginWrite();
    txn->Delete(Cf::kTlog, key);
    ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  }
  EXPECT_TRUE(VerifyJournal(store_->live(), ranges)->ok);
}

// The format 3 upgrade writes the tree in bounded batches, each its own
// commit, and ends with the same tree as the appends made.
TEST_F(StoredTlogTest, TheUpgradeBuildsTheTreeInBatches) {
  AppendNumbered(10);
  auto txn = store_->BeginWrite();
  ASSERT_THAT(store_->live().Scan(Cf::kTlog, "", "",
                                  [&](std::string_view key, std::string_view) {
                                    txn->Delete(Cf::kTlog, key);
                                    return true;
                                  }),
              IsOk());
  ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  ASSERT_FALSE(VerifyJournal(store_->live())->ok);

  ASSERT_THAT(BuildTlog(*store_, /*batch_entries=*/3), IsOk());
  EXPECT_EQ(*ReadTlogRoot(store_->live(), 10), Mth(leaves_));
  EXPECT_TRUE(VerifyJournal(store_->live())->ok);
}

}  // namespace
}  // namespace smptrace::storage
