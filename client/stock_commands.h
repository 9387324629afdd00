// `smptrace receive|labels|lot|stock|expiring|discard|adjust|transfer|unit`:
// the manager's inbound side and stock from the command line. `receive`
// takes a scanner's lines on standard input.
#ifndef SMPTRACE_CLIENT_STOCK_COMMANDS_H_
#define SMPTRACE_CLIENT_STOCK_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

void AddStockCommands(CLI::App& app, const std::function<Connection()>& connect,
                      int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_STOCK_COMMANDS_H_
