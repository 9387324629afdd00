// The stored format: the journal's events and the state records are
// protobuf messages, many of them the public API's own (Product, Lot,
// Session, ...). So a change to the API can silently change what is on
// disk. This test compares every message and enum reachable from what the
// store keeps against a checked-in snapshot, proto/stored_format.txt:
// removing, renumbering, retyping or renaming a stored field (or enum value)
// fails; adding one fails until the snapshot is updated, on purpose, with
// the change (docs/storage-format.md has the rule).
//
// To update the snapshot after an intended, compatible addition:
//   SMPTRACE_UPDATE_STORED_FORMAT=1 build/tests/stored_format_test
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "smptrace/v1/journal.pb.h"
#include "smptrace/v1/ledger.pb.h"

namespace smptrace {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::EnumDescriptor;
using ::google::protobuf::FieldDescriptor;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kSnapshotPath[] = SMPTRACE_SOURCE_DIR "/proto/stored_format.txt";

// What the store keeps, as protobuf: the journal's events (hashed, kept for
// ever) and the records of the state and idempotency column families
// (rebuilt from the journal, but read by the next version of the server).
std::vector<const Descriptor*> StoredRoots() {
  return {
      v1::Event::descriptor(),
      v1::IdempotencyRecord::descriptor(),
      v1::Product::descriptor(),
      v1::Supplier::descriptor(),
      v1::Location::descriptor(),
      v1::Lot::descriptor(),
      v1::Unit::descriptor(),
      v1::StockCounts::descriptor(),
      v1::ReorderPolicy::descriptor(),
      v1::PurchaseOrder::descriptor(),
      v1::Client::descriptor(),
      v1::ClientContact::descriptor(),
      v1::Session::descriptor(),
      v1::Container::descriptor(),
      v1::ScreeningOverrideApproval::descriptor(),
      v1::RecallCase::descriptor(),
      v1::Principal::descriptor(),
      v1::StoredToken::descriptor(),
  };
}

std::string Label(const FieldDescriptor& f) {
  if (f.is_repeated()) return "repeated";
  return f.has_optional_keyword() ? "optional" : "singular";
}

std::string Type(const FieldDescriptor& f) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return f.message_type()->full_name();
    case FieldDescriptor::CPPTYPE_ENUM:
      return f.enum_type()->full_name();
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_BOOL:
    case FieldDescriptor::CPPTYPE_STRING:
      break;
  }
  return f.type_name();  // the wire type: int32 vs sint32, string vs bytes
}

// The stored format as text: per message and enum reachable from
// StoredRoots(), sorted by name, one line per field ("  NUMBER NAME LABEL
// TYPE [oneof NAME]") or enum value ("  NUMBER NAME").
std::string DescribeStoredFormat() {
  std::map<std::string, const Descriptor*> messages;
  std::map<std::string, const EnumDescriptor*> enums;
  std::vector<const Descriptor*> todo = StoredRoots();
  while (!todo.empty()) {
    const Descriptor* d = todo.back();
    todo.pop_back();
    if (!messages.emplace(d->full_name(), d).second) continue;
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->message_type() != nullptr) todo.push_back(f->message_type());
      if (f->enum_type() != nullptr) {
        enums.emplace(f->enum_type()->full_name(), f->enum_type());
      }
    }
  }
  std::string out;
  for (const auto& [name, d] : messages) {
    absl::StrAppend(&out, "message ", name, "\n");
    std::vector<const FieldDescriptor*> fields;
    for (int i = 0; i < d->field_count(); ++i) fields.push_back(d->field(i));
    std::sort(fields.begin(), fields.end(),
              [](auto* a, auto* b) { return a->number() < b->number(); });
    for (const FieldDescriptor* f : fields) {
      absl::StrAppend(&out, "  ", f->number(), " ", f->name(), " ", Label(*f),
                      " ", Type(*f));
      if (f->real_containing_oneof() != nullptr) {
        absl::StrAppend(&out, " oneof ", f->real_containing_oneof()->name());
      }
      absl::StrAppend(&out, "\n");
    }
  }
  for (const auto& [name, e] : enums) {
    absl::StrAppend(&out, "enum ", name, "\n");
    std::map<int, std::string> values;
    for (int i = 0; i < e->value_count(); ++i) {
      values.emplace(e->value(i)->number(), e->value(i)->name());
    }
    for (const auto& [number, value] : values) {
      absl::StrAppend(&out, "  ", number, " ", value, "\n");
    }
  }
  return out;
}

// A described format, parsed: "message X" / "enum X" -> number -> the rest
// of its line (name, label, type, oneof).
using Format = std::map<std::string, std::map<std::string, std::string>>;

Format ParseFormat(const std::string& text) {
  Format format;
  std::string current;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    if (!absl::StartsWith(line, " ")) {
      current = std::string(line);
      format[current];
      continue;
    }
    line = absl::StripLeadingAsciiWhitespace(line);
    const size_t space = line.find(' ');
    format[current][std::string(line.substr(0, space))] =
        std::string(line.substr(space + 1));
  }
  return format;
}

// What differs between the checked-in `snapshot` and the `current` format:
// one sentence per difference, saying what to do.
std::vector<std::string> CompareStoredFormat(const std::string& snapshot,
                                             const std::string& current) {
  const Format before = ParseFormat(snapshot);
  const Format now = ParseFormat(current);
  std::vector<std::string> problems;
  for (const auto& [type, fields] : before) {
    auto it = now.find(type);
    if (it == now.end()) {
      problems.push_back(absl::StrCat(
          type,
          " is no longer stored (removed, renamed, or no longer "
          "reachable from a stored message): what is on disk still "
          "holds it; keep it, and the field that reaches it"));
      continue;
    }
    for (const auto& [number, rest] : fields) {
      auto field = it->second.find(number);
      if (field == it->second.end()) {
        problems.push_back(absl::StrCat(
            type, ": ", number, " ", rest,
            " was removed or renumbered: stored records and journal events "
            "hold it; keep the number and name (mark it [deprecated = true] "
            "if it is no longer written)"));
      } else if (field->second != rest) {
        problems.push_back(absl::StrCat(
            type, ": ", number, " changed from '", rest, "' to '",
            field->second,
            "': stored bytes are read with the old meaning; add a new field "
            "with a new number instead"));
      }
    }
  }
  std::vector<std::string> added;
  for (const auto& [type, fields] : now) {
    auto it = before.find(type);
    for (const auto& [number, rest] : fields) {
      if (it == before.end() || it->second.count(number) == 0) {
        added.push_back(absl::StrCat(type, ": ", number, " ", rest));
      }
    }
    if (it == before.end() && fields.empty()) added.push_back(type);
  }
  if (!added.empty()) {
    problems.push_back(absl::StrCat(
        "new in the stored format (fine if meant: an added field is read as "
        "its default from older records; see docs/storage-format.md):\n  ",
        absl::StrJoin(added, "\n  "),
        "\nupdate the snapshot and commit it with the change: "
        "SMPTRACE_UPDATE_STORED_FORMAT=1 build/tests/stored_format_test"));
  }
  return problems;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr char kSnapshotHeader[] =
    "# The stored format (generated by tests/proto/stored_format_test.cc;\n"
    "# docs/storage-format.md has the rule). Every message and enum that\n"
    "# journal events and state records hold: per message, its fields\n"
    "# (number name label type [oneof]); per enum, its values. A field here\n"
    "# is on disk: never remove, renumber, retype or rename it.\n";

TEST(StoredFormat, MatchesTheCheckedInSnapshot) {
  const std::string current = DescribeStoredFormat();
  if (std::getenv("SMPTRACE_UPDATE_STORED_FORMAT") != nullptr) {
    std::ofstream out(kSnapshotPath, std::ios::trunc);
    out << kSnapshotHeader << current;
    ASSERT_TRUE(out.flush()) << "cannot write " << kSnapshotPath;
    GTEST_SKIP() << "wrote " << kSnapshotPath;
  }
  const std::string snapshot = ReadFile(kSnapshotPath);
  ASSERT_FALSE(snapshot.empty()) << "cannot read " << kSnapshotPath;
  EXPECT_THAT(CompareStoredFormat(snapshot, current), IsEmpty());
}

// The comparison itself, on the real format with one line changed.
class StoredFormatChange : public ::testing::Test {
 protected:
  // The current format with `from` replaced by `to` in the entry of
  // smptrace.v1.Event (or, with `entry`, of that message or enum).
  std::string With(const std::string& from, const std::string& to,
                   const std::string& entry = "message smptrace.v1.Event\n") {
    std::string text = current_;
    const size_t start = text.find(entry);
    const size_t at =
        start == std::string::npos ? start : text.find(from, start);
    EXPECT_NE(at, std::string::npos) << entry << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }
  const std::string current_ = DescribeStoredFormat();
};

TEST_F(StoredFormatChange, ListsTheJournalEventsAndTheirApiMessages) {
  EXPECT_THAT(current_, HasSubstr("message smptrace.v1.Event\n"
                                  "  1 time singular google.protobuf."
                                  "Timestamp\n"));
  EXPECT_THAT(current_, HasSubstr("  10 product_recorded singular "
                                  "smptrace.v1.ProductRecorded oneof payload"));
  EXPECT_THAT(current_, HasSubstr("message smptrace.v1.Product\n"));
  EXPECT_THAT(current_, HasSubstr("enum smptrace.v1.LotStatus\n"));
}

TEST_F(StoredFormatChange, ARemovedFieldFails) {
  const std::string snapshot =
      With("message smptrace.v1.Event\n",
           "message smptrace.v1.Event\n  4 old_note singular string\n");
  EXPECT_THAT(CompareStoredFormat(snapshot, current_),
              ElementsAre(HasSubstr("smptrace.v1.Event: 4 old_note singular "
                                    "string was removed or renumbered")));
}

TEST_F(StoredFormatChange, ARenumberedFieldFails) {
  const std::string renumbered =
      With("  2 actor singular string\n", "  4 actor singular string\n");
  EXPECT_THAT(
      CompareStoredFormat(current_, renumbered),
      ElementsAre(HasSubstr("smptrace.v1.Event: 2 actor singular string was "
                            "removed or renumbered"),
                  HasSubstr("smptrace.v1.Event: 4 actor singular string")));
}

TEST_F(StoredFormatChange, ARetypedOrRenamedFieldFails) {
  EXPECT_THAT(CompareStoredFormat(current_, With("  2 actor singular string\n",
                                                 "  2 actor singular bytes\n")),
              ElementsAre(HasSubstr("smptrace.v1.Event: 2 changed from 'actor "
                                    "singular string' to 'actor singular "
                                    "bytes'")));
  EXPECT_THAT(CompareStoredFormat(current_, With("  2 actor singular string\n",
                                                 "  2 by singular string\n")),
              ElementsAre(HasSubstr("changed from 'actor singular string' to "
                                    "'by singular string'")));
}

TEST_F(StoredFormatChange, AnAddedFieldAsksForTheSnapshotToBeUpdated) {
  const std::string added =
      With("  2 actor singular string\n",
           "  2 actor singular string\n  4 note singular string\n");
  EXPECT_THAT(
      CompareStoredFormat(current_, added),
      ElementsAre(AllOf(HasSubstr("smptrace.v1.Event: 4 note singular string"),
                        HasSubstr("SMPTRACE_UPDATE_STORED_FORMAT=1 "
                                  "build/tests/stored_format_test"))));
}

TEST_F(StoredFormatChange, AnEnumValueIsStoredToo) {
  const std::string snapshot =
      With("enum smptrace.v1.LotStatus\n",
           "enum smptrace.v1.LotStatus\n  9 LOT_STATUS_WITHDRAWN\n",
           "enum smptrace.v1.LotStatus\n");
  EXPECT_THAT(CompareStoredFormat(snapshot, current_),
              ElementsAre(HasSubstr("smptrace.v1.LotStatus: 9 "
                                    "LOT_STATUS_WITHDRAWN was removed")));
}

}  // namespace
}  // namespace smptrace
