// smptraced: the smptrace server.
//
//   smptraced --tls_cert certs/server.pem --tls_key certs/server.key
//       --bootstrap_admin_token_file admin.token --data_dir ./smptrace-data
//   smptraced --insecure_dev --data_dir ./smptrace-data   (development only)
//
// SIGTERM or SIGINT shuts down gracefully: health turns NOT_SERVING, no new
// calls are accepted, in-flight calls finish (or are cancelled after the
// grace period), the ledger drains, and RocksDB closes cleanly.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/build_info.h"
#include "common/clock.h"
#include "common/files.h"
#include "service/api/listener.h"
#include "service/api/log_format.h"
#include "service/api/server.h"
#include "service/api/service_manager.h"
#include "service/domain/consent_policy.h"
#include "service/domain/retention_policy.h"
#include "service/domain/screening_policy.h"
#include "spdlog/spdlog.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace {

// Writes `text` to `path` atomically (a rename), so a reader never sees half.
bool WriteFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

// The address `offset` ports after `listen`'s ("127.0.0.1:8470", 2 →
// "127.0.0.1:8472"); port 0 stays 0 (any free port). std::nullopt when
// `listen` has no numeric port.
std::optional<std::string> BesideListen(const std::string& listen, int offset) {
  const size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port)) {
    return std::nullopt;
  }
  return absl::StrCat(listen.substr(0, colon), ":",
                      port == 0 ? 0 : port + offset);
}

// Reads and parses a clinic policy file given by `flag` into `*out`; an
// empty `path` leaves the built-in defaults. Logs and returns false on error.
template <typename Parse, typename Policy>
bool LoadPolicy(const char* flag, const std::string& path, Parse parse,
                Policy* out) {
  if (path.empty()) return true;
  auto text = smptrace::ReadTextFile(flag, path);
  if (!text.ok()) {
    spdlog::critical("{}", std::string(text.status().message()));
    return false;
  }
  auto policy = parse(*text);
  if (!policy.ok()) {
    spdlog::critical("{} {}: {}", flag, path,
                     std::string(policy.status().message()));
    return false;
  }
  *out = *std::move(policy);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  smptrace::api::PrepareServerProcess();
  smptrace::api::ServerOptions options;
  std::string ready_file;
  int grace_seconds = 10;
  int handshake_seconds = 10;
  int idle_seconds = 600;
  std::string time_zone = "UTC";
  std::string fnc1_substitute;
  std::string screening_policy;
  std::string consent_policy;
  std::string retention_policy;
  uint64_t min_free_disk_mb = options.min_free_disk_bytes >> 20;
  int verify_interval_minutes = 60;
  int retry_window_days = 7;
  std::string clock_start;
  std::string http_listen;
  std::string http_ready_file;
  int web_session_idle_minutes = 15;
  int web_kiosk_idle_minutes = 2;
  std::string metrics_listen;
  std::string metrics_ready_file;
  std::string log_format = "text";
  options.web.web_root = SMPTRACE_WEB_ROOT;

  CLI::App app{"smptraced: the smptrace sterility-traceability server"};
  app.set_version_flag(
      "--version",
      smptrace::VersionText("smptraced", smptrace::storage::kSchemaVersion),
      "print the version, the git commit it was built from and the data "
      "format it reads and writes, and exit");
  app.add_option("--listen", options.listen,
                 "host:port to listen on (port 0 picks a free port)")
      ->capture_default_str();
  app.add_option("--http_listen", http_listen,
                 "host:port of the web application and its HTTP API "
                 "(HTTPS with --tls_cert; plain HTTP only with "
                 "--insecure_dev); default: --listen's host, port + 1; '' "
                 "turns it off");
  app.add_option("--web_root", options.web.web_root,
                 "the web application's built files (default: web/dist in "
                 "the build directory smptraced was built in)");
  app.add_option("--web_session_idle", web_session_idle_minutes,
                 "minutes without a call after which a manager's, auditor's "
                 "or admin's web sign-in ends (each call starts them "
                 "again); a sign-in ends after 12 h in any case")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  app.add_option("--web_kiosk_idle", web_kiosk_idle_minutes,
                 "the same for a practitioner's sign-in: the chair-side "
                 "kiosk, a screen shared in a treatment room, is signed out "
                 "sooner")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  app.add_option("--http_ready_file", http_ready_file,
                 "once serving, write the web listener's host:port here (for "
                 "scripts and tests)");
  app.add_option("--metrics_listen", metrics_listen,
                 "host:port of GET /metrics (Prometheus text format, plain "
                 "HTTP, no authentication: keep it on loopback or a "
                 "monitoring network); default: --listen's host, port + 2; "
                 "'off' turns it off");
  app.add_option("--metrics_ready_file", metrics_ready_file,
                 "once serving, write the metrics listener's host:port here "
                 "(for scripts and tests)");
  app.add_option("--log_format", log_format,
                 "text (for a terminal) or json (one JSON object per line, "
                 "for a log collector)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--data_dir", options.data_dir,
                 "RocksDB data directory (created if missing)")
      ->capture_default_str();
  app.add_option("--signing_key", options.signing_key_file,
                 "the checkpoint-signing key (Ed25519 PEM, mode 0600, created "
                 "on first start); keep it outside the data directory and "
                 "off-site apart from backups. Default: DATA_DIR"
                 ".checkpoint-ed25519.pem, beside the data directory");
  app.add_option("--witness_keys", options.witness_keys_file,
                 "the witnesses whose cosignatures of the log's checkpoints "
                 "the server keeps and serves: a file of witness keys (what "
                 "smptrace witness key prints), one a line, read again at "
                 "each cosignature handed in. Default: DATA_DIR.witnesses, "
                 "beside the data directory (none when it does not exist)");
  app.add_option("--data_key", options.data_key_file,
                 "the data key that unlocks every client's personal data "
                 "(mode 0600, created on first start); keep it outside the "
                 "data directory and back it up apart from the data: without "
                 "it no contact detail or screening answer can be read. "
                 "Default: DATA_DIR.data-key, beside the data directory");
  app.add_flag("--seal_personal_data", options.seal_existing_personal_data,
               "before serving, seal the contact details and screening "
               "answers an earlier build journaled in clear: re-chains the "
               "journal and keeps a statement of what changed, signed with "
               "the checkpoint key (take a backup first; docs/admin.md)");
  std::string backup_interval = "6h";
  app.add_option("--backup_dir", options.backups.dir,
                 "take scheduled online backups into this absolute "
                 "directory (on this machine, outside the data directory); "
                 "restore with smptrace admin restore");
  app.add_option("--backup_interval", backup_interval,
                 "time between scheduled backups (e.g. 6h, 90m; at least 1m)")
      ->capture_default_str();
  app.add_option("--backup_keep", options.backups.keep,
                 "scheduled backups kept in --backup_dir (older ones are "
                 "purged after each new one)")
      ->capture_default_str();
  app.add_flag("--insecure_dev", options.insecure_dev,
               "serve WITHOUT TLS and WITHOUT authentication (development "
               "only; every call is allowed and recorded as 'insecure-dev')");
  app.add_option("--tls_cert", options.tls.cert_file,
                 "the server's certificate chain (PEM); required unless "
                 "--insecure_dev");
  app.add_option("--tls_key", options.tls.key_file,
                 "the server's private key (PEM)");
  app.add_option("--client_ca", options.tls.client_ca_file,
                 "accept client certificates signed by this CA (PEM): mTLS, "
                 "a certificate authenticates as the principal whose "
                 "certificate CN it has");
  app.add_flag("--require_client_cert", options.tls.require_client_cert,
               "refuse connections without a client certificate: on the "
               "gRPC port and on the web listener (a browser needs a "
               "certificate from --client_ca, then its person's token)");
  app.add_option("--web_client_cert", options.web.client_cert_file,
                 "with --require_client_cert: the client certificate (PEM, "
                 "from --client_ca, mapped to no principal) the web gateway "
                 "presents to the gRPC port; without it the web listener "
                 "is off");
  app.add_option("--web_client_key", options.web.client_key_file,
                 "the key of --web_client_cert (PEM)");
  app.add_option("--bootstrap_admin_token_file",
                 options.bootstrap_admin_token_file,
                 "first start: create the ADMIN principal (--bootstrap_admin) "
                 "and write its token to this new file (mode 0600); does "
                 "nothing once that principal exists");
  app.add_option("--bootstrap_admin", options.bootstrap_admin,
                 "the name of the principal --bootstrap_admin_token_file "
                 "creates")
      ->capture_default_str();
  app.add_option("--max_message_bytes", options.max_receive_message_bytes,
                 "largest request accepted")
      ->capture_default_str()
      ->check(CLI::Range(1024, 64 << 20));
  app.add_option("--max_threads", options.max_threads,
                 "calls served at once; more get RESOURCE_EXHAUSTED")
      ->capture_default_str()
      ->check(CLI::Range(4, 4096));
  app.add_option("--max_connections", options.max_connections,
                 "connections open at once; more are closed as soon as they "
                 "are accepted (0: from the open-file limit: three "
                 "quarters of it, at least 64 kept back, at most 4096)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  app.add_option("--handshake_timeout_seconds", handshake_seconds,
                 "a connection that has not finished its TLS and HTTP/2 "
                 "handshake this long after it was accepted is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--max_connection_idle_seconds", idle_seconds,
                 "a connection that carries no call this long is closed "
                 "(clients reconnect when they next call)")
      ->capture_default_str()
      ->check(CLI::Range(1, 7 * 24 * 3600));
  app.add_flag("--reflection,!--no_reflection", options.reflection,
               "gRPC server reflection (on unless --no_reflection)");
  app.add_option("--shutdown_grace_seconds", grace_seconds,
                 "seconds in-flight calls get at shutdown")
      ->capture_default_str();
  app.add_option("--ready_file", ready_file,
                 "once serving, write host:port here (for scripts and tests)");
  app.add_option("--time_zone,--clinic_timezone", time_zone,
                 "the clinic's time zone, an IANA name such as Europe/London: "
                 "what 'today' is for expiry dates, and the zone every time "
                 "is shown in (certificates, exports, the CLI), with its UTC "
                 "offset ('localtime' = this machine's)")
      ->capture_default_str();
  app.add_option("--clinic_name", options.clinic.name,
                 "the clinic's name, printed on the client's certificate and "
                 "on reports");
  app.add_option("--verify_url", options.clinic.verify_url,
                 "the public certificate verification page as the clinic's "
                 "clients reach it, e.g. https://smp.example.com/verify: "
                 "what a certificate's QR code opens. Default: /verify on "
                 "--http_listen (localhost for a wildcard address)");
  app.add_option("--fnc1_substitute", fnc1_substitute,
                 "the character the clinic's scanners send for GS1 FNC1 "
                 "instead of ASCII GS (e.g. '~'); GS is always accepted")
      ->check(CLI::Validator(
          [](std::string& s) {
            return s.size() <= 1 ? std::string()
                                 : std::string("must be one character");
          },
          "CHAR"));
  app.add_option("--screening_policy", screening_policy,
                 "the clinic's screening rules (see deploy/screening.conf); "
                 "without it, the built-in defaults, which equal that file");
  app.add_option("--consent_policy", consent_policy,
                 "the clinic's consent texts and whether a session needs the "
                 "client's consent first (see deploy/consent.conf); without "
                 "it, built-in texts and consent not required");
  app.add_option("--retention_policy", retention_policy,
                 "how long each kind of record is kept and whether the daily "
                 "job erases due clients by itself or after a manager's "
                 "approval (see deploy/retention.conf); without it, nothing "
                 "is ever due");
  app.add_option("--min_free_disk_mb", min_free_disk_mb,
                 "free space kept in reserve on the data directory's "
                 "filesystem: below it writes are refused (RESOURCE_EXHAUSTED, "
                 "health NOT_SERVING) until space is freed; 0 = no reserve")
      ->capture_default_str();
  app.add_option("--verify_interval_minutes", verify_interval_minutes,
                 "re-verify the whole journal in the background this often "
                 "(idle priority); 0 = only at start")
      ->capture_default_str()
      ->check(CLI::Range(0, 7 * 24 * 60));
  app.add_option("--retry_window_days", retry_window_days,
                 "a retried request (same request_id) gets its first answer "
                 "for this long; after it the retry is refused, never applied "
                 "twice; 0 = keep every answer forever")
      ->capture_default_str()
      ->check(CLI::Range(0, 3650));
  // Hidden (no group): only the doc test uses it, so that the guides show the
  // same dates on every run. Never in production: it moves "today".
  app.add_option("--clock_start", clock_start,
                 "tests and documentation examples only: the clock starts at "
                 "this instant (RFC 3339, e.g. 2026-11-24T10:00:00Z)")
      ->group("");
  CLI11_PARSE(app, argc, argv);
  auto format = smptrace::api::ParseLogFormat(log_format);
  if (!format.ok()) {
    spdlog::critical("{}", std::string(format.status().message()));
    return 1;
  }
  smptrace::api::UseLogFormat(*format);
  options.web.session_idle = absl::Minutes(web_session_idle_minutes);
  options.web.kiosk_idle = absl::Minutes(web_kiosk_idle_minutes);
  if (app.count("--http_listen") > 0) {
    options.web.listen = http_listen;
  } else if (auto beside = BesideListen(options.listen, 1)) {
    // Beside the gRPC port: 8470 → 8471 (a free port beside a free port).
    options.web.listen = *beside;
    options.web.listen_required = false;
  }
  if (app.count("--metrics_listen") > 0) {
    options.metrics_listen = metrics_listen == "off" ? "" : metrics_listen;
  } else if (auto beside = BesideListen(options.listen, 2)) {
    // Beside the web port: 8470 → 8472.
    options.metrics_listen = *beside;
    options.metrics_listen_required = false;
  }
  if (!absl::ParseDuration(backup_interval, &options.backups.interval)) {
    spdlog::critical("--backup_interval: '{}' is not a duration (e.g. 6h, 90m)",
                     backup_interval);
    return 1;
  }
  options.min_free_disk_bytes = min_free_disk_mb << 20;
  options.integrity.verify_interval = absl::Minutes(verify_interval_minutes);
  options.integrity.retry_window = absl::Hours(24 * retry_window_days);
  options.shutdown_grace = absl::Seconds(grace_seconds);
  options.handshake_timeout = absl::Seconds(handshake_seconds);
  options.max_connection_idle = absl::Seconds(idle_seconds);
  if (time_zone == "localtime") {
    options.clinic.zone = absl::LocalTimeZone();
  } else if (!absl::LoadTimeZone(time_zone, &options.clinic.zone)) {
    spdlog::critical(
        "--time_zone: unknown time zone '{}' (an IANA name such as "
        "Europe/London; is the tzdata package installed?)",
        time_zone);
    return 1;
  }
  if (!LoadPolicy("--screening_policy", screening_policy,
                  smptrace::domain::ParseScreeningPolicy,
                  &options.ledger.screening) ||
      !LoadPolicy("--consent_policy", consent_policy,
                  smptrace::domain::ParseConsentPolicy,
                  &options.ledger.consent) ||
      !LoadPolicy("--retention_policy", retention_policy,
                  smptrace::domain::ParseRetentionPolicy,
                  &options.ledger.retention)) {
    return 1;
  }
  if (!fnc1_substitute.empty()) {
    options.clinic.fnc1_substitute = fnc1_substitute[0];
  }

  // Signals are taken by sigwait() below, not by handlers: block them before
  // any thread starts so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Every connection costs a descriptor: take what the hard limit allows
  // (the shell's soft limit is often 1,024), before anything is opened.
  auto files = smptrace::api::RaiseOpenFileLimit();
  if (!files.ok()) {
    spdlog::warn("cannot raise the open-file limit: {}",
                 std::string(files.status().message()));
  }

  if (options.insecure_dev) {
    spdlog::warn(
        "INSECURE DEVELOPMENT MODE: no authentication, no TLS; every call is "
        "allowed and recorded as actor '{}'. Never use this with real client "
        "data.",
        "insecure-dev");
  }
  const smptrace::Clock* clock = smptrace::SystemClock::Get();
  std::unique_ptr<smptrace::OffsetClock> offset_clock;
  if (!clock_start.empty()) {
    absl::Time start;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, clock_start, &start, &error)) {
      spdlog::critical("--clock_start: '{}' is not an RFC 3339 time: {}",
                       clock_start, error);
      return 1;
    }
    offset_clock = std::make_unique<smptrace::OffsetClock>(start - absl::Now());
    clock = offset_clock.get();
    spdlog::warn(
        "CLOCK SHIFTED for tests (--clock_start {}): dates recorded are not "
        "today's. Never use this with real client data.",
        clock_start);
  }
  auto server = smptrace::api::Server::Start(options, clock);
  if (!server.ok()) {
    spdlog::critical("cannot start: {}", server.status().ToString());
    return 1;
  }
  if (!(*server)->bootstrap_outcome().empty()) {
    spdlog::info("{}", (*server)->bootstrap_outcome());
  }
  const auto head = (*server)->journal_head();
  std::string host = options.listen.substr(0, options.listen.rfind(':'));
  std::string address = absl::StrCat(host, ":", (*server)->port());
  spdlog::info(
      "smptraced {} serving on {} ({}) · data dir {} · time zone {} · journal "
      "head seq {} hash {}",
      SMPTRACE_VERSION, address,
      options.insecure_dev                 ? "NO TLS, NO AUTHENTICATION"
      : options.tls.client_ca_file.empty() ? "TLS, tokens"
      : options.tls.require_client_cert    ? "TLS, client certificates required"
                                        : "TLS, tokens or client certificates",
      options.data_dir, options.clinic.zone.name(), head.seq,
      smptrace::storage::ToHex(head.hash).substr(0, 16));
  spdlog::info(
      "checkpoint-signing key {} (keep a copy off-site, apart from "
      "backups)",
      (*server)->signing_key_file());
  spdlog::info(
      "data key {} (unlocks clients' personal data: keep a copy off-site, "
      "apart from backups)",
      (*server)->data_key_file());
  if ((*server)->backups() != nullptr) {
    spdlog::info(
        "scheduled backups into {} every {}, keeping {}", options.backups.dir,
        absl::FormatDuration(options.backups.interval), options.backups.keep);
  }
  spdlog::info(
      "connections: at most {} open (--max_connections), handshake within "
      "{}s, closed after {}s idle · open-file limit {}{}",
      (*server)->max_connections(), handshake_seconds, idle_seconds,
      smptrace::api::CurrentOpenFileLimit(),
      !files.ok() ? " (could not be raised)"
      : files->soft_before < files->soft
          ? absl::StrCat(" (raised from ", files->soft_before,
                         " to the hard limit)")
          : absl::StrCat(" (the hard limit is ", files->hard, ")"));
  if (smptrace::api::HttpGateway* web = (*server)->web(); web != nullptr) {
    spdlog::info("web application at {} (web files from {})", web->url(),
                 options.web.web_root);
    if (options.insecure_dev) {
      spdlog::info(
          "web sign-in: leave the token empty to act as 'insecure-dev' "
          "(admin)");
    } else if (!options.bootstrap_admin_token_file.empty()) {
      spdlog::info("web sign-in: paste a person's token; the admin's is in {}",
                   options.bootstrap_admin_token_file);
    }
    if (!http_ready_file.empty() &&
        !WriteFileAtomically(http_ready_file,
                             absl::StrCat(host, ":", web->port(), "\n"))) {
      spdlog::critical("cannot write --http_ready_file {}", http_ready_file);
      return 1;
    }
  }
  if (smptrace::api::MetricsEndpoint* metrics = (*server)->metrics();
      metrics != nullptr) {
    spdlog::info("metrics at {}", metrics->url());
    if (!metrics_ready_file.empty() &&
        !WriteFileAtomically(metrics_ready_file,
                             absl::StrCat(host, ":", metrics->port(), "\n"))) {
      spdlog::critical("cannot write --metrics_ready_file {}",
                       metrics_ready_file);
      return 1;
    }
  }
  if (!ready_file.empty() && !WriteFileAtomically(ready_file, address + "\n")) {
    spdlog::critical("cannot write --ready_file {}", ready_file);
    return 1;
  }
  // Under systemd (Type=notify): ready now that the journal head is checked
  // and the port listens; keep-alives while the ledger's writer takes work.
  smptrace::api::ServiceManager service_manager;
  service_manager.Ready(
      absl::StrCat("serving on ", address, " · journal head seq ", head.seq));
  smptrace::ledger::Ledger& ledger = (*server)->ledger();
  // Checked every half watchdog period; a ping unanswered for that long
  // sends no keep-alive, so a writer stuck a whole period gets restarted.
  const absl::Duration ping_timeout = service_manager.WatchdogTimeout() / 2;
  service_manager.StartWatchdog(
      [&ledger, ping_timeout] { return ledger.Ping(ping_timeout); });

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("received {}, shutting down (grace {}s)",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT", grace_seconds);
  service_manager.Stopping();
  (*server)->Shutdown();
  const auto final_head = (*server)->journal_head();
  server->reset();
  spdlog::info("stopped cleanly · journal head seq {}", final_head.seq);
  return 0;
}
