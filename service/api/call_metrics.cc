#include "service/api/call_metrics.h"

#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "service/api/log_format.h"
#include "smptrace/v1/admin.pb.h"

namespace smptrace::api {

using ::grpc::experimental::InterceptionHookPoints;
using ::grpc::experimental::ServerRpcInfo;

namespace {

// Our own services' methods: their messages are generated protobuf messages
// (health's are raw bytes) and their callers are principals.
constexpr char kOwnMethodPrefix[] = "/smptrace.v1.";
// Its answer says whether the replayed journal matched the stored state.
constexpr char kRebuildCheck[] = "/smptrace.v1.AdminService/RebuildCheck";

const char* TypeLabel(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unknown";
}

// The request's request_id field, "" if it has none.
std::string RequestIdOf(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->is_repeated() ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return "";
  }
  return request.GetReflection()->GetString(request, field);
}

}  // namespace

// Alive as long as its call: counts it, times it, logs it.
class CallObserver final : public grpc::experimental::Interceptor {
 public:
  CallObserver(CallMetrics* metrics, ServerRpcInfo* info)
      : metrics_(*metrics),
        info_(*info),
        method_(info->method() != nullptr ? info->method() : ""),
        own_(absl::StartsWith(method_, kOwnMethodPrefix)),
        start_(std::chrono::steady_clock::now()) {
    metrics_.Started(method_, TypeLabel(info->type()));
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (own_ && request_id_.empty() &&
        m->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        m->GetRecvMessage() != nullptr) {
      request_id_ = RequestIdOf(
          *static_cast<const google::protobuf::Message*>(m->GetRecvMessage()));
    }
    if (method_ == kRebuildCheck &&
        m->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE) &&
        m->GetSendMessage() != nullptr) {
      metrics_.RebuildChecked(
          static_cast<const v1::RebuildCheckResponse*>(m->GetSendMessage())
              ->ok());
    }
    if (m->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(m->GetSendStatus());
    }
    m->Proceed();
  }

 private:
  void Finish(const grpc::Status& status) {
    const absl::Duration latency =
        absl::FromChrono(std::chrono::steady_clock::now() - start_);
    const std::string code = absl::StatusCodeToString(
        static_cast<absl::StatusCode>(status.error_code()));
    metrics_.Finished(method_, code, absl::ToDoubleSeconds(latency));
    std::string principal;
    if (own_) {
      const auto* context =
          dynamic_cast<const grpc::ServerContext*>(info_.server_context());
      if (context != nullptr) {
        auto caller = metrics_.callers_.Of(*context);
        if (caller.ok()) principal = caller->principal;
      }
    }
    LogCall({method_, code, latency, principal, request_id_});
  }

  CallMetrics& metrics_;
  ServerRpcInfo& info_;
  const std::string method_;
  const bool own_;
  const std::chrono::steady_clock::time_point start_;
  std::string request_id_;
};

namespace {

class CallObserverFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallObserverFactory(CallMetrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      ServerRpcInfo* info) override {
    return new CallObserver(metrics_, info);
  }

 private:
  CallMetrics* const metrics_;
};

// "/pkg.Service/Method" -> ("pkg.Service", "Method").
std::pair<std::string, std::string> SplitMethod(const std::string& method) {
  const size_t slash = method.rfind('/');
  if (slash == std::string::npos || slash == 0) return {"", method};
  return {method.substr(1, slash - 1), method.substr(slash + 1)};
}

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallMetrics::NewInterceptorFactory() {
  return std::make_unique<CallObserverFactory>(this);
}

void CallMetrics::Started(const std::string& method, const char* type) {
  absl::MutexLock lock(&mu_);
  MethodSeries& s = methods_[method];
  if (s.seconds == nullptr) {
    std::tie(s.service, s.name) = SplitMethod(method);
    s.type = type;
    s.seconds = std::make_unique<Histogram>(LatencySecondsBuckets());
  }
  ++s.started;
}

void CallMetrics::Finished(const std::string& method, const std::string& code,
                           double seconds) {
  absl::MutexLock lock(&mu_);
  MethodSeries& s = methods_[method];  // Started() made it
  ++s.handled[code];
  s.seconds->Observe(seconds);
}

void CallMetrics::RebuildChecked(bool matched) {
  absl::MutexLock lock(&mu_);
  ++rebuild_checks_[matched ? 1 : 0];
}

void CallMetrics::Write(PrometheusText& out) const {
  absl::MutexLock lock(&mu_);
  auto labels = [](const MethodSeries& s) {
    return MetricLabels{{"grpc_service", s.service},
                        {"grpc_method", s.name},
                        {"grpc_type", s.type}};
  };
  out.Family("grpc_server_started_total", MetricType::kCounter,
             "RPCs started on the server.");
  for (const auto& [method, s] : methods_) {
    out.Sample("grpc_server_started_total", labels(s),
               static_cast<double>(s.started));
  }
  out.Family("grpc_server_handled_total", MetricType::kCounter,
             "RPCs completed on the server, by status code.");
  for (const auto& [method, s] : methods_) {
    for (const auto& [code, n] : s.handled) {
      MetricLabels l = labels(s);
      l.emplace_back("grpc_code", code);
      out.Sample("grpc_server_handled_total", l, static_cast<double>(n));
    }
  }
  out.Family("smptrace_rebuild_checks_total", MetricType::kCounter,
             "Rebuild checks (AdminService.RebuildCheck) by result: the "
             "journal's replay matched the stored state, or differed.");
  out.Sample("smptrace_rebuild_checks_total", {{"result", "match"}},
             static_cast<double>(rebuild_checks_[1]));
  out.Sample("smptrace_rebuild_checks_total", {{"result", "differ"}},
             static_cast<double>(rebuild_checks_[0]));
  out.Family("grpc_server_handling_seconds", MetricType::kHistogram,
             "Time from the start of an RPC to its status, in seconds.");
  for (const auto& [method, s] : methods_) {
    out.HistogramSamples("grpc_server_handling_seconds", labels(s),
                         s.seconds->counts());
  }
}

}  // namespace smptrace::api
