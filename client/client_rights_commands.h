// The client's rights on the command line: `client consent` (record or show
// a client's consent to the clinic's texts), `client export` (a subject
// access request: the whole record as JSON and PDF) and `access` (the
// auditor's report of who read or exported which client's record).
#ifndef SMPTRACE_CLIENT_CLIENT_RIGHTS_COMMANDS_H_
#define SMPTRACE_CLIENT_CLIENT_RIGHTS_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

// REQUIRES: `app` already has the `client` command (AddSessionCommands).
void AddClientRightsCommands(CLI::App& app,
                             const std::function<Connection()>& connect,
                             int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_CLIENT_RIGHTS_COMMANDS_H_
