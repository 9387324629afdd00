// End to end: receiving through the real CLI against a real smptraced. A
// scanner's 1,000 lines (GS1 element strings with GS separators and
// symbology identifiers, human-readable forms, serialised units, box labels
// with counts, typed lines, CR/LF line ends, and some that must be refused)
// are piped into `smptrace receive`; the stock the server then reports must
// match, per lot and location, what the accepted lines add up to, computed
// here independently; and the state must equal a replay of the journal.
// Also: HIBC primary + secondary lines, stock paging, lot status, expiry,
// labels, and the refusals the manager sees.
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "smptrace/v1/inventory.pb.h"
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

class InventoryE2e : public ::testing::Test {
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

  std::string Ok(std::vector<std::string> args, const std::string& input = "") {
    ProcessResult r = Cli(args, input);
    EXPECT_TRUE(r.exit.exited && r.exit.code == 0)
        << args[0] << ": " << r.exit.ToString() << "\n"
        << r.err;
    return r.out;
  }

  // `smptrace --json stock ARGS...`, one StockLine per output line.
  std::vector<v1::StockLine> StockLines(std::vector<std::string> args) {
    args.insert(args.begin(), {"--json", "stock"});
    std::vector<v1::StockLine> out;
    for (absl::string_view line :
         absl::StrSplit(Ok(args), '\n', absl::SkipEmpty())) {
      v1::StockLine s;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(
                      std::string(line.data(), line.size()), &s)
                      .ok())
          << line;
      out.push_back(s);
    }
    return out;
  }

  // Stock lines as JSON, keyed "lot@location" -> in_stock (one product).
  std::map<std::string, int64_t> StockOf(const std::string& gtin) {
    std::map<std::string, int64_t> out;
    for (const v1::StockLine& s : StockLines({"--gtin", gtin})) {
      out[s.lot() + "@" + s.location_id()] = s.in_stock();
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<FreeServer> server_;
};

TEST_F(InventoryE2e, AThousandScannedLinesLeaveExactlyTheStockScanned) {
  const std::string cartridge = WithCheckDigit("0950600000101");
  const std::string pigment = WithCheckDigit("0950600000202");
  const std::string unknown = WithCheckDigit("0950600000999");
  Ok({"location", "create", "--name", "Clinic", "--kind", "clinic"});
  Ok({"location", "create", "--name", "Stock room", "--kind", "store",
      "--parent", "LOC-000001"});
  Ok({"location", "create", "--name", "Room 1", "--kind", "room", "--parent",
      "LOC-000001"});
  Ok({"product", "create", "--gtin", cartridge, "--name", "Cartridge 1RL 0.25",
      "--kind", "cartridge", "--manufacturer", "Acme", "--single_use", "true",
      "--sterile", "true", "--configuration", "1RL 0.25mm"});
  Ok({"product", "create", "--gtin", pigment, "--name", "SMP Black", "--kind",
      "pigment", "--manufacturer", "InkCo", "--pao_days", "180"});

  // Each lot has one expiry; a few lines repeat a lot with another expiry
  // (refused), some name an unknown product (refused).
  const std::vector<std::string> lots = {"C-1", "C-2", "c-2", "C/3", "C-4"};
  const std::map<std::string, std::string> expiry = {{"C-1", "271231"},
                                                     {"C-2", "280131"},
                                                     {"c-2", "280229"},
                                                     {"C/3", "290100"},
                                                     {"C-4", "270630"}};
  std::mt19937 rng(1124);
  std::map<std::string, std::map<std::string, int64_t>> want;  // gtin, lot@loc
  std::string input;
  int refused_expected = 0;
  int serial = 0;
  std::vector<std::string> batches[2];  // lines per location
  for (int i = 0; i < 1000; ++i) {
    const std::string& lot = lots[rng() % lots.size()];
    const std::string exp = expiry.at(lot);
    const int shape = static_cast<int>(rng() % 10);
    const int where = static_cast<int>(rng() % 2);
    std::string line;
    int64_t units = 1;
    std::string gtin = cartridge;
    switch (shape) {
      case 0:  // GS1 DataMatrix with ]d2, a serial after GS
        line = "]d201" + cartridge + "17" + exp + "10" + lot +
               "\x1d"
               "21S" +
               std::to_string(++serial);
        break;
      case 1:  // human-readable
        line = "(01)" + cartridge + "(17)" + exp + "(10)" + lot;
        break;
      case 2:  // box label: (00) SSCC + (02) content + (37) count
        units = 1 + static_cast<int>(rng() % 20);
        line =
            "]d200106141411234567897"
            "02" +
            cartridge + "17" + exp + "10" + lot +
            "\x1d"
            "37" +
            std::to_string(units);
        break;
      case 3:  // pigment bottle, CR LF from the scanner
        gtin = pigment;
        line = "]C101" + pigment + "17" + exp + "10" + lot + "\r";
        break;
      case 4:  // refused: same lot, another expiry (once the lot exists)
        line = "(01)" + cartridge + "(17)260930(10)" + lot;
        units = 0;
        break;
      case 5:  // refused: unknown product
        line = "(01)" + unknown + "(17)" + exp + "(10)" + lot;
        units = 0;
        break;
      default:  // no symbology identifier, no trailing GS
        line = "01" + cartridge + "17" + exp + "10" + lot;
        break;
    }
    batches[where].push_back(line);
    if (units > 0) {
      want[gtin][lot + "@" + (where == 0 ? "LOC-000002" : "LOC-000003")] +=
          units;
    }
  }

  // Shape 4 on a lot that does not exist yet is not a conflict but a new lot
  // with that expiry; to keep the expectation independent of order, make
  // every lot exist first.
  std::string seed;
  for (const auto& lot : lots) {
    seed += "(01)" + cartridge + "(17)" + expiry.at(lot) + "(10)" + lot + "\n";
    seed += "(01)" + pigment + "(17)" + expiry.at(lot) + "(10)" + lot + "\n";
    want[cartridge][lot + "@LOC-000002"] += 1;
    want[pigment][lot + "@LOC-000002"] += 1;
  }
  Ok({"receive", "--location", "LOC-000002"}, seed);

  int accepted = 0, refused = 0;
  for (int where = 0; where < 2; ++where) {
    std::string text;
    for (const auto& line : batches[where]) text += line + "\n";
    ProcessResult r =
        Cli({"receive", "--location", where == 0 ? "LOC-000002" : "LOC-000003"},
            text);
    EXPECT_EQ(r.exit.code, 1) << r.err;  // some lines are refused
    for (absl::string_view l : absl::StrSplit(r.out, '\n')) {
      if (absl::StartsWith(l, "✔")) ++accepted;
      if (absl::StartsWith(l, "✘")) ++refused;
    }
    EXPECT_THAT(r.out, HasSubstr("expiry_mismatch: lines[0]: lot "));
    EXPECT_THAT(r.out, HasSubstr("NOT_FOUND: lines[0]: no product has GTIN " +
                                 unknown));
  }
  refused_expected = 0;
  for (const auto& batch : batches) {
    for (const auto& line : batch) {
      refused_expected += line.find("(17)260930") != std::string::npos ||
                          line.find(unknown) != std::string::npos;
    }
  }
  EXPECT_EQ(accepted + refused, 1000);
  EXPECT_EQ(refused, refused_expected);

  for (const std::string& gtin : {cartridge, pigment}) {
    EXPECT_EQ(StockOf(gtin), want[gtin]) << gtin;
  }
  Ok({"admin", "rebuild-check"});
  Ok({"admin", "verify"});
}

TEST_F(InventoryE2e, LotStatusExpiryLabelsAndTheirRefusalsThroughTheCli) {
  const std::string cartridge = WithCheckDigit("0950600000101");
  Ok({"location", "create", "--name", "Clinic", "--kind", "clinic"});
  Ok({"location", "create", "--name", "Stock room", "--kind", "store",
      "--parent", "LOC-000001"});
  Ok({"product", "create", "--gtin", cartridge, "--name", "Cartridge 1RL 0.25",
      "--kind", "cartridge", "--manufacturer", "Acme", "--single_use", "true",
      "--sterile", "true", "--configuration", "1RL 0.25mm"});
  const std::string labels = dir_.Sub("labels.pdf");
  ProcessResult first = Cli(
      {"receive", "--location", "LOC-000002"},
      "(01)" + cartridge + "(17)261215(10)SOON\n" + cartridge + " LATER 5\n");
  EXPECT_EQ(first.exit.code, 1);
  // A typed line of a new sterile lot needs --expiry.
  EXPECT_THAT(first.out, HasSubstr("✘ INVALID_ARGUMENT: lines[0].expiry"));
  Ok({"receive", "--location", "LOC-000002", "--expiry", "2027-06-30",
      "--labels", labels},
     cartridge + " LATER 5\n");
  std::ifstream pdf(labels, std::ios::binary);
  std::string head(5, '\0');
  pdf.read(head.data(), 5);
  EXPECT_EQ(head, "%PDF-");

  EXPECT_THAT(Ok({"expiring", "--days", "30"}), HasSubstr("SOON"));
  Ok({"lot", "quarantine", cartridge, "LATER", "--reason", "box wet"});
  EXPECT_THAT(Ok({"stock", "--gtin", cartridge, "--lot", "LATER"}),
              HasSubstr("quarantined"));
  // A date that is not a calendar day is refused before anything is sent:
  // a recall is final, it must not be recorded with the wrong date.
  ProcessResult bad_date =
      Cli({"lot", "recall", cartridge, "LATER", "--notice", "FSN-1", "--text",
           "sterility not assured", "--notice-date", "2026-02-30"});
  EXPECT_EQ(bad_date.exit.code, 2);
  EXPECT_THAT(bad_date.err,
              HasSubstr("--notice-date: '2026-02-30' is not a calendar day"));
  EXPECT_THAT(Ok({"lot", "show", cartridge, "LATER"}),
              HasSubstr("status     quarantined"));
  Ok({"lot", "recall", cartridge, "LATER", "--notice", "FSN-1", "--text",
      "sterility not assured", "--notice-date", "2026-11-20"});
  const std::vector<v1::StockLine> recalled =
      StockLines({"--gtin", cartridge, "--lot", "LATER"});
  ASSERT_EQ(recalled.size(), 1u);
  EXPECT_EQ(recalled[0].lot_status(), v1::LOT_STATUS_RECALLED);
  EXPECT_EQ(recalled[0].recalled(), 5);
  EXPECT_EQ(recalled[0].usable(), 0);
  ProcessResult again =
      Cli({"lot", "release", cartridge, "LATER", "--reason", "ok"});
  EXPECT_EQ(again.exit.code, 1);
  EXPECT_THAT(again.err, HasSubstr("[lot_recalled]"));
  EXPECT_THAT(again.err, HasSubstr("a recall is final"));
  EXPECT_THAT(Ok({"lot", "show", cartridge, "LATER", "--units"}),
              HasSubstr("recall     FSN-1 of 2026-11-20: sterility not "
                        "assured"));
  Ok({"discard", "--gtin", cartridge, "--lot", "LATER", "--location",
      "LOC-000002", "--quantity", "5", "--reason", "recalled"});
  EXPECT_THAT(Ok({"stock", "--all", "--gtin", cartridge, "--lot", "LATER"}),
              HasSubstr("TOTAL"));
  Ok({"admin", "rebuild-check"});
}

// `data` with its HIBC mod-43 check character appended, written out here
// rather than taken from service/domain.
std::string WithHibcCheck(const std::string& data) {
  const std::string set = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";
  size_t sum = 0;
  for (char c : data) sum += set.find(c);
  return data + set[sum % 43];
}

// A scanner reading an HIBC item with two symbols types the primary, then
// the secondary ("+$..."): receive sends the two as one item. A primary
// with no secondary after it goes alone (and needs a lot); a symbol that
// carries both parts goes as it is.
TEST_F(InventoryE2e, HibcPrimaryThenSecondaryLineIsReceivedAsOneItem) {
  const std::string film = WithCheckDigit("0950600000303");
  Ok({"location", "create", "--name", "Clinic", "--kind", "clinic"});
  Ok({"location", "create", "--name", "Stock room", "--kind", "store",
      "--parent", "LOC-000001"});
  Ok({"product", "create", "--gtin", film, "--name", "Barrier film", "--kind",
      "consumable", "--manufacturer", "Acme", "--hibc_id", "A123BJC5D6E7",
      "--sterile", "true", "--sterilization", "gamma"});
  const std::string primary = WithHibcCheck("+A123BJC5D6E7");
  const std::string secondary =
      WithHibcCheck("+$$3271231LOT77" + primary.substr(primary.size() - 1));
  const std::string both = WithHibcCheck("+A123BJC5D6E7/$$3271231LOT78");

  ProcessResult r = Cli({"receive", "--location", "LOC-000002"},
                        primary + "\r\n" + secondary + "\r\n" + primary + "\n" +
                            both + "\n" + primary + "\n");
  EXPECT_EQ(r.exit.code, 1) << r.err;
  const std::vector<std::string> lines = absl::StrSplit(r.out, '\n');
  ASSERT_GE(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0],
            "✔ 1 × Barrier film · lot LOT77 · exp 2027-12-31 · new lot · "
            "needs labels");
  EXPECT_THAT(lines[1], HasSubstr("✘ INVALID_ARGUMENT: lines[0].lot"));
  EXPECT_EQ(lines[2],
            "✔ 1 × Barrier film · lot LOT78 · exp 2027-12-31 · new lot · "
            "needs labels");
  EXPECT_THAT(lines[3], HasSubstr("✘ INVALID_ARGUMENT: lines[0].lot"));
  EXPECT_THAT(r.out, HasSubstr("4 scans: 2 received, 2 refused"));
  // The product's sterilisation method is what its lots get when receiving
  // does not say.
  EXPECT_THAT(Ok({"product", "get", "--gtin", film}),
              HasSubstr("sterile (gamma)"));
  EXPECT_THAT(Ok({"lot", "show", film, "LOT77"}),
              HasSubstr("sterile    gamma"));
  EXPECT_EQ(StockOf(film),
            (std::map<std::string, int64_t>{{"LOT77@LOC-000002", 1},
                                            {"LOT78@LOC-000002", 1}}));
}

// More lots than the server returns in one page (1,000): `stock` fetches
// every page, and its TOTAL row counts them all.
TEST_F(InventoryE2e, StockFetchesEveryPage) {
  const std::string cartridge = WithCheckDigit("0950600000101");
  Ok({"location", "create", "--name", "Clinic", "--kind", "clinic"});
  Ok({"location", "create", "--name", "Stock room", "--kind", "store",
      "--parent", "LOC-000001"});
  Ok({"product", "create", "--gtin", cartridge, "--name", "Cartridge 1RL 0.25",
      "--kind", "cartridge", "--manufacturer", "Acme", "--single_use", "true",
      "--sterile", "true", "--configuration", "1RL 0.25mm"});
  constexpr int kLots = 1005;
  std::string typed;
  for (int i = 0; i < kLots; ++i) {
    absl::StrAppend(&typed, cartridge, " L", i, " 2\n");
  }
  Ok({"receive", "--location", "LOC-000002", "--expiry", "2027-06-30"}, typed);

  const std::vector<v1::StockLine> lines = StockLines({"--gtin", cartridge});
  ASSERT_EQ(lines.size(), static_cast<size_t>(kLots));
  std::map<std::string, int64_t> lots;
  for (const auto& l : lines) lots[l.lot()] += l.in_stock();
  EXPECT_EQ(lots.size(), static_cast<size_t>(kLots));
  EXPECT_EQ(lots["L1004"], 2);
  EXPECT_THAT(Ok({"stock", "--by", "product"}),
              HasSubstr(absl::StrCat("  ", 2 * kLots, "  ")));
}

// With the server gone, receive stops at the first unreachable answer, says
// how many scans were not sent, and exits 3.
TEST(ReceiveE2e, StopsAtAnUnreachableServerAndSaysWhatWasNotSent) {
  ProcessResult r = RunProcess(
      {SmptraceCliPath(), "--server", "127.0.0.1:1", "--retries", "0",
       "--timeout", "5", "receive", "--location", "LOC-000002"},
      "(01)09506000134352(17)271231(10)A\n(01)09506000134352(17)271231(10)B"
      "\n");
  EXPECT_EQ(r.exit.code, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 scans: 0 received, 0 refused, 2 not sent "
                               "(server unreachable: scan them again)"));
}

}  // namespace
}  // namespace smptrace
