#include "client/output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clinic_time.h"
#include "google/protobuf/struct.pb.h"
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

namespace {

constexpr size_t kGap = 2;
constexpr size_t kMinWrappedWidth = 24;

// `text` in lines of at most `width` (words longer than that stand alone).
std::vector<std::string> WrapWords(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!line.empty() && Width(line) + 1 + Width(std::string(word)) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    absl::StrAppend(&line, word);
  }
  lines.push_back(std::move(line));
  return lines;
}

size_t LongestWord(const std::string& text) {
  size_t longest = 0;
  for (absl::string_view word : absl::StrSplit(text, ' ')) {
    longest = std::max(longest, Width(std::string(word)));
  }
  return longest;
}

size_t TotalWidth(const std::vector<size_t>& widths,
                  const std::vector<size_t>& columns) {
  size_t total = 0;
  for (size_t c : columns) total += widths[c] + kGap;
  return total == 0 ? 0 : total - kGap;
}

}  // namespace

size_t Table::TerminalColumns() {
  if (isatty(STDOUT_FILENO) == 0) return 0;
  struct winsize size;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  size_t columns = 0;
  const char* env = std::getenv("COLUMNS");
  if (env != nullptr && absl::SimpleAtoi(env, &columns) && columns > 0) {
    return columns;
  }
  return 100;
}

void Table::Print(std::ostream& out, size_t max_width) const {
  const size_t n = header_.size();
  std::vector<size_t> widths(n, 0), floor(n, 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < n; ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
      floor[i] =
          std::max(floor[i], std::max(kMinWrappedWidth, LongestWord(row[i])));
    }
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  // The narrowest a column of words may wrap to: never below
  // kMinWrappedWidth, nor its longest word; other columns keep their width.
  for (size_t i = 0; i < n; ++i) floor[i] = std::min(floor[i], widths[i]);
  // Bands of columns that fit when wrapped as far as they may; every band
  // after the first starts with the first column, the row's key.
  std::vector<std::vector<size_t>> bands(1);
  for (size_t i = 0; i < n; ++i) {
    std::vector<size_t> with = bands.back();
    with.push_back(i);
    const size_t keys = bands.size() > 1 ? 1 : 0;
    if (max_width > 0 && bands.back().size() > keys &&
        TotalWidth(floor, with) > max_width) {
      bands.push_back({0, i});
    } else {
      bands.back() = std::move(with);
    }
  }
  // In each band the widest column of words gives up width first.
  std::vector<std::vector<size_t>> band_widths(bands.size(), widths);
  for (size_t b = 0; b < bands.size(); ++b) {
    std::vector<size_t>& w = band_widths[b];
    while (max_width > 0 && TotalWidth(w, bands[b]) > max_width) {
      size_t widest = n;
      for (size_t c : bands[b]) {
        if (w[c] > floor[c] && (widest == n || w[c] > w[widest])) widest = c;
      }
      if (widest == n) break;
      const size_t excess = TotalWidth(w, bands[b]) - max_width;
      w[widest] -= std::min(excess, w[widest] - floor[widest]);
    }
  }
  auto print = [&](const std::vector<std::string>& row,
                   const std::vector<size_t>& band,
                   const std::vector<size_t>& width) {
    std::vector<std::vector<std::string>> cells;
    size_t height = 1;
    for (size_t c : band) {
      const std::string& text = c < row.size() ? row[c] : std::string();
      cells.push_back(Width(text) <= width[c] ? std::vector<std::string>{text}
                                              : WrapWords(text, width[c]));
      height = std::max(height, cells.back().size());
    }
    for (size_t h = 0; h < height; ++h) {
      std::string line;
      for (size_t k = 0; k < band.size(); ++k) {
        const std::string cell = h < cells[k].size() ? cells[k][h] : "";
        line += cell;
        if (k + 1 < band.size()) {
          line.append(
              width[band[k]] - std::min(width[band[k]], Width(cell)) + kGap,
              ' ');
        }
      }
      // A wrapped line ends where its text does.
      if (max_width > 0) line.erase(line.find_last_not_of(' ') + 1);
      out << line << "\n";
    }
  };
  for (size_t b = 0; b < bands.size(); ++b) {
    if (b > 0) out << "\n";
    print(header_, bands[b], band_widths[b]);
    for (const auto& row : rows_) print(row, bands[b], band_widths[b]);
  }
}

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Value;

// One JSON leaf (string, number, bool, null) as protobuf prints it.
std::string LeafJson(const Value& leaf) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(leaf, &json);
  return json;
}

bool IsInteger(const std::string& s) {
  size_t i = s[0] == '-' ? 1 : 0;
  return i < s.size() && std::all_of(s.begin() + i, s.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

bool Is64BitInteger(const FieldDescriptor* field) {
  return field != nullptr &&
         (field->cpp_type() == FieldDescriptor::CPPTYPE_INT64 ||
          field->cpp_type() == FieldDescriptor::CPPTYPE_UINT64);
}

// The message type whose fields `value`'s keys name, or nullptr when they
// are not fields (well-known types print in their own JSON form).
const Descriptor* FieldsOf(const FieldDescriptor* field) {
  if (field == nullptr || field->message_type() == nullptr) return nullptr;
  const Descriptor* type = field->message_type();
  if (absl::StartsWith(type->full_name(), "google.protobuf.")) return nullptr;
  return type;
}

// `value` (protobuf's JSON of a message of type `type`, parsed) printed
// again, with the 64-bit integer fields that protobuf quoted as numbers.
// `field`: the field `value` is the value of (nullptr at the top, or when it
// is no field's).
void PrintJson(const Value& value, const FieldDescriptor* field,
               const Descriptor* type, std::string* out);

void PrintElement(const Value& value, const FieldDescriptor* field,
                  std::string* out) {
  PrintJson(value, field, FieldsOf(field), out);
}

void PrintJson(const Value& value, const FieldDescriptor* field,
               const Descriptor* type, std::string* out) {
  switch (value.kind_case()) {
    case Value::kStructValue: {
      // A map's keys are data, its values of the entry's "value" field;
      // otherwise the keys are `type`'s fields, printed in field order (a
      // parsed Struct has none).
      const bool is_map = field != nullptr && field->is_map();
      auto field_of = [&](const std::string& key) -> const FieldDescriptor* {
        if (is_map) return field->message_type()->map_value();
        return type == nullptr ? nullptr : type->FindFieldByName(key);
      };
      std::vector<std::pair<int, const std::string*>> keys;
      for (const auto& [key, member] : value.struct_value().fields()) {
        const FieldDescriptor* f = is_map ? nullptr : field_of(key);
        keys.emplace_back(f == nullptr ? 0 : f->number(), &key);
      }
      std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : *a.second < *b.second;
      });
      out->push_back('{');
      for (size_t i = 0; i < keys.size(); ++i) {
        const std::string& key = *keys[i].second;
        if (i > 0) out->push_back(',');
        absl::StrAppend(out, JsonString(key), ":");
        PrintElement(value.struct_value().fields().at(key), field_of(key), out);
      }
      out->push_back('}');
      return;
    }
    case Value::kListValue: {
      out->push_back('[');
      bool first = true;
      for (const Value& element : value.list_value().values()) {
        if (!first) out->push_back(',');
        first = false;
        PrintJson(element, field, type, out);
      }
      out->push_back(']');
      return;
    }
    case Value::kStringValue:
      if (Is64BitInteger(field) && IsInteger(value.string_value())) {
        out->append(value.string_value());
        return;
      }
      break;
    case Value::kNullValue:
    case Value::kNumberValue:
    case Value::kBoolValue:
    case Value::KIND_NOT_SET:
      break;
  }
  out->append(LeafJson(value));
}

}  // namespace

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  // Protobuf has no option to print 64-bit integers unquoted: read its JSON
  // back as a tree and print it again, guided by the message's fields.
  Value tree;
  if (!google::protobuf::util::JsonStringToMessage(json, &tree).ok()) {
    return json;
  }
  std::string out;
  PrintJson(tree, nullptr, message.GetDescriptor(), &out);
  return out;
}

void PrintOtherElements(
    const google::protobuf::RepeatedPtrField<v1::BarcodeElement>& elements) {
  for (const v1::BarcodeElement& e : elements) {
    std::cout << "  also in the barcode, not recorded: (" << e.ai() << ") "
              << (e.title().empty() ? "" : e.title() + " ") << e.value()
              << std::endl;
  }
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

}  // namespace smptrace::client
