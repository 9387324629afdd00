// The HTTP door of smptraced (DESIGN.md §3): the web application's static
// files, and the Connect protocol's unary calls (POST
// /smptrace.v1.<Service>/<Method>, application/json or application/proto)
// for the browser and for curl. It has no handler of its own: each call is
// made as a gRPC call to this same server's port, over TLS pinned to the
// server's own certificate, with the caller's token as its bearer token. So
// every call meets the same AuthProcessor, role table, validation, ledger
// and logs as a call from the CLI, and answers with the same code and
// message (as Connect error JSON, connect_protocol.h).
//
// Credentials: "Authorization: Bearer TOKEN" as on gRPC, or a web session
// (web_sessions.h) from POST /auth/sign-in, carried by an HttpOnly cookie.
// Every POST needs "Connect-Protocol-Version: 1" (a cross-site form cannot
// send it) and, when the browser sends Origin, the server's own origin.
// AuditService.Export's stream is a download: POST
// /download/smptrace.v1.AuditService/Export.
#ifndef SMPTRACE_SERVICE_API_HTTP_GATEWAY_H_
#define SMPTRACE_SERVICE_API_HTTP_GATEWAY_H_

#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "service/api/auth.h"
#include "service/api/web_sessions.h"
#include "storage/store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace smptrace::api {

// `address` as "host:port", "[v6]:port" or ":port" (every address, as
// 0.0.0.0). InvalidArgument naming `flag` otherwise.
absl::Status ParseHostPort(std::string_view flag, const std::string& address,
                           std::string* host, int* port);

struct WebOptions {
  // host:port of the web listener; port 0 picks a free one. Empty: none.
  std::string listen;
  // False when `listen` is only the default (beside the gRPC port): if it
  // cannot be bound, the server starts without the web listener (and says
  // so) instead of refusing to start.
  bool listen_required = true;
  // The web application's built files (index.html and its assets).
  std::string web_root;
  // A web session ends after this long without a call (a practitioner's,
  // at the chair-side kiosk: kiosk_idle; every other role's: session_idle),
  // and session_lifetime after sign-in in any case.
  absl::Duration session_idle = absl::Minutes(15);
  absl::Duration kiosk_idle = absl::Minutes(2);
  absl::Duration session_lifetime = absl::Hours(12);
  // Connections served at once (each holds a thread while it is open), and
  // how many more may wait for one; past that a connection is answered 503
  // and closed.
  int threads = 16;
  int max_waiting_connections = 64;
  // A connection that sends nothing this long is closed; a keep-alive
  // connection serves at most this many requests.
  absl::Duration io_timeout = absl::Seconds(10);
  absl::Duration keep_alive_timeout = absl::Seconds(5);
  int keep_alive_max_requests = 1000;
  // Set with --require_client_cert: the HTTPS listener, like the gRPC port,
  // accepts only connections that present a client certificate this CA
  // signed (the clinic's kiosks and desks); the person then signs in with
  // their token as usual.
  std::string require_client_ca_file;
  // The certificate (and key, PEM) the gateway presents to the gRPC port
  // when that port requires one: issued by the clinic's client CA and
  // mapped to no principal (each call carries the signed-in person's token).
  std::string client_cert_file;
  std::string client_key_file;
};

// What the gateway needs of the server it fronts.
struct GatewayTarget {
  // The gRPC port's address, as a client dials it ("127.0.0.1:8470").
  std::string grpc_address;
  // Empty with insecure_dev: plain HTTP and a plain gRPC channel.
  std::string cert_file;
  std::string key_file;
  // The gateway's own client certificate for that port (WebOptions), or
  // empty when the port does not require one.
  std::string client_cert_file;
  std::string client_key_file;
  bool insecure_dev = false;
  // The largest request body (the gRPC server's max_receive_message_bytes).
  int max_body_bytes = 4 << 20;
  std::string clinic_name;
  std::string clinic_time_zone;
  // Sign-in checks tokens against these principals; sign-ins, failures and
  // sign-outs go to `auth_log` (null with insecure_dev).
  const storage::Reader* state = nullptr;
  AuthLog* auth_log = nullptr;
};

class HttpGateway {
 public:
  // Binds options.listen (nothing is served before Start()). Errors:
  // InvalidArgument if it is not host:port; Unavailable if it cannot be
  // bound; InvalidArgument if the TLS files cannot be used.
  // REQUIRES: clock outlives the gateway.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Bind(
      const WebOptions& options, const std::string& cert_file,
      const std::string& key_file, bool insecure_dev, const Clock* clock);
  ~HttpGateway();  // Stop()s.

  int port() const { return port_; }
  // "https://127.0.0.1:8471/" (or http:// with insecure_dev).
  std::string url() const;

  // Serves, on threads of its own. REQUIRES: called once; what `target`
  // points to outlives Stop().
  void Start(const GatewayTarget& target);

  // Stops accepting, lets the requests in progress finish, and returns.
  // Idempotent.
  void Stop();

  // Web sessions open now.
  size_t sessions() const { return sessions_->size(); }

 private:
  class Handlers;

  HttpGateway() = default;

  WebOptions options_;
  bool tls_ = false;
  std::string host_;
  int port_ = 0;
  std::unique_ptr<WebSessions> sessions_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<Handlers> handlers_;
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_HTTP_GATEWAY_H_
