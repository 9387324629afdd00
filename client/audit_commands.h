// `smptrace trace lot|product` and `smptrace record`: the auditor's lookback
// and sterility record.
#ifndef SMPTRACE_CLIENT_AUDIT_COMMANDS_H_
#define SMPTRACE_CLIENT_AUDIT_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

void AddAuditCommands(CLI::App& app, const std::function<Connection()>& connect,
                      int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_AUDIT_COMMANDS_H_
