// The lists and updates people reach for daily, through a real in-process
// server: sessions by period, room, practitioner and status; a client's
// contact details as a new version, clients by code, each contact read
// recorded; sharps containers and recall cases by status; a recall's
// notification worksheet; and the inspector's sterility record (a session or
// a period, as a PDF).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/ledger/dates.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::Gs1Scan;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class ListsTest : public testing::ClinicServerTest {
 protected:
  std::string NewClient(const std::string& code) {
    v1::CreateClientRequest r;
    r.set_request_id("client-" + code);
    r.set_code(code);
    r.mutable_contact()->set_name("Client " + code);
    r.mutable_contact()->set_phone("+44 20 7946 00" + code.substr(1));
    v1::Client out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(sessions_->CreateClient(&ctx, r, &out).ok());
    return out.client_id();
  }

  std::string Start(const std::string& client, const std::string& room,
                    const std::string& practitioner) {
    v1::StartSessionRequest r;
    r.set_request_id(NextId());
    r.set_client(client);
    r.set_practitioner(practitioner);
    r.set_location_id(room);
    r.set_plan_step(v1::PLAN_STEP_FIRST);
    r.set_treatment_area("crown");
    r.mutable_answers()->set_none_apply(true);
    v1::Session s;
    grpc::ClientContext ctx;
    grpc::Status status = sessions_->StartSession(&ctx, r, &s);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return s.session_id();
  }

  void Scan(const std::string& session, const std::string& barcode) {
    v1::ScanConsumableRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session);
    r.set_barcode(barcode);
    v1::ScanConsumableResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->ScanConsumable(&ctx, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  void Abort(const std::string& session) {
    v1::AbortSessionRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session);
    r.set_reason("client felt unwell");
    v1::Session out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(sessions_->AbortSession(&ctx, r, &out).ok());
  }

  grpc::Status List(const v1::ListSessionsRequest& r,
                    v1::ListSessionsResponse* out) {
    grpc::ClientContext ctx;
    return sessions_->ListSessions(&ctx, r, out);
  }

  std::vector<std::string> Ids(const v1::ListSessionsRequest& r) {
    v1::ListSessionsResponse out;
    grpc::Status s = List(r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> ids;
    for (const auto& l : out.sessions()) ids.push_back(l.session_id());
    return ids;
  }

  std::vector<std::string> ReadsOf(const std::string& client) {
    v1::ClientHistoryRequest r;
    r.set_client(client);
    v1::ClientHistoryResponse out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(audit_->ClientHistory(&ctx, r, &out).ok());
    std::vector<std::string> what;
    for (const auto& read : out.reads()) what.push_back(read.what());
    return what;
  }

  void AdvanceDays(int days) { clock_.Advance(absl::Hours(24 * days)); }
};

TEST_F(ListsTest, SessionsByPeriodRoomPractitionerAndStatusInPages) {
  const std::string room2 =
      AddLocation("Room 2", v1::LOCATION_KIND_ROOM, clinic_);
  NewClient("C1");
  NewClient("C2");
  const std::string s1 = Start("C1", room_, "Sam");  // day 0
  Abort(s1);
  AdvanceDays(1);
  const std::string s2 = Start("C2", room2, "Ana");  // day 1, stays open
  AdvanceDays(8);
  const std::string s3 = Start("C1", room_, "Ana");  // day 9, stays open

  EXPECT_THAT(Ids({}), ElementsAre(s1, s2, s3));
  v1::ListSessionsRequest r;
  r.set_status(v1::SESSION_STATUS_OPEN);
  EXPECT_THAT(Ids(r), ElementsAre(s2, s3));
  r.Clear();
  r.set_location_id(room_);
  EXPECT_THAT(Ids(r), ElementsAre(s1, s3));
  r.Clear();
  r.set_practitioner("Ana");
  EXPECT_THAT(Ids(r), ElementsAre(s2, s3));
  r.Clear();
  const absl::Time day0 =
      absl::FromCivil(absl::CivilDay(2026, 11, 23), absl::UTCTimeZone());
  *r.mutable_from() = ledger::ToProto(day0 + absl::Hours(24));
  *r.mutable_to() = ledger::ToProto(day0 + absl::Hours(48));
  EXPECT_THAT(Ids(r), ElementsAre(s2));

  // Pages of one, in start order, each carrying on after the last.
  r.Clear();
  r.mutable_page()->set_page_size(1);
  std::vector<std::string> paged;
  for (int i = 0; i < 4; ++i) {
    v1::ListSessionsResponse out;
    ASSERT_TRUE(List(r, &out).ok());
    for (const auto& l : out.sessions()) paged.push_back(l.session_id());
    if (out.next_page_token().empty()) break;
    r.mutable_page()->set_page_token(out.next_page_token());
  }
  EXPECT_THAT(paged, ElementsAre(s1, s2, s3));
}

TEST_F(ListsTest, AnOpenSessionShowsWhatStillAwaitsDisposal) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "L1", "SN-1")},
                           nullptr, room_)
                  .ok());
  NewClient("C1");
  const std::string s = Start("C1", room_, "Sam");
  Scan(s, Gs1Scan(kCartridge, "271231", "L1", "SN-1"));
  v1::ListSessionsRequest r;
  r.set_status(v1::SESSION_STATUS_OPEN);
  v1::ListSessionsResponse out;
  ASSERT_TRUE(List(r, &out).ok());
  ASSERT_THAT(out.sessions(), SizeIs(1));
  EXPECT_EQ(out.sessions(0).consumables(), 1);
  EXPECT_EQ(out.sessions(0).awaiting_disposal(), 1);
  EXPECT_EQ(out.sessions(0).client_code(), "C1");
  EXPECT_EQ(out.sessions(0).verdict(), v1::RECORD_VERDICT_OPEN);
}

TEST_F(ListsTest, BlankAndUnknownFiltersAreClearErrors) {
  v1::ListSessionsResponse out;
  v1::ListSessionsRequest r;
  r.set_practitioner("   ");
  EXPECT_THAT(List(r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("practitioner: only blank characters "
                                     "given: leave the filter out")));
  r.Clear();
  r.set_location_id(" ");
  EXPECT_THAT(List(r, &out), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                          HasSubstr("location_id")));
  r.Clear();
  r.set_location_id("LOC-000099");
  EXPECT_THAT(List(r, &out),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           HasSubstr("location LOC-000099 does not exist")));
  r.Clear();
  r.set_status(static_cast<v1::SessionStatus>(9));
  EXPECT_THAT(List(r, &out), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                          HasSubstr("status")));
  r.Clear();
  *r.mutable_from() = ledger::ToProto(clock_.Now());
  *r.mutable_to() = ledger::ToProto(clock_.Now() - absl::Hours(1));
  EXPECT_THAT(List(r, &out), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                          HasSubstr("to: is not after from")));
  r.Clear();
  r.mutable_page()->set_page_token("SES-000042");
  EXPECT_THAT(List(r, &out), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                          HasSubstr("page.page_token")));

  v1::ListContainersRequest c;
  c.set_location_id("LOC-000099");
  v1::ListContainersResponse containers;
  grpc::ClientContext ctx1;
  EXPECT_THAT(
      disposal_->ListContainers(&ctx1, c, &containers),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("LOC-000099")));
  v1::ListClientsRequest k;
  k.set_code_prefix("\t");
  v1::ListClientsResponse clients;
  grpc::ClientContext ctx2;
  EXPECT_THAT(sessions_->ListClients(&ctx2, k, &clients),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("code_prefix")));
  v1::ListRecallCasesRequest rc;
  rc.set_status(static_cast<v1::RecallCaseStatus>(7));
  v1::ListRecallCasesResponse cases;
  grpc::ClientContext ctx3;
  EXPECT_THAT(
      audit_->ListRecallCases(&ctx3, rc, &cases),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("status")));
}

TEST_F(ListsTest, AContactUpdateIsANewVersionAndEveryContactReadIsRecorded) {
  const std::string id = NewClient("C1");
  NewClient("C2");
  NewClient("D3");
  v1::UpdateClientContactRequest u;
  u.set_request_id("move-1");
  u.set_client("C1");
  u.mutable_contact()->set_name("Client C1");
  u.mutable_contact()->set_postal_address("1 New Street, Leeds");
  u.set_expected_version(1);
  v1::Client updated;
  {
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->UpdateClientContact(&ctx, u, &updated);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.contact().postal_address(), "1 New Street, Leeds");
  EXPECT_EQ(updated.contact().phone(), "");  // the whole contact is replaced
  // A stale version is refused, and so is a contact no notice could use.
  u.set_request_id("move-2");
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(sessions_->UpdateClientContact(&ctx, u, &updated),
                GrpcStatusIs(grpc::StatusCode::ABORTED,
                             HasSubstr("is at version 2, not 1")));
  }
  u.set_request_id("move-3");
  u.set_expected_version(0);
  u.mutable_contact()->set_postal_address(" ");
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(
        sessions_->UpdateClientContact(&ctx, u, &updated),
        GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("contact")));
  }

  v1::ListClientsRequest l;
  l.set_code_prefix("C");
  v1::ListClientsResponse out;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ListClients(&ctx, l, &out).ok());
  }
  ASSERT_THAT(out.clients(), SizeIs(2));
  EXPECT_FALSE(out.clients(0).has_contact());
  EXPECT_THAT(ReadsOf(id), ElementsAre("client history"));  // no contact read
  l.set_include_contact(true);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ListClients(&ctx, l, &out).ok());
  }
  EXPECT_EQ(out.clients(0).contact().postal_address(), "1 New Street, Leeds");
  EXPECT_EQ(out.clients(0).version(), 2);
  EXPECT_THAT(ReadsOf(id),
              ElementsAre("client history", "contact details (client list)",
                          "client history"));
  EXPECT_THAT(ReadsOf("C2"),
              ElementsAre("contact details (client list)", "client history"));
  EXPECT_THAT(ReadsOf("D3"), ElementsAre("client history"));  // not listed
  ExpectRebuildMatches();
}

TEST_F(ListsTest, ContainersAndRecallCasesByStatus) {
  for (int i = 0; i < 2; ++i) {
    v1::OpenContainerRequest r;
    r.set_request_id("container-" + std::to_string(i));
    r.set_location_id(room_);
    v1::Container c;
    grpc::ClientContext ctx;
    ASSERT_TRUE(disposal_->OpenContainer(&ctx, r, &c).ok());
  }
  v1::SealContainerRequest seal;
  seal.set_request_id("seal");
  seal.set_container_id("SHC-000001");
  v1::Container sealed;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(disposal_->SealContainer(&ctx, seal, &sealed).ok());
  }
  v1::ListContainersRequest lc;
  lc.set_status(v1::CONTAINER_STATUS_OPEN);
  lc.set_location_id(room_);
  v1::ListContainersResponse containers;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(disposal_->ListContainers(&ctx, lc, &containers).ok());
  }
  ASSERT_THAT(containers.containers(), SizeIs(1));
  EXPECT_EQ(containers.containers(0).container_id(), "SHC-000002");
  lc.set_location_id(store_);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(disposal_->ListContainers(&ctx, lc, &containers).ok());
  }
  EXPECT_THAT(containers.containers(), SizeIs(0));

  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "R-1", "", 2)},
                           nullptr, room_)
                  .ok());
  v1::OpenRecallCaseRequest drill;
  drill.set_request_id("drill");
  drill.mutable_notice()->set_reference("DRILL-1");
  drill.mutable_notice()->set_text("mock recall");
  drill.set_product_gtin(kCartridge);
  drill.set_drill(true);
  v1::RecallCase c;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->OpenRecallCase(&ctx, drill, &c).ok());
  }
  v1::CloseRecallCaseRequest close;
  close.set_request_id("close");
  close.set_case_id(c.case_id());
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->CloseRecallCase(&ctx, close, &c).ok());
  }
  drill.set_request_id("drill-2");
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->OpenRecallCase(&ctx, drill, &c).ok());
  }
  v1::ListRecallCasesRequest lr;
  lr.set_status(v1::RECALL_CASE_STATUS_OPEN);
  v1::ListRecallCasesResponse cases;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->ListRecallCases(&ctx, lr, &cases).ok());
  }
  ASSERT_THAT(cases.cases(), SizeIs(1));
  EXPECT_EQ(cases.cases(0).case_id(), "RC-000002");
  lr.set_status(v1::RECALL_CASE_STATUS_UNSPECIFIED);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->ListRecallCases(&ctx, lr, &cases).ok());
  }
  EXPECT_THAT(cases.cases(), SizeIs(2));
}

TEST_F(ListsTest, TheWorksheetNamesEachExposedClientsContactAndRecordsTheRead) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "R-1", "SN-1"),
                            Gs1Scan(kCartridge, "271231", "R-2", "SN-2")},
                           nullptr, room_)
                  .ok());
  const std::string a = NewClient("C1");
  const std::string b = NewClient("C2");
  const std::string sa = Start("C1", room_, "Sam");
  Scan(sa, Gs1Scan(kCartridge, "271231", "R-1", "SN-1"));
  const std::string sb = Start("C2", room_, "Ana");
  Scan(sb, Gs1Scan(kCartridge, "271231", "R-2", "SN-2"));

  v1::OpenRecallCaseRequest open;
  open.set_request_id("open");
  open.mutable_notice()->set_reference("FSN-7");
  open.mutable_notice()->set_text("sterility not assured");
  v1::LotRef* lot = open.add_lots();
  lot->set_gtin(kCartridge);
  lot->set_lot("R-1");
  v1::RecallCase c;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->OpenRecallCase(&ctx, open, &c).ok());
  }
  v1::RecordNotificationRequest notify;
  notify.set_request_id("notify");
  notify.set_case_id(c.case_id());
  notify.set_client_id(a);
  notify.set_channel("phone");
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->RecordNotification(&ctx, notify, &c).ok());
  }

  v1::GetRecallWorksheetRequest w;
  w.set_case_id(c.case_id());
  v1::RecallWorksheet sheet;
  {
    grpc::ClientContext ctx;
    grpc::Status s = audit_->GetRecallWorksheet(&ctx, w, &sheet);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_THAT(sheet.clients(), SizeIs(1));  // C2 used the other lot
  const v1::WorksheetClient& k = sheet.clients(0);
  EXPECT_EQ(k.exposed().client_id(), a);
  EXPECT_TRUE(k.exposed().notified());
  EXPECT_EQ(k.exposed().channel(), "phone");
  EXPECT_EQ(k.contact().phone(), "+44 20 7946 001");
  ASSERT_THAT(k.sessions(), SizeIs(1));
  EXPECT_EQ(k.sessions(0).session_id(), sa);
  EXPECT_EQ(k.sessions(0).practitioner(), "Sam");
  EXPECT_THAT(k.sessions(0).units(), ElementsAre(kCartridge + " R-1 SN-1"));
  EXPECT_EQ(sheet.notified(), 1);
  EXPECT_EQ(sheet.not_notified(), 0);
  EXPECT_THAT(sheet.recall_case().exposed(), SizeIs(0));
  EXPECT_THAT(ReadsOf(a), ElementsAre("contact details (recall worksheet "
                                      "RC-000001)",
                                      "client history"));
  EXPECT_THAT(ReadsOf(b), ElementsAre("client history"));

  w.set_case_id("RC-000009");
  grpc::ClientContext ctx;
  EXPECT_THAT(audit_->GetRecallWorksheet(&ctx, w, &sheet),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           HasSubstr("recall case RC-000009 does not exist")));
  ExpectRebuildMatches();
}

TEST_F(ListsTest, TheInspectionRecordOfASessionOrAPeriodIsAPdfWithEveryScan) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "L-7", "SN-1"),
                            Gs1Scan(kCartridge, "271231", "L-7", "SN-2")},
                           nullptr, room_)
                  .ok());
  NewClient("C1");
  const std::string s1 = Start("C1", room_, "Sam");
  Scan(s1, Gs1Scan(kCartridge, "271231", "L-7", "SN-1"));
  AdvanceDays(2);
  const std::string s2 = Start("C1", room_, "Sam");
  Scan(s2, Gs1Scan(kCartridge, "271231", "L-7", "SN-2"));

  v1::GetInspectionRecordRequest r;
  r.set_session_id(s1);
  r.set_pdf(true);
  v1::InspectionRecord out;
  {
    grpc::ClientContext ctx;
    grpc::Status s = audit_->GetInspectionRecord(&ctx, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_THAT(out.records(), SizeIs(1));
  EXPECT_TRUE(out.verification().ok());
  EXPECT_GT(out.verification().entries(), 0u);
  EXPECT_EQ(out.made_by(), "insecure-dev");
  const std::string& pdf = out.pdf();
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  for (const std::string& text :
       {std::string("Sterility record for inspection"), s1, std::string("L-7"),
        std::string("SN-1"), std::string("2027-12-31"), std::string("EO"),
        std::string("NOT DISPOSED"), std::string("verified intact")}) {
    EXPECT_NE(pdf.find(text), std::string::npos) << text;
  }
  EXPECT_EQ(pdf.find("SN-2"), std::string::npos);  // the other session's

  r.Clear();
  const absl::Time day0 =
      absl::FromCivil(absl::CivilDay(2026, 11, 23), absl::UTCTimeZone());
  *r.mutable_from() = ledger::ToProto(day0);
  *r.mutable_to() = ledger::ToProto(day0 + absl::Hours(72));
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->GetInspectionRecord(&ctx, r, &out).ok());
  }
  EXPECT_THAT(out.records(), SizeIs(2));
  EXPECT_THAT(ReadsOf("C1"),
              ElementsAre("inspection record " + s1,
                          "inspection record 2026-11-23..2026-11-26",
                          "client history"));

  // Neither or both of a session and a period, or half a period: refused.
  for (int bad = 0; bad < 3; ++bad) {
    v1::GetInspectionRecordRequest b;
    if (bad == 1) {
      b.set_session_id(s1);
      *b.mutable_from() = ledger::ToProto(day0);
    }
    if (bad == 2) *b.mutable_from() = ledger::ToProto(day0);
    grpc::ClientContext ctx;
    EXPECT_THAT(
        audit_->GetInspectionRecord(&ctx, b, &out),
        GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                     HasSubstr(bad == 2 ? "to: required" : "session_id")));
  }
}

}  // namespace
}  // namespace smptrace::api
