// Authentication and authorisation of every call (DESIGN.md §7), in one
// place: gRPC hands each call's metadata to AuthProcessor before any
// handler runs; it finds who is calling (a bearer token, or a verified
// client certificate mapped to a principal), checks the role table, and
// either refuses the call (UNAUTHENTICATED / PERMISSION_DENIED, logged and
// counted, nothing written) or lets it through. The handler then learns
// its caller from Callers::Of (caller.h), which decides the same
// credentials again.
//
// Nothing is written into gRPC's auth context: it belongs to the
// connection and is read by every call on it at once (writing to it from
// the processor is what once aborted the server under concurrent streams).
// So each call is its own principal, also when one connection carries
// calls of several.
//
// Bearer tokens read "TOK-000001.<secret>": the id says which stored token
// to compare with, the secret is 32 random bytes in base64url. Only the
// secret's SHA-256 is stored.
#ifndef SMPTRACE_SERVICE_API_AUTH_H_
#define SMPTRACE_SERVICE_API_AUTH_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "service/api/log_throttle.h"
#include "service/api/roles.h"
#include "smptrace/v1/admin.pb.h"
#include "storage/store.h"

namespace smptrace::api {

// ---- tokens
// -------------------------------------------------------------------

struct TokenSecret {
  // 43 characters of base64url (32 random bytes).
  std::string secret;
  // SHA-256 of `secret`: what is stored.
  std::string sha256;
};

// A new secret from OpenSSL's CSPRNG.
TokenSecret NewTokenSecret();

// "TOK-000001.<secret>": what the principal is given, once.
std::string TokenText(std::string_view token_id, std::string_view secret);

// ---- deciding
// -------------------------------------------------------------------

// What a call presents.
struct Credentials {
  // ":path", e.g. "/smptrace.v1.InventoryService/Receive".
  std::string_view method;
  // The "authorization" header, if any.
  std::optional<std::string_view> authorization;
  // The common name of a client certificate the TLS handshake verified.
  std::optional<std::string_view> certificate_cn;
};

struct AuthOutcome {
  // OK, Unauthenticated or PermissionDenied (with the caller's message), or
  // an internal error reading the store.
  absl::Status status;
  // Short and stable, for counting: "no credentials", "token revoked", ...
  std::string reason;
  // Who, as far as known: principal, token id or certificate CN.
  std::string who;
  // Set when the call is allowed and needs an identity (not for health).
  std::optional<std::string> principal;
  Role role = Role::kPractitioner;
};

// The auth-context property (set by gRPC's TLS handshake) that carries the
// verified client certificate's common name.
inline constexpr char kCertificateCommonName[] = "x509_common_name";

// The status a call gets for `outcome`: OK, Unauthenticated and
// PermissionDenied as they are; a store error is logged and becomes
// Unavailable ("cannot check credentials right now").
absl::Status AsCallStatus(const AuthOutcome& outcome);

// Decides calls against the principals in `state`.
class Authenticator {
 public:
  // REQUIRES: state outlives this; it is read on every call (revocations
  // take effect at once).
  explicit Authenticator(const storage::Reader* state) : state_(*state) {}

  // Admits a call to `credentials.method`: who is calling, and whether
  // their role may call it. Health needs no credentials (OK, no
  // principal).
  AuthOutcome Check(const Credentials& credentials) const;

  // Who is calling, whatever the method: OK with principal and role, or
  // Unauthenticated (no, unknown, revoked or disagreeing credentials,
  // disabled principal) or PermissionDenied (a principal without a role),
  // or the store's error.
  AuthOutcome Identify(const Credentials& credentials) const;

 private:
  const storage::Reader& state_;
};

// ---- counting and logging
// ---------------------------------------------------------

// Refused calls since start: counts by code and reason, the most recent
// ones, and a log line for each (at most kLogLinesPerMinute a minute; the
// rest are counted and summed up in the next line). Thread-safe.
class AuthLog {
 public:
  static constexpr int kLogLinesPerMinute = 60;
  static constexpr size_t kRecent = 50;

  explicit AuthLog(const Clock* clock);

  void Refused(std::string_view method, const AuthOutcome& outcome);
  // A person signed in to the web application with a valid token, or
  // signed out (`who` as in AuthOutcome). Counted and logged like refusals.
  void WebSignIn(std::string_view who);
  void WebSignOut(std::string_view who);
  v1::AuthStats Stats() const;

 private:
  // Counts one web sign-in or sign-out in *counter and logs it.
  void WebSessionEvent(int64_t* counter, std::string_view what,
                       std::string_view who);

  const Clock& clock_;
  const absl::Time since_;
  mutable absl::Mutex mu_;
  int64_t unauthenticated_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t permission_denied_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t web_sign_ins_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t web_sign_outs_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int64_t> by_reason_ ABSL_GUARDED_BY(mu_);
  std::deque<v1::AuthRefusal> recent_ ABSL_GUARDED_BY(mu_);  // newest first
  LogThrottle log_throttle_;
};

// ---- the gRPC hook
// ------------------------------------------------------------------

class AuthProcessor final : public grpc::AuthMetadataProcessor {
 public:
  // REQUIRES: both outlive the server.
  AuthProcessor(const Authenticator* authenticator, AuthLog* log)
      : authenticator_(*authenticator), log_(*log) {}

  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  const Authenticator& authenticator_;
  AuthLog& log_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_AUTH_H_
