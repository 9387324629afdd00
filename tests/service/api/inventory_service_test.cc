// InventoryService through a real in-process gRPC server over a real RocksDB
// in a temp dir: receiving from scans, every refusal and its message, lot
// status, discards, adjustments, transfers, stock classification, and the
// invariant that stock always equals a replay of the journal.
#include "service/api/inventory_service.h"

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/api/server.h"
#include "service/domain/gs1.h"
#include "smptrace/v1/admin.grpc.pb.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "smptrace/v1/inventory.grpc.pb.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::IsRefusal;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

using testing::Day;

std::string Gtin(int n) { return testing::TestGtin(n); }

std::string Scan(const std::string& gtin, const std::string& yymmdd,
                 const std::string& lot, const std::string& serial = "",
                 int count = 0) {
  return testing::Gs1Scan(gtin, yymmdd, lot, serial, count);
}

class InventoryServiceTest : public testing::ClinicServerTest {
 protected:
  grpc::Status SetStatus(const std::string& gtin, const std::string& lot,
                         v1::LotStatus status, v1::Lot* out = nullptr) {
    return SetLotStatus(gtin, lot, status, out);
  }
};

TEST_F(InventoryServiceTest, ScanCreatesLotAndUnitWithTheManufacturerSerial) {
  v1::ReceiveResponse r;
  ASSERT_TRUE(
      ReceiveScans({Scan(kCartridge, "271231", "AB-12", "SN0001")}, &r).ok());
  ASSERT_THAT(r.lines(), SizeIs(1));
  const auto& line = r.lines(0);
  EXPECT_TRUE(line.new_lot());
  EXPECT_EQ(line.product().name(), "Cartridge 1RL 0.25");
  EXPECT_EQ(line.lot().lot(), "AB-12");
  EXPECT_EQ(line.lot().expiry().year(), 2027);
  EXPECT_EQ(line.lot().expiry().day(), 31);
  EXPECT_EQ(line.lot().status(), v1::LOT_STATUS_RELEASED);
  EXPECT_EQ(line.lot().sterilization().method(),
            v1::STERILIZATION_METHOD_ETHYLENE_OXIDE);  // product default
  EXPECT_THAT(line.serials(), ::testing::ElementsAre("SN0001"));
  EXPECT_FALSE(line.serials_minted());

  v1::GetUnitRequest get;
  get.set_barcode("(01)" + kCartridge + "(21)SN0001");
  v1::Unit unit;
  grpc::ClientContext ctx;
  ASSERT_TRUE(inventory_->GetUnit(&ctx, get, &unit).ok());
  EXPECT_EQ(unit.state(), v1::UNIT_STATE_IN_STOCK);
  EXPECT_EQ(unit.location_id(), store_);
  EXPECT_EQ(unit.lot(), "AB-12");

  v1::StockLine stock = LineOf(kCartridge, "AB-12", store_);
  EXPECT_EQ(stock.in_stock(), 1);
  EXPECT_EQ(stock.usable(), 1);
  EXPECT_EQ(stock.location_name(), "Stock room");
}

TEST_F(InventoryServiceTest, BoxLabelCountMintsOneSerialPerItem) {
  v1::ReceiveResponse r;
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "BOX-1", "", 20),
                            Scan(kCartridge, "271231", "BOX-1")},
                           &r)
                  .ok());
  ASSERT_THAT(r.lines(), SizeIs(2));
  EXPECT_THAT(r.lines(0).serials(), SizeIs(20));
  EXPECT_TRUE(r.lines(0).serials_minted());
  EXPECT_EQ(r.lines(0).serials(0), "SMP000000001");
  EXPECT_EQ(r.lines(1).serials(0), "SMP000000021");
  EXPECT_FALSE(r.lines(1).new_lot());
  EXPECT_EQ(r.lines(1).lot().received_quantity(), 21);
  EXPECT_EQ(LineOf(kCartridge, "BOX-1", store_).in_stock(), 21);

  // The counter survives: the next receipt continues after 21.
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "BOX-1")}, &r).ok());
  EXPECT_EQ(r.lines(0).serials(0), "SMP000000022");
  ExpectRebuildMatches();
}

TEST_F(InventoryServiceTest, TypedLineAndQuantity) {
  v1::ReceiveLine line;
  line.set_gtin(kGloves.substr(1));  // GTIN-13 typed
  line.set_lot("G-77");
  line.set_quantity(5);
  v1::ReceiveResponse r;
  ASSERT_TRUE(Receive({line}, &r).ok());  // gloves need no expiry
  EXPECT_EQ(r.lines(0).lot().gtin(), kGloves);
  EXPECT_THAT(r.lines(0).serials(), SizeIs(5));
  EXPECT_EQ(LineOf(kGloves, "G-77", store_).usable(), 5);
}

TEST_F(InventoryServiceTest, UnknownGtinIsRefusedWithAHintToAddTheProduct) {
  const uint64_t before = JournalLength();
  EXPECT_THAT(
      ReceiveScans({Scan(Gtin(99), "271231", "X1")}),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                   AllOf(HasSubstr("lines[0]: no product has GTIN " + Gtin(99)),
                         HasSubstr("smptrace product create"))));
  EXPECT_EQ(JournalLength(), before);
}

TEST_F(InventoryServiceTest, SameLotWithADifferentExpiryIsRefused) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "AB-12")}).ok());
  const uint64_t before = JournalLength();
  EXPECT_THAT(
      ReceiveScans({Scan(kCartridge, "280131", "AB-12")}),
      IsRefusal("expiry_mismatch",
                AllOf(HasSubstr("lines[0]: lot AB-12 of Cartridge 1RL 0.25"),
                      HasSubstr("recorded with expiry 2027-12-31"),
                      HasSubstr("this one says 2028-01-31"))));
  EXPECT_EQ(JournalLength(), before);
  EXPECT_EQ(LineOf(kCartridge, "AB-12", store_).in_stock(), 1);
}

TEST_F(InventoryServiceTest,
       LotsAreKeptExactlyAsPrintedSoCaseMakesADifferentLot) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "ab-12"),
                            Scan(kCartridge, "271231", "AB-12")})
                  .ok());
  EXPECT_EQ(LineOf(kCartridge, "ab-12", store_).in_stock(), 1);
  EXPECT_EQ(LineOf(kCartridge, "AB-12", store_).in_stock(), 1);
}

TEST_F(InventoryServiceTest, ASerialIsReceivedOnce) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "AB-12", "SN1")}).ok());
  EXPECT_THAT(
      ReceiveScans({Scan(kCartridge, "271231", "AB-12", "SN1")}),
      GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS,
                   AllOf(HasSubstr("lines[0].serial: unit " + kCartridge +
                                   " serial SN1 was already received"),
                         HasSubstr("a unit is received once"))));
  EXPECT_THAT(ReceiveScans({Scan(kCartridge, "271231", "AB-13", "SN2"),
                            Scan(kCartridge, "271231", "AB-13", "SN2")}),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS,
                           HasSubstr("lines[1].serial: unit " + kCartridge +
                                     " serial SN2 is twice in this delivery")));
}

TEST_F(InventoryServiceTest, ANewSterileLotNeedsAnExpiry) {
  EXPECT_THAT(ReceiveScans({"]d201" + kCartridge + "10NOEXP"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("lines[0].expiry: lot NOEXP of Cartridge "
                                     "1RL 0.25 is new and sterile, so its "
                                     "expiry is required")));
  // Typed next to the scan, it is accepted.
  v1::ReceiveLine line;
  line.set_barcode("]d201" + kCartridge + "10NOEXP");
  *line.mutable_expiry() = Day(2027, 6, 30);
  ASSERT_TRUE(Receive({line}).ok());
  // A later scan without expiry takes the lot's.
  ASSERT_TRUE(ReceiveScans({"]d201" + kCartridge + "10NOEXP"}).ok());
  EXPECT_EQ(LineOf(kCartridge, "NOEXP", store_).in_stock(), 2);
}

TEST_F(InventoryServiceTest,
       ReceivingAnExpiredLotIsRefusedNamingLineAndExpiry) {
  const uint64_t length = JournalLength();
  v1::ReceiveLine fresh;
  fresh.set_barcode(Scan(kCartridge, "271231", "CT-1", "", 2));
  v1::ReceiveLine expired;
  expired.set_barcode(Scan(kCartridge, "260131", "OLD-1", "", 3));
  EXPECT_THAT(Receive({fresh, expired}),
              IsRefusal("lot_expired", AllOf(HasSubstr("lines[1].expiry"),
                                             HasSubstr("lot OLD-1"),
                                             HasSubstr("expired on 2026-01-31"),
                                             HasSubstr("--accept-expired"))));
  // All or nothing: not even the fresh line was received.
  EXPECT_EQ(JournalLength(), length);
  v1::GetLotRequest get;
  get.set_gtin(kCartridge);
  get.set_lot("CT-1");
  v1::GetLotResponse lot;
  grpc::ClientContext ctx;
  EXPECT_THAT(inventory_->GetLot(&ctx, get, &lot),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, ::testing::_));
}

TEST_F(InventoryServiceTest, ExpiredLotAcceptedForReturnIsHeldNeverUsable) {
  v1::ReceiveRequest r;
  r.set_request_id(NextId());
  r.set_location_id(room_);
  r.set_accept_expired(true);
  r.add_lines()->set_barcode(Scan(kCartridge, "260131", "OLD-1", "", 3));
  v1::ReceiveResponse received;
  grpc::ClientContext ctx;
  ASSERT_TRUE(inventory_->Receive(&ctx, r, &received).ok());
  ASSERT_THAT(received.lines(), SizeIs(1));
  const v1::Lot& lot = received.lines(0).lot();
  EXPECT_EQ(lot.status(), v1::LOT_STATUS_QUARANTINED);
  EXPECT_THAT(lot.status_reason(),
              AllOf(HasSubstr("received expired on 2026-01-31"),
                    HasSubstr("return to the supplier")));
  // Counted in stock, held, never usable.
  const v1::StockLine line = LineOf(kCartridge, "OLD-1", room_);
  EXPECT_EQ(line.in_stock(), 3);
  EXPECT_EQ(line.usable(), 0);
  EXPECT_EQ(line.quarantined(), 3);
  ExpectRebuildMatches();
}

TEST_F(InventoryServiceTest, MalformedScansNameTheLineThePositionAndTheReason) {
  const uint64_t before = JournalLength();
  EXPECT_THAT(ReceiveScans({Scan(kCartridge, "271231", "OK-1"),
                            "]d20109506000000010" /* bad check digit */}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("lines[1].barcode: position")));
  EXPECT_THAT(ReceiveScans({"]d2"
                            "00"
                            "106141411234567897"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("an SSCC (AI 00) names a shipment")));
  EXPECT_THAT(ReceiveScans({"]d201" + kCartridge + "17271231"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("lines[0].lot: required: the barcode "
                                     "carries no lot (AI 10); type it")));
  v1::ReceiveLine conflict;
  conflict.set_barcode(Scan(kCartridge, "271231", "LOT-A"));
  conflict.set_lot("LOT-B");
  EXPECT_THAT(Receive({conflict}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("lines[0].lot: typed 'LOT-B' but the "
                                     "barcode says 'LOT-A'")));
  // Nothing of the good first line was written.
  EXPECT_EQ(JournalLength(), before);
  EXPECT_THAT(Stock(kCartridge), SizeIs(0));
}

TEST_F(InventoryServiceTest, HibcPrimaryAndSecondaryResolveToTheProduct) {
  // Primary "+A123BJC5D6E71" with its check character, then a secondary
  // symbol linked to it, sent together as one line.
  const std::string data = "+A123BJC5D6E7";
  const std::string primary = data + domain::HibcCheckCharacter(data);
  const char link = primary.back();
  std::string secondary_data = std::string("+$$3271231LOT77") + link;
  const std::string secondary =
      secondary_data + domain::HibcCheckCharacter(secondary_data);
  v1::ReceiveLine line;
  line.set_barcode(primary);
  line.set_secondary_barcode(secondary);
  v1::ReceiveResponse r;
  grpc::Status s = Receive({line}, &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(r.lines(0).lot().gtin(), kHibcProduct);
  EXPECT_EQ(r.lines(0).lot().lot(), "LOT77");

  v1::ReceiveLine unknown;
  const std::string other = "+Z999XYZ1";
  unknown.set_barcode(other + domain::HibcCheckCharacter(other));
  EXPECT_THAT(Receive({unknown}),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           HasSubstr("no product has HIBC id Z999XYZ1")));
}

TEST_F(InventoryServiceTest, RetriedReceiveIsAppliedOnce) {
  v1::ReceiveLine line;
  line.set_barcode(Scan(kCartridge, "271231", "AB-12", "", 10));
  v1::ReceiveResponse first, again;
  ASSERT_TRUE(Receive({line}, &first, "", "same-id").ok());
  ASSERT_TRUE(Receive({line}, &again, "", "same-id").ok());
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString());
  EXPECT_EQ(LineOf(kCartridge, "AB-12", store_).in_stock(), 10);
}

TEST_F(InventoryServiceTest, QuarantineReleaseRecallAndTheirRefusals) {
  ASSERT_TRUE(ReceiveScans({Scan(kPigment, "271231", "INK-9", "", 4)}).ok());
  v1::Lot lot;
  ASSERT_TRUE(
      SetStatus(kPigment, "INK-9", v1::LOT_STATUS_QUARANTINED, &lot).ok());
  EXPECT_EQ(lot.status_reason(), "supplier query");
  EXPECT_EQ(LineOf(kPigment, "INK-9", store_).quarantined(), 4);
  EXPECT_THAT(SetStatus(kPigment, "INK-9", v1::LOT_STATUS_QUARANTINED),
              IsRefusal("lot_status_unchanged",
                        HasSubstr("lot INK-9 of SMP Black (" + kPigment +
                                  ") is already quarantined")));
  ASSERT_TRUE(SetStatus(kPigment, "INK-9", v1::LOT_STATUS_RELEASED).ok());
  EXPECT_EQ(LineOf(kPigment, "INK-9", store_).usable(), 4);

  ASSERT_TRUE(SetStatus(kPigment, "INK-9", v1::LOT_STATUS_RECALLED, &lot).ok());
  EXPECT_EQ(lot.recall().reference(), "FSN-2026-014");
  EXPECT_EQ(lot.recall().notice_date().year(), 2026);  // defaults to today
  EXPECT_EQ(lot.recall().notice_date().day(), 23);
  EXPECT_EQ(LineOf(kPigment, "INK-9", store_).recalled(), 4);
  EXPECT_EQ(LineOf(kPigment, "INK-9", store_).usable(), 0);

  const uint64_t before = JournalLength();
  EXPECT_THAT(SetStatus(kPigment, "INK-9", v1::LOT_STATUS_RELEASED),
              IsRefusal("lot_recalled",
                        AllOf(HasSubstr("was recalled (notice FSN-2026-014"),
                              HasSubstr("a recall is final"))));
  EXPECT_THAT(ReceiveScans({Scan(kPigment, "271231", "INK-9")}),
              IsRefusal("lot_recalled",
                        HasSubstr("is recalled (notice FSN-2026-014); do not "
                                  "accept it")));
  EXPECT_EQ(JournalLength(), before);
  EXPECT_THAT(
      SetStatus(kPigment, "NOPE", v1::LOT_STATUS_QUARANTINED),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                   HasSubstr("lot NOPE of " + kPigment + " does not exist")));
}

TEST_F(InventoryServiceTest, SetLotStatusValidatesItsFields) {
  v1::SetLotStatusRequest r;
  r.set_request_id(NextId());
  r.set_gtin(kPigment);
  r.set_lot("INK-1");
  r.set_status(v1::LOT_STATUS_RECALLED);
  v1::Lot out;
  grpc::ClientContext ctx;
  EXPECT_THAT(inventory_->SetLotStatus(&ctx, r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("recall.reference: required")));
  r.set_status(v1::LOT_STATUS_QUARANTINED);
  grpc::ClientContext ctx2;
  EXPECT_THAT(inventory_->SetLotStatus(&ctx2, r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("reason: required")));
}

TEST_F(InventoryServiceTest, ExpiryIsUsableThroughItsDayThenExpired) {
  // Day 00 means the last day of the month: 2026-11-30.
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "261100", "END-NOV", "", 3),
                            Scan(kCartridge, "270630", "JUNE", "", 2)})
                  .ok());
  EXPECT_EQ(LineOf(kCartridge, "END-NOV", store_).expiry().day(), 30);
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 11, 30, 23, 59, 0),
                             absl::UTCTimeZone()));
  EXPECT_EQ(LineOf(kCartridge, "END-NOV", store_).usable(), 3);
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 12, 1, 0, 0, 0),
                             absl::UTCTimeZone()));
  EXPECT_EQ(LineOf(kCartridge, "END-NOV", store_).usable(), 0);
  EXPECT_EQ(LineOf(kCartridge, "END-NOV", store_).expired(), 3);

  v1::ListExpiringRequest r;
  r.set_days(30);
  v1::ListExpiringResponse expiring;
  grpc::ClientContext ctx;
  ASSERT_TRUE(inventory_->ListExpiring(&ctx, r, &expiring).ok());
  ASSERT_THAT(expiring.lines(), SizeIs(1));  // JUNE is months away
  EXPECT_EQ(expiring.lines(0).lot(), "END-NOV");
  r.set_days(220);
  grpc::ClientContext ctx2;
  ASSERT_TRUE(inventory_->ListExpiring(&ctx2, r, &expiring).ok());
  ASSERT_THAT(expiring.lines(), SizeIs(2));
  EXPECT_EQ(expiring.lines(1).lot(), "JUNE");  // soonest first
}

TEST_F(InventoryServiceTest, DiscardByQuantityOrByUnitAndItsRefusals) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "D-1", "", 3),
                            Scan(kCartridge, "271231", "D-1", "SN9")})
                  .ok());
  v1::DiscardRequest r;
  r.set_request_id(NextId());
  r.set_gtin(kCartridge);
  r.set_lot("D-1");
  r.set_location_id(store_);
  r.set_quantity(2);
  r.set_reason(v1::DISCARD_REASON_DAMAGED);
  v1::DiscardResponse out;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->Discard(&ctx, r, &out).ok());
  }
  ASSERT_THAT(out.units(), SizeIs(2));
  EXPECT_EQ(out.units(0).state(), v1::UNIT_STATE_DISCARDED);
  EXPECT_EQ(out.units(0).discard_reason(), v1::DISCARD_REASON_DAMAGED);
  v1::StockLine line = LineOf(kCartridge, "D-1", store_);
  EXPECT_EQ(line.in_stock(), 2);
  EXPECT_EQ(line.discarded(), 2);

  r.set_request_id(NextId());
  r.set_quantity(3);
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(
        inventory_->Discard(&ctx, r, &out),
        IsRefusal("insufficient_stock",
                  HasSubstr("only 2 of lot D-1 of Cartridge 1RL 0.25 (" +
                            kCartridge + ") in stock at " + store_ +
                            " (Stock room); cannot discard 3")));
  }

  v1::DiscardRequest by_scan;
  by_scan.set_request_id(NextId());
  by_scan.add_barcodes(Scan(kCartridge, "271231", "D-1", "SN9"));
  by_scan.set_reason(v1::DISCARD_REASON_EXPIRED);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->Discard(&ctx, by_scan, &out).ok());
  }
  by_scan.set_request_id(NextId());
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->Discard(&ctx, by_scan, &out),
                IsRefusal("unit_not_in_stock",
                          HasSubstr("barcodes[0]: unit " + kCartridge +
                                    " serial SN9 is discarded, not in stock")));
  }
  v1::DiscardRequest no_serial;
  no_serial.set_request_id(NextId());
  no_serial.add_barcodes(Scan(kCartridge, "271231", "D-1"));
  no_serial.set_reason(v1::DISCARD_REASON_DAMAGED);
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->Discard(&ctx, no_serial, &out),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                             HasSubstr("barcodes[0]: names no single unit")));
  }
  v1::DiscardRequest other;
  other.set_request_id(NextId());
  other.set_gtin(kCartridge);
  other.set_lot("D-1");
  other.set_location_id(store_);
  other.set_quantity(1);
  other.set_reason(v1::DISCARD_REASON_OTHER);
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->Discard(&ctx, other, &out),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                             HasSubstr("note: required")));
  }
  EXPECT_EQ(LineOf(kCartridge, "D-1", store_).in_stock(), 1);
  ExpectRebuildMatches();
}

TEST_F(InventoryServiceTest, AdjustAddsMintedUnitsOrTakesOutMissingOnes) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "ADJ", "", 5)}).ok());
  v1::AdjustStockRequest r;
  r.set_request_id(NextId());
  r.set_gtin(kCartridge);
  r.set_lot("ADJ");
  r.set_location_id(store_);
  r.set_delta(2);
  r.set_reason("box held 7, label said 5");
  v1::AdjustStockResponse out;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->AdjustStock(&ctx, r, &out).ok());
  }
  EXPECT_THAT(out.units(), SizeIs(2));
  EXPECT_TRUE(out.units(0).serial_minted());
  EXPECT_EQ(out.stock().in_stock(), 7);
  EXPECT_EQ(out.stock().adjusted_in(), 2);

  r.set_request_id(NextId());
  r.set_delta(-3);
  r.set_reason("stock take: 3 missing");
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->AdjustStock(&ctx, r, &out).ok());
  }
  EXPECT_EQ(out.units(0).discard_reason(), v1::DISCARD_REASON_MISSING);
  EXPECT_EQ(out.stock().in_stock(), 4);
  v1::StockLine line = LineOf(kCartridge, "ADJ", store_);
  EXPECT_EQ(line.SerializeAsString(), out.stock().SerializeAsString());

  r.set_request_id(NextId());
  r.set_delta(-5);
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(
        inventory_->AdjustStock(&ctx, r, &out),
        IsRefusal("insufficient_stock", HasSubstr("only 4 of lot ADJ")));
  }
  r.set_delta(0);
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->AdjustStock(&ctx, r, &out),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                             HasSubstr("delta: must be non-zero")));
  }
  ExpectRebuildMatches();
}

// A blank reason is refused saying what a reason is for, not only that it
// is required.
TEST_F(InventoryServiceTest, AdjustWithABlankReasonSaysWhatTheReasonIsFor) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "ADJ", "", 1)}).ok());
  const uint64_t before = JournalLength();
  for (const std::string reason : {"", " \u00a0"}) {
    v1::AdjustStockRequest r;
    r.set_request_id(NextId());
    r.set_gtin(kCartridge);
    r.set_lot("ADJ");
    r.set_location_id(store_);
    r.set_delta(-1);
    r.set_reason(reason);
    v1::AdjustStockResponse out;
    grpc::ClientContext ctx;
    EXPECT_THAT(
        inventory_->AdjustStock(&ctx, r, &out),
        GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                     HasSubstr("reason: required: say why the count was "
                               "wrong (\"stock take: 2 not on the shelf\"); "
                               "it stays on the record with the correction")))
        << "reason '" << reason << "'";
  }
  EXPECT_EQ(JournalLength(), before);
}

// Units named by barcode are refused naming the barcode the client sent
// (barcodes[j]), after the units it listed (units[i]); a unit elsewhere
// names both locations.
TEST_F(InventoryServiceTest, ATransferRefusalNamesTheFieldTheClientSent) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "T-2", "SN-A"),
                            Scan(kCartridge, "271231", "T-2", "SN-B"),
                            Scan(kCartridge, "271231", "T-2", "SN-C")})
                  .ok());
  v1::TransferRequest move_c;
  move_c.set_request_id(NextId());
  move_c.set_from_location_id(store_);
  move_c.set_to_location_id(room_);
  move_c.add_barcodes("(01)" + kCartridge + "(21)SN-C");
  v1::TransferResponse out;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->Transfer(&ctx, move_c, &out).ok());
  }
  const uint64_t before = JournalLength();
  v1::TransferRequest r;
  r.set_request_id(NextId());
  r.set_from_location_id(store_);
  r.set_to_location_id(clinic_);
  v1::UnitRef* listed = r.add_units();
  listed->set_gtin(kCartridge);
  listed->set_serial("SN-A");
  r.add_barcodes("(01)" + kCartridge + "(21)SN-B");
  r.add_barcodes("(01)" + kCartridge + "(21)SN-B");
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->Transfer(&ctx, r, &out),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                             HasSubstr("barcodes[1]: unit " + kCartridge +
                                       " serial SN-B is listed twice")));
  }
  r.set_barcodes(1, "(01)" + kCartridge + "(21)SN-C");
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(
        inventory_->Transfer(&ctx, r, &out),
        IsRefusal("unit_elsewhere",
                  HasSubstr("barcodes[1]: unit " + kCartridge +
                            " serial SN-C is at " + room_ +
                            " (Room 1), not at " + store_ + " (Stock room)")));
  }
  listed->set_serial("SN-C");
  r.set_barcodes(1, "(01)" + kCartridge + "(21)SN-A");
  r.set_request_id(NextId());
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->Transfer(&ctx, r, &out),
                IsRefusal("unit_elsewhere", HasSubstr("units[0]: unit ")));
  }
  // Refused before anything is recorded; nothing moved.
  EXPECT_EQ(LineOf(kCartridge, "T-2", store_).in_stock(), 2);
  EXPECT_EQ(JournalLength(), before);
}

TEST_F(InventoryServiceTest, UnitFoundAtStockTakeShowsAsAdjustmentNotReceipt) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "CT-1", "", 2)}).ok());
  clock_.Advance(absl::Hours(24));
  v1::AdjustStockRequest adjust;
  adjust.set_request_id(NextId());
  adjust.set_gtin(kCartridge);
  adjust.set_lot("CT-1");
  adjust.set_location_id(store_);
  adjust.set_delta(1);
  adjust.set_reason("stock take: one found behind the shelf");
  v1::AdjustStockResponse adjusted;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->AdjustStock(&ctx, adjust, &adjusted).ok());
  }
  ASSERT_THAT(adjusted.units(), SizeIs(1));
  EXPECT_TRUE(adjusted.units(0).adjusted_in());

  v1::TraceLotRequest trace;
  trace.set_gtin(kCartridge);
  trace.set_lot("CT-1");
  v1::TraceResponse traced;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->TraceLot(&ctx, trace, &traced).ok());
  }
  ASSERT_THAT(traced.lots(), SizeIs(1));
  const v1::TracedLot& lot = traced.lots(0);
  EXPECT_EQ(lot.units(), 3);
  ASSERT_THAT(lot.receipts(), SizeIs(1));
  EXPECT_EQ(lot.receipts(0).units(), 2);
  ASSERT_THAT(lot.adjustments(), SizeIs(1));
  EXPECT_EQ(lot.adjustments(0).units(), 1);
  EXPECT_EQ(lot.adjustments(0).location_id(), store_);
  EXPECT_EQ(lot.adjustments(0).reason(),
            "stock take: one found behind the shelf");
  ExpectRebuildMatches();
}

TEST_F(InventoryServiceTest, TransferMovesUnitsBetweenLocations) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "T-1", "", 6),
                            Scan(kCartridge, "271231", "T-1", "SN-T")})
                  .ok());
  v1::TransferRequest r;
  r.set_request_id(NextId());
  r.set_from_location_id(store_);
  r.set_to_location_id(room_);
  r.set_gtin(kCartridge);
  r.set_lot("T-1");
  r.set_quantity(4);
  v1::TransferResponse out;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->Transfer(&ctx, r, &out).ok());
  }
  EXPECT_EQ(out.units(0).location_id(), room_);
  EXPECT_EQ(LineOf(kCartridge, "T-1", store_).in_stock(), 3);
  EXPECT_EQ(LineOf(kCartridge, "T-1", store_).transferred_out(), 4);
  EXPECT_EQ(LineOf(kCartridge, "T-1", room_).in_stock(), 4);
  EXPECT_EQ(LineOf(kCartridge, "T-1", room_).transferred_in(), 4);
  EXPECT_THAT(Stock("", room_), SizeIs(1));

  // A named unit must be where the transfer says it comes from.
  v1::TransferRequest back;
  back.set_request_id(NextId());
  back.set_from_location_id(room_);
  back.set_to_location_id(store_);
  back.add_barcodes("(01)" + kCartridge + "(21)SN-T");
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(
        inventory_->Transfer(&ctx, back, &out),
        IsRefusal("unit_elsewhere",
                  HasSubstr("barcodes[0]: unit " + kCartridge +
                            " serial SN-T is at " + store_ +
                            " (Stock room), not at " + room_ + " (Room 1)")));
  }
  back.set_to_location_id(room_);
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->Transfer(&ctx, back, &out),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                             HasSubstr("to_location_id: is the same")));
  }
  ExpectRebuildMatches();
}

TEST_F(InventoryServiceTest, GetLotListsItsStockAndUnits) {
  ASSERT_TRUE(ReceiveScans({Scan(kCartridge, "271231", "L-1", "", 3)}).ok());
  v1::GetLotRequest r;
  r.set_gtin(kCartridge.substr(1));
  r.set_lot("L-1");
  r.set_include_units(true);
  v1::GetLotResponse out;
  grpc::ClientContext ctx;
  ASSERT_TRUE(inventory_->GetLot(&ctx, r, &out).ok());
  EXPECT_EQ(out.lot().received_quantity(), 3);
  EXPECT_EQ(out.product().name(), "Cartridge 1RL 0.25");
  ASSERT_THAT(out.stock(), SizeIs(1));
  EXPECT_EQ(out.stock(0).in_stock(), 3);
  EXPECT_THAT(out.units(), SizeIs(3));
}

// Invariant 4: after any mix of operations, every line's running totals add
// up to its in-stock count, in-stock is never negative, it equals the units
// the server says are in stock there, and state equals a replay of the
// journal.
TEST_F(InventoryServiceTest, StockAlwaysAddsUpAndEqualsAReplayOfTheJournal) {
  std::mt19937 rng(20261124);
  const std::vector<std::string> lots = {"R-1", "R-2", "R-3"};
  const std::vector<std::string> places = {store_, room_};
  for (int step = 0; step < 150; ++step) {
    const std::string& lot = lots[rng() % lots.size()];
    const std::string& place = places[rng() % places.size()];
    grpc::ClientContext ctx;
    switch (rng() % 4) {
      case 0: {
        (void)ReceiveScans({Scan(kCartridge, "271231", lot, "",
                                 1 + static_cast<int>(rng() % 5))},
                           nullptr, place);
        break;
      }
      case 1: {
        v1::DiscardRequest r;
        r.set_request_id(NextId());
        r.set_gtin(kCartridge);
        r.set_lot(lot);
        r.set_location_id(place);
        r.set_quantity(1 + static_cast<int>(rng() % 3));
        r.set_reason(v1::DISCARD_REASON_DAMAGED);
        v1::DiscardResponse out;
        (void)inventory_->Discard(&ctx, r, &out);
        break;
      }
      case 2: {
        v1::AdjustStockRequest r;
        r.set_request_id(NextId());
        r.set_gtin(kCartridge);
        r.set_lot(lot);
        r.set_location_id(place);
        r.set_delta(static_cast<int>(rng() % 7) - 3);
        r.set_reason("count");
        v1::AdjustStockResponse out;
        (void)inventory_->AdjustStock(&ctx, r, &out);
        break;
      }
      case 3: {
        v1::TransferRequest r;
        r.set_request_id(NextId());
        r.set_from_location_id(place);
        r.set_to_location_id(place == store_ ? room_ : store_);
        r.set_gtin(kCartridge);
        r.set_lot(lot);
        r.set_quantity(1 + static_cast<int>(rng() % 3));
        v1::TransferResponse out;
        (void)inventory_->Transfer(&ctx, r, &out);
        break;
      }
    }
  }
  int64_t total = 0;
  for (const auto& line : Stock(kCartridge)) {
    EXPECT_GE(line.in_stock(), 0);
    EXPECT_EQ(line.in_stock(), line.received() + line.adjusted_in() +
                                   line.transferred_in() - line.opened() -
                                   line.discarded() - line.transferred_out())
        << line.DebugString();
    total += line.in_stock();
  }
  int64_t units_in_stock = 0;
  for (const std::string& lot : lots) {
    v1::GetLotRequest r;
    r.set_gtin(kCartridge);
    r.set_lot(lot);
    r.set_include_units(true);
    v1::GetLotResponse out;
    grpc::ClientContext ctx;
    if (!inventory_->GetLot(&ctx, r, &out).ok()) continue;
    for (const auto& unit : out.units()) {
      units_in_stock += unit.state() == v1::UNIT_STATE_IN_STOCK;
    }
  }
  EXPECT_EQ(total, units_in_stock);
  EXPECT_GT(total, 0);
  ExpectRebuildMatches();
}

// Issue 14: the GS1 century rule reads 99 as 1999 (General Specifications
// §7.12, from the clinic's year), so an old lot is refused as expired, in
// the practitioner's words, not as a malformed date.
TEST_F(InventoryServiceTest, ATwoDigitYear99IsReadAs1999AndRefusedAsExpired) {
  EXPECT_THAT(ReceiveScans({Scan(kCartridge, "991231", "OLD-99")}),
              IsRefusal("lot_expired", AllOf(HasSubstr("lot OLD-99"),
                                             HasSubstr("expired on 1999-12-31"),
                                             HasSubstr("--accept-expired"))));
}

// Issue 14: a valid AI smptrace does not record (a net weight, a
// company-internal code) is read, shown in the reply, and the raw barcode is
// kept in the journal; a barcode that breaks a GS1 pairing rule is refused
// naming the position and both AIs.
TEST_F(InventoryServiceTest, AisSmptraceDoesNotUseAreShownNotRefused) {
  const std::string barcode = "]d201" + kCartridge + "17271231" + "3103000150" +
                              "10AB-1\x1d" + "91INT-7";
  v1::ReceiveResponse r;
  ASSERT_TRUE(ReceiveScans({barcode}, &r).ok());
  ASSERT_THAT(r.lines(), SizeIs(1));
  const auto& other = r.lines(0).other_elements();
  ASSERT_THAT(other, SizeIs(2));
  EXPECT_EQ(other[0].ai(), "3103");
  EXPECT_EQ(other[0].title(), "NET WEIGHT (kg)");
  EXPECT_EQ(other[0].value(), "000150");
  EXPECT_EQ(other[1].ai(), "91");
  EXPECT_EQ(other[1].title(), "INTERNAL");
  EXPECT_EQ(other[1].value(), "INT-7");
  EXPECT_EQ(r.lines(0).lot().lot(), "AB-1");

  EXPECT_THAT(ReceiveScans({"]d201" + kCartridge + "172712313724"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("lines[0].barcode: position 3: AI (01) "
                                     "and AI (37) cannot appear together")));
}

}  // namespace
}  // namespace smptrace::api
