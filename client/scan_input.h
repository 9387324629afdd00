// Reading what a barcode scanner types: one scan per line, ended by Enter.
// Used by every command that takes scans on standard input.
#ifndef SMPTRACE_CLIENT_SCAN_INPUT_H_
#define SMPTRACE_CLIENT_SCAN_INPUT_H_

#include <functional>
#include <istream>
#include <string>

#include "smptrace/v1/common.pb.h"

namespace smptrace::client {

struct ScanTally {
  int accepted = 0;
  int refused = 0;
  // Lines not sent because the server could not be reached.
  int not_sent = 0;
};

// What became of one scan.
enum class ScanOutcome {
  kAccepted,
  kRefused,
  // The server could not be reached: stop, the rest would fail too.
  kUnreachable,
};

// Calls `handle(line)` for each line of `in` (CR/LF stripped; GS kept) until
// end of input, a blank line, or an unreachable server. `handle` prints its
// own answer.
ScanTally ForEachScan(
    std::istream& in,
    const std::function<ScanOutcome(const std::string&)>& handle);

// True when standard input is a terminal (a person at a scanner), not a
// pipe or file.
bool StdinIsInteractive();

// Parses "YYYY-MM-DD"; on failure sets `error` to a message naming `flag`.
bool ParseDate(const std::string& text, const std::string& flag, v1::Date* out,
               std::string* error);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_SCAN_INPUT_H_
