#include "service/api/server.h"

#include <unistd.h>

#include <algorithm>
#include <climits>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "service/api/admin_service.h"
#include "service/api/audit_service.h"
#include "service/api/calls_in_flight.h"
#include "service/api/catalog_service.h"
#include "service/api/clinic_zone_header.h"
#include "service/api/request_decoding.h"
#include "service/api/session_service.h"
#include "service/api/validation.h"
#include "service/ledger/principals/decide.h"
#include "service/ledger/seal_existing.h"
#include "service/proof/cosigned_checkpoint.h"
#include "spdlog/spdlog.h"

namespace smptrace::api {

const char* const kWriteServiceNames[] = {
    "",
    "smptrace.v1.CatalogService",
    "smptrace.v1.InventoryService",
    "smptrace.v1.SessionService",
    "smptrace.v1.DisposalService",
    "smptrace.v1.AdminService",
};
const int kNumWriteServiceNames =
    sizeof(kWriteServiceNames) / sizeof(kWriteServiceNames[0]);

namespace {

// The certificate verification page on the web listener `listen` (bound to
// `port`): localhost for a wildcard address. What a QR code opens when the
// admin gave no --verify_url.
std::string DefaultVerifyUrl(const std::string& listen, int port, bool tls) {
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.empty() || host == "0.0.0.0" || host == "[::]") host = "localhost";
  return absl::StrCat(tls ? "https://" : "http://", host, ":", port, "/verify");
}

absl::Status CheckSecurityOptions(const ServerOptions& o) {
  const bool tls = !o.tls.cert_file.empty() || !o.tls.key_file.empty();
  if (o.insecure_dev && (tls || !o.tls.client_ca_file.empty())) {
    return absl::FailedPreconditionError(
        "--insecure_dev serves without TLS and without authentication: drop "
        "it, or drop the --tls_* and --client_ca flags");
  }
  if (o.insecure_dev) return absl::OkStatus();
  if (o.tls.cert_file.empty() || o.tls.key_file.empty()) {
    return absl::FailedPreconditionError(
        "TLS is not configured: give --tls_cert and --tls_key (for a "
        "development CA and certificates run deploy/make-dev-certs.sh), or "
        "start with --insecure_dev to serve without TLS and authentication "
        "(development only)");
  }
  if (o.tls.require_client_cert && o.tls.client_ca_file.empty()) {
    return absl::FailedPreconditionError(
        "--require_client_cert needs --client_ca (the CA that signs client "
        "certificates)");
  }
  if (o.web.client_cert_file.empty() != o.web.client_key_file.empty()) {
    return absl::FailedPreconditionError(
        "--web_client_cert and --web_client_key go together: the web "
        "gateway's client certificate and its key");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsCredentials(
    const TlsOptions& tls) {
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  SMPTRACE_ASSIGN_OR_RETURN(pair.private_key,
                            ReadTextFile("--tls_key", tls.key_file));
  SMPTRACE_ASSIGN_OR_RETURN(pair.cert_chain,
                            ReadTextFile("--tls_cert", tls.cert_file));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!tls.client_ca_file.empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(ssl.pem_root_certs,
                              ReadTextFile("--client_ca", tls.client_ca_file));
    ssl.client_certificate_request =
        tls.require_client_cert
            ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
            : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

// The explicit first step of a secured server: an ADMIN principal and its
// token, written to `path` (created with mode 0600, never overwritten).
// Does nothing if the principal exists. Returns what it did.
absl::StatusOr<std::string> Bootstrap(ledger::Ledger& ledger,
                                      const storage::Reader& state,
                                      const std::string& name,
                                      const std::string& path) {
  constexpr char kFlag[] = "--bootstrap_admin_token_file";
  SMPTRACE_ASSIGN_OR_RETURN(auto existing, ledger::ReadPrincipal(state, name));
  if (existing.has_value()) {
    return absl::StrCat("principal '", name, "' exists: nothing bootstrapped (",
                        path, " left as it is)");
  }
  // Refuse before anything is recorded if the file cannot be made.
  if (access(path.c_str(), F_OK) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(kFlag, " ", path,
                     ": the file exists and is never overwritten: remove it "
                     "or name another file"));
  }
  const TokenSecret secret = NewTokenSecret();
  v1::Command command;
  absl::BitGen bits;
  command.set_request_id(
      absl::StrCat("bootstrap-",
                   absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16)));
  command.set_actor("bootstrap");
  command.set_token_secret_sha256(secret.sha256);
  v1::CreatePrincipalRequest* r = command.mutable_create_principal();
  r->set_request_id(command.request_id());
  r->set_name(name);
  r->set_role(v1::ROLE_ADMIN);
  r->set_display_name("first admin (bootstrap)");
  r->set_token_note("bootstrap");
  SMPTRACE_RETURN_IF_ERROR(ValidateCreatePrincipal(*r));
  SMPTRACE_ASSIGN_OR_RETURN(v1::CommandResult result, ledger.Submit(command));
  const std::string token_id = result.principal().tokens(0).token_id();
  absl::Status written =
      WritePrivateFile(kFlag, path, TokenText(token_id, secret.secret) + "\n");
  if (!written.ok()) {
    return absl::InternalError(absl::StrCat(
        written.message(), "; ", token_id,
        " was issued but nobody has it: start with "
        "--bootstrap_admin NAME and another file, then revoke it"));
  }
  return absl::StrCat("bootstrapped ADMIN principal '", name, "' with token ",
                      token_id, "; its token is in ", path, " (mode 0600)");
}

// The host part of "host:port" ("" for ":port").
std::string ListenHost(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  return colon == std::string::npos ? listen : listen.substr(0, colon);
}

int Milliseconds(absl::Duration d) {
  return static_cast<int>(
      std::min<int64_t>(absl::ToInt64Milliseconds(d), INT_MAX));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options, const Clock* clock) {
  SMPTRACE_RETURN_IF_ERROR(CheckSecurityOptions(options));
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::InsecureServerCredentials();
  if (!options.insecure_dev) {
    SMPTRACE_ASSIGN_OR_RETURN(credentials, TlsCredentials(options.tls));
  }
  std::unique_ptr<Server> server(new Server);
  server->options_ = options;
  // The port first: a server that cannot listen (the port is taken) stops
  // before it creates or opens anything in the data directory.
  if (!options.listen.empty()) {
    server->max_connections_ =
        options.max_connections > 0
            ? options.max_connections
            : DefaultMaxConnections(CurrentOpenFileLimit());
    SMPTRACE_ASSIGN_OR_RETURN(
        server->listener_,
        Listener::Bind(options.listen, server->max_connections_, clock));
    server->port_ = server->listener_->port();
    const bool mtls = options.tls.require_client_cert;
    if (!options.web.listen.empty() && mtls &&
        options.web.client_cert_file.empty()) {
      spdlog::warn(
          "web application off: --require_client_cert asks every connection "
          "for a client certificate; give the web gateway its own with "
          "--web_client_cert and --web_client_key (issued by --client_ca, "
          "e.g. deploy/make-dev-certs.sh DIR client web-gateway)");
    } else if (!options.web.listen.empty()) {
      WebOptions web_options = options.web;
      // The browser's connection needs a client certificate too.
      if (mtls) web_options.require_client_ca_file = options.tls.client_ca_file;
      auto web =
          HttpGateway::Bind(web_options, options.tls.cert_file,
                            options.tls.key_file, options.insecure_dev, clock);
      if (web.ok()) {
        server->web_ = *std::move(web);
      } else if (options.web.listen_required ||
                 web.status().code() != absl::StatusCode::kUnavailable) {
        return web.status();
      } else {
        spdlog::warn(
            "web application off: {} (name a free one with "
            "--http_listen)",
            std::string(web.status().message()));
      }
    }
  }
  if (!options.metrics_listen.empty()) {
    auto metrics = MetricsEndpoint::Bind(options.metrics_listen);
    if (metrics.ok()) {
      server->metrics_ = *std::move(metrics);
    } else if (options.metrics_listen_required ||
               metrics.status().code() != absl::StatusCode::kUnavailable) {
      return metrics.status();
    } else {
      spdlog::warn("metrics off: {} (name a free one with --metrics_listen)",
                   std::string(metrics.status().message()));
    }
  }
  // The signing key lives outside the data directory; a directory from
  // before that is refused with the command that moves it.
  server->signing_key_file_ =
      options.signing_key_file.empty()
          ? storage::DefaultSigningKeyPath(options.data_dir)
          : options.signing_key_file;
  SMPTRACE_RETURN_IF_ERROR(storage::CheckNoKeyInDataDir(
      options.data_dir, server->signing_key_file_));
  storage::StoreOptions store_options;
  store_options.min_free_bytes = options.min_free_disk_bytes;
  SMPTRACE_ASSIGN_OR_RETURN(
      server->store_, storage::Store::Open(options.data_dir, store_options));
  // The checkpoint-signing key, created on first start.
  SMPTRACE_ASSIGN_OR_RETURN(
      server->checkpoint_key_,
      storage::CheckpointKey::LoadOrCreate(server->signing_key_file_));
  // The data key, created on first start: it unlocks every client's
  // personal data, so it lives outside the data directory and its backups.
  server->data_key_file_ = options.data_key_file.empty()
                               ? storage::DefaultDataKeyPath(options.data_dir)
                               : options.data_key_file;
  SMPTRACE_ASSIGN_OR_RETURN(
      server->data_key_,
      storage::DataKey::LoadOrCreate(server->data_key_file_, options.data_dir));
  server->personal_data_ =
      std::make_unique<ledger::PersonalData>(server->data_key_.get());
  server->witness_keys_file_ =
      options.witness_keys_file.empty()
          ? proof::DefaultWitnessKeysPath(options.data_dir)
          : options.witness_keys_file;
  SMPTRACE_RETURN_IF_ERROR(
      proof::LoadWitnessKeys(server->witness_keys_file_).status());
  if (options.seal_existing_personal_data) {
    SMPTRACE_ASSIGN_OR_RETURN(ledger::SealReport sealed,
                              ledger::SealExistingPersonalData(
                                  *server->store_, *server->personal_data_,
                                  *server->checkpoint_key_, clock->Now()));
    if (sealed.changed.empty()) {
      spdlog::info(
          "personal data: nothing journaled in clear, nothing to seal");
    } else {
      spdlog::warn(
          "personal data sealed in {} journal entries; the journal was "
          "re-chained from seq {}: head seq {} hash {} is now hash {}; the "
          "signed statement is kept in the store (meta "
          "rechain_statement) and reads:\n{}signature {}",
          sealed.changed.size(), sealed.changed.front(), sealed.new_head.seq,
          storage::ToHex(sealed.old_head.hash),
          storage::ToHex(sealed.new_head.hash), sealed.statement,
          sealed.signature_hex);
    }
  }
  ledger::LedgerOptions ledger_options = options.ledger;
  ledger_options.zone = options.clinic.zone;
  ledger_options.personal_data = server->personal_data_.get();
  ledger_options.observer = &server->commit_metrics_;
  SMPTRACE_ASSIGN_OR_RETURN(
      server->ledger_,
      ledger::Ledger::Open(server->store_.get(), clock, ledger_options));
  // The whole journal is verified before anything is served.
  server->integrity_ = ledger::IntegrityMonitor::Start(
      server->store_.get(), server->ledger_.get(), clock, options.integrity);
  if (!options.bootstrap_admin_token_file.empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        server->bootstrap_outcome_,
        Bootstrap(*server->ledger_, server->store_->live(),
                  options.bootstrap_admin, options.bootstrap_admin_token_file));
  }
  if (!options.insecure_dev) {
    server->authenticator_ =
        std::make_unique<Authenticator>(&server->store_->live());
    server->auth_log_ = std::make_unique<AuthLog>(clock);
    credentials->SetAuthMetadataProcessor(std::make_shared<AuthProcessor>(
        server->authenticator_.get(), server->auth_log_.get()));
  }
  server->callers_ = std::make_unique<Callers>(server->authenticator_.get());
  server->commands_ =
      std::make_unique<Commands>(server->ledger_.get(), server->callers_.get());
  const Commands* commands = server->commands_.get();
  server->call_metrics_ = std::make_unique<CallMetrics>(server->callers_.get());
  server->clinic_metrics_ = std::make_unique<query::ClinicMetrics>(
      server->store_.get(), clock, options.clinic.zone);

  // The services read through one Reads and write through the ledger.
  server->reads_ = std::make_unique<query::Reads>(server->store_.get());
  server->services_.push_back(
      std::make_unique<CatalogService>(commands, server->reads_.get()));
  server->services_.push_back(std::make_unique<InventoryService>(
      commands, server->reads_.get(), clock, options.clinic));
  server->services_.push_back(std::make_unique<SessionService>(
      commands, server->reads_.get(), clock, options.clinic));
  server->services_.push_back(std::make_unique<DisposalService>(
      commands, server->reads_.get(), clock, options.clinic));
  ClinicOptions audit_clinic = options.clinic;
  if (audit_clinic.verify_url.empty()) {
    audit_clinic.verify_url = DefaultVerifyUrl(
        options.web.listen, server->web_ ? server->web_->port() : 0,
        !options.tls.cert_file.empty());
  }
  server->services_.push_back(std::make_unique<AuditService>(
      server->reads_.get(), commands, server->checkpoint_key_.get(), clock,
      audit_clinic, server->witness_keys_file_));
  server->services_.push_back(
      std::make_unique<AdminService>(server->store_.get(), server->reads_.get(),
                                     commands, server->auth_log_.get(), clock));

  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection)
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Protection under load: bounded requests and threads, and keepalive
  // enforcement (a client may ping at most every 10 s; two strikes close the
  // connection). The server pings idle connections to drop dead clients.
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  grpc::ResourceQuota quota("smptraced");
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  // A thread that finished its call goes back to waiting for the next one
  // while fewer than max_pollers wait. gRPC's default of 2 made every call
  // beyond two at once start a thread and end it after answering (1,000+
  // threads/s under write load, issue 20). Idle pollers above MIN_POLLERS
  // still end after CQ_TIMEOUT_MSEC (10 s) without work.
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, options.max_threads);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 128);
  // Connections that never finish the TLS/HTTP2 handshake, or that carry no
  // call for long, are closed: idle sockets must not pile up to the cap.
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                             Milliseconds(options.handshake_timeout));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             Milliseconds(options.max_connection_idle));
  if (server->listener_ != nullptr) {
    server->acceptor_ = builder.experimental().AddExternalConnectionAcceptor(
        grpc::ServerBuilder::experimental_type::ExternalConnectionType::FROM_FD,
        credentials);
  }
  // Undecodable requests: INVALID_ARGUMENT with a reason, not INTERNAL.
  // Calls in flight are counted for a prompt graceful stop. Every answer
  // names the clinic's time zone.
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(NewRequestDecodingInterceptorFactory());
  interceptors.push_back(server->calls_.NewInterceptorFactory());
  // Counted, timed and written to the access log.
  interceptors.push_back(server->call_metrics_->NewInterceptorFactory());
  interceptors.push_back(NewClinicZoneHeaderFactory(options.clinic.zone));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  for (auto& service : server->services_)
    builder.RegisterService(service.get());
  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr) {
    return absl::UnavailableError("the gRPC server did not start");
  }
  grpc::HealthCheckServiceInterface* health =
      server->grpc_server_->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus(kReadServiceName, true);
  // Health follows the write gate from now on (called once right away).
  server->store_->write_gate().SetListener(
      [health](const storage::WriteGateState& state) {
        for (int i = 0; i < kNumWriteServiceNames; ++i) {
          health->SetServingStatus(kWriteServiceNames[i], state.open());
        }
      });
  if (!options.backups.dir.empty()) {
    health->SetServingStatus(kBackupHealthName, true);
    SMPTRACE_ASSIGN_OR_RETURN(
        server->backups_,
        BackupSchedule::Start(server->store_.get(), clock, options.backups,
                              [health](const absl::Status& result) {
                                health->SetServingStatus(kBackupHealthName,
                                                         result.ok());
                              }));
  }
  if (options.ledger.retention.configured) {
    server->retention_ = std::make_unique<RetentionSchedule>(
        server->ledger_.get(), server->reads_.get(), clock,
        options.clinic.zone);
  }
  if (server->listener_ != nullptr) {
    server->listener_->Start(server->acceptor_.get());
  }
  if (server->web_ != nullptr) {
    GatewayTarget target;
    const std::string host = ListenHost(options.listen);
    target.grpc_address = absl::StrCat(
        host.empty() || host == "0.0.0.0" || host == "[::]" || host == "::"
            ? "127.0.0.1"
            : host,
        ":", server->port_);
    target.cert_file = options.tls.cert_file;
    target.key_file = options.tls.key_file;
    if (options.tls.require_client_cert) {
      target.client_cert_file = options.web.client_cert_file;
      target.client_key_file = options.web.client_key_file;
    }
    target.insecure_dev = options.insecure_dev;
    target.max_body_bytes = options.max_receive_message_bytes;
    target.clinic_name = options.clinic.name;
    target.clinic_time_zone = options.clinic.zone.name();
    target.state = &server->store_->live();
    target.auth_log = server->auth_log_.get();
    server->web_->Start(target);
  }
  if (server->metrics_ != nullptr) {
    Server* s = server.get();
    server->metrics_->Start([s] { return s->RenderMetrics(); });
  }
  return server;
}

Server::~Server() { Shutdown(); }

std::string Server::RenderMetrics() {
  MetricsSources sources;
  sources.calls = call_metrics_.get();
  sources.commits = &commit_metrics_;
  sources.ledger = ledger_.get();
  sources.integrity = integrity_.get();
  sources.store = store_.get();
  sources.clinic = clinic_metrics_.get();
  sources.auth_log = auth_log_.get();
  return RenderServerMetrics(sources);
}

std::shared_ptr<grpc::Channel> Server::InProcessChannel() {
  return grpc_server_->InProcessChannel(grpc::ChannelArguments());
}

void Server::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  // The web listener first (its requests in progress finish: they are gRPC
  // calls to this server), then no new connections.
  if (metrics_ != nullptr) metrics_->Stop();
  if (web_ != nullptr) web_->Stop();
  if (listener_ != nullptr) listener_->Stop();
  if (store_ != nullptr) store_->write_gate().SetListener(nullptr);
  if (grpc_server_ != nullptr) {
    const absl::Time deadline = absl::Now() + options_.shutdown_grace;
    grpc_server_->GetHealthCheckService()->Shutdown();
    // gRPC's graceful shutdown waits for every connection to close, idle
    // ones and ones still handshaking included, until the grace period
    // ends. So: refuse new calls (GOAWAY), let the calls in flight finish,
    // then close what is left at once; the C++ Shutdown() below then only
    // tidies up. (The core notifies every shutdown_and_notify; grpc++'s own
    // Shutdown() uses an unregistered queue the same way.)
    grpc_server* core = grpc_server_->c_server();
    grpc_completion_queue* queue =
        grpc_completion_queue_create_for_next(nullptr);
    int tag = 0;
    grpc_server_shutdown_and_notify(core, queue, &tag);
    calls_.AwaitNone(deadline);
    grpc_server_cancel_all_calls(core);
    grpc_completion_queue_shutdown(queue);
    while (grpc_completion_queue_next(queue, gpr_inf_future(GPR_CLOCK_REALTIME),
                                      nullptr)
               .type != GRPC_QUEUE_SHUTDOWN) {
    }
    grpc_completion_queue_destroy(queue);
    grpc_server_->Shutdown(absl::ToChronoTime(deadline));
  }
  if (backups_ != nullptr) backups_->Stop();
  backups_.reset();
  retention_.reset();
  if (integrity_ != nullptr) integrity_->Stop();
  if (ledger_ != nullptr) {
    ledger_->Stop();
    final_head_ = ledger_->head();
  }
  integrity_.reset();
  ledger_.reset();
  store_.reset();
}

void Server::Wait() {
  if (grpc_server_ != nullptr) grpc_server_->Wait();
}

void PrepareServerProcess() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace smptrace::api
