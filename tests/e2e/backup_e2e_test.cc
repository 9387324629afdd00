// End to end: `smptrace admin backup` against a real smptraced while it
// serves, `admin backup-list`, and `admin restore` into a new data directory
// (verified end to end and against a saved checkpoint), which refuses the
// directory of the running server.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
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
using ::smptrace::testing::TempDir;
using ::testing::HasSubstr;

TEST(BackupE2e, BackupWhileServingRestoresVerifiedAndNeverOverALiveStore) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  const std::string backups = dir.Sub("backups");
  auto server = FreeServer::Start(data);
  ASSERT_TRUE(server.ok()) << server.status();
  auto cli = [&](std::vector<std::string> args) {
    return RunCli((*server)->address(), args);
  };
  auto offline = [&](std::vector<std::string> args) {
    args.insert(args.begin(), SmptraceCliPath());
    return RunProcess(args);
  };
  for (const char* name : {"ana", "ben", "cai"}) {
    ProcessResult r = cli({"principal", "create", name, "--role", "auditor",
                           "--no_token", "--cert_cn", name});
    ASSERT_EQ(r.exit.code, 0) << r.err;
  }
  const std::string saved = dir.Sub("checkpoint.txt");
  ASSERT_EQ(cli({"checkpoint", "save", saved}).exit.code, 0);
  // The saved checkpoint is a signed note: the restore checks it with the
  // log's verifier key, kept apart from the backups.
  ProcessResult key = cli({"log", "key"});
  ASSERT_EQ(key.exit.code, 0) << key.err;
  const std::string verifier_key(absl::StripAsciiWhitespace(key.out));

  ProcessResult first = cli({"admin", "backup", "--to", backups});
  ASSERT_EQ(first.exit.code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("backup 1 · taken "));
  EXPECT_THAT(first.out, HasSubstr("journal head seq 3 "));
  EXPECT_THAT(first.out, HasSubstr("the signing key is not in it"));
  ProcessResult more = cli({"principal", "create", "dee", "--role", "auditor",
                            "--no_token", "--cert_cn", "dee"});
  ASSERT_EQ(more.exit.code, 0) << more.err;
  ProcessResult second = cli({"admin", "backup", "--to", backups});
  ASSERT_EQ(second.exit.code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("backup 2 · "));
  EXPECT_THAT(second.out, HasSubstr("journal head seq 4 "));

  // A relative directory would be the server's, not ours: refused.
  ProcessResult relative = cli({"admin", "backup", "--to", "backups"});
  EXPECT_EQ(relative.exit.code, 1) << relative.out;
  EXPECT_THAT(relative.err, HasSubstr("backup_dir: must be an absolute path"));

  ProcessResult list = offline({"admin", "backup-list", "--from", backups});
  ASSERT_EQ(list.exit.code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("backup 1 · "));
  EXPECT_THAT(list.out, HasSubstr("backup 2 · "));

  // Never over the running server's data.
  ProcessResult live =
      offline({"admin", "restore", "--from", backups, "--to", data});
  EXPECT_EQ(live.exit.code, 2);
  EXPECT_THAT(live.err, HasSubstr("is the data directory of a running "
                                  "smptraced"));

  const std::string restored = dir.Sub("restored");
  ProcessResult r =
      offline({"admin", "restore", "--from", backups, "--backup", "1", "--to",
               restored, "--checkpoint", saved, "--key", verifier_key});
  ASSERT_EQ(r.exit.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("restored backup 1 · "));
  EXPECT_THAT(r.out, HasSubstr("journal OK: 3 entries verified"));
  EXPECT_THAT(r.out, HasSubstr("checkpoint OK"));
  EXPECT_THAT(r.out, HasSubstr("restore verified"));

  // Restoring twice into the same directory is refused: it is not empty.
  ProcessResult again =
      offline({"admin", "restore", "--from", backups, "--to", restored});
  EXPECT_EQ(again.exit.code, 2);
  EXPECT_THAT(again.err, HasSubstr("is not empty"));
  EXPECT_TRUE((*server)->Stop().exited);
}

}  // namespace
}  // namespace smptrace
