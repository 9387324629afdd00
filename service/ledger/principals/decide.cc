#include "service/ledger/principals/decide.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

absl::StatusOr<v1::Principal> MustPrincipal(const storage::Reader& reader,
                                            std::string_view field,
                                            std::string_view name) {
  SMPTRACE_ASSIGN_OR_RETURN(auto principal, ReadPrincipal(reader, name));
  if (!principal.has_value()) {
    return absl::NotFoundError(absl::StrCat(ToAbsl(field), ": principal '",
                                            ToAbsl(name), "' does not exist"));
  }
  return *std::move(principal);
}

absl::Status MustBeEnabled(const v1::Principal& p) {
  if (!p.disabled()) return absl::OkStatus();
  return Refusal("principal_disabled",
                 absl::StrCat("principal '", p.name(), "' is disabled (",
                              p.disabled_reason(), ")"));
}

// A new token for `principal`, numbered after the last one.
absl::StatusOr<v1::StoredToken> NewToken(const DecisionContext& ctx,
                                         const std::string& principal,
                                         const std::string& note,
                                         const std::string& secret_sha256) {
  if (secret_sha256.size() != 32) {
    return absl::InternalError("a new token needs the SHA-256 of its secret");
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last,
                            LastNumber(ctx.state, keys::StateTag::kToken));
  v1::StoredToken token;
  v1::TokenInfo* info = token.mutable_info();
  info->set_token_id(domain::FormatId(IdKind::kToken, last + 1));
  info->set_principal(principal);
  info->set_note(note);
  *info->mutable_issued_at() = ToProto(ctx.now);
  info->set_issued_by(std::string(ctx.actor));
  token.set_secret_sha256(secret_sha256);
  return token;
}

void Revoke(const DecisionContext& ctx, const std::string& reason,
            v1::StoredToken* token) {
  v1::TokenInfo* info = token->mutable_info();
  info->set_revoked(true);
  *info->mutable_revoked_at() = ToProto(ctx.now);
  info->set_revoked_by(std::string(ctx.actor));
  info->set_revoke_reason(reason);
}

// The decision that records `principal` and `tokens`; the caller gets the
// principal with those tokens.
Decision Record(v1::Principal principal, std::vector<v1::StoredToken> tokens) {
  Decision d;
  v1::Principal* result = d.result.mutable_principal();
  *result = principal;
  for (const auto& t : tokens) *result->add_tokens() = t.info();
  v1::PrincipalRecorded* e = d.event.mutable_principal_recorded();
  *e->mutable_principal() = std::move(principal);
  for (auto& t : tokens) *e->add_tokens() = std::move(t);
  return d;
}

}  // namespace

absl::StatusOr<Decision> DecideCreatePrincipal(
    const DecisionContext& ctx, const v1::CreatePrincipalRequest& r,
    const std::string& secret_sha256) {
  SMPTRACE_ASSIGN_OR_RETURN(auto existing, ReadPrincipal(ctx.state, r.name()));
  if (existing.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "name: principal '", r.name(), "' already exists",
        existing->disabled() ? " (disabled; names are not reused)" : ""));
  }
  if (!r.certificate_cn().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        auto holder, PrincipalOfCertificate(ctx.state, r.certificate_cn()));
    if (holder.has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(
          "certificate_cn: a certificate named '", r.certificate_cn(),
          "' already authenticates as '", *holder, "'"));
    }
  }
  v1::Principal p;
  p.set_name(r.name());
  p.set_role(r.role());
  p.set_display_name(r.display_name());
  p.set_certificate_cn(r.certificate_cn());
  p.set_version(1);
  *p.mutable_created_at() = ToProto(ctx.now);
  p.set_created_by(std::string(ctx.actor));
  *p.mutable_updated_at() = p.created_at();
  p.set_updated_by(p.created_by());
  std::vector<v1::StoredToken> tokens;
  if (!r.no_token()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        auto token, NewToken(ctx, r.name(), r.token_note(), secret_sha256));
    tokens.push_back(std::move(token));
  }
  return Record(std::move(p), std::move(tokens));
}

absl::StatusOr<Decision> DecideIssueToken(const DecisionContext& ctx,
                                          const v1::IssueTokenRequest& r,
                                          const std::string& secret_sha256) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto p, MustPrincipal(ctx.state, "principal", r.principal()));
  SMPTRACE_RETURN_IF_ERROR(MustBeEnabled(p));
  std::vector<v1::StoredToken> tokens;
  SMPTRACE_ASSIGN_OR_RETURN(
      auto token, NewToken(ctx, r.principal(), r.note(), secret_sha256));
  tokens.push_back(std::move(token));
  if (r.revoke_others()) {
    SMPTRACE_ASSIGN_OR_RETURN(auto all, ReadAllTokens(ctx.state));
    for (auto& t : all) {
      if (t.info().principal() != r.principal() || t.info().revoked()) continue;
      Revoke(ctx,
             absl::StrCat("rotated: replaced by ",
                          tokens.front().info().token_id()),
             &t);
      tokens.push_back(std::move(t));
    }
  }
  return Record(std::move(p), std::move(tokens));
}

absl::StatusOr<Decision> DecideRevokeToken(const DecisionContext& ctx,
                                           const v1::RevokeTokenRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(IdKind::kToken, r.token_id(), "token_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto token, ReadStoredToken(ctx.state, n));
  if (!token.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("token_id: token ", r.token_id(), " does not exist"));
  }
  if (token->info().revoked()) {
    return Refusal(
        "token_already_revoked",
        absl::StrCat("token ", token->info().token_id(),
                     " was already revoked by ", token->info().revoked_by(),
                     " (", token->info().revoke_reason(), ")"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(
      auto p, MustPrincipal(ctx.state, "token_id", token->info().principal()));
  Revoke(ctx, r.reason(), &*token);
  std::vector<v1::StoredToken> tokens;
  tokens.push_back(*std::move(token));
  return Record(std::move(p), std::move(tokens));
}

absl::StatusOr<Decision> DecideDisablePrincipal(
    const DecisionContext& ctx, const v1::DisablePrincipalRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(auto p, MustPrincipal(ctx.state, "name", r.name()));
  if (p.disabled()) {
    return Refusal(
        "principal_already_disabled",
        absl::StrCat("principal '", p.name(), "' is already disabled (",
                     p.disabled_reason(), ")"));
  }
  if (p.role() == v1::ROLE_ADMIN) {
    SMPTRACE_ASSIGN_OR_RETURN(auto all, ListPrincipals(ctx.state));
    bool another_admin = false;
    for (const auto& other : all) {
      another_admin |= other.name() != p.name() &&
                       other.role() == v1::ROLE_ADMIN && !other.disabled();
    }
    if (!another_admin) {
      return Refusal("last_admin",
                     absl::StrCat("'", p.name(),
                                  "' is the only enabled admin: create "
                                  "another admin before disabling it"));
    }
  }
  p.set_disabled(true);
  p.set_disabled_reason(r.reason());
  p.set_version(p.version() + 1);
  *p.mutable_updated_at() = ToProto(ctx.now);
  p.set_updated_by(std::string(ctx.actor));
  // Its live tokens are revoked with it, so the record says so token by
  // token.
  std::vector<v1::StoredToken> tokens;
  SMPTRACE_ASSIGN_OR_RETURN(auto all, ReadAllTokens(ctx.state));
  for (auto& t : all) {
    if (t.info().principal() != p.name() || t.info().revoked()) continue;
    Revoke(ctx, absl::StrCat("principal disabled: ", r.reason()), &t);
    tokens.push_back(std::move(t));
  }
  return Record(std::move(p), std::move(tokens));
}

}  // namespace smptrace::ledger
