// The client's rights on an in-process server: consent before a session
// (configured per clinic), the ink disclosure before a pigment is used
// (REACH Annex XVII entry 75), the subject-access export (JSON data + PDF,
// every contact version, recorded as an export on the client's access log),
// and the auditor's report of who read, exported or erased which client's
// record, checked against an expectation the test keeps itself.

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

// ---- the ink disclosure
// ------------------------------------------------------

class InkDisclosureTest : public ClinicServerTest {
 protected:
  void SetUp() override {
    ledger_options_.consent.ink_disclosure_required = true;
    ClinicServerTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(
        ReceiveScans({testing::Gs1Scan(kPigment, "280630", "INK-3", "", 2),
                      testing::Gs1Scan(kPigment, "290131", "INK-4", "", 1),
                      testing::Gs1Scan(kCartridge, "281231", "C-1", "", 2)},
                     nullptr, room_)
            .ok());
    RegisterClient("INK-CLIENT");
    session_ = StartSessionFor("INK-CLIENT").session_id();
  }

  // The pigment's label as the manager enters it (version 2 of the
  // product).
  grpc::Status Label(
      const std::string& safety = "Do not use on broken or irritated skin.") {
    v1::GetProductRequest get;
    get.set_gtin(kPigment);
    v1::Product current;
    grpc::ClientContext get_ctx;
    EXPECT_TRUE(catalog_->GetProduct(&get_ctx, get, &current).ok());
    v1::UpdateProductRequest r;
    r.set_request_id(NextId());
    r.set_expected_version(current.version());
    *r.mutable_product() = current;
    r.mutable_product()->set_shade("Jet");
    v1::InkLabel* label = r.mutable_product()->mutable_ink_label();
    label->set_mixture_statement(
        "Mixture for use in tattoos or permanent make-up");
    label->clear_ingredients();
    for (const char* name : {"CI 77266", "Aqua", "Glycerin"}) {
      label->add_ingredients()->set_name(name);
    }
    v1::InkIngredient* ph = label->add_ingredients();
    ph->set_name("Sodium Hydroxide");
    ph->set_ph_regulator(true);
    label->set_contains_nickel(true);
    label->set_safety_instructions(safety);
    v1::Product out;
    grpc::ClientContext ctx;
    return catalog_->UpdateProduct(&ctx, r, &out);
  }

  grpc::Status Disclosure(const std::vector<std::string>& lots,
                          v1::InkDisclosure* out, bool pdf = false) {
    v1::GetInkDisclosureRequest r;
    r.set_session_id(session_);
    for (const std::string& lot : lots) {
      v1::PigmentLot* ref = r.add_lots();
      ref->set_gtin(kPigment);
      ref->set_lot(lot);
    }
    r.set_include_pdf(pdf);
    grpc::ClientContext ctx;
    return sessions_->GetInkDisclosure(&ctx, r, out);
  }

  grpc::Status Record(const std::vector<std::string>& lots,
                      const std::string& sha256, v1::InkDisclosureRecord* out,
                      const std::string& request_id = "") {
    v1::RecordInkDisclosureRequest r;
    r.set_request_id(request_id.empty() ? NextId() : request_id);
    r.set_session_id(session_);
    for (const std::string& lot : lots) {
      v1::PigmentLot* ref = r.add_lots();
      ref->set_gtin(kPigment);
      ref->set_lot(lot);
    }
    r.set_sha256(sha256);
    r.set_medium(v1::INK_DISCLOSURE_MEDIUM_SHOWN);
    grpc::ClientContext ctx;
    return sessions_->RecordInkDisclosure(&ctx, r, out);
  }

  grpc::Status Scan(const std::string& barcode) {
    v1::ScanConsumableRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session_);
    r.set_barcode(barcode);
    v1::ScanConsumableResponse out;
    grpc::ClientContext ctx;
    return sessions_->ScanConsumable(&ctx, r, &out);
  }

  std::string session_;
};

// What the client is shown for lot INK-3 after Label(), written out here,
// and its SHA-256 (python3 hashlib over these bytes).
constexpr char kInk3Text[] =
    "Ink disclosure, session SES-000001\n"
    "The label information of each pigment to be used (EU REACH, Annex XVII "
    "entry 75).\n"
    "\n"
    "1. SMP Black (Maker), shade Jet\n"
    "   GTIN 09506000000022, catalogue version 2\n"
    "   Batch (lot) INK-3, use by 2028-06-30\n"
    "   Mixture for use in tattoos or permanent make-up\n"
    "   Ingredients: CI 77266, Aqua, Glycerin, Sodium Hydroxide (pH "
    "regulator)\n"
    "   Contains nickel. Can cause allergic reactions.\n"
    "   Safety instructions: Do not use on broken or irritated skin.\n";
constexpr char kInk3Sha256[] =
    "bafb0c945b74a4f312e78307e7e718fdaaae7aa5329e7be08ba82647bc24781e";

TEST_F(InkDisclosureTest, APigmentScanIsRefusedUntilTheClientWasGivenItsLabel) {
  ASSERT_TRUE(Label().ok());
  EXPECT_THAT(Scan(testing::Gs1Scan(kPigment, "280630", "INK-3")),
              IsRefusal("ink_disclosure_missing",
                        AllOf(HasSubstr("SMP Black lot INK-3 is not in the ink "
                                        "disclosure of session SES-000001"),
                              HasSubstr("record that it was given, then scan "
                                        "again"))));
  // A cartridge needs no disclosure.
  EXPECT_TRUE(Scan(testing::Gs1Scan(kCartridge, "281231", "C-1")).ok());

  v1::InkDisclosure shown;
  ASSERT_TRUE(Disclosure({"INK-3"}, &shown).ok());
  EXPECT_EQ(shown.text(), kInk3Text);
  EXPECT_EQ(shown.sha256(), kInk3Sha256);
  EXPECT_TRUE(shown.required());
  ASSERT_EQ(shown.also_available_size(), 1);  // INK-4, in the room too
  EXPECT_EQ(shown.also_available(0).lot(), "INK-4");

  clock_.Advance(absl::Minutes(2));
  v1::InkDisclosureRecord record, again;
  ASSERT_TRUE(Record({"INK-3"}, shown.sha256(), &record, "ink-once").ok());
  EXPECT_EQ(record.sha256(), kInk3Sha256);
  EXPECT_EQ(record.medium(), v1::INK_DISCLOSURE_MEDIUM_SHOWN);
  EXPECT_EQ(ledger::FromProto(record.given_at()), clock_.Now());
  EXPECT_FALSE(record.given_by().empty());
  ASSERT_EQ(record.inks_size(), 1);
  EXPECT_EQ(record.inks(0).lot(), "INK-3");
  EXPECT_EQ(record.inks(0).product_version(), 2);
  EXPECT_EQ(record.inks(0).expiry().year(), 2028);
  EXPECT_EQ(record.inks(0).label().ingredients_size(), 4);
  const uint64_t length = JournalLength();
  ASSERT_TRUE(Record({"INK-3"}, shown.sha256(), &again, "ink-once").ok());
  EXPECT_EQ(again.SerializeAsString(), record.SerializeAsString());
  EXPECT_EQ(JournalLength(), length);  // a retry writes nothing

  EXPECT_TRUE(Scan(testing::Gs1Scan(kPigment, "280630", "INK-3")).ok());
  // Another lot of the same pigment was not disclosed.
  EXPECT_THAT(Scan(testing::Gs1Scan(kPigment, "290131", "INK-4")),
              IsRefusal("ink_disclosure_missing", HasSubstr("lot INK-4")));

  v1::GetSessionRequest get;
  get.set_session_id(session_);
  v1::GetSessionResponse read;
  grpc::ClientContext ctx;
  ASSERT_TRUE(sessions_->GetSession(&ctx, get, &read).ok());
  ASSERT_EQ(read.session().ink_disclosures_size(), 1);
  EXPECT_EQ(read.session().ink_disclosures(0).SerializeAsString(),
            record.SerializeAsString());
}

TEST_F(InkDisclosureTest, ALabelChangedSinceItWasShownIsRefused) {
  ASSERT_TRUE(Label().ok());
  v1::InkDisclosure shown;
  ASSERT_TRUE(Disclosure({}, &shown).ok());  // every pigment lot in the room
  ASSERT_EQ(shown.inks_size(), 2);
  EXPECT_TRUE(shown.also_available().empty());
  ASSERT_TRUE(Label("Keep out of reach of children.").ok());
  const uint64_t before = JournalLength();
  v1::InkDisclosureRecord record;
  EXPECT_THAT(Record({"INK-3", "INK-4"}, shown.sha256(), &record),
              IsRefusal("ink_disclosure_outdated",
                        HasSubstr("the catalogue changed since it was shown")));
  EXPECT_EQ(JournalLength(), before);
}

TEST_F(InkDisclosureTest, APigmentWithoutALabelCannotBeDisclosed) {
  v1::InkDisclosure shown;
  ASSERT_TRUE(Disclosure({"INK-3"}, &shown, /*pdf=*/true).ok());
  EXPECT_THAT(shown.text(),
              HasSubstr("Label information: not in the catalogue"));
  EXPECT_EQ(shown.pdf().substr(0, 5), "%PDF-");
  v1::InkDisclosureRecord record;
  EXPECT_THAT(
      Record({"INK-3"}, shown.sha256(), &record),
      IsRefusal("ink_label_missing", HasSubstr("smptrace product update --gtin "
                                               "09506000000022")));
}

TEST_F(InkDisclosureTest, BadRequestsNameTheField) {
  v1::InkDisclosure shown;
  v1::InkDisclosureRecord record;
  EXPECT_THAT(Disclosure({"NOPE"}, &shown),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           HasSubstr("lots[0]: lot NOPE of 09506000000022 was "
                                     "never received")));
  EXPECT_THAT(Disclosure({"INK-3", "INK-3"}, &shown),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("lots[1]: lot INK-3 of 09506000000022 is "
                                     "named twice")));
  EXPECT_THAT(Record({}, kInk3Sha256, &record),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("lots: required")));
  EXPECT_THAT(Record({"INK-3"}, "abc", &record),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("sha256: 64 hexadecimal digits")));

  // The label itself: only on pigments, and every field checked.
  v1::CreateProductRequest r;
  r.set_request_id(NextId());
  v1::Product* p = r.mutable_product();
  p->set_gtin(testing::TestGtin(9));
  p->set_name("Black ink");
  p->set_kind(v1::PRODUCT_KIND_PIGMENT);
  p->set_manufacturer("Maker");
  p->set_units_per_pack(1);
  p->set_pao_days(90);
  p->mutable_ink_label()->set_mixture_statement(
      "Mixture for use in tattoos or permanent make-up");
  p->mutable_ink_label()->add_ingredients()->set_name("Aqua");
  p->mutable_ink_label()->add_ingredients()->set_name("  ");
  v1::Product out;
  grpc::ClientContext ctx;
  EXPECT_THAT(catalog_->CreateProduct(&ctx, r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("product.ink_label.ingredients[1].name")));
  p->mutable_ink_label()->clear_ingredients();
  grpc::ClientContext ctx2;
  EXPECT_THAT(catalog_->CreateProduct(&ctx2, r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("product.ink_label.ingredients: the label "
                                     "lists 1..100 ingredients")));
  p->mutable_ink_label()->add_ingredients()->set_name("Aqua");
  p->set_kind(v1::PRODUCT_KIND_CONSUMABLE);
  p->set_pao_days(0);
  grpc::ClientContext ctx3;
  EXPECT_THAT(catalog_->CreateProduct(&ctx3, r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("product.ink_label: only pigments")));
}

TEST_F(ClinicServerTest, WithoutTheClinicRequiringItPigmentsScanUndisclosed) {
  ASSERT_TRUE(ReceiveScans({testing::Gs1Scan(kPigment, "280630", "INK-3")},
                           nullptr, room_)
                  .ok());
  RegisterClient("NO-INK");
  v1::ScanConsumableRequest r;
  r.set_request_id(NextId());
  r.set_session_id(StartSessionFor("NO-INK").session_id());
  r.set_barcode(testing::Gs1Scan(kPigment, "280630", "INK-3"));
  v1::ScanConsumableResponse out;
  grpc::ClientContext ctx;
  EXPECT_TRUE(sessions_->ScanConsumable(&ctx, r, &out).ok());
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

TEST_F(ClientAccessTest, ExportGivesEveryVersionOfTheContactDetails) {
  RegisterClient("V-1");
  for (const char* name : {"Second Name", "Third Name"}) {
    clock_.Advance(absl::Hours(1));
    v1::UpdateClientContactRequest r;
    r.set_request_id(NextId());
    r.set_client("V-1");
    r.mutable_contact()->set_name(name);
    r.mutable_contact()->set_phone("+44 20 7946 0000");
    v1::Client out;
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->UpdateClientContact(&ctx, r, &out).ok());
  }
  const v1::ClientRecordExport e = Export("V-1").record();
  EXPECT_EQ(e.client().version(), 3);
  ASSERT_EQ(e.contact_versions_size(), 3);
  EXPECT_EQ(e.contact_versions(0).version(), 1);
  EXPECT_EQ(e.contact_versions(0).contact().name(), "Client V-1");
  EXPECT_EQ(e.contact_versions(0).contact().email(), "V-1@example.org");
  EXPECT_EQ(e.contact_versions(1).contact().name(), "Second Name");
  EXPECT_EQ(e.contact_versions(2).version(), 3);
  EXPECT_EQ(e.contact_versions(2).contact().name(), "Third Name");
  EXPECT_EQ(ledger::FromProto(e.contact_versions(2).recorded_at()),
            clock_.Now());
  EXPECT_LT(e.contact_versions(0).seq(), e.contact_versions(1).seq());
}

TEST_F(ClientAccessTest, TheAccessReportListsAnErasure) {
  const std::string id = RegisterClient("X-1");
  const std::string who = ReadHistory("X-1");
  clock_.Advance(absl::Hours(1));
  v1::EraseClientRequest r;
  r.set_request_id(NextId());
  r.set_client("X-1");
  r.set_reason("client asked");
  r.set_legal_basis("GDPR Art. 17(1)(b)");
  v1::Client erased;
  grpc::ClientContext ctx;
  ASSERT_TRUE(sessions_->EraseClient(&ctx, r, &erased).ok());

  const v1::ClientAccessReportResponse report =
      Report(absl::InfinitePast(), absl::InfiniteFuture());
  ASSERT_EQ(report.accesses_size(), 2);
  const v1::ClientAccess& erasure = report.accesses(1);
  EXPECT_EQ(erasure.kind(), v1::CLIENT_ACCESS_KIND_ERASURE);
  EXPECT_EQ(erasure.client_id(), id);
  EXPECT_EQ(erasure.client_code(), "X-1");
  EXPECT_EQ(erasure.what(), "erasure (GDPR Art. 17(1)(b))");
  EXPECT_EQ(ledger::FromProto(erasure.at()), clock_.Now());
  ASSERT_EQ(report.tallies_size(), 1);
  EXPECT_EQ(report.tallies(0).by(), who);
  EXPECT_EQ(report.tallies(0).reads(), 1);
  EXPECT_EQ(report.tallies(0).erasures(), 1);
  EXPECT_EQ(report.tallies(0).clients(), 1);
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
