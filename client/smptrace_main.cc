// smptrace: the command line for practitioners, managers, auditors and
// admins. `smptrace --help` and `smptrace COMMAND --help` list everything.
#include <cstdlib>
#include <iostream>

#include "CLI/CLI.hpp"
#include "client/admin_commands.h"
#include "client/audit_commands.h"
#include "client/checkpoint_commands.h"
#include "client/catalog_commands.h"
#include "client/connection.h"
#include "client/health_check.h"
#include "client/planning_commands.h"
#include "client/session_commands.h"
#include "client/stock_commands.h"

int main(int argc, char** argv) {
  using smptrace::client::Connection;
  smptrace::client::ConnectionOptions options;
  if (const char* server = std::getenv("SMPTRACE_SERVER"))
    options.server = server;

  CLI::App app{"smptrace: sterility traceability for an SMP clinic"};
  app.require_subcommand(1);
  app.add_option("--server", options.server,
                 "smptraced address host:port (env SMPTRACE_SERVER)")
      ->capture_default_str();
  app.add_flag("--json", options.json, "print JSON instead of tables");
  app.add_option("--timeout", options.timeout_seconds,
                 "seconds to wait for each call")
      ->capture_default_str();
  app.add_option(
         "--retries", options.retries,
         "extra attempts when the server is unreachable (same request id)")
      ->capture_default_str();

  int exit_code = 0;
  auto connect = [&options] { return Connection(options); };
  smptrace::client::AddCatalogCommands(app, connect, &exit_code);
  smptrace::client::AddAdminCommands(app, connect, &exit_code);
  smptrace::client::AddSessionCommands(app, connect, &exit_code);
  smptrace::client::AddStockCommands(app, connect, &exit_code);
  smptrace::client::AddPlanningCommands(app, connect, &exit_code);
  smptrace::client::AddAuditCommands(app, connect, &exit_code);
  smptrace::client::AddCheckpointCommands(app, connect, &exit_code);

  CLI::App* health = app.add_subcommand(
      "health", "is the server up? (grpc.health.v1; exit 0 only when SERVING)");
  health->callback([&] {
    Connection conn = connect();
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

  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
