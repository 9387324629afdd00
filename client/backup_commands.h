// `smptrace admin backup|backup-list|restore`: an online backup taken by the
// server into a directory on its machine, and the offline side: the backups
// a directory holds, and a restore into a new data directory that is then
// verified end to end.
#ifndef SMPTRACE_CLIENT_BACKUP_COMMANDS_H_
#define SMPTRACE_CLIENT_BACKUP_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

// Adds the three subcommands to `admin`.
void AddBackupCommands(CLI::App& admin,
                       const std::function<Connection()>& connect,
                       int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_BACKUP_COMMANDS_H_
