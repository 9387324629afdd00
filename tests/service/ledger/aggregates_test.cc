// Aggregate-level tests of the ledger's decisions (service/ledger/<aggregate>/
// decide.h) against a real store: each table row sets up state through the
// ledger, then decides one command and checks the refusal's reason code, and
// whether the refusal itself is recorded. Also checks that replies are the
// state the command wrote (what a later read returns).
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/refusal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/ledger/clients/personal_data.h"
#include "service/ledger/decide.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/ledger.h"
#include "service/ledger/rebuild.h"
#include "service/ledger/recalls/state.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/state.h"
#include "smptrace/v1/ledger.pb.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/gtin.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::ledger {
namespace {

using ::smptrace::testing::IsOk;
using ::smptrace::testing::WithCheckDigit;

// Ids as the ledger numbers them in SetUp's order.
constexpr char kClinic[] = "LOC-000001";
constexpr char kRoom[] = "LOC-000002";
constexpr char kStore[] = "LOC-000003";
constexpr char kSession[] = "SES-000001";
constexpr char kOtherSession[] = "SES-000002";
constexpr char kContainer[] = "SHC-000001";

// The sterile cartridge's GTIN-14.
std::string Cartridge() { return WithCheckDigit("0950600013435"); }

v1::Date Day(int y, int m, int d) {
  v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

v1::ResolvedScan ScanOf(const std::string& lot, const std::string& serial) {
  v1::ResolvedScan scan;
  scan.set_gtin(Cartridge());
  scan.set_lot(lot);
  scan.set_serial(serial);
  return scan;
}

// A clinic with a treatment room and a stock room, a sterile cartridge with
// lots in every state, two open sessions and one open sharps container.
//   GOOD: serials G1..G4 in the room, G5 in the stock room; G1 opened in
//         kSession and disposed, G2 opened in kSession, not disposed.
//   EXP:  expired (received before its expiry, the clock moved past it).
//   QUAR: quarantined.  REC: recalled.
class AggregateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    LedgerOptions options;
    options.personal_data = &personal_;
    auto ledger = Ledger::Open(store_.get(), &clock_, options);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ledger_ = std::move(*ledger);

    Location("Harley Street", v1::LOCATION_KIND_CLINIC, "");
    Location("Room 1", v1::LOCATION_KIND_ROOM, kClinic);
    Location("Stock room", v1::LOCATION_KIND_STORE, kClinic);
    v1::Command product = NewCommand();
    v1::Product* p = product.mutable_create_product()->mutable_product();
    p->set_gtin(Cartridge());
    p->set_name("Cartridge 1RL");
    p->set_kind(v1::PRODUCT_KIND_NEEDLE_CARTRIDGE);
    p->set_manufacturer("Maker");
    p->set_units_per_pack(20);
    p->set_single_use(true);
    p->set_sterile(true);
    p->set_cartridge_configuration("1RL 0.25mm");
    p->set_sterilization_method(v1::STERILIZATION_METHOD_ETHYLENE_OXIDE);
    MustRun(product);

    // EXP expires tomorrow; the clock then moves a week on.
    Receive(kRoom, "EXP", {"E1"}, Day(2026, 11, 24));
    Receive(kRoom, "GOOD", {"G1", "G2", "G3", "G4"}, Day(2028, 1, 31));
    Receive(kStore, "GOOD", {"G5"}, Day(2028, 1, 31));
    Receive(kRoom, "QUAR", {"Q1"}, Day(2028, 1, 31));
    Receive(kRoom, "REC", {"R1"}, Day(2028, 1, 31));
    LotStatus("QUAR", v1::LOT_STATUS_QUARANTINED);
    LotStatus("REC", v1::LOT_STATUS_RECALLED);
    clock_.Advance(absl::Hours(24 * 7));

    ASSERT_EQ(StartSession("C-1"), kSession);
    ASSERT_EQ(StartSession("C-2"), kOtherSession);
    v1::Command container = NewCommand();
    container.mutable_open_container()->set_location_id(kRoom);
    ASSERT_EQ(MustRun(container).container().container_id(), kContainer);

    ASSERT_THAT(Run(Scan(kSession, "GOOD", "G1")), IsOk());
    ASSERT_THAT(Run(Scan(kSession, "GOOD", "G2")), IsOk());
    ASSERT_THAT(Run(Dispose(kContainer, "GOOD", "G1")), IsOk());
  }

  // Registers client `code` and starts its first session in the room.
  std::string StartSession(const std::string& code) {
    v1::Command client = NewCommand();
    client.mutable_create_client()->set_code(code);
    MustRun(client);
    v1::Command start = NewCommand();
    v1::StartSessionRequest* s = start.mutable_start_session();
    s->set_client(code);
    s->set_practitioner("Sam");
    s->set_location_id(kRoom);
    s->set_plan_step(v1::PLAN_STEP_FIRST);
    s->set_treatment_area("crown");
    s->mutable_answers()->set_none_apply(true);
    return MustRun(start).session().session_id();
  }

  v1::Command NewCommand() {
    v1::Command c;
    c.set_request_id("req-" + std::to_string(++next_));
    c.set_actor("Sam");
    return c;
  }

  absl::StatusOr<v1::CommandResult> Run(v1::Command c) {
    return ledger_->Submit(c);
  }
  v1::CommandResult MustRun(const v1::Command& c) {
    auto result = Run(c);
    EXPECT_THAT(result, IsOk());
    return result.ok() ? *result : v1::CommandResult();
  }

  void Location(const std::string& name, v1::LocationKind kind,
                const std::string& parent) {
    v1::Command c = NewCommand();
    v1::Location* l = c.mutable_create_location()->mutable_location();
    l->set_name(name);
    l->set_kind(kind);
    l->set_parent_id(parent);
    MustRun(c);
  }

  void Receive(const std::string& location, const std::string& lot,
               const std::vector<std::string>& serials, v1::Date expiry) {
    v1::Command c = NewCommand();
    v1::ReceiveRequest* r = c.mutable_receive();
    r->set_location_id(location);
    for (const std::string& serial : serials) {
      v1::ReceiveLine* line = r->add_lines();
      line->set_gtin(Cartridge());
      line->set_lot(lot);
      line->set_serial(serial);
      line->set_quantity(1);
      *line->mutable_expiry() = expiry;
    }
    MustRun(c);
  }

  void LotStatus(const std::string& lot, v1::LotStatus status) {
    v1::Command c = NewCommand();
    v1::SetLotStatusRequest* r = c.mutable_set_lot_status();
    r->set_gtin(Cartridge());
    r->set_lot(lot);
    r->set_status(status);
    r->set_reason("test");
    if (status == v1::LOT_STATUS_RECALLED) {
      r->mutable_recall()->set_reference("FSN-1");
    }
    MustRun(c);
  }

  v1::Command Scan(const std::string& session, const std::string& lot,
                   const std::string& serial) {
    v1::Command c = NewCommand();
    c.mutable_scan_consumable()->set_session_id(session);
    c.mutable_scan_consumable()->set_barcode("(01)" + Cartridge() + "(21)" +
                                             serial);
    *c.mutable_scan() = ScanOf(lot, serial);
    return c;
  }
  v1::Command Dispose(const std::string& container, const std::string& lot,
                      const std::string& serial) {
    v1::Command c = NewCommand();
    c.mutable_dispose()->set_container_id(container);
    c.mutable_dispose()->set_barcode("(01)" + Cartridge() + "(21)" + serial);
    *c.mutable_scan() = ScanOf(lot, serial);
    return c;
  }
  v1::Command Discard(const std::string& location, const std::string& lot,
                      int quantity) {
    v1::Command c = NewCommand();
    v1::DiscardRequest* r = c.mutable_discard();
    r->set_gtin(Cartridge());
    r->set_lot(lot);
    r->set_location_id(location);
    r->set_quantity(quantity);
    r->set_reason(v1::DISCARD_REASON_DAMAGED);
    return c;
  }
  v1::Command Transfer(const std::string& from, const std::string& to,
                       const std::string& serial) {
    v1::Command c = NewCommand();
    v1::TransferRequest* r = c.mutable_transfer();
    r->set_from_location_id(from);
    r->set_to_location_id(to);
    v1::UnitRef* ref = r->add_units();
    ref->set_gtin(Cartridge());
    ref->set_serial(serial);
    return c;
  }
  v1::Command Close(const std::string& session, const std::string& reason) {
    v1::Command c = NewCommand();
    c.mutable_close_session()->set_session_id(session);
    c.mutable_close_session()->set_undisposed_reason(reason);
    return c;
  }
  v1::Command Seal(const std::string& container) {
    v1::Command c = NewCommand();
    c.mutable_seal_container()->set_container_id(container);
    return c;
  }

  // What the aggregate decides for `c` on the current state, without
  // writing: the refusal's reason code ("" if accepted, the status's
  // message if it is not a refusal) and whether the refusal is recorded.
  struct Decided {
    std::string reason;
    bool recorded = false;
  };
  Decided DecideNow(const v1::Command& c) {
    const DecisionContext ctx{
        store_->live(),          clock_.Now(), absl::UTCTimeZone(), c.actor(),
        ledger_->head().seq + 1, nullptr,      &personal_};
    auto d = Decide(c, ctx);
    if (!d.ok()) {
      return {
          RefusalReason(d.status()).value_or(std::string(d.status().message())),
          false};
    }
    if (d->refusal.ok()) return {"", false};
    return {RefusalReason(d->refusal).value_or("?"), true};
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<storage::DataKey> data_key_ =
      storage::DataKey::FromBytesForTesting(std::string(32, 'k'));
  PersonalData personal_{data_key_.get()};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Ledger> ledger_;
  int next_ = 0;
};

struct ScanRow {
  std::string name;
  std::string session;
  std::string lot;
  std::string serial;
  std::string reason;  // "" = accepted
  bool recorded;       // a refusal that is itself journaled
};

void PrintTo(const ScanRow& row, std::ostream* os) { *os << row.name; }

class ScanDecision : public AggregateTest,
                     public ::testing::WithParamInterface<ScanRow> {};

// DESIGN.md §2 invariants 1 and 2, at scan time.
INSTANTIATE_TEST_SUITE_P(
    Sessions, ScanDecision,
    ::testing::Values(
        ScanRow{"InStockUnitOfReleasedLot", kSession, "GOOD", "G3", "", false},
        ScanRow{"ExpiredLot", kSession, "EXP", "E1", "expired", true},
        ScanRow{"QuarantinedLot", kSession, "QUAR", "Q1", "lot_quarantined",
                true},
        ScanRow{"RecalledLot", kSession, "REC", "R1", "lot_recalled", true},
        ScanRow{"UnitUsedAndDisposedInAnotherSession", kOtherSession, "GOOD",
                "G1", "unit_already_used", true},
        ScanRow{"UnitOpenedInAnotherSession", kOtherSession, "GOOD", "G2",
                "unit_already_used", true},
        ScanRow{"UnitOpenedInThisSession", kSession, "GOOD", "G2", "", false},
        ScanRow{"UnitInStockInAnotherRoom", kSession, "GOOD", "G5",
                "unit_elsewhere", true},
        ScanRow{"UnitNeverReceived", kSession, "GOOD", "G9", "unknown_item",
                true}),
    [](const ::testing::TestParamInfo<ScanRow>& info) {
      return info.param.name;
    });

TEST_P(ScanDecision, RefusesOrAcceptsAsTheInvariantsSay) {
  const ScanRow& row = GetParam();
  const Decided d = DecideNow(Scan(row.session, row.lot, row.serial));
  EXPECT_EQ(d.reason, row.reason);
  EXPECT_EQ(d.recorded, row.recorded);
}

TEST_F(AggregateTest, ScanOfUnitOpenedInThisSessionRecordsNothingNew) {
  const uint64_t before = ledger_->head().seq;
  auto again = Run(Scan(kSession, "GOOD", "G2"));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->scan().use().serial(), "G2");
  EXPECT_EQ(ledger_->head().seq, before);
}

// Two sessions race for one unit, and each scan is sent by several threads
// at once (a scanner retrying while its first try still waits in the
// ledger's queue). In every trial one session gets the unit, the other a
// recorded reuse refusal, every copy of a request gets its first answer,
// and the unit is recorded in one session only.
TEST_F(AggregateTest,
       TwoSessionsRacingForAUnitOneWinsAndEveryRetryGetsOneAnswer) {
  constexpr int kTrials = 40;
  constexpr int kCopies = 4;  // threads per request
  for (int trial = 0; trial < kTrials; ++trial) {
    const std::string serial = absl::StrCat("RACE", trial);
    Receive(kRoom, "GOOD", {serial}, Day(2028, 1, 31));
    const uint64_t before = ledger_->head().seq;
    const v1::Command requests[2] = {Scan(kSession, "GOOD", serial),
                                     Scan(kOtherSession, "GOOD", serial)};
    std::vector<absl::StatusOr<v1::CommandResult>> answers(
        2 * kCopies, absl::UnknownError("not run"));
    std::vector<std::thread> threads;
    for (int i = 0; i < 2 * kCopies; ++i) {
      threads.emplace_back(
          [&, i] { answers[i] = ledger_->Submit(requests[i % 2]); });
    }
    for (std::thread& t : threads) t.join();

    for (int i = 2; i < 2 * kCopies; ++i) {
      const auto& first = answers[i % 2];
      EXPECT_EQ(answers[i].status(), first.status()) << trial << " copy " << i;
      if (answers[i].ok() && first.ok()) {
        EXPECT_EQ(answers[i]->SerializeAsString(), first->SerializeAsString())
            << trial << " copy " << i;
      }
    }
    ASSERT_NE(answers[0].ok(), answers[1].ok()) << trial;
    const int won = answers[0].ok() ? 0 : 1;
    EXPECT_EQ(answers[won]->scan().use().serial(), serial);
    EXPECT_EQ(RefusalReason(answers[1 - won].status()), "unit_already_used")
        << answers[1 - won].status();
    // One use and one recorded refusal: two entries, whatever the copies.
    EXPECT_EQ(ledger_->head().seq, before + 2) << trial;
    for (int s = 0; s < 2; ++s) {
      auto session =
          MustReadSession(store_->live(), s == 0 ? kSession : kOtherSession);
      ASSERT_THAT(session, IsOk());
      int uses = 0;
      for (const v1::ConsumableUse& use : session->consumables()) {
        if (use.serial() == serial) ++uses;
      }
      EXPECT_EQ(uses, s == won ? 1 : 0) << trial << " session " << s;
    }
  }
}

TEST_F(AggregateTest, ScanIntoClosedSessionIsRefusedAndNotRecorded) {
  ASSERT_THAT(Run(Close(kSession, "G2 dropped on the floor")), IsOk());
  const Decided d = DecideNow(Scan(kSession, "GOOD", "G3"));
  EXPECT_EQ(d.reason, "session_not_open");
  EXPECT_FALSE(d.recorded);
}

TEST_F(AggregateTest, CloseWithUndisposedUnitNeedsAReason) {
  EXPECT_EQ(DecideNow(Close(kSession, "")).reason, "units_not_disposed");
  EXPECT_EQ(DecideNow(Close(kSession, "dropped")).reason, "");
}

TEST_F(AggregateTest, StockDiscardTakesNoMoreThanOnHand) {
  // GOOD in the room: G3 and G4 in stock (G1, G2 opened).
  EXPECT_EQ(DecideNow(Discard(kRoom, "GOOD", 3)).reason, "insufficient_stock");
  EXPECT_EQ(DecideNow(Discard(kRoom, "GOOD", 2)).reason, "");
}

TEST_F(AggregateTest, StockTransferMovesOnlyUnitsInStockAtTheSource) {
  EXPECT_EQ(DecideNow(Transfer(kStore, kRoom, "G5")).reason, "");
  EXPECT_EQ(DecideNow(Transfer(kStore, kRoom, "G3")).reason, "unit_elsewhere");
  EXPECT_EQ(DecideNow(Transfer(kRoom, kStore, "G2")).reason,
            "unit_not_in_stock");
}

TEST_F(AggregateTest, DisposalOnlyIntoAnOpenContainerAndOnlyOpenedUnits) {
  EXPECT_EQ(DecideNow(Dispose(kContainer, "GOOD", "G3")).reason,
            "unit_not_opened");
  EXPECT_EQ(DecideNow(Dispose(kContainer, "GOOD", "G1")).reason,
            "unit_already_disposed");
  EXPECT_EQ(DecideNow(Dispose(kContainer, "GOOD", "G2")).reason, "");
  ASSERT_THAT(Run(Seal(kContainer)), IsOk());
  EXPECT_EQ(DecideNow(Dispose(kContainer, "GOOD", "G2")).reason,
            "container_not_open");
  EXPECT_EQ(DecideNow(Seal(kContainer)).reason, "container_not_open");
}

// Scans answered before 2026-12 stored the whole session in their
// idempotency record (ScanConsumableResponse.session, now deprecated): a
// retry of such a scan still decodes it and answers exactly as the first
// time, recording nothing.
TEST_F(AggregateTest, ARetryOfAScanStoredWithTheWholeSessionGetsThatAnswer) {
  const v1::Command scan = Scan(kSession, "GOOD", "G3");
  ASSERT_THAT(Run(scan), IsOk());
  auto stored = ReadRecord<v1::IdempotencyRecord>(
      store_->live(), storage::Cf::kIdem, scan.request_id(), "record");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  v1::IdempotencyRecord old = **stored;
  auto session = ReadSession(store_->live(), 1);
  ASSERT_TRUE(session.ok() && session->has_value());
  // As the earlier server wrote it: the session in field 3, no summary.
  v1::ScanConsumableResponse* reply = old.mutable_result()->mutable_scan();
  reply->clear_summary();
  const google::protobuf::FieldDescriptor* field =
      reply->GetDescriptor()->FindFieldByNumber(3);
  ASSERT_NE(field, nullptr);
  reply->GetReflection()->MutableMessage(reply, field)->CopyFrom(**session);
  std::unique_ptr<storage::WriteTxn> txn = store_->BeginWrite();
  txn->Put(storage::Cf::kIdem, scan.request_id(), Serialize(old));
  ASSERT_THAT(store_->Commit(*txn, /*sync=*/true), IsOk());

  const uint64_t before = ledger_->head().seq;
  auto retried = Run(scan);
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(retried->SerializeAsString(), old.result().SerializeAsString());
  EXPECT_EQ(retried->scan().use().serial(), "G3");
  EXPECT_EQ(retried->scan()
                .GetReflection()
                ->GetMessage(retried->scan(), field)
                .SerializeAsString(),
            (*session)->SerializeAsString());
  EXPECT_EQ(ledger_->head().seq, before);
}

// "Awaiting disposal" is one rule (AwaitsDisposal) for the session's list
// line, close and the kiosk: a unit voided as opened is spent and awaits
// disposal, and so does one voided before voids said whether the package
// was opened (UNSPECIFIED); one voided as not opened went back to stock.
TEST_F(AggregateTest, AwaitingDisposalIsOneRuleForTheListLineAndClose) {
  const auto void_scan = [&](uint64_t seq, v1::VoidedPackage package) {
    v1::Command c = NewCommand();
    v1::VoidScanRequest* r = c.mutable_void_scan();
    r->set_session_id(kSession);
    r->set_scan_seq(seq);
    r->set_reason("dropped");
    r->set_package(package);
    return MustRun(c);
  };
  const auto scan = [&](const std::string& serial) {
    return MustRun(Scan(kSession, "GOOD", serial)).scan().use().seq();
  };
  // G2 is opened and not disposed (SetUp); G3 is voided as opened, G4 by
  // a void of the kind recorded before voids told the package apart.
  void_scan(scan("G3"), v1::VOIDED_PACKAGE_OPENED);
  const v1::CommandResult last =
      void_scan(scan("G4"), v1::VOIDED_PACKAGE_UNSPECIFIED);
  auto session = ReadSession(store_->live(), 1);
  ASSERT_TRUE(session.ok() && session->has_value());
  const v1::SessionLine line = SessionLineOf(**session);
  EXPECT_EQ(line.consumables(), 2);  // G1, G2
  EXPECT_EQ(line.voided(), 2);
  EXPECT_EQ(line.awaiting_disposal(), 3) << "G2, and G3 and G4 voided opened";
  EXPECT_EQ(last.session().consumables_size(), 4);

  auto refused = Run(Close(kSession, ""));
  EXPECT_EQ(RefusalReason(refused.status()), "units_not_disposed");
  EXPECT_THAT(refused.status().message(),
              ::testing::HasSubstr("has 3 single-use unit(s) not disposed"));
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("serial G4"));

  // Disposed, a voided unit no longer awaits; voided as not opened, a unit
  // never did.
  ASSERT_THAT(Run(Dispose(kContainer, "GOOD", "G4")), IsOk());
  ASSERT_EQ((*session)->consumables(1).serial(), "G2");
  void_scan((*session)->consumables(1).seq(), v1::VOIDED_PACKAGE_NOT_OPENED);
  session = ReadSession(store_->live(), 1);
  ASSERT_TRUE(session.ok() && session->has_value());
  EXPECT_EQ(SessionLineOf(**session).awaiting_disposal(), 1);  // G3
  refused = Run(Close(kSession, ""));
  EXPECT_THAT(refused.status().message(),
              ::testing::HasSubstr("has 1 single-use unit(s) not disposed"));
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("serial G3"));
}

// A recall case's decisions put the new case in the event only; the reply
// is read back from what the event stored, as for every other aggregate.
TEST_F(AggregateTest, RecallCaseDecisionsAnswerByReadingBackTheCase) {
  v1::Command open = NewCommand();
  v1::OpenRecallCaseRequest* o = open.mutable_open_recall_case();
  o->mutable_notice()->set_reference("FSN-2026-7");
  o->mutable_notice()->set_text("sterility not assured");
  v1::LotRef* lot = o->add_lots();
  lot->set_gtin(Cartridge());
  lot->set_lot("GOOD");
  v1::Command notify = NewCommand();
  notify.mutable_record_notification()->set_case_id("RC-000001");
  notify.mutable_record_notification()->set_channel("phone");
  v1::Command close = NewCommand();
  close.mutable_close_recall_case()->set_case_id("RC-000001");

  const auto read_case = [&]() {
    auto c = MustReadRecallCase(store_->live(), "RC-000001");
    EXPECT_THAT(c.status(), IsOk());
    return c.ok() ? *c : v1::RecallCase();
  };
  const auto decided = [&](const v1::Command& c) {
    const DecisionContext ctx{
        store_->live(),          clock_.Now(), absl::UTCTimeZone(), c.actor(),
        ledger_->head().seq + 1, nullptr,      &personal_};
    auto d = Decide(c, ctx);
    EXPECT_THAT(d.status(), IsOk());
    if (!d.ok()) return;
    EXPECT_FALSE(d->result.has_recall_case())
        << "the decision builds no reply of its own";
    EXPECT_TRUE(d->read_back != nullptr);
  };

  decided(open);
  const v1::CommandResult opened = MustRun(open);
  ASSERT_EQ(opened.recall_case().exposed_size(), 1);
  EXPECT_EQ(opened.recall_case().SerializeAsString(),
            read_case().SerializeAsString());

  notify.mutable_record_notification()->set_client_id(
      opened.recall_case().exposed(0).client_id());
  decided(notify);
  const v1::CommandResult notified = MustRun(notify);
  EXPECT_TRUE(notified.recall_case().exposed(0).notified());
  EXPECT_EQ(notified.recall_case().SerializeAsString(),
            read_case().SerializeAsString());

  decided(close);
  const v1::CommandResult closed = MustRun(close);
  EXPECT_EQ(closed.recall_case().status(), v1::RECALL_CASE_STATUS_CLOSED);
  EXPECT_EQ(closed.recall_case().SerializeAsString(),
            read_case().SerializeAsString());
}

TEST(AwaitsDisposal, SaysWhichUsesMustGoIntoASharpsContainer) {
  struct Row {
    const char* name;
    bool single_use, pigment_draw, disposed, voided;
    v1::VoidedPackage package;
    bool awaits;
  };
  const Row rows[] = {
      {"opened cartridge", true, false, false, false,
       v1::VOIDED_PACKAGE_UNSPECIFIED, true},
      {"disposed cartridge", true, false, true, false,
       v1::VOIDED_PACKAGE_UNSPECIFIED, false},
      {"voided as opened", true, false, false, true, v1::VOIDED_PACKAGE_OPENED,
       true},
      {"voided before voids said", true, false, false, true,
       v1::VOIDED_PACKAGE_UNSPECIFIED, true},
      {"voided as not opened", true, false, false, true,
       v1::VOIDED_PACKAGE_NOT_OPENED, false},
      {"voided as opened, then disposed", true, false, true, true,
       v1::VOIDED_PACKAGE_OPENED, false},
      {"pigment draw", false, true, false, false,
       v1::VOIDED_PACKAGE_UNSPECIFIED, false},
      {"reusable item", false, false, false, false,
       v1::VOIDED_PACKAGE_UNSPECIFIED, false},
  };
  for (const Row& row : rows) {
    v1::ConsumableUse use;
    use.set_single_use(row.single_use);
    use.set_pigment_draw(row.pigment_draw);
    if (row.disposed) use.set_container_id("SHC-000001");
    use.set_voided(row.voided);
    use.set_void_package(row.package);
    EXPECT_EQ(AwaitsDisposal(use), row.awaits) << row.name;
  }
}

// Replies come from the state the command wrote: each equals a later read.
TEST_F(AggregateTest, RepliesEqualTheStoredState) {
  auto scanned = Run(Scan(kSession, "GOOD", "G3"));
  ASSERT_THAT(scanned, IsOk());
  auto session = ReadSession(store_->live(), 1);
  ASSERT_TRUE(session.ok() && session->has_value());
  EXPECT_EQ(scanned->scan().summary().SerializeAsString(),
            SessionLineOf(**session).SerializeAsString());
  EXPECT_EQ(scanned->scan().use().SerializeAsString(),
            (*session)->consumables(2).SerializeAsString());
  EXPECT_EQ(scanned->scan().use().serial(), "G3");

  auto disposed = Run(Dispose(kContainer, "GOOD", "G2"));
  ASSERT_THAT(disposed, IsOk());
  auto unit = ReadUnit(store_->live(), Cartridge(), "G2");
  auto container = ReadContainer(store_->live(), 1);
  ASSERT_TRUE(unit.ok() && unit->has_value());
  ASSERT_TRUE(container.ok() && container->has_value());
  EXPECT_EQ(disposed->dispose().unit().SerializeAsString(),
            (*unit)->SerializeAsString());
  EXPECT_EQ(disposed->dispose().container().SerializeAsString(),
            (*container)->SerializeAsString());
  EXPECT_EQ(disposed->dispose().container().unit_count(), 2);

  auto transferred = Run(Transfer(kStore, kRoom, "G5"));
  ASSERT_THAT(transferred, IsOk());
  auto moved = ReadUnit(store_->live(), Cartridge(), "G5");
  ASSERT_TRUE(moved.ok() && moved->has_value());
  ASSERT_EQ(transferred->transfer().units_size(), 1);
  EXPECT_EQ(transferred->transfer().units(0).SerializeAsString(),
            (*moved)->SerializeAsString());

  v1::Command adjust = NewCommand();
  v1::AdjustStockRequest* a = adjust.mutable_adjust_stock();
  a->set_gtin(Cartridge());
  a->set_lot("GOOD");
  a->set_location_id(kRoom);
  a->set_delta(-1);
  a->set_reason("count");
  auto adjusted = Run(adjust);
  ASSERT_THAT(adjusted, IsOk());
  auto counts = ReadStockCounts(store_->live(), Cartridge(), "GOOD", 2);
  ASSERT_THAT(counts.status(), IsOk());
  EXPECT_EQ(adjusted->adjust_stock().stock().in_stock(), counts->in_stock());
  EXPECT_EQ(adjusted->adjust_stock().stock().discarded(), counts->discarded());

  // The close reply carries the seal's hash, as the stored session does.
  auto closed = Run(Close(kSession, "G3 dropped"));
  ASSERT_THAT(closed, IsOk());
  session = ReadSession(store_->live(), 1);
  ASSERT_TRUE(session.ok() && session->has_value());
  EXPECT_FALSE(closed->session().seal().hash().empty());
  EXPECT_EQ(closed->session().SerializeAsString(),
            (*session)->SerializeAsString());

  auto report = RebuildCheck(store_->live(), dir_.Sub("scratch"), 10);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok) << ::testing::PrintToString(report->differences);
}

}  // namespace
}  // namespace smptrace::ledger
