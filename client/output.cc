#include "client/output.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"

namespace smptrace::client {
namespace {

// Display width of UTF-8 text: count code points, not bytes.
size_t Width(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  });
}

}  // namespace

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - Width(row[i]) + 2, ' ');
    }
    out << line << "\n";
  };
  print(header_);
  for (const auto& row : rows_) print(row);
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string FormatDay(const v1::Date& d) {
  if (d.year() == 0) return "-";
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string FormatTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%SZ",
                          absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

std::string ShortEnumName(const std::string& full, const std::string& prefix) {
  std::string name = full;
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

bool WriteDocument(const std::string& path, const std::string& bytes,
                   const std::string& what) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << bytes;
  if (!file.flush()) {
    std::cerr << "error: cannot write " << path << "\n";
    return false;
  }
  std::cerr << what << " written to " << path << "\n";
  return true;
}

bool ParseDayStart(const std::string& text, const std::string& flag,
                   google::protobuf::Timestamp* out, std::string* error) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    *error = flag + ": '" + text + "' is not a date (YYYY-MM-DD)";
    return false;
  }
  out->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(day, absl::UTCTimeZone())));
  return true;
}

}  // namespace smptrace::client
