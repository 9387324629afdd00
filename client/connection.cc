#include "client/connection.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "client/output.h"
#include "common/clinic_time.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_interceptor.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::client {

namespace {

using grpc::experimental::InterceptionHookPoints;

// Takes the clinic's time zone from each answer's headers, so that
// FormatTime() shows times as the server's reports do.
class ClinicZoneReader final : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const auto* headers = m->GetRecvInitialMetadata();
      if (headers != nullptr) {
        auto it = headers->find(kClinicTimeZoneHeader);
        if (it != headers->end()) {
          UseClinicZone(std::string(it->second.data(), it->second.size()));
        }
      }
    }
    m->Proceed();
  }
};

class ClinicZoneReaderFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new ClinicZoneReader;
  }
};

std::shared_ptr<grpc::Channel> NewChannel(
    const std::string& server,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    const grpc::ChannelArguments& args) {
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<ClinicZoneReaderFactory>());
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      server, credentials, args, std::move(interceptors));
}

// `path`'s text when it holds a PEM block that begins with `marker` (e.g.
// "-----BEGIN CERTIFICATE-----"). gRPC itself says only "empty address list"
// for a file it cannot use, and takes an empty --ca_cert for "trust the
// public CAs", so files are checked here, naming the flag.
absl::StatusOr<std::string> ReadPemFile(std::string_view flag,
                                        const std::string& path,
                                        std::string_view marker,
                                        std::string_view what) {
  SMPTRACE_ASSIGN_OR_RETURN(std::string text, ReadTextFile(flag, path));
  if (text.find(marker) == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(flag), " ", path, ": not a PEM ", ToAbsl(what),
                     " (no line ", ToAbsl(marker), ")"));
  }
  return text;
}

// True when `token` can go in an "authorization: Bearer" header as it is:
// one word of visible ASCII.
bool IsOneWord(std::string_view token) {
  for (char c : token) {
    if (c <= ' ' || c > '~') return false;
  }
  return !token.empty();
}

// After a lost connection gRPC asks its resolver for the server's address
// again, and by default waits 30 s between two such requests: a server back
// from a restart would go unnoticed for that long.
grpc::ChannelArguments ReconnectPromptly() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_DNS_MIN_TIME_BETWEEN_RESOLUTIONS_MS, 100);
  return args;
}

// True when the call cannot have left this process: no connection to the
// server could be made (gRPC fails such a call before sending anything).
bool NeverSent(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE &&
         (status.error_message().find("failed to connect to all addresses") !=
              std::string::npos ||
          Connection::IsTlsSetupFailure(status));
}

bool IsRetryable(const grpc::Status& status) {
  return IsUnreachable(status) && !Connection::IsTlsSetupFailure(status);
}

// NewRequestId()'s memory: the id to give once (--request_id) and the last
// one given.
class RequestIds {
 public:
  static RequestIds& Get() {
    static auto* ids = new RequestIds;
    return *ids;
  }
  void UseOnce(std::string id) {
    absl::MutexLock lock(&mu_);
    given_ = std::move(id);
  }
  std::string Next(std::string fresh) {
    absl::MutexLock lock(&mu_);
    last_ = given_.empty() ? std::move(fresh) : std::move(given_);
    given_.clear();
    return last_;
  }
  std::string Last() {
    absl::MutexLock lock(&mu_);
    return last_;
  }

 private:
  absl::Mutex mu_;
  std::string given_ ABSL_GUARDED_BY(mu_);
  std::string last_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<Connection> Connection::Open(const ConnectionOptions& options) {
  std::string token = options.token;
  std::string token_source = "--token";
  if (token.empty() && !options.token_file.empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(std::string text,
                              ReadTextFile("--token_file", options.token_file));
    token = std::string(absl::StripAsciiWhitespace(text));
    token_source = absl::StrCat("--token_file ", options.token_file);
    if (token.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(token_source, ": the file is empty"));
    }
  }
  if (!token.empty() && !IsOneWord(token)) {
    return absl::InvalidArgumentError(
        absl::StrCat(token_source,
                     ": a token is one word (no spaces, line breaks or "
                     "control characters)"));
  }
  if (options.cert.empty() != options.key.empty()) {
    return absl::InvalidArgumentError(
        "--cert and --key go together: give both (a client certificate and "
        "its key) or neither");
  }
  if (options.ca_cert.empty()) {
    if (!token.empty()) {
      return absl::InvalidArgumentError(
          "a token needs TLS: give --ca_cert (the CA that signed the server's "
          "certificate); tokens are never sent in clear");
    }
    if (!options.cert.empty()) {
      return absl::InvalidArgumentError("--cert needs TLS: give --ca_cert too");
    }
    return Connection(
        options, NewChannel(options.server, grpc::InsecureChannelCredentials(),
                            ReconnectPromptly()));
  }
  grpc::SslCredentialsOptions ssl;
  SMPTRACE_ASSIGN_OR_RETURN(
      ssl.pem_root_certs,
      ReadPemFile("--ca_cert", options.ca_cert, "-----BEGIN CERTIFICATE-----",
                  "certificate"));
  if (!options.cert.empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        ssl.pem_cert_chain,
        ReadPemFile("--cert", options.cert, "-----BEGIN CERTIFICATE-----",
                    "certificate"));
    SMPTRACE_ASSIGN_OR_RETURN(
        ssl.pem_private_key,
        ReadPemFile("--key", options.key, "PRIVATE KEY-----", "private key"));
    if (ssl.pem_private_key.find("ENCRYPTED") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("--key ", options.key,
                       ": the key is encrypted; give an unencrypted key "
                       "(mode 0600)"));
    }
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::SslCredentials(ssl);
  if (!token.empty()) {
    credentials = grpc::CompositeChannelCredentials(
        credentials, grpc::AccessTokenCredentials(token));
  }
  return Connection(
      options, NewChannel(options.server, credentials, ReconnectPromptly()));
}

Connection Connection::WithoutRetries() const {
  Connection once = *this;
  once.options_.retries = 0;
  return once;
}

grpc::Status Connection::Call(
    const std::function<grpc::Status(grpc::ClientContext*)>& rpc) const {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  const auto budget = std::chrono::duration<double>(options_.retry_seconds);
  constexpr auto kMaxBackoff = std::chrono::milliseconds(1000);
  auto backoff = std::chrono::milliseconds(100);
  auto seconds_since_start = [&start] {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  grpc::Status status;
  bool may_have_arrived = false;
  bool waited = false;
  for (int attempt = 0;; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(static_cast<int64_t>(
                             options_.timeout_seconds * 1000)));
    status = rpc(&context);
    if (!IsRetryable(status)) {
      if (waited) {
        std::cerr << absl::StrFormat("the server answered after %.1f s\n",
                                     seconds_since_start());
      }
      return Explained(status);
    }
    may_have_arrived = may_have_arrived || !NeverSent(status);
    if (attempt >= options_.retries ||
        Clock::now() + backoff - start > budget) {
      break;
    }
    if (!waited) {
      std::cerr << "waiting for the server at " << options_.server << "… ("
                << CodeName(status.error_code()) << ": "
                << status.error_message() << "); trying again for up to "
                << options_.retry_seconds << " s" << std::endl;
      waited = true;
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
    // gRPC itself waits 1 s, growing to 2 minutes, between attempts to
    // connect, and fails calls at once meanwhile: connect now.
    grpc::experimental::ChannelResetConnectionBackoff(channel_.get());
  }
  const std::string tried =
      waited ? absl::StrFormat(" (tried for %.1f s)", seconds_since_start())
             : "";
  if (!may_have_arrived) {
    return Explained(grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        absl::StrCat("the server at ", options_.server, " could not be reached",
                     tried, ", nothing was sent: ", status.error_message()),
        status.error_details()));
  }
  return Explained(grpc::Status(
      grpc::StatusCode::DEADLINE_EXCEEDED,
      absl::StrCat("no answer from the server at ", options_.server, tried,
                   ": ", status.error_message()),
      status.error_details()));
}

bool Connection::IsTlsSetupFailure(const grpc::Status& status) {
  const std::string& message = status.error_message();
  return status.error_code() == grpc::StatusCode::UNAVAILABLE &&
         (message.find("Ssl handshake failed") != std::string::npos ||
          message.find("is not in peer certificate") != std::string::npos ||
          message.find("empty address list") != std::string::npos);
}

grpc::Status Connection::Explained(const grpc::Status& status) const {
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE) return status;
  const std::string& message = status.error_message();
  auto has = [&message](const char* text) {
    return message.find(text) != std::string::npos;
  };
  std::string hint;
  if (has("certificate verify failed")) {
    hint = absl::StrCat(
        "the server's certificate is not signed by the CA in "
        "--ca_cert ",
        options_.ca_cert, ", or has expired");
  } else if (has("is not in peer certificate")) {
    hint = absl::StrCat(
        "the server's certificate does not name ", options_.server,
        ": connect by a name it lists (openssl x509 -in server.pem -noout "
        "-ext subjectAltName), or remake it with SMPTRACE_CERT_NAMES");
  } else if (has("empty address list") && !options_.ca_cert.empty()) {
    hint = options_.cert.empty()
               ? absl::StrCat("TLS could not start: is --ca_cert ",
                              options_.ca_cert, " a valid PEM certificate?")
               : absl::StrCat("TLS could not start: is --ca_cert ",
                              options_.ca_cert,
                              " a valid PEM certificate, and are --cert ",
                              options_.cert, " and --key ", options_.key,
                              " a certificate and its own key?");
  } else if (has("Socket closed") || has("Connection reset")) {
    hint = options_.ca_cert.empty()
               ? "the server closed the connection: if it uses TLS, give "
                 "--ca_cert"
           : options_.cert.empty()
               ? "the server closed the connection during the TLS handshake: "
                 "it may require a client certificate (--cert, --key)"
               : "the server closed the connection during the TLS handshake: "
                 "it may not accept this client certificate (not signed by "
                 "its --client_ca, or expired)";
  }
  if (hint.empty()) return status;
  return grpc::Status(status.error_code(),
                      absl::StrCat(message, "\nhint: ", hint),
                      status.error_details());
}

std::string NewRequestId() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  uint64_t hi = gen(), lo = gen();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 1
  return RequestIds::Get().Next(absl::StrFormat(
      "%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xffff, hi & 0xffff,
      lo >> 48, lo & 0xffffffffffffULL));
}

void UseRequestIdOnce(std::string id) {
  RequestIds::Get().UseOnce(std::move(id));
}

std::string LastRequestId() { return RequestIds::Get().Last(); }

bool OutcomeUnknown(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::DO_NOT_USE:
      break;
  }
  // A number gRPC does not define (a server may send any).
  return "CODE_" + std::to_string(static_cast<int>(code));
}

std::string RefusalReasonOf(const grpc::Status& status) {
  v1::StatusDetails details;
  if (status.error_details().empty() ||
      !details.ParseFromString(status.error_details())) {
    return "";
  }
  for (const auto& any : details.details()) {
    v1::Refusal refusal;
    if (any.UnpackTo(&refusal)) return refusal.reason();
  }
  return "";
}

bool IsUnreachable(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

void PrintRefusal(const grpc::Status& status) {
  const std::string reason = RefusalReasonOf(status);
  std::cout << "✘ " << (reason.empty() ? CodeName(status.error_code()) : reason)
            << ": " << status.error_message() << std::endl;
}

int ReportError(const grpc::Status& status) {
  const std::string reason = RefusalReasonOf(status);
  std::cerr << "error: " << CodeName(status.error_code())
            << (reason.empty() ? "" : " [" + reason + "]") << ": "
            << status.error_message() << "\n";
  if (OutcomeUnknown(status) && !LastRequestId().empty()) {
    std::cerr << "outcome unknown: the server may have recorded it; run the "
                 "same command again with --request_id "
              << LastRequestId()
              << " (a repeat with the same request id is applied at most "
                 "once and answers as the first)\n";
  }
  return IsUnreachable(status) ? 3 : 1;
}

}  // namespace smptrace::client
