// End to end: signed checkpoints through the real CLI and server. Save one,
// write more, check it online; stop the server and check it offline; a
// checkpoint file whose numbers were edited is refused.
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CheckpointE2e, ASavedCheckpointHoldsOnlineAndOfflineAndAnEditIsCaught) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  auto server = FreeServer::Start(data);
  ASSERT_TRUE(server.ok()) << server.status();
  auto cli = [&](std::vector<std::string> args) {
    return RunCli((*server)->address(), args);
  };
  auto create = [&](int n) {
    ProcessResult r =
        cli({"product", "create", "--gtin",
             WithCheckDigit("0950600" + std::to_string(100000 + n)), "--name",
             "Gloves " + std::to_string(n), "--kind", "consumable",
             "--manufacturer", "GloveCo"});
    ASSERT_EQ(r.exit.code, 0) << r.err;
  };
  for (int i = 0; i < 3; ++i) create(i);
  const std::string saved = dir.Sub("checkpoint.txt");
  ProcessResult save = cli({"checkpoint", "save", saved});
  ASSERT_EQ(save.exit.code, 0) << save.err;
  EXPECT_THAT(save.out, HasSubstr("seq 3"));
  EXPECT_THAT(ReadFile(saved), HasSubstr("BEGIN PUBLIC KEY"));
  for (int i = 3; i < 6; ++i) create(i);

  ProcessResult online = cli({"checkpoint", "check", saved});
  EXPECT_EQ(online.exit.code, 0) << online.out << online.err;
  EXPECT_THAT(online.out,
              HasSubstr("checkpoint OK: the journal (now 6 entries) "
                        "extends the checkpoint at seq 3"));
  ProcessResult key = cli({"checkpoint", "key"});
  EXPECT_THAT(key.out, HasSubstr("key_id: "));

  // An edited checkpoint (claims seq 2 with seq 3's hash): the signature
  // and the journal both disagree.
  const std::string edited = dir.Sub("edited.txt");
  std::ofstream(edited) << absl::StrReplaceAll(ReadFile(saved),
                                               {{"seq: 3", "seq: 2"}});
  ProcessResult bad = cli({"checkpoint", "check", edited});
  EXPECT_EQ(bad.exit.code, 1);
  EXPECT_THAT(bad.out,
              HasSubstr("checkpoint FAILED: the signature does not match"));
  EXPECT_THAT(bad.out,
              HasSubstr("the history up to the checkpoint was rewritten"));

  ASSERT_TRUE((*server)->Stop().exited);
  ProcessResult offline = RunProcess(
      {SmptraceCliPath(), "checkpoint", "check", saved, "--data_dir", data});
  EXPECT_EQ(offline.exit.code, 0) << offline.out << offline.err;
  EXPECT_THAT(offline.out, HasSubstr("checkpoint OK"));
}

}  // namespace
}  // namespace smptrace
