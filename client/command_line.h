// The smptrace command line as a whole: parsing with the documented exit
// codes (0 ok, 1 refused, 2 usage, 3 unreachable or outcome unknown), and an
// unknown command named with the closest known one.
#ifndef SMPTRACE_CLIENT_COMMAND_LINE_H_
#define SMPTRACE_CLIENT_COMMAND_LINE_H_

#include <functional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "client/connection.h"

namespace smptrace::client {

// Exit codes of every smptrace command (docs: README.md, "Exit codes").
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreachable = 3;

// Of `names`, the one closest to `word` (fewest edits of one character, or
// swaps of two neighbouring ones), if
// it is close enough to be a likely typo (at most 2 edits, and fewer than
// half of the word's letters); "" otherwise.
std::string ClosestName(const std::string& word,
                        const std::vector<std::string>& names);

// When `args` (the command line without the program name) names a command
// that `app` does not have, where a command is expected, a message naming
// it and the closest one: "unknown command 'stok'; did you mean 'stock'?".
// "" otherwise. Global options may come before or after the command.
std::string UnknownCommandMessage(CLI::App& app,
                                  const std::vector<std::string>& args);

// Adds every command of smptrace (but `health`) to `app`. The command tree
// owns the values its flags are parsed into (each callback holds them), so
// destroying `app` frees them. `connect` is called only when a command runs;
// each command's callback sets `*exit_code`, which must outlive `app`.
void AddAllCommands(CLI::App& app, const std::function<Connection()>& connect,
                    int* exit_code);

// Parses `argc`/`argv` with `app` (whose callbacks run the command and set
// `*exit_code`) and returns the process exit code: `*exit_code` after a
// command ran, 0 for --help and --version, kExitUsage (2) for a command line
// that cannot be parsed (CLI11's own codes, 105-109, are not ours), with an
// unknown command named (UnknownCommandMessage()).
int RunCommandLine(CLI::App& app, int argc, char** argv, const int* exit_code);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_COMMAND_LINE_H_
