// How smptraced's log lines look: spdlog's plain text (the default, for a
// terminal) or one JSON object per line (--log_format json, for a log
// collector), and the access log line written for every call in either.
//
// A call's line names its method, status code, latency, principal and
// request id; never a request's content (a client's contact details) nor
// its metadata (a token).
#ifndef SMPTRACE_SERVICE_API_LOG_FORMAT_H_
#define SMPTRACE_SERVICE_API_LOG_FORMAT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace smptrace::api {

enum class LogFormat { kText, kJson };

// "text" or "json"; InvalidArgument naming --log_format otherwise.
absl::StatusOr<LogFormat> ParseLogFormat(std::string_view name);

// Makes every spdlog logger write `format`. With kJson each line is
// {"time":"2026-11-30T10:00:00.000000Z","level":"info","message":"…"}, plus
// the call's fields on access log lines. Call before other threads log.
void UseLogFormat(LogFormat format);

// One finished call, for the access log.
struct CallLogLine {
  std::string_view method;      // "/smptrace.v1.SessionService/StartSession"
  std::string_view code;        // "OK", "FAILED_PRECONDITION", …
  absl::Duration latency;       // from the call's start to its status
  std::string_view principal;   // "" when not known (refused, health)
  std::string_view request_id;  // "" when the request has none
};

// Writes the access log line of `call` at info level:
//   text: call /smptrace.v1.X/Y OK 1.234 ms principal=ana request_id=r-1
//   json: {…,"message":"call","method":…,"code":…,"latency_seconds":…,
//          "principal":…,"request_id":…}
void LogCall(const CallLogLine& call);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_LOG_FORMAT_H_
