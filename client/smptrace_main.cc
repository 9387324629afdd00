// smptrace: the command line for practitioners, managers, auditors and
// admins. `smptrace --help` and `smptrace COMMAND --help` list everything.
#include <cstdlib>
#include <iostream>

#include "CLI/CLI.hpp"
#include "client/admin_commands.h"
#include "client/audit_commands.h"
#include "client/catalog_commands.h"
#include "client/checkpoint_commands.h"
#include "client/command_line.h"
#include "client/connection.h"
#include "client/health_check.h"
#include "client/planning_commands.h"
#include "client/principal_commands.h"
#include "client/session_commands.h"
#include "client/stock_commands.h"
#include "common/build_info.h"
#include "grpc/support/log.h"
#include "storage/store.h"

int main(int argc, char** argv) {
  using smptrace::client::Connection;
  // gRPC's own log lines ("E1124 10:25:15 ssl_transport_security.cc:854]
  // ...") repeat what the error message already says (with a hint); they
  // come back with GRPC_VERBOSITY set, for debugging.
  if (std::getenv("GRPC_VERBOSITY") == nullptr) {
    gpr_set_log_function([](gpr_log_func_args*) {});
  }
  smptrace::client::ConnectionOptions options;
  for (auto [variable, field] :
       {std::pair{"SMPTRACE_SERVER", &options.server},
        std::pair{"SMPTRACE_CA_CERT", &options.ca_cert},
        std::pair{"SMPTRACE_CERT", &options.cert},
        std::pair{"SMPTRACE_KEY", &options.key},
        std::pair{"SMPTRACE_TOKEN", &options.token},
        std::pair{"SMPTRACE_TOKEN_FILE", &options.token_file}}) {
    if (const char* value = std::getenv(variable)) *field = value;
  }

  CLI::App app{"smptrace: sterility traceability for an SMP clinic"};
  app.require_subcommand(1);
  // The options below work before or after the command
  // (`smptrace --json stock` and `smptrace stock --json` alike): every
  // command inherits this and passes the options it does not know up.
  app.fallthrough();
  app.set_version_flag(
      "--version",
      smptrace::VersionText("smptrace", smptrace::storage::kSchemaVersion),
      "print the version, the git commit it was built from and the data "
      "format it reads, and exit");
  app.add_option("--server", options.server,
                 "smptraced address host:port (env SMPTRACE_SERVER)")
      ->capture_default_str();
  app.add_option("--ca_cert", options.ca_cert,
                 "TLS: the CA certificate (PEM) that signed the server's "
                 "(env SMPTRACE_CA_CERT); without it, plaintext (only for a "
                 "server in --insecure_dev)");
  CLI::Option* token_flag = app.add_option(
      "--token", options.token,
      "bearer token, sent only over TLS (env SMPTRACE_TOKEN); prefer "
      "--token_file, which keeps it out of the process list and shell "
      "history");
  CLI::Option* token_file_flag = app.add_option(
      "--token_file", options.token_file,
      "a file holding the bearer token (env SMPTRACE_TOKEN_FILE); --token "
      "wins over it, and it wins over SMPTRACE_TOKEN");
  app.add_option("--cert", options.cert,
                 "mTLS: this client's certificate (PEM, env SMPTRACE_CERT)");
  app.add_option("--key", options.key,
                 "mTLS: this client's private key (PEM, env SMPTRACE_KEY)");
  app.add_flag("--json", options.json, "print JSON instead of tables");
  app.add_option("--timeout", options.timeout_seconds,
                 "seconds to wait for each call")
      ->capture_default_str();
  app.add_option("--retry_seconds", options.retry_seconds,
                 "how long to keep trying when the server does not answer "
                 "(unreachable, restarting), with the same request id; then "
                 "the outcome is reported unknown (exit 3)")
      ->capture_default_str();
  app.add_option("--retries", options.retries,
                 "at most this many extra attempts within --retry_seconds "
                 "(0: try once)")
      ->capture_default_str();
  app.add_option_function<std::string>(
      "--request_id", &smptrace::client::UseRequestIdOnce,
      "the request id of the command's (first) change, instead of "
      "a new one: repeat a command whose outcome is unknown with "
      "the id it printed, and it answers as the first time");

  int exit_code = 0;
  // Every command connects through here; a file that cannot be read or a
  // token without TLS stops the command before any call (exit 2).
  auto connect = [&options, token_flag, token_file_flag] {
    // Flags win over the environment, so an explicit --token_file wins over
    // SMPTRACE_TOKEN (--token still wins over both).
    if (token_file_flag->count() > 0 && token_flag->count() == 0) {
      options.token.clear();
    }
    auto connection = Connection::Open(options);
    if (!connection.ok()) {
      std::cerr << "error: " << connection.status().message() << "\n";
      std::exit(2);
    }
    return *std::move(connection);
  };
  smptrace::client::AddCatalogCommands(app, connect, &exit_code);
  smptrace::client::AddAdminCommands(app, connect, &exit_code);
  smptrace::client::AddSessionCommands(app, connect, &exit_code);
  smptrace::client::AddStockCommands(app, connect, &exit_code);
  smptrace::client::AddPlanningCommands(app, connect, &exit_code);
  smptrace::client::AddAuditCommands(app, connect, &exit_code);
  smptrace::client::AddCheckpointCommands(app, connect, &exit_code);
  smptrace::client::AddPrincipalCommands(app, connect, &exit_code);

  CLI::App* health = app.add_subcommand(
      "health", "is the server up? (grpc.health.v1; exit 0 only when SERVING)");
  health->callback([&] {
    // A probe wants the answer now, not after waiting out a restart.
    Connection conn = connect().WithoutRetries();
    smptrace::client::ServingStatus serving;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return smptrace::client::CheckHealth(conn.channel(), ctx, "", &serving);
    });
    if (!status.ok()) {
      exit_code = smptrace::client::ReportError(status);
      return;
    }
    std::cout << smptrace::client::ServingStatusName(serving) << "\n";
    exit_code = serving == smptrace::client::ServingStatus::kServing ? 0 : 1;
  });

  return smptrace::client::RunCommandLine(app, argc, argv, &exit_code);
}
