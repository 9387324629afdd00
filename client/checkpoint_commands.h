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
#include "storage/checkpoint_note.h"
#include "storage/store.h"

namespace smptrace::client {

// The checkpoint file: a few "key: value" lines and the public key PEM, so
// an auditor can read (and keep) it as text.
std::string FormatCheckpointFile(const v1::Checkpoint& c);
absl::StatusOr<v1::Checkpoint> ParseCheckpointFile(const std::string& text);
// Reads and parses the checkpoint file `path`: NotFound when it cannot be
// read, InvalidArgument (naming the file) when it is not a checkpoint.
absl::StatusOr<v1::Checkpoint> ReadCheckpointFile(const std::string& path);
// A note verifier key (`smptrace log key`: name+id+key), or the file
// `key` holding one (the --key flags).
absl::StatusOr<storage::NoteVerifier> ReadVerifier(const std::string& key);
// Checks the checkpoint file at `path`, in either form, against the journal
// in `reader`, offline: a C2SP signed note with `verifier_key` (as
// ReadVerifier; required for a note), the older "smptrace checkpoint v1"
// file with the key it carries. A failed check is a result (ok = false);
// an error when the file or the key cannot be read.
absl::StatusOr<v1::CheckCheckpointResponse> CheckCheckpointFileOffline(
    const storage::Reader& reader, const std::string& path,
    const std::string& verifier_key);
// Prints a checkpoint check; returns the exit code (0 ok, 1 failed).
int PrintCheck(const v1::CheckCheckpointResponse& r, bool json);

void AddCheckpointCommands(CLI::App& app,
                           const std::function<Connection()>& connect,
                           int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_CHECKPOINT_COMMANDS_H_
