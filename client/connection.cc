#include "client/connection.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::client {

absl::StatusOr<Connection> Connection::Open(const ConnectionOptions& options) {
  std::string token = options.token;
  if (token.empty() && !options.token_file.empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(std::string text,
                              ReadTextFile("--token_file", options.token_file));
    token = std::string(absl::StripAsciiWhitespace(text));
    if (token.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--token_file ", options.token_file, ": the file is empty"));
    }
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
    return Connection(options,
                      grpc::CreateChannel(options.server,
                                          grpc::InsecureChannelCredentials()));
  }
  grpc::SslCredentialsOptions ssl;
  SMPTRACE_ASSIGN_OR_RETURN(ssl.pem_root_certs,
                            ReadTextFile("--ca_cert", options.ca_cert));
  if (!options.cert.empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(ssl.pem_cert_chain,
                              ReadTextFile("--cert", options.cert));
    SMPTRACE_ASSIGN_OR_RETURN(ssl.pem_private_key,
                              ReadTextFile("--key", options.key));
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::SslCredentials(ssl);
  if (!token.empty()) {
    credentials = grpc::CompositeChannelCredentials(
        credentials, grpc::AccessTokenCredentials(token));
  }
  return Connection(options, grpc::CreateChannel(options.server, credentials));
}

Connection Connection::WithoutRetries() const {
  Connection once = *this;
  once.options_.retries = 0;
  return once;
}

grpc::Status Connection::Call(
    const std::function<grpc::Status(grpc::ClientContext*)>& rpc) const {
  grpc::Status status;
  auto backoff = std::chrono::milliseconds(100);
  for (int attempt = 0; attempt <= options_.retries; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(static_cast<int64_t>(
                             options_.timeout_seconds * 1000)));
    status = rpc(&context);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) return status;
    if (attempt < options_.retries) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
  }
  return status;
}

std::string NewRequestId() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  uint64_t hi = gen(), lo = gen();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 1
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32,
                         (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48,
                         lo & 0xffffffffffffULL);
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
    default:
      return "CODE_" + std::to_string(static_cast<int>(code));
  }
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
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ? 3 : 1;
}

}  // namespace smptrace::client
