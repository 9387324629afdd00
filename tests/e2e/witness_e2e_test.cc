// End to end: a witness run with the real CLI against real servers. It
// trusts the log's first checkpoint, cosigns it and hands the cosignature
// to the server, which serves it with the checkpoint; it cosigns the grown
// log; and a second server with the same key but another history (a forked
// log) is refused, the witness's state unchanged.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void CreateProducts(const std::string& address, int first, int count) {
  for (int n = 0; n < count; ++n) {
    ProcessResult r =
        RunCli(address, {"product", "create", "--gtin",
                         WithCheckDigit("0950601" + std::to_string(first + n)),
                         "--name", "Barrier film " + std::to_string(n),
                         "--kind", "consumable", "--manufacturer", "FilmCo"});
    ASSERT_EQ(r.exit.code, 0) << r.err;
  }
}

TEST(WitnessE2e, AWitnessCosignsTheGrowingLogAndRefusesAFork) {
  TempDir dir;
  const std::string log_key = dir.Sub("log-signing.pem");
  const std::string a_data = dir.Sub("a");
  auto a = FreeServer::Start(testing::SmptracedPath(), a_data,
                             {"--signing_key", log_key});
  ASSERT_TRUE(a.ok()) << a.status();
  auto cli = [&](std::vector<std::string> args) {
    return RunCli((*a)->address(), args);
  };
  const std::string name = "inspector.example.org/witness";
  const std::string w_key = dir.Sub("witness.pem");
  const std::string state = dir.Sub("witness.state");
  ProcessResult created = RunProcess(
      {SmptraceCliPath(), "witness", "key", "--key", w_key, "--name", name});
  ASSERT_EQ(created.exit.code, 0) << created.err;
  EXPECT_THAT(created.out, ::testing::StartsWith(name + "+"));
  // The server's default witness file, beside its data directory; read at
  // each cosignature, so no restart.
  std::ofstream(a_data + ".witnesses") << created.out;
  const std::vector<std::string> witness = {"log",
                                            "cosign",
                                            "--witness-key",
                                            w_key,
                                            "--witness-name",
                                            name,
                                            "--witness-state",
                                            state};

  ASSERT_NO_FATAL_FAILURE(CreateProducts((*a)->address(), 100000, 3));
  ProcessResult first = cli(witness);
  ASSERT_EQ(first.exit.code, 0) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("trusted on first use"));
  EXPECT_THAT(first.out, HasSubstr("server: keeps 1 cosignature of tree "
                                   "size 3 (" +
                                   name + ")"));
  EXPECT_EQ(
      std::filesystem::status(state).permissions() &
          std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // The served checkpoint carries the cosignature; anyone with the two keys
  // checks it offline.
  const std::string cp = dir.Sub("checkpoint.txt");
  ASSERT_EQ(cli({"log", "checkpoint", "--out", cp}).exit.code, 0);
  EXPECT_THAT(Slurp(cp), HasSubstr("\n\xe2\x80\x94 " + name + " "));
  const std::string key_line = cli({"log", "key"}).out;
  ProcessResult checked =
      RunProcess({SmptraceCliPath(), "log", "verify-checkpoint", cp, "--key",
                  key_line.substr(0, key_line.size() - 1), "--witness",
                  created.out.substr(0, created.out.size() - 1)});
  EXPECT_EQ(checked.exit.code, 0) << checked.out << checked.err;
  EXPECT_THAT(checked.out, HasSubstr("at tree size 3"));
  EXPECT_THAT(checked.out, HasSubstr("cosigned by witness " + name));

  // The log grows: the witness checks the consistency proof and cosigns.
  ASSERT_NO_FATAL_FAILURE(CreateProducts((*a)->address(), 100003, 2));
  ProcessResult grown = cli(witness);
  ASSERT_EQ(grown.exit.code, 0) << grown.out << grown.err;
  EXPECT_THAT(grown.out, HasSubstr("cosigned smptrace/"));
  EXPECT_THAT(grown.out, HasSubstr("at tree size 5: it extends the tree of "
                                   "size 3 this witness cosigned before"));
  ProcessResult latest = cli({"log", "checkpoint", "--witnessed"});
  EXPECT_THAT(latest.out, HasSubstr("\n5\n"));

  // A second server with the same key and another history: a fork.
  const std::string before = Slurp(state);
  auto b = FreeServer::Start(testing::SmptracedPath(), dir.Sub("b"),
                             {"--signing_key", log_key});
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_NO_FATAL_FAILURE(CreateProducts((*b)->address(), 200000, 7));
  ProcessResult forked = RunCli((*b)->address(), witness);
  EXPECT_EQ(forked.exit.code, 1) << forked.out << forked.err;
  EXPECT_THAT(forked.out, HasSubstr("refused, nothing cosigned"));
  EXPECT_THAT(forked.out,
              HasSubstr("does not extend the tree of 5 entries this witness "
                        "cosigned before"));
  EXPECT_EQ(Slurp(state), before);

  // A witness the server does not know: its cosignature is not kept.
  const std::string stranger = dir.Sub("stranger.pem");
  ASSERT_EQ(RunProcess({SmptraceCliPath(), "witness", "key", "--key", stranger,
                        "--name", "someone.example/else"})
                .exit.code,
            0);
  ProcessResult unknown =
      cli({"log", "cosign", "--witness-key", stranger, "--witness-name",
           "someone.example/else", "--witness-state", dir.Sub("s.state")});
  EXPECT_NE(unknown.exit.code, 0) << unknown.out;
  EXPECT_THAT(unknown.err,
              HasSubstr("no cosignature by a witness this server knows"));
}

}  // namespace
}  // namespace smptrace
