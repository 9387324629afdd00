#include "service/api/auth.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/principals/decide.h"
#include "spdlog/spdlog.h"
#include "storage/journal.h"

namespace smptrace::api {
namespace {

constexpr std::string_view kBearer = "bearer ";

std::optional<Role> RoleOf(v1::Role role) {
  switch (role) {
    case v1::ROLE_PRACTITIONER:
      return Role::kPractitioner;
    case v1::ROLE_MANAGER:
      return Role::kManager;
    case v1::ROLE_AUDITOR:
      return Role::kAuditor;
    case v1::ROLE_ADMIN:
      return Role::kAdmin;
    case v1::ROLE_UNSPECIFIED:
    case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  // Unspecified, or a number no role has (a record from a newer version).
  return std::nullopt;
}

AuthOutcome Unauthenticated(std::string reason, std::string who,
                            std::string message) {
  AuthOutcome out;
  out.status = absl::UnauthenticatedError(message);
  out.reason = std::move(reason);
  out.who = std::move(who);
  return out;
}

AuthOutcome StoreError(const absl::Status& status) {
  AuthOutcome out;
  out.status = status;
  out.reason = "store error";
  return out;
}

// The short name of a method for messages: "InventoryService/Receive".
std::string_view ShortMethod(std::string_view method) {
  const size_t dot = method.rfind('.');
  return dot == std::string_view::npos ? method : method.substr(dot + 1);
}

}  // namespace

TokenSecret NewTokenSecret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Without randomness there is no safe token; nothing sensible remains.
    spdlog::critical("RAND_bytes failed: cannot make a token");
    std::abort();
  }
  TokenSecret t;
  t.secret = absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  t.sha256 = storage::Sha256(t.secret);
  return t;
}

std::string TokenText(std::string_view token_id, std::string_view secret) {
  return absl::StrCat(ToAbsl(token_id), ".", ToAbsl(secret));
}

AuthOutcome Authenticator::Check(const Credentials& c) const {
  if (IsUnauthenticated(c.method)) return AuthOutcome{};
  AuthOutcome out = Identify(c);
  if (!out.status.ok() || MayCall(out.role, c.method)) return out;
  out.status = absl::PermissionDeniedError(
      absl::StrCat("'", *out.principal, "' is ", ToAbsl(RoleName(out.role)),
                   " and may not call ", ToAbsl(ShortMethod(c.method))));
  out.reason = "role may not call";
  out.principal.reset();
  return out;
}

AuthOutcome Authenticator::Identify(const Credentials& c) const {
  std::optional<std::string> principal;
  std::string who;
  if (c.authorization.has_value()) {
    std::string_view value = *c.authorization;
    if (value.size() <= kBearer.size() ||
        !absl::EqualsIgnoreCase(ToAbsl(value.substr(0, kBearer.size())),
                                ToAbsl(kBearer))) {
      return Unauthenticated("not a bearer token", "",
                             "the authorization header is not 'Bearer TOKEN'");
    }
    const std::string_view token = value.substr(kBearer.size());
    const size_t dot = token.find('.');
    auto number =
        domain::ParseId(domain::IdKind::kToken, token.substr(0, dot), "token");
    if (dot == std::string_view::npos || !number.ok()) {
      return Unauthenticated("token not recognised", "",
                             "token not recognised");
    }
    who = std::string(token.substr(0, dot));
    auto stored = ledger::ReadStoredToken(state_, *number);
    if (!stored.ok()) return StoreError(stored.status());
    const std::string hash = storage::Sha256(token.substr(dot + 1));
    if (!stored->has_value() ||
        (*stored)->secret_sha256().size() != hash.size() ||
        CRYPTO_memcmp((*stored)->secret_sha256().data(), hash.data(),
                      hash.size()) != 0) {
      return Unauthenticated("token not recognised", who,
                             "token not recognised");
    }
    const v1::TokenInfo& info = (*stored)->info();
    who = absl::StrCat(info.principal(), " (", who, ")");
    if (info.revoked()) {
      return Unauthenticated(
          "token revoked", who,
          absl::StrCat("token ", info.token_id(), " was revoked (",
                       info.revoke_reason(), "); ask an admin for a new one"));
    }
    principal = info.principal();
  }
  if (c.certificate_cn.has_value()) {
    auto mapped = ledger::PrincipalOfCertificate(state_, *c.certificate_cn);
    if (!mapped.ok()) return StoreError(mapped.status());
    const std::string cn(*c.certificate_cn);
    if (!principal.has_value()) {
      if (!mapped->has_value()) {
        return Unauthenticated("certificate not mapped", "CN=" + cn,
                               absl::StrCat("client certificate CN=", cn,
                                            " is not mapped to a principal"));
      }
      principal = **mapped;
      who = absl::StrCat(*principal, " (CN=", cn, ")");
    } else if (mapped->has_value() && **mapped != *principal) {
      return Unauthenticated("token and certificate disagree", who,
                             absl::StrCat("the token is ", *principal,
                                          "'s but the client certificate (CN=",
                                          cn, ") is ", **mapped, "'s"));
    }
  }
  if (!principal.has_value()) {
    return Unauthenticated(
        "no credentials", "",
        "no credentials: call with a bearer token (smptrace --token_file) "
        "or a client certificate");
  }

  auto p = ledger::ReadPrincipal(state_, *principal);
  if (!p.ok()) return StoreError(p.status());
  if (!p->has_value()) {
    return Unauthenticated(
        "principal unknown", who,
        absl::StrCat("principal '", *principal, "' does not exist"));
  }
  if ((*p)->disabled()) {
    return Unauthenticated(
        "principal disabled", who,
        absl::StrCat("principal '", *principal, "' is disabled"));
  }
  std::optional<Role> role = RoleOf((*p)->role());
  if (!role.has_value()) {
    AuthOutcome out;
    out.status = absl::PermissionDeniedError(
        absl::StrCat("'", *principal, "' has no role"));
    out.reason = "principal without a role";
    out.who = who;
    return out;
  }
  AuthOutcome out;
  out.principal = std::move(principal);
  out.role = *role;
  out.who = std::move(who);
  return out;
}

absl::Status AsCallStatus(const AuthOutcome& outcome) {
  const absl::StatusCode code = outcome.status.code();
  if (code == absl::StatusCode::kOk ||
      code == absl::StatusCode::kUnauthenticated ||
      code == absl::StatusCode::kPermissionDenied) {
    return outcome.status;
  }
  spdlog::error("auth: cannot check credentials: {}",
                outcome.status.ToString());
  return absl::UnavailableError("cannot check credentials right now");
}

AuthLog::AuthLog(const Clock* clock)
    : clock_(*clock),
      since_(clock->Now()),
      log_throttle_(clock, kLogLinesPerMinute) {}

void AuthLog::Refused(std::string_view method, const AuthOutcome& outcome) {
  const bool denied =
      outcome.status.code() == absl::StatusCode::kPermissionDenied;
  const absl::Time now = clock_.Now();
  v1::AuthRefusal r;
  *r.mutable_time() = ledger::ToProto(now);
  r.set_code(denied ? "PERMISSION_DENIED" : "UNAUTHENTICATED");
  r.set_reason(outcome.reason);
  r.set_method(std::string(method));
  r.set_who(outcome.who);

  int64_t total = 0;
  {
    absl::MutexLock lock(&mu_);
    (denied ? permission_denied_ : unauthenticated_) += 1;
    total = permission_denied_ + unauthenticated_;
    by_reason_[outcome.reason] += 1;
    recent_.push_front(r);
    if (recent_.size() > kRecent) recent_.pop_back();
  }
  const std::optional<int64_t> skipped = log_throttle_.Admit();
  if (!skipped.has_value()) return;
  spdlog::warn("auth: {} {} {}: {} ({} refused since start{})", r.code(),
               method, outcome.who.empty() ? "(anonymous)" : outcome.who,
               std::string(outcome.status.message()), total,
               LogThrottle::Suffix(*skipped));
}

void AuthLog::WebSignIn(std::string_view who) {
  WebSessionEvent(&web_sign_ins_, "sign-in", who);
}

void AuthLog::WebSignOut(std::string_view who) {
  WebSessionEvent(&web_sign_outs_, "sign-out", who);
}

void AuthLog::WebSessionEvent(int64_t* counter, std::string_view what,
                              std::string_view who) {
  int64_t n = 0;
  {
    absl::MutexLock lock(&mu_);
    n = ++*counter;
  }
  const std::optional<int64_t> skipped = log_throttle_.Admit();
  if (!skipped.has_value()) return;
  spdlog::info("auth: web {} {} ({} since start{})", what, who, n,
               LogThrottle::Suffix(*skipped));
}

v1::AuthStats AuthLog::Stats() const {
  v1::AuthStats s;
  *s.mutable_since() = ledger::ToProto(since_);
  absl::MutexLock lock(&mu_);
  s.set_unauthenticated(unauthenticated_);
  s.set_permission_denied(permission_denied_);
  s.set_web_sign_ins(web_sign_ins_);
  s.set_web_sign_outs(web_sign_outs_);
  for (const auto& [reason, n] : by_reason_)
    (*s.mutable_by_reason())[reason] = n;
  for (const auto& r : recent_) *s.add_recent() = r;
  return s;
}

grpc::Status AuthProcessor::Process(const InputMetadata& auth_metadata,
                                    grpc::AuthContext* context, OutputMetadata*,
                                    OutputMetadata*) {
  // Reads only: `context` belongs to the connection and is shared by every
  // call on it, concurrently. The authorization header stays in the call's
  // metadata, where Callers::Of reads it again for the handler.
  Credentials c;
  std::string method, authorization, cn;
  for (const auto& [key, value] : auth_metadata) {
    const std::string_view k(key.data(), key.size());
    if (k == ":path") {
      method.assign(value.data(), value.size());
    } else if (k == "authorization") {
      authorization.assign(value.data(), value.size());
      c.authorization = authorization;
    }
  }
  c.method = method;
  auto names = context->FindPropertyValues(kCertificateCommonName);
  if (!names.empty()) {
    cn.assign(names.front().data(), names.front().size());
    c.certificate_cn = cn;
  }
  const AuthOutcome outcome = authenticator_.Check(c);
  const absl::Status status = AsCallStatus(outcome);
  if (status.ok()) return grpc::Status::OK;
  if (status.code() != absl::StatusCode::kUnavailable) {
    log_.Refused(method, outcome);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace smptrace::api
