#include "service/domain/consent_policy.h"

#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "service/domain/settings_file.h"

namespace smptrace::domain {
namespace {

absl::Status LineError(int line, absl::string_view key, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line, ": ", key, ": ", why));
}

// One consent subject's keys ("procedure", "data_processing").
struct SubjectKeys {
  absl::string_view name;
  ConsentTextVersion ConsentPolicy::*text;
};

constexpr SubjectKeys kSubjects[] = {
    {"procedure", &ConsentPolicy::procedure},
    {"data_processing", &ConsentPolicy::data_processing},
};

}  // namespace

absl::StatusOr<ConsentPolicy> ParseConsentPolicy(std::string_view text) {
  absl::StatusOr<std::vector<SettingLine>> settings = ParseSettingLines(text);
  if (!settings.ok()) return settings.status();
  ConsentPolicy policy;
  std::map<std::string, int> lines;  // key → first line it was set on
  for (const auto& [line, key, value] : *settings) {
    const auto [it, inserted] = lines.emplace(std::string(key), line);
    // The clinic's switches: whether a session needs consent, whether a
    // pigment scan needs the ink disclosure first.
    bool ConsentPolicy::*flag = key == "required" ? &ConsentPolicy::required
                                : key == "ink_disclosure.required"
                                    ? &ConsentPolicy::ink_disclosure_required
                                    : nullptr;
    if (flag != nullptr) {
      if (!inserted) {
        return LineError(line, key,
                         absl::StrCat("already set on line ", it->second));
      }
      if (absl::EqualsIgnoreCase(value, "true")) {
        policy.*flag = true;
      } else if (absl::EqualsIgnoreCase(value, "false")) {
        policy.*flag = false;
      } else {
        return LineError(
            line, key,
            absl::StrCat("expected true or false, got '", value, "'"));
      }
      continue;
    }
    const SubjectKeys* subject = nullptr;
    absl::string_view setting;
    for (const SubjectKeys& s : kSubjects) {
      if (absl::StartsWith(key, absl::StrCat(s.name, "."))) {
        subject = &s;
        setting = key.substr(s.name.size() + 1);
      }
    }
    if (subject == nullptr || (setting != "version" && setting != "text")) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line, ": unknown key '", key, "'"));
    }
    ConsentTextVersion& target = policy.*(subject->text);
    if (value.empty()) {
      return LineError(line, key,
                       "blank; write the value after '=' (or leave the key "
                       "out for the built-in text)");
    }
    if (setting == "version") {
      if (!inserted) {
        return LineError(line, key,
                         absl::StrCat("already set on line ", it->second));
      }
      if (value.size() > 40) {
        return LineError(line, key, "longer than 40 characters");
      }
      target.version = std::string(value);
      continue;
    }
    // A text's lines join into one text; the first replaces the built-in.
    if (inserted) {
      target.text = std::string(value);
    } else {
      absl::StrAppend(&target.text, "\n", value);
    }
    if (target.text.size() > kMaxConsentTextBytes) {
      return LineError(line, key,
                       absl::StrCat("the text is longer than ",
                                    kMaxConsentTextBytes, " bytes"));
    }
  }
  // A new wording needs a new version (and the other way round), or clients
  // would be asked again for the same text, or not asked for a new one.
  for (const SubjectKeys& s : kSubjects) {
    const auto version = lines.find(absl::StrCat(s.name, ".version"));
    const auto wording = lines.find(absl::StrCat(s.name, ".text"));
    if (version != lines.end() && wording == lines.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(s.name, ": a version is set on line ", version->second,
                       " but no text: add ", s.name, ".text"));
    }
    if (version == lines.end() && wording != lines.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(s.name, ": a text is set on line ", wording->second,
                       " but no version: add ", s.name, ".version"));
    }
  }
  return policy;
}

}  // namespace smptrace::domain
