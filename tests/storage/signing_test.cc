// Signed checkpoints: the key file, signatures, and the check that a journal
// still extends a checkpoint, including the attack a hash chain alone cannot
// see: a journal rebuilt from a changed event with every hash recomputed.
#include "storage/signing.h"

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

using ::smptrace::testing::IsOk;
using ::smptrace::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(CheckpointKey, IsCreatedOnceWithMode0600AndReloaded) {
  testing::TempDir dir;
  const std::string path = dir.Sub("signing.pem");
  auto first = CheckpointKey::LoadOrCreate(path);
  ASSERT_TRUE(first.ok()) << first.status();
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = CheckpointKey::LoadOrCreate(path);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->key_id(), (*first)->key_id());
  EXPECT_EQ((*again)->public_key_pem(), (*first)->public_key_pem());
  EXPECT_THAT((*first)->public_key_pem(), HasSubstr("BEGIN PUBLIC KEY"));
  EXPECT_EQ((*first)->key_id().size(), 64u);
}

TEST(CheckpointKey, RefusesAKeyFileOthersCanRead) {
  testing::TempDir dir;
  const std::string path = dir.Sub("signing.pem");
  ASSERT_TRUE(CheckpointKey::LoadOrCreate(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  EXPECT_THAT(
      CheckpointKey::LoadOrCreate(path),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("(mode 0644); the checkpoint key must be 0600")));
}

TEST(CheckpointKey, LoadDoesNotCreate) {
  testing::TempDir dir;
  EXPECT_THAT(
      CheckpointKey::Load(dir.Sub("signing.pem")),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("does not exist")));
  struct stat st;
  EXPECT_NE(::stat(dir.Sub("signing.pem").c_str(), &st), 0);
}

TEST(CheckpointKey, DefaultPathIsBesideTheDataDirectoryNotInIt) {
  EXPECT_EQ(DefaultSigningKeyPath("/var/lib/smptrace/data"),
            "/var/lib/smptrace/data.checkpoint-ed25519.pem");
  EXPECT_EQ(DefaultSigningKeyPath("./smptrace-data/"),
            "./smptrace-data.checkpoint-ed25519.pem");
}

TEST(CheckpointKey, KeyInsideADataDirectoryIsRefusedWithTheMoveCommand) {
  testing::TempDir dir;
  EXPECT_THAT(CheckNoKeyInDataDir(dir.path(), dir.Sub("key.pem")), IsOk());
  ASSERT_TRUE(
      CheckpointKey::LoadOrCreate(dir.Sub(std::string(kCheckpointKeyFile)))
          .ok());
  EXPECT_THAT(CheckNoKeyInDataDir(dir.path(), "/etc/smptrace/key.pem"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("With smptraced stopped, move the key "
                                 "out: mv " +
                                 dir.path() +
                                 "/checkpoint-ed25519.pem "
                                 "/etc/smptrace/key.pem then start smptraced "
                                 "again with --signing_key "
                                 "/etc/smptrace/key.pem")));
}

TEST(CheckpointKey, KeyInsideADataDirectoryAndOutsideAsksWhichToKeep) {
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  const std::string outside = dir.Sub("key.pem");
  std::filesystem::create_directories(data);
  ASSERT_TRUE(
      CheckpointKey::LoadOrCreate(data + "/" + std::string(kCheckpointKeyFile))
          .ok());
  ASSERT_TRUE(CheckpointKey::LoadOrCreate(outside).ok());
  EXPECT_THAT(
      CheckNoKeyInDataDir(data, outside),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("But " + outside + " exists already"),
                     HasSubstr("With smptraced stopped, find which of the "
                               "two signed the checkpoints you saved"),
                     HasSubstr("leave the one you keep at " + outside),
                     HasSubstr("do not delete it"),
                     HasSubstr("start smptraced again with --signing_key " +
                               outside))));
}

TEST(CheckpointKey, SignaturesVerifyAndAnyChangeBreaksThem) {
  testing::TempDir dir;
  auto key = CheckpointKey::LoadOrCreate(dir.Sub("signing.pem"));
  ASSERT_TRUE(key.ok());
  const std::string hash(32, '\x42');
  const std::string message = CheckpointMessage(40, hash);
  auto sig = (*key)->Sign(message);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), 64u);
  EXPECT_THAT(VerifySignature((*key)->public_key_pem(), message, *sig), IsOk());
  EXPECT_THAT(VerifySignature((*key)->public_key_pem(),
                              CheckpointMessage(41, hash), *sig),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not match")));
  std::string bad = *sig;
  bad[10] ^= 1;
  EXPECT_FALSE(VerifySignature((*key)->public_key_pem(), message, bad).ok());
  testing::TempDir other_dir;
  auto other = CheckpointKey::LoadOrCreate(other_dir.Sub("signing.pem"));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(VerifySignature((*other)->public_key_pem(), message, *sig).ok());
  EXPECT_NE((*other)->key_id(), (*key)->key_id());
}

// A store with a journal of n entries "event-1".. (event k replaced by
// `changed` when given), as a rewriter with write access would build it.
std::unique_ptr<Store> Journal(testing::TempDir& dir, const std::string& name,
                               int n, int k = 0,
                               const std::string& changed = "") {
  auto store = Store::Open(dir.Sub(name), {});
  EXPECT_TRUE(store.ok()) << store.status();
  JournalHead head;
  for (int i = 1; i <= n; ++i) {
    auto txn = (*store)->BeginWrite();
    head = AppendJournalEntry(*txn, head,
                              i == k ? changed : "event-" + std::to_string(i))
               .value();
    EXPECT_TRUE((*store)->Commit(*txn, true).ok());
  }
  return *std::move(store);
}

TEST(CheckJournalExtends, HoldsWhileTheJournalOnlyGrows) {
  testing::TempDir dir;
  auto short_store = Journal(dir, "short", 20);
  const JournalHead at20 = *ReadJournalHead(short_store->live());
  EXPECT_THAT(CheckJournalExtends(short_store->live(), at20), IsOk());
  auto longer = Journal(dir, "longer", 35);
  EXPECT_THAT(CheckJournalExtends(longer->live(), at20), IsOk());
}

TEST(CheckJournalExtends, EveryJournalExtendsTheEmptyOne) {
  testing::TempDir dir;
  auto store = Journal(dir, "j", 3);
  EXPECT_THAT(CheckJournalExtends(store->live(), JournalHead()), IsOk());
}

TEST(CheckJournalExtends, CatchesATruncatedJournal) {
  testing::TempDir dir;
  auto full = Journal(dir, "full", 30);
  const JournalHead at30 = *ReadJournalHead(full->live());
  auto truncated = Journal(dir, "truncated", 25);
  EXPECT_THAT(
      CheckJournalExtends(truncated->live(), at30),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("ends at seq 25, before the checkpoint's seq 30")));
}

// Verification alone passes a journal rebuilt with recomputed hashes; a
// checkpoint taken before the rewrite does not.
TEST(CheckJournalExtends, CatchesAJournalRebuiltFromAChangedEvent) {
  testing::TempDir dir;
  auto honest = Journal(dir, "honest", 30);
  const JournalHead checkpoint = *ReadJournalHead(honest->live());
  auto rewritten = Journal(dir, "rewritten", 30, 17, "event-17 (changed)");
  auto v = VerifyJournal(rewritten->live());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << "a consistent rewrite verifies on its own";
  EXPECT_THAT(CheckJournalExtends(rewritten->live(), checkpoint),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("entry 30 has hash")));
  // A checkpoint older than the change still holds: the rewrite starts at 17.
  const std::string raw16 =
      **honest->live().Get(Cf::kJournal, keys::JournalKey(16));
  const JournalHead at16{16, raw16.substr(kHashSize, kHashSize)};
  EXPECT_THAT(CheckJournalExtends(rewritten->live(), at16), IsOk());
}

}  // namespace
}  // namespace smptrace::storage
