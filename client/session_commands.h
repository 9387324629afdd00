// `smptrace client|session|bottle|dispose|container ...`: the practitioner's
// procedure from the command line, made for a scanner in one hand.
#ifndef SMPTRACE_CLIENT_SESSION_COMMANDS_H_
#define SMPTRACE_CLIENT_SESSION_COMMANDS_H_

#include <functional>
#include <string>

#include "CLI/CLI.hpp"
#include "client/connection.h"
#include "smptrace/v1/session.pb.h"

namespace smptrace::client {

// Adds the session and disposal subcommands to `app`; each stores its exit
// code in `*exit_code`.
void AddSessionCommands(CLI::App& app,
                        const std::function<Connection()>& connect,
                        int* exit_code);

// A client's contact details on one line: "Ana Lima · +351 ... · ...".
std::string ContactText(const v1::ClientContact& contact);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_SESSION_COMMANDS_H_
