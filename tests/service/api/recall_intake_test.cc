// Recall intake through the public API: an openFDA enforcement file or an
// EU Safety Gate weekly report export (tests/testdata/recalls/) matched
// against the clinic's catalogue and lots, candidates with their evidence,
// idempotency by notice id, a malformed file refused whole, and a manager's
// confirm (the real recall case: holds and exposure, in one entry) or
// dismiss. ReadRecallNoticeFile's own tests: the format told from the
// content, the Safety Gate fields mapped, and each shape error.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/api/recall_notice_file.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::Gs1Scan;
using ::smptrace::testing::IsRefusal;
using ::smptrace::testing::TestGtin;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

std::string TestFile(const std::string& name) {
  std::ifstream in(
      std::string(SMPTRACE_SOURCE_DIR) + "/tests/testdata/recalls/" + name,
      std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_TRUE(in.good()) << name;
  return bytes.str();
}

class RecallIntakeTest : public testing::ClinicServerTest {
 protected:
  // The products the sample notices are about (docs/manager.md's names).
  const std::string kInk = TestGtin(21);
  const std::string kNeedles = TestGtin(22);

  void SetUp() override {
    ClinicServerTest::SetUp();
    if (HasFatalFailure()) return;
    AddProduct(kInk, "SMP Ink Black 15ml", v1::PRODUCT_KIND_PIGMENT, "",
               "InkCo");
    AddProduct(kNeedles, "Cartridge 1RL 0.25", v1::PRODUCT_KIND_CONSUMABLE, "",
               "Acme Needles");
    ASSERT_TRUE(ReceiveScans({Gs1Scan(kInk, "271031", "INK-77", "", 4),
                              Gs1Scan(kNeedles, "271231", "CT-2291", "", 4)},
                             nullptr, room_)
                    .ok());
  }

  grpc::Status Import(const std::string& file,
                      v1::ImportRecallNoticesResponse* out,
                      const std::string& request_id = "") {
    v1::ImportRecallNoticesRequest r;
    r.set_request_id(request_id.empty() ? NextId() : request_id);
    r.set_file_name(file);
    r.set_content(TestFile(file));
    grpc::ClientContext ctx;
    return audit_->ImportRecallNotices(&ctx, r, out);
  }

  std::vector<v1::RecallCandidate> Candidates(
      v1::RecallCandidateStatus status = v1::RECALL_CANDIDATE_STATUS_OPEN) {
    v1::ListRecallCandidatesRequest r;
    r.set_status(status);
    v1::ListRecallCandidatesResponse out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(audit_->ListRecallCandidates(&ctx, r, &out).ok());
    return {out.candidates().begin(), out.candidates().end()};
  }

  v1::Lot LotOf(const std::string& gtin, const std::string& lot) {
    v1::GetLotRequest r;
    r.set_gtin(gtin);
    r.set_lot(lot);
    v1::GetLotResponse out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(inventory_->GetLot(&ctx, r, &out).ok());
    return out.lot();
  }

  // The candidate of `notice_id`.
  v1::RecallCandidate CandidateOf(const v1::ImportRecallNoticesResponse& out,
                                  const std::string& notice_id) {
    for (const auto& c : out.candidates()) {
      if (c.notice().notice_id() == notice_id) return c;
    }
    ADD_FAILURE() << "no candidate for " << notice_id;
    return {};
  }

  // Imports `file` twice (another request id each time: idempotent by
  // notice id): the second import makes no candidate and writes nothing.
  // The notices it reports as imported before, each with its candidate.
  std::vector<std::string> ImportTwice(const std::string& file) {
    v1::ImportRecallNoticesResponse first;
    EXPECT_TRUE(Import(file, &first).ok());
    const uint64_t length = JournalLength();
    v1::ImportRecallNoticesResponse again;
    EXPECT_TRUE(Import(file, &again).ok());
    EXPECT_THAT(again.candidates(), IsEmpty());
    EXPECT_EQ(JournalLength(), length);
    std::vector<std::string> already;
    for (const auto& n : again.notices()) {
      if (n.outcome() != v1::RECALL_NOTICE_OUTCOME_ALREADY_IMPORTED) continue;
      already.push_back(n.notice_id());
      EXPECT_THAT(n.candidate_ids(), SizeIs(1));
      EXPECT_THAT(n.detail(), HasSubstr("imported before as RCN-"));
    }
    return already;
  }
};

TEST_F(RecallIntakeTest, MakesCandidatesWithEvidenceAndRecallsNothing) {
  v1::ImportRecallNoticesResponse out;
  grpc::Status s = Import("openfda-device-enforcement.json", &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.notices_read(), 5);
  // Z-0412 (INK-77 held), Z-0414 (CT2291 = CT-2291), Z-0416 (all lots).
  ASSERT_THAT(out.candidates(), SizeIs(3));

  const v1::RecallCandidate held = CandidateOf(out, "Z-0412-2027");
  EXPECT_EQ(held.product_gtin(), kInk);
  ASSERT_THAT(held.lots(), SizeIs(1));
  EXPECT_EQ(held.lots(0).lot(), "INK-77");
  EXPECT_FALSE(held.all_lots());
  EXPECT_EQ(held.status(), v1::RECALL_CANDIDATE_STATUS_OPEN);
  ASSERT_THAT(held.evidence(), SizeIs(3));
  EXPECT_EQ(held.evidence(0).kind(), "firm");
  EXPECT_EQ(held.evidence(0).notice_words(), "INKCO, INC.");
  EXPECT_EQ(held.evidence(1).kind(), "product");
  EXPECT_EQ(held.evidence(1).notice_words(), "smp ink black");
  EXPECT_EQ(held.evidence(2).kind(), "lot");
  EXPECT_EQ(held.evidence(2).notice_words(), "INK-77");
  EXPECT_EQ(held.evidence(2).how(), "same lot number");

  // Punctuation and spelling variants.
  const v1::RecallCandidate needles = CandidateOf(out, "Z-0414-2027");
  EXPECT_EQ(needles.product_gtin(), kNeedles);
  EXPECT_EQ(needles.evidence(0).how(), "needle: spelling differs (1 letter)");
  EXPECT_EQ(needles.evidence().rbegin()->notice_words(), "CT2291");
  EXPECT_EQ(needles.evidence().rbegin()->clinic_value(), "CT-2291");
  EXPECT_EQ(needles.evidence().rbegin()->how(), "punctuation differs");

  // "All lots".
  const v1::RecallCandidate all = CandidateOf(out, "Z-0416-2027");
  EXPECT_TRUE(all.all_lots());
  EXPECT_THAT(all.lots(), IsEmpty());

  // Another firm's notice is not reported; a range of lots never received
  // is, without a candidate.
  std::map<std::string, v1::RecallNoticeOutcome> outcomes;
  for (const auto& n : out.notices()) outcomes[n.notice_id()] = n.outcome();
  EXPECT_EQ(outcomes.count("Z-0413-2027"), 0u);
  EXPECT_EQ(outcomes["Z-0415-2027"], v1::RECALL_NOTICE_OUTCOME_LOTS_NOT_HELD);

  // Nothing recalled until a manager confirms.
  EXPECT_EQ(LotOf(kInk, "INK-77").status(), v1::LOT_STATUS_RELEASED);
  EXPECT_EQ(LotOf(kNeedles, "CT-2291").status(), v1::LOT_STATUS_RELEASED);
  EXPECT_THAT(Candidates(), SizeIs(3));
  ExpectRebuildMatches();
}

TEST_F(RecallIntakeTest, TheSameNoticeImportedTwiceMakesNoSecondCandidate) {
  EXPECT_THAT(ImportTwice("openfda-device-enforcement.json"),
              ElementsAre("Z-0412-2027", "Z-0414-2027", "Z-0416-2027"));
  EXPECT_THAT(Candidates(), SizeIs(3));
}

TEST_F(RecallIntakeTest, ARetryWithTheSameRequestIdGetsTheFirstAnswer) {
  v1::ImportRecallNoticesResponse first, retry;
  ASSERT_TRUE(
      Import("openfda-device-enforcement.json", &first, "import-1").ok());
  ASSERT_TRUE(
      Import("openfda-device-enforcement.json", &retry, "import-1").ok());
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
}

TEST_F(RecallIntakeTest, AMalformedFileIsRefusedNamingRecordAndField) {
  const uint64_t length = JournalLength();
  v1::ImportRecallNoticesResponse out;
  EXPECT_THAT(Import("openfda-malformed.json", &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           "content: results[1].report_date: '2026-11-25' is "
                           "not a date (YYYYMMDD)"));
  // The first record was good: nothing of it is written either.
  EXPECT_EQ(JournalLength(), length);
  EXPECT_THAT(Candidates(v1::RECALL_CANDIDATE_STATUS_UNSPECIFIED), IsEmpty());
}

TEST_F(RecallIntakeTest, AFileThatIsNotAnEnforcementReportIsRefused) {
  v1::ImportRecallNoticesRequest r;
  r.set_request_id(NextId());
  r.set_content("{\"results\": [ {\"recall_number\": ");
  v1::ImportRecallNoticesResponse out;
  grpc::ClientContext ctx;
  EXPECT_THAT(
      audit_->ImportRecallNotices(&ctx, r, &out),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                   HasSubstr("content: not JSON of an openFDA enforcement "
                             "file")));
  r.set_request_id(NextId());
  r.set_content("{\"meta\": {}}");
  grpc::ClientContext ctx2;
  EXPECT_THAT(audit_->ImportRecallNotices(&ctx2, r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("content: no results")));
}

TEST_F(RecallIntakeTest, ConfirmOpensTheRecallCaseWithHoldsAndExposure) {
  const std::string client = RegisterClient("C1");
  const v1::Session session = StartSessionFor("C1");
  {
    v1::ScanConsumableRequest scan;
    scan.set_request_id(NextId());
    scan.set_session_id(session.session_id());
    scan.set_barcode(Gs1Scan(kNeedles, "271231", "CT-2291"));
    v1::ScanConsumableResponse used;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->ScanConsumable(&ctx, scan, &used);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::ImportRecallNoticesResponse out;
  ASSERT_TRUE(Import("openfda-device-enforcement.json", &out).ok());
  const v1::RecallCandidate needles = CandidateOf(out, "Z-0414-2027");
  const uint64_t length = JournalLength();

  v1::ConfirmRecallCandidateRequest r;
  r.set_request_id(NextId());
  r.set_candidate_id(needles.candidate_id());
  v1::ConfirmRecallCandidateResponse confirmed;
  {
    grpc::ClientContext ctx;
    grpc::Status s = audit_->ConfirmRecallCandidate(&ctx, r, &confirmed);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // One journal entry: the case and the candidate together.
  EXPECT_EQ(JournalLength(), length + 1);
  const v1::RecallCase& c = confirmed.recall_case();
  EXPECT_EQ(confirmed.candidate().status(),
            v1::RECALL_CANDIDATE_STATUS_CONFIRMED);
  EXPECT_EQ(confirmed.candidate().case_id(), c.case_id());
  EXPECT_EQ(c.notice().reference(), "Z-0414-2027");
  EXPECT_THAT(c.notice().text(), HasSubstr("sterility cannot be assured"));
  ASSERT_THAT(c.holds(), SizeIs(1));
  EXPECT_EQ(c.holds(0).lot(), "CT-2291");
  ASSERT_THAT(c.exposed(), SizeIs(1));
  EXPECT_EQ(c.exposed(0).client_id(), client);
  EXPECT_EQ(LotOf(kNeedles, "CT-2291").status(), v1::LOT_STATUS_RECALLED);
  EXPECT_EQ(LotOf(kInk, "INK-77").status(), v1::LOT_STATUS_RELEASED);
  EXPECT_THAT(Candidates(), SizeIs(2));

  // Decided once.
  r.set_request_id(NextId());
  grpc::ClientContext again;
  EXPECT_THAT(audit_->ConfirmRecallCandidate(&again, r, &confirmed),
              IsRefusal("recall_candidate_decided",
                        HasSubstr("already confirmed: see recall case " +
                                  c.case_id())));
  ExpectRebuildMatches();
}

TEST_F(RecallIntakeTest, ConfirmingAllLotsOpensTheCaseForTheProduct) {
  v1::ImportRecallNoticesResponse out;
  ASSERT_TRUE(Import("openfda-device-enforcement.json", &out).ok());
  v1::ConfirmRecallCandidateRequest r;
  r.set_request_id(NextId());
  r.set_candidate_id(CandidateOf(out, "Z-0416-2027").candidate_id());
  v1::ConfirmRecallCandidateResponse confirmed;
  grpc::ClientContext ctx;
  ASSERT_TRUE(audit_->ConfirmRecallCandidate(&ctx, r, &confirmed).ok());
  EXPECT_EQ(confirmed.recall_case().product_gtin(), kInk);
  EXPECT_EQ(LotOf(kInk, "INK-77").status(), v1::LOT_STATUS_RECALLED);
}

TEST_F(RecallIntakeTest, DismissNeedsAReasonAndKeepsIt) {
  v1::ImportRecallNoticesResponse out;
  ASSERT_TRUE(Import("openfda-device-enforcement.json", &out).ok());
  v1::DismissRecallCandidateRequest r;
  r.set_request_id(NextId());
  r.set_candidate_id(CandidateOf(out, "Z-0416-2027").candidate_id());
  r.set_reason("  ");
  v1::RecallCandidate dismissed;
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(audit_->DismissRecallCandidate(&ctx, r, &dismissed),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                             HasSubstr("reason: required")));
  }
  r.set_reason("our INK-77 was made in November: outside the notice's dates");
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->DismissRecallCandidate(&ctx, r, &dismissed).ok());
  }
  EXPECT_EQ(dismissed.status(), v1::RECALL_CANDIDATE_STATUS_DISMISSED);
  EXPECT_EQ(LotOf(kInk, "INK-77").status(), v1::LOT_STATUS_RELEASED);
  ASSERT_THAT(Candidates(v1::RECALL_CANDIDATE_STATUS_DISMISSED), SizeIs(1));
  EXPECT_EQ(
      Candidates(v1::RECALL_CANDIDATE_STATUS_DISMISSED)[0].dismiss_reason(),
      r.reason());

  v1::ConfirmRecallCandidateRequest confirm;
  confirm.set_request_id(NextId());
  confirm.set_candidate_id(r.candidate_id());
  v1::ConfirmRecallCandidateResponse c;
  grpc::ClientContext ctx;
  EXPECT_THAT(audit_->ConfirmRecallCandidate(&ctx, confirm, &c),
              IsRefusal("recall_candidate_decided", HasSubstr("dismissed")));
  ExpectRebuildMatches();
}

TEST_F(RecallIntakeTest, AnUnknownCandidateIsNotFound) {
  v1::ConfirmRecallCandidateRequest r;
  r.set_request_id(NextId());
  r.set_candidate_id("RCN-000042");
  v1::ConfirmRecallCandidateResponse out;
  grpc::ClientContext ctx;
  EXPECT_THAT(audit_->ConfirmRecallCandidate(&ctx, r, &out),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           "candidate_id: recall candidate RCN-000042 does "
                           "not exist"));
}

// ---- EU Safety Gate ---------------------------------------------------------

TEST(ReadRecallNoticeFile, MapsASafetyGateAlertOntoTheNotice) {
  auto file = ReadRecallNoticeFile(TestFile("safety-gate-weekly-report.xml"));
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_THAT(file->notices(), SizeIs(6));
  const v1::PublishedRecallNotice& n = file->notices(0);
  EXPECT_EQ(n.source(), v1::RECALL_NOTICE_SOURCE_SAFETY_GATE);
  EXPECT_EQ(n.notice_id(), "SR/01234/26");
  EXPECT_EQ(n.recalling_firm(), "InkCo");
  EXPECT_EQ(n.product_description(),
            "Tattoo ink: SMP Ink Black 15ml; type/model 15 ml bottle; Black "
            "pigment for scalp micropigmentation in a plastic bottle with a "
            "dropper cap.");
  EXPECT_EQ(n.code_info(), "Batch number: INK-77");
  EXPECT_EQ(n.reason(),
            "Microbiological: The product is contaminated with Pseudomonas "
            "aeruginosa. Injected into the skin, it may cause infections.");
  EXPECT_EQ(n.classification(), "Serious risk");
  EXPECT_EQ(n.product_type(), "Cosmetics");
  EXPECT_EQ(n.measures(), "Recall of the product from end users");
  EXPECT_EQ(n.notifying_country(), "Germany");
  EXPECT_EQ(n.report_date().year(), 2026);
  EXPECT_EQ(n.report_date().month(), 11);
  EXPECT_EQ(n.report_date().day(), 27);
  EXPECT_EQ(n.status(), "");
  // Batch numbers and barcode together; an empty type/model is left out.
  EXPECT_EQ(file->notices(3).code_info(),
            "Batch number: CT/2291, CT/2292; Barcode: 9506000000220");
  EXPECT_EQ(file->notices(2).product_description(),
            "Pigment for micropigmentation: SMP Ink Black pigment; Black "
            "pigment in bottles of 15 ml and 30 ml.");
}

TEST(ReadRecallNoticeFile, TellsTheFormatFromTheContent) {
  auto json = ReadRecallNoticeFile(TestFile("openfda-device-enforcement.json"));
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(json->notices(0).source(), v1::RECALL_NOTICE_SOURCE_OPENFDA);
  // A byte-order mark and blank lines before the XML declaration.
  auto xml = ReadRecallNoticeFile("\xEF\xBB\xBF\n  " +
                                  TestFile("safety-gate-weekly-report.xml"));
  ASSERT_TRUE(xml.ok()) << xml.status();
  EXPECT_EQ(xml->notices(0).source(), v1::RECALL_NOTICE_SOURCE_SAFETY_GATE);
  EXPECT_EQ(ReadRecallNoticeFile("Recall number,Firm\nZ-1,InkCo\n").status(),
            absl::InvalidArgumentError(
                "content: neither JSON nor XML (starts with 'Recall "
                "number,Fi'): an openFDA enforcement file is JSON "
                "({\"meta\":…,\"results\":[…]}), a Safety Gate export XML "
                "(<Safety-Gate>…)"));
  EXPECT_EQ(ReadRecallNoticeFile(" \n").status(),
            absl::InvalidArgumentError(
                "content: empty: an openFDA enforcement JSON file or a Safety "
                "Gate XML export is expected"));
}

TEST(ReadRecallNoticeFile, ReadsTheOlderCombinedBatchAndBarcode) {
  auto file = ReadRecallNoticeFile(
      "<Safety-Gate><report_date>6/3/2026</report_date><notifications>"
      "<caseNumber>A12/00310/26</caseNumber><product>Tattoo ink</product>"
      "<brand>InkCo</brand><batchNumber_barcode>Batch 2291 - EAN "
      "9506000000213</batchNumber_barcode><pictures><picture>https://x/1.jpg"
      "</picture></pictures></notifications></Safety-Gate>");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->notices(0).code_info(),
            "Batch number / barcode: Batch 2291 - EAN 9506000000213");
  EXPECT_EQ(file->notices(0).product_description(), "Tattoo ink");
  EXPECT_EQ(file->notices(0).report_date().day(), 6);
  EXPECT_EQ(file->notices(0).report_date().month(), 3);
}

TEST(ReadRecallNoticeFile, RefusesAMalformedSafetyGateFileNamingWhere) {
  EXPECT_EQ(
      ReadRecallNoticeFile(TestFile("safety-gate-malformed.xml")).status(),
      absl::InvalidArgumentError("content: not XML of a Safety Gate "
                                 "export: line 33, column 36: "
                                 "mismatched tag"));
}

TEST(ReadRecallNoticeFile, RefusesSafetyGateShapeErrorsNamingTheElement) {
  const std::string alert =
      "<notifications><caseNumber>SR/1/26</caseNumber><product>Ink</product>"
      "</notifications>";
  const struct {
    std::string xml;
    std::string error;
  } cases[] = {
      {"<alerts><alert><caseNumber>SR/1/26</caseNumber></alert></alerts>",
       "content: root element <alerts>: a Safety Gate export's is "
       "<Safety-Gate>"},
      {"<Safety-Gate><report_date>27/11/2026</report_date></Safety-Gate>",
       "content: no notifications: a Safety Gate export holds "
       "<Safety-Gate><report_date>…</report_date><notifications>…"
       "</notifications></Safety-Gate>"},
      {"<Safety-Gate>" + alert + "</Safety-Gate>",
       "content: report_date: required (DD/MM/YYYY, the weekly report's "
       "date)"},
      {"<Safety-Gate><report_date>2026-11-27</report_date>" + alert +
           "</Safety-Gate>",
       "content: report_date: '2026-11-27' is not a date (DD/MM/YYYY)"},
      {"<Safety-Gate><report_date>31/11/2026</report_date>" + alert +
           "</Safety-Gate>",
       "content: report_date: '31/11/2026' is not a date (DD/MM/YYYY)"},
      {"<Safety-Gate><report_date>27/11/2026</report_date>" + alert +
           "<notifications><product>Ink</product></notifications>"
           "</Safety-Gate>",
       "content: notifications[1].caseNumber: required (e.g. SR/01234/26)"},
      {"<Safety-Gate><report_date>27/11/2026</report_date><notifications>"
       "<caseNumber>SR/1/26</caseNumber><brand>InkCo</brand>"
       "</notifications></Safety-Gate>",
       "content: notifications[0].product: required (the product, or its "
       "name)"},
      {"<Safety-Gate><report_date>27/11/2026</report_date><notifications>"
       "<caseNumber>SR/1/26</caseNumber><product>Ink</product><level>" +
           std::string(51, 'x') + "</level></notifications></Safety-Gate>",
       "content: notifications[0].level: at most 50 characters, got 51"},
      // Entities could expand without bound: no DOCTYPE is read.
      {"<?xml version=\"1.0\"?><!DOCTYPE Safety-Gate [<!ENTITY a "
       "\"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
       "<Safety-Gate><report_date>27/11/2026</report_date><notifications>"
       "<caseNumber>&b;</caseNumber><product>Ink</product></notifications>"
       "</Safety-Gate>",
       "content: a DOCTYPE is not read (a Safety Gate export has none)"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ReadRecallNoticeFile(c.xml).status(),
              absl::InvalidArgumentError(c.error))
        << c.xml;
  }
}

TEST_F(RecallIntakeTest, SafetyGateAlertsMakeCandidatesLikeOpenFdaNotices) {
  v1::ImportRecallNoticesResponse out;
  grpc::Status s = Import("safety-gate-weekly-report.xml", &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.notices_read(), 6);
  // SR/01234 (INK-77 held), SR/01251 (all batches), SR/01262 (CT/2291).
  ASSERT_THAT(out.candidates(), SizeIs(3));

  const v1::RecallCandidate held = CandidateOf(out, "SR/01234/26");
  EXPECT_EQ(held.notice().source(), v1::RECALL_NOTICE_SOURCE_SAFETY_GATE);
  EXPECT_EQ(held.product_gtin(), kInk);
  ASSERT_THAT(held.lots(), SizeIs(1));
  EXPECT_EQ(held.lots(0).lot(), "INK-77");
  EXPECT_FALSE(held.all_lots());
  ASSERT_THAT(held.evidence(), SizeIs(3));
  EXPECT_EQ(held.evidence(0).kind(), "firm");
  EXPECT_EQ(held.evidence(0).notice_words(), "InkCo");
  EXPECT_EQ(held.evidence(1).kind(), "product");
  EXPECT_EQ(held.evidence(2).kind(), "lot");
  EXPECT_EQ(held.evidence(2).notice_words(), "INK-77");
  EXPECT_EQ(held.evidence(2).how(), "same lot number");

  const v1::RecallCandidate all = CandidateOf(out, "SR/01251/26");
  EXPECT_EQ(all.product_gtin(), kInk);
  EXPECT_TRUE(all.all_lots());
  EXPECT_THAT(all.lots(), IsEmpty());
  EXPECT_EQ(all.evidence().rbegin()->kind(), "all_lots");
  EXPECT_EQ(all.evidence().rbegin()->notice_words(), "All batches");

  // The EAN-13 barcode and a batch written with other punctuation.
  const v1::RecallCandidate needles = CandidateOf(out, "SR/01262/26");
  EXPECT_EQ(needles.product_gtin(), kNeedles);
  EXPECT_EQ(needles.evidence(0).kind(), "gtin");
  EXPECT_EQ(needles.evidence(0).clinic_value(), kNeedles);
  ASSERT_THAT(needles.lots(), SizeIs(1));
  EXPECT_EQ(needles.lots(0).lot(), "CT-2291");
  EXPECT_EQ(needles.evidence().rbegin()->notice_words(), "CT/2291");
  EXPECT_EQ(needles.evidence().rbegin()->clinic_value(), "CT-2291");
  EXPECT_EQ(needles.evidence().rbegin()->how(), "punctuation differs");

  // Another brand's alert is not reported; batches never received, and a
  // batch the alert does not know, are, without a candidate.
  std::map<std::string, v1::RecallNoticeReport> reports;
  for (const auto& n : out.notices()) reports[n.notice_id()] = n;
  EXPECT_EQ(reports.count("SR/01240/26"), 0u);
  EXPECT_EQ(reports["SR/01270/26"].outcome(),
            v1::RECALL_NOTICE_OUTCOME_LOTS_NOT_HELD);
  EXPECT_EQ(reports["SR/01281/26"].outcome(),
            v1::RECALL_NOTICE_OUTCOME_LOTS_UNREADABLE);
  EXPECT_THAT(reports["SR/01281/26"].candidate_ids(), IsEmpty());

  EXPECT_EQ(LotOf(kInk, "INK-77").status(), v1::LOT_STATUS_RELEASED);
  EXPECT_EQ(LotOf(kNeedles, "CT-2291").status(), v1::LOT_STATUS_RELEASED);
  EXPECT_THAT(Candidates(), SizeIs(3));
  ExpectRebuildMatches();
}

TEST_F(RecallIntakeTest, TheSameSafetyGateAlertImportedTwiceMakesNoSecond) {
  EXPECT_THAT(ImportTwice("safety-gate-weekly-report.xml"),
              ElementsAre("SR/01234/26", "SR/01251/26", "SR/01262/26"));
  EXPECT_THAT(Candidates(), SizeIs(3));

  // An openFDA notice is another source: its ids never meet Safety Gate's.
  v1::ImportRecallNoticesResponse fda;
  ASSERT_TRUE(Import("openfda-device-enforcement.json", &fda).ok());
  EXPECT_THAT(fda.candidates(), SizeIs(3));
}

TEST_F(RecallIntakeTest, ConfirmingASafetyGateCandidateKeepsItsMeasures) {
  v1::ImportRecallNoticesResponse out;
  ASSERT_TRUE(Import("safety-gate-weekly-report.xml", &out).ok());
  v1::ConfirmRecallCandidateRequest r;
  r.set_request_id(NextId());
  r.set_candidate_id(CandidateOf(out, "SR/01262/26").candidate_id());
  v1::ConfirmRecallCandidateResponse confirmed;
  grpc::ClientContext ctx;
  grpc::Status s = audit_->ConfirmRecallCandidate(&ctx, r, &confirmed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const v1::RecallCase& c = confirmed.recall_case();
  EXPECT_EQ(c.notice().reference(), "SR/01262/26");
  EXPECT_THAT(c.notice().text(), StartsWith("Acme Needle: Tattoo needle "
                                            "cartridges: Cartridges 1RL"));
  EXPECT_THAT(c.notice().text(),
              HasSubstr("(Serious risk). Measures: Recall of the product "
                        "from end users. Notified by Austria"));
  ASSERT_THAT(c.holds(), SizeIs(1));
  EXPECT_EQ(c.holds(0).lot(), "CT-2291");
  EXPECT_EQ(LotOf(kNeedles, "CT-2291").status(), v1::LOT_STATUS_RECALLED);
  ExpectRebuildMatches();
}

TEST_F(RecallIntakeTest, AMalformedSafetyGateFileIsRefusedWhole) {
  const uint64_t length = JournalLength();
  v1::ImportRecallNoticesResponse out;
  EXPECT_THAT(Import("safety-gate-malformed.xml", &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("content: not XML of a Safety Gate "
                                     "export: line 33")));
  // Its first alert was good: nothing of it is written either.
  EXPECT_EQ(JournalLength(), length);
  EXPECT_THAT(Candidates(v1::RECALL_CANDIDATE_STATUS_UNSPECIFIED), IsEmpty());
}

}  // namespace
}  // namespace smptrace::api
