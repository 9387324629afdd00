// End to end: a whole procedure through the real smptrace CLI against a real
// smptraced on a free port. Stock is received over gRPC (receiving has its
// own end-to-end test); the procedure itself (start with screening, scan
// cartridges and pigment, dispose, close) goes through the CLI as a
// practitioner would run it, scans piped in as a scanner types them.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iterator>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
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
using ::testing::Not;
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

  // A clinic, its Room 1 (LOC-000002) and the cartridge product.
  void CreateRoomAndCartridge() {
    Ok({"location", "create", "--name", "Clinic", "--kind", "clinic"});
    Ok({"location", "create", "--name", "Room 1", "--kind", "room", "--parent",
        "LOC-000001"});
    Ok({"product", "create", "--gtin", kCartridge, "--name",
        "Cartridge 1RL 0.25", "--kind", "cartridge", "--manufacturer",
        "Acme Needles", "--single_use", "true", "--sterile", "true",
        "--configuration", "1RL 0.25mm"});
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
  CreateRoomAndCartridge();
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

// Through the CLI: a void says whether the package was opened (one not
// opened goes back to stock and is scanned again as a normal use), and a
// lot-only dispose for a session takes that session's unit, not the one an
// earlier session left undisposed.
TEST_F(SessionE2e,
       AVoidedUnopenedUnitIsUsedAgainAndDisposeTakesTheSessionsUnit) {
  CreateRoomAndCartridge();
  Receive("LOC-000002", {Scan(kCartridge, "CART-7", "SN-1"),
                         Scan(kCartridge, "CART-7", "SN-2")});
  Ok({"client", "create", "--code", "HX-104", "--name", "Alex Example",
      "--phone", "+44 20 7946 0000"});
  const std::vector<std::string> start = {
      "session", "start",      "--client",    "HX-104", "--practitioner",
      "Sam",     "--location", "LOC-000002",  "--step", "first",
      "--area",  "crown",      "--none-apply"};
  const std::string lot_only = Scan(kCartridge, "CART-7");
  Ok(start);
  EXPECT_THAT(Ok({"session", "scan", "SES-000001"}, lot_only + "\n"),
              HasSubstr("serial SN-1"));
  Ok({"session", "close", "SES-000001", "--reason", "container full"});

  Ok(start);
  std::string scanned = Ok({"session", "scan", "SES-000002"},
                           Scan(kCartridge, "CART-7", "SN-2") + "\n");
  const std::string seq = scanned.substr(scanned.rfind("scan ") + 5);
  const std::string scan_seq = seq.substr(0, seq.find_first_of(" \n"));
  ProcessResult unsaid = Cli({"session", "void", "SES-000002", "--scan",
                              scan_seq, "--reason", "wrong box"});
  EXPECT_NE(unsaid.exit.code, 0) << unsaid.out << unsaid.err;
  EXPECT_THAT(unsaid.err, HasSubstr("--package is required"));
  EXPECT_THAT(Ok({"session", "void", "SES-000002", "--scan", scan_seq,
                  "--reason", "wrong box", "--package", "not_opened"}),
              HasSubstr("voided · unit back in stock"));
  std::string again = Ok({"session", "scan", "SES-000002"},
                         Scan(kCartridge, "CART-7", "SN-2") + "\n");
  EXPECT_THAT(again, HasSubstr("✔ Cartridge 1RL 0.25 · lot CART-7"));
  EXPECT_THAT(again, HasSubstr("1 accepted, 0 refused"));

  Ok({"container", "open", "--location", "LOC-000002"});
  ProcessResult ambiguous =
      Cli({"dispose", "--container", "SHC-000001"}, lot_only + "\n");
  EXPECT_EQ(ambiguous.exit.code, 1);
  EXPECT_THAT(ambiguous.out,
              HasSubstr("unit_ambiguous: the barcode names only lot CART-7"));
  EXPECT_THAT(
      Ok({"dispose", "--container", "SHC-000001", "--session", "SES-000002"},
         lot_only + "\n"),
      HasSubstr("serial SN-2 · lot CART-7 → SHC-000001"));
  std::string closed = Ok({"session", "close", "SES-000002"});
  EXPECT_THAT(closed, HasSubstr("SES-000002 closed and sealed"));
  EXPECT_THAT(closed, HasSubstr("voided, package not opened"));
  EXPECT_THAT(Ok({"session", "show", "SES-000001"}),
              Not(HasSubstr("SHC-000001")));
  Ok({"admin", "rebuild-check"});
}

// Issue 13 item 12: the unit that really moved is the one transferred (so it
// is accepted in the room it went to), and the day's lists, the client's new
// contact, the recall worksheet and the inspector's PDF through the CLI.
TEST_F(SessionE2e, TransferByScanningAndTheDailyListsThroughTheCli) {
  Ok({"location", "create", "--name", "Clinic", "--kind", "clinic"});
  Ok({"location", "create", "--name", "Store", "--kind", "store", "--parent",
      "LOC-000001"});
  Ok({"location", "create", "--name", "Room 1", "--kind", "room", "--parent",
      "LOC-000001"});
  Ok({"product", "create", "--gtin", kCartridge, "--name", "Cartridge 1RL 0.25",
      "--kind", "cartridge", "--manufacturer", "Acme Needles", "--single_use",
      "true", "--sterile", "true", "--configuration", "1RL 0.25mm"});
  Receive("LOC-000002", {Scan(kCartridge, "CART-7", "SN-1"),
                         Scan(kCartridge, "CART-7", "SN-2"),
                         Scan(kCartridge, "CART-7", "SN-3")});
  // SN-3 is the one carried to the room (count-based would have taken SN-1).
  std::string moved =
      Ok({"transfer", "--from", "LOC-000002", "--to", "LOC-000003", "--scan"},
         Scan(kCartridge, "CART-7", "SN-3") + "\r\n");
  EXPECT_THAT(moved, HasSubstr("✔ " + kCartridge +
                               " serial SN-3 · lot CART-7 → LOC-000003"));
  EXPECT_THAT(moved, HasSubstr("1 accepted, 0 refused"));
  ProcessResult mixed = Cli({"transfer", "--from", "LOC-000002", "--to",
                             "LOC-000003", "--scan", "--quantity", "1"});
  EXPECT_EQ(mixed.exit.code, 2) << mixed.err;

  Ok({"client", "create", "--code", "HX-104", "--name", "Alex Example",
      "--phone", "+44 20 7946 0000"});
  Ok({"session", "start", "--client", "HX-104", "--practitioner", "Sam",
      "--location", "LOC-000003", "--step", "first", "--area", "crown",
      "--none-apply"});
  std::string scanned = Ok({"session", "scan", "SES-000001"},
                           Scan(kCartridge, "CART-7", "SN-3") + "\n");
  EXPECT_THAT(scanned, HasSubstr("1 accepted, 0 refused"));

  std::string open = Ok({"session", "list", "--status", "open"});
  EXPECT_THAT(open, HasSubstr("SES-000001"));
  EXPECT_THAT(open, HasSubstr("1 session(s)"));
  EXPECT_THAT(Ok({"session", "list", "--location", "LOC-000002"}),
              HasSubstr("0 session(s)"));
  ProcessResult unknown = Cli({"session", "list", "--location", "LOC-000042"});
  EXPECT_EQ(unknown.exit.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("location LOC-000042 does not exist"));

  EXPECT_THAT(Ok({"client", "update", "HX-104", "--name", "Alex Example",
                  "--email", "alex@example.org"}),
              HasSubstr("CLI-000001 code HX-104 · contact version 2"));
  EXPECT_THAT(Ok({"client", "list", "--contact"}),
              HasSubstr("Alex Example · alex@example.org"));

  Ok({"container", "open", "--location", "LOC-000003"});
  EXPECT_THAT(Ok({"container", "list", "--status", "open"}),
              HasSubstr("SHC-000001 · LOC-000003 · open"));

  Ok({"recall", "open", "--notice", "FSN-7", "--text", "sterility not assured",
      "--lot", kCartridge + ":CART-7"});
  EXPECT_THAT(Ok({"recall", "list", "--status", "open"}),
              HasSubstr("RC-000001"));
  std::string sheet = Ok({"recall", "worksheet", "RC-000001"});
  EXPECT_THAT(sheet, HasSubstr("CLI-000001 code HX-104 · NOT NOTIFIED"));
  EXPECT_THAT(sheet, HasSubstr("Alex Example · alex@example.org"));
  EXPECT_THAT(sheet, HasSubstr(kCartridge + " CART-7 SN-3"));

  const std::string pdf = dir_.Sub("inspection.pdf");
  std::string inspection =
      Ok({"inspection", "--session", "SES-000001", "--pdf", pdf});
  EXPECT_THAT(inspection, HasSubstr("1 session(s) · journal verified"));
  std::ifstream file(pdf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
  EXPECT_NE(bytes.find("SN-3"), std::string::npos);
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

namespace smptrace {
namespace {

using ::smptrace::testing::OutputFiles;
using ::smptrace::testing::SmptracedPath;
using ::smptrace::testing::Subprocess;
using ::testing::Not;

// Issue 12 item 10: the scan loop and a server that goes away. A clinic with
// one room, cartridges SN-1..SN-5 in it and session SES-000001 open.
class ScanLoopServerLossE2e : public SessionE2e {
 protected:
  void SetUp() override {
    SessionE2e::SetUp();
    CreateRoomAndCartridge();
    std::string scans;
    for (int i = 1; i <= 5; ++i) scans += Label(i) + "\n";
    Ok({"receive", "--location", "LOC-000002"}, scans);
    Ok({"client", "create", "--code", "HX-104", "--name", "Alex Example",
        "--phone", "+44 20 7946 0000"});
    Ok({"session", "start", "--client", "HX-104", "--practitioner", "Sam",
        "--location", "LOC-000002", "--step", "first", "--area", "crown",
        "--none-apply"});
  }

  static std::string Label(int n) {
    return Scan(kCartridge, "CART-7", "SN-" + std::to_string(n));
  }

  // SIGKILL, then a new server on the same data directory and address.
  void Restart() {
    const std::string address = server_->address();
    server_->Kill();
    auto server = FreeServer::StartWith(SmptracedPath(), dir_.Sub("data"),
                                        {"--insecure_dev"}, address);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  v1::Session Session() {
    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    auto stub = v1::SessionService::NewStub(channel);
    v1::GetSessionRequest r;
    r.set_session_id("SES-000001");
    v1::GetSessionResponse out;
    grpc::ClientContext ctx;
    grpc::Status status = stub->GetSession(&ctx, r, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.session();
  }

  // Each of SN-1..SN-n used once in the session, nothing refused, no
  // exception.
  void ExpectEachScannedOnce(int n) {
    const v1::Session s = Session();
    ASSERT_THAT(s.consumables(), SizeIs(n));
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(s.consumables(i).serial(), "SN-" + std::to_string(i + 1));
    }
    EXPECT_THAT(s.refused_scans(), SizeIs(0));
    EXPECT_THAT(s.exceptions(), SizeIs(0));
  }
};

// Polls `text()` until `needle` shows in it; bounded, it only bounds a hang.
bool WaitForText(const std::function<std::string()>& text,
                 const std::string& needle) {
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (text().find(needle) == std::string::npos) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// A scan loop reading what the test types, as a scanner would: through a
// pipe, or a terminal (a pseudo-terminal, so the CLI sees a person).
class ScanLoop {
 public:
  ScanLoop(const std::string& server, const std::vector<std::string>& args,
           bool terminal = false)
      : terminal_(terminal) {
    OutputFiles files;
    if (terminal) {
      scanner_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
      EXPECT_GE(scanner_, 0);
      EXPECT_EQ(grantpt(scanner_), 0);
      EXPECT_EQ(unlockpt(scanner_), 0);
      termios mode;
      EXPECT_EQ(tcgetattr(scanner_, &mode), 0);
      mode.c_lflag &= ~static_cast<tcflag_t>(ECHO);  // lines, not echoes
      EXPECT_EQ(tcsetattr(scanner_, TCSANOW, &mode), 0);
      files.stdin_path = ptsname(scanner_);
    } else {
      const std::string fifo = scratch_.Sub("scanner");
      EXPECT_EQ(mkfifo(fifo.c_str(), 0600), 0);
      // Opened here first, read-write, so that the child's open does not
      // wait for a writer; close-on-exec, so that closing it ends the input.
      scanner_ = open(fifo.c_str(), O_RDWR | O_CLOEXEC);
      EXPECT_GE(scanner_, 0);
      files.stdin_path = fifo;
    }
    std::vector<std::string> argv = {SmptraceCliPath(), "--server", server};
    argv.insert(argv.end(), args.begin(), args.end());
    auto p = Subprocess::Start(argv, files);
    EXPECT_TRUE(p.ok()) << p.status();
    if (p.ok()) cli_ = std::move(*p);
  }
  ~ScanLoop() {
    if (scanner_ >= 0) close(scanner_);
  }

  void Type(const std::string& line) {
    const std::string text = line + "\n";
    EXPECT_EQ(write(scanner_, text.data(), text.size()),
              static_cast<ssize_t>(text.size()));
  }
  // Types `text` as it is (the scanner's own endings).
  void TypeRaw(const std::string& text) {
    EXPECT_EQ(write(scanner_, text.data(), text.size()),
              static_cast<ssize_t>(text.size()));
  }
  // Waits for the CLI, which ends by itself ("done").
  ProcessResult Finish() {
    ProcessResult r;
    r.exit = cli_->Wait();
    r.out = cli_->Stdout();
    r.err = cli_->Stderr();
    return r;
  }
  bool Printed(const std::string& needle) {
    return WaitForText([this] { return cli_->Stdout(); }, needle);
  }
  bool Said(const std::string& needle) {
    return WaitForText([this] { return cli_->Stderr(); }, needle);
  }
  // Ends the input (Ctrl-D at a terminal) and waits for the CLI.
  ProcessResult End() {
    if (terminal_) {
      EXPECT_EQ(write(scanner_, "\x04", 1), 1);
    } else {
      close(scanner_);
      scanner_ = -1;
    }
    ProcessResult r;
    r.exit = cli_->Wait();
    r.out = cli_->Stdout();
    r.err = cli_->Stderr();
    return r;
  }

 private:
  const bool terminal_;
  TempDir scratch_;
  int scanner_ = -1;
  std::unique_ptr<Subprocess> cli_;
};

// The server is killed between two scans and while a scan is in flight, and
// comes back on the same data directory and port: the loop says it is
// waiting, re-sends with the same request id, and goes on; every scan is
// recorded exactly once and none is called "not sent".
TEST_F(ScanLoopServerLossE2e, RidesOutAServerRestart) {
  ScanLoop loop(server_->address(),
                {"--timeout", "5", "session", "scan", "SES-000001"});
  loop.Type(Label(1));
  ASSERT_TRUE(loop.Printed("serial SN-1 · scan"));

  // Between two scans.
  server_->Kill();
  loop.Type(Label(2));
  ASSERT_TRUE(loop.Said("waiting for the server at " + server_->address()));
  Restart();
  ASSERT_TRUE(loop.Printed("serial SN-2 · scan"));

  // In flight, or just before or after it arrived: whichever, the retry with
  // the same request id records it once.
  for (int n = 3; n <= 5; ++n) {
    loop.Type(Label(n));
    Restart();
    ASSERT_TRUE(loop.Printed("serial SN-" + std::to_string(n) + " · scan"));
  }

  ProcessResult r = loop.End();
  EXPECT_EQ(r.exit.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("5 accepted, 0 refused\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("not sent")));
  EXPECT_THAT(r.err, HasSubstr("the server answered after")) << r.err;
  ExpectEachScannedOnce(5);
  Ok({"admin", "verify"});
}

// A server that takes the scan and never answers (stopped): after the
// retry budget the loop says the outcome is unknown, with the request id,
// not "not sent", and stops; the lines after it were really not sent.
// Repeating the scan with that id, or scanning the unit again, answers as
// the first and records it once.
TEST_F(ScanLoopServerLossE2e, SaysOutcomeUnknownWhenTheServerNeverAnswers) {
  ASSERT_TRUE(server_->process().Signal(SIGSTOP));
  ProcessResult r = RunProcess(
      {SmptraceCliPath(), "--server", server_->address(), "--timeout", "0.5",
       "--retry_seconds", "1", "session", "scan", "SES-000001"},
      Label(1) + "\n" + Label(2) + "\n");
  ProcessResult create = RunProcess(
      {SmptraceCliPath(), "--server", server_->address(), "--timeout", "0.5",
       "--retry_seconds", "1", "client", "create", "--code", "HX-200", "--name",
       "Jo Example", "--phone", "+44 20 7946 0001"});
  ASSERT_TRUE(server_->process().Signal(SIGCONT));
  EXPECT_EQ(r.exit.code, 3) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("waiting for the server"));
  EXPECT_THAT(r.out,
              HasSubstr("): the server may have recorded it; scan it again: a "
                        "repeat into the same session answers as the first"));
  EXPECT_THAT(r.out, HasSubstr("0 accepted, 0 refused, 1 outcome unknown"));
  EXPECT_THAT(r.out, HasSubstr(", 1 not sent (server unreachable"));
  std::smatch id;
  ASSERT_TRUE(std::regex_search(r.out, id,
                                std::regex("outcome unknown \\(request id "
                                           "([0-9a-f-]+)\\)")))
      << r.out;

  // Its own request id answers what became of it; a re-scan is the same use.
  std::string again =
      Ok({"--request_id", id[1].str(), "session", "scan", "SES-000001"},
         Label(1) + "\n");
  EXPECT_THAT(again, HasSubstr("serial SN-1 · scan"));
  EXPECT_THAT(Ok({"session", "scan", "SES-000001"}, Label(1) + "\n"),
              HasSubstr("1 accepted, 0 refused"));
  ExpectEachScannedOnce(1);

  // A single command says the same, and how to learn the outcome.
  EXPECT_EQ(create.exit.code, 3) << create.out << create.err;
  EXPECT_THAT(create.err, HasSubstr("error: DEADLINE_EXCEEDED: no answer from "
                                    "the server at " +
                                    server_->address()));
  ASSERT_TRUE(std::regex_search(
      create.err, id,
      std::regex("outcome unknown: the server may have recorded it; run the "
                 "same command again with --request_id ([0-9a-f-]+) ")))
      << create.err;
  EXPECT_EQ(
      Ok({"--request_id", id[1].str(), "client", "create", "--code", "HX-200",
          "--name", "Jo Example", "--phone", "+44 20 7946 0001"}),
      "CLI-000002 code HX-200\n");
}

// At a terminal the loop goes on after a scan of unknown outcome: the next
// scan first re-sends it with the same request id (the server, back, records
// it once), then goes out itself.
TEST_F(ScanLoopServerLossE2e, AtATerminalResendsTheUnansweredScanFirst) {
  ASSERT_TRUE(server_->process().Signal(SIGSTOP));
  ScanLoop loop(server_->address(),
                {"--timeout", "0.5", "--retry_seconds", "1", "session", "scan",
                 "SES-000001"},
                /*terminal=*/true);
  loop.Type(Label(1));
  ASSERT_TRUE(loop.Printed(
      "the server may have recorded it; it is sent again, with the same "
      "request id, before your next scan"));
  ASSERT_TRUE(server_->process().Signal(SIGCONT));
  loop.Type(Label(2));
  ASSERT_TRUE(loop.Printed("serial SN-2 · scan"));
  ProcessResult r = loop.End();
  EXPECT_EQ(r.exit.code, 0) << r.out << r.err;
  EXPECT_LT(r.out.find("serial SN-1 · scan"), r.out.find("serial SN-2 · scan"))
      << r.out;
  EXPECT_THAT(r.out, HasSubstr("2 accepted, 0 refused\n"));
  ExpectEachScannedOnce(2);
}

// Issue 13 item 13: what ends a scan and what ends the loop.
using ScanEndingsE2e = ScanLoopServerLossE2e;

// A scanner sending CR+LF made an empty line that ended the loop after the
// first item at a terminal (the next barcode went to the shell). Now CR+LF
// and Tab each end one scan, and only "done" (or Ctrl-D) ends the loop.
TEST_F(ScanEndingsE2e, AtATerminalCrLfAndTabEachEndOneScanUntilDone) {
  ScanLoop loop(server_->address(), {"session", "scan", "SES-000001"},
                /*terminal=*/true);
  ASSERT_TRUE(loop.Said("scan> "));  // ready: Tab now ends a line too
  loop.TypeRaw(Label(1) + "\r\n");
  ASSERT_TRUE(loop.Printed("serial SN-1 · scan"));
  loop.TypeRaw(Label(2) + "\r\n");
  ASSERT_TRUE(loop.Printed("serial SN-2 · scan"));
  loop.TypeRaw(Label(3) + "\t");
  ASSERT_TRUE(loop.Printed("serial SN-3 · scan"));
  loop.TypeRaw("done\r\n");
  ProcessResult r = loop.Finish();
  EXPECT_EQ(r.exit.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("3 accepted, 0 refused\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("✘"))) << r.out;
  EXPECT_THAT(r.err, HasSubstr("type done (or press Ctrl-D) to finish"));
  ExpectEachScannedOnce(3);
}

// From a file every ending is one scan too, and a blank line does not stop
// the loop: only the end of the file does.
TEST_F(ScanEndingsE2e, FromAFileEveryEndingIsOneScanAndOnlyTheEndStops) {
  ProcessResult r = Cli({"session", "scan", "SES-000001"},
                        Label(1) + "\r\n" + Label(2) + "\r\n\r\n" + Label(3) +
                            "\t" + Label(4) + "\r" + Label(5) + "\n");
  EXPECT_EQ(r.exit.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("5 accepted, 0 refused\n"));
  EXPECT_EQ(r.err, "");  // no prompt for a file
  ExpectEachScannedOnce(5);
}

// Issue 13 item 14: --json scan loops print one JSON object per scan and a
// summary, counts as numbers; nothing else on stdout.
TEST_F(ScanEndingsE2e, JsonPrintsOneObjectPerScanAndASummary) {
  const std::string unknown = Scan(kPigment, "INK-1");
  ProcessResult r = Cli({"session", "scan", "SES-000001", "--json"},
                        Label(1) + "\n" + unknown + "\n");
  EXPECT_EQ(r.exit.code, 1) << r.out << r.err;  // one refused, from a file
  std::vector<google::protobuf::Struct> lines;
  for (absl::string_view line :
       absl::StrSplit(r.out, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct object;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                    std::string(line.data(), line.size()), &object)
                    .ok())
        << line;
    lines.push_back(object);
  }
  ASSERT_THAT(lines, SizeIs(3)) << r.out;
  auto field = [](const google::protobuf::Struct& s, const std::string& name) {
    return s.fields().count(name) ? s.fields().at(name)
                                  : google::protobuf::Value();
  };
  EXPECT_EQ(field(lines[0], "outcome").string_value(), "accepted");
  EXPECT_EQ(field(lines[0], "barcode").string_value(), Label(1));
  const google::protobuf::Value answer = field(lines[0], "answer");
  ASSERT_TRUE(answer.struct_value().fields().count("use")) << r.out;
  const google::protobuf::Struct& use =
      answer.struct_value().fields().at("use").struct_value();
  EXPECT_EQ(use.fields().at("serial").string_value(), "SN-1");
  EXPECT_EQ(use.fields().at("seq").kind_case(),
            google::protobuf::Value::kNumberValue)
      << r.out;
  EXPECT_EQ(field(lines[1], "outcome").string_value(), "refused");
  EXPECT_EQ(field(lines[1], "code").string_value(), "FAILED_PRECONDITION")
      << r.out;
  EXPECT_NE(field(lines[1], "reason").string_value(), "") << r.out;
  const google::protobuf::Value summary_value = field(lines[2], "summary");
  const google::protobuf::Struct& summary = summary_value.struct_value();
  EXPECT_EQ(summary.fields().at("accepted").number_value(), 1) << r.out;
  EXPECT_EQ(summary.fields().at("refused").number_value(), 1) << r.out;
}

}  // namespace
}  // namespace smptrace
