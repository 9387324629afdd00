// GET /metrics in the Prometheus text format, on a plain-HTTP listener of
// its own (smptraced --metrics_listen, loopback by default): what a
// Prometheus server scrapes. It serves nothing else, needs no credentials,
// and says nothing about clients (no ids, no names in labels).
#ifndef SMPTRACE_SERVICE_API_METRICS_ENDPOINT_H_
#define SMPTRACE_SERVICE_API_METRICS_ENDPOINT_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace smptrace::api {

class MetricsEndpoint {
 public:
  // Binds `listen` ("host:port"; port 0 picks a free one). Errors:
  // InvalidArgument if it is not host:port; Unavailable if it cannot be
  // bound.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Bind(
      const std::string& listen);
  ~MetricsEndpoint();  // Stop()s.

  int port() const { return port_; }
  // "http://127.0.0.1:8472/metrics".
  std::string url() const;

  // Serves GET /metrics with what `render` returns, on a thread of its own.
  // REQUIRES: called once; `render` is thread-safe and valid until Stop().
  void Start(std::function<std::string()> render);
  // Stops serving. Idempotent.
  void Stop();

 private:
  MetricsEndpoint() = default;

  std::string host_;
  int port_ = 0;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_METRICS_ENDPOINT_H_
