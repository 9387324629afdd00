// How the smptrace CLI talks to smptraced: one channel, a deadline on every
// call, retries that reuse the request's id for long enough to ride out a
// server restart, and error reporting that shows the server's message (and
// refusal reason) and says when the outcome of a request is unknown.
#ifndef SMPTRACE_CLIENT_CONNECTION_H_
#define SMPTRACE_CLIENT_CONNECTION_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace smptrace::client {

struct ConnectionOptions {
  std::string server = "127.0.0.1:8470";
  // TLS: the CA certificate (PEM file) that signed the server's. Without it
  // the channel is plaintext (only for smptraced --insecure_dev).
  std::string ca_cert;
  // mTLS: this client's certificate and key (PEM files), both or neither.
  std::string cert;
  std::string key;
  // A bearer token, or a file holding one (token wins). Needs TLS.
  std::string token;
  std::string token_file;
  double timeout_seconds = 30;
  // How long to keep trying a call that got no answer (UNAVAILABLE, or
  // DEADLINE_EXCEEDED), with the same request id each time: a restarting
  // server is back within a few seconds.
  double retry_seconds = 30;
  // At most this many extra attempts within retry_seconds.
  int retries = 100;
  // Print JSON instead of tables.
  bool json = false;
};

class Connection {
 public:
  // A channel as `options` say: TLS when ca_cert is given (with a client
  // certificate when cert and key are), the bearer token on every call when
  // there is one. InvalidArgument naming the flag and the path when a file
  // cannot be read, or when a token or certificate would go without TLS.
  static absl::StatusOr<Connection> Open(const ConnectionOptions& options);

  // The same channel; Call() makes one attempt only (for a health probe,
  // which wants the answer now).
  Connection WithoutRetries() const;

  // Runs `rpc` with a fresh context (deadline set) until it gets an answer
  // or retry_seconds (or the retries) are used up, waiting 0.1 s, 0.2 s, ...
  // (at most 1 s) between attempts. Retried: UNAVAILABLE (the server could
  // not be reached or dropped the call) and DEADLINE_EXCEEDED; not a failed
  // TLS handshake. The caller builds the request once, so a retry carries
  // the same request_id: the server applies a request at most once and
  // answers a repeat as the first, so retrying a call that did arrive is
  // safe. While it waits it says so on stderr ("waiting for the server…").
  // When no answer came: UNAVAILABLE if no attempt can have reached the
  // server (nothing was sent), DEADLINE_EXCEEDED if one may have (the
  // outcome is unknown: the server may have applied it). The status is
  // Explained().
  grpc::Status Call(
      const std::function<grpc::Status(grpc::ClientContext*)>& rpc) const;

  // `status` with a second line "hint: ..." when it is a TLS set-up failure
  // whose likely cause these options tell (server certificate not signed by
  // --ca_cert, address not in the certificate, client certificate refused,
  // --cert/--key not a pair); otherwise `status` unchanged. For calls made
  // without Call(), e.g. streams.
  grpc::Status Explained(const grpc::Status& status) const;

  // True for an UNAVAILABLE that comes from setting up TLS rather than from
  // an unreachable server (retrying cannot help).
  static bool IsTlsSetupFailure(const grpc::Status& status);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const ConnectionOptions& options() const { return options_; }

 private:
  Connection(ConnectionOptions options, std::shared_ptr<grpc::Channel> channel)
      : options_(std::move(options)), channel_(std::move(channel)) {}

  ConnectionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// A new random request id (UUID version 4 text form); the first call
// returns the id given to UseRequestIdOnce() instead, if any.
std::string NewRequestId();

// Makes the next NewRequestId() return `id` (--request_id: repeating a
// command whose outcome is unknown with its own id answers it).
void UseRequestIdOnce(std::string id);

// The id NewRequestId() returned last ("" if none: the command changes
// nothing).
std::string LastRequestId();

// True when `status` says a request got no answer though it may have reached
// the server (Call()'s DEADLINE_EXCEEDED): it may have been applied.
bool OutcomeUnknown(const grpc::Status& status);

// "NOT_FOUND", "FAILED_PRECONDITION", ...
std::string CodeName(grpc::StatusCode code);

// The reason code of a rule refusal ("lot_recalled"), "" for other errors.
std::string RefusalReasonOf(const grpc::Status& status);

// True when the server could not be reached or did not answer in time.
bool IsUnreachable(const grpc::Status& status);

// One line on stdout for a refused scan: "✘ lot_recalled: ..." (the reason
// code, or the status code when there is none).
void PrintRefusal(const grpc::Status& status);

// Prints `status` to stderr: "error: NOT_FOUND: product ... does not exist",
// with "[reason]" for refusals (and the "hint: ..." line of Explained()), and
// for a change whose outcome is unknown how to learn it (repeat it with
// --request_id). Returns the process exit code to use: 1 for an answer from
// the server, 3 when it could not be reached or did not answer.
int ReportError(const grpc::Status& status);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_CONNECTION_H_
