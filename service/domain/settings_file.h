// The line format of the clinic's policy files (deploy/screening.conf,
// deploy/consent.conf): one "key = value" per line, '#' starts a comment,
// blank lines are ignored. Each policy gives the keys their meaning.
#ifndef SMPTRACE_SERVICE_DOMAIN_SETTINGS_FILE_H_
#define SMPTRACE_SERVICE_DOMAIN_SETTINGS_FILE_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace smptrace::domain {

// One setting: its 1-based line, key and value, both without surrounding
// white space (views into the parsed text).
struct SettingLine {
  int line = 0;
  absl::string_view key;
  absl::string_view value;
};

// The settings of `text` in file order. InvalidArgument for a line that is
// not a comment, blank or "key = value":
//   "line 4: expected 'key = value', got 'finasteride.min_days 30'"
absl::StatusOr<std::vector<SettingLine>> ParseSettingLines(
    std::string_view text);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_SETTINGS_FILE_H_
