// End to end: the smptrace command line as scripts see it (exit codes,
// --version, an unknown command, --json anywhere, numbers as numbers), and
// smptraced refusing to start on a port that is taken.
#include <sys/stat.h>

#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace smptrace {
namespace {

using ::smptrace::testing::FreeServer;
using ::smptrace::testing::ProcessResult;
using ::smptrace::testing::RunCli;
using ::smptrace::testing::RunProcess;
using ::smptrace::testing::SmptraceCliPath;
using ::smptrace::testing::SmptracedPath;
using ::smptrace::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

google::protobuf::Struct ParseObject(const std::string& line) {
  google::protobuf::Struct object;
  auto status = google::protobuf::util::JsonStringToMessage(line, &object);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in: " << line;
  return object;
}

TEST(CliE2e, AnUnknownCommandIsNamedWithTheClosestOneAndExitsTwo) {
  ProcessResult r = RunProcess({SmptraceCliPath(), "stok"});
  EXPECT_EQ(r.exit.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error: unknown command 'stok'; did you mean "
                               "'stock'?\n"));
  r = RunProcess({SmptraceCliPath(), "--json", "session", "scna", "SES-1"});
  EXPECT_EQ(r.exit.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error: unknown command 'session scna'; did you "
                               "mean 'session scan'?\n"));
}

// CLI11's own exit codes (105-109) are not the documented 2.
TEST(CliE2e, AMalformedCommandLineExitsTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"stock", "--no_such_flag"},     // ExtrasError, was 109
           {"session", "scan"},             // RequiredError, was 106
           {"--timeout", "soon", "stock"},  // ConversionError, was 101
           {}}) {                           // no command at all
    std::vector<std::string> argv = {SmptraceCliPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessResult r = RunProcess(argv);
    EXPECT_EQ(r.exit.code, 2) << ::testing::PrintToString(args) << r.err;
    EXPECT_THAT(r.err, HasSubstr("error: "));
  }
}

class CliServerE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = FreeServer::Start(dir_.Sub("data"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }
  ProcessResult Cli(const std::vector<std::string>& args) {
    return RunCli(server_->address(), args);
  }
  TempDir dir_;
  std::unique_ptr<FreeServer> server_;
};

// --json after the command, as before it; 64-bit counts as JSON numbers.
TEST_F(CliServerE2e, JsonWorksAfterTheCommandAndPrintsNumbersAsNumbers) {
  ProcessResult r = Cli(
      {"location", "create", "--name", "Clinic", "--kind", "clinic", "--json"});
  ASSERT_EQ(r.exit.code, 0) << r.err;
  google::protobuf::Struct location = ParseObject(r.out);
  EXPECT_EQ(location.fields().at("location_id").string_value(), "LOC-000001");
  ASSERT_TRUE(location.fields().contains("version")) << r.out;
  EXPECT_EQ(location.fields().at("version").kind_case(),
            google::protobuf::Value::kNumberValue)
      << r.out;
  EXPECT_EQ(location.fields().at("version").number_value(), 1);
  EXPECT_EQ(Cli({"--json", "location", "list"}).out,
            Cli({"location", "list", "--json"}).out);
}

TEST_F(CliServerE2e, StockAtAnUnknownLocationIsNotFound) {
  ProcessResult r = Cli({"stock", "--location", "LOC-000099"});
  EXPECT_EQ(r.exit.code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("error: NOT_FOUND: location_id: location "
                               "LOC-000099 does not exist"));
  EXPECT_EQ(r.out, "");
}

TEST_F(CliServerE2e, AnUnreachableServerExitsThree) {
  const std::string address = server_->address();
  server_->Stop();
  ProcessResult r = RunProcess({SmptraceCliPath(), "--server", address,
                                "--retry_seconds", "0", "stock"});
  EXPECT_EQ(r.exit.code, 3) << r.out << r.err;
}

// A second server on a port that is taken: one clear line, a non-zero exit,
// and no data directory left behind.
TEST_F(CliServerE2e, SmptracedOnATakenPortSaysSoAndLeavesNoDataDirectory) {
  const std::string data = dir_.Sub("second");
  ProcessResult r = RunProcess({SmptracedPath(), "--insecure_dev", "--data_dir",
                                data, "--listen", server_->address()});
  EXPECT_NE(r.exit.code, 0);
  EXPECT_FALSE(Exists(data)) << data;
  const std::string log = r.out + r.err;
  EXPECT_THAT(log, HasSubstr("cannot start"));
  EXPECT_THAT(log, HasSubstr(server_->address()));
  // No gRPC log lines ("E1130 18:43:34.123 ... chttp2_server.cc:...").
  EXPECT_FALSE(std::regex_search(log, std::regex("(^|\n)[EWI][0-9]{4} ")))
      << log;
}

}  // namespace
}  // namespace smptrace
