// What the CLI prints: aligned tables for people, JSON for scripts.
#ifndef SMPTRACE_CLIENT_OUTPUT_H_
#define SMPTRACE_CLIENT_OUTPUT_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::client {

// A text table with a header row; columns sized to their widest cell.
class Table {
 public:
  explicit Table(std::vector<std::string> header)
      : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// `message` as one line of JSON with the proto field names.
std::string ToJson(const google::protobuf::Message& message);

// "2027-03-31"; "-" when unset.
std::string FormatDay(const v1::Date& d);

// "2026-11-23 19:21:07Z"; "-" when unset.
std::string FormatTime(const google::protobuf::Timestamp& t);

// An enum value's name without its type prefix, lower-cased:
// PRODUCT_KIND_NEEDLE_CARTRIDGE -> "needle_cartridge".
std::string ShortEnumName(const std::string& full, const std::string& prefix);

// The reverse: "open" with prefix "SESSION_STATUS_" -> SESSION_STATUS_OPEN;
// the enum's 0 value if there is no such name (check names with
// CLI::IsMember first).
template <typename Enum>
Enum FromShortName(const std::string& prefix, const std::string& name) {
  const google::protobuf::EnumValueDescriptor* value =
      google::protobuf::GetEnumDescriptor<Enum>()->FindValueByName(
          prefix + absl::AsciiStrToUpper(name));
  return static_cast<Enum>(value == nullptr ? 0 : value->number());
}

// Writes `bytes` to the file at `path` (replacing it) and says so on stderr
// ("<what> written to <path>"); false, with an error on stderr, if it
// cannot.
bool WriteDocument(const std::string& path, const std::string& bytes,
                   const std::string& what);

// Parses a --from/--to day "YYYY-MM-DD" as the start of that day (UTC, as
// every time the CLI prints); on failure sets `error` naming `flag`.
bool ParseDayStart(const std::string& text, const std::string& flag,
                   google::protobuf::Timestamp* out, std::string* error);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_OUTPUT_H_
