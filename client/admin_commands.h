// `smptrace admin verify|rebuild-check`: online against a running server, or
// offline (--data_dir) on a stopped server's data.
#ifndef SMPTRACE_CLIENT_ADMIN_COMMANDS_H_
#define SMPTRACE_CLIENT_ADMIN_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

void AddAdminCommands(CLI::App& app, const std::function<Connection()>& connect,
                      int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_ADMIN_COMMANDS_H_
