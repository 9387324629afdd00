// Data format versions: a new store records the current one, a newer store
// is refused, an older one is upgraded step by step after a copy of it is
// made, and a store written by the format-1 build opens.
#include "storage/upgrades.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/journal.h"
#include "storage/keys.h"
#include "storage/store.h"
#include "storage/tlog.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

namespace fs = std::filesystem;
using ::smptrace::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

uint64_t StoredFormat(const Store& store) {
  auto stored = store.live().Get(Cf::kMeta, keys::kSchemaVersionKey);
  EXPECT_TRUE(stored.ok() && stored->has_value());
  keys::KeyReader r(**stored);
  uint64_t version = 0;
  EXPECT_TRUE(r.ReadUint64(&version) && r.done());
  return version;
}

// Each journal entry's leaf hash, computed here from the stored event
// bytes: H(0x00 || seq (8 bytes big-endian) || event), RFC 6962.
std::vector<std::string> LeafHashes(const Reader& reader) {
  std::vector<std::string> leaves;
  EXPECT_THAT(ForEachJournalEntry(reader, 1,
                                  [&](const JournalEntryView& e) {
                                    std::string leaf(1, '\0');
                                    keys::AppendUint64(&leaf, e.seq);
                                    leaf.append(e.event);
                                    leaves.push_back(Sha256(leaf));
                                    return true;
                                  }),
              testing::IsOk());
  return leaves;
}

// A copy of tests/testdata/`name` in dir/data (see its README.md), opened
// by this build; null when it does not open.
std::unique_ptr<Store> OpenFixture(const testing::TempDir& dir,
                                   const std::string& name) {
  const std::string data = dir.Sub("data");
  fs::copy(SMPTRACE_SOURCE_DIR "/tests/testdata/" + name, data);
  fs::remove(data + "/README.md");
  auto store = Store::Open(data, {});
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// Writes what a format-1 build left: meta "schema_version" 1 and no format
// history (the only difference between formats 1 and 2), plus one record
// of ours to follow through the upgrade.
void MakeFormat1Store(const std::string& dir) {
  auto store = Store::Open(dir, {});
  ASSERT_TRUE(store.ok()) << store.status();
  auto txn = (*store)->BeginWrite();
  std::string v1;
  keys::AppendUint64(&v1, 1);
  txn->Put(Cf::kMeta, keys::kSchemaVersionKey, v1);
  txn->Delete(Cf::kMeta, keys::FormatHistoryKey(kSchemaVersion));
  txn->Put(Cf::kState, "written-in-format-1", "kept");
  ASSERT_TRUE((*store)->Commit(*txn, true).ok());
}

TEST(DataFormat, ANewStoreRecordsTheCurrentFormatAndHowItWasCreated) {
  testing::TempDir dir;
  auto store = Store::Open(dir.Sub("data"), {});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(StoredFormat(**store), kSchemaVersion);
  auto history = ReadFormatHistory((*store)->live());
  ASSERT_TRUE(history.ok()) << history.status();
  EXPECT_THAT(*history,
              ElementsAre(StartsWith("format 4: created by smptrace ")));
}

TEST(DataFormat, EveryFormatAfterTheFirstHasOneUpgradeStepInOrder) {
  auto steps = UpgradeSteps();
  ASSERT_EQ(steps.size(), kSchemaVersion - 1);
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].to, i + 2);
    EXPECT_NE(steps[i].apply, nullptr);
  }
}

TEST(DataFormat, PreUpgradeCopyGoesBesideTheDataDirectory) {
  EXPECT_EQ(PreUpgradeCopyDir("/var/lib/smptrace/data", 2),
            "/var/lib/smptrace/data.pre-v2");
  EXPECT_EQ(PreUpgradeCopyDir("/var/lib/smptrace/data/", 3),
            "/var/lib/smptrace/data.pre-v3");
}

TEST(DataFormat, RefusesANewerFormatNamingBothAndWritesNothing) {
  testing::TempDir dir;
  {
    auto store = Store::Open(dir.Sub("data"), {});
    ASSERT_TRUE(store.ok());
    auto txn = (*store)->BeginWrite();
    std::string v;
    keys::AppendUint64(&v, kSchemaVersion + 1);
    txn->Put(Cf::kMeta, keys::kSchemaVersionKey, v);
    ASSERT_TRUE((*store)->Commit(*txn, true).ok());
  }
  EXPECT_THAT(Store::Open(dir.Sub("data"), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("has data format 5, newer than this "
                                       "build reads"),
                             HasSubstr("reads format 4"),
                             HasSubstr("written by a newer smptraced"),
                             HasSubstr("Install that version (or a newer "
                                       "one) again and start it"),
                             HasSubstr("is in " + dir.Sub("data.pre-v5")))));
  EXPECT_FALSE(fs::exists(dir.Sub("data.pre-v5")));
}

TEST(DataFormat, UpgradesAFormat1StoreAfterCopyingItBeside) {
  testing::TempDir dir;
  MakeFormat1Store(dir.Sub("data"));

  auto store = Store::Open(dir.Sub("data"), {});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(StoredFormat(**store), 4u);
  EXPECT_EQ(**(*store)->live().Get(Cf::kState, "written-in-format-1"), "kept");
  auto history = ReadFormatHistory((*store)->live());
  ASSERT_TRUE(history.ok()) << history.status();
  EXPECT_THAT(
      *history,
      ElementsAre(
          StartsWith("format 1: created before the store kept its format "
                     "history"),
          AllOf(StartsWith("format 2: upgraded from format 1 by smptrace "),
                HasSubstr("the store before the upgrade is in " +
                          dir.Sub("data.pre-v2"))),
          AllOf(StartsWith("format 3: upgraded from format 2 by smptrace "),
                HasSubstr("the store before the upgrade is in " +
                          dir.Sub("data.pre-v3"))),
          AllOf(StartsWith("format 4: upgraded from format 3 by smptrace "),
                HasSubstr("the store before the upgrade is in " +
                          dir.Sub("data.pre-v4")))));
  store->reset();

  // The copy is the store as it was: still format 1, so this build opens
  // it read-only only to say so.
  ASSERT_TRUE(fs::exists(dir.Sub("data.pre-v2") + "/CURRENT"));
  StoreOptions read_only;
  read_only.read_only = true;
  EXPECT_THAT(
      Store::Open(dir.Sub("data.pre-v2"), read_only),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("has data format 1; this build reads format 4"),
                     HasSubstr("start this build's smptraced on it once"),
                     HasSubstr("then try again"))));

  // Upgraded once: the next open has nothing to do.
  auto again = Store::Open(dir.Sub("data"), {});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(*ReadFormatHistory((*again)->live()), ::testing::SizeIs(4));
}

TEST(DataFormat, AnUpgradeWhoseCopyIsAlreadyThereIsRefusedAndChangesNothing) {
  testing::TempDir dir;
  MakeFormat1Store(dir.Sub("data"));
  fs::create_directories(dir.Sub("data.pre-v2"));

  EXPECT_THAT(Store::Open(dir.Sub("data"), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("cannot upgrade data directory"),
                             HasSubstr("from data format 1 to 2"),
                             HasSubstr(dir.Sub("data.pre-v2") +
                                       ", which exists already"),
                             HasSubstr("With smptraced stopped, move it out "
                                       "of the way: mv " +
                                       dir.Sub("data.pre-v2") + " " +
                                       dir.Sub("data.pre-v2") + ".old"),
                             HasSubstr("then start smptraced again"))));
  fs::remove(dir.Sub("data.pre-v2"));
  StoreOptions read_only;
  read_only.read_only = true;
  EXPECT_THAT(Store::Open(dir.Sub("data"), read_only),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("has data format 1")));
}

// A step that fails (here: the disk is too full to commit it) leaves the
// store as it was and removes the copy it made, so the next start upgrades
// instead of being refused until an admin moves the copy away.
TEST(DataFormat, AFailedUpgradeRemovesItsCopyAndTheNextStartUpgrades) {
  testing::TempDir dir;
  MakeFormat1Store(dir.Sub("data"));
  StoreOptions full;
  full.min_free_bytes = uint64_t{1} << 62;  // more than any disk has free

  EXPECT_THAT(Store::Open(dir.Sub("data"), full),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       AllOf(HasSubstr("upgrade of " + dir.Sub("data") +
                                       " to data format 2 failed, the store "
                                       "is unchanged: "),
                             HasSubstr("disk is full"),
                             HasSubstr("Fix that, then start smptraced "
                                       "again"),
                             Not(HasSubstr("mv ")))));
  EXPECT_FALSE(fs::exists(dir.Sub("data.pre-v2")));
  StoreOptions read_only;
  read_only.read_only = true;
  EXPECT_THAT(Store::Open(dir.Sub("data"), read_only),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("has data format 1")))
      << "unchanged";

  auto store = Store::Open(dir.Sub("data"), {});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(StoredFormat(**store), 4u);
  EXPECT_EQ(**(*store)->live().Get(Cf::kState, "written-in-format-1"), "kept");
  EXPECT_TRUE(fs::exists(dir.Sub("data.pre-v2") + "/CURRENT"));
}

// A format-3 store kept every leaf hash (level 0 of the tree) beside the
// journal entry it is the hash of. The upgrade to format 4 deletes them,
// keeps every other node, and the tree, its proofs and the verification
// stay what they were.
TEST(DataFormat, UpgradesAFormat3StoreDroppingItsStoredLeaves) {
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  std::string root;
  size_t nodes = 0;
  {
    auto store = Store::Open(data, {});
    ASSERT_TRUE(store.ok()) << store.status();
    JournalHead head;
    auto txn = (*store)->BeginWrite();
    for (int i = 1; i <= 9; ++i) {
      head = *AppendJournalEntry(*txn, head, "event-" + std::to_string(i));
    }
    ASSERT_THAT((*store)->Commit(*txn, true), testing::IsOk());
    root = *ReadTlogRoot((*store)->live(), 9);
    ASSERT_THAT((*store)->live().Scan(Cf::kTlog, "", "",
                                      [&](std::string_view, std::string_view) {
                                        ++nodes;
                                        return true;
                                      }),
                testing::IsOk());
    // What format 3 wrote besides: the leaves, and its version.
    txn = (*store)->BeginWrite();
    ASSERT_THAT(ForEachJournalEntry((*store)->live(), 1,
                                    [&](const JournalEntryView& e) {
                                      txn->Put(
                                          Cf::kTlog, TlogNodeKey(0, e.seq - 1),
                                          TlogEntryLeafHash(e.seq, e.event));
                                      return true;
                                    }),
                testing::IsOk());
    std::string v3;
    keys::AppendUint64(&v3, 3);
    txn->Put(Cf::kMeta, keys::kSchemaVersionKey, v3);
    txn->Delete(Cf::kMeta, keys::FormatHistoryKey(4));
    ASSERT_THAT((*store)->Commit(*txn, true), testing::IsOk());
    // Format 4's verification names a stored leaf.
    auto v = VerifyJournal((*store)->live());
    ASSERT_THAT(v, testing::IsOk());
    EXPECT_FALSE(v->ok);
    EXPECT_THAT(v->detail, HasSubstr("is not stored (level 0)"));
  }

  auto store = Store::Open(data, {});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(StoredFormat(**store), 4u);
  EXPECT_THAT(ReadFormatHistory((*store)->live())->back(),
              StartsWith("format 4: upgraded from format 3 by smptrace "));
  EXPECT_TRUE(fs::exists(dir.Sub("data.pre-v4") + "/CURRENT"));
  size_t after = 0;
  bool leaf_left = false;
  ASSERT_THAT(
      (*store)->live().Scan(Cf::kTlog, "", "",
                            [&](std::string_view key, std::string_view) {
                              ++after;
                              leaf_left |= key[0] == '\0';
                              return true;
                            }),
      testing::IsOk());
  EXPECT_FALSE(leaf_left);
  EXPECT_EQ(after, nodes);
  EXPECT_EQ(*ReadTlogRoot((*store)->live(), 9), root);
  auto v = VerifyJournal((*store)->live());
  ASSERT_THAT(v, testing::IsOk());
  EXPECT_TRUE(v->ok) << v->detail;
}

// tests/testdata/store-format1: written by the real format-1 build (see its
// README.md), its records still in the write-ahead log.
TEST(DataFormat, OpensAStoreWrittenByTheFormat1Build) {
  testing::TempDir dir;
  std::unique_ptr<Store> store = OpenFixture(dir, "store-format1");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(StoredFormat(*store), 4u);
  // VerifyJournal checks the Merkle tree the upgrade to format 3 built.
  auto verified = VerifyJournal(store->live());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok) << verified->detail;
  EXPECT_EQ(verified->entries, 2u);
  EXPECT_THAT(*ReadFormatHistory(store->live()),
              ElementsAre(StartsWith("format 1: "),
                          StartsWith("format 2: upgraded from format 1"),
                          StartsWith("format 3: upgraded from format 2"),
                          StartsWith("format 4: upgraded from format 3")));
  EXPECT_TRUE(fs::exists(dir.Sub("data.pre-v2") + "/CURRENT"));
  EXPECT_TRUE(fs::exists(dir.Sub("data.pre-v3") + "/CURRENT"));

  // The tree's root is RFC 6962's MTH of the two entries:
  // H(0x01 || leaf hash 1 || leaf hash 2).
  const std::vector<std::string> leaves = LeafHashes(store->live());
  ASSERT_EQ(leaves.size(), 2u);
  auto root = ReadTlogRoot(store->live(), 2);
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_EQ(*root, Sha256(std::string(1, '\x01') + leaves[0] + leaves[1]));
}

// tests/testdata/store-format3: written by the real format-3 build (see its
// README.md), the tree's leaves stored beside their entries.
TEST(DataFormat, OpensAStoreWrittenByTheFormat3BuildWithoutItsLeaves) {
  testing::TempDir dir;
  std::unique_ptr<Store> store = OpenFixture(dir, "store-format3");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(StoredFormat(*store), 4u);
  EXPECT_THAT(*ReadFormatHistory(store->live()),
              ElementsAre(StartsWith("format 3: created by smptrace 0.1.0 "
                                     "(commit 7fd9760"),
                          StartsWith("format 4: upgraded from format 3")));
  EXPECT_TRUE(fs::exists(dir.Sub("data.pre-v4") + "/CURRENT"));
  auto verified = VerifyJournal(store->live());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok) << verified->detail;
  EXPECT_EQ(verified->entries, 3u);

  // What is left of the tree: the node over the first two leaves only.
  std::vector<std::string> keys;
  ASSERT_THAT(store->live().Scan(Cf::kTlog, "", "",
                                 [&](std::string_view key, std::string_view) {
                                   keys.emplace_back(key);
                                   return true;
                                 }),
              testing::IsOk());
  EXPECT_THAT(keys, ElementsAre(TlogNodeKey(1, 0)));

  // RFC 6962's MTH of three entries, H(0x01 || H(0x01 || leaf hash 1 ||
  // leaf hash 2) || leaf hash 3), and a proof that needs leaf 3's hash,
  // which only its entry gives now.
  const std::vector<std::string> leaves = LeafHashes(store->live());
  ASSERT_EQ(leaves.size(), 3u);
  const std::string first_two =
      Sha256(std::string(1, '\x01') + leaves[0] + leaves[1]);
  EXPECT_EQ(*ReadTlogRoot(store->live(), 3),
            Sha256(std::string(1, '\x01') + first_two + leaves[2]));
  EXPECT_THAT(*ReadTlogInclusionProof(store->live(), 0, 3),
              ElementsAre(leaves[1], leaves[2]));
}

}  // namespace
}  // namespace smptrace::storage
