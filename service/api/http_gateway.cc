#include "service/api/http_gateway.h"

#include <httplib.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <deque>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/files.h"
#include "common/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/tls_certificate_verifier.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/api/caller.h"
#include "service/api/connect_protocol.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "spdlog/spdlog.h"

namespace smptrace::api {
namespace {

namespace pb = google::protobuf;

constexpr char kSessionCookie[] = "smptrace_session";
constexpr char kJson[] = "application/json";
constexpr char kProto[] = "application/proto";
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' "
    "data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
constexpr absl::Duration kDefaultCallTimeout = absl::Minutes(1);
constexpr absl::Duration kExportTimeout = absl::Hours(1);

// Set on a connection's thread when it is served only to be refused: every
// worker was busy and the waiting line was full (BoundedTaskQueue).
thread_local bool shedding = false;

// httplib's connection queue with a bound: `threads` workers, at most
// `max_waiting` connections waiting for one. A connection past that is
// served at once on the accepting thread, only to be answered 503 and
// closed (httplib gives a queue no way to close a socket it refuses); the
// accepting thread takes nothing new meanwhile, so descriptors stay
// bounded.
class BoundedTaskQueue final : public httplib::TaskQueue {
 public:
  BoundedTaskQueue(int threads, int max_waiting) : max_waiting_(max_waiting) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }

  void enqueue(std::function<void()> fn) override {
    {
      absl::MutexLock lock(&mu_);
      if (static_cast<int>(jobs_.size()) < max_waiting_) {
        jobs_.push_back(std::move(fn));
        return;
      }
    }
    shedding = true;
    fn();
    shedding = false;
  }

  void shutdown() override {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    for (auto& t : workers_) t.join();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> fn;
      {
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return stopping_ || !jobs_.empty();
        };
        absl::MutexLock lock(&mu_, absl::Condition(&ready));
        if (jobs_.empty()) return;  // stopping, nothing left
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      fn();
    }
  }

  const int max_waiting_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> jobs_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace

absl::Status ParseHostPort(std::string_view flag, const std::string& address,
                           std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), port) || *port < 0 ||
      *port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(flag), " '", address,
                     "' is not HOST:PORT (e.g. 127.0.0.1:8471)"));
  }
  *host = address.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  if (host->empty()) *host = "0.0.0.0";
  return absl::OkStatus();
}

namespace {

// The base64 body of the first PEM certificate in `pem`, without white
// space: what two PEM copies of one certificate have in common.
std::string FirstCertificateBody(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  const size_t begin = pem.find(kBegin);
  if (begin == std::string_view::npos) return "";
  const size_t end = pem.find(kEnd, begin);
  if (end == std::string_view::npos) return "";
  std::string body;
  for (char c : pem.substr(begin + kBegin.size(), end - begin - kBegin.size()))
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) body += c;
  return body;
}

// Accepts exactly one server certificate: the gateway dials its own server,
// whose certificate it has read from --tls_cert. Nothing else on the
// machine can answer as that server, whatever CA or names the certificate
// has.
class PinnedCertificate final
    : public grpc::experimental::ExternalCertificateVerifier {
 public:
  explicit PinnedCertificate(std::string body) : body_(std::move(body)) {}

  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)>,
              grpc::Status* sync_status) override {
    const grpc::string_ref peer = request->peer_cert();
    if (!body_.empty() && FirstCertificateBody(std::string_view(
                              peer.data(), peer.size())) == body_) {
      *sync_status = grpc::Status::OK;
    } else {
      *sync_status = grpc::Status(
          grpc::StatusCode::UNAUTHENTICATED,
          "the web gateway's own server presented another certificate");
    }
    return true;
  }
  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest*) override {
  }

 private:
  const std::string body_;
};

absl::StatusOr<std::shared_ptr<grpc::Channel>> SelfChannel(
    const GatewayTarget& t) {
  grpc::ChannelArguments args;
  // Answers can be large (label sheets, certificates as PDF).
  args.SetMaxReceiveMessageSize(-1);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  if (t.insecure_dev) {
    return grpc::CreateCustomChannel(t.grpc_address,
                                     grpc::InsecureChannelCredentials(), args);
  }
  auto pem = ReadTextFile("--tls_cert", t.cert_file);
  if (!pem.ok()) return pem.status();
  std::string body = FirstCertificateBody(*pem);
  if (body.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_cert ", t.cert_file, ": no PEM certificate in the file"));
  }
  grpc::experimental::TlsChannelCredentialsOptions tls;
  if (!t.client_cert_file.empty()) {
    // The gRPC port requires a client certificate (--require_client_cert).
    grpc::experimental::IdentityKeyCertPair pair;
    auto key = ReadTextFile("--web_client_key", t.client_key_file);
    if (!key.ok()) return key.status();
    auto chain = ReadTextFile("--web_client_cert", t.client_cert_file);
    if (!chain.ok()) return chain.status();
    pair.private_key = *std::move(key);
    pair.certificate_chain = *std::move(chain);
    tls.set_certificate_provider(
        std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
            std::vector<grpc::experimental::IdentityKeyCertPair>{
                std::move(pair)}));
    tls.watch_identity_key_cert_pairs();
  }
  tls.set_verify_server_certs(false);  // the pin below replaces it
  tls.set_check_call_host(false);
  tls.set_certificate_verifier(
      grpc::experimental::ExternalCertificateVerifier::Create<
          PinnedCertificate>(std::move(body)));
  return grpc::CreateCustomChannel(
      t.grpc_address, grpc::experimental::TlsCredentials(tls), args);
}

// A JSON string literal, by protobuf's JSON writer.
std::string JsonString(const std::string& s) {
  pb::Value v;
  v.set_string_value(s);
  std::string out;
  (void)pb::util::MessageToJsonString(v, &out);
  return out;
}

std::string ContentTypeOf(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  const size_t semicolon = type.find(';');
  if (semicolon != std::string::npos) type.resize(semicolon);
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

// Takes "br" out of what the client accepts, so that cpp-httplib answers
// with gzip. Debian 12's cpp-httplib (0.11) compresses every compressible
// response with Brotli at quality 11 whenever the client offers br, as every
// browser does: about 1 s of CPU for the app's 280 KB bundle and 350 ms for a
// session of 150 scans, where gzip takes 20 ms for 15% more bytes. It has no
// setting for this; the request is httplib's own (not const), only handed to
// the pre-routing handler as const.
void OfferNoBrotli(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Headers&>(req.headers);
  for (auto& [name, value] : headers) {
    if (!absl::EqualsIgnoreCase(name, "Accept-Encoding")) continue;
    std::vector<std::string> kept;
    for (absl::string_view coding : absl::StrSplit(value, ',')) {
      absl::string_view token = coding.substr(0, coding.find(';'));
      if (!absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(token), "br")) {
        kept.emplace_back(absl::StripAsciiWhitespace(coding));
      }
    }
    value = absl::StrJoin(kept, ", ");
  }
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  for (size_t i = 0, n = req.get_header_value_count("Cookie"); i < n; ++i) {
    for (absl::string_view part :
         absl::StrSplit(req.get_header_value("Cookie", i), ';')) {
      part = absl::StripAsciiWhitespace(part);
      if (absl::ConsumePrefix(&part, absl::StrCat(ToAbsl(name), "="))) {
        return std::string(part);
      }
    }
  }
  return "";
}

std::string ByteBufferText(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

std::string_view MediaType(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".wasm", "application/wasm"},
      {".mp3", "audio/mpeg"},
      {".ogg", "audio/ogg"},
      {".wav", "audio/wav"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (absl::EndsWith(ToAbsl(path), ToAbsl(ext))) return type;
  }
  return "application/octet-stream";
}

// The real path of `path`, or "" if it does not exist.
std::string RealPath(const std::string& path) {
  char* real = realpath(path.c_str(), nullptr);
  if (real == nullptr) return "";
  std::string out(real);
  free(real);
  return out;
}

bool IsRegularFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

// The request handlers, with what they share.
class HttpGateway::Handlers {
 public:
  Handlers(const WebOptions& options, bool tls, WebSessions* sessions,
           const GatewayTarget& target, std::shared_ptr<grpc::Channel> channel)
      : options_(options),
        tls_(tls),
        sessions_(*sessions),
        target_(target),
        channel_(std::move(channel)),
        generic_(channel_),
        authenticator_(target.state) {}

  void Install(httplib::Server& http);

 private:
  // What a request presents as its credentials.
  struct Credential {
    // "Bearer TOKEN" for the call, or empty (no credentials).
    std::string authorization;
    // Set when a web session carried it.
    std::optional<WebSession> session;
  };

  static void Error(httplib::Response& res, grpc::StatusCode code,
                    std::string_view message, int http_status = 0,
                    std::string_view details = {}) {
    res.status = http_status != 0 ? http_status : ConnectHttpStatus(code);
    res.set_content(ConnectErrorJson(code, message, details), kJson);
  }

  httplib::Server::HandlerResponse CheckRequest(const httplib::Request& req,
                                                httplib::Response& res) const;
  // The request's credential: its Authorization header, else its session
  // cookie. Answers 401 itself (and returns nullopt) for a cookie that
  // names no live session.
  std::optional<Credential> CredentialOf(const httplib::Request& req,
                                         httplib::Response& res);
  // The request body as the method's binary input. Answers 415 or 400
  // itself (and returns nullopt) for another content type or bad JSON.
  std::optional<std::string> RequestBytes(const httplib::Request& req,
                                          httplib::Response& res,
                                          const pb::Descriptor& input) const;
  void Unary(const httplib::Request& req, httplib::Response& res);
  void Download(const httplib::Request& req, httplib::Response& res);
  void SignIn(const httplib::Request& req, httplib::Response& res);
  void SignOut(const httplib::Request& req, httplib::Response& res);
  void Me(const httplib::Request& req, httplib::Response& res);
  // GET /checkpoint: the log's current signed checkpoint note, as text, to
  // anyone (AuditService.GetLogCheckpoint needs no sign-in).
  void LogCheckpoint(httplib::Response& res);
  // What the sign-in screen shows before anyone signs in: the clinic's
  // name, and under --insecure_dev that an empty token signs in as the
  // development principal (as gRPC takes a call without a token).
  void SignInOptions(httplib::Response& res) const;
  void Static(const httplib::Request& req, httplib::Response& res) const;
  void SessionJson(const std::string& principal, const std::string& role,
                   httplib::Response& res) const;
  std::string SessionCookie(std::string_view value, bool clear) const;
  void Refused(std::string_view path, std::string reason, std::string who,
               const absl::Status& status) const;

  const WebOptions options_;
  const bool tls_;
  WebSessions& sessions_;
  const GatewayTarget target_;
  std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub generic_;
  Authenticator authenticator_;
};

httplib::Server::HandlerResponse HttpGateway::Handlers::CheckRequest(
    const httplib::Request& req, httplib::Response& res) const {
  using R = httplib::Server::HandlerResponse;
  if (shedding) {
    res.set_header("Connection", "close");
    Error(res, grpc::StatusCode::UNAVAILABLE,
          "the web server is busy: try again in a moment");
    return R::Handled;
  }
  if (req.method == "OPTIONS") {
    // No CORS: a preflight is never answered positively.
    res.set_header("Connection", "close");
    Error(res, grpc::StatusCode::PERMISSION_DENIED,
          "cross-origin requests are not served", 403);
    return R::Handled;
  }
  if (req.method != "POST") return R::Unhandled;
  if (req.get_header_value("Connect-Protocol-Version") != "1") {
    res.set_header("Connection", "close");
    Error(res, grpc::StatusCode::INVALID_ARGUMENT,
          "missing header Connect-Protocol-Version: 1 (every POST needs it; "
          "a cross-site form cannot send it)");
    return R::Handled;
  }
  if (req.has_header("Origin")) {
    const std::string expected = absl::StrCat(tls_ ? "https://" : "http://",
                                              req.get_header_value("Host"));
    if (req.get_header_value("Origin") != expected) {
      res.set_header("Connection", "close");
      Error(res, grpc::StatusCode::PERMISSION_DENIED,
            absl::StrCat("cross-origin request refused: Origin ",
                         req.get_header_value("Origin"), " is not ", expected));
      return R::Handled;
    }
  }
  return R::Unhandled;
}

void HttpGateway::Handlers::Refused(std::string_view path, std::string reason,
                                    std::string who,
                                    const absl::Status& status) const {
  if (target_.auth_log == nullptr) return;
  AuthOutcome outcome;
  outcome.status = status;
  outcome.reason = std::move(reason);
  outcome.who = std::move(who);
  target_.auth_log->Refused(path, outcome);
}

std::optional<HttpGateway::Handlers::Credential>
HttpGateway::Handlers::CredentialOf(const httplib::Request& req,
                                    httplib::Response& res) {
  Credential c;
  if (req.has_header("Authorization")) {
    c.authorization = req.get_header_value("Authorization");
    return c;
  }
  const std::string cookie = CookieValue(req, kSessionCookie);
  if (cookie.empty()) return c;
  std::string reason;
  absl::StatusOr<WebSession> session = sessions_.Use(cookie, &reason);
  if (!session.ok()) {
    Refused(req.path, std::move(reason), "", session.status());
    res.set_header("Set-Cookie", SessionCookie("", /*clear=*/true));
    Error(res, grpc::StatusCode::UNAUTHENTICATED,
          std::string(session.status().message()));
    return std::nullopt;
  }
  c.authorization = absl::StrCat("Bearer ", session->token);
  c.session = *std::move(session);
  return c;
}

std::optional<std::string> HttpGateway::Handlers::RequestBytes(
    const httplib::Request& req, httplib::Response& res,
    const pb::Descriptor& input) const {
  const std::string type = ContentTypeOf(req);
  if (type == kProto) return req.body;
  if (type != kJson) {
    res.set_header("Accept-Post", "application/json, application/proto");
    Error(res, grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("Content-Type '", req.get_header_value("Content-Type"),
                       "' is not served: send application/json (the "
                       "protobuf JSON mapping) or application/proto"),
          415);
    return std::nullopt;
  }
  std::unique_ptr<pb::Message> message(
      pb::MessageFactory::generated_factory()->GetPrototype(&input)->New());
  const std::string_view body =
      req.body.empty() ? std::string_view("{}") : std::string_view(req.body);
  pb::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = false;
  const auto parsed = pb::util::JsonStringToMessage(
      pb::StringPiece(body.data(), body.size()), message.get(), parse);
  if (!parsed.ok()) {
    Error(res, grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("request body is not a ", input.full_name(),
                       " in JSON: ", std::string(parsed.message())));
    return std::nullopt;
  }
  return message->SerializeAsString();
}

void HttpGateway::Handlers::Unary(const httplib::Request& req,
                                  httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const std::string service = req.matches[1], name = req.matches[2];
  const pb::ServiceDescriptor* s =
      pb::DescriptorPool::generated_pool()->FindServiceByName(service);
  const pb::MethodDescriptor* method =
      s == nullptr ? nullptr : s->FindMethodByName(name);
  if (method == nullptr) {
    Error(res, grpc::StatusCode::UNIMPLEMENTED,
          absl::StrCat("no such RPC: ", service, "/", name), 404);
    return;
  }
  if (method->client_streaming() || method->server_streaming()) {
    Error(res, grpc::StatusCode::UNIMPLEMENTED,
          absl::StrCat(service, "/", name,
                       " streams its answer: POST it to /download/", service,
                       "/", name));
    return;
  }
  std::optional<Credential> credential = CredentialOf(req, res);
  if (!credential.has_value()) return;
  std::optional<std::string> bytes =
      RequestBytes(req, res, *method->input_type());
  if (!bytes.has_value()) return;

  grpc::ClientContext ctx;
  absl::Duration timeout = kDefaultCallTimeout;
  if (int64_t ms = 0;
      absl::SimpleAtoi(req.get_header_value("Connect-Timeout-Ms"), &ms) &&
      ms > 0) {
    timeout = std::min(absl::Milliseconds(ms), kDefaultCallTimeout);
  }
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!credential->authorization.empty()) {
    ctx.AddMetadata("authorization", credential->authorization);
  }
  grpc::Slice slice(*bytes);
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::Status status;
  absl::Notification done;
  generic_.UnaryCall(&ctx, absl::StrCat("/", service, "/", name),
                     grpc::StubOptions(), &request, &response,
                     [&](grpc::Status s) {
                       status = std::move(s);
                       done.Notify();
                     });
  done.WaitForNotification();

  for (const auto& [key, value] : ctx.GetServerInitialMetadata()) {
    const std::string k(key.data(), key.size());
    if (absl::StartsWith(k, "grpc-") || absl::EndsWith(k, "-bin")) continue;
    res.set_header(k, std::string(value.data(), value.size()));
  }
  for (const auto& [key, value] : ctx.GetServerTrailingMetadata()) {
    const std::string k(key.data(), key.size());
    if (absl::StartsWith(k, "grpc-") || absl::EndsWith(k, "-bin")) continue;
    res.set_header("trailer-" + k, std::string(value.data(), value.size()));
  }
  if (!status.ok()) {
    Error(res, status.error_code(), status.error_message(), 0,
          status.error_details());
    return;
  }
  std::string out = ByteBufferText(response);
  if (ContentTypeOf(req) == kProto) {
    res.set_content(std::move(out), kProto);
    return;
  }
  std::unique_ptr<pb::Message> message(pb::MessageFactory::generated_factory()
                                           ->GetPrototype(method->output_type())
                                           ->New());
  std::string json;
  if (!message->ParseFromString(out) ||
      !pb::util::MessageToJsonString(*message, &json).ok()) {
    Error(res, grpc::StatusCode::INTERNAL,
          absl::StrCat("the answer of ", service, "/", name,
                       " could not be written as JSON"));
    return;
  }
  res.set_content(std::move(json), kJson);
}

void HttpGateway::Handlers::LogCheckpoint(httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + kDefaultCallTimeout));
  grpc::Slice slice(v1::GetLogCheckpointRequest().SerializeAsString());
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::Status status;
  absl::Notification done;
  generic_.UnaryCall(&ctx, "/smptrace.v1.AuditService/GetLogCheckpoint",
                     grpc::StubOptions(), &request, &response,
                     [&](grpc::Status s) {
                       status = std::move(s);
                       done.Notify();
                     });
  done.WaitForNotification();
  v1::LogCheckpoint checkpoint;
  if (status.ok() && !checkpoint.ParseFromString(ByteBufferText(response))) {
    status = grpc::Status(grpc::StatusCode::INTERNAL,
                          "the checkpoint could not be read");
  }
  if (!status.ok()) {
    Error(res, status.error_code(), status.error_message());
    return;
  }
  res.set_content(checkpoint.note(), "text/plain; charset=utf-8");
}

void HttpGateway::Handlers::Download(const httplib::Request& req,
                                     httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const std::string service = req.matches[1], name = req.matches[2];
  if (service != "smptrace.v1.AuditService" || name != "Export") {
    Error(res, grpc::StatusCode::UNIMPLEMENTED,
          absl::StrCat("no download ", service, "/", name,
                       ": only smptrace.v1.AuditService/Export"),
          404);
    return;
  }
  std::optional<Credential> credential = CredentialOf(req, res);
  if (!credential.has_value()) return;
  std::optional<std::string> bytes =
      RequestBytes(req, res, *v1::ExportRequest::descriptor());
  if (!bytes.has_value()) return;
  v1::ExportRequest request;
  request.ParseFromString(*bytes);

  // The call lives as long as the response streams.
  struct Stream {
    grpc::ClientContext ctx;
    std::unique_ptr<v1::AuditService::Stub> stub;
    std::unique_ptr<grpc::ClientReader<v1::ExportChunk>> reader;
    v1::ExportChunk chunk;
    bool pending = false;  // `chunk` read, not yet sent
    bool finished = false;
    ~Stream() {
      if (!finished) {
        ctx.TryCancel();
        while (reader->Read(&chunk)) {
        }
        (void)reader->Finish();
      }
    }
  };
  auto stream = std::make_shared<Stream>();
  stream->ctx.set_deadline(absl::ToChronoTime(absl::Now() + kExportTimeout));
  if (!credential->authorization.empty()) {
    stream->ctx.AddMetadata("authorization", credential->authorization);
  }
  stream->stub = v1::AuditService::NewStub(channel_);
  stream->reader = stream->stub->Export(&stream->ctx, request);
  stream->pending = stream->reader->Read(&stream->chunk);
  if (!stream->pending) {
    stream->finished = true;
    grpc::Status status = stream->reader->Finish();
    if (!status.ok()) {
      Error(res, status.error_code(), status.error_message(), 0,
            status.error_details());
      return;
    }
  }
  std::string type = "application/octet-stream", file = "smptrace-export";
  switch (request.format()) {
    case v1::EXPORT_FORMAT_CSV:
      type = "text/csv; charset=utf-8";
      file += ".csv";
      break;
    case v1::EXPORT_FORMAT_JSONL:
      type = "application/x-ndjson";
      file += ".jsonl";
      break;
    case v1::EXPORT_FORMAT_EPCIS:
      type = "application/json";
      file += ".epcis.json";
      break;
    case v1::EXPORT_FORMAT_UNSPECIFIED:
    case v1::ExportFormat_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::ExportFormat_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  res.set_header("Content-Disposition",
                 absl::StrCat("attachment; filename=\"", file, "\""));
  if (stream->finished) {
    res.set_content("", type);
    return;
  }
  res.set_chunked_content_provider(
      type, [stream](size_t, httplib::DataSink& sink) {
        if (stream->pending) {
          const std::string& data = stream->chunk.data();
          if (!data.empty() && !sink.write(data.data(), data.size())) {
            return false;
          }
          stream->pending = stream->reader->Read(&stream->chunk);
          return true;
        }
        stream->finished = true;
        const grpc::Status status = stream->reader->Finish();
        if (!status.ok()) {
          // Too late for an error answer: the download breaks off.
          spdlog::warn("web: export download broke off: {}",
                       status.error_message());
          return false;
        }
        sink.done();
        return true;
      });
}

void HttpGateway::Handlers::SessionJson(const std::string& principal,
                                        const std::string& role,
                                        httplib::Response& res) const {
  // In this order (a Struct's map would not keep one).
  std::string json = absl::StrCat(
      "{\"principal\":", JsonString(principal), ",\"role\":", JsonString(role),
      ",\"clinicName\":", JsonString(target_.clinic_name),
      ",\"clinicTimeZone\":", JsonString(target_.clinic_time_zone),
      ",\"idleTimeoutSeconds\":", absl::ToInt64Seconds(sessions_.IdleFor(role)),
      "}");
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(json), kJson);
}

std::string HttpGateway::Handlers::SessionCookie(std::string_view value,
                                                 bool clear) const {
  // Secure also over plain HTTP (--insecure_dev): browsers treat
  // http://localhost as a secure context and keep the cookie.
  return absl::StrCat(kSessionCookie, "=", ToAbsl(value),
                      clear ? "; Max-Age=0" : "",
                      "; HttpOnly; Secure; SameSite=Strict; Path=/");
}

void HttpGateway::Handlers::SignIn(const httplib::Request& req,
                                   httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  if (ContentTypeOf(req) != kJson) {
    Error(res, grpc::StatusCode::INVALID_ARGUMENT,
          "sign-in takes application/json: {\"token\":\"TOK-…\"}", 415);
    return;
  }
  pb::Struct body;
  std::string token;
  if (!pb::util::JsonStringToMessage(req.body, &body).ok() ||
      !body.fields().contains("token") ||
      body.fields().at("token").kind_case() != pb::Value::kStringValue) {
    Error(res, grpc::StatusCode::INVALID_ARGUMENT,
          "sign-in takes {\"token\":\"TOK-…\"}: the token as the admin gave "
          "it");
    return;
  }
  token = body.fields().at("token").string_value();
  std::string principal, role;
  if (target_.insecure_dev && token.empty()) {
    principal = kInsecureDevActor;
    role = "ADMIN";
  } else {
    Credentials c;
    c.method = "/auth/sign-in";
    const std::string authorization = absl::StrCat("Bearer ", token);
    c.authorization = authorization;
    const AuthOutcome outcome = authenticator_.Identify(c);
    const absl::Status status = AsCallStatus(outcome);
    if (!status.ok()) {
      if (status.code() != absl::StatusCode::kUnavailable &&
          target_.auth_log != nullptr) {
        target_.auth_log->Refused("/auth/sign-in", outcome);
      }
      Error(res, static_cast<grpc::StatusCode>(status.code()),
            std::string(status.message()));
      return;
    }
    principal = *outcome.principal;
    role = std::string(RoleName(outcome.role));
    if (target_.auth_log != nullptr) target_.auth_log->WebSignIn(outcome.who);
  }
  WebSession session;
  session.token = std::move(token);
  session.principal = principal;
  session.role = role;
  const std::string id = sessions_.Create(std::move(session));
  res.set_header("Set-Cookie", SessionCookie(id, /*clear=*/false));
  SessionJson(principal, role, res);
}

void HttpGateway::Handlers::SignInOptions(httplib::Response& res) const {
  std::string json =
      absl::StrCat("{\"clinicName\":", JsonString(target_.clinic_name));
  if (target_.insecure_dev) {
    absl::StrAppend(&json, ",\"insecureDev\":true,\"devPrincipal\":",
                    JsonString(kInsecureDevActor), ",\"devRole\":\"ADMIN\"");
  }
  json += "}";
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(json), kJson);
}

void HttpGateway::Handlers::SignOut(const httplib::Request& req,
                                    httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const std::string cookie = CookieValue(req, kSessionCookie);
  if (!cookie.empty()) {
    std::optional<WebSession> ended = sessions_.End(cookie);
    if (ended.has_value() && target_.auth_log != nullptr) {
      target_.auth_log->WebSignOut(ended->principal);
    }
  }
  res.set_header("Set-Cookie", SessionCookie("", /*clear=*/true));
  res.set_content("{}", kJson);
}

void HttpGateway::Handlers::Me(const httplib::Request& req,
                               httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  if (req.has_header("Authorization")) {
    Credentials c;
    c.method = "/auth/me";
    const std::string authorization = req.get_header_value("Authorization");
    c.authorization = authorization;
    const AuthOutcome outcome = authenticator_.Identify(c);
    const absl::Status status = AsCallStatus(outcome);
    if (!status.ok()) {
      Error(res, static_cast<grpc::StatusCode>(status.code()),
            std::string(status.message()));
      return;
    }
    SessionJson(*outcome.principal, std::string(RoleName(outcome.role)), res);
    return;
  }
  const std::string cookie = CookieValue(req, kSessionCookie);
  if (cookie.empty()) {
    Error(res, grpc::StatusCode::UNAUTHENTICATED,
          "not signed in: sign in with your token");
    return;
  }
  std::optional<Credential> credential = CredentialOf(req, res);
  if (!credential.has_value()) return;
  SessionJson(credential->session->principal, credential->session->role, res);
}

void HttpGateway::Handlers::Static(const httplib::Request& req,
                                   httplib::Response& res) const {
  const std::string& path = req.path;
  // Nothing outside web_root: no "..", no NUL, no backslash, and the
  // resolved file must lie under the resolved root (symbolic links too).
  bool traversal = path.find('\0') != std::string::npos ||
                   path.find('\\') != std::string::npos;
  for (absl::string_view segment : absl::StrSplit(path, '/')) {
    if (segment == "..") traversal = true;
  }
  if (traversal) {
    res.status = 400;
    res.set_content("bad path\n", "text/plain; charset=utf-8");
    return;
  }
  const std::string root = RealPath(options_.web_root);
  if (!root.empty() && path != "/") {
    const std::string file = RealPath(root + path);
    if (!file.empty() && absl::StartsWith(file, root + "/") &&
        IsRegularFile(file)) {
      auto text = ReadTextFile("web file", file);
      if (text.ok()) {
        res.set_header("Cache-Control", "no-cache");
        res.set_content(*std::move(text), std::string(MediaType(file)));
        return;
      }
    }
  }
  // The single-page application answers every other path itself.
  const std::string index = root.empty() ? "" : root + "/index.html";
  if (!index.empty() && IsRegularFile(index)) {
    auto text = ReadTextFile("web file", index);
    if (text.ok()) {
      res.set_header("Cache-Control", "no-cache");
      res.set_content(*std::move(text), "text/html; charset=utf-8");
      return;
    }
  }
  res.set_header("Cache-Control", "no-store");
  res.set_content(
      absl::StrCat(
          "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>smptrace</title></head><body>\n<h1>smptrace</h1>\n"
          "<p>The web application was not built: there is no index.html in "
          "<code>",
          options_.web_root.empty() ? "(no --web_root)" : options_.web_root,
          "</code>.</p>\n<p>Build it with <code>cmake --build build</code> "
          "(it runs npm in web/), or start smptraced with <code>--web_root "
          "DIR</code> naming the built files.</p>\n<p>The HTTP API works "
          "without it: POST /smptrace.v1.&lt;Service&gt;/&lt;Method&gt; "
          "(see docs/admin.md).</p>\n</body></html>\n"),
      "text/html; charset=utf-8");
}

void HttpGateway::Handlers::Install(httplib::Server& http) {
  http.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        OfferNoBrotli(req);
        return CheckRequest(req, res);
      });
  http.set_post_routing_handler(
      [tls = tls_](const httplib::Request&, httplib::Response& res) {
        res.set_header("Content-Security-Policy", kContentSecurityPolicy);
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("X-Frame-Options", "DENY");
        if (tls) {
          res.set_header("Strict-Transport-Security", "max-age=31536000");
        }
      });
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [max = target_.max_body_bytes](
          const httplib::Request& req,
          httplib::Response& res) -> httplib::Server::HandlerResponse {
        if (!res.body.empty())
          return httplib::Server::HandlerResponse::Unhandled;
        res.set_header("Cache-Control", "no-store");
        if (res.status == 413) {
          res.set_content(
              ConnectErrorJson(
                  grpc::StatusCode::RESOURCE_EXHAUSTED,
                  absl::StrCat("request body larger than ", max,
                               " bytes (smptraced --max_message_bytes)")),
              kJson);
        } else if (res.status == 404 || res.status == 405) {
          res.set_content(
              ConnectErrorJson(grpc::StatusCode::UNIMPLEMENTED,
                               absl::StrCat("nothing is served at ", req.method,
                                            " ", req.path)),
              kJson);
        } else {
          res.set_content(
              ConnectErrorJson(
                  grpc::StatusCode::INVALID_ARGUMENT,
                  absl::StrCat("bad HTTP request (status ", res.status, ")")),
              kJson);
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler([](const httplib::Request& req,
                                httplib::Response& res, std::exception_ptr) {
    spdlog::error("web: {} {}: exception in handler", req.method, req.path);
    Error(res, grpc::StatusCode::INTERNAL, "internal error");
  });

  http.Post("/auth/sign-in",
            [this](const httplib::Request& req, httplib::Response& res) {
              SignIn(req, res);
            });
  http.Post("/auth/sign-out",
            [this](const httplib::Request& req, httplib::Response& res) {
              SignOut(req, res);
            });
  http.Get("/checkpoint",
           [this](const httplib::Request&, httplib::Response& res) {
             LogCheckpoint(res);
           });
  http.Get("/auth/me", [this](const httplib::Request& req,
                              httplib::Response& res) { Me(req, res); });
  http.Get("/auth/sign-in",
           [this](const httplib::Request&, httplib::Response& res) {
             SignInOptions(res);
           });
  http.Post(R"(/(smptrace\.v1\.[A-Za-z0-9_]+)/([A-Za-z0-9_]+))",
            [this](const httplib::Request& req, httplib::Response& res) {
              Unary(req, res);
            });
  http.Post(R"(/download/(smptrace\.v1\.[A-Za-z0-9_]+)/([A-Za-z0-9_]+))",
            [this](const httplib::Request& req, httplib::Response& res) {
              Download(req, res);
            });
  // GET never reaches an RPC (the Connect GET form is not served).
  http.Get(
      R"(/(smptrace\.v1\.|download/|auth/).*)",
      [](const httplib::Request& req, httplib::Response& res) {
        Error(res, grpc::StatusCode::UNIMPLEMENTED,
              absl::StrCat("GET ", req.path, " is not served: RPCs are POSTed"),
              405);
      });
  http.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
    Static(req, res);
  });
}

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Bind(
    const WebOptions& options, const std::string& cert_file,
    const std::string& key_file, bool insecure_dev, const Clock* clock) {
  std::unique_ptr<HttpGateway> g(new HttpGateway);
  g->options_ = options;
  g->tls_ = !insecure_dev;
  int port = 0;
  auto parsed =
      ParseHostPort("--http_listen", options.listen, &g->host_, &port);
  if (!parsed.ok()) return parsed;
  if (g->tls_) {
    // Checked here for a clear message: httplib only says "invalid".
    auto cert = ReadTextFile("--tls_cert", cert_file);
    if (!cert.ok()) return cert.status();
    auto key = ReadTextFile("--tls_key", key_file);
    if (!key.ok()) return key.status();
    const std::string client_ca = options.require_client_ca_file;
    if (!client_ca.empty()) {
      auto ca = ReadTextFile("--client_ca", client_ca);
      if (!ca.ok()) return ca.status();
    }
    auto ssl = std::make_unique<httplib::SSLServer>([cert_file, key_file,
                                                     client_ca](SSL_CTX& ctx) {
      if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1 ||
          SSL_CTX_use_certificate_chain_file(&ctx, cert_file.c_str()) != 1 ||
          SSL_CTX_use_PrivateKey_file(&ctx, key_file.c_str(),
                                      SSL_FILETYPE_PEM) != 1 ||
          SSL_CTX_check_private_key(&ctx) != 1) {
        return false;
      }
      if (client_ca.empty()) return true;
      // Like the gRPC port under --require_client_cert: no certificate
      // signed by the client CA, no TLS connection. The CA's name is sent
      // so that a browser offers the matching certificate.
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(client_ca.c_str());
      if (names == nullptr) return false;
      if (SSL_CTX_load_verify_locations(&ctx, client_ca.c_str(), nullptr) !=
          1) {
        sk_X509_NAME_pop_free(names, X509_NAME_free);
        return false;
      }
      SSL_CTX_set_client_CA_list(&ctx, names);
      SSL_CTX_set_verify(
          &ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      return true;
    });
    if (!ssl->is_valid()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--tls_cert ", cert_file, " and --tls_key ", key_file,
          client_ca.empty() ? "" : absl::StrCat(" and --client_ca ", client_ca),
          ": not a certificate and its key (PEM)",
          client_ca.empty() ? "" : ", and a CA certificate (PEM)"));
    }
    g->http_ = std::move(ssl);
  } else {
    g->http_ = std::make_unique<httplib::Server>();
  }
  const int threads = options.threads,
            waiting = options.max_waiting_connections;
  g->http_->new_task_queue = [threads, waiting] {
    return new BoundedTaskQueue(threads, waiting);
  };
  const auto io = absl::ToChronoMicroseconds(options.io_timeout);
  g->http_->set_read_timeout(io);
  g->http_->set_write_timeout(io);
  g->http_->set_keep_alive_timeout(
      absl::ToInt64Seconds(options.keep_alive_timeout));
  g->http_->set_keep_alive_max_count(options.keep_alive_max_requests);
  g->http_->set_tcp_nodelay(true);
  if (port == 0) {
    port = g->http_->bind_to_any_port(g->host_);
    if (port <= 0) {
      return absl::UnavailableError(absl::StrCat(
          "--http_listen ", options.listen, ": cannot bind a port"));
    }
  } else if (!g->http_->bind_to_port(g->host_, port)) {
    return absl::UnavailableError(
        absl::StrCat("--http_listen ", options.listen,
                     ": cannot listen there (in use, or not an address of "
                     "this machine); --http_listen '' turns the web "
                     "listener off"));
  }
  g->port_ = port;
  g->sessions_ = std::make_unique<WebSessions>(clock, options.session_idle,
                                               options.kiosk_idle,
                                               options.session_lifetime);
  return g;
}

HttpGateway::~HttpGateway() { Stop(); }

std::string HttpGateway::url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return absl::StrCat(tls_ ? "https://" : "http://", v6 ? "[" : "", host_,
                      v6 ? "]" : "", ":", port_, "/");
}

void HttpGateway::Start(const GatewayTarget& target) {
  auto channel = SelfChannel(target);
  if (!channel.ok()) {
    // Bind() read the same file a moment ago.
    spdlog::error("web: {}", channel.status().ToString());
    return;
  }
  http_->set_payload_max_length(static_cast<size_t>(target.max_body_bytes));
  handlers_ = std::make_unique<Handlers>(options_, tls_, sessions_.get(),
                                         target, *std::move(channel));
  handlers_->Install(*http_);
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // stop() does nothing to a server that is not running yet: wait the few
  // instructions until it is, so that Stop() always ends it.
  while (!http_->is_running()) std::this_thread::yield();
}

void HttpGateway::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (http_ != nullptr) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace smptrace::api
