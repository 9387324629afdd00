// `smptrace client|session|bottle|dispose|container ...`: the practitioner's
// procedure from the command line, made for a scanner in one hand.
#ifndef SMPTRACE_CLIENT_SESSION_COMMANDS_H_
#define SMPTRACE_CLIENT_SESSION_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

// Adds the session and disposal subcommands to `app`; each stores its exit
// code in `*exit_code`.
void AddSessionCommands(CLI::App& app,
                        const std::function<Connection()>& connect,
                        int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_SESSION_COMMANDS_H_
