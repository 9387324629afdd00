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
#include <functional>
#include <regex>
#include <string>
#include <thread>
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
    Ok({"location", "create", "--name", "Clinic", "--kind", "clinic"});
    Ok({"location", "create", "--name", "Room 1", "--kind", "room", "--parent",
        "LOC-000001"});
    Ok({"product", "create", "--gtin", kCartridge, "--name",
        "Cartridge 1RL 0.25", "--kind", "cartridge", "--manufacturer",
        "Acme Needles", "--single_use", "true", "--sterile", "true",
        "--configuration", "1RL 0.25mm"});
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

}  // namespace
}  // namespace smptrace
