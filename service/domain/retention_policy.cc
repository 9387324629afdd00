#include "service/domain/retention_policy.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "service/domain/settings_file.h"

namespace smptrace::domain {
namespace {

constexpr int kMaxYears = 100;

absl::Status LineError(int line, absl::string_view key, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line, ": ", key, ": ", why));
}

absl::StatusOr<RetentionPeriod> ParsePeriod(int line, absl::string_view key,
                                            absl::string_view value) {
  const std::vector<absl::string_view> words =
      absl::StrSplit(value, ' ', absl::SkipWhitespace());
  int n = 0;
  if (words.size() != 2 || !absl::SimpleAtoi(words[0], &n)) {
    return LineError(
        line, key,
        absl::StrCat("expected 'N years' or 'N days', got '", value, "'"));
  }
  const std::string unit = absl::AsciiStrToLower(words[1]);
  RetentionPeriod period;
  period.line = line;
  if (unit == "year" || unit == "years") {
    period.years = n;
  } else if (unit == "day" || unit == "days") {
    period.days = n;
  } else {
    return LineError(
        line, key,
        absl::StrCat("the unit is years or days, got '", words[1], "'"));
  }
  if (n < 1 || period.years > kMaxYears || period.days > kMaxYears * 366) {
    return LineError(line, key,
                     absl::StrCat("between 1 day and ", kMaxYears,
                                  " years, got '", value, "'"));
  }
  return period;
}

}  // namespace

absl::CivilDay RetentionPeriod::After(absl::CivilDay from) const {
  return absl::CivilDay(from.year() + years, from.month(), from.day()) + days;
}

std::string RetentionPeriod::Text() const {
  if (years > 0 && days > 0) {
    return absl::StrCat(years, years == 1 ? " year" : " years", " and ", days,
                        days == 1 ? " day" : " days");
  }
  if (years > 0) return absl::StrCat(years, years == 1 ? " year" : " years");
  return absl::StrCat(days, days == 1 ? " day" : " days");
}

absl::CivilDay RetentionPolicy::ClientDueOn(absl::CivilDay last_visit) const {
  absl::CivilDay due = client_personal_data.After(last_visit);
  if (procedure_records.set()) {
    due = std::max(due, procedure_records.After(last_visit));
  }
  return due;
}

std::string RetentionPolicy::ClientRuleText() const {
  return absl::StrCat(
      "client_personal_data: ", client_personal_data.Text(),
      " after the last visit",
      procedure_records.set()
          ? absl::StrCat(" (procedure_records ", procedure_records.Text(), ")")
          : "",
      ", retention.conf line ", client_personal_data.line,
      ", erase = ", erase_automatically ? "automatic" : "approval");
}

absl::StatusOr<RetentionPolicy> ParseRetentionPolicy(std::string_view text) {
  absl::StatusOr<std::vector<SettingLine>> settings = ParseSettingLines(text);
  if (!settings.ok()) return settings.status();
  RetentionPolicy policy;
  policy.configured = true;
  std::map<std::string, int> lines;  // key → the line it was set on
  for (const auto& [line, key, value] : *settings) {
    const auto [it, inserted] = lines.emplace(std::string(key), line);
    RetentionPeriod* period = nullptr;
    if (key == "client_personal_data.keep") {
      period = &policy.client_personal_data;
    } else if (key == "procedure_records.keep") {
      period = &policy.procedure_records;
    } else if (key == "stock_records.keep") {
      period = &policy.stock_records;
    } else if (key != "client_personal_data.erase" && key != "legal_basis") {
      if (key == "procedure_records.erase" || key == "stock_records.erase") {
        return LineError(
            line, key,
            "procedure and stock records are never erased: they are the "
            "traceability record the body-art codes ask to keep, on an "
            "append-only journal (past their period they are listed); the "
            "personal data linked to a procedure goes with "
            "client_personal_data. Remove the line");
      }
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line, ": unknown key '", key,
                       "'; the keys are client_personal_data.keep, "
                       "client_personal_data.erase, procedure_records.keep, "
                       "stock_records.keep and legal_basis"));
    }
    if (!inserted) {
      return LineError(line, key,
                       absl::StrCat("already set on line ", it->second));
    }
    if (value.empty()) {
      return LineError(line, key, "blank; write the value after '='");
    }
    if (period != nullptr) {
      absl::StatusOr<RetentionPeriod> parsed = ParsePeriod(line, key, value);
      if (!parsed.ok()) return parsed.status();
      *period = *parsed;
    } else if (key == "client_personal_data.erase") {
      if (value == "automatic") {
        policy.erase_automatically = true;
      } else if (value != "approval") {
        return LineError(
            line, key,
            absl::StrCat("expected automatic or approval, got '", value, "'"));
      }
      policy.erase_line = line;
    } else {
      if (value.size() > 200) {
        return LineError(line, key, "longer than 200 characters");
      }
      policy.legal_basis = std::string(value);
    }
  }
  if (!policy.client_personal_data.set()) {
    return absl::InvalidArgumentError(
        "client_personal_data.keep: not set; add how long a client's "
        "personal data is kept after their last visit, e.g. "
        "'client_personal_data.keep = 3 years'");
  }
  return policy;
}

}  // namespace smptrace::domain
