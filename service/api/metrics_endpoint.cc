#include "service/api/metrics_endpoint.h"

#include <httplib.h>

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/api/http_gateway.h"
#include "service/api/prometheus_text.h"

namespace smptrace::api {

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Bind(
    const std::string& listen) {
  std::unique_ptr<MetricsEndpoint> m(new MetricsEndpoint);
  int port = 0;
  auto parsed = ParseHostPort("--metrics_listen", listen, &m->host_, &port);
  if (!parsed.ok()) return parsed;
  m->http_ = std::make_unique<httplib::Server>();
  // A scraper or two: two threads, short timeouts.
  m->http_->new_task_queue = [] { return new httplib::ThreadPool(2); };
  m->http_->set_read_timeout(std::chrono::seconds(5));
  m->http_->set_write_timeout(std::chrono::seconds(5));
  if (port == 0) {
    port = m->http_->bind_to_any_port(m->host_);
    if (port <= 0) {
      return absl::UnavailableError(
          absl::StrCat("--metrics_listen ", listen, ": cannot bind a port"));
    }
  } else if (!m->http_->bind_to_port(m->host_, port)) {
    return absl::UnavailableError(
        absl::StrCat("--metrics_listen ", listen,
                     ": cannot listen there (in use, or not an address of "
                     "this machine); --metrics_listen off turns it off"));
  }
  m->port_ = port;
  return m;
}

MetricsEndpoint::~MetricsEndpoint() { Stop(); }

std::string MetricsEndpoint::url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return absl::StrCat("http://", v6 ? "[" : "", host_, v6 ? "]" : "", ":",
                      port_, "/metrics");
}

void MetricsEndpoint::Start(std::function<std::string()> render) {
  http_->Get("/metrics", [render = std::move(render)](const httplib::Request&,
                                                      httplib::Response& res) {
    res.set_content(render(), kPrometheusContentType);
  });
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // stop() does nothing to a server that is not running yet.
  while (!http_->is_running()) std::this_thread::yield();
}

void MetricsEndpoint::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (http_ != nullptr) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace smptrace::api
