// Every call the gRPC server finishes, counted and timed per RPC and status
// code (the names and labels of go-grpc-prometheus, the established ones:
// grpc_server_started_total, grpc_server_handled_total{grpc_code},
// grpc_server_handling_seconds), and written to the access log
// (log_format.h). The HTTP gateway's calls are gRPC calls to this server,
// so they are counted here too. Calls refused by authentication never
// reach a method: AuthLog counts those. One answer is looked into: whether
// a rebuild check (AdminService.RebuildCheck) matched.
#ifndef SMPTRACE_SERVICE_API_CALL_METRICS_H_
#define SMPTRACE_SERVICE_API_CALL_METRICS_H_

#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "service/api/caller.h"
#include "service/api/prometheus_text.h"

namespace smptrace::api {

// Thread-safe.
class CallMetrics {
 public:
  // `callers` names the principal of each call in the access log.
  // REQUIRES: callers outlives this.
  explicit CallMetrics(const Callers* callers) : callers_(*callers) {}

  // For ServerBuilder::experimental().SetInterceptorCreators().
  // REQUIRES: this outlives the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  NewInterceptorFactory();

  // Appends the grpc_server_* families.
  void Write(PrometheusText& out) const;

 private:
  friend class CallObserver;
  // Per method: (service, method, type).
  struct MethodSeries {
    std::string service;
    std::string name;
    std::string type;
    uint64_t started = 0;
    std::map<std::string, uint64_t> handled;  // by code
    std::unique_ptr<Histogram> seconds;
  };
  void Started(const std::string& method, const char* type);
  void Finished(const std::string& method, const std::string& code,
                double seconds);
  void RebuildChecked(bool matched);

  const Callers& callers_;
  mutable absl::Mutex mu_;
  std::map<std::string, MethodSeries> methods_ ABSL_GUARDED_BY(mu_);
  // AdminService.RebuildCheck answers: [0] differed, [1] matched.
  uint64_t rebuild_checks_[2] ABSL_GUARDED_BY(mu_) = {0, 0};
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CALL_METRICS_H_
