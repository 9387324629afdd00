#include "service/api/listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace smptrace::api {
namespace {

// How long accepting pauses when the process has no descriptor or memory
// left and no spare to shed a connection with.
constexpr int kPauseMs = 100;
// Connections accepted in one go before the thread looks at Stop() again.
constexpr int kAcceptBatch = 256;

std::string ErrnoText(int err) { return std::strerror(err); }

std::string AddressText(const sockaddr_storage& a) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (a.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(a);
    inet_ntop(AF_INET, &v4.sin_addr, host, sizeof(host));
    port = ntohs(v4.sin_port);
    return absl::StrCat(host, ":", port);
  }
  if (a.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(a);
    inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof(host));
    port = ntohs(v6.sin6_port);
    return absl::StrCat("[", host, "]:", port);
  }
  return "(unknown address)";
}

int OpenSpare() { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

// An unlimited hard limit cannot be the soft limit for open files: the
// kernel's ceiling (fs.nr_open) is the most a process may have.
uint64_t Ceiling(rlim_t hard) {
  if (hard != RLIM_INFINITY) return hard;
  std::ifstream in("/proc/sys/fs/nr_open");
  uint64_t nr_open = 0;
  if (in >> nr_open && nr_open > 0) return nr_open;
  return 1 << 20;
}

// accept4() errors that concern only the connection being accepted (it
// went away, or the network said so first): take the next one.
bool IsConnectionError(int err) {
  return err == ECONNABORTED || err == EPROTO || err == EPERM ||
         err == ENETDOWN || err == ENOPROTOOPT || err == EHOSTDOWN ||
         err == ENONET || err == EHOSTUNREACH || err == EOPNOTSUPP ||
         err == ENETUNREACH;
}

}  // namespace

absl::StatusOr<OpenFileLimit> RaiseOpenFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return absl::InternalError(
        absl::StrCat("getrlimit(RLIMIT_NOFILE): ", ErrnoText(errno)));
  }
  OpenFileLimit out;
  out.soft_before = out.soft = limit.rlim_cur;
  out.hard = Ceiling(limit.rlim_max);
  if (limit.rlim_cur < out.hard) {
    rlimit raised = limit;
    raised.rlim_cur = out.hard;
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
      return absl::InternalError(absl::StrCat(
          "setrlimit(RLIMIT_NOFILE, ", out.hard, "): ", ErrnoText(errno)));
    }
    out.soft = out.hard;
  }
  return out;
}

uint64_t CurrentOpenFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  return limit.rlim_cur == RLIM_INFINITY ? Ceiling(limit.rlim_cur)
                                         : limit.rlim_cur;
}

int DefaultMaxConnections(uint64_t open_file_soft_limit) {
  const uint64_t reserve = std::max<uint64_t>(64, open_file_soft_limit / 4);
  const uint64_t left =
      open_file_soft_limit > reserve ? open_file_soft_limit - reserve : 0;
  return static_cast<int>(std::clamp<uint64_t>(left, 16, 4096));
}

absl::StatusOr<std::unique_ptr<Listener>> Listener::Bind(
    std::string_view address_view, int max_connections, const Clock* clock) {
  const std::string address(address_view);
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--listen ", address, ": expected host:port"));
  }
  std::string host(address.substr(0, colon));
  const std::string port(address.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port_number = 0;
  if (!absl::SimpleAtoi(port, &port_number) || port_number < 0 ||
      port_number > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen ", address, ": the port must be a number from 0 to 65535"));
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(),
                             port.c_str(), &hints, &found);
  if (rc != 0) {
    return absl::InvalidArgumentError(absl::StrCat("--listen ", address,
                                                   ": cannot resolve '", host,
                                                   "': ", gai_strerror(rc)));
  }
  std::vector<sockaddr_storage> addresses;
  std::vector<socklen_t> lengths;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    sockaddr_storage s{};
    std::memcpy(&s, a->ai_addr, a->ai_addrlen);
    addresses.push_back(s);
    lengths.push_back(a->ai_addrlen);
  }
  freeaddrinfo(found);

  std::unique_ptr<Listener> listener(new Listener(clock, max_connections));
  std::string skipped;
  for (size_t i = 0; i < addresses.size(); ++i) {
    sockaddr_storage& a = addresses[i];
    // Every address of a name gets the port the first one was given.
    if (listener->port_ != 0) {
      if (a.ss_family == AF_INET) {
        reinterpret_cast<sockaddr_in&>(a).sin_port = htons(listener->port_);
      } else if (a.ss_family == AF_INET6) {
        reinterpret_cast<sockaddr_in6&>(a).sin6_port = htons(listener->port_);
      }
    }
    const int fd =
        socket(a.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      absl::StrAppend(&skipped, " ", AddressText(a), ": ", ErrnoText(errno));
      continue;
    }
    // SO_REUSEADDR as gRPC sets it (a restart need not wait for TIME_WAIT);
    // never SO_REUSEPORT: a second smptraced on the same port must fail, or
    // clients would be spread over two different stores.
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    // "::" alone serves IPv4 too (dual stack, as gRPC does); a name that
    // resolves to both families binds each on its own socket.
    if (a.ss_family == AF_INET6 && addresses.size() > 1) {
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    }
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), lengths[i]) != 0 ||
        listen(fd, SOMAXCONN) != 0) {
      const int err = errno;
      close(fd);
      if (err == EADDRNOTAVAIL || err == EAFNOSUPPORT) {
        // An address family this machine does not have (e.g. no IPv6).
        absl::StrAppend(&skipped, " ", AddressText(a), ": ", ErrnoText(err));
        continue;
      }
      return absl::UnavailableError(absl::StrCat(
          "cannot listen on ", address, ": ", ErrnoText(err),
          err == EADDRINUSE ? " (is another smptraced running?)" : ""));
    }
    listener->listen_fds_.push_back(fd);
    sockaddr_storage bound{};
    socklen_t bound_length = sizeof(bound);
    getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_length);
    listener->port_ =
        bound.ss_family == AF_INET
            ? ntohs(reinterpret_cast<sockaddr_in&>(bound).sin_port)
            : ntohs(reinterpret_cast<sockaddr_in6&>(bound).sin6_port);
  }
  if (listener->listen_fds_.empty()) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, ":", skipped));
  }
  listener->wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  listener->spare_fd_ = OpenSpare();
  if (listener->wake_fd_ < 0 || listener->spare_fd_ < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, ": ", ErrnoText(errno)));
  }
  return listener;
}

Listener::~Listener() {
  Stop();
  if (wake_fd_ >= 0) close(wake_fd_);
  if (spare_fd_ >= 0) close(spare_fd_);
}

void Listener::Start(grpc::experimental::ExternalConnectionAcceptor* acceptor) {
  acceptor_ = acceptor;
  thread_ = std::thread([this] { AcceptLoop(); });
}

void Listener::Stop() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    if (write(wake_fd_, &one, sizeof(one)) != sizeof(one)) {
      spdlog::error("listener: cannot wake the accept thread: {}",
                    ErrnoText(errno));
    }
    thread_.join();
  }
  for (int fd : listen_fds_) close(fd);
  listen_fds_.clear();
}

ListenerStats Listener::stats() const {
  ListenerStats s;
  s.accepted = accepted_.load();
  s.refused_at_cap = refused_at_cap_.load();
  s.dropped_out_of_descriptors = dropped_out_of_descriptors_.load();
  return s;
}

void Listener::AcceptLoop() {
  std::vector<pollfd> fds;
  for (int fd : listen_fds_) fds.push_back({fd, POLLIN, 0});
  fds.push_back({wake_fd_, POLLIN, 0});
  bool paused = false;
  for (;;) {
    // While paused only the wake descriptor is watched: the listening
    // sockets stay readable and would spin.
    pollfd* watch = paused ? &fds.back() : fds.data();
    const int r = poll(watch, paused ? 1 : fds.size(), paused ? kPauseMs : -1);
    if (r < 0 && errno != EINTR) {
      spdlog::error("listener: poll: {}", ErrnoText(errno));
      paused = true;
      continue;
    }
    if (fds.back().revents & POLLIN) return;
    if (paused) {
      paused = false;
      if (spare_fd_ < 0) spare_fd_ = OpenSpare();
      continue;
    }
    for (size_t i = 0; i + 1 < fds.size(); ++i) {
      if ((fds[i].revents & POLLIN) && !AcceptWaiting(fds[i].fd)) {
        paused = true;
      }
    }
  }
}

bool Listener::AcceptWaiting(int listen_fd) {
  for (int i = 0; i < kAcceptBatch; ++i) {
    const int fd =
        accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      Hand(listen_fd, fd);
      continue;
    }
    const int err = errno;
    if (err == EINTR || IsConnectionError(err)) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) return true;
    if ((err == EMFILE || err == ENFILE) && DropWithSpare(listen_fd)) continue;
    if (auto skipped = log_throttle_.Admit(); skipped.has_value()) {
      spdlog::error(
          "listener: accept: {}; accepting again in {} ms ({} connections "
          "open){}",
          ErrnoText(err), kPauseMs, OpenConnections(),
          LogThrottle::Suffix(*skipped));
    }
    return false;
  }
  return true;
}

void Listener::Hand(int listen_fd, int fd) {
  const size_t open_now = OpenConnections();
  if (open_now >= static_cast<size_t>(max_connections_)) {
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length);
    ++refused_at_cap_;
    close(fd);
    if (auto skipped = log_throttle_.Admit(); skipped.has_value()) {
      spdlog::warn(
          "listener: closed a new connection from {}: {} connections are "
          "open, the most --max_connections allows ({} closed so far){}",
          AddressText(peer), open_now, refused_at_cap_.load(),
          LogThrottle::Suffix(*skipped));
    }
    return;
  }
  struct stat st {};
  fstat(fd, &st);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  handed_.push_back({fd, st.st_ino});
  ++accepted_;
  grpc::experimental::ExternalConnectionAcceptor::NewConnectionParameters p;
  p.listener_fd = listen_fd;
  p.fd = fd;
  acceptor_->HandleNewConnection(&p);
}

bool Listener::DropWithSpare(int listen_fd) {
  if (spare_fd_ < 0) return false;
  close(spare_fd_);
  spare_fd_ = -1;
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  const int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &length,
                         SOCK_CLOEXEC);
  const int err = errno;
  if (fd >= 0) {
    ++dropped_out_of_descriptors_;
    close(fd);
  }
  spare_fd_ = OpenSpare();
  if (fd < 0) return err == EAGAIN || err == EWOULDBLOCK;
  if (auto skipped = log_throttle_.Admit(); skipped.has_value()) {
    spdlog::warn(
        "listener: out of file descriptors (open-file limit {}): closed a "
        "new connection from {} at once ({} connections open, {} closed so "
        "far); raise the limit (LimitNOFILE) or lower --max_connections{}",
        CurrentOpenFileLimit(), AddressText(peer), OpenConnections(),
        dropped_out_of_descriptors_.load(), LogThrottle::Suffix(*skipped));
  }
  return true;
}

size_t Listener::OpenConnections() {
  // gRPC closes a connection without telling us; its descriptor is then
  // closed or names another file. Checked only at the cap, so the cost (one
  // fstat per connection) is paid only when it matters. Socket inode
  // numbers are not reused while the counter (2^32) has not wrapped.
  if (handed_.size() >= static_cast<size_t>(max_connections_)) {
    handed_.erase(std::remove_if(handed_.begin(), handed_.end(),
                                 [](const Handed& h) {
                                   struct stat st {};
                                   return fstat(h.fd, &st) != 0 ||
                                          !S_ISSOCK(st.st_mode) ||
                                          st.st_ino != h.inode;
                                 }),
                  handed_.end());
  }
  return handed_.size();
}

}  // namespace smptrace::api
