// smptrace: the command line for practitioners, managers, auditors and
// admins. `smptrace --help` and `smptrace COMMAND --help` list everything.
#include <cstdlib>
#include <iostream>

#include "CLI/CLI.hpp"
#include "client/admin_commands.h"
#include "client/catalog_commands.h"
#include "client/connection.h"

int main(int argc, char** argv) {
  using smptrace::client::Connection;
  smptrace::client::ConnectionOptions options;
  if (const char* server = std::getenv("SMPTRACE_SERVER")) options.server = server;

  CLI::App app{"smptrace: sterility traceability for an SMP clinic"};
  app.require_subcommand(1);
  app.add_option("--server", options.server,
                 "smptraced address host:port (env SMPTRACE_SERVER)")
      ->capture_default_str();
  app.add_flag("--json", options.json, "print JSON instead of tables");
  app.add_option("--timeout", options.timeout_seconds,
                 "seconds to wait for each call")
      ->capture_default_str();
  app.add_option("--retries", options.retries,
                 "extra attempts when the server is unreachable (same request id)")
      ->capture_default_str();

  int exit_code = 0;
  auto connect = [&options] { return Connection(options); };
  smptrace::client::AddCatalogCommands(app, connect, &exit_code);
  smptrace::client::AddAdminCommands(app, connect, &exit_code);

  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
