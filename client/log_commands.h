// `smptrace log checkpoint|key|prove|verify-inclusion|prove-consistency|
// verify-consistency`: the transparency log. The verify commands run offline
// with only the log's verifier key and the files they are given.
#ifndef SMPTRACE_CLIENT_LOG_COMMANDS_H_
#define SMPTRACE_CLIENT_LOG_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

void AddLogCommands(CLI::App& app, const std::function<Connection()>& connect,
                    int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_LOG_COMMANDS_H_
