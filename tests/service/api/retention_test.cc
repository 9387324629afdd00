// Retention and legal holds (issue 18): the clinic's policy per record kind,
// the retention run that erases due clients (automatically or on a
// manager's approval), and holds on a client, a lot and a recall case that
// stop it. The main test simulates three years of a clinic and computes the
// expected erasures itself, from its own record of who came when and which
// lot touched whom.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/retention_policy.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/gtin.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace {
namespace {

using testing::GrpcStatusIs;
using ::testing::HasSubstr;
using testing::IsRefusal;
using ::testing::UnorderedElementsAreArray;

v1::Date ledger_day(absl::CivilDay day) {
  return testing::Day(static_cast<int>(day.year()), day.month(), day.day());
}

// Three years after `day`, written out independently of the policy's own
// arithmetic (29 February has no visit in this test).
absl::CivilDay ThreeYearsAfter(absl::CivilDay day) {
  return absl::CivilDay(day.year() + 3, day.month(), day.day());
}

class RetentionTest : public testing::ClinicServerTest {
 protected:
  // The policy text the server starts with (set before SetUp).
  void UsePolicy(const std::string& text) {
    auto policy = domain::ParseRetentionPolicy(text);
    ASSERT_TRUE(policy.ok()) << policy.status();
    ledger_options_.retention = *policy;
  }

  absl::CivilDay Today() {
    return absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
  }

  void SetDay(absl::CivilDay day) {
    clock_.Set(
        absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 10),
                        absl::UTCTimeZone()));
  }

  // A session of `code` using the cartridge `serial` of lot `lot`, closed.
  void Visit(const std::string& code, const std::string& lot,
             const std::string& serial) {
    const v1::Session session = StartSessionFor(code);
    ASSERT_FALSE(session.session_id().empty()) << code;
    v1::ScanConsumableRequest scan;
    scan.set_request_id(NextId());
    scan.set_session_id(session.session_id());
    scan.set_barcode(testing::Gs1Scan(kCartridge, "351231", lot, serial));
    v1::ScanConsumableResponse used;
    grpc::ClientContext scan_ctx;
    grpc::Status s = sessions_->ScanConsumable(&scan_ctx, scan, &used);
    ASSERT_TRUE(s.ok()) << code << " " << lot << ": " << s.error_message();
    v1::CloseSessionRequest close;
    close.set_request_id(NextId());
    close.set_session_id(session.session_id());
    close.set_undisposed_reason("sharps container of the test");
    v1::Session closed;
    grpc::ClientContext close_ctx;
    s = sessions_->CloseSession(&close_ctx, close, &closed);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status PlaceHold(const v1::PlaceLegalHoldRequest& r,
                         v1::LegalHold* out) {
    v1::PlaceLegalHoldRequest request = r;
    request.set_request_id(NextId());
    request.set_reason("kept for the test");
    grpc::ClientContext ctx;
    return sessions_->PlaceLegalHold(&ctx, request, out);
  }

  v1::RecallCase OpenCase(const std::string& lot) {
    v1::OpenRecallCaseRequest r;
    r.set_request_id(NextId());
    r.mutable_notice()->set_reference("FSN-" + lot);
    r.mutable_notice()->set_text("sterility cannot be assured");
    v1::LotRef* ref = r.add_lots();
    ref->set_gtin(kCartridge);
    ref->set_lot(lot);
    v1::RecallCase c;
    grpc::ClientContext ctx;
    grpc::Status s = audit_->OpenRecallCase(&ctx, r, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c;
  }

  v1::ListRetentionDueResponse Due() {
    v1::ListRetentionDueResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->ListRetentionDue(&ctx, {}, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::RunRetentionResponse Run() {
    v1::RunRetentionResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->RunRetention(&ctx, {}, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Approve(const std::string& client, v1::Client* out) {
    v1::ApproveRetentionErasureRequest r;
    r.set_request_id(NextId());
    r.set_client(client);
    grpc::ClientContext ctx;
    return sessions_->ApproveRetentionErasure(&ctx, r, out);
  }
};

class ThreeYearClinicTest : public RetentionTest {
 protected:
  void SetUp() override {
    UsePolicy(
        "client_personal_data.keep = 2 years\n"
        "client_personal_data.erase = automatic\n"
        "procedure_records.keep = 3 years\n"
        "stock_records.keep = 3 years\n");
    RetentionTest::SetUp();
  }
};

TEST_F(ThreeYearClinicTest, ErasesExactlyTheDueClientsNotUnderHold) {
  // Three years, week by week: a lot of cartridges each quarter; client i
  // registers in week 5i with two sessions two weeks apart, and every
  // fourth client comes back for a touch-up 60 weeks later.
  constexpr int kClients = 30;
  constexpr int kWeeks = 156;
  const absl::CivilDay first_day = Today();
  std::map<int, std::vector<int>> visits_in_week;  // week → clients
  for (int i = 0; i < kClients; ++i) {
    visits_in_week[5 * i].push_back(i);
    visits_in_week[5 * i + 2].push_back(i);
    if (i % 4 == 0 && 5 * i + 60 < kWeeks) {
      visits_in_week[5 * i + 60].push_back(i);
    }
  }
  const auto code = [](int i) { return absl::StrFormat("R%02d", i); };
  const auto lot_of_week = [](int week) {
    return absl::StrFormat("Q%02d", week / 13);
  };
  std::map<std::string, std::string> id_of;           // code → client id
  std::map<std::string, absl::CivilDay> last_visit;   // code → day
  std::map<std::string, std::set<std::string>> used;  // lot → codes
  std::vector<absl::CivilDay> session_days;
  int serial = 0;
  for (int week = 0; week < kWeeks; ++week) {
    SetDay(first_day + 7 * week);
    if (week % 13 == 0) {
      std::vector<std::string> scans;
      for (int n = 0; n < 30; ++n) {
        scans.push_back(testing::Gs1Scan(kCartridge, "351231",
                                         lot_of_week(week),
                                         absl::StrCat("SN", week * 100 + n)));
      }
      ASSERT_TRUE(ReceiveScans(scans, nullptr, room_).ok());
      serial = week * 100;
    }
    for (int i : visits_in_week[week]) {
      if (week == 5 * i) id_of[code(i)] = RegisterClient(code(i));
      Visit(code(i), lot_of_week(week), absl::StrCat("SN", serial++));
      if (HasFatalFailure()) return;
      last_visit[code(i)] = Today();
      used[lot_of_week(week)].insert(code(i));
      session_days.push_back(Today());
    }
    if (week == 20) {  // a hold on a client, in force
      v1::PlaceLegalHoldRequest hold;
      hold.set_client(code(2));
      v1::LegalHold placed;
      ASSERT_TRUE(PlaceHold(hold, &placed).ok());
    }
    if (week == 30) {  // a hold on a client that ends after ten days
      v1::PlaceLegalHoldRequest hold;
      hold.set_client(code(5));
      *hold.mutable_until() = ledger_day(Today() + 10);
      v1::LegalHold placed;
      ASSERT_TRUE(PlaceHold(hold, &placed).ok());
    }
    if (week == 40) {  // a hold on lot Q01, by GTIN-13 as a scanner reads it
      v1::PlaceLegalHoldRequest hold;
      hold.set_lot_gtin(kCartridge.substr(1));
      hold.set_lot("Q01");
      v1::LegalHold placed;
      grpc::Status s = PlaceHold(hold, &placed);
      ASSERT_TRUE(s.ok()) << s.error_message();
      EXPECT_EQ(placed.lot_gtin(), kCartridge);
    }
    if (week == 60) {
      // Lot Q02's recall case: held, then closed (the hold stays); lot
      // Q03's case stays open (it holds by itself).
      const v1::RecallCase held_case = OpenCase("Q02");
      v1::PlaceLegalHoldRequest hold;
      hold.set_recall_case_id(held_case.case_id());
      v1::LegalHold placed;
      ASSERT_TRUE(PlaceHold(hold, &placed).ok());
      v1::CloseRecallCaseRequest close;
      close.set_request_id(NextId());
      close.set_case_id(held_case.case_id());
      close.set_reason("clients told by phone");
      v1::RecallCase closed;
      grpc::ClientContext ctx;
      ASSERT_TRUE(audit_->CloseRecallCase(&ctx, close, &closed).ok());
      OpenCase("Q03");
    }
  }

  // The run, after the last week: the policy's own dates are not used.
  const absl::CivilDay run_day(2031, 6, 1);
  SetDay(run_day);
  std::set<std::string> held = {code(2)};
  for (const char* lot : {"Q01", "Q02", "Q03"}) {
    held.insert(used[lot].begin(), used[lot].end());
  }
  std::vector<std::string> expect_erased, expect_held;
  for (const auto& [c, day] : last_visit) {
    if (ThreeYearsAfter(day) > run_day) continue;  // the longer period
    (held.count(c) ? expect_held : expect_erased).push_back(id_of[c]);
  }
  ASSERT_FALSE(expect_erased.empty());
  ASSERT_FALSE(expect_held.empty());
  ASSERT_LT(expect_erased.size() + expect_held.size(), last_visit.size());
  int64_t sessions_past = 0;
  for (absl::CivilDay day : session_days) {
    sessions_past += ThreeYearsAfter(day) <= run_day;
  }

  const v1::ListRetentionDueResponse due = Due();
  ASSERT_TRUE(due.configured());
  std::vector<std::string> listed_auto, listed_held;
  for (const v1::RetentionDueClient& c : due.clients()) {
    (c.action() == v1::RETENTION_ACTION_HELD ? listed_held : listed_auto)
        .push_back(c.client_id());
    EXPECT_EQ(ThreeYearsAfter(last_visit[c.client_code()]),
              absl::CivilDay(c.due_since().year(), c.due_since().month(),
                             c.due_since().day()))
        << c.client_code();
  }
  EXPECT_THAT(listed_auto, UnorderedElementsAreArray(expect_erased));
  EXPECT_THAT(listed_held, UnorderedElementsAreArray(expect_held));
  ASSERT_EQ(due.kinds_size(), 3);
  EXPECT_EQ(due.kinds(1).kind(), "procedure_records");
  EXPECT_EQ(due.kinds(1).past_period(), sessions_past);

  const v1::RunRetentionResponse run = Run();
  std::vector<std::string> erased;
  for (const v1::Client& c : run.erased()) {
    erased.push_back(c.client_id());
    EXPECT_THAT(c.erased().retention_policy(),
                HasSubstr("client_personal_data: 2 years after the last "
                          "visit (procedure_records 3 years)"));
    EXPECT_EQ(c.erased().erased_by(), "insecure-dev");
  }
  EXPECT_THAT(erased, UnorderedElementsAreArray(expect_erased));
  std::vector<std::string> remaining;
  for (const v1::RetentionDueClient& c : run.remaining()) {
    EXPECT_EQ(c.action(), v1::RETENTION_ACTION_HELD);
    EXPECT_FALSE(c.held_by().empty());
    remaining.push_back(c.client_id());
  }
  EXPECT_THAT(remaining, UnorderedElementsAreArray(expect_held));

  // Every client not expected stays readable; a second run erases nothing.
  std::set<std::string> gone(expect_erased.begin(), expect_erased.end());
  for (const auto& [c, id] : id_of) {
    v1::GetClientRequest get;
    get.set_client(id);
    get.set_include_contact(true);
    v1::Client client;
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->GetClient(&ctx, get, &client).ok()) << c;
    EXPECT_EQ(client.has_erased(), gone.count(id) == 1) << c;
    if (!gone.count(id)) {
      EXPECT_EQ(client.contact().name(), "Client " + c);
    }
  }
  EXPECT_THAT(Run().erased(), ::testing::IsEmpty());
  // The chain verifies (and TearDown checks that a rebuild matches).
  EXPECT_GT(JournalLength(), 0u);
}

class ApprovalTest : public RetentionTest {
 protected:
  void SetUp() override {
    UsePolicy(
        "client_personal_data.keep = 3 years\n"
        "legal_basis = clinic policy P-7\n");
    RetentionTest::SetUp();
  }
};

TEST_F(ApprovalTest, ListsDueClientsUntilAManagerApprovesEach) {
  const std::string old_id = RegisterClient("OLD");
  SetDay(Today() + 400);
  const std::string recent_id = RegisterClient("NEW");
  SetDay(absl::CivilDay(2029, 11, 23));  // OLD's third anniversary

  const v1::ListRetentionDueResponse due = Due();
  ASSERT_EQ(due.clients_size(), 1);
  EXPECT_EQ(due.clients(0).client_id(), old_id);
  EXPECT_EQ(due.clients(0).action(), v1::RETENTION_ACTION_AWAITING_APPROVAL);
  EXPECT_EQ(due.kinds(0).policy(),
            "3 years after the last visit (retention.conf line 1), erase = "
            "approval");
  // The run leaves them for the manager.
  const v1::RunRetentionResponse run = Run();
  EXPECT_THAT(run.erased(), ::testing::IsEmpty());
  ASSERT_EQ(run.remaining_size(), 1);

  v1::Client client;
  EXPECT_THAT(Approve("NEW", &client),
              IsRefusal("retention_not_due",
                        HasSubstr("is not due for erasure: last visit "
                                  "2027-12-28, due on 2030-12-28")));
  ASSERT_TRUE(Approve("OLD", &client).ok());
  EXPECT_EQ(client.client_id(), old_id);
  EXPECT_EQ(client.erased().legal_basis(), "clinic policy P-7");
  EXPECT_THAT(client.erased().retention_policy(),
              HasSubstr("erase = approval; last visit 2026-11-23, due since "
                        "2029-11-23"));
  EXPECT_THAT(Due().clients(), ::testing::IsEmpty());
  EXPECT_FALSE(recent_id.empty());
}

TEST_F(ApprovalTest, AnEraseRequestCannotClaimToBeTheRetentionPolicys) {
  RegisterClient("C1");
  v1::EraseClientRequest r;
  r.set_request_id(NextId());
  r.set_client("C1");
  r.set_reason("x");
  r.set_legal_basis("y");
  r.set_retention(true);
  v1::Client out;
  grpc::ClientContext ctx;
  EXPECT_THAT(sessions_->EraseClient(&ctx, r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("retention: set by the server only")));
}

TEST_F(RetentionTest, WithoutAPolicyNothingIsDueAndApprovalIsRefused) {
  RegisterClient("C1");
  SetDay(absl::CivilDay(2040, 1, 1));
  EXPECT_FALSE(Due().configured());
  EXPECT_THAT(Run().erased(), ::testing::IsEmpty());
  v1::Client out;
  EXPECT_THAT(Approve("C1", &out), IsRefusal("retention_not_configured",
                                             HasSubstr("--retention_policy")));
}

TEST_F(RetentionTest, AHoldOnALotStopsTheErasureOfEveryClientItTouched) {
  ASSERT_TRUE(
      ReceiveScans({testing::Gs1Scan(kCartridge, "351231", "L-7", "SN1")},
                   nullptr, room_)
          .ok());
  RegisterClient("C1");
  Visit("C1", "L-7", "SN1");
  if (HasFatalFailure()) return;

  v1::PlaceLegalHoldRequest hold;
  hold.set_lot_gtin(kCartridge);
  hold.set_lot("L-7");
  v1::LegalHold placed;
  ASSERT_TRUE(PlaceHold(hold, &placed).ok());
  EXPECT_EQ(placed.hold_id(), "HOLD-000001");
  EXPECT_TRUE(placed.client_id().empty());

  v1::EraseClientRequest erase;
  erase.set_request_id(NextId());
  erase.set_client("C1");
  erase.set_reason("client asked");
  erase.set_legal_basis("GDPR Art. 17(1)(a)");
  v1::Client out;
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(
        sessions_->EraseClient(&ctx, erase, &out),
        IsRefusal("client_under_legal_hold",
                  HasSubstr("is under legal hold HOLD-000001 on lot L-7 of " +
                            kCartridge)));
  }
  v1::ReleaseLegalHoldRequest release;
  release.set_request_id(NextId());
  release.set_hold_id("HOLD-000001");
  release.set_reason("claim settled");
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ReleaseLegalHold(&ctx, release, &placed).ok());
  }
  erase.set_request_id(NextId());
  grpc::ClientContext ctx;
  EXPECT_TRUE(sessions_->EraseClient(&ctx, erase, &out).ok());
}

TEST_F(RetentionTest, AHoldNamesOneThingThatExists) {
  v1::PlaceLegalHoldRequest both;
  both.set_client("C1");
  both.set_recall_case_id("RC-000001");
  v1::LegalHold out;
  EXPECT_THAT(PlaceHold(both, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("give one of client, lot")));
  EXPECT_THAT(PlaceHold({}, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("client: required: a hold is on a "
                                     "client, a lot")));
  v1::PlaceLegalHoldRequest lot_only;
  lot_only.set_lot("L-1");
  EXPECT_THAT(PlaceHold(lot_only, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("lot_gtin: required with lot")));
  v1::PlaceLegalHoldRequest unknown_lot;
  unknown_lot.set_lot_gtin(kCartridge);
  unknown_lot.set_lot("NOPE");
  EXPECT_THAT(
      PlaceHold(unknown_lot, &out),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("lot: no lot NOPE")));
  v1::PlaceLegalHoldRequest unknown_product;
  unknown_product.set_lot_gtin(testing::TestGtin(99));
  unknown_product.set_lot("L-1");
  EXPECT_THAT(PlaceHold(unknown_product, &out),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           HasSubstr("lot_gtin: no product has GTIN " +
                                     testing::TestGtin(99))));
  v1::PlaceLegalHoldRequest unknown_case;
  unknown_case.set_recall_case_id("RC-000009");
  EXPECT_THAT(PlaceHold(unknown_case, &out),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           HasSubstr("recall_case_id: recall case RC-000009 "
                                     "does not exist")));
  // Nothing was placed.
  v1::ListLegalHoldsRequest all;
  all.set_include_ended(true);
  v1::ListLegalHoldsResponse listed;
  grpc::ClientContext ctx;
  ASSERT_TRUE(sessions_->ListLegalHolds(&ctx, all, &listed).ok());
  EXPECT_THAT(listed.holds(), ::testing::IsEmpty());
}

// The clients a hold covers, by code, as the lot's lookback and the recall
// case find them; a client's list shows the holds on lots and cases that
// cover them too.
TEST_F(RetentionTest, AHoldOnALotOrRecallCaseListsTheClientsItCovers) {
  ASSERT_TRUE(
      ReceiveScans({testing::Gs1Scan(kCartridge, "351231", "L-8", "SN1"),
                    testing::Gs1Scan(kCartridge, "351231", "L-8", "SN2"),
                    testing::Gs1Scan(kCartridge, "351231", "L-9", "SN3")},
                   nullptr, room_)
          .ok());
  RegisterClient("HX-104");
  RegisterClient("HX-105");
  RegisterClient("HX-106");
  Visit("HX-104", "L-8", "SN1");
  Visit("HX-105", "L-8", "SN2");
  Visit("HX-106", "L-9", "SN3");
  if (HasFatalFailure()) return;
  const v1::RecallCase recall = OpenCase("L-9");

  auto codes = [](const v1::LegalHold& hold) {
    std::vector<std::string> out;
    for (const v1::CoveredClient& c : hold.covers()) {
      out.push_back(c.client_code());
    }
    return out;
  };
  v1::PlaceLegalHoldRequest on_lot;
  on_lot.set_lot_gtin(kCartridge);
  on_lot.set_lot("L-8");
  v1::LegalHold lot_hold;
  ASSERT_TRUE(PlaceHold(on_lot, &lot_hold).ok());
  EXPECT_THAT(codes(lot_hold), UnorderedElementsAreArray({"HX-104", "HX-105"}));
  v1::PlaceLegalHoldRequest on_case;
  on_case.set_recall_case_id(recall.case_id());
  v1::LegalHold case_hold;
  ASSERT_TRUE(PlaceHold(on_case, &case_hold).ok());
  EXPECT_THAT(codes(case_hold), UnorderedElementsAreArray({"HX-106"}));
  v1::PlaceLegalHoldRequest on_client;
  on_client.set_client("HX-105");
  v1::LegalHold client_hold;
  ASSERT_TRUE(PlaceHold(on_client, &client_hold).ok());
  EXPECT_THAT(client_hold.covers(), ::testing::IsEmpty());

  auto list = [&](const std::string& client) {
    v1::ListLegalHoldsRequest r;
    r.set_client(client);
    v1::ListLegalHoldsResponse out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(sessions_->ListLegalHolds(&ctx, r, &out).ok()) << client;
    std::map<std::string, std::vector<std::string>> covers;
    for (const v1::LegalHold& h : out.holds()) covers[h.hold_id()] = codes(h);
    return covers;
  };
  using Covers = std::map<std::string, std::vector<std::string>>;
  const Covers every = list("");
  ASSERT_EQ(every.size(), 3u);
  EXPECT_THAT(every.at(lot_hold.hold_id()),
              UnorderedElementsAreArray({"HX-104", "HX-105"}));
  EXPECT_THAT(every.at(case_hold.hold_id()),
              UnorderedElementsAreArray({"HX-106"}));
  EXPECT_THAT(every.at(client_hold.hold_id()), ::testing::IsEmpty());
  EXPECT_EQ(list("HX-104"),
            (Covers{{lot_hold.hold_id(), every.at(lot_hold.hold_id())}}));
  EXPECT_EQ(list("HX-105"),
            (Covers{{lot_hold.hold_id(), every.at(lot_hold.hold_id())},
                    {client_hold.hold_id(), {}}}));
  EXPECT_EQ(list("HX-106"), (Covers{{case_hold.hold_id(), {"HX-106"}}}));
}

}  // namespace
}  // namespace smptrace
