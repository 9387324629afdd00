// Reading what a barcode scanner types: one scan per line, ended by Enter.
// Used by every command that takes scans on standard input.
#ifndef SMPTRACE_CLIENT_SCAN_INPUT_H_
#define SMPTRACE_CLIENT_SCAN_INPUT_H_

#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "client/connection.h"
#include "google/protobuf/message.h"
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

// How a scan loop reads and prints.
struct ScanLoopOptions {
  // A person at a terminal (not a pipe or a file): a prompt before each
  // scan, only an explicit end (Ctrl-D, or a line "done") ends the loop, and
  // a scan not sent or of unknown outcome does not stop it (see
  // ForEachScan()).
  bool person_at_terminal = false;
  // One JSON object per line on stdout (for scripts) instead of text.
  bool json = false;
  // Where the prompt goes (stderr: stdout stays the answers).
  std::ostream* prompt = nullptr;
  // The terminal the scans come from, or -1: while the loop runs, a Tab
  // from the scanner ends a scan there as Enter does.
  int terminal_fd = -1;
};

// The options for scans on standard input, printing JSON when `json`.
ScanLoopOptions StdinScanLoop(bool json);

// Reads the next scan from `in` into `scan`: the characters up to a CR, LF
// or Tab (whichever the scanner sends after each barcode), GS kept. Empty
// scans are skipped, so a CR+LF ending is one scan, not two. False at the end
// of input (when no scan is left).
bool ReadScan(std::istream& in, std::string* scan);

// True for the word that ends a scan loop at a terminal: "done" (any case,
// spaces around it ignored).
bool IsEndOfScans(const std::string& scan);

// Calls `handle(scan)` for each scan of `in` (ReadScan()) until the end of
// input or a scan "done" (IsEndOfScans()); a blank line does not end it.
// `handle` prints its own answer. At a terminal a prompt on options.prompt
// says how to end. When a scan is not sent or its outcome is unknown: with a
// person at the terminal the loop goes on, and a scan of unknown outcome is
// re-sent (resend) before the next scan is handled, until it is answered (a
// scan made while it is still unanswered is not sent); otherwise (a pipe or
// a file) the loop stops there and counts the remaining scans as not sent.
ScanTally ForEachScan(
    std::istream& in,
    const std::function<ScanResult(const std::string&)>& handle,
    const ScanLoopOptions& options);

// Prints a loop's tally as one JSON object (options.json):
// {"summary":{"accepted":2,"refused":1,"unknown":0,"not_sent":0}}.
void PrintTallyJson(const ScanTally& tally);

// One scan as SendScan() sends it and reports it.
struct ScanRequest {
  std::string barcode;     // as scanned
  std::string request_id;  // the request's id, the same on a re-send
  std::string advice;      // what to do about an unknown outcome
  bool json = false;       // report as JSON lines
};

// Sends one scan's request by `call` (Connection::Call(), with a request
// built once) and says what became of it: kAccepted (after `print_answer`),
// kRefused (the refusal printed), kNotSent, or kUnknown with a `resend` that
// does the same again. Unknown and not-sent outcomes are printed on stdout
// with the request id and advice. With scan.json every outcome is one JSON
// line: {"barcode":…,"outcome":"accepted","request_id":…,"answer":{…}},
// "refused" (with code, reason, message), "unknown" (message, advice) or
// "not_sent" (message); `answer` is the response, and `print_answer` is
// still called (to tally it) but should print nothing.
ScanResult SendScan(const ScanRequest& scan, std::function<grpc::Status()> call,
                    std::function<void()> print_answer,
                    const google::protobuf::Message* answer);

// SendScan() of one RPC: sends `request` by `method` of `stub` through
// `conn`, keeping the request (for a re-send: the same request id) and the
// response; `print_answer(const Response&)` prints an accepted response.
// `barcode`: the scan as read; conn.options().json says how to report.
template <typename Stub, typename Request, typename Response, typename Print>
ScanResult SendScanRequest(const Connection& conn, Stub& stub,
                           grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                        const Request&,
                                                        Response*),
                           Request request, const std::string& barcode,
                           const std::string& advice, Print print_answer) {
  auto r = std::make_shared<const Request>(std::move(request));
  auto out = std::make_shared<Response>();
  ScanRequest scan{barcode, r->request_id(), advice, conn.options().json};
  return SendScan(
      scan,
      [&conn, &stub, method, r, out] {
        return conn.Call([&](grpc::ClientContext* ctx) {
          return (stub.*method)(ctx, *r, out.get());
        });
      },
      [print_answer = std::move(print_answer), out] { print_answer(*out); },
      out.get());
}

// What to do about a scan of unknown outcome, for SendScan(): at a terminal
// the loop re-sends it itself; otherwise `otherwise`.
std::string UnknownOutcomeAdvice(bool person_at_terminal,
                                 const std::string& otherwise);

// Prints a scan loop's tally; returns its exit code: 0 when every scan was
// accepted, 1 when one was refused and input was not a person at a
// terminal, 3 when one got no answer or was not sent. With `loop.json` the
// tally is one JSON object.
int ScanExitCode(const ScanTally& tally, const ScanLoopOptions& loop);

// True when standard input is a terminal (a person at a scanner), not a
// pipe or file.
bool StdinIsInteractive();

// Parses "YYYY-MM-DD"; on failure sets `error` to a message naming `flag`.
bool ParseDate(const std::string& text, const std::string& flag, v1::Date* out,
               std::string* error);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_SCAN_INPUT_H_
