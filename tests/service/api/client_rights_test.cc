// The client's rights on an in-process server: consent before a session
// (configured per clinic), the subject-access export (JSON data + PDF,
// recorded as an export on the client's access log), and the auditor's
// report of who read or exported which client's record, checked against an
// expectation the test keeps itself.

#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/ledger/dates.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace {
namespace {

using ::smptrace::testing::ClinicServerTest;
using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::IsRefusal;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ConsentTest : public ClinicServerTest {
 protected:
  void SetUp() override {
    ledger_options_.consent.required = true;
    ledger_options_.consent.procedure = {"2026-01", "Procedure text."};
    ledger_options_.consent.data_processing = {"2026-02", "Data text."};
    ClinicServerTest::SetUp();
  }

  grpc::Status StartSession(const std::string& code, v1::Session* out) {
    v1::StartSessionRequest r;
    r.set_request_id(NextId());
    r.set_client(code);
    r.set_practitioner("Sam");
    r.set_location_id(room_);
    r.set_plan_step(v1::PLAN_STEP_FIRST);
    r.set_treatment_area("crown");
    r.mutable_answers()->set_none_apply(true);
    grpc::ClientContext ctx;
    return sessions_->StartSession(&ctx, r, out);
  }

  grpc::Status Consent(
      const std::string& code,
      const std::vector<std::pair<v1::ConsentSubject, std::string>>& given,
      v1::ConsentStatus* out, const std::string& request_id = "") {
    v1::RecordConsentRequest r;
    r.set_request_id(request_id.empty() ? NextId() : request_id);
    r.set_client(code);
    for (const auto& [subject, version] : given) {
      v1::ConsentGiven* g = r.add_given();
      g->set_subject(subject);
      g->set_version(version);
    }
    grpc::ClientContext ctx;
    return sessions_->RecordConsent(&ctx, r, out);
  }
};

TEST_F(ConsentTest, StartSessionIsRefusedUntilTheClientConsentedToBothTexts) {
  RegisterClient("K-1");
  const uint64_t before = JournalLength();
  v1::Session session;
  EXPECT_THAT(
      StartSession("K-1", &session),
      IsRefusal("consent_missing",
                AllOf(HasSubstr("client K-1 has not consented to the "
                                "procedure (text version 2026-01) and to data "
                                "processing (text version 2026-02)"),
                      HasSubstr("smptrace client consent K-1 --procedure "
                                "2026-01 --data-processing 2026-02"))));
  EXPECT_EQ(JournalLength(), before);  // a refusal records nothing

  v1::ConsentStatus status;
  ASSERT_TRUE(
      Consent("K-1", {{v1::CONSENT_SUBJECT_PROCEDURE, "2026-01"}}, &status)
          .ok());
  EXPECT_THAT(status.missing(),
              ElementsAre(v1::CONSENT_SUBJECT_DATA_PROCESSING));
  EXPECT_THAT(StartSession("K-1", &session),
              IsRefusal("consent_missing",
                        AllOf(HasSubstr("has not consented to data processing"),
                              ::testing::Not(HasSubstr("procedure"
                                                       " (text")))));

  ASSERT_TRUE(Consent("K-1", {{v1::CONSENT_SUBJECT_DATA_PROCESSING, "2026-02"}},
                      &status)
                  .ok());
  EXPECT_TRUE(status.missing().empty());
  ASSERT_EQ(status.consents_size(), 2);
  EXPECT_EQ(status.consents(0).recorded_by(), status.consents(1).recorded_by());
  EXPECT_TRUE(StartSession("K-1", &session).ok());
  ExpectRebuildMatches();
}

TEST_F(ConsentTest, RecordsTheVersionAndDigestOfTheTextAgreedTo) {
  const std::string id = RegisterClient("K-2");
  clock_.Advance(absl::Minutes(5));
  v1::ConsentStatus status;
  ASSERT_TRUE(Consent("K-2",
                      {{v1::CONSENT_SUBJECT_PROCEDURE, "2026-01"},
                       {v1::CONSENT_SUBJECT_DATA_PROCESSING, "2026-02"}},
                      &status)
                  .ok());
  ASSERT_EQ(status.consents_size(), 2);
  const v1::ClientConsent& c = status.consents(0);
  EXPECT_EQ(c.client_id(), id);
  EXPECT_EQ(c.subject(), v1::CONSENT_SUBJECT_PROCEDURE);
  EXPECT_EQ(c.version(), "2026-01");
  // SHA-256("Procedure text."), computed with sha256sum.
  EXPECT_EQ(c.text_sha256(),
            "b5489e532ffd4773898169013de93a0b43d6c911ff563eb57ad1f6bf3929aea1");
  EXPECT_EQ(ledger::FromProto(c.recorded_at()), clock_.Now());
  EXPECT_NE(c.seq(), 0u);

  // The same answer from GetConsent, and the texts with it.
  v1::GetConsentRequest get;
  get.set_client("K-2");
  v1::ConsentStatus read;
  grpc::ClientContext ctx;
  ASSERT_TRUE(sessions_->GetConsent(&ctx, get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), status.SerializeAsString());
  EXPECT_EQ(read.texts(1).text(), "Data text.");
}

TEST_F(ConsentTest, AnOutdatedTextIsRefusedAndARetryAnswersAsTheFirstTime) {
  RegisterClient("K-3");
  v1::ConsentStatus status;
  EXPECT_THAT(
      Consent("K-3", {{v1::CONSENT_SUBJECT_PROCEDURE, "2025-07"}}, &status),
      IsRefusal("consent_text_outdated",
                HasSubstr("the clinic's current text for the procedure is "
                          "version 2026-01")));
  EXPECT_THAT(Consent("K-3", {}, &status),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("given: required")));
  EXPECT_THAT(Consent("K-3",
                      {{v1::CONSENT_SUBJECT_PROCEDURE, "2026-01"},
                       {v1::CONSENT_SUBJECT_PROCEDURE, "2026-01"}},
                      &status),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("given[1].subject: given twice")));
  EXPECT_THAT(Consent("K-3", {{v1::CONSENT_SUBJECT_PROCEDURE, " "}}, &status),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("given[0].version")));

  v1::ConsentStatus first, again;
  ASSERT_TRUE(Consent("K-3", {{v1::CONSENT_SUBJECT_PROCEDURE, "2026-01"}},
                      &first, "consent-once")
                  .ok());
  const uint64_t length = JournalLength();
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(Consent("K-3", {{v1::CONSENT_SUBJECT_PROCEDURE, "2026-01"}},
                      &again, "consent-once")
                  .ok());
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(JournalLength(), length);
}

TEST_F(ClinicServerTest, WithoutAConsentFileSessionsStartWithoutConsent) {
  RegisterClient("K-4");
  StartSessionFor("K-4");
}

// The expectation of an access: who, which client, and how.
using Access = std::tuple<std::string, std::string, v1::ClientAccessKind>;

class ClientAccessTest : public ClinicServerTest {
 protected:
  // Reads client `code`'s history (a recorded read); returns the principal
  // it was recorded under (its last read).
  std::string ReadHistory(const std::string& code) {
    v1::ClientHistoryRequest r;
    r.set_client(code);
    v1::ClientHistoryResponse out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(audit_->ClientHistory(&ctx, r, &out).ok());
    return out.reads().empty() ? "" : out.reads().rbegin()->by();
  }

  v1::ExportClientRecordResponse Export(const std::string& code) {
    v1::ExportClientRecordRequest r;
    r.set_client(code);
    v1::ExportClientRecordResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = audit_->ExportClientRecord(&ctx, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::ClientAccessReportResponse Report(absl::Time from, absl::Time to,
                                        const std::string& client = "") {
    v1::ClientAccessReportRequest r;
    // Infinite: open-ended (unset).
    if (from != absl::InfinitePast()) *r.mutable_from() = ledger::ToProto(from);
    if (to != absl::InfiniteFuture()) *r.mutable_to() = ledger::ToProto(to);
    r.set_client(client);
    v1::ClientAccessReportResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = audit_->ClientAccessReport(&ctx, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }
};

TEST_F(ClientAccessTest, ExportHoldsEverythingAboutTheClientAndIsRecorded) {
  const std::string id = RegisterClient("E-1");
  RegisterClient("E-2");
  ASSERT_TRUE(
      ReceiveScans({testing::Gs1Scan(kCartridge, "281231", "LOT-A", "SN1")},
                   nullptr, room_)
          .ok());
  const v1::Session session = StartSessionFor("E-1");
  {
    v1::ScanConsumableRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session.session_id());
    r.set_barcode(testing::Gs1Scan(kCartridge, "281231", "LOT-A", "SN1"));
    v1::ScanConsumableResponse out;
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ScanConsumable(&ctx, r, &out).ok());
  }
  StartSessionFor("E-2");
  const std::string reader = ReadHistory("E-1");

  const v1::ExportClientRecordResponse out = Export("E-1");
  const v1::ClientRecordExport& e = out.record();
  EXPECT_EQ(e.client().client_id(), id);
  EXPECT_EQ(e.client().contact().email(), "E-1@example.org");
  ASSERT_EQ(e.sessions_size(), 1);  // E-2's session is not E-1's
  EXPECT_EQ(e.sessions(0).session().session_id(), session.session_id());
  ASSERT_EQ(e.sessions(0).consumables_size(), 1);
  EXPECT_EQ(e.sessions(0).consumables(0).use().lot(), "LOT-A");
  EXPECT_EQ(e.sessions(0).consumables(0).use().expiry().year(), 2028);
  EXPECT_TRUE(e.sessions(0).session().screening().answers().none_apply());
  // The accesses before this export: the history read.
  ASSERT_EQ(e.accesses_size(), 1);
  EXPECT_EQ(e.accesses(0).what(), "client history");
  EXPECT_EQ(e.accesses(0).by(), reader);
  EXPECT_EQ(e.generated_by(), reader);
  EXPECT_EQ(out.pdf().substr(0, 5), "%PDF-");

  // The export itself is in the client's access log, as an export.
  const v1::ClientAccessReportResponse report =
      Report(absl::InfinitePast(), absl::InfiniteFuture(), "E-1");
  ASSERT_EQ(report.accesses_size(), 2);
  EXPECT_EQ(report.accesses(1).kind(), v1::CLIENT_ACCESS_KIND_EXPORT);
  EXPECT_EQ(report.accesses(1).what(), "subject access export");
  ExpectRebuildMatches();
}

// The export leaves out its own entry, found by the request id it was
// recorded under, and whatever was recorded after it: a read that lands in
// the same commit right after it does not make the export list itself.
TEST_F(ClientAccessTest, ExportLeavesOutExactlyItsOwnEntryWhenAReadSlipsIn) {
  RegisterClient("E-1");
  const std::string reader = ReadHistory("E-1");
  ledger::Ledger& ledger = server_->ledger();
  ledger.PauseForTesting();
  v1::ExportClientRecordResponse exported;
  std::thread exporter([&] { exported = Export("E-1"); });
  ledger.WaitForQueuedForTesting(1);
  std::thread other([&] { ReadHistory("E-1"); });
  ledger.WaitForQueuedForTesting(2);
  ledger.ResumeForTesting();
  exporter.join();
  other.join();

  const v1::ClientAccessReportResponse report =
      Report(absl::InfinitePast(), absl::InfiniteFuture(), "E-1");
  ASSERT_EQ(report.accesses_size(), 3);
  EXPECT_EQ(report.accesses(1).kind(), v1::CLIENT_ACCESS_KIND_EXPORT);
  EXPECT_EQ(report.accesses(2).what(), "client history")
      << "the other read came right after the export's own entry";
  // Only the read before it: not itself, not the one after it.
  ASSERT_EQ(exported.record().accesses_size(), 1);
  EXPECT_EQ(exported.record().accesses(0).what(), "client history");
  EXPECT_EQ(exported.record().accesses(0).seq(), report.accesses(0).seq());
  EXPECT_EQ(exported.record().accesses(0).by(), reader);
}

TEST_F(ClientAccessTest, ExportOfAnUnknownClientIsNotFoundAndRecordsNothing) {
  const uint64_t before = JournalLength();
  v1::ExportClientRecordRequest r;
  r.set_client("NOBODY");
  v1::ExportClientRecordResponse out;
  grpc::ClientContext ctx;
  EXPECT_THAT(audit_->ExportClientRecord(&ctx, r, &out),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("NOBODY")));
  EXPECT_EQ(JournalLength(), before);
}

TEST_F(ClientAccessTest,
       ReportListsTheAccessesOfThePeriodAsTheTestCountedThem) {
  const std::string a = RegisterClient("R-A");
  const std::string b = RegisterClient("R-B");
  // Each access the test makes, with its time, kept by the test itself.
  std::vector<std::pair<absl::Time, Access>> made;
  std::string who;
  auto read = [&](const std::string& code, const std::string& id) {
    clock_.Advance(absl::Hours(1));
    who = ReadHistory(code);
    made.push_back({clock_.Now(), {who, id, v1::CLIENT_ACCESS_KIND_READ}});
  };
  auto exported = [&](const std::string& code, const std::string& id) {
    clock_.Advance(absl::Hours(1));
    Export(code);
    made.push_back({clock_.Now(), {who, id, v1::CLIENT_ACCESS_KIND_EXPORT}});
  };
  read("R-A", a);
  read("R-B", b);
  exported("R-A", a);
  read("R-A", a);
  exported("R-B", b);
  read("R-B", b);

  // The middle of the day: the 2nd to the 5th access.
  const absl::Time from = made[1].first;
  const absl::Time to = made[4].first + absl::Seconds(1);
  std::vector<Access> expected;
  int64_t reads = 0, exports = 0;
  std::map<std::string, bool> clients;
  for (const auto& [at, access] : made) {
    if (at < from || at >= to) continue;
    expected.push_back(access);
    ++(std::get<2>(access) == v1::CLIENT_ACCESS_KIND_EXPORT ? exports : reads);
    clients[std::get<1>(access)] = true;
  }
  ASSERT_EQ(expected.size(), 4u);

  const v1::ClientAccessReportResponse report = Report(from, to);
  std::vector<Access> got;
  for (const v1::ClientAccess& l : report.accesses()) {
    got.emplace_back(l.by(), l.client_id(), l.kind());
    EXPECT_EQ(l.client_code(), l.client_id() == a ? "R-A" : "R-B");
  }
  EXPECT_EQ(got, expected);
  ASSERT_EQ(report.tallies_size(), 1);
  EXPECT_EQ(report.tallies(0).by(), who);
  EXPECT_EQ(report.tallies(0).reads(), reads);
  EXPECT_EQ(report.tallies(0).exports(), exports);
  EXPECT_EQ(report.tallies(0).clients(), static_cast<int64_t>(clients.size()));

  // One client only.
  const v1::ClientAccessReportResponse only_b = Report(from, to, "R-B");
  for (const v1::ClientAccess& l : only_b.accesses()) {
    EXPECT_EQ(l.client_id(), b);
  }
  EXPECT_EQ(only_b.accesses_size(), 2);
}

TEST_F(ClientAccessTest, ReportRefusesAnEmptyPeriod) {
  v1::ClientAccessReportRequest r;
  *r.mutable_from() = ledger::ToProto(clock_.Now());
  *r.mutable_to() = ledger::ToProto(clock_.Now());
  v1::ClientAccessReportResponse out;
  grpc::ClientContext ctx;
  EXPECT_THAT(audit_->ClientAccessReport(&ctx, r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("to: is not after from")));
}

}  // namespace
}  // namespace smptrace
