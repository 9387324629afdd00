// smptraced under a service manager: the systemd notify protocol on a test
// NOTIFY_SOCKET (READY=1 once serving, WATCHDOG=1 keep-alives, STOPPING=1
// at SIGTERM), and --version on both binaries.
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

// The service manager's end: a unix datagram socket bound in a temp dir.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    bound_ = fd_ >= 0 &&
             bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~NotifySocket() {
    if (fd_ >= 0) close(fd_);
  }
  bool bound() const { return bound_; }

  // The next datagram; "" if none comes within `limit` (which only bounds a
  // hang: the test waits for a message, not for time to pass).
  std::string Next(int limit_ms = 30000) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, limit_ms) != 1) return "";
    char buffer[4096];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool bound_ = false;
};

TEST(ServiceManager, NotifiesReadyThenWatchdogKeepAlivesThenStopping) {
  TempDir dir;
  NotifySocket manager(dir.Sub("notify"));
  ASSERT_TRUE(manager.bound());
  // The server inherits this test's environment, as under systemd.
  setenv("NOTIFY_SOCKET", dir.Sub("notify").c_str(), 1);
  setenv("WATCHDOG_USEC", "200000", 1);  // a keep-alive every 100 ms
  auto server = FreeServer::Start(SmptracedPath(), dir.Sub("data"));
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");
  ASSERT_TRUE(server.ok()) << server.status();

  // READY=1 comes after the journal head was checked and the port listens.
  const std::string ready = manager.Next();
  EXPECT_THAT(ready, StartsWith("READY=1\n"));
  EXPECT_THAT(ready, HasSubstr("STATUS=serving on " + (*server)->address() +
                               " · journal head seq 0"));
  EXPECT_EQ(manager.Next(), "WATCHDOG=1");
  EXPECT_EQ(manager.Next(), "WATCHDOG=1");

  (*server)->process().Signal(SIGTERM);
  // Keep-alives already sent may come first; STOPPING=1 is the last word.
  std::string message;
  do {
    message = manager.Next();
  } while (message == "WATCHDOG=1");
  EXPECT_EQ(message, "STOPPING=1");
  EXPECT_TRUE((*server)->process().Wait().ok()) << (*server)->Log();
  EXPECT_THAT((*server)->Log(), HasSubstr("watchdog: a liveness check every"));
  EXPECT_EQ(manager.Next(/*limit_ms=*/0), "");
}

TEST(ServiceManager, WithoutANotifySocketNothingIsSentAndNoWatchdogRuns) {
  TempDir dir;
  unsetenv("NOTIFY_SOCKET");
  auto server = FreeServer::Start(SmptracedPath(), dir.Sub("data"));
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE((*server)->Stop().ok()) << (*server)->Log();
  EXPECT_THAT((*server)->Log(), ::testing::Not(HasSubstr("watchdog")));
  EXPECT_THAT((*server)->Log(), ::testing::Not(HasSubstr("notify")));
}

TEST(Version, BothBinariesNameVersionCommitAndDataFormat) {
  for (const std::string& binary : {SmptracedPath(), SmptraceCliPath()}) {
    ProcessResult r = RunProcess({binary, "--version"});
    EXPECT_EQ(r.exit.code, 0) << r.err;
    const std::string name =
        binary == SmptracedPath() ? "smptraced" : "smptrace";
    EXPECT_THAT(r.out, MatchesRegex(
                           name + " [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit "
                                  "([0-9a-f]{40}|unknown), data format 4\\)\n"))
        << binary;
  }
}

}  // namespace
}  // namespace smptrace::testing
