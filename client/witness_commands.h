// `smptrace witness key|cosign`: a witness of a transparency log
// (service/proof/witness.h), run by whoever the clinic's inspector trusts;
// and `smptrace log cosign|verify-checkpoint`: the same witness run against
// a live server end to end, and a cosigned checkpoint checked offline.
#ifndef SMPTRACE_CLIENT_WITNESS_COMMANDS_H_
#define SMPTRACE_CLIENT_WITNESS_COMMANDS_H_

#include <functional>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

// REQUIRES: AddLogCommands ran on `app` (this adds to its `log`).
void AddWitnessCommands(CLI::App& app,
                        const std::function<Connection()>& connect,
                        int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_WITNESS_COMMANDS_H_
