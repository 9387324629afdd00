#include "client/output.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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
