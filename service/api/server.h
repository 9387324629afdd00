// The smptrace server: opens the store, starts the ledger, serves every gRPC
// service plus health and reflection, and shuts down in order. Used by
// smptraced and, with no listening address, by in-process service tests.
#ifndef SMPTRACE_SERVICE_API_SERVER_H_
#define SMPTRACE_SERVICE_API_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "grpcpp/channel.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "service/api/auth.h"
#include "service/api/backup_schedule.h"
#include "service/api/caller.h"
#include "service/api/calls_in_flight.h"
#include "service/api/command_call.h"
#include "service/api/http_gateway.h"
#include "service/api/inventory_service.h"
#include "service/api/listener.h"
#include "service/api/metrics_endpoint.h"
#include "service/api/retention_job.h"
#include "service/api/server_metrics.h"
#include "service/ledger/clients/personal_data.h"
#include "service/ledger/integrity_monitor.h"
#include "service/ledger/ledger.h"
#include "service/query/reads.h"
#include "storage/client_keys.h"
#include "storage/signing.h"
#include "storage/store.h"

namespace smptrace::api {

// TLS from PEM files (deploy/make-dev-certs.sh makes a development set).
struct TlsOptions {
  std::string cert_file;
  std::string key_file;
  // Accept client certificates signed by this CA (mTLS); a verified
  // certificate authenticates as the principal whose certificate_cn is its
  // common name. Without it, clients authenticate by token only.
  std::string client_ca_file;
  // Refuse connections without a client certificate (needs client_ca_file).
  bool require_client_cert = false;
};

struct ServerOptions {
  // host:port to listen on; port 0 picks a free one. Empty: in-process only.
  std::string listen = "127.0.0.1:8470";
  std::string data_dir = "smptrace-data";
  // The checkpoint-signing key (Ed25519, PEM, mode 0600; created on first
  // start). Outside the data directory so that backups and copies of the
  // data never carry it. Empty: storage::DefaultSigningKeyPath(data_dir).
  std::string signing_key_file;
  // The data key that wraps every client's personal-data key (created on
  // first start, mode 0600). Outside the data directory like the signing
  // key. Empty: storage::DefaultDataKeyPath(data_dir).
  std::string data_key_file;
  // The witnesses whose cosignatures of the log's checkpoints the server
  // keeps and serves: a file of witness verifier keys, one a line (read at
  // start, to refuse a malformed one, and again at each cosignature handed
  // in, so adding a witness needs no restart). Empty:
  // proof::DefaultWitnessKeysPath(data_dir); no file, no witnesses.
  std::string witness_keys_file;
  // Before serving, seal the contact details and screening answers an
  // earlier build journaled in clear: a verified re-chain with a signed
  // statement (service/ledger/seal_existing.h). Take a backup first.
  bool seal_existing_personal_data = false;
  // Scheduled online backups (off while backups.dir is empty).
  BackupScheduleOptions backups;
  // Serve without authentication and without TLS. Must be asked for
  // explicitly; otherwise TLS and authentication are required.
  bool insecure_dev = false;
  TlsOptions tls;
  // If set and no principal named bootstrap_admin exists: create it as ADMIN
  // and write its token to this file (created, mode 0600, never
  // overwritten).
  std::string bootstrap_admin_token_file;
  std::string bootstrap_admin = "admin";
  // Protection under load: the largest request accepted, and how many calls
  // may run at once (more get RESOURCE_EXHAUSTED).
  int max_receive_message_bytes = 4 << 20;
  int max_threads = 256;
  // Connections open at once (TLS and HTTP/2 connections, whether they
  // carry calls or not); one more is closed as soon as it is accepted.
  // 0: DefaultMaxConnections() of the open-file limit at Start().
  int max_connections = 0;
  // A connection that has not finished its TLS and HTTP/2 handshake (sent
  // its HTTP/2 settings) this long after it was accepted is closed.
  absl::Duration handshake_timeout = absl::Seconds(10);
  // A connection that carries no call for this long is closed (with an
  // HTTP/2 GOAWAY: clients reconnect when they next call).
  absl::Duration max_connection_idle = absl::Minutes(10);
  // Server reflection (grpcurl, grpcui): on by default.
  bool reflection = true;
  // How long in-flight calls get to finish at shutdown before they are
  // cancelled.
  absl::Duration shutdown_grace = absl::Seconds(10);
  // The clinic's time zone ("today" for expiry dates) and its scanners'
  // FNC1 substitute. Copied into the ledger's options at Start().
  ClinicOptions clinic;
  ledger::LedgerOptions ledger;
  // Free space kept in reserve on the data directory's filesystem: below it
  // writes are refused (RESOURCE_EXHAUSTED, health NOT_SERVING) until space
  // is freed. 0: no reserve.
  uint64_t min_free_disk_bytes = 64ull << 20;
  // Background journal verification and the retry window.
  ledger::IntegrityOptions integrity;
  // The web listener (http_gateway.h): off when web.listen is empty, and
  // when every connection must present a client certificate (the gateway
  // has none to present).
  WebOptions web;
  // GET /metrics (Prometheus) on plain HTTP at this host:port; port 0 picks
  // a free one. Empty: none.
  std::string metrics_listen;
  // False when metrics_listen is only the default: if it cannot be bound,
  // the server starts without it (and says so).
  bool metrics_listen_required = true;
};

// The health service names whose status follows the store's write gate:
// while it is closed (disk full, damaged store) they are NOT_SERVING. The
// overall status ("") is among them; kReadServiceName (verification,
// traces, exports: what an investigation needs) stays SERVING.
extern const char* const kWriteServiceNames[];
extern const int kNumWriteServiceNames;
inline constexpr char kReadServiceName[] = "smptrace.v1.AuditService";

// What a process that hosts a Server (or a ledger) sets first, as smptraced
// does: Abseil's lock-order check off. It is on in Debian's build, so every
// absl::Mutex lock, ours and gRPC's, pays a graph lookup (about 1.4 % of
// the server's CPU under scans; docs/BENCHMARKS.md), and a cycle it finds
// aborts the process; the server must not abort. The tests keep the check,
// and the ThreadSanitizer run reports lock-order inversions. The benchmarks
// and the bulk loader call it too, so that they measure what smptraced runs.
void PrepareServerProcess();

class Server {
 public:
  // Opens the store in options.data_dir, starts the ledger, bootstraps the
  // first admin if asked, and starts the gRPC server. Errors:
  // FailedPrecondition without TLS files and without insecure_dev, or with
  // both; InvalidArgument for TLS or token files that cannot be read or
  // written; Unavailable if the port or the data directory is taken; the
  // store's errors.
  // REQUIRES: clock outlives the server.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options, const Clock* clock);
  ~Server();  // Shutdown()s.

  // The port actually bound (0 when in-process only).
  int port() const { return port_; }
  // The connection cap in force (0 when in-process only).
  int max_connections() const { return max_connections_; }
  // A channel to this server that does not go through the network.
  std::shared_ptr<grpc::Channel> InProcessChannel();
  // The journal head; after Shutdown(), the head it closed with.
  storage::JournalHead journal_head() const {
    return ledger_ != nullptr ? ledger_->head() : final_head_;
  }
  ledger::Ledger& ledger() { return *ledger_; }
  // For health, logs and metrics: verification counters and whether (and
  // why) writes are refused right now.
  ledger::IntegrityMonitor& integrity() { return *integrity_; }
  storage::WriteGateState write_gate_state() const {
    return store_->write_gate().state();
  }
  const storage::Store& store() const { return *store_; }
  // What the bootstrap step did, for the log ("" when not asked for).
  const std::string& bootstrap_outcome() const { return bootstrap_outcome_; }
  // The scheduled backups, or null when there are none.
  BackupSchedule* backups() { return backups_.get(); }
  // The checkpoint-signing key file in use.
  const std::string& signing_key_file() const { return signing_key_file_; }
  // The --data_key file in use.
  const std::string& data_key_file() const { return data_key_file_; }
  // The web listener, or null when there is none.
  HttpGateway* web() { return web_.get(); }
  // The /metrics listener, or null when there is none.
  MetricsEndpoint* metrics() { return metrics_.get(); }
  // What /metrics says now.
  std::string RenderMetrics();

  // Health goes NOT_SERVING, new calls are refused, in-flight calls get
  // shutdown_grace to finish, then the ledger drains and the store closes.
  // Idempotent.
  void Shutdown();
  // Blocks until Shutdown() has completed.
  void Wait();

 private:
  Server() = default;

  ServerOptions options_;
  // Outlives the ledger, which reports every commit to it.
  CommitMetrics commit_metrics_;
  std::unique_ptr<storage::Store> store_;
  // The services' reads of store_.
  std::unique_ptr<query::Reads> reads_;
  std::unique_ptr<storage::CheckpointKey> checkpoint_key_;
  std::unique_ptr<storage::DataKey> data_key_;
  std::unique_ptr<ledger::PersonalData> personal_data_;
  std::string signing_key_file_;
  std::string data_key_file_;
  std::string witness_keys_file_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<ledger::IntegrityMonitor> integrity_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<AuthLog> auth_log_;
  std::unique_ptr<Callers> callers_;
  std::unique_ptr<Commands> commands_;
  std::string bootstrap_outcome_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  // Outlives grpc_server_, whose interceptors count into it.
  CallsInFlight calls_;
  std::unique_ptr<CallMetrics> call_metrics_;
  std::unique_ptr<query::ClinicMetrics> clinic_metrics_;
  std::unique_ptr<grpc::Server> grpc_server_;
  // Accepts connections for grpc_server_ (see listener.h for why).
  std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor_;
  std::unique_ptr<Listener> listener_;
  // Stopped before the store closes.
  std::unique_ptr<BackupSchedule> backups_;
  // With a retention policy; stopped before the ledger.
  std::unique_ptr<RetentionSchedule> retention_;
  // Stopped first at shutdown: it calls the gRPC port.
  std::unique_ptr<HttpGateway> web_;
  // Stopped first at shutdown too: it reads everything above.
  std::unique_ptr<MetricsEndpoint> metrics_;
  int port_ = 0;
  int max_connections_ = 0;
  storage::JournalHead final_head_;
  bool shut_down_ = false;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_SERVER_H_
