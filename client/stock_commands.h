// `smptrace receive|labels|lot|stock|expiring|discard|adjust|transfer|unit`:
// the manager's inbound side and stock from the command line. `receive`
// takes a scanner's lines on standard input.
#ifndef SMPTRACE_CLIENT_STOCK_COMMANDS_H_
#define SMPTRACE_CLIENT_STOCK_COMMANDS_H_

#include <functional>
#include <string>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

// Adds `name` to `parent`: lots in stock expiring within --days (30), as a
// table or JSON lines. `smptrace expiring` and `smptrace report expiring`.
void AddExpiringCommand(CLI::App& parent, const std::string& name,
                        const std::function<Connection()>& connect,
                        int* exit_code);

void AddStockCommands(CLI::App& app, const std::function<Connection()>& connect,
                      int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_STOCK_COMMANDS_H_
