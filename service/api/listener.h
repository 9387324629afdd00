// smptraced's listening socket, and its file-descriptor limit.
//
// gRPC 1.51 gives up on a listening port for good when accept4() fails with
// EMFILE ("Failed accept4: Too many open files" in tcp_server_posix.cc: the
// port is closed and never re-armed; grpc/grpc#16058, #20418, #31080; a
// retry timer came only in later releases). One burst of idle connections
// past the open-file limit then locks every client out until a restart. So
// smptraced accepts connections itself and hands each one to gRPC through
// ServerBuilder::experimental().AddExternalConnectionAcceptor(): the same
// TLS and HTTP/2 handshake (with its timeout) follows as for gRPC's own
// listener. Owning accept lets the server
//  - cap the connections open at once: one past the cap is accepted and
//    closed at once (the client sees the connection reset), counted, logged;
//  - survive running out of descriptors anyway (other parts of the process
//    need them too): it keeps one spare descriptor, and on EMFILE/ENFILE
//    closes it, accepts the waiting connection, closes that and reopens the
//    spare (the libev/nginx "reserve descriptor" way), so the backlog drains
//    and accepting goes on as soon as descriptors are free again.
#ifndef SMPTRACE_SERVICE_API_LISTENER_H_
#define SMPTRACE_SERVICE_API_LISTENER_H_

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "grpcpp/server_builder.h"
#include "service/api/log_throttle.h"

namespace smptrace::api {

// The process's open-file limit (RLIMIT_NOFILE).
struct OpenFileLimit {
  uint64_t soft_before = 0;  // at start
  uint64_t soft = 0;         // now
  uint64_t hard = 0;
};

// Raises the soft open-file limit to the hard limit (an unprivileged
// process may; the shell's default soft limit is often 1,024 while the hard
// one is far higher). Returns the limits before and after. Errors: Internal
// if getrlimit/setrlimit fail.
absl::StatusOr<OpenFileLimit> RaiseOpenFileLimit();

// The soft open-file limit now.
uint64_t CurrentOpenFileLimit();

// The connection cap when none is configured: what the open-file limit
// leaves once the store and the server have their share (a quarter of it,
// at least 64 descriptors), at most 4,096 and at least 16.
int DefaultMaxConnections(uint64_t open_file_soft_limit);

// Counts of what the listener did since it started.
struct ListenerStats {
  int64_t accepted = 0;
  // Closed at once: the cap was reached.
  int64_t refused_at_cap = 0;
  // Closed at once: the process had no descriptor left (EMFILE/ENFILE).
  int64_t dropped_out_of_descriptors = 0;
};

class Listener {
 public:
  // Binds `address` ("host:port", "[v6]:port" or ":port"; port 0 picks a
  // free one; a name such as localhost binds every address it resolves to)
  // and listens; nothing is accepted before Start(). At most
  // `max_connections` (> 0) accepted connections are open at once.
  // Errors: InvalidArgument if `address` is not host:port or the host does
  // not resolve; Unavailable if it cannot be bound (in use, not local).
  // REQUIRES: clock outlives the listener.
  static absl::StatusOr<std::unique_ptr<Listener>> Bind(
      std::string_view address, int max_connections, const Clock* clock);
  ~Listener();  // Stop()s.
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The port bound.
  int port() const { return port_; }

  // Starts accepting on a thread of its own; each connection goes to
  // `acceptor`. REQUIRES: called once; acceptor outlives Stop().
  void Start(grpc::experimental::ExternalConnectionAcceptor* acceptor);

  // Stops accepting and closes the listening sockets (connections already
  // handed to gRPC are gRPC's). Idempotent; thread-compatible with Start().
  void Stop();

  // Thread-safe.
  ListenerStats stats() const;

 private:
  // A connection handed to gRPC: its descriptor and the socket's inode, to
  // tell when gRPC has closed it (the descriptor is gone or now names
  // something else).
  struct Handed {
    int fd;
    ino_t inode;
  };

  Listener(const Clock* clock, int max_connections)
      : max_connections_(max_connections), log_throttle_(clock, 60) {}

  void AcceptLoop();
  // Accepts what is waiting on `listen_fd`. Returns false if accepting must
  // pause (no descriptor, no memory) before it is tried again.
  bool AcceptWaiting(int listen_fd);
  void Hand(int listen_fd, int fd);
  // Accepts and closes one waiting connection with the spare descriptor.
  // Returns false if there was no spare to use.
  bool DropWithSpare(int listen_fd);
  // The connections still open (prunes those gRPC has closed).
  size_t OpenConnections();

  const int max_connections_;
  std::vector<int> listen_fds_;
  int port_ = 0;
  int wake_fd_ = -1;   // an eventfd: Stop() wakes the accept thread
  int spare_fd_ = -1;  // /dev/null, given up to accept on EMFILE
  grpc::experimental::ExternalConnectionAcceptor* acceptor_ = nullptr;
  std::thread thread_;
  // Touched by the accept thread only.
  std::vector<Handed> handed_;
  std::atomic<int64_t> accepted_{0};
  std::atomic<int64_t> refused_at_cap_{0};
  std::atomic<int64_t> dropped_out_of_descriptors_{0};
  LogThrottle log_throttle_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_LISTENER_H_
