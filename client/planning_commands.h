// `smptrace reorder|po|report ...`: the manager's weekly routine: reorder
// policies and suggestions, purchase orders, stock/expiry/usage reports and
// the usage chart.
#ifndef SMPTRACE_CLIENT_PLANNING_COMMANDS_H_
#define SMPTRACE_CLIENT_PLANNING_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

void AddPlanningCommands(CLI::App& app,
                         const std::function<Connection()>& connect,
                         int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_PLANNING_COMMANDS_H_
