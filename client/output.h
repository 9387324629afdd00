// What the CLI prints: aligned tables for people, JSON for scripts.
#ifndef SMPTRACE_CLIENT_OUTPUT_H_
#define SMPTRACE_CLIENT_OUTPUT_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "common/json.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::client {

// A text table with a header row; columns sized to their widest cell.
//
// At a terminal a table fits the terminal's width (TerminalColumns()):
// columns of words wrap onto continuation lines, and when that is not
// enough the columns that do not fit go to a second band below, each row
// keyed by its first column. Into a pipe or a file every row is one line,
// whatever its width, for scripts.
class Table {
 public:
  explicit Table(std::vector<std::string> header)
      : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void Print(std::ostream& out) const { Print(out, TerminalColumns()); }
  // Fits `max_width` columns; 0 = no limit.
  void Print(std::ostream& out, size_t max_width) const;

  // The width of the terminal on standard output (its window size, else
  // $COLUMNS, else 100); 0 when standard output is not a terminal.
  static size_t TerminalColumns();

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// `message` as one line of JSON with the proto field names. Unlike
// protobuf's JSON mapping, which quotes 64-bit integers ("count": "3"),
// integers are JSON numbers ("count": 3), exactly as stored: scripts read
// counts, sequence numbers and sizes as numbers. Enums print as their names,
// times as RFC 3339 strings, bytes as base64.
std::string ToJson(const google::protobuf::Message& message);

// "2027-03-31"; "-" when unset.
std::string FormatDay(const v1::Date& d);

// Below a scan's result line, one line per GS1 AI the barcode carried that
// smptrace does not record: "  also in the barcode, not recorded: (3103)
// NET WEIGHT (kg) 000150". Nothing when there are none.
void PrintOtherElements(
    const google::protobuf::RepeatedPtrField<v1::BarcodeElement>& elements);

// In the clinic's time zone with its offset, as the server's certificates
// write it (common/clinic_time.h): "2026-11-23 19:21 +00:00"; "-" when
// unset. The zone is the one the server last named (UseClinicZone), UTC
// until then.
std::string FormatTime(const google::protobuf::Timestamp& t);

// Shows times in `zone_name` (an IANA name, as smptraced sends it in the
// kClinicTimeZoneHeader response header) from now on; a name this machine
// cannot load (no tzdata) leaves times in UTC, still with the offset.
void UseClinicZone(const std::string& zone_name);

// The zone FormatTime() uses (the clinic's, once the server has answered).
absl::TimeZone ClinicZone();

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

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_OUTPUT_H_
