// A tampered store is not served silently: the server verifies the journal
// before it serves, refuses writes with FAILED_PRECONDITION and a message
// that says what to do, reports NOT_SERVING for the writing services (and
// the overall status) while the audit service stays SERVING, logs it loudly,
// and keeps serving reads for the investigation. The offline checks exit 1.
#include <string>

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

v1::CreateProductRequest Product(int n) {
  v1::CreateProductRequest r;
  r.set_request_id("product-" + std::to_string(n));
  v1::Product* p = r.mutable_product();
  p->set_gtin(testing::WithCheckDigit("0950600" + std::to_string(100000 + n)));
  p->set_name("Gloves " + std::to_string(n));
  p->set_kind(v1::PRODUCT_KIND_CONSUMABLE);
  p->set_manufacturer("GloveCo");
  p->set_units_per_pack(100);
  return r;
}

class DamagedStoreTest : public ::testing::Test {
 protected:
  void Start() {
    auto server = FreeServer::Start(data_);
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
  grpc::Status Create(int n) {
    grpc::ClientContext ctx;
    v1::Product out;
    return catalog_->CreateProduct(&ctx, Product(n), &out);
  }
  ServingStatus Health(const std::string& service) {
    grpc::ClientContext ctx;
    ServingStatus status = ServingStatus::kUnknown;
    EXPECT_TRUE(CheckHealth(channel_, &ctx, service, &status).ok());
    return status;
  }
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

  TempDir dir_;
  std::string data_ = dir_.Sub("data");
  std::unique_ptr<FreeServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
};

TEST_F(DamagedStoreTest, AFlippedBitRefusesWritesSaysSoInHealthAndKeepsReads) {
  Start();
  for (int n = 1; n <= 3; ++n) ASSERT_TRUE(Create(n).ok());
  ASSERT_TRUE(Stop().ok());
  Tamper(2, /*unparseable=*/false);

  Start();
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
  grpc::ClientContext ctx;
  v1::GetProductRequest get;
  get.set_gtin(Product(1).product().gtin());
  v1::Product out;
  EXPECT_TRUE(catalog_->GetProduct(&ctx, get, &out).ok());
  testing::ProcessResult verify =
      testing::RunProcess({testing::SmptraceCliPath(), "--server",
                           server_->address(), "admin", "verify"});
  EXPECT_EQ(verify.exit.code, 1) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("journal DAMAGED at seq 2"));
}

// docs/admin.md: both checks exit 1 when the record is wrong (2 only when
// they cannot run at all), also when the journal cannot be replayed.
TEST_F(DamagedStoreTest, OfflineChecksExitOneOnAnUnreplayableJournal) {
  Start();
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
