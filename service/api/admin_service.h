// AdminService: operations on the store itself.
#ifndef SMPTRACE_SERVICE_API_ADMIN_SERVICE_H_
#define SMPTRACE_SERVICE_API_ADMIN_SERVICE_H_

#include "service/api/auth.h"
#include "service/api/command_call.h"
#include "service/api/issued_tokens.h"
#include "service/ledger/ledger.h"
#include "service/ledger/rebuild.h"
#include "service/query/reads.h"
#include "smptrace/v1/admin.grpc.pb.h"
#include "storage/backup.h"
#include "storage/store.h"

namespace smptrace::api {

// OK if `backup_dir` can take backups of the store in `data_dir`: an
// absolute path, neither inside the data directory nor holding it.
// InvalidArgument naming `field` otherwise.
absl::Status CheckBackupDir(std::string_view field,
                            const std::string& backup_dir,
                            const std::string& data_dir);

class AdminService final : public v1::AdminService::Service {
 public:
  // REQUIRES: all outlive the service. `auth_log` is null when the server
  // runs without authentication.
  // `store` is for backups only (and the scratch directory of a rebuild
  // check): the service reads through `reads`.
  AdminService(const storage::Store* store, const query::Reads* reads,
               const Commands* commands, const AuthLog* auth_log,
               const Clock* clock)
      : store_(*store),
        reads_(*reads),
        commands_(*commands),
        auth_log_(auth_log),
        clock_(*clock),
        issued_tokens_(clock) {}

  grpc::Status CreatePrincipal(grpc::ServerContext* context,
                               const v1::CreatePrincipalRequest* request,
                               v1::CreatePrincipalResponse* response) override;
  grpc::Status IssueToken(grpc::ServerContext* context,
                          const v1::IssueTokenRequest* request,
                          v1::IssueTokenResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* context,
                           const v1::RevokeTokenRequest* request,
                           v1::TokenInfo* response) override;
  grpc::Status DisablePrincipal(grpc::ServerContext* context,
                                const v1::DisablePrincipalRequest* request,
                                v1::Principal* response) override;
  grpc::Status ListPrincipals(grpc::ServerContext* context,
                              const v1::ListPrincipalsRequest* request,
                              v1::ListPrincipalsResponse* response) override;
  grpc::Status GetAuthStats(grpc::ServerContext* context,
                            const v1::GetAuthStatsRequest* request,
                            v1::AuthStats* response) override;

  grpc::Status RebuildCheck(grpc::ServerContext* context,
                            const v1::RebuildCheckRequest* request,
                            v1::RebuildCheckResponse* response) override;
  grpc::Status CreateBackup(grpc::ServerContext* context,
                            const v1::CreateBackupRequest* request,
                            v1::CreateBackupResponse* response) override;

 private:
  // The token text for `info`, a token just issued with `secret`. A retry
  // whose first attempt was answered by an earlier run of the server gets
  // FailedPrecondition naming the token to revoke: its secret was shown
  // only in that first answer and is kept nowhere.
  absl::StatusOr<std::string> ShownToken(const v1::TokenInfo& info,
                                         const TokenSecret& secret) const;

  const storage::Store& store_;
  const query::Reads& reads_;
  const Commands& commands_;
  const AuthLog* auth_log_;
  const Clock& clock_;
  IssuedTokens issued_tokens_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_ADMIN_SERVICE_H_
