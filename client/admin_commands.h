// `smptrace admin verify|rebuild-check`: online against a running server, or
// offline (--data_dir) on a stopped server's data.
#ifndef SMPTRACE_CLIENT_ADMIN_COMMANDS_H_
#define SMPTRACE_CLIENT_ADMIN_COMMANDS_H_

#include <functional>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "client/connection.h"
#include "storage/store.h"

namespace smptrace::client {

// Opens a stopped server's data directory read-only; prints why not (and
// returns null) on failure.
std::unique_ptr<storage::Store> OpenOffline(const std::string& dir);

void AddAdminCommands(CLI::App& app, const std::function<Connection()>& connect,
                      int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_ADMIN_COMMANDS_H_
