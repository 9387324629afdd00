// ToJson(): protobuf's JSON with 64-bit integers as numbers.
#include "client/output.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "smptrace/v1/admin.pb.h"
#include "smptrace/v1/ledger.pb.h"

namespace smptrace::client {
namespace {

TEST(ToJson, PrintsSixtyFourBitIntegersAsNumbers) {
  v1::StockCounts counts;
  counts.set_in_stock(3);
  counts.set_received(9007199254740993);  // beyond a double's exact range
  counts.set_opened(-2);
  EXPECT_EQ(ToJson(counts),
            R"({"in_stock":3,"received":9007199254740993,"opened":-2})");
}

TEST(ToJson, KeepsFieldOrderAndFormsOfNestedMessagesMapsAndTimes) {
  v1::AuthStats stats;
  stats.mutable_since()->set_seconds(1764460800);  // 2025-11-30T00:00:00Z
  stats.set_unauthenticated(12);
  (*stats.mutable_by_reason())["token revoked"] = 4;
  v1::AuthRefusal* refusal = stats.add_recent();
  refusal->set_code("UNAUTHENTICATED");
  refusal->set_who("say \"hi\"\n");
  EXPECT_EQ(ToJson(stats),
            R"({"since":"2025-11-30T00:00:00Z","unauthenticated":12,)"
            R"("by_reason":{"token revoked":4},)"
            R"("recent":[{"code":"UNAUTHENTICATED","who":"say \"hi\"\n"}]})");
}

TEST(JsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonString("a\"b\\c\x1d\t"), R"("a\"b\\c\u001d\t")");
  EXPECT_EQ(JsonString("Cartridge · lot"), "\"Cartridge · lot\"");
}

}  // namespace
}  // namespace smptrace::client

namespace smptrace::client {
namespace {

std::string Printed(const Table& table, size_t width) {
  std::ostringstream out;
  table.Print(out, width);
  return out.str();
}

size_t WidestLine(const std::string& text) {
  size_t widest = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    // Display width: UTF-8 continuation bytes take no column.
    widest = std::max<size_t>(
        widest, std::count_if(line.begin(), line.end(), [](char c) {
          return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
        }));
  }
  return widest;
}

Table Exceptions() {
  Table t({"SESSION", "KIND", "DETAIL", "SEQ"});
  t.AddRow({"SES-000002", "reuse_attempt",
            "unit 09506000134352 serial SMP000000001 (Cartridge 1RL 0.25 lot "
            "CT-2291) was already used and disposed into SHC-000001: "
            "single-use, never reuse it",
            "28"});
  t.AddRow({"SES-000003", "scan_voided", "scan 19 voided", "31"});
  return t;
}

TEST(Table, IntoAPipeEveryRowIsOneLineWhateverItsWidth) {
  const std::string text = Printed(Exceptions(), 0);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_GT(WidestLine(text), 100u);
}

TEST(Table, AColumnOfWordsWrapsToFitTheWidthKeepingEveryWord) {
  const std::string text = Printed(Exceptions(), 100);
  EXPECT_LE(WidestLine(text), 100u) << text;
  EXPECT_THAT(text, ::testing::StartsWith("SESSION     KIND           DETAIL"));
  // The long detail goes on under its own column; nothing is lost.
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  ASSERT_GE(lines.size(), 4u);
  EXPECT_THAT(lines[1],
              ::testing::StartsWith("SES-000002  reuse_attempt  unit "));
  EXPECT_THAT(lines[1], ::testing::EndsWith("28"));
  EXPECT_THAT(lines[2], ::testing::StartsWith(std::string(27, ' ')));
  std::string words;
  for (const auto& line : lines) absl::StrAppend(&words, line, " ");
  for (absl::string_view word :
       {"SHC-000001:", "single-use,", "never", "reuse", "it"}) {
    EXPECT_THAT(words, ::testing::HasSubstr(std::string(word))) << text;
  }
}

TEST(Table, ColumnsThatCannotFitGoToASecondBandKeyedByTheFirst) {
  Table t({"GTIN", "PRODUCT", "LOT", "EXPIRES", "IN STOCK", "USABLE",
           "QUARANTINED"});
  t.AddRow({"09506000134352", "Cartridge 1RL 0.25", "CT-2291", "2027-12-31",
            "10", "10", "0"});
  const std::string text = Printed(t, 60);
  EXPECT_LE(WidestLine(text), 60u) << text;
  EXPECT_THAT(text, ::testing::HasSubstr("\n\nGTIN            "));
  // Both bands carry the row's key.
  size_t first = text.find("09506000134352");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(text.find("09506000134352", first + 1), std::string::npos) << text;
  EXPECT_THAT(text, ::testing::HasSubstr("QUARANTINED"));
}

}  // namespace
}  // namespace smptrace::client
