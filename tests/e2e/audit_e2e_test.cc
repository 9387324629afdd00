// End to end: signed checkpoints and the transparency log's proofs through
// the real CLI and server. Save one, write more, check it online; stop the
// server and check it offline; a checkpoint whose numbers were edited is
// refused; one saved in the old form before the log still checks.
#include <filesystem>
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

// Creates `count` glove products (journal entries) with GTINs from
// 0950600`first`.
void CreateGloves(const std::string& address, int first, int count) {
  for (int n = 0; n < count; ++n) {
    ProcessResult r =
        RunCli(address, {"product", "create", "--gtin",
                         WithCheckDigit("0950600" + std::to_string(first + n)),
                         "--name", "Gloves " + std::to_string(n), "--kind",
                         "consumable", "--manufacturer", "GloveCo"});
    ASSERT_EQ(r.exit.code, 0) << r.err;
  }
}

TEST(CheckpointE2e, ASavedCheckpointHoldsOnlineAndOfflineAndAnEditIsCaught) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  auto server = FreeServer::Start(data);
  ASSERT_TRUE(server.ok()) << server.status();
  auto cli = [&](std::vector<std::string> args) {
    return RunCli((*server)->address(), args);
  };
  ASSERT_NO_FATAL_FAILURE(CreateGloves((*server)->address(), 100000, 3));
  const std::string saved = dir.Sub("checkpoint.txt");
  ProcessResult save = cli({"checkpoint", "save", saved});
  ASSERT_EQ(save.exit.code, 0) << save.err;
  EXPECT_THAT(save.out, HasSubstr("tree size 3"));
  // A C2SP signed note: origin, size, root, blank line, signature line.
  EXPECT_THAT(
      ReadFile(saved),
      ::testing::MatchesRegex("smptrace/[0-9a-f]{16}\n3\n[A-Za-z0-9+/=]{44}"
                              "\n\n\xe2\x80\x94 smptrace/[0-9a-f]{16} "
                              "[A-Za-z0-9+/=]{92}\n"));
  ASSERT_NO_FATAL_FAILURE(CreateGloves((*server)->address(), 100003, 3));

  ProcessResult online = cli({"checkpoint", "check", saved});
  EXPECT_EQ(online.exit.code, 0) << online.out << online.err;
  EXPECT_THAT(online.out,
              HasSubstr("checkpoint OK: the journal (now 6 entries) "
                        "extends the checkpoint of smptrace/"));
  EXPECT_THAT(online.out, HasSubstr("at tree size 3"));
  ProcessResult key = cli({"checkpoint", "key"});
  EXPECT_THAT(key.out, HasSubstr("key_id: "));

  // An edited checkpoint (claims size 2 with size 3's root): the signature
  // no longer holds.
  const std::string edited = dir.Sub("edited.txt");
  std::ofstream(edited) << absl::StrReplaceAll(ReadFile(saved),
                                               {{"\n3\n", "\n2\n"}});
  ProcessResult bad = cli({"checkpoint", "check", edited});
  EXPECT_EQ(bad.exit.code, 1);
  EXPECT_THAT(bad.out,
              HasSubstr("checkpoint FAILED: the checkpoint's signature by "));
  EXPECT_THAT(bad.out, HasSubstr("the checkpoint was altered"));

  ASSERT_TRUE((*server)->Stop().exited);
  ProcessResult offline = RunProcess(
      {SmptraceCliPath(), "checkpoint", "check", saved, "--data_dir", data});
  EXPECT_EQ(offline.exit.code, 0) << offline.out << offline.err;
  EXPECT_THAT(offline.out, HasSubstr("checkpoint OK"));
}

// tests/testdata/store-format2: a store and a checkpoint in the v1 form,
// saved by the build before the transparency log. This build upgrades the
// store (building its Merkle tree) and the old checkpoint still checks.
TEST(CheckpointE2e, ACheckpointSavedBeforeTheTransparencyLogStillChecks) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  std::filesystem::copy(SMPTRACE_SOURCE_DIR "/tests/testdata/store-format2",
                        data);
  std::filesystem::remove(data + "/README.md");
  const std::string key = data + ".checkpoint-ed25519.pem";
  std::filesystem::copy(SMPTRACE_SOURCE_DIR
                        "/tests/testdata/store-format2.checkpoint-ed25519.pem",
                        key);
  std::filesystem::permissions(key, std::filesystem::perms::owner_read |
                                        std::filesystem::perms::owner_write);
  const std::string old =
      SMPTRACE_SOURCE_DIR "/tests/testdata/checkpoint-v1-format2.txt";
  auto server = FreeServer::Start(data);
  ASSERT_TRUE(server.ok()) << server.status();
  ProcessResult online =
      RunCli((*server)->address(), {"checkpoint", "check", old});
  EXPECT_EQ(online.exit.code, 0) << online.out << online.err;
  EXPECT_THAT(online.out,
              HasSubstr("checkpoint OK: the journal (now 3 entries) extends "
                        "the checkpoint at seq 2"));
  ProcessResult verify = RunCli((*server)->address(), {"admin", "verify"});
  EXPECT_EQ(verify.exit.code, 0) << verify.out << verify.err;
  ASSERT_TRUE((*server)->Stop().exited);
  ProcessResult offline = RunProcess(
      {SmptraceCliPath(), "checkpoint", "check", old, "--data_dir", data});
  EXPECT_EQ(offline.exit.code, 0) << offline.out << offline.err;
  EXPECT_THAT(offline.out, HasSubstr("checkpoint OK"));
}

// The transparency log through the real CLI: the key and checkpoints, an
// inclusion proof checked offline (and a forged entry caught), a
// consistency proof between two checkpoints (and the reverse refused).
TEST(TransparencyLogE2e, ProofsCheckOfflineWithOnlyTheKey) {
  TempDir dir;
  auto server = FreeServer::Start(dir.Sub("data"));
  ASSERT_TRUE(server.ok()) << server.status();
  auto cli = [&](std::vector<std::string> args) {
    return RunCli((*server)->address(), args);
  };
  ASSERT_NO_FATAL_FAILURE(CreateGloves((*server)->address(), 200000, 5));
  ProcessResult key = cli({"log", "key"});
  ASSERT_EQ(key.exit.code, 0) << key.err;
  const std::string key_file = dir.Sub("log.key");
  std::ofstream(key_file) << key.out;
  const std::string old_cp = dir.Sub("old.txt");
  ASSERT_EQ(cli({"log", "checkpoint", "--out", old_cp}).exit.code, 0);

  const std::string proof = dir.Sub("entry-3.tlog-proof");
  ProcessResult prove = cli({"log", "prove", "3", "--out", proof});
  ASSERT_EQ(prove.exit.code, 0) << prove.err;
  EXPECT_THAT(ReadFile(proof),
              ::testing::StartsWith("c2sp.org/tlog-proof@v1\nextra "));
  ProcessResult ok = RunProcess(
      {SmptraceCliPath(), "log", "verify-inclusion", proof, "--key", key_file});
  EXPECT_EQ(ok.exit.code, 0) << ok.out << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("inclusion OK: entry 3 is in smptrace/"));
  EXPECT_THAT(ok.out, HasSubstr("at tree size 5"));
  EXPECT_THAT(ok.out, HasSubstr("Gloves 2"));

  // One changed byte of the entry (a letter of the product's name).
  std::string text = ReadFile(proof);
  const std::string forged = dir.Sub("forged.tlog-proof");
  const size_t extra = text.find("extra ") + 6 + 40;
  text[extra] = text[extra] == 'A' ? 'B' : 'A';
  std::ofstream(forged) << text;
  ProcessResult bad = RunProcess({SmptraceCliPath(), "log", "verify-inclusion",
                                  forged, "--key", key_file});
  EXPECT_EQ(bad.exit.code, 1) << bad.out << bad.err;
  EXPECT_THAT(bad.out, HasSubstr("inclusion FAILED: "));

  ASSERT_NO_FATAL_FAILURE(CreateGloves((*server)->address(), 200005, 4));
  const std::string new_cp = dir.Sub("new.txt");
  ASSERT_EQ(cli({"log", "checkpoint", "--out", new_cp}).exit.code, 0);
  const std::string consistency = dir.Sub("c.proof");
  ProcessResult pc =
      cli({"log", "prove-consistency", old_cp, new_cp, "--out", consistency});
  ASSERT_EQ(pc.exit.code, 0) << pc.err;
  ProcessResult vc =
      RunProcess({SmptraceCliPath(), "log", "verify-consistency", old_cp,
                  new_cp, consistency, "--key", key_file});
  EXPECT_EQ(vc.exit.code, 0) << vc.out << vc.err;
  EXPECT_THAT(vc.out, HasSubstr("at tree size 9 extends its tree at size 5"));
  ProcessResult reversed =
      RunProcess({SmptraceCliPath(), "log", "verify-consistency", new_cp,
                  old_cp, consistency, "--key", key_file});
  EXPECT_EQ(reversed.exit.code, 1) << reversed.out << reversed.err;
  EXPECT_THAT(reversed.out, HasSubstr("rolled back"));
  // Another log's key verifies nothing.
  ProcessResult foreign =
      RunProcess({SmptraceCliPath(), "log", "verify-inclusion", proof, "--key",
                  "smptrace/"
                  "0000000000000000+8d5a8bc6+"
                  "AXiSTZcN8NdBFsTcBhA2bAn3UG8xrkKtzN1ZMYHM+J8m"});
  EXPECT_NE(foreign.exit.code, 0) << foreign.out;
}

}  // namespace
}  // namespace smptrace
