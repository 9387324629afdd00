// `smptrace principal create|list|token|revoke|disable` and `smptrace admin
// auth-stats`: who may use the service (an admin's work, DESIGN.md §7).
#ifndef SMPTRACE_CLIENT_PRINCIPAL_COMMANDS_H_
#define SMPTRACE_CLIENT_PRINCIPAL_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

void AddPrincipalCommands(CLI::App& app,
                          const std::function<Connection()>& connect,
                          int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_PRINCIPAL_COMMANDS_H_
