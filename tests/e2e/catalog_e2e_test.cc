// End-to-end tests of the catalogue: a real smptraced on a free port, driven
// by the real smptrace CLI, or by the generated gRPC stubs where a test has
// to control the request id. Covers DESIGN.md §8's durability bar for the
// catalogue: kill -9 during concurrent writes, repeated; every acknowledged
// command is present after restart, none twice, the journal verifies.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "tests/testing/gtin.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace smptrace {
namespace {

using ::smptrace::testing::FreeServer;
using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::ProcessResult;
using ::smptrace::testing::RunCli;
using ::smptrace::testing::RunProcess;
using ::smptrace::testing::SmptraceCliPath;
using ::smptrace::testing::TempDir;
using ::smptrace::testing::TestGtin;
using ::smptrace::testing::WithCheckDigit;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The same GTIN with its check digit off by one.
std::string WithWrongCheckDigit(const std::string& gtin) {
  std::string bad = gtin;
  bad.back() = static_cast<char>('0' + (bad.back() - '0' + 1) % 10);
  return bad;
}

// Parses one JSON object per line (what `smptrace --json` prints for lists).
template <typename Message>
std::vector<Message> ParseJsonLines(const std::string& text) {
  std::vector<Message> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    Message m;
    auto status = google::protobuf::util::JsonStringToMessage(
        std::string(line.data(), line.size()), &m);
    EXPECT_TRUE(status.ok()) << status.ToString() << " in: " << line;
    out.push_back(std::move(m));
  }
  return out;
}

template <typename Message>
Message ParseJson(const std::string& text) {
  std::vector<Message> all = ParseJsonLines<Message>(text);
  EXPECT_EQ(all.size(), 1u) << text;
  return all.empty() ? Message() : all.front();
}

// Runs the smptrace CLI against `server` with `args`.
ProcessResult Cli(const std::string& server, std::vector<std::string> args) {
  return RunCli(server, args);
}

// Describes a run for failure messages.
std::string Describe(const ProcessResult& r) {
  return absl::StrCat(r.exit.ToString(), "\nstdout:\n", r.out, "stderr:\n",
                      r.err);
}

std::vector<std::string> CreateConsumableArgs(const std::string& gtin) {
  std::string name = absl::StrCat("Nitrile gloves ", gtin);
  return {"product",        "create",      "--gtin", gtin,
          "--name",         name,          "--kind", "consumable",
          "--manufacturer", "Acme Medical"};
}

v1::Product Consumable(const std::string& gtin) {
  v1::Product p;
  p.set_gtin(gtin);
  p.set_name(absl::StrCat("Barrier film ", gtin));
  p.set_kind(v1::PRODUCT_KIND_CONSUMABLE);
  p.set_manufacturer("Acme Medical");
  p.set_units_per_pack(50);
  return p;
}

// A deadline for every stub call, so that a hung server fails the test
// instead of hanging it.
void SetDeadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
}

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

// The journal as the server verifies it right now.
v1::VerifyJournalResponse VerifyOverGrpc(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto audit = v1::AuditService::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(&context);
  v1::VerifyJournalResponse response;
  grpc::Status status =
      audit->VerifyJournal(&context, v1::VerifyJournalRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.ok()) << response.DebugString();
  return response;
}

// Every product, page by page.
std::vector<v1::Product> ListAllOverGrpc(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto catalog = v1::CatalogService::NewStub(channel);
  std::vector<v1::Product> all;
  std::string token;
  do {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::ListProductsRequest request;
    request.mutable_page()->set_page_size(1000);
    request.mutable_page()->set_page_token(token);
    v1::ListProductsResponse page;
    grpc::Status status = catalog->ListProducts(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    all.insert(all.end(), page.products().begin(), page.products().end());
    token = page.next_page_token();
  } while (!token.empty());
  return all;
}

bool SameMessage(const google::protobuf::Message& a,
                 const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

TEST(CatalogE2e, CliKeepsCatalogueVersionsAndJournalVerifiesOnlineAndOffline) {
  TempDir dir;
  const std::string data_dir = dir.Sub("data");
  auto server = FreeServer::Start(data_dir);
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string address = (*server)->address();

  // A clinic and one of its treatment rooms.
  ProcessResult r = Cli(address, {"--json", "location", "create", "--name",
                                  "Leeds clinic", "--kind", "clinic"});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  auto clinic = ParseJson<v1::Location>(r.out);
  EXPECT_EQ(clinic.kind(), v1::LOCATION_KIND_CLINIC);
  ASSERT_FALSE(clinic.location_id().empty());
  r = Cli(address, {"--json", "location", "create", "--name", "Room 1",
                    "--kind", "room", "--parent", clinic.location_id()});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  auto room = ParseJson<v1::Location>(r.out);
  EXPECT_EQ(room.kind(), v1::LOCATION_KIND_ROOM);
  EXPECT_EQ(room.parent_id(), clinic.location_id());

  // One product of each kind.
  const std::string cartridge_gtin = TestGtin(1);
  const std::string consumable_gtin = TestGtin(3);
  // Typed as GTIN-13; stored as GTIN-14.
  const std::string pigment_gtin13 = WithCheckDigit("950600013435");
  const std::string pigment_gtin = "0" + pigment_gtin13;

  r = Cli(address,
          {"--json", "product", "create", "--gtin", cartridge_gtin, "--name",
           "SMP cartridge 1RL", "--kind", "cartridge", "--manufacturer",
           "Acme Needles", "--units_per_pack", "20", "--single_use", "true",
           "--sterile", "true", "--configuration", "1RL 0.25mm"});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  auto cartridge = ParseJson<v1::Product>(r.out);
  EXPECT_EQ(cartridge.gtin(), cartridge_gtin);
  EXPECT_EQ(cartridge.version(), 1);
  EXPECT_EQ(cartridge.kind(), v1::PRODUCT_KIND_NEEDLE_CARTRIDGE);
  EXPECT_EQ(cartridge.cartridge_configuration(), "1RL 0.25mm");
  EXPECT_TRUE(cartridge.single_use());
  EXPECT_TRUE(cartridge.sterile());

  r = Cli(address, {"--json", "product", "create", "--gtin", pigment_gtin13,
                    "--name", "SMP pigment", "--kind", "pigment",
                    "--manufacturer", "Acme Pigments", "--pao_days", "365",
                    "--shade", "Dark Brown", "--sterile", "true"});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  auto pigment_v1 = ParseJson<v1::Product>(r.out);
  EXPECT_EQ(pigment_v1.gtin(), pigment_gtin);
  EXPECT_EQ(pigment_v1.pao_days(), 365);
  EXPECT_EQ(pigment_v1.shade(), "Dark Brown");

  r = Cli(address,
          {"--json", "product", "create", "--gtin", consumable_gtin, "--name",
           "Nitrile gloves M", "--kind", "consumable", "--manufacturer",
           "Acme Medical", "--units_per_pack", "100"});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  EXPECT_EQ(ParseJson<v1::Product>(r.out).kind(), v1::PRODUCT_KIND_CONSUMABLE);

  // An update makes version 2 and keeps what it did not name.
  r = Cli(address, {"--json", "product", "update", "--gtin", pigment_gtin,
                    "--name", "SMP pigment, dark brown 10 ml"});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  auto pigment_v2 = ParseJson<v1::Product>(r.out);
  EXPECT_EQ(pigment_v2.version(), 2);
  EXPECT_EQ(pigment_v2.name(), "SMP pigment, dark brown 10 ml");
  EXPECT_EQ(pigment_v2.pao_days(), 365);
  EXPECT_EQ(pigment_v2.shade(), "Dark Brown");

  // The list shows every product once, at its current version.
  r = Cli(address, {"--json", "product", "list"});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  std::map<std::string, v1::Product> listed;
  for (const auto& p : ParseJsonLines<v1::Product>(r.out)) {
    EXPECT_TRUE(listed.emplace(p.gtin(), p).second) << "twice: " << p.gtin();
  }
  ASSERT_EQ(listed.size(), 3u) << r.out;
  EXPECT_EQ(listed.at(pigment_gtin).version(), 2);
  EXPECT_EQ(listed.at(cartridge_gtin).version(), 1);
  r = Cli(address, {"--json", "product", "list", "--kind", "pigment"});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  EXPECT_EQ(ParseJsonLines<v1::Product>(r.out).size(), 1u) << r.out;

  // Earlier versions stay readable.
  r = Cli(address, {"--json", "product", "get", "--gtin", pigment_gtin,
                    "--version", "1"});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  EXPECT_TRUE(SameMessage(ParseJson<v1::Product>(r.out), pigment_v1)) << r.out;
  r = Cli(address, {"--json", "product", "get", "--gtin", pigment_gtin});
  ASSERT_TRUE(r.exit.ok()) << Describe(r);
  EXPECT_TRUE(SameMessage(ParseJson<v1::Product>(r.out), pigment_v2)) << r.out;

  // A refusal: exit 1, the server's message naming the field, nothing
  // journaled.
  r = Cli(address,
          {"product", "create", "--gtin", WithWrongCheckDigit(TestGtin(4)),
           "--name", "Bad", "--kind", "consumable", "--manufacturer", "Acme"});
  EXPECT_TRUE(r.exit.exited) << Describe(r);
  EXPECT_EQ(r.exit.code, 1) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(r.err, HasSubstr("product.gtin"));
  EXPECT_THAT(r.out, IsEmpty());

  // Verified online: 2 locations + 3 products + 1 update.
  r = Cli(address, {"admin", "verify"});
  EXPECT_TRUE(r.exit.ok()) << Describe(r);
  EXPECT_THAT(r.out, HasSubstr("journal OK: 6 entries"));
  r = Cli(address, {"admin", "rebuild-check"});
  EXPECT_TRUE(r.exit.ok()) << Describe(r);

  // Graceful stop, then verified offline.
  auto stopped = (*server)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped.ToString() << "\n" << (*server)->Log();
  EXPECT_THAT((*server)->Log(), HasSubstr("stopped cleanly"));
  r = RunProcess(
      {SmptraceCliPath(), "admin", "verify", "--data_dir", data_dir});
  EXPECT_TRUE(r.exit.ok()) << Describe(r);
  EXPECT_THAT(r.out, HasSubstr("journal OK: 6 entries"));
  r = RunProcess(
      {SmptraceCliPath(), "admin", "rebuild-check", "--data_dir", data_dir});
  EXPECT_TRUE(r.exit.ok()) << Describe(r);
}

TEST(CatalogE2e, EveryAcknowledgedCreateSurvivesRepeatedSigkill) {
  constexpr int kWriters = 8;
  constexpr int kAcksBeforeKill = 40;
  constexpr int kCycles = 3;

  TempDir dir;
  const std::string data_dir = dir.Sub("data");
  auto server = FreeServer::Start(data_dir);
  ASSERT_TRUE(server.ok()) << server.status();

  std::mutex mu;
  std::condition_variable acked_more;
  std::set<std::string> attempted;     // guarded by mu; every GTIN sent
  std::set<std::string> acknowledged;  // guarded by mu; exit 0 seen
  std::atomic<int> next_index{100000};

  for (int cycle = 0; cycle < kCycles; ++cycle) {
    SCOPED_TRACE(absl::StrCat("cycle ", cycle));
    const std::string address = (*server)->address();
    int acked_this_cycle = 0;                 // guarded by mu
    std::vector<std::string> early_failures;  // guarded by mu
    std::atomic<bool> killed{false};

    // Writers: one CLI process per create, --retries 0 so that a create is
    // acknowledged by exactly the server it was sent to.
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&] {
        while (!killed.load()) {
          const std::string gtin = TestGtin(next_index.fetch_add(1));
          {
            std::lock_guard<std::mutex> lock(mu);
            attempted.insert(gtin);
          }
          std::vector<std::string> args = {"--retries", "0"};
          for (auto& a : CreateConsumableArgs(gtin)) args.push_back(a);
          ProcessResult r = Cli(address, args);
          std::lock_guard<std::mutex> lock(mu);
          if (r.exit.ok()) {
            acknowledged.insert(gtin);
            ++acked_this_cycle;
            acked_more.notify_all();
          } else if (!killed.load()) {
            // Ended before the kill: a real failure.
            early_failures.push_back(Describe(r));
          }
        }
      });
    }

    bool enough;
    {
      std::unique_lock<std::mutex> lock(mu);
      enough = acked_more.wait_for(lock, std::chrono::seconds(30), [&] {
        return acked_this_cycle >= kAcksBeforeKill || !early_failures.empty();
      });
    }
    // Kill while the writers are still going.
    killed.store(true);
    auto ended = (*server)->Kill();
    for (auto& t : writers) t.join();
    EXPECT_FALSE(ended.exited) << ended.ToString();
    EXPECT_EQ(ended.signal, SIGKILL);
    ASSERT_TRUE(enough) << "fewer than " << kAcksBeforeKill
                        << " creates acknowledged in 30 s";
    ASSERT_THAT(early_failures, IsEmpty()) << early_failures.front();

    // Restart on the same data and compare with what was acknowledged.
    server = FreeServer::Start(data_dir);
    ASSERT_TRUE(server.ok()) << server.status();
    ProcessResult r =
        Cli((*server)->address(),
            {"--json", "product", "list", "--all", "--page_size", "1000"});
    ASSERT_TRUE(r.exit.ok()) << Describe(r);
    std::map<std::string, int> count_by_gtin;
    for (const auto& p : ParseJsonLines<v1::Product>(r.out)) {
      ++count_by_gtin[p.gtin()];
      EXPECT_EQ(p.version(), 1) << p.gtin() << " was applied more than once";
    }
    std::lock_guard<std::mutex> lock(mu);
    for (const std::string& gtin : acknowledged) {
      EXPECT_EQ(count_by_gtin.count(gtin), 1u)
          << "acknowledged " << gtin << " is missing after kill -9";
    }
    for (const auto& [gtin, count] : count_by_gtin) {
      EXPECT_EQ(count, 1) << gtin << " is listed " << count << " times";
      EXPECT_EQ(attempted.count(gtin), 1u) << gtin << " was never sent";
    }

    size_t in_flight_applied = 0;  // committed, but the answer was cut off
    for (const auto& [gtin, count] : count_by_gtin) {
      in_flight_applied += acknowledged.count(gtin) == 0 ? 1 : 0;
    }
    std::cout << "cycle " << cycle << ": " << attempted.size() << " sent, "
              << acknowledged.size() << " acknowledged (all cycles), "
              << count_by_gtin.size() << " present after kill -9 ("
              << in_flight_applied << " unacknowledged but committed)\n";

    // One journal entry per product: nothing was applied twice.
    r = Cli((*server)->address(), {"--json", "admin", "verify"});
    EXPECT_TRUE(r.exit.ok()) << Describe(r);
    auto verification = ParseJson<v1::VerifyJournalResponse>(r.out);
    EXPECT_TRUE(verification.ok()) << r.out;
    EXPECT_EQ(verification.entries(), count_by_gtin.size());
    r = Cli((*server)->address(), {"admin", "rebuild-check"});
    EXPECT_TRUE(r.exit.ok()) << Describe(r);
  }

  auto stopped = (*server)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped.ToString() << "\n" << (*server)->Log();
  ProcessResult r = RunProcess(
      {SmptraceCliPath(), "admin", "verify", "--data_dir", data_dir});
  EXPECT_TRUE(r.exit.ok()) << Describe(r);
  r = RunProcess(
      {SmptraceCliPath(), "admin", "rebuild-check", "--data_dir", data_dir});
  EXPECT_TRUE(r.exit.ok()) << Describe(r);
}

TEST(CatalogE2e, RetriedRequestIdIsAppliedOnceOverTheWire) {
  TempDir dir;
  auto server = FreeServer::Start(dir.Sub("data"));
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = ChannelTo((*server)->address());
  auto catalog = v1::CatalogService::NewStub(channel);
  const uint64_t entries_before = VerifyOverGrpc(channel).entries();

  v1::CreateProductRequest request;
  request.set_request_id("6f1c1a52-2a0e-4d44-9a3e-0c2b9e6f0a01");
  *request.mutable_product() = Consumable(TestGtin(200));

  v1::Product first, second;
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    ASSERT_TRUE(catalog->CreateProduct(&context, request, &first).ok());
  }
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    grpc::Status status = catalog->CreateProduct(&context, request, &second);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_TRUE(SameMessage(first, second))
      << first.DebugString() << " vs " << second.DebugString();
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(VerifyOverGrpc(channel).entries(), entries_before + 1);

  // The same id for a different product is a client bug, not a retry.
  v1::CreateProductRequest reused = request;
  *reused.mutable_product() = Consumable(TestGtin(201));
  grpc::ClientContext context;
  SetDeadline(&context);
  v1::Product ignored;
  EXPECT_THAT(catalog->CreateProduct(&context, reused, &ignored),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("request_id")));
  EXPECT_EQ(VerifyOverGrpc(channel).entries(), entries_before + 1);
  EXPECT_EQ(ListAllOverGrpc(channel).size(), 1u);
}

TEST(CatalogE2e, ConcurrentCreatesLandOnceAndTheirRetriesChangeNothing) {
  constexpr int kClients = 64;
  TempDir dir;
  auto server = FreeServer::Start(dir.Sub("data"));
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = ChannelTo((*server)->address());

  std::vector<v1::CreateProductRequest> requests(kClients);
  for (int i = 0; i < kClients; ++i) {
    requests[i].set_request_id(absl::StrCat("e2e-concurrent-", i));
    *requests[i].mutable_product() = Consumable(TestGtin(300 + i));
  }

  // Sends every request at once (one thread each, released together) and
  // returns the answers by index.
  auto send_all = [&](std::vector<v1::Product>* answers,
                      std::vector<grpc::Status>* statuses) {
    answers->assign(kClients, v1::Product());
    statuses->assign(kClients, grpc::Status());
    std::mutex mu;
    std::condition_variable go;
    bool released = false;
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back([&, i] {
        auto catalog = v1::CatalogService::NewStub(channel);
        {
          std::unique_lock<std::mutex> lock(mu);
          go.wait(lock, [&] { return released; });
        }
        grpc::ClientContext context;
        SetDeadline(&context);
        (*statuses)[i] =
            catalog->CreateProduct(&context, requests[i], &(*answers)[i]);
      });
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      released = true;
    }
    go.notify_all();
    for (auto& t : clients) t.join();
  };

  std::vector<v1::Product> first, again;
  std::vector<grpc::Status> first_status, again_status;
  send_all(&first, &first_status);
  for (int i = 0; i < kClients; ++i) {
    ASSERT_TRUE(first_status[i].ok())
        << i << ": " << first_status[i].error_message();
    EXPECT_EQ(first[i].gtin(), requests[i].product().gtin());
    EXPECT_EQ(first[i].version(), 1);
  }
  const auto listed = ListAllOverGrpc(channel);
  std::set<std::string> gtins;
  for (const auto& p : listed) gtins.insert(p.gtin());
  EXPECT_EQ(listed.size(), static_cast<size_t>(kClients));
  EXPECT_EQ(gtins.size(), static_cast<size_t>(kClients));
  const uint64_t entries = VerifyOverGrpc(channel).entries();
  EXPECT_EQ(entries, static_cast<uint64_t>(kClients));

  // Every request again, same ids: the same answers, nothing new written.
  send_all(&again, &again_status);
  for (int i = 0; i < kClients; ++i) {
    ASSERT_TRUE(again_status[i].ok())
        << i << ": " << again_status[i].error_message();
    EXPECT_TRUE(SameMessage(first[i], again[i]))
        << first[i].DebugString() << " vs " << again[i].DebugString();
  }
  EXPECT_EQ(VerifyOverGrpc(channel).entries(), entries);
  EXPECT_EQ(ListAllOverGrpc(channel).size(), static_cast<size_t>(kClients));
}

}  // namespace
}  // namespace smptrace

namespace smptrace {
namespace {

// A second server on a port already served must not share it (SO_REUSEPORT
// would spread clients over two stores): it refuses to start.
TEST(ServerE2e, ASecondServerOnTheSamePortRefusesToStart) {
  TempDir dir;
  auto server = FreeServer::Start(dir.Sub("first"));
  ASSERT_TRUE(server.ok()) << server.status();
  ProcessResult second =
      RunProcess({testing::SmptracedPath(), "--insecure_dev", "--listen",
                  (*server)->address(), "--data_dir", dir.Sub("second")});
  EXPECT_EQ(second.exit.code, 1) << second.exit.ToString();
  EXPECT_THAT(second.out + second.err,
              HasSubstr("cannot listen on " + (*server)->address()));
}

}  // namespace
}  // namespace smptrace
