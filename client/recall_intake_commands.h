// smptrace recall import|candidates|confirm|dismiss: published recall
// notices (openFDA enforcement files, EU Safety Gate exports) matched to
// candidate recall cases, which a manager confirms (opening the case) or
// dismisses.
#ifndef SMPTRACE_CLIENT_RECALL_INTAKE_COMMANDS_H_
#define SMPTRACE_CLIENT_RECALL_INTAKE_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

// Adds the four commands under `recall`.
void AddRecallIntakeCommands(CLI::App& recall,
                             const std::function<Connection()>& connect,
                             int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_RECALL_INTAKE_COMMANDS_H_
