// ToJson(): protobuf's JSON with 64-bit integers as numbers.
#include "client/output.h"

#include <sstream>
#include <string>
#include <vector>

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

TEST(Table, AlignsColumnsOfANarrowTable) {
  Table table({"ID", "NAME"});
  table.AddRow({"LOC-000001", "Clinic · Room 1"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "ID          NAME\n"
            "LOC-000001  Clinic · Room 1\n");
}

TEST(Table, WrapsTheWidestColumnToFitAHundredColumns) {
  const std::string detail =
      "shade Dark Ash · PAO 180d · configuration 1RL 0.25 mm · made by a "
      "manufacturer with a long name · and more words to wrap";
  Table table({"GTIN", "NAME", "DETAIL"});
  table.AddRow({"09506000134352", "SMP pigment Dark Ash", detail});
  std::ostringstream out;
  table.Print(out);
  std::vector<std::string> lines;
  std::string line, words;
  std::istringstream in(out.str());
  while (std::getline(in, line)) {
    lines.push_back(line);
    size_t code_points = 0;
    for (unsigned char c : line) code_points += (c & 0xc0) != 0x80;
    EXPECT_LE(code_points, Table::kMaxWidth) << line;
  }
  ASSERT_GE(lines.size(), 3u) << out.str();
  EXPECT_EQ(lines[1].substr(0, 38), "09506000134352  SMP pigment Dark Ash  ");
  // Nothing lost: the wrapped pieces join to the cell.
  for (size_t i = 1; i < lines.size(); ++i) {
    words += (i > 1 ? " " : "") + lines[i].substr(38);
  }
  EXPECT_EQ(words, detail);
}

TEST(JsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonString("a\"b\\c\x1d\t"), R"("a\"b\\c\u001d\t")");
  EXPECT_EQ(JsonString("Cartridge · lot"), "\"Cartridge · lot\"");
}

}  // namespace
}  // namespace smptrace::client
