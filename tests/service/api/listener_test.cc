// The Listener on loopback with an acceptor that keeps what it is handed:
// binding, the connection cap (and noticing connections closed since), and
// accepting again after the process ran out of descriptors.
#include "service/api/listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;

// Keeps every connection it is handed until told to close one.
class KeepingAcceptor final
    : public grpc::experimental::ExternalConnectionAcceptor {
 public:
  ~KeepingAcceptor() override {
    for (int fd : fds_) close(fd);
  }
  void HandleNewConnection(NewConnectionParameters* p) override {
    absl::MutexLock lock(&mu_);
    fds_.push_back(p->fd);
  }
  // Waits (at most 10 s: a bound on a hang, not a pause) until it holds n.
  bool WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto holds = [&] {
      mu_.AssertHeld();
      return fds_.size() >= n;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&holds), absl::Seconds(10));
  }
  size_t held() {
    absl::MutexLock lock(&mu_);
    return fds_.size();
  }
  void CloseOne() {
    absl::MutexLock lock(&mu_);
    close(fds_.back());
    fds_.pop_back();
  }

 private:
  absl::Mutex mu_;
  std::vector<int> fds_ ABSL_GUARDED_BY(mu_);
};

// A socket, not yet connected (so it can be made before descriptors run
// out).
int NewSocket() { return socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0); }

bool Connect(int fd, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
}

// Whether the server closed `fd` (EOF or reset) within 10 s.
bool ClosedByServer(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 10000) != 1) return false;
  char c;
  const ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

TEST(Listener, BindsAFreePortAndRefusesATakenOne) {
  testing::FakeClock clock;
  auto first = Listener::Bind("127.0.0.1:0", 10, &clock);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_GT((*first)->port(), 0);
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  EXPECT_THAT(Listener::Bind(taken, 10, &clock).status(),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("cannot listen on " + taken)));
  EXPECT_THAT(
      Listener::Bind("127.0.0.1", 10, &clock).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("host:port")));
  EXPECT_THAT(Listener::Bind("127.0.0.1:http", 10, &clock).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the port must be a number")));
}

TEST(Listener, DefaultCapLeavesAQuarterOfTheOpenFileLimit) {
  EXPECT_EQ(DefaultMaxConnections(1024), 768);
  EXPECT_EQ(DefaultMaxConnections(128), 64);      // at least 64 kept back
  EXPECT_EQ(DefaultMaxConnections(50), 16);       // never below 16
  EXPECT_EQ(DefaultMaxConnections(20000), 4096);  // never above 4096
}

// A listener on a free loopback port, handing connections to acceptor_.
class ListenerTest : public ::testing::Test {
 protected:
  void Listen(int max_connections) {
    auto listener = Listener::Bind("127.0.0.1:0", max_connections, &clock_);
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = std::move(*listener);
    listener_->Start(&acceptor_);
  }

  testing::FakeClock clock_;
  KeepingAcceptor acceptor_;
  std::unique_ptr<Listener> listener_;  // stopped before acceptor_ goes
};

TEST_F(ListenerTest, ClosesConnectionsPastTheCapUntilOneEnds) {
  Listen(3);
  std::vector<int> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(NewSocket());
    ASSERT_TRUE(Connect(clients.back(), listener_->port()));
  }
  ASSERT_TRUE(acceptor_.WaitFor(3));
  const int fourth = NewSocket();
  ASSERT_TRUE(Connect(fourth, listener_->port()));
  EXPECT_TRUE(ClosedByServer(fourth));
  EXPECT_EQ(acceptor_.held(), 3u);
  EXPECT_EQ(listener_->stats().refused_at_cap, 1);

  // One connection ends (gRPC closed it): there is room again.
  acceptor_.CloseOne();
  const int fifth = NewSocket();
  ASSERT_TRUE(Connect(fifth, listener_->port()));
  EXPECT_TRUE(acceptor_.WaitFor(3));
  EXPECT_EQ(listener_->stats().accepted, 4);
  listener_->Stop();
  for (int fd : clients) close(fd);
  close(fourth);
  close(fifth);
}

// Takes every free descriptor below a lowered soft limit; gives them and
// the limit back when it goes.
class NoFreeDescriptors {
 public:
  NoFreeDescriptors() {
    getrlimit(RLIMIT_NOFILE, &saved_);
    int highest = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator("/proc/self/fd")) {
      highest = std::max(highest, std::stoi(entry.path().filename()));
    }
    rlimit lowered = saved_;
    lowered.rlim_cur = highest + 1;
    setrlimit(RLIMIT_NOFILE, &lowered);
    for (int fd; (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) {
      fillers_.push_back(fd);
    }
  }
  ~NoFreeDescriptors() {
    for (int fd : fillers_) close(fd);
    setrlimit(RLIMIT_NOFILE, &saved_);
  }

 private:
  rlimit saved_;
  std::vector<int> fillers_;
};

TEST_F(ListenerTest, AcceptsAgainAfterTheProcessRanOutOfDescriptors) {
  Listen(100);
  std::vector<int> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(NewSocket());
  {
    NoFreeDescriptors exhausted;
    // accept4() fails with EMFILE: each waiting connection is accepted on
    // the spare descriptor and closed, instead of the listener giving up.
    for (int fd : clients) {
      ASSERT_TRUE(Connect(fd, listener_->port()));
      EXPECT_TRUE(ClosedByServer(fd));
    }
  }
  EXPECT_EQ(listener_->stats().dropped_out_of_descriptors, 5);
  EXPECT_EQ(acceptor_.held(), 0u);
  // Descriptors are free again: connections are accepted.
  const int later = NewSocket();
  ASSERT_TRUE(Connect(later, listener_->port()));
  EXPECT_TRUE(acceptor_.WaitFor(1));
  listener_->Stop();
  for (int fd : clients) close(fd);
  close(later);
}

}  // namespace
}  // namespace smptrace::api
