#include "storage/write_gate.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;

TEST(WriteGate, OpenUntilClosedAndEachReasonAnswersItsOwnCode) {
  WriteGate gate;
  EXPECT_TRUE(gate.Check().ok());
  gate.Close(WriteBlock::kDiskFull, "3 MiB free");
  EXPECT_THAT(gate.Check(), StatusIs(absl::StatusCode::kResourceExhausted,
                                     HasSubstr("3 MiB free")));
  gate.Close(WriteBlock::kDamaged, "journal damaged at seq 7");
  EXPECT_THAT(gate.Check(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                     HasSubstr("journal damaged at seq 7")))
      << "damage is named first";
  gate.Reopen(WriteBlock::kDiskFull);
  gate.Reopen(WriteBlock::kDamaged);
  EXPECT_THAT(gate.Check(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                     HasSubstr("journal damaged at seq 7")))
      << "damage does not clear while the process runs";
  EXPECT_EQ(gate.state().of(WriteBlock::kDiskFull).times_closed, 1u);
}

TEST(WriteGate, TheListenerSeesEveryChangeInOrder) {
  WriteGate gate;
  std::vector<bool> seen;
  gate.SetListener([&](const WriteGateState& s) { seen.push_back(s.open()); });
  gate.Close(WriteBlock::kStorageFault, "EIO");
  gate.Close(WriteBlock::kStorageFault, "EIO");  // no change, no call
  gate.Reopen(WriteBlock::kStorageFault);
  EXPECT_EQ(seen, (std::vector<bool>{true, false, true}));
}

// RocksDB's own out-of-space path (no reserve of ours): the write that finds
// the disk full is refused with RESOURCE_EXHAUSTED, the gate closes, and it
// reopens by itself when RocksDB's recovery succeeds after space is freed.
TEST(StoreOnAFullDisk, RocksDbStopsClosesTheGateAndRecoversWhenSpaceIsFreed) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to mount a small tmpfs (CI runs as root)";
  }
  testing::TempDir dir;
  const std::string mnt = dir.Sub("small");
  ASSERT_EQ(mkdir(mnt.c_str(), 0700), 0);
  ASSERT_EQ(mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=24m"), 0)
      << strerror(errno);
  struct Unmount {
    std::string path;
    ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  // Room taken by something else, freed later.
  {
    std::string block(1 << 20, 'f');
    FILE* f = fopen((mnt + "/filler").c_str(), "w");
    ASSERT_NE(f, nullptr);
    for (int i = 0; i < 10; ++i) fwrite(block.data(), 1, block.size(), f);
    fclose(f);
  }
  StoreOptions options;
  options.min_free_bytes = 0;
  auto store = Store::Open(mnt + "/db", options);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::Notification reopened;
  bool was_closed = false;
  (*store)->write_gate().SetListener([&](const WriteGateState& s) {
    if (!s.open()) was_closed = true;
    if (was_closed && s.open() && !reopened.HasBeenNotified()) {
      reopened.Notify();
    }
  });

  std::string value(4096, 'v');
  absl::Status refused;
  int written = 0;
  for (int i = 0; i < 20000 && refused.ok(); ++i) {
    auto txn = (*store)->BeginWrite();
    for (size_t j = 0; j < value.size(); ++j)
      value[j] = char('a' + (i + j) % 26);
    txn->Put(Cf::kState, "key-" + std::to_string(i), value);
    refused = (*store)->Commit(*txn, true);
    if (refused.ok()) ++written;
  }
  ASSERT_FALSE(refused.ok()) << "the disk never filled";
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted,
                                HasSubstr("disk is full")));
  EXPECT_TRUE((*store)->write_gate().state().of(WriteBlock::kDiskFull).active);
  // Reads go on.
  auto first = (*store)->live().Get(Cf::kState, "key-0");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->has_value());

  ASSERT_EQ(unlink((mnt + "/filler").c_str()), 0);
  ASSERT_TRUE(reopened.WaitForNotificationWithTimeout(absl::Seconds(30)))
      << "RocksDB did not recover after space was freed";
  auto txn = (*store)->BeginWrite();
  txn->Put(Cf::kState, "after", "ok");
  EXPECT_TRUE((*store)->Commit(*txn, true).ok());
  for (int i = 0; i < written; i += 97) {
    auto got = (*store)->live().Get(Cf::kState, "key-" + std::to_string(i));
    ASSERT_TRUE(got.ok() && got->has_value()) << i;
  }
  (*store)->write_gate().SetListener(nullptr);
}

}  // namespace
}  // namespace smptrace::storage
