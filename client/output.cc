#include "client/output.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clinic_time.h"
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

namespace {

struct DisplayZone {
  absl::Mutex mu;
  std::string name ABSL_GUARDED_BY(mu) = "UTC";
  absl::TimeZone zone ABSL_GUARDED_BY(mu) = absl::UTCTimeZone();
};

DisplayZone& Display() {
  static DisplayZone* display = new DisplayZone;
  return *display;
}

}  // namespace

void UseClinicZone(const std::string& zone_name) {
  DisplayZone& d = Display();
  absl::MutexLock lock(&d.mu);
  if (zone_name == d.name) return;
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(zone_name, &zone)) return;
  d.name = zone_name;
  d.zone = zone;
}

absl::TimeZone ClinicZone() {
  DisplayZone& d = Display();
  absl::MutexLock lock(&d.mu);
  return d.zone;
}

std::string FormatTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  DisplayZone& d = Display();
  absl::MutexLock lock(&d.mu);
  return FormatClinicTime(absl::FromUnixSeconds(t.seconds()), d.zone);
}

std::string ShortEnumName(const std::string& full, const std::string& prefix) {
  std::string name = full;
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

}  // namespace smptrace::client
