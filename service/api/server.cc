#include "service/api/server.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "service/api/admin_service.h"
#include "service/api/audit_service.h"
#include "service/api/catalog_service.h"
#include "service/api/session_service.h"

namespace smptrace::api {

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options, const Clock* clock) {
  if (!options.insecure_dev) {
    return absl::FailedPreconditionError(
        "authentication is not configured: start with --insecure_dev to serve "
        "without it (development only)");
  }
  std::unique_ptr<Server> server(new Server);
  server->options_ = options;
  SMPTRACE_ASSIGN_OR_RETURN(server->store_,
                            storage::Store::Open(options.data_dir, {}));
  // The checkpoint-signing key, created on first start.
  SMPTRACE_ASSIGN_OR_RETURN(
      server->checkpoint_key_,
      storage::CheckpointKey::LoadOrCreate(options.data_dir));
  ledger::LedgerOptions ledger_options = options.ledger;
  ledger_options.zone = options.clinic.zone;
  SMPTRACE_ASSIGN_OR_RETURN(
      server->ledger_,
      ledger::Ledger::Open(server->store_.get(), clock, ledger_options));

  server->services_.push_back(std::make_unique<CatalogService>(
      server->ledger_.get(), server->store_.get()));
  server->services_.push_back(std::make_unique<InventoryService>(
      server->ledger_.get(), server->store_.get(), clock, options.clinic));
  server->services_.push_back(std::make_unique<SessionService>(
      server->ledger_.get(), server->store_.get(), clock, options.clinic));
  server->services_.push_back(std::make_unique<DisposalService>(
      server->ledger_.get(), server->store_.get(), clock, options.clinic));
  server->services_.push_back(std::make_unique<AuditService>(
      server->store_.get(), server->ledger_.get(),
      server->checkpoint_key_.get(), clock, options.clinic.zone));
  server->services_.push_back(
      std::make_unique<AdminService>(server->store_.get()));

  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection)
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Without this, a second smptraced on the same port would share it
  // (SO_REUSEPORT) and clients would be spread over two different stores.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  if (!options.listen.empty()) {
    builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                             &server->port_);
  }
  for (auto& service : server->services_)
    builder.RegisterService(service.get());
  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr ||
      (!options.listen.empty() && server->port_ == 0)) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen,
                     " (address in use or not valid?)"));
  }
  server->grpc_server_->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

Server::~Server() { Shutdown(); }

std::shared_ptr<grpc::Channel> Server::InProcessChannel() {
  return grpc_server_->InProcessChannel(grpc::ChannelArguments());
}

void Server::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (grpc_server_ != nullptr) {
    grpc_server_->GetHealthCheckService()->Shutdown();
    grpc_server_->Shutdown(
        absl::ToChronoTime(absl::Now() + options_.shutdown_grace));
  }
  if (ledger_ != nullptr) {
    ledger_->Stop();
    final_head_ = ledger_->head();
  }
  ledger_.reset();
  store_.reset();
}

void Server::Wait() {
  if (grpc_server_ != nullptr) grpc_server_->Wait();
}

}  // namespace smptrace::api
