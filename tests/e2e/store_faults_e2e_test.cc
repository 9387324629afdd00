// The store under faults, end to end (a real smptraced, gRPC and the CLI):
//
// - A full disk, for real: a small tmpfs under the test's temp dir, writes
//   through gRPC until it is full. Writes are refused with
//   RESOURCE_EXHAUSTED (nothing half-written, nothing acknowledged lost),
//   health says NOT_SERVING for the writing services while reads go on,
//   writes come back by themselves once space is freed, and a restart
//   succeeds with little free space. Needs root (mount); skipped otherwise.
//   Bounded: a 48 MiB filesystem, at most a few thousand small writes.
// - A tampered store is not served silently: the journal is verified before
//   the server serves; writes are refused with FAILED_PRECONDITION and a
//   message that says what to do, the overall and writing services' health
//   is NOT_SERVING while the audit service stays SERVING, the log says so
//   loudly, and reads go on. The offline checks exit 1.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/health_check.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "storage/keys.h"
#include "storage/store.h"
#include "tests/testing/gtin.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace smptrace {
namespace {

using client::CheckHealth;
using client::ServingStatus;
using testing::FreeServer;
using ::testing::HasSubstr;
using testing::TempDir;
using testing::WithCheckDigit;

constexpr uint64_t kMiB = 1 << 20;
constexpr int kReserveMiB = 16;

uint64_t FreeBytes(const std::string& path) {
  struct statvfs fs;
  if (statvfs(path.c_str(), &fs) != 0) return 0;
  return static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
}

// Makes `path` big enough that `leave` bytes stay free on its filesystem.
void FillLeaving(const std::string& path, uint64_t leave) {
  const std::string block(64 * 1024, 'f');
  std::ofstream out(path, std::ios::app | std::ios::binary);
  while (FreeBytes(path) > leave + block.size()) {
    out.write(block.data(), block.size());
    out.flush();
    if (!out) break;
  }
}

// A real smptraced on data_ and a catalog client for it.
class StoreFaultTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (server_ != nullptr) Stop();
  }

  void StartServer(const std::vector<std::string>& args = {}) {
    auto server = FreeServer::Start(testing::SmptracedPath(), data_, args);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
    catalog_ = v1::CatalogService::NewStub(channel_);
  }
  // Closes our connection first: an idle connection holds up a graceful
  // stop for seconds.
  testing::ExitStatus Stop() {
    catalog_.reset();
    channel_.reset();
    return server_->Stop();
  }

  ServingStatus Health(const std::string& service) {
    grpc::ClientContext ctx;
    ServingStatus status = ServingStatus::kUnknown;
    grpc::Status s = CheckHealth(channel_, &ctx, service, &status);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return status;
  }

  // Polls health (an RPC every 50 ms) until `want`, at most 20 s: the
  // server notices freed space on its own poll, there is no event to wait
  // on from outside the process.
  bool WaitForHealth(ServingStatus want) {
    for (int i = 0; i < 400; ++i) {
      if (Health("") == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  v1::CreateProductRequest Product(int n) {
    v1::CreateProductRequest r;
    r.set_request_id("product-" + std::to_string(n));
    v1::Product* p = r.mutable_product();
    p->set_gtin(WithCheckDigit("0950600" + std::to_string(100000 + n)));
    // Long enough that the disk fills within a few thousand writes.
    p->set_name("Gloves " + std::to_string(n) + std::string(180, 'x'));
    p->set_kind(v1::PRODUCT_KIND_CONSUMABLE);
    p->set_manufacturer("GloveCo");
    p->set_units_per_pack(100);
    return r;
  }

  grpc::Status Create(int n) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
    v1::Product out;
    return catalog_->CreateProduct(&ctx, Product(n), &out);
  }

  grpc::Status Get(int n) {
    grpc::ClientContext ctx;
    v1::GetProductRequest get;
    get.set_gtin(Product(n).product().gtin());
    v1::Product out;
    return catalog_->GetProduct(&ctx, get, &out);
  }

  // Every acknowledged product is there, exactly as written.
  void ExpectAllPresent(const std::set<int>& acked) {
    for (int n : acked) {
      grpc::ClientContext ctx;
      v1::GetProductRequest get;
      get.set_gtin(Product(n).product().gtin());
      v1::Product out;
      grpc::Status s = catalog_->GetProduct(&ctx, get, &out);
      ASSERT_TRUE(s.ok()) << n << ": " << s.error_message();
      EXPECT_EQ(out.name(), Product(n).product().name());
    }
  }

  TempDir dir_;
  std::string data_ = dir_.Sub("data");
  std::unique_ptr<FreeServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
};

class DiskFullTest : public StoreFaultTest {
 protected:
  void SetUp() override {
    if (geteuid() != 0) {
      GTEST_SKIP() << "needs root to mount a small tmpfs (CI runs as root): "
                      "the full-disk behaviour is not tested here";
    }
    mount_ = dir_.Sub("small-disk");
    ASSERT_EQ(mkdir(mount_.c_str(), 0700), 0);
    ASSERT_EQ(mount("tmpfs", mount_.c_str(), "tmpfs", 0, "size=48m"), 0)
        << strerror(errno);
    mounted_ = true;
    data_ = mount_ + "/data";
    filler_ = mount_ + "/filler";
  }
  void TearDown() override {
    StoreFaultTest::TearDown();
    if (mounted_) umount2(mount_.c_str(), MNT_DETACH);
  }
  void StartServer() {
    StoreFaultTest::StartServer(
        {"--min_free_disk_mb", std::to_string(kReserveMiB)});
  }

  std::string mount_, filler_;
  bool mounted_ = false;
};

TEST_F(DiskFullTest,
       RefusesWritesWhileFullRecoversWhenFreedAndRestartsWithLittleRoom) {
  StartServer();
  std::set<int> acked;
  grpc::Status created = Create(0);
  ASSERT_TRUE(created.ok()) << created.error_message() << "\n"
                            << server_->Log();
  acked.insert(0);

  // Leave 2 MiB above the reserve, then write until the server refuses.
  FillLeaving(filler_, (kReserveMiB + 2) * kMiB);
  int refused = -1;
  grpc::Status refusal;
  for (int n = 1; n < 4000; ++n) {
    grpc::Status s = Create(n);
    if (!s.ok()) {
      refused = n;
      refusal = s;
      break;
    }
    acked.insert(n);
  }
  ASSERT_NE(refused, -1) << "the disk never filled";
  EXPECT_EQ(refusal.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << refusal.error_message();
  EXPECT_THAT(refusal.error_message(), HasSubstr("disk is full"));
  EXPECT_THAT(refusal.error_message(), HasSubstr("nothing was written"));

  // Health says so at once; the audit service (reads) stays up.
  EXPECT_EQ(Health(""), ServingStatus::kNotServing);
  EXPECT_EQ(Health("smptrace.v1.CatalogService"), ServingStatus::kNotServing);
  EXPECT_EQ(Health("smptrace.v1.AuditService"), ServingStatus::kServing);
  // A retry is refused the same way; reads still work.
  EXPECT_EQ(Create(refused).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  ExpectAllPresent(acked);
  EXPECT_EQ(Get(refused).error_code(), grpc::StatusCode::NOT_FOUND)
      << "nothing of the refused write is there";

  // Free the space: writes come back without a restart, and the refused
  // request, retried with its request id, is applied once.
  ASSERT_EQ(unlink(filler_.c_str()), 0);
  ASSERT_TRUE(WaitForHealth(ServingStatus::kServing))
      << "health never came back after space was freed\n"
      << server_->Log();
  grpc::Status again = Create(refused);
  ASSERT_TRUE(again.ok()) << again.error_message();
  acked.insert(refused);
  EXPECT_TRUE(Create(refused).ok()) << "a retry answers as the first time";
  ExpectAllPresent(acked);

  // Restart with little free space (well below the reserve): the server
  // starts, serves reads, refuses writes, and takes them once space is back.
  FillLeaving(filler_, 3 * kMiB);
  EXPECT_TRUE(Stop().ok()) << server_->Log();
  server_.reset();
  StartServer();
  EXPECT_EQ(Health(""), ServingStatus::kNotServing);
  ExpectAllPresent(acked);
  EXPECT_EQ(Create(5000).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  ASSERT_EQ(unlink(filler_.c_str()), 0);
  ASSERT_TRUE(WaitForHealth(ServingStatus::kServing)) << server_->Log();
  EXPECT_TRUE(Create(5000).ok());
}

class DamagedStoreTest : public StoreFaultTest {
 protected:
  // Rewrites journal entry `seq` offline (the server is stopped).
  void Tamper(uint64_t seq, bool unparseable) {
    auto store = storage::Store::Open(data_, {});
    ASSERT_TRUE(store.ok()) << store.status();
    auto key = storage::keys::JournalKey(seq);
    std::string value = **(*store)->live().Get(storage::Cf::kJournal, key);
    if (unparseable) {
      value = value.substr(0, 64) + "\xff\xff\xff";
    } else {
      value.back() ^= 0x01;  // one flipped bit in the event bytes
    }
    auto txn = (*store)->BeginWrite();
    txn->Put(storage::Cf::kJournal, key, value);
    ASSERT_TRUE((*store)->Commit(*txn, true).ok());
  }
};

TEST_F(DamagedStoreTest, AFlippedBitRefusesWritesSaysSoInHealthAndKeepsReads) {
  StartServer();
  for (int n = 1; n <= 3; ++n) ASSERT_TRUE(Create(n).ok());
  ASSERT_TRUE(Stop().ok());
  Tamper(2, /*unparseable=*/false);

  StartServer();
  grpc::Status refused = Create(4);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("journal damaged at seq 2"));
  EXPECT_THAT(refused.error_message(), HasSubstr("nothing was written"));
  EXPECT_THAT(refused.error_message(), HasSubstr("smptrace admin verify"));
  EXPECT_EQ(Health(""), ServingStatus::kNotServing);
  EXPECT_EQ(Health("smptrace.v1.SessionService"), ServingStatus::kNotServing);
  EXPECT_EQ(Health("smptrace.v1.AuditService"), ServingStatus::kServing);
  EXPECT_THAT(server_->Log(), HasSubstr("STORE DAMAGED"));

  // Reads for the investigation.
  EXPECT_TRUE(Get(1).ok());
  testing::ProcessResult verify =
      testing::RunProcess({testing::SmptraceCliPath(), "--server",
                           server_->address(), "admin", "verify"});
  EXPECT_EQ(verify.exit.code, 1) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("journal DAMAGED at seq 2"));
}

// docs/admin.md: both checks exit 1 when the record is wrong (2 only when
// they cannot run at all), also when the journal cannot be replayed.
TEST_F(DamagedStoreTest, OfflineChecksExitOneOnAnUnreplayableJournal) {
  StartServer();
  for (int n = 1; n <= 3; ++n) ASSERT_TRUE(Create(n).ok());
  ASSERT_TRUE(Stop().ok());
  server_.reset();
  Tamper(2, /*unparseable=*/true);
  for (const char* check : {"verify", "rebuild-check"}) {
    testing::ProcessResult r = testing::RunProcess(
        {testing::SmptraceCliPath(), "admin", check, "--data_dir", data_});
    EXPECT_EQ(r.exit.code, 1) << check << ": " << r.out << r.err;
  }
  testing::ProcessResult r =
      testing::RunProcess({testing::SmptraceCliPath(), "admin", "rebuild-check",
                           "--data_dir", data_});
  EXPECT_THAT(r.out, HasSubstr("replay stopped at seq 2"));
}

}  // namespace
}  // namespace smptrace
