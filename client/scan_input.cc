#include "client/scan_input.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"

namespace smptrace::client {

ScanTally ForEachScan(
    std::istream& in,
    const std::function<ScanOutcome(const std::string&)>& handle) {
  ScanTally tally;
  std::string line;
  bool stopped = false;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
      line.pop_back();
    }
    if (line.empty()) break;
    if (stopped) {
      ++tally.not_sent;
      continue;
    }
    switch (handle(line)) {
      case ScanOutcome::kAccepted:
        ++tally.accepted;
        break;
      case ScanOutcome::kRefused:
        ++tally.refused;
        break;
      case ScanOutcome::kUnreachable:
        ++tally.not_sent;
        stopped = true;
        break;
    }
  }
  return tally;
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

}  // namespace smptrace::client
