// SessionService and DisposalService through a real in-process server over a
// real RocksDB: a whole procedure, DESIGN.md's invariants 1-3 (including two
// practitioners scanning one unit at the same instant), every scan refusal
// and its record, pigment bottles, voids, close and seal, screening, and the
// sharps containers' chain of custody.
#include "service/api/session_service.h"

#include <atomic>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "storage/store.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::Day;
using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::Gs1Scan;
using ::smptrace::testing::IsRefusal;
using ::smptrace::testing::RefusalReasonOf;
using ::testing::_;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::string ledger_day(const v1::Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(),
                d.day());
  return buf;
}

class SessionServiceTest : public testing::ClinicServerTest {
 protected:
  void SetUp() override {
    ClinicServerTest::SetUp();
    client_ = CreateClient("HX-104", "Alex Example");
  }

  // Registers a client; returns its id.
  std::string CreateClient(const std::string& code, const std::string& name) {
    v1::CreateClientRequest r;
    r.set_request_id("client-" + code);
    r.set_code(code);
    r.mutable_contact()->set_name(name);
    r.mutable_contact()->set_phone("+44 20 7946 0000");
    v1::Client client;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->CreateClient(&ctx, r, &client);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return client.client_id();
  }

  v1::StartSessionRequest StartRequest(
      const std::string& location = "", v1::PlanStep step = v1::PLAN_STEP_FIRST,
      const v1::ScreeningAnswers& answers = {},
      const std::string& override_approval_id = "") {
    v1::StartSessionRequest r;
    r.set_request_id(NextId());
    r.set_client("HX-104");
    r.set_practitioner("Sam Practitioner");
    r.set_location_id(location.empty() ? room_ : location);
    r.set_plan_step(step);
    r.set_treatment_area("crown");
    *r.mutable_answers() = answers;
    // No answer given: the practitioner says none applies.
    if (answers.ByteSizeLong() == 0) r.mutable_answers()->set_none_apply(true);
    r.set_override_approval_id(override_approval_id);
    return r;
  }

  grpc::Status Start(v1::Session* out, const std::string& location = "",
                     v1::PlanStep step = v1::PLAN_STEP_FIRST,
                     const v1::ScreeningAnswers& answers = {},
                     const std::string& override_approval_id = "") {
    grpc::ClientContext ctx;
    return sessions_->StartSession(
        &ctx, StartRequest(location, step, answers, override_approval_id), out);
  }

  std::string StartOrDie() {
    v1::Session s;
    grpc::Status status = Start(&s);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return s.session_id();
  }

  // Receives `n` cartridges of `lot` in the room with serials `prefix`0,
  // `prefix`1, ...; returns their scans.
  std::vector<std::string> ReceiveSerials(const std::string& lot,
                                          const std::string& prefix, int n) {
    std::vector<std::string> scans;
    for (int i = 0; i < n; ++i) {
      scans.push_back(
          Gs1Scan(kCartridge, "271231", lot, prefix + std::to_string(i)));
    }
    EXPECT_TRUE(ReceiveScans(scans, nullptr, room_).ok());
    return scans;
  }

  grpc::Status ScanInto(const std::string& session, const std::string& barcode,
                        v1::ScanConsumableResponse* out = nullptr,
                        bool damaged = false,
                        const std::string& request_id = "") {
    v1::ScanConsumableRequest r;
    r.set_request_id(request_id.empty() ? NextId() : request_id);
    r.set_session_id(session);
    r.set_barcode(barcode);
    r.set_package_damaged(damaged);
    v1::ScanConsumableResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->ScanConsumable(&ctx, r, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  std::string OpenContainer() {
    v1::OpenContainerRequest r;
    r.set_request_id(NextId());
    r.set_location_id(room_);
    r.set_label("5 L yellow");
    v1::Container c;
    grpc::ClientContext ctx;
    EXPECT_TRUE(disposal_->OpenContainer(&ctx, r, &c).ok());
    return c.container_id();
  }

  grpc::Status Dispose(const std::string& container, const std::string& barcode,
                       v1::DisposeResponse* out = nullptr) {
    v1::DisposeRequest r;
    r.set_request_id(NextId());
    r.set_container_id(container);
    r.set_barcode(barcode);
    v1::DisposeResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = disposal_->Dispose(&ctx, r, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  // Disposes with a barcode, for `session` when given.
  grpc::Status DisposeFor(const std::string& session,
                          const std::string& container,
                          const std::string& barcode,
                          v1::DisposeResponse* out = nullptr) {
    v1::DisposeRequest r;
    r.set_request_id(NextId());
    r.set_container_id(container);
    r.set_barcode(barcode);
    r.set_session_id(session);
    v1::DisposeResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = disposal_->Dispose(&ctx, r, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  grpc::Status Void(const std::string& session, uint64_t scan_seq,
                    v1::VoidedPackage package, v1::Session* out = nullptr) {
    v1::VoidScanRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session);
    r.set_scan_seq(scan_seq);
    r.set_reason("scanned the wrong box");
    r.set_package(package);
    v1::Session response;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->VoidScan(&ctx, r, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  // A manager's approval of a BLOCKED screening (on this server without
  // authentication, under the name given).
  grpc::Status Approve(const std::string& client, const std::string& manager,
                       v1::ScreeningOverrideApproval* out) {
    v1::ApproveScreeningOverrideRequest r;
    r.set_request_id(NextId());
    r.set_client(client);
    r.set_manager(manager);
    r.set_reason("prescriber letter on file");
    grpc::ClientContext ctx;
    return sessions_->ApproveScreeningOverride(&ctx, r, out);
  }

  v1::Unit UnitNow(const std::string& gtin, const std::string& serial) {
    v1::GetUnitRequest r;
    r.set_gtin(gtin);
    r.set_serial(serial);
    v1::Unit unit;
    grpc::ClientContext ctx;
    grpc::Status s = inventory_->GetUnit(&ctx, r, &unit);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return unit;
  }

  grpc::Status Close(const std::string& session, v1::Session* out,
                     const std::string& reason = "") {
    v1::CloseSessionRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session);
    r.set_undisposed_reason(reason);
    grpc::ClientContext ctx;
    return sessions_->CloseSession(&ctx, r, out);
  }

  v1::GetSessionResponse Get(const std::string& session) {
    v1::GetSessionRequest r;
    r.set_session_id(session);
    v1::GetSessionResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->GetSession(&ctx, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  void SetToday(int y, int m, int d) {
    clock_.Set(absl::FromCivil(absl::CivilSecond(y, m, d, 10, 0, 0),
                               absl::UTCTimeZone()));
  }

  std::string client_;
};

TEST_F(SessionServiceTest, AWholeProcedureLeavesACompleteSealedRecord) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CART-7", "SN1"),
                            Gs1Scan(kCartridge, "271231", "CART-7", "", 5),
                            Gs1Scan(kPigment, "280630", "INK-3", "", 2)},
                           nullptr, room_)
                  .ok());
  v1::Session started;
  ASSERT_TRUE(Start(&started).ok());
  EXPECT_EQ(started.status(), v1::SESSION_STATUS_OPEN);
  EXPECT_EQ(started.client_code(), "HX-104");
  EXPECT_EQ(started.screening().verdict(), v1::SCREENING_VERDICT_CLEARED);
  const std::string session = started.session_id();

  v1::ScanConsumableResponse a, b, ink;
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "CART-7", "SN1"), &a)
          .ok());
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "CART-7"), &b).ok());
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kPigment, "280630", "INK-3"), &ink).ok());
  EXPECT_EQ(a.use().serial(), "SN1");
  EXPECT_EQ(a.use().lot(), "CART-7");
  EXPECT_TRUE(a.use().single_use());
  EXPECT_THAT(a.use().checks(),
              ::testing::Contains(HasSubstr("expires 2027-12-31")));
  EXPECT_NE(b.use().serial(), "SN1");  // a minted unit of the same lot
  EXPECT_TRUE(ink.use().pigment_draw());
  EXPECT_EQ(ink.use().usable_until().month(), 5);  // opened now + 180 days

  const std::string container = OpenContainer();
  ASSERT_TRUE(
      Dispose(container, Gs1Scan(kCartridge, "271231", "CART-7", "SN1")).ok());
  v1::DisposeResponse by_lot;
  ASSERT_TRUE(
      Dispose(container, Gs1Scan(kCartridge, "271231", "CART-7"), &by_lot)
          .ok());
  EXPECT_EQ(by_lot.unit().serial(), b.use().serial());

  v1::Session closed;
  ASSERT_TRUE(Close(session, &closed).ok());
  EXPECT_EQ(closed.status(), v1::SESSION_STATUS_CLOSED);
  EXPECT_EQ(closed.seal().seq(), JournalLength());
  EXPECT_THAT(closed.seal().hash(), SizeIs(64));

  v1::GetSessionResponse record = Get(session);
  EXPECT_EQ(record.verdict(), v1::RECORD_VERDICT_COMPLIANT);
  ASSERT_THAT(record.session().consumables(), SizeIs(3));
  for (const auto& use : record.session().consumables()) {
    EXPECT_TRUE(use.has_expiry()) << use.product_name();
    if (use.single_use()) {
      EXPECT_EQ(use.container_id(), container);
      EXPECT_TRUE(use.has_disposed_at());
    }
  }
  EXPECT_EQ(LineOf(kCartridge, "CART-7", room_).opened(), 2);
  EXPECT_EQ(LineOf(kCartridge, "CART-7", room_).in_stock(), 4);

  // Sealed: nothing more can be recorded on it.
  EXPECT_THAT(ScanInto(session, Gs1Scan(kCartridge, "271231", "CART-7")),
              IsRefusal("session_not_open", HasSubstr("closed and sealed")));
  ExpectRebuildMatches();
}

// A GS1 Digital Link URI, as a QR Code or DataMatrix on a pack carries it
// (issue 14), is read wherever an element string is: received, scanned into
// a session and disposed of with the GTIN, lot, expiry and serial it holds.
// Its query string may hold parameters that are no GS1 data (linkType).
TEST_F(SessionServiceTest, ADigitalLinkIsReceivedScannedAndDisposedOf) {
  const std::string link = absl::StrCat("https://id.gs1.org/01/", kCartridge,
                                        "/10/DL%2D7/21/SN9?17=271231&"
                                        "linkType=gs1:pip");
  ASSERT_TRUE(ReceiveScans({"]Q1" + link}, nullptr, room_).ok());
  EXPECT_EQ(LineOf(kCartridge, "DL-7", room_).in_stock(), 1);
  const std::string session = StartOrDie();

  v1::ScanConsumableResponse scan;
  grpc::Status s = ScanInto(session, "]d1" + link + "\r\n", &scan);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(scan.use().gtin(), kCartridge);
  EXPECT_EQ(scan.use().lot(), "DL-7");
  EXPECT_EQ(scan.use().serial(), "SN9");
  EXPECT_EQ(scan.use().expiry().year(), 2027);
  EXPECT_EQ(scan.use().expiry().month(), 12);
  EXPECT_EQ(scan.use().expiry().day(), 31);
  EXPECT_EQ(LineOf(kCartridge, "DL-7", room_).opened(), 1);

  ASSERT_TRUE(DisposeFor(session, OpenContainer(), link).ok());
  v1::Session closed;
  ASSERT_TRUE(Close(session, &closed).ok());
  EXPECT_EQ(Get(session).verdict(), v1::RECORD_VERDICT_COMPLIANT);
}

// A Digital Link that breaks a rule is refused like a bad element string,
// naming the byte position in the URI, the AI and the rule.
TEST_F(SessionServiceTest, ABadDigitalLinkIsRefusedNamingPositionAndRule) {
  ASSERT_TRUE(
      ReceiveScans({Gs1Scan(kCartridge, "271231", "DL-8")}, nullptr, room_)
          .ok());
  const std::string session = StartOrDie();
  const uint64_t before = JournalLength();
  const grpc::Status s = ScanInto(
      session, absl::StrCat("https://id.gs1.org/01/", kCartridge, "?10=DL-8"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(),
              HasSubstr("position 37: AI (10) is a key qualifier of AI (01): "
                        "it belongs in the path (/10/...)"));
  EXPECT_EQ(JournalLength(), before);
}

// A disposal names its session only by id: one that does not exist, or is
// no session id, is refused naming the field, and nothing is written.
TEST_F(SessionServiceTest, ADisposalNamingNoSessionIsRefusedNamingTheField) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "DS-1", "S1")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  const std::string barcode = Gs1Scan(kCartridge, "271231", "DS-1", "S1");
  ASSERT_TRUE(ScanInto(session, barcode).ok());
  const std::string container = OpenContainer();
  const uint64_t before = JournalLength();
  EXPECT_THAT(DisposeFor("SES-000099", container, barcode),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           "session_id: session SES-000099 does not exist"));
  EXPECT_THAT(DisposeFor("CLI-000001", container, barcode),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("session_id")));
  EXPECT_EQ(JournalLength(), before);
  v1::DisposeResponse disposed;
  ASSERT_TRUE(DisposeFor(session, container, barcode, &disposed).ok());
  EXPECT_EQ(JournalLength(), before + 1);
}

TEST_F(SessionServiceTest,
       ARefusedScanIsRecordedOnTheSessionAndChangesNoStock) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "BAD-1", "", 3)},
                           nullptr, room_)
                  .ok());
  ASSERT_TRUE(SetLotStatus(kCartridge, "BAD-1", v1::LOT_STATUS_RECALLED).ok());
  const std::string session = StartOrDie();
  const uint64_t before = JournalLength();
  EXPECT_THAT(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "BAD-1")),
      IsRefusal("lot_recalled",
                AllOf(HasSubstr("Cartridge 1RL 0.25 lot BAD-1 is recalled "
                                "(notice FSN-2026-014)"),
                      HasSubstr("do not use it"))));
  EXPECT_EQ(JournalLength(), before + 1);  // the refusal itself
  const v1::Session s = Get(session).session();
  ASSERT_THAT(s.refused_scans(), SizeIs(1));
  EXPECT_EQ(s.refused_scans(0).reason(), "lot_recalled");
  EXPECT_EQ(s.refused_scans(0).seq(), before + 1);
  EXPECT_THAT(s.consumables(), SizeIs(0));
  EXPECT_EQ(LineOf(kCartridge, "BAD-1", room_).in_stock(), 3);
}

TEST_F(SessionServiceTest, EachScanRefusalHasItsReasonAndMessage) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "Q-1", "", 1),
                            Gs1Scan(kCartridge, "271231", "IN-STORE", "", 1)})
                  .ok());
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "Q-1", "", 1),
                            Gs1Scan(kCartridge, "271231", "OK-1", "", 1)},
                           nullptr, room_)
                  .ok());
  ASSERT_TRUE(SetLotStatus(kCartridge, "Q-1", v1::LOT_STATUS_QUARANTINED).ok());
  const std::string session = StartOrDie();
  EXPECT_THAT(ScanInto(session, Gs1Scan(kCartridge, "271231", "Q-1")),
              IsRefusal("lot_quarantined",
                        HasSubstr("lot Q-1 is quarantined (supplier query): do "
                                  "not use it until it is released")));
  EXPECT_THAT(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "IN-STORE")),
      IsRefusal("unit_elsewhere",
                AllOf(HasSubstr("none in stock at " + room_ + " (Room 1);"),
                      HasSubstr("in stock at " + store_ + " (Stock room): 1"),
                      HasSubstr("transfer it here first"))));
  EXPECT_THAT(
      ScanInto(session, Gs1Scan(testing::TestGtin(77), "271231", "X")),
      IsRefusal("unknown_item", HasSubstr("GTIN " + testing::TestGtin(77) +
                                          " is not in the catalogue")));
  EXPECT_THAT(ScanInto(session, Gs1Scan(kCartridge, "271231", "NEVER")),
              IsRefusal("unknown_item",
                        HasSubstr("lot NEVER of Cartridge 1RL 0.25 was never "
                                  "received")));
  ASSERT_TRUE(ScanInto(session, Gs1Scan(kCartridge, "271231", "OK-1")).ok());
  EXPECT_THAT(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "OK-1")),
      IsRefusal("not_in_stock", HasSubstr("OK-1: no unit is in stock")));
  EXPECT_THAT(ScanInto(session, "]d2010950600000001"),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("barcode: position")));
  EXPECT_THAT(Get(session).session().refused_scans(), SizeIs(5));
}

TEST_F(SessionServiceTest, ReusingASingleUseUnitIsRefusedAndIsAnException) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "R-1", "SN-R")},
                           nullptr, room_)
                  .ok());
  const std::string first = StartOrDie();
  ASSERT_TRUE(
      ScanInto(first, Gs1Scan(kCartridge, "271231", "R-1", "SN-R")).ok());
  clock_.Advance(absl::Hours(2));
  v1::Session other;
  ASSERT_TRUE(Start(&other).ok());
  EXPECT_THAT(
      ScanInto(other.session_id(),
               Gs1Scan(kCartridge, "271231", "R-1", "SN-R")),
      IsRefusal("unit_already_used",
                AllOf(HasSubstr("serial SN-R"),
                      HasSubstr("was already opened in session " + first),
                      HasSubstr("never reuse it"))));
  const v1::GetSessionResponse record = Get(other.session_id());
  ASSERT_THAT(record.session().exceptions(), SizeIs(1));
  EXPECT_EQ(record.session().exceptions(0).kind(), "reuse_attempt");
}

// Issue 13 item 3 / issue 12 item 10: a scanner's double read, or a re-scan
// after a lost answer, is the same use: answered as the first scan (same
// unit, same scan number), with the same request id or a new one, and
// nothing recorded, not even after the unit is disposed. Another session
// scanning the unit is still a reuse attempt.
TEST_F(SessionServiceTest, AUnitScannedAgainIntoItsOwnSessionIsTheSameUse) {
  const std::string label = Gs1Scan(kCartridge, "271231", "D-1", "SN-D");
  ASSERT_TRUE(ReceiveScans({label}, nullptr, room_).ok());
  const std::string session = StartOrDie();
  v1::ScanConsumableRequest r;
  r.set_request_id("scan-first");
  r.set_session_id(session);
  r.set_barcode(label);
  v1::ScanConsumableResponse first;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ScanConsumable(&ctx, r, &first).ok());
  }
  const uint64_t entries = JournalLength();

  v1::ScanConsumableResponse retried;  // the same request id
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ScanConsumable(&ctx, r, &retried).ok());
  }
  EXPECT_EQ(retried.use().SerializeAsString(), first.use().SerializeAsString());

  clock_.Advance(absl::Seconds(1));
  v1::ScanConsumableResponse again;  // a new request id: a double read
  grpc::Status double_read = ScanInto(session, label, &again);
  ASSERT_TRUE(double_read.ok()) << double_read.error_message();
  EXPECT_EQ(again.use().SerializeAsString(), first.use().SerializeAsString());
  EXPECT_EQ(again.summary().consumables(), 1);
  EXPECT_EQ(JournalLength(), entries);

  const std::string container = OpenContainer();
  ASSERT_TRUE(Dispose(container, label).ok());
  const uint64_t disposed = JournalLength();
  v1::ScanConsumableResponse after;
  ASSERT_TRUE(ScanInto(session, label, &after).ok());
  EXPECT_EQ(after.use().seq(), first.use().seq());
  EXPECT_EQ(after.use().container_id(), container);
  EXPECT_EQ(JournalLength(), disposed);

  const v1::Session record = Get(session).session();
  EXPECT_THAT(record.consumables(), SizeIs(1));
  EXPECT_THAT(record.exceptions(), SizeIs(0));
  EXPECT_THAT(record.refused_scans(), SizeIs(0));
  EXPECT_EQ(LineOf(kCartridge, "D-1", room_).opened(), 1);

  const std::string other = StartOrDie();
  EXPECT_THAT(ScanInto(other, label),
              IsRefusal("unit_already_used",
                        AllOf(HasSubstr("serial SN-D"),
                              HasSubstr("disposed into " + container))));
  const v1::Session refused = Get(other).session();
  ASSERT_THAT(refused.exceptions(), SizeIs(1));
  EXPECT_EQ(refused.exceptions(0).kind(), "reuse_attempt");
  EXPECT_THAT(Get(session).session().exceptions(), SizeIs(0));
  ExpectRebuildMatches();
}

// The reuse decision comes before the lot's status: a used unit of a lot
// recalled since is still a reuse attempt, not hidden as lot_recalled.
TEST_F(SessionServiceTest, AReuseAttemptIsNamedWhateverTheLotStatusIsNow) {
  const std::string label = Gs1Scan(kCartridge, "271231", "R-2", "SN-X");
  ASSERT_TRUE(ReceiveScans({label}, nullptr, room_).ok());
  const std::string first = StartOrDie();
  ASSERT_TRUE(ScanInto(first, label).ok());
  ASSERT_TRUE(SetLotStatus(kCartridge, "R-2", v1::LOT_STATUS_RECALLED).ok());
  const std::string other = StartOrDie();
  EXPECT_THAT(ScanInto(other, label),
              IsRefusal("unit_already_used",
                        HasSubstr("was already opened in session " + first)));
  const v1::Session record = Get(other).session();
  ASSERT_THAT(record.exceptions(), SizeIs(1));
  EXPECT_EQ(record.exceptions(0).kind(), "reuse_attempt");
}

// Invariant 1, the race: two practitioners scan the same unit at the same
// instant; exactly one wins, every time.
TEST_F(SessionServiceTest, TwoSessionsScanningOneUnitAtOnceExactlyOneWins) {
  constexpr int kTrials = 40;
  std::vector<std::string> scans;
  for (int i = 0; i < kTrials; ++i) {
    scans.push_back(
        Gs1Scan(kCartridge, "271231", "RACE", "S" + std::to_string(i)));
  }
  ASSERT_TRUE(ReceiveScans(scans, nullptr, room_).ok());
  for (int trial = 0; trial < kTrials; ++trial) {
    const std::string a = StartOrDie();
    const std::string b = StartOrDie();
    std::atomic<int> ready{0};
    grpc::Status results[2];
    auto scan = [&](int i, const std::string& session) {
      v1::ScanConsumableRequest r;
      r.set_request_id("race-" + std::to_string(trial) + "-" +
                       std::to_string(i));
      r.set_session_id(session);
      r.set_barcode(scans[trial]);
      ready.fetch_add(1);
      while (ready.load() < 2) {
      }
      v1::ScanConsumableResponse out;
      grpc::ClientContext ctx;
      results[i] = sessions_->ScanConsumable(&ctx, r, &out);
    };
    std::thread t1(scan, 0, a), t2(scan, 1, b);
    t1.join();
    t2.join();
    const int wins = results[0].ok() + results[1].ok();
    ASSERT_EQ(wins, 1) << "trial " << trial << ": "
                       << results[0].error_message() << " / "
                       << results[1].error_message();
    const grpc::Status& lost = results[0].ok() ? results[1] : results[0];
    EXPECT_EQ(RefusalReasonOf(lost), "unit_already_used")
        << lost.error_message();
  }
  EXPECT_EQ(LineOf(kCartridge, "RACE", room_).opened(), kTrials);
  ExpectRebuildMatches();
}

TEST_F(SessionServiceTest, ExpiryIsCheckedAtTheTimeOfUseThroughItsLastDay) {
  // Day 00: the last day of the month, 2026-11-30.
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "261100", "EOM", "", 3)},
                           nullptr, room_)
                  .ok());
  SetToday(2026, 11, 30);
  const std::string session = StartOrDie();
  ASSERT_TRUE(ScanInto(session, Gs1Scan(kCartridge, "261100", "EOM")).ok());
  SetToday(2026, 12, 1);
  EXPECT_THAT(
      ScanInto(session, Gs1Scan(kCartridge, "261100", "EOM")),
      IsRefusal("expired", HasSubstr("Cartridge 1RL 0.25 lot EOM expired on "
                                     "2026-11-30")));
}

TEST_F(SessionServiceTest, ALaterExpiringLotGetsAFefoAdvisoryNotARefusal) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "270131", "EARLY", "", 2),
                            Gs1Scan(kCartridge, "271231", "LATE", "", 2)},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  v1::ScanConsumableResponse late, early;
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "LATE"), &late).ok());
  EXPECT_THAT(late.use().advisory(),
              HasSubstr("FEFO: lot EARLY expires sooner (2027-01-31) and has 2 "
                        "in stock here"));
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "270131", "EARLY"), &early).ok());
  EXPECT_EQ(early.use().advisory(), "");
}

TEST_F(SessionServiceTest, ADamagedPackageIsDiscardedInsteadOfUsed) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "D-1", "", 2)},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  v1::ScanConsumableResponse out;
  ASSERT_TRUE(ScanInto(session, Gs1Scan(kCartridge, "271231", "D-1"), &out,
                       /*damaged=*/true)
                  .ok());
  EXPECT_TRUE(out.discarded());
  const v1::StockLine line = LineOf(kCartridge, "D-1", room_);
  EXPECT_EQ(line.in_stock(), 1);
  EXPECT_EQ(line.discarded(), 1);
  EXPECT_EQ(line.opened(), 0);
  const v1::Session s = Get(session).session();
  EXPECT_THAT(s.consumables(), SizeIs(0));
  ASSERT_THAT(s.refused_scans(), SizeIs(1));
  EXPECT_EQ(s.refused_scans(0).reason(), "package_damaged");
  ExpectRebuildMatches();
}

TEST_F(SessionServiceTest, ADamagedPackageIsAnExceptionOnTheRecord) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CT-1", "SN1"),
                            Gs1Scan(kCartridge, "271231", "CT-1", "SN2")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  v1::ScanConsumableResponse damaged;
  ASSERT_TRUE(ScanInto(session, Gs1Scan(kCartridge, "271231", "CT-1", "SN1"),
                       &damaged, /*damaged=*/true)
                  .ok());
  EXPECT_TRUE(damaged.discarded());
  EXPECT_FALSE(damaged.has_use());
  EXPECT_EQ(damaged.summary().exceptions(), 1);
  EXPECT_EQ(damaged.summary().consumables(), 0);

  // The stored record (as the projection wrote it, across a restart) says
  // the same, and the closed record's verdict shows it.
  RestartServer();
  v1::GetSessionResponse got = Get(session);
  ASSERT_THAT(got.session().exceptions(), SizeIs(1));
  const v1::SessionException& e = got.session().exceptions(0);
  EXPECT_EQ(e.kind(), "package_damaged");
  EXPECT_THAT(e.detail(), AllOf(HasSubstr("SN1"), HasSubstr("CT-1"),
                                HasSubstr("package damaged")));
  ASSERT_THAT(got.session().refused_scans(), SizeIs(1));
  EXPECT_EQ(e.seq(), got.session().refused_scans(0).seq());
  v1::Session closed;
  ASSERT_TRUE(Close(session, &closed).ok());
  EXPECT_EQ(Get(session).verdict(), v1::RECORD_VERDICT_EXCEPTIONS);

  // The auditor's exceptions of the period list it.
  v1::ListExceptionsResponse listed;
  grpc::ClientContext ctx;
  ASSERT_TRUE(audit_->ListExceptions(&ctx, {}, &listed).ok());
  ASSERT_THAT(listed.exceptions(), SizeIs(1));
  EXPECT_EQ(listed.exceptions(0).session_id(), session);
  EXPECT_EQ(listed.exceptions(0).exception().kind(), "package_damaged");
  ExpectRebuildMatches();
}

// A scan answers with its use and the session's counts, not every use: the
// answer stays the same size however many uses the session has, and its
// counts follow what was done elsewhere (a void, a disposal), so a kiosk
// that keeps its own list can tell when to read the session again.
TEST_F(SessionServiceTest, AScanAnswersWithItsUseAndTheSessionsCountsOnly) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CT-1", "", 12)},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  const std::string label = Gs1Scan(kCartridge, "271231", "CT-1");
  std::vector<v1::ScanConsumableResponse> answers(10);
  for (v1::ScanConsumableResponse& answer : answers) {
    grpc::Status s = ScanInto(session, label, &answer);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const v1::ScanConsumableResponse& last = answers.back();
  EXPECT_EQ(last.summary().session_id(), session);
  EXPECT_EQ(last.summary().status(), v1::SESSION_STATUS_OPEN);
  EXPECT_EQ(last.summary().consumables(), 10);
  EXPECT_EQ(last.summary().awaiting_disposal(), 10);
  EXPECT_EQ(last.summary().voided(), 0);
  // Nothing but the use grows: the 10th answer is the size of the 1st (a
  // few bytes for larger counts and seqs), where the whole session was ~10
  // times the size of one use.
  EXPECT_LE(last.ByteSizeLong(), answers.front().ByteSizeLong() + 8);
  EXPECT_EQ(last.use().SerializeAsString(),
            Get(session).session().consumables(9).SerializeAsString());

  // Elsewhere: one scan voided, one unit disposed of.
  ASSERT_TRUE(
      Void(session, answers[0].use().seq(), v1::VOIDED_PACKAGE_NOT_OPENED)
          .ok());
  const std::string container = OpenContainer();
  ASSERT_TRUE(Dispose(container, Gs1Scan(kCartridge, "271231", "CT-1",
                                         answers[1].use().serial()))
                  .ok());
  v1::ScanConsumableResponse next;
  ASSERT_TRUE(ScanInto(session, label, &next).ok());
  EXPECT_EQ(next.summary().consumables(), 10);
  EXPECT_EQ(next.summary().voided(), 1);
  EXPECT_EQ(next.summary().awaiting_disposal(), 9);
}

TEST_F(SessionServiceTest, ARetriedRefusedScanAnswersWithTheSameReason) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CT-1", "SN1")},
                           nullptr, room_)
                  .ok());
  const std::string unit = Gs1Scan(kCartridge, "271231", "CT-1", "SN1");
  ASSERT_TRUE(ScanInto(StartOrDie(), unit).ok());
  const std::string second = StartOrDie();
  const grpc::Status refused =
      ScanInto(second, unit, nullptr, false, "scan-reuse-1");
  ASSERT_THAT(refused, IsRefusal("unit_already_used", HasSubstr("SN1")));
  const uint64_t length = JournalLength();
  // Answered from the stored idempotency record (also after a restart),
  // nothing new written, the same in every part.
  RestartServer();
  const grpc::Status retried =
      ScanInto(second, unit, nullptr, false, "scan-reuse-1");
  EXPECT_EQ(retried.error_code(), refused.error_code());
  EXPECT_EQ(retried.error_message(), refused.error_message());
  EXPECT_EQ(RefusalReasonOf(retried), "unit_already_used");
  EXPECT_EQ(retried.error_details(), refused.error_details());
  EXPECT_EQ(JournalLength(), length);
}

TEST_F(SessionServiceTest, EveryRetriedRefusalAnswersAsTheFirst) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CT-1", "SN1")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "CT-1", "SN1")).ok());
  const std::string other = StartOrDie();
  struct Case {
    std::string rpc;
    std::function<grpc::Status(const std::string& request_id)> call;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"ScanConsumable",
       [&](const std::string& id) {
         return ScanInto(other, Gs1Scan(kCartridge, "271231", "CT-1", "SN1"),
                         nullptr, false, id);
       },
       "unit_already_used"},
      {"Receive",
       [&](const std::string& id) {
         v1::ReceiveLine line;
         line.set_barcode(Gs1Scan(kCartridge, "260131", "OLD-1", "", 2));
         return Receive({line}, nullptr, "", id);
       },
       "lot_expired"},
      {"StartSession",
       [&](const std::string& id) {
         v1::StartSessionRequest r;
         r.set_request_id(id);
         r.set_client("HX-104");
         r.set_practitioner("Sam Practitioner");
         r.set_location_id(room_);
         r.set_plan_step(v1::PLAN_STEP_FIRST);
         r.set_treatment_area("crown");
         r.mutable_answers()->set_finasteride_current(true);
         v1::Session out;
         grpc::ClientContext ctx;
         return sessions_->StartSession(&ctx, r, &out);
       },
       "screening_blocked"},
      {"CloseSession",
       [&](const std::string& id) {
         v1::CloseSessionRequest r;
         r.set_request_id(id);
         r.set_session_id(session);
         v1::Session out;
         grpc::ClientContext ctx;
         return sessions_->CloseSession(&ctx, r, &out);
       },
       "units_not_disposed"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rpc);
    const std::string id = "retry-" + c.rpc;
    const grpc::Status first = c.call(id);
    ASSERT_EQ(RefusalReasonOf(first), c.reason) << first.error_message();
    const grpc::Status again = c.call(id);
    EXPECT_EQ(again.error_code(), first.error_code());
    EXPECT_EQ(again.error_message(), first.error_message());
    EXPECT_EQ(RefusalReasonOf(again), c.reason);
    EXPECT_EQ(again.error_details(), first.error_details());
  }
}

TEST_F(SessionServiceTest, PigmentDrawOnEveryBottleScanOpenedBottleOnTheFirst) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kPigment, "280630", "INK-3", "BOT1")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  const std::string bottle = Gs1Scan(kPigment, "280630", "INK-3", "BOT1");
  v1::ScanConsumableResponse opened, drawn;
  ASSERT_TRUE(ScanInto(session, bottle, &opened).ok());
  ASSERT_TRUE(ScanInto(StartOrDie(), bottle, &drawn).ok());
  EXPECT_TRUE(opened.use().pigment_draw());
  EXPECT_TRUE(opened.use().opened_bottle());
  EXPECT_TRUE(drawn.use().pigment_draw());
  EXPECT_FALSE(drawn.use().opened_bottle());
  const v1::Session stored = Get(session).session();
  ASSERT_THAT(stored.consumables(), SizeIs(1));
  EXPECT_TRUE(stored.consumables(0).opened_bottle());
}

TEST_F(SessionServiceTest, ASessionInAStoreOrAClinicIsRefused) {
  const uint64_t length = JournalLength();
  v1::Session out;
  EXPECT_THAT(
      Start(&out, store_),
      GrpcStatusIs(
          grpc::StatusCode::INVALID_ARGUMENT,
          AllOf(HasSubstr("location_id: " + store_), HasSubstr("Stock room"),
                HasSubstr("is a store"), HasSubstr("not a treatment room"))));
  EXPECT_THAT(Start(&out, clinic_),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("is a clinic, not a treatment room")));
  EXPECT_EQ(JournalLength(), length);
  EXPECT_TRUE(Start(&out, room_).ok());
}

TEST_F(SessionServiceTest, AScreeningWithoutAnyAnswerMustSayNoneApplies) {
  v1::StartSessionRequest r;
  r.set_client("HX-104");
  r.set_practitioner("Sam Practitioner");
  r.set_location_id(room_);
  r.set_plan_step(v1::PLAN_STEP_FIRST);
  r.set_treatment_area("crown");
  auto start = [&](v1::Session* out) {
    r.set_request_id(NextId());
    grpc::ClientContext ctx;
    return sessions_->StartSession(&ctx, r, out);
  };
  v1::Session out;
  EXPECT_THAT(
      start(&out),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                   AllOf(HasSubstr("answers: no screening answer"),
                         HasSubstr("none_apply"), HasSubstr("--none-apply"))));

  // Said explicitly: cleared, and the record shows the questions were asked.
  r.mutable_answers()->set_none_apply(true);
  ASSERT_TRUE(start(&out).ok());
  EXPECT_EQ(out.screening().verdict(), v1::SCREENING_VERDICT_CLEARED);
  EXPECT_TRUE(
      Get(out.session_id()).session().screening().answers().none_apply());

  // "None applies" together with an answer that applies contradicts itself.
  r.mutable_answers()->set_supplements_day_before(true);
  EXPECT_THAT(start(&out), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                        HasSubstr("answers.none_apply")));
  // An answer given is itself the record that the questions were asked.
  r.mutable_answers()->set_none_apply(false);
  ASSERT_TRUE(start(&out).ok());
  EXPECT_EQ(out.screening().verdict(), v1::SCREENING_VERDICT_WARN);
}

TEST_F(SessionServiceTest, CloseIsRefusedWhileASingleUseUnitIsNotDisposed) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "C-1", "SN-C")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "C-1", "SN-C")).ok());
  v1::Session closed;
  const uint64_t before = JournalLength();
  EXPECT_THAT(
      Close(session, &closed),
      IsRefusal("units_not_disposed",
                AllOf(HasSubstr("1 single-use unit(s) not disposed: "
                                "Cartridge 1RL 0.25 lot C-1 serial SN-C"),
                      HasSubstr("close with a reason"))));
  // A reason of only (Unicode) spaces is no reason.
  EXPECT_THAT(Close(session, &closed, "\u3000 \u00a0"),
              IsRefusal("units_not_disposed", HasSubstr("not disposed")));
  EXPECT_EQ(JournalLength(), before);
  ASSERT_TRUE(
      Close(session, &closed, "container full, disposed next day").ok());
  EXPECT_EQ(closed.status(), v1::SESSION_STATUS_CLOSED);
  const v1::GetSessionResponse record = Get(session);
  EXPECT_EQ(record.verdict(), v1::RECORD_VERDICT_EXCEPTIONS);
  ASSERT_THAT(record.session().exceptions(), SizeIs(1));
  EXPECT_EQ(record.session().exceptions(0).kind(),
            "closed_with_undisposed_units");
  EXPECT_THAT(record.session().exceptions(0).detail(),
              HasSubstr("container full, disposed next day"));
}

TEST_F(SessionServiceTest, AVoidedScanIsAnExceptionAndNeedsNoDisposal) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "V-1", "", 2)},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  v1::ScanConsumableResponse out;
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "V-1"), &out).ok());
  v1::Session after;
  ASSERT_TRUE(
      Void(session, out.use().seq(), v1::VOIDED_PACKAGE_NOT_OPENED, &after)
          .ok());
  ASSERT_THAT(after.consumables(), SizeIs(1));
  EXPECT_TRUE(after.consumables(0).voided());
  EXPECT_EQ(after.consumables(0).void_reason(), "scanned the wrong box");
  EXPECT_EQ(after.consumables(0).void_package(), v1::VOIDED_PACKAGE_NOT_OPENED);
  EXPECT_THAT(Void(session, out.use().seq(), v1::VOIDED_PACKAGE_NOT_OPENED),
              IsRefusal("scan_already_voided", HasSubstr("already voided")));
  v1::Session closed;
  ASSERT_TRUE(Close(session, &closed).ok());
  EXPECT_EQ(Get(session).verdict(), v1::RECORD_VERDICT_EXCEPTIONS);
  EXPECT_EQ(closed.exceptions(0).kind(), "scan_voided");
  EXPECT_THAT(closed.exceptions(0).detail(),
              HasSubstr("package not opened (back in stock)"));
}

TEST_F(SessionServiceTest, AVoidMustSayWhetherThePackageWasOpened) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "V-2", "SN-V2")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  v1::ScanConsumableResponse out;
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "V-2", "SN-V2"), &out)
          .ok());
  const uint64_t before = JournalLength();
  EXPECT_THAT(Void(session, out.use().seq(), v1::VOIDED_PACKAGE_UNSPECIFIED),
              GrpcStatusIs(
                  grpc::StatusCode::INVALID_ARGUMENT,
                  AllOf(HasSubstr("package: required"), HasSubstr("NOT_OPENED"),
                        HasSubstr("OPENED (it was opened"))));
  EXPECT_EQ(JournalLength(), before);
}

// A void whose package was not opened undoes the scan: the unit is back in
// stock, counted as such, and a later scan of it (here, or in another
// session) is an ordinary use, not a reuse attempt.
TEST_F(SessionServiceTest, AVoidedUnopenedUnitGoesBackToStockAndIsUsedAgain) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "V-3", "SN-V3")},
                           nullptr, room_)
                  .ok());
  const std::string scan = Gs1Scan(kCartridge, "271231", "V-3", "SN-V3");
  const std::string first = StartOrDie();
  v1::ScanConsumableResponse out;
  ASSERT_TRUE(ScanInto(first, scan, &out).ok());
  EXPECT_EQ(LineOf(kCartridge, "V-3", room_).in_stock(), 0);
  ASSERT_TRUE(Void(first, out.use().seq(), v1::VOIDED_PACKAGE_NOT_OPENED).ok());
  EXPECT_EQ(LineOf(kCartridge, "V-3", room_).in_stock(), 1);
  v1::Unit unit = UnitNow(kCartridge, "SN-V3");
  EXPECT_EQ(unit.state(), v1::UNIT_STATE_IN_STOCK);
  EXPECT_EQ(unit.session_id(), "");

  // Scanned again into the same session: a use like the first.
  v1::ScanConsumableResponse again;
  ASSERT_TRUE(ScanInto(first, scan, &again).ok());
  EXPECT_NE(again.use().seq(), out.use().seq());
  EXPECT_FALSE(again.use().voided());
  ASSERT_TRUE(
      Void(first, again.use().seq(), v1::VOIDED_PACKAGE_NOT_OPENED).ok());

  // And into another session: a use there; the first needs no disposal.
  clock_.Advance(absl::Minutes(1));
  const std::string second = StartOrDie();
  v1::ScanConsumableResponse used;
  ASSERT_TRUE(ScanInto(second, scan, &used).ok());
  EXPECT_EQ(UnitNow(kCartridge, "SN-V3").session_id(), second);
  v1::Session closed;
  ASSERT_TRUE(Close(first, &closed).ok());
  for (const auto& e : closed.exceptions()) {
    EXPECT_EQ(e.kind(), "scan_voided") << e.detail();
  }
  EXPECT_THAT(Close(second, &closed), IsRefusal("units_not_disposed", _));
  ASSERT_TRUE(Dispose(OpenContainer(), scan).ok());
  ASSERT_TRUE(Close(second, &closed).ok());
  EXPECT_EQ(Get(second).verdict(), v1::RECORD_VERDICT_COMPLIANT);
  // The first session's voided uses hold no container.
  const v1::GetSessionResponse first_record = Get(first);
  for (const auto& use : first_record.session().consumables()) {
    EXPECT_EQ(use.container_id(), "");
  }

  // The lookback: the first session only voided it; the second used it.
  v1::TraceLotRequest t;
  t.set_gtin(kCartridge);
  t.set_lot("V-3");
  v1::TraceResponse trace;
  grpc::ClientContext ctx;
  ASSERT_TRUE(audit_->TraceLot(&ctx, t, &trace).ok());
  ASSERT_THAT(trace.sessions(), SizeIs(2));
  EXPECT_EQ(trace.sessions(0).session_id(), first);
  EXPECT_TRUE(trace.sessions(0).voided_only());
  EXPECT_EQ(trace.sessions(1).session_id(), second);
  EXPECT_FALSE(trace.sessions(1).voided_only());
  EXPECT_EQ(LineOf(kCartridge, "V-3", room_).opened(), 1);
  ExpectRebuildMatches();
}

// A void whose package was opened leaves a spent unit: it must be disposed
// of (or the session closed with a reason), and it is never usable again.
TEST_F(SessionServiceTest, AVoidedOpenedUnitMustBeDisposedOfBeforeClosing) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "V-4", "SN-V4")},
                           nullptr, room_)
                  .ok());
  const std::string scan = Gs1Scan(kCartridge, "271231", "V-4", "SN-V4");
  const std::string session = StartOrDie();
  v1::ScanConsumableResponse out;
  ASSERT_TRUE(ScanInto(session, scan, &out).ok());
  v1::Session after;
  ASSERT_TRUE(
      Void(session, out.use().seq(), v1::VOIDED_PACKAGE_OPENED, &after).ok());
  EXPECT_EQ(after.consumables(0).void_package(), v1::VOIDED_PACKAGE_OPENED);
  EXPECT_EQ(UnitNow(kCartridge, "SN-V4").state(), v1::UNIT_STATE_OPENED);
  EXPECT_EQ(LineOf(kCartridge, "V-4", room_).in_stock(), 0);
  v1::Session closed;
  EXPECT_THAT(Close(session, &closed),
              IsRefusal("units_not_disposed", HasSubstr("serial SN-V4")));
  // Opened is opened: it cannot go back to stock now, nor be used again.
  EXPECT_THAT(ScanInto(StartOrDie(), scan),
              IsRefusal("unit_already_used", HasSubstr("already opened")));
  v1::DisposeResponse disposed;
  ASSERT_TRUE(Dispose(OpenContainer(), scan, &disposed).ok());
  EXPECT_EQ(disposed.unit().session_id(), session);
  ASSERT_TRUE(Close(session, &closed).ok());
  EXPECT_EQ(closed.consumables(0).container_id(),
            disposed.container().container_id());
  ExpectRebuildMatches();
}

TEST_F(SessionServiceTest, ADisposedUnitCannotBeVoidedAsNotOpened) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "V-5", "SN-V5")},
                           nullptr, room_)
                  .ok());
  const std::string scan = Gs1Scan(kCartridge, "271231", "V-5", "SN-V5");
  const std::string session = StartOrDie();
  v1::ScanConsumableResponse out;
  ASSERT_TRUE(ScanInto(session, scan, &out).ok());
  ASSERT_TRUE(Dispose(OpenContainer(), scan).ok());
  EXPECT_THAT(Void(session, out.use().seq(), v1::VOIDED_PACKAGE_NOT_OPENED),
              IsRefusal("void_package_mismatch",
                        AllOf(HasSubstr("is disposed into SHC-000001"),
                              HasSubstr("void it with package OPENED"))));
  EXPECT_TRUE(Void(session, out.use().seq(), v1::VOIDED_PACKAGE_OPENED).ok());
}

// Two opened units of one lot in the room, one left undisposed by an
// earlier, closed session: a lot-only dispose for the current session takes
// the current session's unit; without the session it names both.
TEST_F(SessionServiceTest, ALotOnlyDisposeTakesTheUnitOfTheSessionCleanedUp) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "D-1", "SN-1"),
                            Gs1Scan(kCartridge, "271231", "D-1", "SN-2")},
                           nullptr, room_)
                  .ok());
  const std::string lot_only = Gs1Scan(kCartridge, "271231", "D-1");
  const std::string earlier = StartOrDie();
  v1::ScanConsumableResponse out;
  ASSERT_TRUE(ScanInto(earlier, lot_only, &out).ok());
  ASSERT_EQ(out.use().serial(), "SN-1");
  v1::Session closed;
  ASSERT_TRUE(Close(earlier, &closed, "container full").ok());
  const std::string current = StartOrDie();
  ASSERT_TRUE(ScanInto(current, lot_only, &out).ok());
  ASSERT_EQ(out.use().serial(), "SN-2");

  const std::string container = OpenContainer();
  const uint64_t before = JournalLength();
  EXPECT_THAT(Dispose(container, lot_only),
              IsRefusal("unit_ambiguous",
                        AllOf(HasSubstr("SN-1 (" + earlier + "), SN-2 (" +
                                        current + ")"),
                              HasSubstr("Give the session being cleaned up"))));
  EXPECT_EQ(JournalLength(), before);
  v1::DisposeResponse disposed;
  ASSERT_TRUE(DisposeFor(current, container, lot_only, &disposed).ok());
  EXPECT_EQ(disposed.unit().serial(), "SN-2");
  EXPECT_EQ(disposed.unit().session_id(), current);
  EXPECT_THAT(
      DisposeFor(current, container, lot_only),
      IsRefusal("unit_not_opened", AllOf(HasSubstr("from session " + current),
                                         HasSubstr("SN-1 (" + earlier + ")"))));
  ASSERT_TRUE(Close(current, &closed).ok());
  EXPECT_EQ(Get(current).verdict(), v1::RECORD_VERDICT_COMPLIANT);
  EXPECT_EQ(Get(earlier).session().consumables(0).container_id(), "");
  EXPECT_EQ(UnitNow(kCartridge, "SN-1").state(), v1::UNIT_STATE_OPENED);
  // Only one session's units left: the lot alone names it.
  ASSERT_TRUE(Dispose(container, lot_only, &disposed).ok());
  EXPECT_EQ(disposed.unit().serial(), "SN-1");
  ExpectRebuildMatches();
}

TEST_F(SessionServiceTest,
       APigmentBottleIsUsableUntilExpiryOrPeriodAfterOpening) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kPigment, "300101", "INK-LONG", "B1"),
                            Gs1Scan(kPigment, "270131", "INK-SHORT", "B2")},
                           nullptr, room_)
                  .ok());
  v1::OpenPigmentBottleRequest open;
  open.set_request_id(NextId());
  open.set_location_id(room_);
  open.set_barcode(Gs1Scan(kPigment, "300101", "INK-LONG", "B1"));
  v1::Unit bottle;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->OpenPigmentBottle(&ctx, open, &bottle).ok());
  }
  EXPECT_EQ(bottle.state(), v1::UNIT_STATE_OPENED);
  // 2026-11-23 + 180 days.
  EXPECT_EQ(ledger_day(bottle.usable_until()), "2027-05-22");
  open.set_request_id(NextId());
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(
        sessions_->OpenPigmentBottle(&ctx, open, &bottle),
        IsRefusal("bottle_not_in_stock", HasSubstr("a bottle is opened once")));
  }
  // The short lot expires before its PAO would end: expiry wins.
  const std::string session = StartOrDie();
  v1::ScanConsumableResponse draw;
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kPigment, "270131", "INK-SHORT", "B2"), &draw)
          .ok());
  EXPECT_EQ(ledger_day(draw.use().usable_until()), "2027-01-31");
  // The same bottle serves later sessions until its PAO ends.
  SetToday(2027, 5, 22);
  const std::string later = StartOrDie();
  ASSERT_TRUE(
      ScanInto(later, Gs1Scan(kPigment, "300101", "INK-LONG", "B1")).ok());
  SetToday(2027, 5, 23);
  const std::string too_late = StartOrDie();
  EXPECT_THAT(ScanInto(too_late, Gs1Scan(kPigment, "300101", "INK-LONG", "B1")),
              IsRefusal("pao_exceeded",
                        AllOf(HasSubstr("was usable until 2027-05-22"),
                              HasSubstr("period after opening 180 days"))));
}

TEST_F(SessionServiceTest,
       ScreeningBlockedNeedsAManagersApprovalThatBecomesAnException) {
  v1::ScreeningAnswers answers;
  answers.set_finasteride_current(true);
  v1::Session s;
  const uint64_t before = JournalLength();
  EXPECT_THAT(
      Start(&s, "", v1::PLAN_STEP_FIRST, answers),
      IsRefusal("screening_blocked",
                AllOf(HasSubstr("screening BLOCKED"), HasSubstr("finasteride"),
                      HasSubstr("manager's approval"))));
  EXPECT_EQ(JournalLength(), before);

  // A practitioner naming a manager is refused outright.
  v1::StartSessionRequest typed =
      StartRequest("", v1::PLAN_STEP_FIRST, answers);
  typed.mutable_override()->set_manager("maria");
  typed.mutable_override()->set_reason("she said so");
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(sessions_->StartSession(&ctx, typed, &s),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                             HasSubstr("override: a practitioner cannot "
                                       "override a BLOCKED screening")));
  }
  EXPECT_THAT(Start(&s, "", v1::PLAN_STEP_FIRST, answers, "OVR-000009"),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           HasSubstr("override_approval_id: screening override "
                                     "approval OVR-000009 does not exist")));
  // Without authentication the approver's name is required.
  v1::ScreeningOverrideApproval approval;
  EXPECT_THAT(Approve("HX-104", "", &approval),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("manager: required")));
  EXPECT_EQ(JournalLength(), before);

  ASSERT_TRUE(Approve("HX-104", "Morgan Manager", &approval).ok());
  EXPECT_EQ(approval.approval_id(), "OVR-000001");
  EXPECT_EQ(approval.client_id(), client_);
  EXPECT_EQ(approval.manager(), "Morgan Manager");
  EXPECT_FALSE(approval.manager_signed_in());
  ASSERT_TRUE(
      Start(&s, "", v1::PLAN_STEP_FIRST, answers, approval.approval_id()).ok());
  EXPECT_EQ(s.screening().verdict(), v1::SCREENING_VERDICT_BLOCKED);
  EXPECT_EQ(s.screening().override().manager(), "Morgan Manager");
  EXPECT_EQ(s.screening().override().approval_id(), "OVR-000001");
  EXPECT_EQ(s.screening().override().approval_seq(), approval.seq());
  EXPECT_EQ(s.screening().override().reason(), "prescriber letter on file");
  ASSERT_THAT(s.exceptions(), SizeIs(1));
  EXPECT_EQ(s.exceptions(0).kind(), "screening_override");
  EXPECT_THAT(s.exceptions(0).detail(),
              AllOf(HasSubstr("approved by manager Morgan Manager"),
                    HasSubstr("not signed in"), HasSubstr("OVR-000001")));

  // One approval, one session.
  EXPECT_THAT(Start(&s, "", v1::PLAN_STEP_SECOND, answers, "OVR-000001"),
              IsRefusal("override_approval_used",
                        HasSubstr("already used by session SES-000001")));
  // For its client only.
  CreateClient("HX-200", "Blake Example");
  ASSERT_TRUE(Approve("HX-200", "Morgan Manager", &approval).ok());
  EXPECT_THAT(Start(&s, "", v1::PLAN_STEP_SECOND, answers, "OVR-000002"),
              IsRefusal("override_approval_other_client",
                        HasSubstr("is for client HX-200, not HX-104")));
  // Within the hour.
  ASSERT_TRUE(Approve("HX-104", "Morgan Manager", &approval).ok());
  clock_.Advance(absl::Minutes(61));
  EXPECT_THAT(Start(&s, "", v1::PLAN_STEP_SECOND, answers, "OVR-000003"),
              IsRefusal("override_approval_expired",
                        HasSubstr("ask a manager for a new one")));
  ExpectRebuildMatches();
  RestartServer();
  EXPECT_THAT(Start(&s, "", v1::PLAN_STEP_SECOND, answers, "OVR-000001"),
              IsRefusal("override_approval_used", _));
}

TEST_F(SessionServiceTest, AnotherSessionWithinSevenDaysIsAWarning) {
  StartOrDie();
  clock_.Advance(absl::Hours(24 * 5));
  v1::Session second;
  ASSERT_TRUE(Start(&second, "", v1::PLAN_STEP_SECOND).ok());
  EXPECT_EQ(second.screening().verdict(), v1::SCREENING_VERDICT_WARN);
  ASSERT_THAT(second.screening().findings(), SizeIs(1));
  EXPECT_EQ(second.screening().findings(0).rule(), "plan_interval");
  clock_.Advance(absl::Hours(24 * 7));
  v1::Session third;
  ASSERT_TRUE(Start(&third, "", v1::PLAN_STEP_THIRD).ok());
  EXPECT_EQ(third.screening().verdict(), v1::SCREENING_VERDICT_CLEARED);
}

TEST_F(SessionServiceTest, ScreeningAnswersAreValidated) {
  v1::ScreeningAnswers answers;
  *answers.mutable_last_microneedling() = Day(2026, 12, 1);
  v1::Session s;
  EXPECT_THAT(Start(&s, "", v1::PLAN_STEP_FIRST, answers),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("answers.last_microneedling")));
  *answers.mutable_last_microneedling() = Day(2026, 2, 30);
  EXPECT_THAT(Start(&s, "", v1::PLAN_STEP_FIRST, answers),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("2026-02-30 is not a calendar day")));
}

TEST_F(SessionServiceTest, SharpsContainersKeepTheChainOfCustody) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "K-1", "SN-K1"),
                            Gs1Scan(kCartridge, "271231", "K-1", "SN-K2")},
                           nullptr, room_)
                  .ok());
  const std::string container = OpenContainer();
  EXPECT_THAT(
      Dispose(container, Gs1Scan(kCartridge, "271231", "K-1", "SN-K1")),
      IsRefusal("unit_not_opened",
                HasSubstr("is in stock, never opened: only opened units "
                          "go into a sharps container")));
  const std::string session = StartOrDie();
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "K-1", "SN-K1")).ok());
  ASSERT_TRUE(
      Dispose(container, Gs1Scan(kCartridge, "271231", "K-1", "SN-K1")).ok());
  EXPECT_THAT(Dispose(container, Gs1Scan(kCartridge, "271231", "K-1", "SN-K1")),
              IsRefusal("unit_already_disposed",
                        HasSubstr("was already disposed into " + container)));

  v1::PickUpContainerRequest pickup;
  pickup.set_request_id(NextId());
  pickup.set_container_id(container);
  pickup.set_manifest_number("WTN-000123");
  pickup.set_hauler("SafeWaste Ltd");
  v1::Container c;
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(disposal_->PickUpContainer(&ctx, pickup, &c),
                IsRefusal("container_not_sealed", HasSubstr("seal it before")));
  }
  v1::SealContainerRequest seal;
  seal.set_request_id(NextId());
  seal.set_container_id(container);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(disposal_->SealContainer(&ctx, seal, &c).ok());
  }
  ASSERT_TRUE(
      ScanInto(session, Gs1Scan(kCartridge, "271231", "K-1", "SN-K2")).ok());
  EXPECT_THAT(Dispose(container, Gs1Scan(kCartridge, "271231", "K-1", "SN-K2")),
              IsRefusal("container_not_open", HasSubstr("is sealed")));
  pickup.set_request_id(NextId());
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(disposal_->PickUpContainer(&ctx, pickup, &c).ok());
  }
  EXPECT_EQ(c.status(), v1::CONTAINER_STATUS_PICKED_UP);
  EXPECT_EQ(c.manifest_number(), "WTN-000123");

  v1::GetContainerRequest get;
  get.set_container_id(container);
  v1::GetContainerResponse inside;
  grpc::ClientContext ctx;
  ASSERT_TRUE(disposal_->GetContainer(&ctx, get, &inside).ok());
  EXPECT_EQ(inside.container().unit_count(), 1);
  ASSERT_THAT(inside.units(), SizeIs(1));
  EXPECT_EQ(inside.units(0).serial(), "SN-K1");
  EXPECT_EQ(inside.units(0).session_id(), session);
  ExpectRebuildMatches();
}

TEST_F(SessionServiceTest, ClientContactIsOnlyGivenWhenAskedFor) {
  v1::GetClientRequest r;
  r.set_client("HX-104");
  v1::Client c;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->GetClient(&ctx, r, &c).ok());
  }
  EXPECT_EQ(c.client_id(), client_);
  EXPECT_FALSE(c.has_contact());
  r.set_include_contact(true);
  grpc::ClientContext ctx;
  ASSERT_TRUE(sessions_->GetClient(&ctx, r, &c).ok());
  EXPECT_EQ(c.contact().name(), "Alex Example");

  v1::CreateClientRequest dup;
  dup.set_request_id(NextId());
  dup.set_code("HX-104");
  dup.mutable_contact()->set_name("Someone Else");
  dup.mutable_contact()->set_email("x@example.org");
  grpc::ClientContext ctx2;
  EXPECT_THAT(sessions_->CreateClient(&ctx2, dup, &c),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS,
                           HasSubstr("client code 'HX-104' is already used")));
}

}  // namespace
}  // namespace smptrace::api

namespace smptrace::api {
namespace {

TEST_F(SessionServiceTest, AnAbortedSessionNeedsAReasonAndTakesNothingMore) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "A-1", "", 2)},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  v1::AbortSessionRequest r;
  r.set_request_id(NextId());
  r.set_session_id(session);
  v1::Session out;
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(sessions_->AbortSession(&ctx, r, &out),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                             HasSubstr("reason: required")));
  }
  r.set_reason("client felt unwell");
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->AbortSession(&ctx, r, &out).ok());
  }
  EXPECT_EQ(out.status(), v1::SESSION_STATUS_ABORTED);
  EXPECT_EQ(out.end_reason(), "client felt unwell");
  EXPECT_EQ(Get(session).verdict(), v1::RECORD_VERDICT_ABORTED);
  EXPECT_THAT(ScanInto(session, Gs1Scan(kCartridge, "271231", "A-1")),
              IsRefusal("session_not_open", HasSubstr("is aborted")));
  // An aborted session does not count as the plan's previous session.
  clock_.Advance(absl::Hours(1));
  v1::Session next;
  ASSERT_TRUE(Start(&next).ok());
  EXPECT_EQ(next.screening().verdict(), v1::SCREENING_VERDICT_CLEARED);
}

// Issue 14: a unit's barcode may carry GS1 AIs smptrace does not record (a
// company-internal code); the scan is accepted and its reply shows them.
TEST_F(SessionServiceTest, AScanShowsTheAisSmptraceDoesNotRecord) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CART-9", "SN9")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartOrDie();
  v1::ScanConsumableResponse out;
  ASSERT_TRUE(ScanInto(session,
                       "]d201" + kCartridge + "17271231" + "10CART-9\x1d" +
                           "21SN9\x1d" + "91INT-7",
                       &out)
                  .ok());
  EXPECT_EQ(out.use().serial(), "SN9");
  ASSERT_THAT(out.other_elements(), SizeIs(1));
  EXPECT_EQ(out.other_elements(0).ai(), "91");
  EXPECT_EQ(out.other_elements(0).title(), "INTERNAL");
  EXPECT_EQ(out.other_elements(0).value(), "INT-7");
}

// A store written before the lookback's index (keys.h 0x11) and the
// first-in-stock index (0x12): the server is stopped, both indexes and their
// "built" records are removed, and it is started again.
void ForgetIndexesOfIssue20(const std::string& data_dir) {
  auto store = storage::Store::Open(data_dir, {});
  ASSERT_TRUE(store.ok()) << store.status();
  auto txn = (*store)->BeginWrite();
  for (auto tag : {storage::keys::IndexTag::kLotTrace,
                   storage::keys::IndexTag::kFirstInStock}) {
    const std::string prefix = storage::keys::IndexPrefix(tag);
    ASSERT_TRUE((*store)
                    ->live()
                    .Scan(storage::Cf::kIndex, prefix,
                          storage::keys::PrefixEnd(prefix),
                          [&](std::string_view key, std::string_view) {
                            txn->Delete(storage::Cf::kIndex, key);
                            return true;
                          })
                    .ok());
  }
  ASSERT_GT(txn->Count(), 0);
  txn->Delete(storage::Cf::kMeta, storage::keys::kLotTraceBuiltKey);
  txn->Delete(storage::Cf::kMeta, storage::keys::kFirstInStockBuiltKey);
  ASSERT_TRUE((*store)->Commit(*txn, true).ok());
}

// A lot's trace lists, per session in start order, each use of each unit of
// the lot (a void marked, a unit scanned again after its void listed twice)
// with the session's status as it is now; and a store written before the
// lookback's index answers the same once restarted.
TEST_F(SessionServiceTest, ALotsTraceListsEveryUseWithTheSessionsStatusNow) {
  const std::vector<std::string> scans = ReceiveSerials("TR-1", "T", 5);
  const std::string first = StartOrDie();
  v1::ScanConsumableResponse t0, t1;
  ASSERT_TRUE(ScanInto(first, scans[0], &t0).ok());
  ASSERT_TRUE(ScanInto(first, scans[1], &t1).ok());
  ASSERT_TRUE(Void(first, t1.use().seq(), v1::VOIDED_PACKAGE_NOT_OPENED).ok());
  ASSERT_TRUE(ScanInto(first, scans[1]).ok());  // the same unit again
  clock_.Advance(absl::Hours(1));
  const std::string second = StartOrDie();
  ASSERT_TRUE(ScanInto(second, scans[2]).ok());
  v1::Session closed;
  ASSERT_TRUE(Close(first, &closed, "left on the tray").ok());

  auto trace = [&] {
    v1::TraceLotRequest r;
    r.set_gtin(kCartridge);
    r.set_lot("TR-1");
    v1::TraceResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = audit_->TraceLot(&ctx, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  const v1::TraceResponse before = trace();
  const std::string unit = kCartridge + " TR-1 ";
  ASSERT_EQ(before.sessions_size(), 2);
  EXPECT_EQ(before.sessions(0).session_id(), first);
  EXPECT_EQ(before.sessions(0).status(), v1::SESSION_STATUS_CLOSED);
  EXPECT_THAT(before.sessions(0).units(),
              ElementsAre(unit + "T0", unit + "T1 (voided)", unit + "T1"));
  EXPECT_FALSE(before.sessions(0).voided_only());
  EXPECT_EQ(before.sessions(1).session_id(), second);
  EXPECT_EQ(before.sessions(1).status(), v1::SESSION_STATUS_OPEN);
  EXPECT_THAT(before.sessions(1).units(), ElementsAre(unit + "T2"));
  ASSERT_EQ(before.lots_size(), 1);
  EXPECT_EQ(before.lots(0).units(), 5);
  EXPECT_EQ(before.lots(0).opened(), 3);
  EXPECT_EQ(before.lots(0).in_stock(), 2);
  ASSERT_EQ(before.lots(0).receipts_size(), 1);
  EXPECT_EQ(before.lots(0).receipts(0).units(), 5);

  server_.reset();
  ForgetIndexesOfIssue20(dir_.Sub("data"));
  StartServer();
  EXPECT_EQ(trace().SerializeAsString(), before.SerializeAsString());
  // TearDown's rebuild check: the index built on open is the one replaying
  // the journal writes.
}

// A scan by lot without a serial takes the lot's first unit in stock here,
// in serial order, whatever was taken before it and in what order, and a
// unit put back in stock is first again if it sorts first.
TEST_F(SessionServiceTest, ALotOnlyScanTakesTheFirstUnitInStockInSerialOrder) {
  const std::vector<std::string> scans = ReceiveSerials("LO-1", "U", 6);
  const std::string lot_only = Gs1Scan(kCartridge, "271231", "LO-1");
  const std::string session = StartOrDie();
  auto take = [&] {
    v1::ScanConsumableResponse out;
    grpc::Status s = ScanInto(session, lot_only, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  v1::ScanConsumableResponse u0, u2;
  ASSERT_TRUE(ScanInto(session, scans[2], &u2).ok());  // out of order
  EXPECT_EQ(take().use().serial(), "U0");
  EXPECT_EQ(take().use().serial(), "U1");
  EXPECT_EQ(take().use().serial(), "U3");  // U2 is taken
  ASSERT_TRUE(
      Void(session, u2.use().seq(), v1::VOIDED_PACKAGE_NOT_OPENED).ok());
  EXPECT_EQ(take().use().serial(), "U2");  // back in stock, first again
  RestartServer();
  EXPECT_EQ(take().use().serial(), "U4");
  server_.reset();
  ForgetIndexesOfIssue20(dir_.Sub("data"));  // as a store from before it
  StartServer();
  EXPECT_EQ(take().use().serial(), "U5");
  EXPECT_THAT(ScanInto(session, lot_only), IsRefusal("not_in_stock", _));
}

}  // namespace
}  // namespace smptrace::api
