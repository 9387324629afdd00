// ToJson(): protobuf's JSON with 64-bit integers as numbers.
#include "client/output.h"

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
