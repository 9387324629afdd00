// The sterility record at its edges, through a real in-process server over a
// real RocksDB (issue 13, items 6-9): a damaged package at the chair is an
// exception; a retried refusal answers exactly as the first time; expired
// stock is not received unless held for return; a stock-take find is an
// adjustment, not a receipt; which scan opened a pigment bottle; sessions
// only in treatment rooms; a screening with no answer must say none applies.
#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::Gs1Scan;
using ::smptrace::testing::IsRefusal;
using ::smptrace::testing::RefusalReasonOf;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class RecordEdgesTest : public testing::ClinicServerTest {
 protected:
  void SetUp() override {
    ClinicServerTest::SetUp();
    if (HasFatalFailure()) return;
    v1::CreateClientRequest r;
    r.set_request_id("client-1");
    r.set_code("HX-104");
    r.mutable_contact()->set_name("Alex Example");
    r.mutable_contact()->set_phone("+44 20 7946 0000");
    v1::Client client;
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->CreateClient(&ctx, r, &client).ok());
  }

  v1::StartSessionRequest StartRequest(const std::string& location) {
    v1::StartSessionRequest r;
    r.set_request_id(NextId());
    r.set_client("HX-104");
    r.set_practitioner("Sam Practitioner");
    r.set_location_id(location);
    r.set_plan_step(v1::PLAN_STEP_FIRST);
    r.set_treatment_area("crown");
    r.mutable_answers()->set_none_apply(true);
    return r;
  }

  grpc::Status Start(const v1::StartSessionRequest& r, v1::Session* out) {
    grpc::ClientContext ctx;
    return sessions_->StartSession(&ctx, r, out);
  }

  std::string StartInRoom() {
    v1::Session s;
    grpc::Status status = Start(StartRequest(room_), &s);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return s.session_id();
  }

  grpc::Status Scan(const std::string& session, const std::string& barcode,
                    v1::ScanConsumableResponse* out = nullptr,
                    bool damaged = false, const std::string& request_id = "") {
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

  v1::GetSessionResponse Get(const std::string& session) {
    v1::GetSessionRequest r;
    r.set_session_id(session);
    v1::GetSessionResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->GetSession(&ctx, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::TracedLot Trace(const std::string& gtin, const std::string& lot) {
    v1::TraceLotRequest r;
    r.set_gtin(gtin);
    r.set_lot(lot);
    v1::TraceResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = audit_->TraceLot(&ctx, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_THAT(out.lots(), SizeIs(1));
    return out.lots_size() == 1 ? out.lots(0) : v1::TracedLot();
  }
};

// ---- item 6: a damaged package at the chair ---------------------------------

TEST_F(RecordEdgesTest, DamagedPackageAtTheChairIsAnExceptionOnTheRecord) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CT-1", "SN1"),
                            Gs1Scan(kCartridge, "271231", "CT-1", "SN2")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartInRoom();
  v1::ScanConsumableResponse damaged;
  ASSERT_TRUE(Scan(session, Gs1Scan(kCartridge, "271231", "CT-1", "SN1"),
                   &damaged, /*damaged=*/true)
                  .ok());
  EXPECT_TRUE(damaged.discarded());
  ASSERT_THAT(damaged.session().exceptions(), SizeIs(1));
  EXPECT_EQ(damaged.session().exceptions(0).kind(), "package_damaged");

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

  v1::CloseSessionRequest close;
  close.set_request_id(NextId());
  close.set_session_id(session);
  v1::Session closed;
  grpc::ClientContext ctx;
  ASSERT_TRUE(sessions_->CloseSession(&ctx, close, &closed).ok());
  EXPECT_EQ(Get(session).verdict(), v1::RECORD_VERDICT_EXCEPTIONS);

  // The auditor's list of exceptions of the period has it.
  v1::ListExceptionsResponse listed;
  grpc::ClientContext list_ctx;
  ASSERT_TRUE(audit_->ListExceptions(&list_ctx, {}, &listed).ok());
  ASSERT_THAT(listed.exceptions(), SizeIs(1));
  EXPECT_EQ(listed.exceptions(0).session_id(), session);
  EXPECT_EQ(listed.exceptions(0).exception().kind(), "package_damaged");
  ExpectRebuildMatches();
}

// ---- item 7: a retried refusal answers exactly as the first time ------------

TEST_F(RecordEdgesTest, RetriedRefusedScanAnswersWithTheSameReason) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CT-1", "SN1")},
                           nullptr, room_)
                  .ok());
  const std::string first = StartInRoom();
  const std::string unit = Gs1Scan(kCartridge, "271231", "CT-1", "SN1");
  ASSERT_TRUE(Scan(first, unit).ok());
  const std::string second = StartInRoom();

  const grpc::Status refused =
      Scan(second, unit, nullptr, false, "scan-reuse-1");
  ASSERT_THAT(refused, IsRefusal("unit_already_used", HasSubstr("SN1")));
  const uint64_t length = JournalLength();
  // The answer comes from the stored idempotency record: also after a
  // restart, nothing new is written, and it is the same in every part.
  RestartServer();
  const grpc::Status retried =
      Scan(second, unit, nullptr, false, "scan-reuse-1");
  EXPECT_EQ(retried.error_code(), refused.error_code());
  EXPECT_EQ(retried.error_message(), refused.error_message());
  EXPECT_EQ(RefusalReasonOf(retried), "unit_already_used");
  EXPECT_EQ(retried.error_details(), refused.error_details());
  EXPECT_EQ(JournalLength(), length);
}

TEST_F(RecordEdgesTest, EveryRetriedRefusalAnswersAsTheFirst) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "CT-1", "SN1")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartInRoom();
  ASSERT_TRUE(Scan(session, Gs1Scan(kCartridge, "271231", "CT-1", "SN1")).ok());
  const std::string other = StartInRoom();

  struct Case {
    std::string name;
    std::function<grpc::Status(const std::string& request_id)> call;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"ScanConsumable",
       [&](const std::string& id) {
         return Scan(other, Gs1Scan(kCartridge, "271231", "CT-1", "SN1"),
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
         v1::StartSessionRequest r = StartRequest(room_);
         r.set_request_id(id);
         r.mutable_answers()->set_none_apply(false);
         r.mutable_answers()->set_finasteride_current(true);
         v1::Session out;
         return Start(r, &out);
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
    SCOPED_TRACE(c.name);
    const std::string id = "retry-" + c.name;
    const grpc::Status first = c.call(id);
    ASSERT_EQ(RefusalReasonOf(first), c.reason) << first.error_message();
    const grpc::Status again = c.call(id);
    EXPECT_EQ(again.error_code(), first.error_code());
    EXPECT_EQ(again.error_message(), first.error_message());
    EXPECT_EQ(RefusalReasonOf(again), c.reason);
    EXPECT_EQ(again.error_details(), first.error_details());
  }
}

// ---- item 8: expired stock at receiving -------------------------------------

TEST_F(RecordEdgesTest, ReceivingAnExpiredLotIsRefusedNamingLineAndExpiry) {
  const uint64_t length = JournalLength();
  v1::ReceiveLine fresh;
  fresh.set_barcode(Gs1Scan(kCartridge, "271231", "CT-1", "", 2));
  v1::ReceiveLine expired;
  expired.set_barcode(Gs1Scan(kCartridge, "260131", "OLD-1", "", 3));
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

TEST_F(RecordEdgesTest, ExpiredLotAcceptedForReturnIsHeldAndNeverUsable) {
  v1::ReceiveRequest r;
  r.set_request_id(NextId());
  r.set_location_id(room_);
  r.set_accept_expired(true);
  r.add_lines()->set_barcode(Gs1Scan(kCartridge, "260131", "OLD-1", "", 3));
  v1::ReceiveResponse received;
  grpc::ClientContext ctx;
  ASSERT_TRUE(inventory_->Receive(&ctx, r, &received).ok());
  ASSERT_THAT(received.lines(), SizeIs(1));
  const v1::Lot& lot = received.lines(0).lot();
  EXPECT_EQ(lot.status(), v1::LOT_STATUS_QUARANTINED);
  EXPECT_THAT(lot.status_reason(),
              AllOf(HasSubstr("received expired on 2026-01-31"),
                    HasSubstr("return to the supplier")));
  // Counted in stock, and no scan can use it.
  EXPECT_EQ(LineOf(kCartridge, "OLD-1", room_).in_stock(), 3);
  const std::string session = StartInRoom();
  EXPECT_THAT(
      Scan(session, Gs1Scan(kCartridge, "260131", "OLD-1")),
      IsRefusal("lot_quarantined", HasSubstr("return to the supplier")));
}

// ---- item 9a: a stock-take find is an adjustment, not a receipt -------------

TEST_F(RecordEdgesTest, UnitFoundAtStockTakeShowsAsAdjustmentNotReceipt) {
  ASSERT_TRUE(
      ReceiveScans({Gs1Scan(kCartridge, "271231", "CT-1", "", 2)}).ok());
  clock_.Advance(absl::Hours(24));
  v1::AdjustStockRequest adjust;
  adjust.set_request_id(NextId());
  adjust.set_gtin(kCartridge);
  adjust.set_lot("CT-1");
  adjust.set_location_id(store_);
  adjust.set_delta(1);
  adjust.set_reason("stock take: one found behind the shelf");
  v1::AdjustStockResponse adjusted;
  grpc::ClientContext ctx;
  ASSERT_TRUE(inventory_->AdjustStock(&ctx, adjust, &adjusted).ok());
  ASSERT_THAT(adjusted.units(), SizeIs(1));
  EXPECT_TRUE(adjusted.units(0).adjusted_in());

  const v1::TracedLot traced = Trace(kCartridge, "CT-1");
  EXPECT_EQ(traced.units(), 3);
  ASSERT_THAT(traced.receipts(), SizeIs(1));
  EXPECT_EQ(traced.receipts(0).units(), 2);
  ASSERT_THAT(traced.adjustments(), SizeIs(1));
  EXPECT_EQ(traced.adjustments(0).units(), 1);
  EXPECT_EQ(traced.adjustments(0).location_id(), store_);
  EXPECT_EQ(traced.adjustments(0).reason(),
            "stock take: one found behind the shelf");
  ExpectRebuildMatches();
}

// ---- item 9b: which scan opened a pigment bottle ----------------------------

TEST_F(RecordEdgesTest, PigmentDrawOnEveryBottleScanAndOpenedBottleOnFirst) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kPigment, "280630", "INK-3", "BOT1")},
                           nullptr, room_)
                  .ok());
  const std::string session = StartInRoom();
  const std::string bottle = Gs1Scan(kPigment, "280630", "INK-3", "BOT1");
  v1::ScanConsumableResponse opened, drawn;
  ASSERT_TRUE(Scan(session, bottle, &opened).ok());
  ASSERT_TRUE(Scan(StartInRoom(), bottle, &drawn).ok());
  EXPECT_TRUE(opened.use().pigment_draw());
  EXPECT_TRUE(opened.use().opened_bottle());
  EXPECT_TRUE(drawn.use().pigment_draw());
  EXPECT_FALSE(drawn.use().opened_bottle());
  // As stored.
  const v1::Session stored = Get(session).session();
  ASSERT_THAT(stored.consumables(), SizeIs(1));
  EXPECT_TRUE(stored.consumables(0).opened_bottle());
}

// ---- item 9c: sessions only in a treatment room -----------------------------

TEST_F(RecordEdgesTest, SessionInAStoreOrClinicIsRefusedNamingTheLocation) {
  const uint64_t length = JournalLength();
  v1::Session out;
  EXPECT_THAT(
      Start(StartRequest(store_), &out),
      GrpcStatusIs(
          grpc::StatusCode::INVALID_ARGUMENT,
          AllOf(HasSubstr("location_id: " + store_), HasSubstr("Stock room"),
                HasSubstr("is a store"), HasSubstr("not a treatment room"))));
  EXPECT_THAT(Start(StartRequest(clinic_), &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("is a clinic, not a treatment room")));
  EXPECT_EQ(JournalLength(), length);
  EXPECT_TRUE(Start(StartRequest(room_), &out).ok());
}

// ---- item 9d: a screening with no answer ------------------------------------

TEST_F(RecordEdgesTest, ScreeningWithoutAnyAnswerMustSayNoneApplies) {
  v1::StartSessionRequest r = StartRequest(room_);
  r.clear_answers();
  v1::Session out;
  EXPECT_THAT(
      Start(r, &out),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                   AllOf(HasSubstr("answers: no screening answer"),
                         HasSubstr("none_apply"), HasSubstr("--none-apply"))));

  // Said explicitly: cleared, and the record shows the questions were asked.
  r.mutable_answers()->set_none_apply(true);
  r.set_request_id(NextId());
  ASSERT_TRUE(Start(r, &out).ok());
  EXPECT_EQ(out.screening().verdict(), v1::SCREENING_VERDICT_CLEARED);
  EXPECT_TRUE(
      Get(out.session_id()).session().screening().answers().none_apply());

  // "None applies" with an answer that applies contradicts itself.
  r.set_request_id(NextId());
  r.mutable_answers()->set_supplements_day_before(true);
  EXPECT_THAT(Start(r, &out), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                           HasSubstr("answers.none_apply")));

  // Any answer given is itself the record of the questions asked.
  r.set_request_id(NextId());
  r.mutable_answers()->set_none_apply(false);
  ASSERT_TRUE(Start(r, &out).ok());
  EXPECT_EQ(out.screening().verdict(), v1::SCREENING_VERDICT_WARN);
}

}  // namespace
}  // namespace smptrace::api
