#include "service/api/log_format.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/json.h"
#include "common/string_view.h"
#include "spdlog/formatter.h"
#include "spdlog/spdlog.h"

namespace smptrace::api {
namespace {

// The call an access log line is being written for, on this thread (spdlog's
// default logger formats on the thread that logs).
thread_local const CallLogLine* current_call = nullptr;

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    std::string line = absl::StrCat(
        "{\"time\":",
        JsonString(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ",
                                    absl::FromChrono(msg.time),
                                    absl::UTCTimeZone())),
        ",\"level\":", JsonString(std::string_view(level.data(), level.size())),
        ",\"message\":",
        JsonString(std::string_view(msg.payload.data(), msg.payload.size())));
    if (const CallLogLine* call = current_call; call != nullptr) {
      absl::StrAppend(
          &line, ",\"method\":", JsonString(call->method),
          ",\"code\":", JsonString(call->code), ",\"latency_seconds\":",
          absl::StrFormat("%.6f", absl::ToDoubleSeconds(call->latency)),
          ",\"principal\":", JsonString(call->principal),
          ",\"request_id\":", JsonString(call->request_id));
    }
    line += "}\n";
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("--log_format: '", ToAbsl(name),
                   "' is not a log format: use text or json"));
}

void UseLogFormat(LogFormat format) {
  switch (format) {
    case LogFormat::kText:
      return;  // spdlog's own
    case LogFormat::kJson:
      spdlog::set_formatter(std::make_unique<JsonFormatter>());
      return;
  }
}

void LogCall(const CallLogLine& call) {
  current_call = &call;
  spdlog::info("call {} {} {:.3f} ms principal={} request_id={}", call.method,
               call.code, absl::ToDoubleMilliseconds(call.latency),
               call.principal.empty() ? "-" : call.principal,
               call.request_id.empty() ? "-" : call.request_id);
  current_call = nullptr;
}

}  // namespace smptrace::api
