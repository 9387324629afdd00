// Reading what a barcode scanner types: one scan per line, ended by Enter.
// Used by every command that takes scans on standard input.
#ifndef SMPTRACE_CLIENT_SCAN_INPUT_H_
#define SMPTRACE_CLIENT_SCAN_INPUT_H_

#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <utility>

#include "client/connection.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::client {

struct ScanTally {
  int accepted = 0;
  int refused = 0;
  // Scans sent that got no answer: the server may have recorded them.
  int unknown = 0;
  // Lines not sent because the server could not be reached.
  int not_sent = 0;
};

// What became of one scan.
enum class ScanOutcome {
  kAccepted,
  kRefused,
  // Not sent: the server could not be reached.
  kNotSent,
  // Sent, but no answer came: the server may have recorded it.
  kUnknown,
};

// One scan's outcome; for kUnknown, `resend` sends the very same request
// again (the same request id: the server answers as it did the first time,
// or applies it now if it never arrived), prints the answer and returns the
// outcome.
struct ScanResult {
  ScanResult(ScanOutcome o) : outcome(o) {}  // NOLINT: implicit on purpose
  ScanResult(ScanOutcome o, std::function<ScanOutcome()> again)
      : outcome(o), resend(std::move(again)) {}

  ScanOutcome outcome;
  std::function<ScanOutcome()> resend;
};

// Calls `handle(line)` for each line of `in` (CR/LF stripped; GS kept) until
// end of input or a blank line. `handle` prints its own answer. When a scan
// is not sent or its outcome is unknown: with a person at the terminal the
// loop goes on, and a scan of unknown outcome is re-sent (resend) before
// the next line is handled, until it is answered (a line scanned while it
// is still unanswered is not sent); otherwise (a pipe or a file) the loop
// stops there and counts the remaining lines as not sent.
ScanTally ForEachScan(
    std::istream& in,
    const std::function<ScanResult(const std::string&)>& handle,
    bool person_at_terminal);

// Sends one scan's request by `call` (Connection::Call(), with a request
// built once) and says what became of it: kAccepted (after `print_answer`),
// kRefused (the refusal printed), kNotSent, or kUnknown with a `resend` that
// does the same again. Unknown and not-sent outcomes are printed on stdout
// with `request_id` and `advice` (what to do about it in this loop).
ScanResult SendScan(const std::string& request_id, const std::string& advice,
                    std::function<grpc::Status()> call,
                    std::function<void()> print_answer);

// SendScan() of one RPC: sends `request` by `method` of `stub` through
// `conn`, keeping the request (for a re-send: the same request id) and the
// response; `print_answer(const Response&)` prints an accepted response.
template <typename Stub, typename Request, typename Response, typename Print>
ScanResult SendScanRequest(const Connection& conn, Stub& stub,
                           grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                        const Request&,
                                                        Response*),
                           Request request, const std::string& advice,
                           Print print_answer) {
  auto r = std::make_shared<const Request>(std::move(request));
  auto out = std::make_shared<Response>();
  return SendScan(
      r->request_id(), advice,
      [&conn, &stub, method, r, out] {
        return conn.Call([&](grpc::ClientContext* ctx) {
          return (stub.*method)(ctx, *r, out.get());
        });
      },
      [print_answer = std::move(print_answer), out] { print_answer(*out); });
}

// What to do about a scan of unknown outcome, for SendScan(): at a terminal
// the loop re-sends it itself; otherwise `otherwise`.
std::string UnknownOutcomeAdvice(bool person_at_terminal,
                                 const std::string& otherwise);

// Prints a scan loop's tally; returns its exit code: 0 when every scan was
// accepted, 1 when one was refused and input was not a person at a
// terminal, 3 when one got no answer or was not sent.
int ScanExitCode(const ScanTally& tally);

// True when standard input is a terminal (a person at a scanner), not a
// pipe or file.
bool StdinIsInteractive();

// Parses "YYYY-MM-DD"; on failure sets `error` to a message naming `flag`.
bool ParseDate(const std::string& text, const std::string& flag, v1::Date* out,
               std::string* error);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_SCAN_INPUT_H_
