// What /metrics says about a small clinic day on an in-process server: the
// per-RPC counters move by exactly the calls made, the ledger and clinic
// gauges match the store, nothing names a client, and Prometheus' own
// checker (promtool check metrics) accepts the whole exposition.
#include "service/api/server_metrics.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/subprocess.h"

namespace smptrace {
namespace {

using ::smptrace::testing::Gs1Scan;
using ::testing::HasSubstr;
using ::testing::Not;

class ServerMetricsTest : public testing::ClinicServerTest {
 protected:
  grpc::Status Scan(const std::string& session, const std::string& barcode) {
    v1::ScanConsumableRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session);
    r.set_barcode(barcode);
    v1::ScanConsumableResponse response;
    grpc::ClientContext ctx;
    return sessions_->ScanConsumable(&ctx, r, &response);
  }

  // The value of the sample whose line starts with `series` + " ", or -1.
  static double Value(const std::string& text, const std::string& series) {
    const std::string prefix = series + " ";
    size_t at = text.rfind("\n" + prefix);
    if (at == std::string::npos) return -1;
    at += 1 + prefix.size();
    return std::stod(text.substr(at, text.find('\n', at) - at));
  }
};

constexpr char kScanOk[] =
    "grpc_server_handled_total{grpc_service=\"smptrace.v1.SessionService\","
    "grpc_method=\"ScanConsumable\",grpc_type=\"unary\",grpc_code=\"OK\"}";
constexpr char kScanRefused[] =
    "grpc_server_handled_total{grpc_service=\"smptrace.v1.SessionService\","
    "grpc_method=\"ScanConsumable\",grpc_type=\"unary\","
    "grpc_code=\"FAILED_PRECONDITION\"}";

TEST_F(ServerMetricsTest, CountsEachCallAndDescribesTheClinicWithoutClients) {
  // The fake clock says 2026-11-23: CART-7 expires in 2027, SOON-1 on
  // 2026-12-10 (within 30 days); HOLD-2 is quarantined, BAD-3 recalled.
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CART-7", "", 5),
                            Gs1Scan(kCartridge, "261210", "SOON-1", "", 2),
                            Gs1Scan(kCartridge, "271231", "HOLD-2", "", 1),
                            Gs1Scan(kCartridge, "271231", "BAD-3", "", 1)},
                           nullptr, room_)
                  .ok());
  ASSERT_TRUE(
      SetLotStatus(kCartridge, "HOLD-2", v1::LOT_STATUS_QUARANTINED).ok());
  ASSERT_TRUE(SetLotStatus(kCartridge, "BAD-3", v1::LOT_STATUS_RECALLED).ok());
  RegisterClient("HX-777");
  const std::string session = StartSessionFor("HX-777").session_id();
  ASSERT_FALSE(session.empty());
  const std::string before = server_->RenderMetrics();

  constexpr int kScans = 3;
  for (int i = 0; i < kScans; ++i) {
    ASSERT_TRUE(Scan(session, Gs1Scan(kCartridge, "271231", "CART-7")).ok());
  }
  EXPECT_FALSE(Scan(session, Gs1Scan(kCartridge, "271231", "HOLD-2")).ok());
  {
    v1::RebuildCheckResponse rebuild;
    grpc::ClientContext ctx;
    ASSERT_TRUE(admin_->RebuildCheck(&ctx, {}, &rebuild).ok());
    ASSERT_TRUE(rebuild.ok());
  }
  // The clinic's gauges are read from the store at most every 10 s.
  EXPECT_EQ(Value(server_->RenderMetrics(), "smptrace_clinic_units_in_stock"),
            9)
      << "cached from the first scrape";
  clock_.Advance(absl::Seconds(10));
  const std::string text = server_->RenderMetrics();

  EXPECT_EQ(Value(before, kScanOk), -1) << "no scan before";
  EXPECT_EQ(Value(text, kScanOk), kScans);
  EXPECT_EQ(Value(text, kScanRefused), 1);
  EXPECT_EQ(Value(text,
                  "grpc_server_handling_seconds_count{grpc_service=\"smptrace."
                  "v1.SessionService\",grpc_method=\"ScanConsumable\",grpc_"
                  "type=\"unary\"}"),
            kScans + 1);
  // Every command went through the ledger; each commit wrote >= 1 of them.
  const double commands_before =
      Value(before, "smptrace_ledger_commands_total");
  EXPECT_EQ(Value(text, "smptrace_ledger_commands_total"),
            commands_before + kScans + 1);
  EXPECT_GE(Value(text, "smptrace_ledger_commit_group_size_count"), kScans);
  EXPECT_EQ(Value(text, "smptrace_ledger_commit_seconds_count"),
            Value(text, "smptrace_ledger_commit_group_size_count"));
  EXPECT_EQ(Value(text, "smptrace_ledger_queue_depth"), 0);
  EXPECT_EQ(Value(text, "smptrace_journal_head_seq"),
            static_cast<double>(server_->journal_head().seq));
  EXPECT_EQ(Value(text, "smptrace_verify_passes_total"), 1);
  EXPECT_EQ(Value(text, "smptrace_rebuild_checks_total{result=\"match\"}"), 1);
  EXPECT_EQ(Value(text, "smptrace_rebuild_checks_total{result=\"differ\"}"), 0);
  EXPECT_EQ(Value(text, "smptrace_journal_damaged"), 0);
  EXPECT_EQ(Value(text, "smptrace_writes_refused{reason=\"disk_full\"}"), 0)
      << text;
  EXPECT_GT(Value(text, "smptrace_rocksdb_wal_bytes"), 0);
  EXPECT_GE(Value(text, "smptrace_rocksdb_memtable_bytes{cf=\"journal\"}"), 1);
  EXPECT_GT(Value(text, "process_resident_memory_bytes"), 1 << 20);
  EXPECT_GT(Value(text, "process_open_fds"), 3);
  EXPECT_GT(Value(text, "process_start_time_seconds"), 1.7e9);

  EXPECT_EQ(Value(text, "smptrace_clinic_open_sessions"), 1);
  EXPECT_EQ(Value(text, "smptrace_clinic_units_in_stock"), 9 - kScans);
  EXPECT_EQ(Value(text, "smptrace_clinic_lots_expiring_30d"), 1);
  EXPECT_EQ(Value(text, "smptrace_clinic_lots_expired_in_stock"), 0);
  EXPECT_EQ(Value(text, "smptrace_clinic_lots_on_hold{status=\"quarantined\"}"),
            1);
  EXPECT_EQ(Value(text, "smptrace_clinic_lots_on_hold{status=\"recalled\"}"),
            1);
  EXPECT_EQ(Value(text, "smptrace_clinic_exceptions_today"), 0);
  // No client, lot or session id, no name: counts only.
  for (const char* id : {"HX-777", "Client HX-777", "example.org", "CART-7",
                         "HOLD-2", session.c_str()}) {
    EXPECT_THAT(text, Not(HasSubstr(id)));
  }

  // Prometheus' own parser and linter accept it.
  testing::ProcessResult check =
      testing::RunProcess({SMPTRACE_PROMTOOL, "check", "metrics"}, text);
  EXPECT_EQ(check.exit.code, 0) << check.out << check.err << text;
  EXPECT_EQ(check.out + check.err, "");
}

// This process's thread ids now.
std::set<std::string> ThreadIds() {
  std::set<std::string> ids;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/self/task")) {
    ids.insert(task.path().filename().string());
  }
  return ids;
}

// gRPC's sync server kept 2 threads waiting for calls by default: under
// load every call beyond two at once started a thread and ended it after
// answering (issue 20). Eight writes at once, ten rounds, each round held
// in the ledger until all eight wait in server threads: the threads that
// served one round serve the next.
TEST_F(ServerMetricsTest, CallsAtOnceReuseTheServersThreads) {
  constexpr int kAtOnce = 8;
  constexpr int kRounds = 10;
  absl::Mutex mu;
  std::set<std::string> callers;  // the test's own threads
  std::set<std::string> serving;  // seen while a round waited
  int started = 0;                // thread ids new after the first round
  for (int round = 0; round < kRounds; ++round) {
    server_->ledger().PauseForTesting();
    std::vector<std::thread> threads;
    for (int i = 0; i < kAtOnce; ++i) {
      threads.emplace_back([&, round, i] {
        {
          absl::MutexLock lock(&mu);
          callers.insert(std::to_string(syscall(SYS_gettid)));
        }
        v1::CreateLocationRequest r;
        r.set_request_id(absl::StrCat("room-", round, "-", i));
        r.mutable_location()->set_name(absl::StrCat("Room ", round, "-", i));
        r.mutable_location()->set_kind(v1::LOCATION_KIND_ROOM);
        r.mutable_location()->set_parent_id(clinic_);
        v1::Location out;
        grpc::ClientContext ctx;
        EXPECT_TRUE(catalog_->CreateLocation(&ctx, r, &out).ok());
      });
    }
    server_->ledger().WaitForQueuedForTesting(kAtOnce);
    const std::set<std::string> now = ThreadIds();
    server_->ledger().ResumeForTesting();
    for (std::thread& t : threads) t.join();
    absl::MutexLock lock(&mu);
    for (const std::string& id : now) {
      if (callers.count(id) > 0 || serving.count(id) > 0) continue;
      serving.insert(id);
      if (round > 0) ++started;
    }
  }
  // Before: about six new threads a round, 50-odd in all.
  EXPECT_LT(started, kAtOnce);
}

TEST_F(ServerMetricsTest, LastSignedCheckpointTimeSurvivesARestart) {
  constexpr char kSigned[] =
      "smptrace_checkpoint_last_signed_timestamp_seconds";
  EXPECT_EQ(Value(server_->RenderMetrics(), kSigned), 0) << "none signed yet";
  v1::Checkpoint checkpoint;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->GetCheckpoint(&ctx, {}, &checkpoint).ok());
  }
  const double signed_at =
      static_cast<double>(checkpoint.signed_at().seconds());
  EXPECT_EQ(Value(server_->RenderMetrics(), kSigned), signed_at);

  clock_.Advance(absl::Hours(30));
  RestartServer();
  EXPECT_EQ(Value(server_->RenderMetrics(), kSigned), signed_at)
      << "the checkpoint signed before the restart";
}

}  // namespace
}  // namespace smptrace
