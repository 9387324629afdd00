#include "service/domain/settings_file.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/string_view.h"

namespace smptrace::domain {

absl::StatusOr<std::vector<SettingLine>> ParseSettingLines(
    std::string_view text) {
  std::vector<SettingLine> settings;
  int line = 0;
  for (absl::string_view raw : absl::StrSplit(ToAbsl(text), '\n')) {
    ++line;
    absl::string_view content = raw.substr(0, raw.find('#'));
    content = absl::StripAsciiWhitespace(content);
    if (content.empty()) continue;

    const size_t eq = content.find('=');
    const absl::string_view key =
        eq == absl::string_view::npos
            ? absl::string_view()
            : absl::StripAsciiWhitespace(content.substr(0, eq));
    if (key.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", line, ": expected 'key = value', got '", content, "'"));
    }
    settings.push_back(
        {line, key, absl::StripAsciiWhitespace(content.substr(eq + 1))});
  }
  return settings;
}

}  // namespace smptrace::domain
