// `smptrace product|supplier|location ...`: the catalogue from the command
// line.
#ifndef SMPTRACE_CLIENT_CATALOG_COMMANDS_H_
#define SMPTRACE_CLIENT_CATALOG_COMMANDS_H_

#include <functional>
#include <map>
#include <string>

#include "CLI/CLI.hpp"
#include "client/connection.h"
#include "smptrace/v1/catalog.pb.h"

namespace smptrace::client {

// The sterilisation methods as people type them: eo, gamma, e_beam, steam.
const std::map<std::string, v1::SterilizationMethod>& SterilizationMethods();

// Adds the catalogue subcommands to `app`. Each, when run, calls
// `connect()` for its connection and stores its exit code in `*exit_code`.
void AddCatalogCommands(CLI::App& app,
                        const std::function<Connection()>& connect,
                        int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_CATALOG_COMMANDS_H_
