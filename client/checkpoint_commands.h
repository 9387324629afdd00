// `smptrace checkpoint save|check|key`: signed receipts of the journal an
// auditor keeps, and the check that the journal still extends them (online,
// or offline on a stopped server's data).
#ifndef SMPTRACE_CLIENT_CHECKPOINT_COMMANDS_H_
#define SMPTRACE_CLIENT_CHECKPOINT_COMMANDS_H_

#include <functional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "client/connection.h"
#include "smptrace/v1/audit.pb.h"

namespace smptrace::client {

// The checkpoint file: a few "key: value" lines and the public key PEM, so
// an auditor can read (and keep) it as text.
std::string FormatCheckpointFile(const v1::Checkpoint& c);
absl::StatusOr<v1::Checkpoint> ParseCheckpointFile(const std::string& text);
// Reads and parses the checkpoint file `path`: NotFound when it cannot be
// read, InvalidArgument (naming the file) when it is not a checkpoint.
absl::StatusOr<v1::Checkpoint> ReadCheckpointFile(const std::string& path);
// Prints a checkpoint check; returns the exit code (0 ok, 1 failed).
int PrintCheck(const v1::CheckCheckpointResponse& r, bool json);

void AddCheckpointCommands(CLI::App& app,
                           const std::function<Connection()>& connect,
                           int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_CHECKPOINT_COMMANDS_H_
