#include "service/api/admin_service.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/api/command_call.h"
#include "service/api/status.h"
#include "service/api/validation.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/principals/decide.h"
#include "service/proof/backup_report.h"
#include "service/proof/rebuild_report.h"
#include "spdlog/spdlog.h"

namespace smptrace::api {

grpc::Status AdminService::RebuildCheck(grpc::ServerContext*,
                                        const v1::RebuildCheckRequest* request,
                                        v1::RebuildCheckResponse* response) {
  if (request->max_differences() < 0 || request->max_differences() > 1000) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat("max_differences: must be 0 (default 20) to 1000, got ",
                     request->max_differences())));
  }
  int max = request->max_differences() == 0 ? 20 : request->max_differences();
  auto report = ledger::RebuildCheck(
      *reads_.Snapshot(), proof::RebuildScratchDir(store_.dir()), max);
  if (!report.ok()) return ToGrpcStatus(report.status());
  *response = proof::ToProto(*report);
  return grpc::Status::OK;
}

absl::Status CheckBackupDir(std::string_view field,
                            const std::string& backup_dir,
                            const std::string& data_dir) {
  namespace fs = std::filesystem;
  SMPTRACE_RETURN_IF_ERROR(ValidateText(ToAbsl(field), backup_dir, 1, 4096));
  if (!fs::path(backup_dir).is_absolute()) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(field),
        ": must be an absolute path on the server's machine, got '", backup_dir,
        "'"));
  }
  std::error_code ec;
  const fs::path backups = fs::weakly_canonical(backup_dir, ec);
  const fs::path data = fs::weakly_canonical(fs::absolute(data_dir), ec);
  auto inside = [](const fs::path& a, const fs::path& b) {
    const fs::path rel = a.lexically_relative(b);
    return !rel.empty() && *rel.begin() != "..";
  };
  if (inside(backups, data) || inside(data, backups)) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(field), ": ", backup_dir, " overlaps the data directory ",
        data.string(), ": keep backups outside it (ideally on another disk)"));
  }
  return absl::OkStatus();
}

grpc::Status AdminService::CreateBackup(grpc::ServerContext*,
                                        const v1::CreateBackupRequest* request,
                                        v1::CreateBackupResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_RETURN_IF_ERROR(ValidateRequestId(request->request_id()));
    SMPTRACE_RETURN_IF_ERROR(
        CheckBackupDir("backup_dir", request->backup_dir(), store_.dir()));
    SMPTRACE_ASSIGN_OR_RETURN(
        storage::BackupOutcome out,
        storage::CreateBackup(store_, request->backup_dir(),
                              request->request_id(), clock_.Now()));
    if (!out.reused) {
      spdlog::info(
          "backup {} into {} · journal head seq {} · {} bytes new of {} · "
          "{:.3f}s",
          out.backup.id, request->backup_dir(), out.backup.head.seq,
          out.backup.new_bytes, out.backup.size_bytes,
          absl::ToDoubleSeconds(out.took));
    }
    *response->mutable_backup() = proof::ToProto(out.backup);
    response->set_backup_dir(request->backup_dir());
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

absl::StatusOr<std::string> AdminService::ShownToken(
    const v1::TokenInfo& info, const TokenSecret& secret) const {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n,
      domain::ParseId(domain::IdKind::kToken, info.token_id(), "token"));
  SMPTRACE_ASSIGN_OR_RETURN(auto stored,
                            ledger::ReadStoredToken(reads_.Latest(), n));
  if (!stored.has_value() || stored->secret_sha256() != secret.sha256) {
    return absl::FailedPreconditionError(absl::StrCat(
        "token ", info.token_id(), " of ", info.principal(),
        " was issued by the first attempt of this request; its secret was "
        "shown only in that answer and the server has restarted since: "
        "revoke ",
        info.token_id(), " and issue a new token"));
  }
  return TokenText(info.token_id(), secret.secret);
}

grpc::Status AdminService::CreatePrincipal(
    grpc::ServerContext* context, const v1::CreatePrincipalRequest* request,
    v1::CreatePrincipalResponse* response) {
  auto status = [&]() -> absl::Status {
    const TokenSecret secret = issued_tokens_.SecretFor(request->request_id());
    v1::Command c;
    c.set_request_id(request->request_id());
    *c.mutable_create_principal() = *request;
    if (!request->no_token()) c.set_token_secret_sha256(secret.sha256);
    SMPTRACE_ASSIGN_OR_RETURN(
        v1::CommandResult r,
        commands_.Submit(*context, ValidateCreatePrincipal(*request),
                         std::move(c)));
    *response->mutable_principal() = r.principal();
    if (!request->no_token() && r.principal().tokens_size() > 0) {
      SMPTRACE_ASSIGN_OR_RETURN(*response->mutable_token(),
                                ShownToken(r.principal().tokens(0), secret));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AdminService::IssueToken(grpc::ServerContext* context,
                                      const v1::IssueTokenRequest* request,
                                      v1::IssueTokenResponse* response) {
  auto status = [&]() -> absl::Status {
    const TokenSecret secret = issued_tokens_.SecretFor(request->request_id());
    v1::Command c;
    c.set_request_id(request->request_id());
    *c.mutable_issue_token() = *request;
    c.set_token_secret_sha256(secret.sha256);
    SMPTRACE_ASSIGN_OR_RETURN(
        v1::CommandResult r,
        commands_.Submit(*context, ValidateIssueToken(*request), std::move(c)));
    // The new token first, then the ones it replaced.
    const auto& tokens = r.principal().tokens();
    if (tokens.empty()) return absl::OkStatus();
    *response->mutable_info() = tokens[0];
    SMPTRACE_ASSIGN_OR_RETURN(*response->mutable_token(),
                              ShownToken(tokens[0], secret));
    for (int i = 1; i < tokens.size(); ++i) {
      response->add_revoked_token_ids(tokens[i].token_id());
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AdminService::RevokeToken(grpc::ServerContext* context,
                                       const v1::RevokeTokenRequest* request,
                                       v1::TokenInfo* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_revoke_token() = *request;
        return ValidateRevokeToken(*request);
      },
      [&](const v1::CommandResult& r) {
        if (r.principal().tokens_size() > 0)
          *response = r.principal().tokens(0);
      });
}

grpc::Status AdminService::DisablePrincipal(
    grpc::ServerContext* context, const v1::DisablePrincipalRequest* request,
    v1::Principal* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_disable_principal() = *request;
        return ValidateDisablePrincipal(*request);
      },
      [&](const v1::CommandResult& r) { *response = r.principal(); });
}

grpc::Status AdminService::ListPrincipals(
    grpc::ServerContext*, const v1::ListPrincipalsRequest*,
    v1::ListPrincipalsResponse* response) {
  auto principals = ledger::ListPrincipals(*reads_.Snapshot());
  if (!principals.ok()) return ToGrpcStatus(principals.status());
  for (auto& p : *principals) *response->add_principals() = std::move(p);
  return grpc::Status::OK;
}

grpc::Status AdminService::GetAuthStats(grpc::ServerContext*,
                                        const v1::GetAuthStatsRequest*,
                                        v1::AuthStats* response) {
  if (auth_log_ == nullptr) {
    return ToGrpcStatus(absl::FailedPreconditionError(
        "the server runs without authentication (--insecure_dev): there is "
        "nothing to count"));
  }
  *response = auth_log_->Stats();
  return grpc::Status::OK;
}

}  // namespace smptrace::api
