#include "client/scan_input.h"

#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "client/connection.h"
#include "client/output.h"

namespace smptrace::client {

namespace {

bool EndsScan(int c) { return c == '\r' || c == '\n' || c == '\t'; }

// While it lives, a Tab typed on terminal `fd` ends a line as Enter does
// (VEOL, so line editing stays), for scanners set to send Tab after each
// barcode; the terminal's settings come back afterwards, also when the loop
// is interrupted (Ctrl-C).
class TabEndsLine {
 public:
  explicit TabEndsLine(int fd) {
    if (fd < 0 || tcgetattr(fd, &saved_) != 0) return;
    termios tab = saved_;
    tab.c_cc[VEOL] = '\t';
    if (tcsetattr(fd, TCSANOW, &tab) != 0) return;
    fd_ = fd;
    restore_fd = fd;
    restore = saved_;
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
      struct sigaction action {};
      action.sa_handler = &RestoreAndDie;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESETHAND;
      sigaction(signal_number, &action, nullptr);
    }
  }
  ~TabEndsLine() {
    if (fd_ >= 0) tcsetattr(fd_, TCSANOW, &saved_);
    restore_fd = -1;
  }
  TabEndsLine(const TabEndsLine&) = delete;
  TabEndsLine& operator=(const TabEndsLine&) = delete;

 private:
  // What a signal handler restores (only async-signal-safe calls there).
  static inline volatile sig_atomic_t restore_fd = -1;
  static inline termios restore{};

  static void RestoreAndDie(int signal_number) {
    if (restore_fd >= 0) tcsetattr(restore_fd, TCSANOW, &restore);
    raise(signal_number);  // SA_RESETHAND: the default action now
  }

  int fd_ = -1;
  termios saved_{};
};

void PrintScanJson(const std::string& barcode, const std::string& outcome,
                   const std::string& rest) {
  std::cout << "{\"barcode\":" << JsonString(barcode)
            << ",\"outcome\":" << JsonString(outcome) << rest << "}"
            << std::endl;
}

}  // namespace

ScanLoopOptions StdinScanLoop(bool json) {
  ScanLoopOptions options;
  options.person_at_terminal = StdinIsInteractive();
  options.json = json;
  options.prompt = &std::cerr;
  options.terminal_fd = options.person_at_terminal ? fileno(stdin) : -1;
  return options;
}

bool ReadScan(std::istream& in, std::string* scan) {
  scan->clear();
  int c = in.get();
  while (c != EOF && EndsScan(c)) c = in.get();
  while (c != EOF && !EndsScan(c)) {
    scan->push_back(static_cast<char>(c));
    c = in.get();
  }
  return !scan->empty();
}

bool IsEndOfScans(const std::string& scan) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(scan)) == "done";
}

ScanTally ForEachScan(
    std::istream& in,
    const std::function<ScanResult(const std::string&)>& handle,
    const ScanLoopOptions& options) {
  const bool person = options.person_at_terminal;
  TabEndsLine tab_ends_line(person ? options.terminal_fd : -1);
  auto prompt = [&](const char* text) {
    if (person && options.prompt != nullptr)
      *options.prompt << text << std::flush;
  };
  prompt(
      "scan one barcode after another; type done (or press Ctrl-D) to "
      "finish\n");
  ScanTally tally;
  std::string scan;
  bool stopped = false;
  std::function<ScanOutcome()> unanswered;
  auto count = [&](const ScanResult& result) {
    switch (result.outcome) {
      case ScanOutcome::kAccepted:
        ++tally.accepted;
        break;
      case ScanOutcome::kRefused:
        ++tally.refused;
        break;
      case ScanOutcome::kNotSent:
        ++tally.not_sent;
        stopped = !person;
        break;
      case ScanOutcome::kUnknown:
        unanswered = result.resend;
        stopped = !person;
        break;
    }
  };
  for (;;) {
    prompt("scan> ");
    if (!ReadScan(in, &scan) || IsEndOfScans(scan)) break;
    if (stopped) {
      ++tally.not_sent;
      continue;
    }
    if (unanswered) {
      const ScanOutcome before = unanswered();
      if (before == ScanOutcome::kUnknown || before == ScanOutcome::kNotSent) {
        const std::string why =
            "the scan before is still unanswered; scan this one again when "
            "the server is back";
        if (options.json) {
          PrintScanJson(scan, "not_sent", ",\"message\":" + JsonString(why));
        } else {
          std::cout << "✘ not sent: " << why << std::endl;
        }
        ++tally.not_sent;
        continue;
      }
      unanswered = nullptr;
      count(before);
    }
    count(handle(scan));
  }
  // Ctrl-D leaves the cursor after the prompt.
  prompt("\n");
  if (unanswered) ++tally.unknown;
  return tally;
}

void PrintTallyJson(const ScanTally& tally) {
  std::cout << "{\"summary\":{\"accepted\":" << tally.accepted
            << ",\"refused\":" << tally.refused
            << ",\"unknown\":" << tally.unknown
            << ",\"not_sent\":" << tally.not_sent << "}}" << std::endl;
}

namespace {

// SendScan(); `sent_before`: an earlier attempt may have reached the server,
// so an unreachable server now leaves the outcome unknown, not "not sent".
ScanResult Send(const ScanRequest& scan, std::function<grpc::Status()> call,
                std::function<void()> print_answer,
                const google::protobuf::Message* answer, bool sent_before) {
  const grpc::Status status = call();
  const std::string id = ",\"request_id\":" + JsonString(scan.request_id);
  if (status.ok()) {
    if (scan.json) {
      PrintScanJson(scan.barcode, "accepted",
                    id + ",\"answer\":" + ToJson(*answer));
    }
    print_answer();
    return ScanOutcome::kAccepted;
  }
  const std::string message =
      ",\"message\":" + JsonString(status.error_message());
  if (OutcomeUnknown(status) || (sent_before && IsUnreachable(status))) {
    if (scan.json) {
      PrintScanJson(scan.barcode, "unknown",
                    id + message + ",\"advice\":" + JsonString(scan.advice));
    } else {
      std::cout << "? outcome unknown (request id " << scan.request_id
                << "): the server may have recorded it; " << scan.advice
                << std::endl;
    }
    return ScanResult(ScanOutcome::kUnknown, [=] {
      return Send(scan, call, print_answer, answer, true).outcome;
    });
  }
  if (IsUnreachable(status)) {
    if (scan.json) {
      PrintScanJson(scan.barcode, "not_sent", message);
    } else {
      std::cout << "✘ not sent: " << status.error_message() << std::endl;
    }
    return ScanOutcome::kNotSent;
  }
  if (scan.json) {
    PrintScanJson(
        scan.barcode, "refused",
        id + ",\"code\":" + JsonString(CodeName(status.error_code())) +
            ",\"reason\":" + JsonString(RefusalReasonOf(status)) + message);
  } else {
    PrintRefusal(status);
  }
  return ScanOutcome::kRefused;
}

}  // namespace

ScanResult SendScan(const ScanRequest& scan, std::function<grpc::Status()> call,
                    std::function<void()> print_answer,
                    const google::protobuf::Message* answer) {
  return Send(scan, std::move(call), std::move(print_answer), answer, false);
}

std::string UnknownOutcomeAdvice(bool person_at_terminal,
                                 const std::string& otherwise) {
  return person_at_terminal ? "it is sent again, with the same request id, "
                              "before your next scan"
                            : otherwise;
}

bool StdinIsInteractive() { return isatty(fileno(stdin)) == 1; }

bool ParseDate(const std::string& text, const std::string& flag, v1::Date* out,
               std::string* error) {
  std::vector<std::string> parts = absl::StrSplit(text, '-');
  int y = 0, m = 0, d = 0;
  if (parts.size() != 3 || parts[0].size() != 4 ||
      !absl::SimpleAtoi(parts[0], &y) || !absl::SimpleAtoi(parts[1], &m) ||
      !absl::SimpleAtoi(parts[2], &d)) {
    *error = flag + ": '" + text + "' is not a date (YYYY-MM-DD)";
    return false;
  }
  const absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d) {
    *error = flag + ": '" + text + "' is not a calendar day";
    return false;
  }
  out->set_year(y);
  out->set_month(m);
  out->set_day(d);
  return true;
}

// Prints a scan loop's tally; returns its exit code: 0 when every scan was
// accepted, 1 when one was refused and input was not a person at a
// terminal, 3 when one got no answer or was not sent.
int ScanExitCode(const ScanTally& tally, const ScanLoopOptions& loop) {
  const int code = tally.not_sent > 0 || tally.unknown > 0         ? 3
                   : tally.refused > 0 && !loop.person_at_terminal ? 1
                                                                   : 0;
  if (loop.json) {
    PrintTallyJson(tally);
    return code;
  }
  std::cout << tally.accepted << " accepted, " << tally.refused << " refused";
  if (tally.unknown > 0) {
    std::cout << ", " << tally.unknown
              << " outcome unknown (see above: the server may have recorded "
                 "it)";
  }
  if (tally.not_sent > 0) {
    std::cout << ", " << tally.not_sent
              << " not sent (server unreachable: scan them again)";
  }
  std::cout << std::endl;
  return code;
}

}  // namespace smptrace::client
