// End to end: the CLI prints times in the clinic's zone (smptraced
// --time_zone), with the offset, as the server's certificates and exports
// do; it learns the zone from the server's answers, not from a flag.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace smptrace {
namespace {

using ::smptrace::testing::FreeServer;
using ::smptrace::testing::ProcessResult;
using ::smptrace::testing::RunCli;
using ::smptrace::testing::SmptracedPath;
using ::smptrace::testing::TempDir;
using ::testing::ContainsRegex;

TEST(ClinicTimeE2e, TheCliShowsTimesInTheClinicsZoneWithTheOffset) {
  TempDir dir;
  // Kolkata keeps +05:30 all year: no daylight-saving edge in the test.
  auto server = FreeServer::Start(SmptracedPath(), dir.Sub("data"),
                                  {"--time_zone", "Asia/Kolkata"});
  ASSERT_TRUE(server.ok()) << server.status();
  ProcessResult created = RunCli(
      (*server)->address(), {"client", "create", "--code", "HX-1", "--name",
                             "A Client", "--phone", "+44 20 7946 0000"});
  ASSERT_EQ(created.exit.code, 0) << created.err;
  ProcessResult shown =
      RunCli((*server)->address(), {"client", "show", "HX-1"});
  ASSERT_EQ(shown.exit.code, 0) << shown.err;
  EXPECT_THAT(shown.out, ContainsRegex("registered 20[0-9][0-9]-[0-9][0-9]-"
                                       "[0-9][0-9] [0-9][0-9]:[0-9][0-9] "
                                       "\\+05:30"));
}

TEST(ClinicTimeE2e, AnUnknownClinicZoneStopsTheServerNamingTheFlag) {
  TempDir dir;
  auto server = FreeServer::Start(SmptracedPath(), dir.Sub("data"),
                                  {"--clinic_timezone", "Mars/Olympus"});
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              ::testing::HasSubstr("unknown time zone 'Mars/Olympus'"));
}

}  // namespace
}  // namespace smptrace
