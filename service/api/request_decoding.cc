#include "service/api/request_decoding.h"

#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "google/protobuf/stubs/logging.h"
#include "service/api/log_throttle.h"
#include "spdlog/spdlog.h"

namespace smptrace::api {
namespace {

using ::grpc::experimental::InterceptionHookPoints;

// One throttle for everything protobuf says and every undecodable request:
// a client can cause both, as often as it likes.
LogThrottle& Throttle() {
  static LogThrottle* throttle = new LogThrottle(SystemClock::Get(), 60);
  return *throttle;
}

// gRPC decodes a request on the thread that created the call's interceptor,
// just before the interceptor sees the result (grpc::Server's SyncRequest
// and CallbackRequest: set_server_rpc_info, then Deserialize, then
// POST_RECV_MESSAGE). While a request is being decoded, protobuf's error for
// it is kept here instead of logged, and the interceptor reports it with the
// method it concerns.
struct Decoding {
  bool active = false;
  std::string error;  // what protobuf said, if anything
};
thread_local Decoding t_decoding;

void LogProtobuf(google::protobuf::LogLevel level, const char* filename,
                 int line, const std::string& message) {
  if (t_decoding.active && level == google::protobuf::LOGLEVEL_ERROR) {
    t_decoding.error = message;
    return;
  }
  const std::optional<int64_t> skipped = Throttle().Admit();
  if (!skipped.has_value()) return;
  spdlog::level::level_enum spd = spdlog::level::info;
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      spd = spdlog::level::info;
      break;
    case google::protobuf::LOGLEVEL_WARNING:
      spd = spdlog::level::warn;
      break;
    case google::protobuf::LOGLEVEL_ERROR:
      spd = spdlog::level::err;
      break;
    case google::protobuf::LOGLEVEL_FATAL:
      spd = spdlog::level::critical;
      break;
  }
  spdlog::log(spd, "libprotobuf {}:{}: {}{}", filename, line, message,
              LogThrottle::Suffix(*skipped));
}

// Why decoding failed, in the client's terms.
std::string Reason(absl::string_view protobuf_error) {
  // "String field 'smptrace.v1.X.name' contains invalid UTF-8 data when
  // parsing a protocol buffer. Use the 'bytes' type if ..."
  absl::string_view rest = protobuf_error;
  if (absl::ConsumePrefix(&rest, "String field '")) {
    const size_t end = rest.find('\'');
    if (end != absl::string_view::npos &&
        absl::StrContains(rest, "invalid UTF-8")) {
      return absl::StrCat("field ", rest.substr(0, end), " is not valid UTF-8");
    }
  }
  if (!protobuf_error.empty()) {
    return std::string(protobuf_error.substr(0, protobuf_error.find(". ")));
  }
  return "the bytes are not a message of the request type (truncated or "
         "corrupt?)";
}

class RequestDecodingInterceptor final
    : public grpc::experimental::Interceptor {
 public:
  explicit RequestDecodingInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method()) {
    // Only these receive their one request before the handler runs; for
    // client streams a missing message means the end of the stream.
    using Type = grpc::experimental::ServerRpcInfo::Type;
    decodes_first_ =
        info->type() == Type::UNARY || info->type() == Type::SERVER_STREAMING;
    if (decodes_first_) t_decoding = Decoding{true, ""};
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (decodes_first_ && m->QueryInterceptionHookPoint(
                              InterceptionHookPoints::POST_RECV_MESSAGE)) {
      Decoding decoding = std::exchange(t_decoding, Decoding{});
      if (m->GetRecvMessage() == nullptr) reason_ = Reason(decoding.error);
    }
    // "No payload": gRPC itself refused the message before it could be
    // decoded (over --max_message_bytes, a compression it cannot undo) and
    // answers for it; that answer stands.
    if (!reason_.empty() &&
        m->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        m->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL &&
        m->GetSendStatus().error_message() != "No payload") {
      absl::string_view method = method_;
      absl::ConsumePrefix(&method, "/smptrace.v1.");
      absl::ConsumePrefix(&method, "/");
      const std::string message = absl::StrCat(
          "request to ", method, " could not be decoded: ", reason_);
      m->ModifySendStatus(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message));
      if (auto skipped = Throttle().Admit(); skipped.has_value()) {
        spdlog::warn("undecodable request: {}{}", message,
                     LogThrottle::Suffix(*skipped));
      }
    }
    m->Proceed();
  }

 private:
  const std::string method_;
  bool decodes_first_ = false;
  std::string reason_;  // set when the request could not be decoded
};

class RequestDecodingInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RequestDecodingInterceptor(info);
  }
};

}  // namespace

void RouteProtobufLog() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&LogProtobuf); });
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRequestDecodingInterceptorFactory() {
  RouteProtobufLog();
  return std::make_unique<RequestDecodingInterceptorFactory>();
}

}  // namespace smptrace::api
