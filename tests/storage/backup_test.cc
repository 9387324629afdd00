#include "storage/backup.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/journal.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

namespace fs = std::filesystem;
using ::smptrace::testing::IsOk;
using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

const absl::Time kNow = absl::FromUnixSeconds(1795600000);  // a fixed instant

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    auto store = Store::Open(dir_.Sub("data"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    auto head = ReadJournalHead(store_->live());
    ASSERT_TRUE(head.ok());
    head_ = *head;
  }

  // Appends `n` entries of `bytes` bytes each, in one commit. The padding is
  // random, so that table files (LZ4-compressed) keep about that size.
  void Append(int n, size_t bytes = 16) {
    auto txn = store_->BeginWrite();
    for (int i = 0; i < n; ++i) {
      std::string event = "event-" + std::to_string(head_.seq + 1);
      while (event.size() < bytes) {
        event.push_back(static_cast<char>('a' + random_() % 26));
      }
      head_ = AppendJournalEntry(*txn, head_, event).value();
    }
    ASSERT_THAT(store_->Commit(*txn, true), IsOk());
  }

  // 2 MB of journal: a table file once a backup has flushed it.
  void AppendTableFiles() { Append(200, 10 << 10); }

  // Opens a restored store and verifies its journal.
  JournalVerification VerifyRestored(const std::string& dir) {
    StoreOptions options;
    options.read_only = true;
    auto store = Store::Open(dir, options);
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return {};
    auto v = VerifyJournal((*store)->live());
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : JournalVerification{};
  }

  std::string backups() const { return dir_.Sub("backups"); }

  ::smptrace::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  JournalHead head_;
  std::mt19937 random_{20261201};
};

TEST_F(BackupTest, RestoredBackupVerifiesAndHoldsTheHeadItRecorded) {
  Append(20);
  auto out = CreateBackup(*store_, backups(), "req-1", kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_FALSE(out->reused);
  EXPECT_EQ(out->backup.head.seq, 20u);
  EXPECT_EQ(out->backup.head.hash, head_.hash);
  EXPECT_EQ(out->backup.request_id, "req-1");
  EXPECT_EQ(out->backup.time, kNow);
  Append(5);  // after the backup: not in it

  auto restored = RestoreBackup(backups(), std::nullopt, dir_.Sub("restored"));
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->id, out->backup.id);
  JournalVerification v = VerifyRestored(dir_.Sub("restored"));
  EXPECT_TRUE(v.ok) << v.detail;
  EXPECT_EQ(v.good_head.seq, 20u);
  EXPECT_EQ(v.good_head.hash, out->backup.head.hash);
}

TEST_F(BackupTest, SecondBackupCopiesOnlyNewFiles) {
  AppendTableFiles();
  auto first = CreateBackup(*store_, backups(), "", kNow);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->backup.new_bytes, first->backup.size_bytes);
  EXPECT_GT(first->backup.size_bytes, 2u << 20);
  Append(10);
  auto second = CreateBackup(*store_, backups(), "", kNow + absl::Hours(6));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->backup.id, first->backup.id + 1);
  // The table files of the first are shared, not copied again.
  EXPECT_LT(second->backup.new_bytes, 200u << 10);
  EXPECT_GE(second->backup.size_bytes, first->backup.size_bytes);

  auto list = ListBackups(backups());
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_THAT(*list, SizeIs(2));
  EXPECT_EQ((*list)[0].id, first->backup.id);
  EXPECT_EQ((*list)[0].new_bytes, first->backup.new_bytes);
  EXPECT_EQ((*list)[1].head.seq, head_.seq);
  EXPECT_EQ((*list)[1].time, kNow + absl::Hours(6));
}

TEST_F(BackupTest, SameRequestIdReturnsTheFirstBackupAndTakesNoOther) {
  Append(3);
  auto first = CreateBackup(*store_, backups(), "req-7", kNow);
  ASSERT_TRUE(first.ok()) << first.status();
  Append(3);
  auto retry = CreateBackup(*store_, backups(), "req-7", kNow + absl::Hours(1));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->reused);
  EXPECT_EQ(retry->backup.id, first->backup.id);
  EXPECT_EQ(retry->backup.head.seq, 3u);
  EXPECT_EQ(retry->backup.time, kNow);
  EXPECT_EQ(retry->backup.new_bytes, first->backup.new_bytes);
  EXPECT_THAT(*ListBackups(backups()), SizeIs(1));
}

TEST_F(BackupTest, PurgeKeepsTheNewest) {
  for (int i = 0; i < 3; ++i) {
    Append(2);
    ASSERT_TRUE(CreateBackup(*store_, backups(), "", kNow).ok());
  }
  ASSERT_THAT(PurgeOldBackups(backups(), 2), IsOk());
  auto list = ListBackups(backups());
  ASSERT_TRUE(list.ok());
  ASSERT_THAT(*list, SizeIs(2));
  EXPECT_EQ((*list)[0].head.seq, 4u);
  EXPECT_EQ((*list)[1].head.seq, 6u);
}

TEST_F(BackupTest, DamagedSharedFileIsDetectedAndNothingIsRestored) {
  AppendTableFiles();
  ASSERT_TRUE(CreateBackup(*store_, backups(), "", kNow).ok());
  // Flip one byte in the middle of a shared table file.
  std::string victim;
  for (const auto& e : fs::directory_iterator(backups() + "/shared_checksum")) {
    if (e.path().extension() == ".sst") victim = e.path().string();
  }
  ASSERT_FALSE(victim.empty());
  {
    std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
    const auto size = fs::file_size(victim);
    f.seekg(size / 2);
    char c = 0;
    f.get(c);
    f.seekp(size / 2);
    f.put(static_cast<char>(c ^ 0x40));
  }
  auto restored = RestoreBackup(backups(), std::nullopt, dir_.Sub("restored"));
  EXPECT_THAT(restored,
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("is damaged")));
  std::error_code ec;
  EXPECT_TRUE(!fs::exists(dir_.Sub("restored"), ec) ||
              fs::is_empty(dir_.Sub("restored"), ec));
}

TEST_F(BackupTest, RestoreRefusesADirectoryThatIsNotEmpty) {
  Append(2);
  ASSERT_TRUE(CreateBackup(*store_, backups(), "", kNow).ok());
  // The live data directory itself.
  EXPECT_THAT(RestoreBackup(backups(), std::nullopt, dir_.Sub("data")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is not empty")));
  fs::create_directories(dir_.Sub("other"));
  std::ofstream(dir_.Sub("other/notes.txt")) << "keep me";
  EXPECT_THAT(
      RestoreBackup(backups(), std::nullopt, dir_.Sub("other")),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not empty")));
  std::ifstream kept(dir_.Sub("other/notes.txt"));
  std::string text;
  std::getline(kept, text);
  EXPECT_EQ(text, "keep me");
}

TEST_F(BackupTest, UnknownBackupIdAndEmptyDirectoryAreNotFound) {
  EXPECT_THAT(ListBackups(backups()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no backups")));
  Append(1);
  ASSERT_TRUE(CreateBackup(*store_, backups(), "", kNow).ok());
  EXPECT_THAT(RestoreBackup(backups(), 9, dir_.Sub("restored")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no backup 9")));
}

}  // namespace
}  // namespace smptrace::storage
