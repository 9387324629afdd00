// Online backups through AdminService.CreateBackup and the scheduled ones,
// the restore drill (backups under concurrent writes restore to stores that
// verify and hold every write acknowledged before each backup began), and
// the checkpoint-signing key kept out of the data directory and backups.
#include "storage/backup.h"

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "client/health_check.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/api/backup_schedule.h"
#include "service/api/server.h"
#include "service/ledger/principals/decide.h"
#include "smptrace/v1/admin.grpc.pb.h"
#include "storage/journal.h"
#include "storage/signing.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class BackupServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start() {
    auto server = api::Server::Start(options_, &clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    admin_ = v1::AdminService::NewStub(server_->InProcessChannel());
  }

  api::ServerOptions Options() {
    api::ServerOptions options;
    options.listen = "";
    options.data_dir = dir_.Sub("data");
    options.insecure_dev = true;
    return options;
  }

  grpc::Status Backup(const std::string& request_id, const std::string& to,
                      v1::CreateBackupResponse* out) {
    grpc::ClientContext ctx;
    v1::CreateBackupRequest r;
    r.set_request_id(request_id);
    r.set_backup_dir(to);
    return admin_->CreateBackup(&ctx, r, out);
  }

  grpc::Status AddPrincipal(v1::AdminService::Stub& stub,
                            const std::string& name) {
    grpc::ClientContext ctx;
    v1::CreatePrincipalRequest r;
    r.set_request_id("create-" + name);
    r.set_name(name);
    r.set_role(v1::ROLE_AUDITOR);
    r.set_certificate_cn("cn-" + name);
    r.set_no_token(true);
    v1::CreatePrincipalResponse out;
    return stub.CreatePrincipal(&ctx, r, &out);
  }

  TempDir dir_;
  FakeClock clock_;
  api::ServerOptions options_ = Options();
  std::unique_ptr<api::Server> server_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

TEST_F(BackupServiceTest, BackupRecordsTheJournalHeadAndARetryGetsTheFirst) {
  ASSERT_TRUE(AddPrincipal(*admin_, "ana").ok());
  const storage::JournalHead head = server_->journal_head();
  v1::CreateBackupResponse first;
  ASSERT_TRUE(Backup("backup-1", dir_.Sub("backups"), &first).ok());
  EXPECT_EQ(first.backup().journal_seq(), head.seq);
  EXPECT_EQ(first.backup().journal_hash(), storage::ToHex(head.hash));
  EXPECT_EQ(first.backup().request_id(), "backup-1");
  EXPECT_EQ(first.backup_dir(), dir_.Sub("backups"));

  ASSERT_TRUE(AddPrincipal(*admin_, "ben").ok());
  clock_.Advance(absl::Minutes(5));
  v1::CreateBackupResponse retry;
  ASSERT_TRUE(Backup("backup-1", dir_.Sub("backups"), &retry).ok());
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_THAT(*storage::ListBackups(dir_.Sub("backups")), SizeIs(1));
}

TEST_F(BackupServiceTest, BackupDirectoryMustBeAbsoluteAndOutsideTheData) {
  v1::CreateBackupResponse out;
  EXPECT_THAT(Backup("b-1", "backups", &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("backup_dir: must be an absolute path on "
                                     "the server's machine")));
  EXPECT_THAT(Backup("b-2", dir_.Sub("data/backups"), &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("overlaps the data directory")));
  EXPECT_THAT(Backup("b-3", " ", &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("backup_dir")));
  EXPECT_THAT(Backup("", dir_.Sub("backups"), &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("request_id")));
}

// The drill: a few writers commit principals while backups are taken; each
// backup restores to a store that verifies and holds every principal whose
// creation was acknowledged before that backup began.
TEST_F(BackupServiceTest,
       DrillBackupsUnderWritesRestoreEveryAcknowledgedWrite) {
  constexpr int kWriters = 3;
  constexpr int kBackups = 4;
  absl::Mutex mu;
  std::vector<std::string> acknowledged;  // guarded by mu
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto stub = v1::AdminService::NewStub(server_->InProcessChannel());
      for (int i = 0; !stop.load() && i < 2000; ++i) {
        const std::string name = absl::StrCat("w", w, "-", i);
        if (AddPrincipal(*stub, name).ok()) {
          absl::MutexLock lock(&mu);
          acknowledged.push_back(name);
        }
      }
    });
  }
  struct MoreWrites {
    const std::vector<std::string>* acknowledged;
    size_t want;
    bool Done() const { return acknowledged->size() >= want; }
  };
  struct Taken {
    uint32_t id;
    std::vector<std::string> before;
  };
  std::vector<Taken> taken;
  for (int b = 0; b < kBackups; ++b) {
    // Wait for more writes to be acknowledged (not for time to pass; the
    // bound only stops a hung test).
    bool more_writes = false;
    {
      absl::MutexLock lock(&mu);
      MoreWrites more{&acknowledged, acknowledged.size() + 20};
      more_writes = mu.AwaitWithTimeout(
          absl::Condition(&more, &MoreWrites::Done), absl::Seconds(60));
    }
    if (!more_writes) {
      ADD_FAILURE() << "the writers stopped acknowledging";
      break;
    }
    std::vector<std::string> before;
    {
      absl::MutexLock lock(&mu);
      before = acknowledged;
    }
    v1::CreateBackupResponse out;
    grpc::Status s =
        Backup(absl::StrCat("drill-", b), dir_.Sub("backups"), &out);
    if (!s.ok()) {
      ADD_FAILURE() << s.error_message();
      break;
    }
    taken.push_back({out.backup().backup_id(), std::move(before)});
  }
  stop = true;
  for (auto& t : writers) t.join();

  for (const Taken& t : taken) {
    const std::string restored = dir_.Sub(absl::StrCat("restored-", t.id));
    ASSERT_TRUE(
        storage::RestoreBackup(dir_.Sub("backups"), t.id, restored).ok());
    storage::StoreOptions ro;
    ro.read_only = true;
    auto store = storage::Store::Open(restored, ro);
    ASSERT_TRUE(store.ok()) << store.status();
    auto v = storage::VerifyJournal((*store)->live());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok) << "backup " << t.id << ": " << v->detail;
    int missing = 0;
    for (const std::string& name : t.before) {
      auto p = ledger::ReadPrincipal((*store)->live(), name);
      ASSERT_TRUE(p.ok()) << p.status();
      if (!p->has_value()) ++missing;
    }
    EXPECT_EQ(missing, 0) << "backup " << t.id << " lost " << missing << " of "
                          << t.before.size() << " acknowledged writes";
  }
}

TEST_F(BackupServiceTest, SigningKeyLivesOutsideTheDataAndNoBackupCarriesIt) {
  const std::string key_path = storage::DefaultSigningKeyPath(dir_.Sub("data"));
  EXPECT_EQ(server_->signing_key_file(), key_path);
  struct stat st;
  ASSERT_EQ(::stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_NE(::stat(dir_.Sub("data/checkpoint-ed25519.pem").c_str(), &st), 0);

  ASSERT_TRUE(AddPrincipal(*admin_, "ana").ok());
  v1::CreateBackupResponse out;
  ASSERT_TRUE(Backup("b-key", dir_.Sub("backups"), &out).ok());
  // The PEM body (base64 of the private key) appears in no backup file.
  const std::string pem = ReadAll(key_path);
  const size_t begin = pem.find('\n') + 1;
  const std::string body = pem.substr(begin, pem.find("\n-----END") - begin);
  ASSERT_GT(body.size(), 40u);
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_.Sub("backups"))) {
    if (!e.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(ReadAll(e.path().string()).find(body), std::string::npos)
        << e.path();
  }
  EXPECT_GT(files, 3);
}

TEST_F(BackupServiceTest, KeyLeftInAnOldDataDirectoryIsRefusedWithTheMove) {
  server_.reset();
  // A data directory from before the key moved out.
  fs::rename(storage::DefaultSigningKeyPath(dir_.Sub("data")),
             dir_.Sub("data/checkpoint-ed25519.pem"));
  options_.signing_key_file = dir_.Sub("keys/signing.pem");
  auto refused = api::Server::Start(options_, &clock_);
  EXPECT_THAT(refused.status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(absl::StrCat(
                           "mv ", dir_.Sub("data/checkpoint-ed25519.pem"), " ",
                           dir_.Sub("keys/signing.pem")))));
  // Moved as told, the server starts with the same key.
  fs::create_directories(dir_.Sub("keys"));
  fs::rename(dir_.Sub("data/checkpoint-ed25519.pem"),
             dir_.Sub("keys/signing.pem"));
  auto key = storage::CheckpointKey::Load(dir_.Sub("keys/signing.pem"));
  ASSERT_TRUE(key.ok()) << key.status();
  Start();
  ASSERT_NE(server_, nullptr);
  EXPECT_EQ(server_->signing_key_file(), dir_.Sub("keys/signing.pem"));
}

TEST_F(BackupServiceTest, ScheduledBackupFailureIsCountedAndShownInHealth) {
  server_.reset();
  options_.backups.dir = dir_.Sub("scheduled");
  options_.backups.keep = 2;
  options_.backups.background = false;
  Start();
  api::BackupSchedule* schedule = server_->backups();
  ASSERT_NE(schedule, nullptr);
  auto health = [&] {
    grpc::ClientContext ctx;
    client::ServingStatus serving = client::ServingStatus::kUnknown;
    EXPECT_TRUE(client::CheckHealth(server_->InProcessChannel(), &ctx,
                                    api::kBackupHealthName, &serving)
                    .ok());
    return serving;
  };
  EXPECT_EQ(health(), client::ServingStatus::kServing);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(AddPrincipal(*admin_, absl::StrCat("p", i)).ok());
    ASSERT_TRUE(schedule->RunNow().ok());
  }
  EXPECT_THAT(*storage::ListBackups(dir_.Sub("scheduled")), SizeIs(2));

  // The directory becomes unusable: the attempt fails, the server goes on.
  fs::rename(dir_.Sub("scheduled"), dir_.Sub("moved"));
  std::ofstream(dir_.Sub("scheduled")) << "not a directory";
  EXPECT_FALSE(schedule->RunNow().ok());
  api::BackupScheduleStats stats = schedule->stats();
  EXPECT_EQ(stats.taken, 3u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_FALSE(stats.last_error.empty());
  EXPECT_EQ(health(), client::ServingStatus::kNotServing);
  EXPECT_TRUE(AddPrincipal(*admin_, "after").ok());  // writes go on

  fs::remove(dir_.Sub("scheduled"));
  ASSERT_TRUE(schedule->RunNow().ok());
  EXPECT_EQ(health(), client::ServingStatus::kServing);
}

}  // namespace
}  // namespace smptrace::testing
