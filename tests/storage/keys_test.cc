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
  const std::vector<uint64_t> values = {0,
                                        1,
                                        255,
                                        256,
                                        65535,
                                        1ULL << 32,
                                        (1ULL << 56) + 7,
                                        UINT64_MAX - 1,
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
  const std::vector<std::string> texts = {"",
                                          "LOT1",
                                          std::string("A\0B", 3),
                                          std::string("\0", 1),
                                          std::string("\0\xff\x01", 3),
                                          "lot-with-ünïcode",
                                          "\xff\xff"};
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
  std::vector<std::string> texts = {"",     std::string("\0", 1),
                                    "A",    "A\x01",
                                    "AB",   "B",
                                    "LOT1", "LOT12",
                                    "LOT2", "a",
                                    "\xff"};
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
  // KeyReader reads a view: each key outlives its reader.
  const std::string escape_at_end("LOT\0", 4);
  const std::string bad_escape("L\0\x07", 3);
  std::string out;
  KeyReader r(escape_at_end);
  EXPECT_FALSE(r.ReadText(&out));
  KeyReader r2("LOT");
  EXPECT_FALSE(r2.ReadText(&out));
  KeyReader r3(bad_escape);
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

TEST(IndexKeys, ClientReadKeysGiveBackClientAndSeqAndSortByClientThenSeq) {
  auto entry = DecodeClientReadEntry(ClientReadKey(7, 42));
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->client, 7u);
  EXPECT_EQ(entry->seq, 42u);
  EXPECT_EQ(*DecodeClientReadKey(ClientReadKey(7, 42)), 42u);
  EXPECT_LT(ClientReadKey(7, UINT64_MAX), ClientReadKey(8, 0));
  EXPECT_LT(ClientReadKey(7, 1), ClientReadKey(7, 256));
  const std::string all = IndexPrefix(IndexTag::kClientRead);
  EXPECT_EQ(ClientReadKey(1, 1).compare(0, all.size(), all), 0);
  EXPECT_FALSE(DecodeClientReadEntry(SessionByClientPrefix(7)).ok());
}

const std::string kGtinA = "09506000134352";
const std::string kGtinB = "09506000134369";

bool HasPrefix(const std::string& key, const std::string& prefix) {
  return key.compare(0, prefix.size(), prefix) == 0;
}

TEST(InventoryKeys, LotAndStockKeysRoundTrip) {
  auto lot = DecodeLotKey(LotKey(kGtinA, std::string("AB\0-12", 6)));
  ASSERT_TRUE(lot.ok());
  EXPECT_EQ(lot->gtin, kGtinA);
  EXPECT_EQ(lot->lot, std::string("AB\0-12", 6));
  EXPECT_FALSE(DecodeLotKey(UnitKey(kGtinA, "S1")).ok());

  auto stock = DecodeStockKey(StockKey(kGtinA, "L1", 42));
  ASSERT_TRUE(stock.ok());
  EXPECT_EQ(stock->gtin, kGtinA);
  EXPECT_EQ(stock->lot, "L1");
  EXPECT_EQ(stock->location, 42u);

  auto in_stock = DecodeInStockKey(InStockKey(kGtinA, "L1", 3, "SMP000000001"));
  ASSERT_TRUE(in_stock.ok());
  EXPECT_EQ(*in_stock, "SMP000000001");
  auto by_lot = DecodeUnitByLotKey(UnitByLotKey(kGtinA, "L1", "SN"));
  ASSERT_TRUE(by_lot.ok());
  EXPECT_EQ(*by_lot, "SN");
}

TEST(InventoryKeys, ALotsStockIsOneRangeAndNeverIncludesALongerLot) {
  const std::string prefix = StockPrefix(kGtinA, "LOT1");
  EXPECT_TRUE(HasPrefix(StockKey(kGtinA, "LOT1", 1), prefix));
  EXPECT_TRUE(HasPrefix(StockKey(kGtinA, "LOT1", 99), prefix));
  EXPECT_FALSE(HasPrefix(StockKey(kGtinA, "LOT12", 1), prefix));
  EXPECT_FALSE(HasPrefix(StockKey(kGtinB, "LOT1", 1), prefix));
  EXPECT_TRUE(HasPrefix(StockKey(kGtinA, "LOT12", 1), StockPrefix(kGtinA)));
  const std::string in_stock = InStockPrefix(kGtinA, "LOT1", 7);
  EXPECT_TRUE(HasPrefix(InStockKey(kGtinA, "LOT1", 7, "S"), in_stock));
  EXPECT_FALSE(HasPrefix(InStockKey(kGtinA, "LOT1", 8, "S"), in_stock));
}

TEST(InventoryKeys, LotsByExpirySortByDateThenProductThenLot) {
  const std::vector<std::string> ordered = {
      LotByExpiryKey(20261130, kGtinB, "Z"),
      LotByExpiryKey(20261201, kGtinA, "A"),
      LotByExpiryKey(20261201, kGtinA, "B"),
      LotByExpiryKey(20261201, kGtinB, "A"),
      LotByExpiryKey(kNoExpiry, kGtinA, "A"),
  };
  EXPECT_TRUE(std::is_sorted(ordered.begin(), ordered.end()));
  EXPECT_LT(ordered[0], LotByExpiryFrom(20261201));
  EXPECT_GE(ordered[1], LotByExpiryFrom(20261201));
  auto back = DecodeLotByExpiryKey(ordered[2]);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->expiry, 20261201u);
  EXPECT_EQ(back->lot.gtin, kGtinA);
  EXPECT_EQ(back->lot.lot, "B");
}

TEST(InventoryKeys, StockAtALocationIsByProductThenFefo) {
  const std::vector<std::string> ordered = {
      StockByLocationKey(5, kGtinA, 20270101, "LATE-BUT-A"),
      StockByLocationKey(5, kGtinA, 20270301, "EARLY-NAME"),
      StockByLocationKey(5, kGtinB, 20261201, "B1"),
      StockByLocationKey(6, kGtinA, 20260101, "A0"),
  };
  EXPECT_TRUE(std::is_sorted(ordered.begin(), ordered.end()));
  EXPECT_TRUE(HasPrefix(ordered[1], StockByLocationPrefix(5, kGtinA)));
  EXPECT_FALSE(HasPrefix(ordered[2], StockByLocationPrefix(5, kGtinA)));
  EXPECT_FALSE(HasPrefix(ordered[3], StockByLocationPrefix(5)));
  auto back = DecodeStockByLocationKey(ordered[2]);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->location, 5u);
  EXPECT_EQ(back->expiry, 20261201u);
  EXPECT_EQ(back->lot.gtin, kGtinB);
  EXPECT_EQ(back->lot.lot, "B1");
}

TEST(LookbackKeys, ALotsRowsAreOneRangeByUnitThenSessionWithTheUnitFirst) {
  const std::string prefix = LotTracePrefix(kGtinA, "LOT1");
  const std::vector<std::string> in_order = {
      LotTraceKey(kGtinA, "LOT1", "S1", 0),  // the unit's own row first
      LotTraceKey(kGtinA, "LOT1", "S1", 2),
      LotTraceKey(kGtinA, "LOT1", "S1", 300),
      LotTraceKey(kGtinA, "LOT1", "S10", 0),  // "S1" never prefix-matches
      LotTraceKey(kGtinA, "LOT1", "S2", 1),
  };
  EXPECT_TRUE(std::is_sorted(in_order.begin(), in_order.end()));
  for (const std::string& key : in_order) {
    EXPECT_TRUE(HasPrefix(key, prefix));
  }
  EXPECT_FALSE(HasPrefix(LotTraceKey(kGtinA, "LOT12", "S1", 0), prefix));
  EXPECT_FALSE(HasPrefix(LotTraceKey(kGtinB, "LOT1", "S1", 0), prefix));
  std::string scratch;
  auto entry = DecodeLotTraceKey(prefix, in_order[2], &scratch);
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->serial, "S1");
  EXPECT_EQ(entry->session, 300u);
  EXPECT_FALSE(DecodeLotTraceKey(prefix, prefix, &scratch).ok());
  EXPECT_FALSE(
      DecodeLotTraceKey(prefix, UnitByLotKey(kGtinA, "LOT1", "S1") + "12345678",
                        &scratch)
          .ok());
}

TEST(LookbackKeys, ASerialComesBackWhateverBytesItHolds) {
  const std::string prefix = LotTracePrefix(kGtinA, "LOT1");
  const std::string serials[] = {"",
                                 "SMP000000001",
                                 std::string("A\0B", 3),
                                 std::string("\0", 1),
                                 std::string("\0\0\xff\x01", 4),
                                 "\xff\x01"};
  for (const std::string& serial : serials) {
    const std::string key = LotTraceKey(kGtinA, "LOT1", serial, 7);
    std::string scratch = "left over";
    auto entry = DecodeLotTraceKey(prefix, key, &scratch);
    ASSERT_TRUE(entry.ok()) << entry.status();
    EXPECT_EQ(entry->serial, serial);
    EXPECT_EQ(entry->session, 7u);
    // The text-as-string reader agrees.
    KeyReader r(key);
    std::string gtin, lot, text = "left over";
    uint8_t tag = 0;
    ASSERT_TRUE(r.ReadTag(&tag) && r.ReadFixed(14, &gtin) && r.ReadText(&lot) &&
                r.ReadText(&text));
    EXPECT_EQ(text, serial);
  }
  // An escape followed by neither terminator nor escaped zero, or no
  // terminator at all, is not a serial.
  std::string scratch;
  EXPECT_FALSE(
      DecodeLotTraceKey(prefix, prefix + std::string("S\0\x02", 3) + "12345678",
                        &scratch)
          .ok());
  EXPECT_FALSE(DecodeLotTraceKey(prefix, prefix + "S1", &scratch).ok());
}

TEST(InventoryKeys,
     InStockKeysGiveBackEveryPartAndTheirFirstKeyIsPerLotAndPlace) {
  auto entry = DecodeInStockEntry(InStockKey(kGtinA, "LOT1", 7, "S9"));
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->lot.gtin, kGtinA);
  EXPECT_EQ(entry->lot.lot, "LOT1");
  EXPECT_EQ(entry->location, 7u);
  EXPECT_EQ(entry->serial, "S9");
  EXPECT_NE(FirstInStockKey(kGtinA, "LOT1", 7),
            FirstInStockKey(kGtinA, "LOT1", 8));
  EXPECT_NE(FirstInStockKey(kGtinA, "LOT1", 7),
            FirstInStockKey(kGtinA, "LOT12", 7));
  EXPECT_FALSE(HasPrefix(FirstInStockKey(kGtinA, "LOT1", 7),
                         InStockPrefix(kGtinA, "LOT1", 7)));
}

}  // namespace
}  // namespace smptrace::storage::keys
