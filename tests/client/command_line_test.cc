// The command line as a whole: unknown commands named with the closest one.
#include "client/command_line.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::client {
namespace {

using ::testing::HasSubstr;

TEST(ClosestName, FindsALikelyTypo) {
  const std::vector<std::string> names = {"stock", "session", "receive",
                                          "dispose"};
  EXPECT_EQ(ClosestName("stok", names), "stock");
  EXPECT_EQ(ClosestName("sesion", names), "session");
  EXPECT_EQ(ClosestName("recieve", names), "receive");
  EXPECT_EQ(ClosestName("xyz", names), "");
  EXPECT_EQ(ClosestName("a", names), "");
  EXPECT_EQ(ClosestName("scna", {"scan", "show"}), "scan");
}

// A command tree like smptrace's: global options with values, commands with
// subcommands, a command with an argument.
class UnknownCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    app_.add_option("--server", server_);
    app_.add_flag("--json", json_);
    app_.fallthrough();
    app_.add_subcommand("stock", "stock");
    CLI::App* session = app_.add_subcommand("session", "sessions");
    session->add_subcommand("scan", "scan")->add_option("id", id_);
    session->add_subcommand("show", "show")->add_option("id", id_);
  }
  CLI::App app_;
  std::string server_;
  std::string id_;
  bool json_ = false;
};

TEST_F(UnknownCommand, IsNamedWithTheClosestCommandAndTheList) {
  EXPECT_EQ(UnknownCommandMessage(app_, {"stok"}),
            "unknown command 'stok'; did you mean 'stock'?\n"
            "commands: session, stock");
  EXPECT_THAT(UnknownCommandMessage(app_, {"--server", "h:1", "--json",
                                           "session", "scna", "SES-1"}),
              HasSubstr("unknown command 'session scna'; did you mean "
                        "'session scan'?\nits commands: scan, show"));
  EXPECT_EQ(UnknownCommandMessage(app_, {"frobnicate"}),
            "unknown command 'frobnicate'\ncommands: session, stock");
}

TEST_F(UnknownCommand, IsNotClaimedForKnownCommandsOrTheirArguments) {
  EXPECT_EQ(UnknownCommandMessage(app_, {"stock"}), "");
  EXPECT_EQ(UnknownCommandMessage(app_, {"session", "scan", "SES-1"}), "");
  // "stok" here is the value of --server, not a command.
  EXPECT_EQ(UnknownCommandMessage(app_, {"--server", "stok", "stock"}), "");
  EXPECT_EQ(UnknownCommandMessage(app_, {"--server=stok", "stock"}), "");
}

}  // namespace
}  // namespace smptrace::client
