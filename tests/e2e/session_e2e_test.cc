// End to end: a whole procedure through the real smptrace CLI against a real
// smptraced on a free port. Stock is received over gRPC (receiving has its
// own end-to-end test); the procedure itself (start with screening, scan
// cartridges and pigment, dispose, close) goes through the CLI as a
// practitioner would run it, scans piped in as a scanner types them.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "smptrace/v1/inventory.grpc.pb.h"
#include "smptrace/v1/session.grpc.pb.h"
#include "tests/testing/gtin.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace smptrace {
namespace {

using ::smptrace::testing::FreeServer;
using ::smptrace::testing::ProcessResult;
using ::smptrace::testing::RunCli;
using ::smptrace::testing::RunProcess;
using ::smptrace::testing::SmptraceCliPath;
using ::smptrace::testing::TempDir;
using ::smptrace::testing::WithCheckDigit;
using ::testing::HasSubstr;
using ::testing::SizeIs;

const std::string kCartridge = WithCheckDigit("0950600000101");
const std::string kPigment = WithCheckDigit("0950600000202");

// As a scanner types a GS1 DataMatrix: ]d2, GS after a variable field.
std::string Scan(const std::string& gtin, const std::string& lot,
                 const std::string& serial = "") {
  std::string s = "]d201" + gtin + "17291231" + "10" + lot;
  if (!serial.empty())
    s += "\x1d"
         "21" +
         serial;
  return s;
}

class SessionE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = FreeServer::Start(dir_.Sub("data"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  ProcessResult Cli(std::vector<std::string> args,
                    const std::string& input = "") {
    std::vector<std::string> argv = {SmptraceCliPath(), "--server",
                                     server_->address(), "--timeout", "30"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, input);
  }

  // Runs and expects exit 0; returns stdout.
  std::string Ok(std::vector<std::string> args, const std::string& input = "") {
    ProcessResult r = Cli(args, input);
    EXPECT_TRUE(r.exit.exited && r.exit.code == 0)
        << absl::StrJoin(args, " ") << ": " << r.exit.ToString() << "\n"
        << r.out << r.err;
    return r.out;
  }

  void Receive(const std::string& location,
               const std::vector<std::string>& scans) {
    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    auto stub = v1::InventoryService::NewStub(channel);
    v1::ReceiveRequest r;
    r.set_request_id("receive-" + std::to_string(++received_));
    r.set_location_id(location);
    for (const auto& s : scans) r.add_lines()->set_barcode(s);
    v1::ReceiveResponse out;
    grpc::ClientContext ctx;
    grpc::Status status = stub->Receive(&ctx, r, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  void Recall(const std::string& gtin, const std::string& lot) {
    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    auto stub = v1::InventoryService::NewStub(channel);
    v1::SetLotStatusRequest r;
    r.set_request_id("recall-" + lot);
    r.set_gtin(gtin);
    r.set_lot(lot);
    r.set_status(v1::LOT_STATUS_RECALLED);
    r.mutable_recall()->set_reference("FSN-9");
    r.mutable_recall()->set_text("sterility not assured");
    v1::Lot out;
    grpc::ClientContext ctx;
    grpc::Status status = stub->SetLotStatus(&ctx, r, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  TempDir dir_;
  std::unique_ptr<FreeServer> server_;
  int received_ = 0;
};

TEST_F(SessionE2e, AWholeProcedureThroughTheCliLeavesASealedCompleteRecord) {
  Ok({"location", "create", "--name", "Clinic", "--kind", "clinic"});
  Ok({"location", "create", "--name", "Room 1", "--kind", "room", "--parent",
      "LOC-000001"});
  Ok({"product", "create", "--gtin", kCartridge, "--name", "Cartridge 1RL 0.25",
      "--kind", "cartridge", "--manufacturer", "Acme Needles", "--single_use",
      "true", "--sterile", "true", "--configuration", "1RL 0.25mm"});
  Ok({"product", "create", "--gtin", kPigment, "--name", "SMP Black", "--kind",
      "pigment", "--manufacturer", "InkCo", "--pao_days", "180"});
  Receive(
      "LOC-000002",
      {Scan(kCartridge, "CART-7", "SN-1"), Scan(kCartridge, "CART-7", "SN-2"),
       Scan(kCartridge, "CART-8", "SN-3"), Scan(kPigment, "INK-3", "BTL-1")});

  Ok({"client", "create", "--code", "HX-104", "--name", "Alex Example",
      "--phone", "+44 20 7946 0000"});
  std::string started =
      Ok({"session", "start", "--client", "HX-104", "--practitioner", "Sam",
          "--location", "LOC-000002", "--step", "first", "--area", "crown",
          "--supplements"});
  EXPECT_THAT(started, HasSubstr("SES-000001 started · screening WARN"));
  EXPECT_THAT(started, HasSubstr("supplements"));

  // Scans as a scanner types them, CR LF and all; the recalled lot is
  // refused and the command exits 1 (input is not a terminal).
  Recall(kCartridge, "CART-8");
  ProcessResult scanned = Cli({"session", "scan", "SES-000001"},
                              Scan(kCartridge, "CART-7", "SN-1") + "\r\n" +
                                  Scan(kCartridge, "CART-7", "SN-2") + "\n" +
                                  Scan(kCartridge, "CART-8", "SN-3") + "\n" +
                                  Scan(kPigment, "INK-3", "BTL-1") + "\n");
  EXPECT_EQ(scanned.exit.code, 1) << scanned.out << scanned.err;
  EXPECT_THAT(scanned.out,
              HasSubstr("✔ Cartridge 1RL 0.25 · lot CART-7 · expires "
                        "2029-12-31 · serial SN-1"));
  EXPECT_THAT(scanned.out, HasSubstr("✘ lot_recalled: Cartridge 1RL 0.25 lot "
                                     "CART-8 is recalled (notice FSN-9)"));
  EXPECT_THAT(scanned.out, HasSubstr("✔ SMP Black · lot INK-3"));
  EXPECT_THAT(scanned.out, HasSubstr("3 accepted, 1 refused"));

  // Close is refused while the cartridges are not in a sharps container.
  ProcessResult early = Cli({"session", "close", "SES-000001"});
  EXPECT_EQ(early.exit.code, 1);
  EXPECT_THAT(early.err, HasSubstr("units_not_disposed"));

  Ok({"container", "open", "--location", "LOC-000002", "--label",
      "5 L yellow"});
  std::string disposed = Ok({"dispose", "--container", "SHC-000001"},
                            Scan(kCartridge, "CART-7", "SN-1") + "\n" +
                                Scan(kCartridge, "CART-7", "SN-2") + "\n");
  EXPECT_THAT(disposed, HasSubstr("2 accepted, 0 refused"));
  std::string closed = Ok({"session", "close", "SES-000001"});
  EXPECT_THAT(closed, HasSubstr("SES-000001 closed and sealed at journal seq"));

  // The sealed record, as JSON: every consumable with lot, expiry, container
  // and disposal time; the refusal; the seal.
  std::string json = Ok({"--json", "session", "show", "SES-000001"});
  v1::GetSessionResponse record;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &record).ok())
      << json;
  EXPECT_EQ(record.verdict(), v1::RECORD_VERDICT_COMPLIANT);
  const v1::Session& s = record.session();
  EXPECT_EQ(s.status(), v1::SESSION_STATUS_CLOSED);
  ASSERT_THAT(s.consumables(), SizeIs(3));
  for (const auto& use : s.consumables()) {
    EXPECT_FALSE(use.lot().empty());
    EXPECT_EQ(use.expiry().year(), 2029) << use.product_name();
    if (use.single_use()) {
      EXPECT_EQ(use.container_id(), "SHC-000001");
      EXPECT_TRUE(use.has_disposed_at());
    }
  }
  ASSERT_THAT(s.refused_scans(), SizeIs(1));
  EXPECT_EQ(s.refused_scans(0).reason(), "lot_recalled");
  EXPECT_GT(s.seal().seq(), 0u);
  EXPECT_THAT(s.seal().hash(), SizeIs(64));

  // The readable record names the container and the seal.
  std::string shown = Ok({"session", "show", "SES-000001"});
  EXPECT_THAT(shown, HasSubstr("SHC-000001"));
  EXPECT_THAT(shown, HasSubstr("verdict   compliant"));

  std::string container = Ok({"container", "show", "SHC-000001"});
  EXPECT_THAT(container, HasSubstr("SN-1"));
  EXPECT_THAT(container, HasSubstr("SES-000001"));
  Ok({"admin", "verify"});
  Ok({"admin", "rebuild-check"});
}

}  // namespace
}  // namespace smptrace

namespace smptrace {
namespace {

// With the server gone, a scan loop stops at the first unreachable answer,
// says how many scans were not sent, and exits 3, instead of trying (and
// timing out on) every remaining line.
TEST(ScanLoopE2e, StopsAtAnUnreachableServerAndSaysWhatWasNotSent) {
  ProcessResult r =
      RunProcess({SmptraceCliPath(), "--server", "127.0.0.1:1", "--retries",
                  "0", "--timeout", "5", "session", "scan", "SES-000001"},
                 "(01)09506000134352(10)A\n(01)09506000134352(10)B\n(01)"
                 "09506000134352(10)C\n");
  EXPECT_EQ(r.exit.code, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("0 accepted, 0 refused, 3 not sent (server "
                               "unreachable: scan them again)"));
}

}  // namespace
}  // namespace smptrace
