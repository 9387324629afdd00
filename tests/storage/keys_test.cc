#include "storage/keys.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::storage::keys {
namespace {

TEST(Uint64Encoding, RoundTripsAndSortsNumerically) {
  const std::vector<uint64_t> values = {0,        1,          255,
                                        256,      65535,      1ULL << 32,
                                        (1ULL << 56) + 7, UINT64_MAX - 1,
                                        UINT64_MAX};
  std::vector<std::string> encoded;
  for (uint64_t v : values) {
    std::string key;
    AppendUint64(&key, v);
    ASSERT_EQ(key.size(), 8u);
    KeyReader r(key);
    uint64_t back = 0;
    ASSERT_TRUE(r.ReadUint64(&back));
    EXPECT_TRUE(r.done());
    EXPECT_EQ(back, v);
    encoded.push_back(key);
  }
  // values are ascending, so byte order must be too.
  EXPECT_TRUE(std::is_sorted(encoded.begin(), encoded.end()));
}

TEST(TextEncoding, RoundTripsEmbeddedZerosAndHighBytes) {
  const std::vector<std::string> texts = {
      "", "LOT1", std::string("A\0B", 3), std::string("\0", 1),
      std::string("\0\xff\x01", 3), "lot-with-ünïcode", "\xff\xff"};
  for (const auto& text : texts) {
    std::string key;
    AppendText(&key, text);
    AppendUint64(&key, 42);  // something after it must still be readable
    KeyReader r(key);
    std::string back;
    uint64_t after = 0;
    ASSERT_TRUE(r.ReadText(&back));
    ASSERT_TRUE(r.ReadUint64(&after));
    EXPECT_TRUE(r.done());
    EXPECT_EQ(back, text);
    EXPECT_EQ(after, 42u);
  }
}

TEST(TextEncoding, ShorterLotNeverPrefixMatchesLongerLot) {
  std::string lot1, lot12;
  AppendText(&lot1, "LOT1");
  AppendText(&lot12, "LOT12");
  EXPECT_FALSE(lot12.compare(0, lot1.size(), lot1) == 0);
  EXPECT_FALSE(lot1.compare(0, lot12.size(), lot12) == 0);
}

TEST(TextEncoding, PreservesByteOrderOfTheText) {
  std::vector<std::string> texts = {"",     std::string("\0", 1), "A",
                                    "A\x01", "AB",                "B",
                                    "LOT1",  "LOT12",             "LOT2",
                                    "a",     "\xff"};
  std::sort(texts.begin(), texts.end());
  std::vector<std::string> encoded;
  for (const auto& t : texts) {
    std::string key;
    AppendText(&key, t);
    AppendUint64(&key, 0);
    encoded.push_back(key);
  }
  EXPECT_TRUE(std::is_sorted(encoded.begin(), encoded.end()));
}

TEST(TextEncoding, RejectsUnterminatedText) {
  KeyReader r(std::string("LOT\0", 4));
  std::string out;
  EXPECT_FALSE(r.ReadText(&out));
  KeyReader r2("LOT");
  EXPECT_FALSE(r2.ReadText(&out));
  KeyReader r3(std::string("L\0\x07", 3));  // bad escape
  EXPECT_FALSE(r3.ReadText(&out));
}

TEST(PrefixEnd, IsTheSmallestKeyAfterEveryKeyWithThePrefix) {
  EXPECT_EQ(PrefixEnd("ab"), "ac");
  EXPECT_EQ(PrefixEnd(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixEnd(std::string("\xff\xff", 2)), "");
  const std::string prefix = StatePrefix(StateTag::kProduct);
  EXPECT_LT(ProductKey("99999999999999"), PrefixEnd(prefix));
  EXPECT_GE(SupplierKey(1), PrefixEnd(prefix));
}

TEST(JournalKey, RoundTripsAndRejectsWrongLength) {
  EXPECT_EQ(*DecodeJournalKey(JournalKey(123456789)), 123456789u);
  EXPECT_LT(JournalKey(9), JournalKey(10));
  EXPECT_FALSE(DecodeJournalKey("short").ok());
}

TEST(StateKeys, RoundTripAndStayInsideTheirTag) {
  EXPECT_EQ(*DecodeProductKey(ProductKey("09506000134352")), "09506000134352");
  EXPECT_EQ(*DecodeSupplierKey(SupplierKey(77)), 77u);
  EXPECT_EQ(*DecodeLocationKey(LocationKey(3)), 3u);
  EXPECT_FALSE(DecodeProductKey(SupplierKey(1)).ok());
  EXPECT_FALSE(DecodeSupplierKey(LocationKey(1)).ok());
  EXPECT_FALSE(DecodeLocationKey(ProductVersionKey("09506000134352", 1)).ok());

  // Versions of one product sort by number and stay under its prefix.
  std::string v2 = ProductVersionKey("09506000134352", 2);
  std::string v10 = ProductVersionKey("09506000134352", 10);
  std::string other = ProductVersionKey("09506000134353", 1);
  EXPECT_LT(v2, v10);
  EXPECT_LT(v10, other);
}

TEST(IndexKeys, ChildrenOfOneParentAreOneContiguousRange) {
  std::string prefix = LocationByParentPrefix(5);
  std::string a = LocationByParentKey(5, 1);
  std::string b = LocationByParentKey(5, UINT64_MAX);
  std::string next_parent = LocationByParentKey(6, 0);
  EXPECT_EQ(a.compare(0, prefix.size(), prefix), 0);
  EXPECT_EQ(b.compare(0, prefix.size(), prefix), 0);
  EXPECT_LT(b, PrefixEnd(prefix));
  EXPECT_GE(next_parent, PrefixEnd(prefix));
  EXPECT_EQ(*DecodeLocationByParentKey(LocationByParentKey(5, 9)), 9u);
}

}  // namespace
}  // namespace smptrace::storage::keys
