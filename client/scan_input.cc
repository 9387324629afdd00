#include "client/scan_input.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "client/connection.h"

namespace smptrace::client {

ScanTally ForEachScan(
    std::istream& in,
    const std::function<ScanResult(const std::string&)>& handle,
    bool person_at_terminal) {
  ScanTally tally;
  std::string line;
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
        stopped = !person_at_terminal;
        break;
      case ScanOutcome::kUnknown:
        unanswered = result.resend;
        stopped = !person_at_terminal;
        break;
    }
  };
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
      line.pop_back();
    }
    if (line.empty()) break;
    if (stopped) {
      ++tally.not_sent;
      continue;
    }
    if (unanswered) {
      const ScanOutcome before = unanswered();
      if (before == ScanOutcome::kUnknown || before == ScanOutcome::kNotSent) {
        std::cout << "✘ not sent: the scan before is still unanswered; scan "
                     "this one again when the server is back"
                  << std::endl;
        ++tally.not_sent;
        continue;
      }
      unanswered = nullptr;
      count(before);
    }
    count(handle(line));
  }
  if (unanswered) ++tally.unknown;
  return tally;
}

namespace {

// SendScan(); `sent_before`: an earlier attempt may have reached the server,
// so an unreachable server now leaves the outcome unknown, not "not sent".
ScanResult Send(const std::string& request_id, const std::string& advice,
                std::function<grpc::Status()> call,
                std::function<void()> print_answer, bool sent_before) {
  const grpc::Status status = call();
  if (status.ok()) {
    print_answer();
    return ScanOutcome::kAccepted;
  }
  if (OutcomeUnknown(status) || (sent_before && IsUnreachable(status))) {
    std::cout << "? outcome unknown (request id " << request_id
              << "): the server may have recorded it; " << advice << std::endl;
    return ScanResult(ScanOutcome::kUnknown, [=] {
      return Send(request_id, advice, call, print_answer, true).outcome;
    });
  }
  if (IsUnreachable(status)) {
    std::cout << "✘ not sent: " << status.error_message() << std::endl;
    return ScanOutcome::kNotSent;
  }
  PrintRefusal(status);
  return ScanOutcome::kRefused;
}

}  // namespace

ScanResult SendScan(const std::string& request_id, const std::string& advice,
                    std::function<grpc::Status()> call,
                    std::function<void()> print_answer) {
  return Send(request_id, advice, std::move(call), std::move(print_answer),
              false);
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
int ScanExitCode(const ScanTally& tally) {
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
  if (tally.not_sent > 0 || tally.unknown > 0) return 3;
  return tally.refused > 0 && !StdinIsInteractive() ? 1 : 0;
}

}  // namespace smptrace::client
