// Lookback with known ground truth: a dataset made through the public API
// (clients, sessions using units of several lots, pigment draws, voided
// scans) and, for every lot and for the product, the trace must return
// exactly the clients that used it: none missing, none extra.
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/ledger/dates.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::Gs1Scan;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class TraceTest : public testing::ClinicServerTest {
 protected:
  std::string NewClient(int i) {
    v1::CreateClientRequest r;
    r.set_request_id("client-" + std::to_string(i));
    r.set_code("C" + std::to_string(i));
    r.mutable_contact()->set_name("Client " + std::to_string(i));
    r.mutable_contact()->set_email("c" + std::to_string(i) + "@example.org");
    v1::Client out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(sessions_->CreateClient(&ctx, r, &out).ok());
    return out.client_id();
  }

  v1::TraceResponse Trace(const std::string& lot) {
    v1::TraceResponse out;
    grpc::ClientContext ctx;
    grpc::Status s;
    if (lot.empty()) {
      v1::TraceProductRequest r;
      r.set_gtin(kCartridge);
      s = audit_->TraceProduct(&ctx, r, &out);
    } else {
      v1::TraceLotRequest r;
      r.set_gtin(lot == "INK" ? kPigment : kCartridge);
      r.set_lot(lot);
      s = audit_->TraceLot(&ctx, r, &out);
    }
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }
};

TEST_F(TraceTest, EveryLookbackReturnsExactlyTheClientsThatUsedTheLot) {
  const std::vector<std::string> lots = {"L1", "L2", "L3"};
  std::vector<std::string> scans;
  for (const auto& lot : lots) {
    for (int i = 0; i < 15; ++i) {
      scans.push_back(
          Gs1Scan(kCartridge, "271231", lot, lot + "-" + std::to_string(i)));
    }
  }
  scans.push_back(Gs1Scan(kPigment, "280630", "INK", "B1"));
  v1::ReceiveRequest receive;
  receive.set_request_id("delivery");
  receive.set_location_id(room_);
  receive.set_po_reference("INV-2026-001");
  for (const auto& s : scans) receive.add_lines()->set_barcode(s);
  {
    v1::ReceiveResponse out;
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->Receive(&ctx, receive, &out).ok());
  }
  std::vector<std::string> clients;
  for (int i = 0; i < 10; ++i) clients.push_back(NewClient(i));

  // Ground truth, kept here independently of the server.
  std::map<std::string, std::set<std::string>> exposed;  // lot -> client ids
  std::mt19937 rng(42);
  std::map<std::string, int> next_unit;
  std::map<std::string, int> returned;  // voided as not opened
  for (int s = 0; s < 20; ++s) {
    const std::string& client = clients[rng() % clients.size()];
    v1::StartSessionRequest start;
    start.set_request_id("start-" + std::to_string(s));
    start.set_client(client);
    start.set_practitioner("Sam");
    start.set_location_id(room_);
    start.set_plan_step(v1::PLAN_STEP_FIRST);
    start.set_treatment_area("crown");
    start.mutable_answers()->set_none_apply(true);
    v1::Session session;
    {
      grpc::ClientContext ctx;
      ASSERT_TRUE(sessions_->StartSession(&ctx, start, &session).ok());
    }
    clock_.Advance(absl::Hours(1));
    const int n = 1 + static_cast<int>(rng() % 2);
    for (int k = 0; k < n; ++k) {
      const std::string& lot = lots[rng() % lots.size()];
      if (next_unit[lot] >= 15) continue;
      const std::string serial = lot + "-" + std::to_string(next_unit[lot]++);
      v1::ScanConsumableRequest scan;
      scan.set_request_id(NextId());
      scan.set_session_id(session.session_id());
      scan.set_barcode(Gs1Scan(kCartridge, "271231", lot, serial));
      v1::ScanConsumableResponse used;
      {
        grpc::ClientContext ctx;
        ASSERT_TRUE(sessions_->ScanConsumable(&ctx, scan, &used).ok());
      }
      if (rng() % 5 == 0) {  // voided: not an exposure
        v1::VoidScanRequest v;
        v.set_request_id(NextId());
        v.set_session_id(session.session_id());
        v.set_scan_seq(used.use().seq());
        v.set_reason("wrong client");
        // Either way the client was not exposed.
        v.set_package(k % 2 == 0 ? v1::VOIDED_PACKAGE_NOT_OPENED
                                 : v1::VOIDED_PACKAGE_OPENED);
        if (k % 2 == 0) ++returned[lot];  // back in stock
        v1::Session after;
        grpc::ClientContext ctx;
        ASSERT_TRUE(sessions_->VoidScan(&ctx, v, &after).ok());
      } else {
        exposed[lot].insert(client);
      }
    }
    if (s % 3 == 0) {  // a draw from the one pigment bottle
      v1::ScanConsumableRequest scan;
      scan.set_request_id(NextId());
      scan.set_session_id(session.session_id());
      scan.set_barcode(Gs1Scan(kPigment, "280630", "INK", "B1"));
      v1::ScanConsumableResponse used;
      grpc::ClientContext ctx;
      ASSERT_TRUE(sessions_->ScanConsumable(&ctx, scan, &used).ok());
      exposed["INK"].insert(client);
    }
  }

  std::set<std::string> all_cartridge;
  for (const auto& lot : lots) {
    v1::TraceResponse t = Trace(lot);
    std::set<std::string> got(t.exposed_client_ids().begin(),
                              t.exposed_client_ids().end());
    EXPECT_EQ(got, exposed[lot]) << lot;
    all_cartridge.insert(exposed[lot].begin(), exposed[lot].end());
    ASSERT_THAT(t.lots(), SizeIs(1));
    const v1::TracedLot& traced = t.lots(0);
    EXPECT_EQ(traced.units(), 15);
    EXPECT_EQ(traced.in_stock() + traced.opened() + traced.disposed() +
                  traced.discarded(),
              15);
    EXPECT_EQ(traced.opened(), next_unit[lot] - returned[lot]);
    ASSERT_THAT(traced.receipts(), SizeIs(1));
    EXPECT_EQ(traced.receipts(0).po_reference(), "INV-2026-001");
    EXPECT_EQ(traced.receipts(0).units(), 15);
    EXPECT_EQ(t.units_examined(), 15);
  }
  v1::TraceResponse ink = Trace("INK");
  EXPECT_EQ(std::set<std::string>(ink.exposed_client_ids().begin(),
                                  ink.exposed_client_ids().end()),
            exposed["INK"]);
  v1::TraceResponse product = Trace("");
  EXPECT_EQ(std::set<std::string>(product.exposed_client_ids().begin(),
                                  product.exposed_client_ids().end()),
            all_cartridge);
  EXPECT_THAT(product.lots(), SizeIs(3));
  EXPECT_EQ(product.units_examined(), 45);
  // Traces carry pseudonymous codes, never contact details.
  for (const auto& s : product.sessions()) {
    EXPECT_THAT(s.client_code(), ::testing::StartsWith("C"));
  }
}

TEST_F(TraceTest, TheSterilityRecordIsProvedByJournalEntries) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "S-1", "SN1")},
                           nullptr, room_)
                  .ok());
  NewClient(1);
  v1::StartSessionRequest start;
  start.set_request_id("start");
  start.set_client("C1");
  start.set_practitioner("Sam");
  start.set_location_id(room_);
  start.set_plan_step(v1::PLAN_STEP_FIRST);
  start.set_treatment_area("crown");
  start.mutable_answers()->set_none_apply(true);
  v1::Session session;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->StartSession(&ctx, start, &session).ok());
  }
  v1::ScanConsumableRequest scan;
  scan.set_request_id("scan");
  scan.set_session_id(session.session_id());
  scan.set_barcode(Gs1Scan(kCartridge, "271231", "S-1", "SN1"));
  v1::ScanConsumableResponse used;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ScanConsumable(&ctx, scan, &used).ok());
  }
  v1::CloseSessionRequest close;
  close.set_request_id("close");
  close.set_session_id(session.session_id());
  close.set_undisposed_reason("container missing");
  v1::Session closed;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->CloseSession(&ctx, close, &closed).ok());
  }
  ASSERT_TRUE(SetLotStatus(kCartridge, "S-1", v1::LOT_STATUS_RECALLED).ok());

  v1::GetSterilityRecordRequest r;
  r.set_session_id(session.session_id());
  v1::SterilityRecord record;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->GetSterilityRecord(&ctx, r, &record).ok());
  }
  EXPECT_EQ(record.verdict(), v1::RECORD_VERDICT_EXCEPTIONS);
  ASSERT_THAT(record.consumables(), SizeIs(1));
  EXPECT_THAT(record.consumables(0).status_now(),
              HasSubstr("lot recalled since 2026-11-23 (notice FSN-2026-014)"));
  EXPECT_EQ(record.consumables(0).use().sterilization().method(),
            v1::STERILIZATION_METHOD_ETHYLENE_OXIDE);
  // Start, scan and seal, each with the hash the journal chains.
  ASSERT_THAT(record.proof(), SizeIs(3));
  EXPECT_EQ(record.proof(0).seq(), session.started_seq());
  EXPECT_EQ(record.proof(1).seq(), used.use().seq());
  EXPECT_EQ(record.proof(2).seq(), closed.seal().seq());
  EXPECT_EQ(record.proof(2).hash(), closed.seal().hash());
  EXPECT_GT(session.started_seq(), 0u);

  // The client's "materials used" certificate lists the lot.
  r.set_certificate_pdf(true);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->GetSterilityRecord(&ctx, r, &record).ok());
  }
  const std::string& pdf = record.certificate_pdf();
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf.find("(S-1)"), std::string::npos);
  EXPECT_NE(pdf.find("(C1)"), std::string::npos);      // the client's code
  EXPECT_EQ(pdf.find("Client 1"), std::string::npos);  // never the name
  if (std::system("command -v pdftotext > /dev/null 2>&1") == 0) {
    const std::string path = dir_.Sub("certificate.pdf");
    std::ofstream(path, std::ios::binary) << pdf;
    const std::string text_path = dir_.Sub("certificate.txt");
    ASSERT_EQ(std::system(("pdftotext " + path + " " + text_path).c_str()), 0);
    std::ifstream in(text_path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_THAT(text.str(), HasSubstr("S-1"));
    EXPECT_THAT(text.str(), HasSubstr("Materials used in your procedure"));
  }

  r.set_session_id("SES-000099");
  grpc::ClientContext ctx;
  EXPECT_THAT(audit_->GetSterilityRecord(&ctx, r, &record),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           HasSubstr("session SES-000099 does not exist")));
}

}  // namespace
}  // namespace smptrace::api

namespace smptrace::api {
namespace {

TEST_F(TraceTest, ClientHistoryListsSessionsAndEveryReadOfTheRecordIsRecorded) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "H-1", "", 3)},
                           nullptr, room_)
                  .ok());
  const std::string client = NewClient(7);
  for (int i = 0; i < 2; ++i) {
    v1::StartSessionRequest start;
    start.set_request_id("start-" + std::to_string(i));
    start.set_client("C7");
    start.set_practitioner("Sam");
    start.set_location_id(room_);
    start.set_plan_step(i == 0 ? v1::PLAN_STEP_FIRST : v1::PLAN_STEP_SECOND);
    start.set_treatment_area("crown");
    start.mutable_answers()->set_none_apply(true);
    v1::Session session;
    {
      grpc::ClientContext ctx;
      ASSERT_TRUE(sessions_->StartSession(&ctx, start, &session).ok());
    }
    v1::ScanConsumableRequest scan;
    scan.set_request_id("scan-" + std::to_string(i));
    scan.set_session_id(session.session_id());
    scan.set_barcode(Gs1Scan(kCartridge, "271231", "H-1"));
    v1::ScanConsumableResponse used;
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ScanConsumable(&ctx, scan, &used).ok());
    clock_.Advance(absl::Hours(24 * 8));
  }
  const uint64_t before = JournalLength();
  v1::ClientHistoryRequest r;
  r.set_client("C7");
  v1::ClientHistoryResponse history;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->ClientHistory(&ctx, r, &history).ok());
  }
  EXPECT_EQ(history.client_id(), client);
  ASSERT_THAT(history.sessions(), SizeIs(2));
  EXPECT_EQ(history.sessions(0).plan_step(), v1::PLAN_STEP_FIRST);
  EXPECT_THAT(history.sessions(1).lots(),
              ElementsAreArray({kCartridge + " H-1"}));
  // The read itself is a journal entry, and the history shows it.
  EXPECT_EQ(JournalLength(), before + 1);
  ASSERT_THAT(history.reads(), SizeIs(1));
  EXPECT_EQ(history.reads(0).what(), "client history");
  EXPECT_EQ(history.reads(0).by(), "insecure-dev");
  EXPECT_EQ(history.reads(0).seq(), before + 1);

  v1::GetClientRequest contact;
  contact.set_client("C7");
  contact.set_include_contact(true);
  v1::Client c;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->GetClient(&ctx, contact, &c).ok());
  }
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->ClientHistory(&ctx, r, &history).ok());
  }
  ASSERT_THAT(history.reads(), SizeIs(3));
  EXPECT_EQ(history.reads(1).what(), "contact details");
  ExpectRebuildMatches();
}

TEST_F(TraceTest, ExceptionsArePickedByThePeriodTheSessionsStartedIn) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "E-1", "SN-E")},
                           nullptr, room_)
                  .ok());
  NewClient(1);
  auto start_and_close_with_exception = [&](const std::string& tag) {
    v1::StartSessionRequest start;
    start.set_request_id("start-" + tag);
    start.set_client("C1");
    start.set_practitioner("Sam");
    start.set_location_id(room_);
    start.set_plan_step(v1::PLAN_STEP_TOUCH_UP);
    start.set_treatment_area("crown");
    start.mutable_answers()->set_finasteride_current(true);
    v1::ApproveScreeningOverrideRequest approve;
    approve.set_request_id("approve-" + tag);
    approve.set_client("C1");
    approve.set_manager("Morgan");
    approve.set_reason("letter on file " + tag);
    v1::ScreeningOverrideApproval approval;
    {
      grpc::ClientContext ctx;
      EXPECT_TRUE(
          sessions_->ApproveScreeningOverride(&ctx, approve, &approval).ok());
    }
    start.set_override_approval_id(approval.approval_id());
    v1::Session session;
    grpc::ClientContext ctx;
    EXPECT_TRUE(sessions_->StartSession(&ctx, start, &session).ok());
  };
  const absl::Time t0 = clock_.Now();
  start_and_close_with_exception("a");
  clock_.Advance(absl::Hours(24 * 30));
  const absl::Time t1 = clock_.Now();
  start_and_close_with_exception("b");

  v1::ListExceptionsRequest r;
  *r.mutable_from() = ledger::ToProto(t1);
  v1::ListExceptionsResponse out;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->ListExceptions(&ctx, r, &out).ok());
  }
  ASSERT_THAT(out.exceptions(), SizeIs(1));
  EXPECT_EQ(out.exceptions(0).exception().kind(), "screening_override");
  EXPECT_THAT(out.exceptions(0).exception().detail(),
              HasSubstr("letter on file b"));
  EXPECT_EQ(out.sessions_examined(), 1);
  *r.mutable_from() = ledger::ToProto(t0);
  *r.mutable_to() = ledger::ToProto(t1);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->ListExceptions(&ctx, r, &out).ok());
  }
  ASSERT_THAT(out.exceptions(), SizeIs(1));
  EXPECT_THAT(out.exceptions(0).exception().detail(),
              HasSubstr("letter on file a"));
}

}  // namespace
}  // namespace smptrace::api

namespace smptrace::api {
namespace {

// Reads a whole export.
std::string ExportAll(v1::AuditService::Stub& audit, v1::ExportFormat format) {
  v1::ExportRequest r;
  r.set_format(format);
  grpc::ClientContext ctx;
  auto reader = audit.Export(&ctx, r);
  v1::ExportChunk chunk;
  std::string out;
  while (reader->Read(&chunk)) out += chunk.data();
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_EQ(chunk.entries_done(), chunk.entries_total());
  return out;
}

TEST_F(TraceTest, ExportsCarryEveryUnitEventAndNoClientData) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "X,\"1", "SN1"),
                            Gs1Scan(kCartridge, "271231", "X,\"1", "SN2")},
                           nullptr, room_)
                  .ok());
  NewClient(1);
  v1::StartSessionRequest start;
  start.set_request_id("start");
  start.set_client("C1");
  start.set_practitioner("Sam");
  start.set_location_id(room_);
  start.set_plan_step(v1::PLAN_STEP_FIRST);
  start.set_treatment_area("crown");
  start.mutable_answers()->set_none_apply(true);
  v1::Session session;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->StartSession(&ctx, start, &session).ok());
  }
  v1::ScanConsumableRequest scan;
  scan.set_request_id("scan");
  scan.set_session_id(session.session_id());
  scan.set_barcode(Gs1Scan(kCartridge, "271231", "X,\"1", "SN1"));
  v1::ScanConsumableResponse used;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ScanConsumable(&ctx, scan, &used).ok());
  }
  ASSERT_TRUE(SetLotStatus(kCartridge, "X,\"1", v1::LOT_STATUS_RECALLED).ok());

  // CSV (RFC 4180): a header, one row per unit and event, quoting doubled.
  const std::string csv = ExportAll(*audit_, v1::EXPORT_FORMAT_CSV);
  EXPECT_EQ(csv.rfind("seq,time,event,gtin,lot,expiry,serial,location_id,"
                      "session_id,container_id,reference,reason\r\n",
                      0),
            0u);
  EXPECT_THAT(csv,
              HasSubstr(",received," + kCartridge +
                        ",\"X,\"\"1\",2027-12-31,SN1," + room_ + ",,,,\r\n"));
  EXPECT_THAT(
      csv, HasSubstr(",opened," + kCartridge + ",\"X,\"\"1\",2027-12-31,SN1," +
                     room_ + "," + session.session_id() + ",,,\r\n"));
  EXPECT_THAT(csv, HasSubstr(",recalled," + kCartridge +
                             ",\"X,\"\"1\",2027-12-31,,,,,"
                             "FSN-2026-014,"));
  // No client data, not even the pseudonymous code.
  EXPECT_EQ(csv.find("C1"), std::string::npos);
  EXPECT_EQ(csv.find("Client 1"), std::string::npos);

  // JSON lines: the same rows, each a JSON object.
  const std::string jsonl = ExportAll(*audit_, v1::EXPORT_FORMAT_JSONL);
  int rows = 0;
  for (absl::string_view line :
       absl::StrSplit(jsonl, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct object;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                    std::string(line.data(), line.size()), &object)
                    .ok())
        << line;
    EXPECT_TRUE(object.fields().contains("event"));
    ++rows;
  }
  EXPECT_EQ(rows, 4);  // 2 received, 1 opened, 1 recalled

  // EPCIS 2.0 JSON-LD: the standard's names, field by field.
  const std::string epcis = ExportAll(*audit_, v1::EXPORT_FORMAT_EPCIS);
  google::protobuf::Struct doc;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(epcis, &doc).ok())
      << epcis;
  EXPECT_EQ(doc.fields().at("type").string_value(), "EPCISDocument");
  EXPECT_EQ(doc.fields().at("schemaVersion").string_value(), "2.0");
  EXPECT_THAT(doc.fields().at("@context").list_value().values(0).string_value(),
              HasSubstr("epcis-context.jsonld"));
  const auto& events = doc.fields()
                           .at("epcisBody")
                           .struct_value()
                           .fields()
                           .at("eventList")
                           .list_value()
                           .values();
  ASSERT_EQ(events.size(), 3);
  const auto field = [&](int i, const std::string& name) {
    return events[i].struct_value().fields().at(name);
  };
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(field(i, "type").string_value(), "ObjectEvent");
    EXPECT_EQ(field(i, "eventTimeZoneOffset").string_value(), "+00:00");
    EXPECT_FALSE(field(i, "eventTime").string_value().empty());
  }
  EXPECT_EQ(field(0, "action").string_value(), "ADD");
  EXPECT_EQ(field(0, "bizStep").string_value(), "receiving");
  EXPECT_EQ(field(0, "disposition").string_value(), "in_progress");
  EXPECT_EQ(field(0, "epcList").list_value().values(0).string_value(),
            "https://id.gs1.org/01/" + kCartridge + "/21/SN1");
  EXPECT_EQ(field(0, "ilmd")
                .struct_value()
                .fields()
                .at("cbvmda:lotNumber")
                .string_value(),
            "X,\"1");
  EXPECT_EQ(field(0, "ilmd")
                .struct_value()
                .fields()
                .at("cbvmda:itemExpirationDate")
                .string_value(),
            "2027-12-31");
  EXPECT_EQ(field(1, "bizStep").string_value(), "dispensing");
  EXPECT_EQ(field(1, "disposition").string_value(), "dispensed");
  EXPECT_EQ(field(1, "smptrace:session").string_value(), session.session_id());
  EXPECT_EQ(field(2, "bizStep").string_value(), "holding");
  EXPECT_EQ(field(2, "disposition").string_value(), "recalled");
  EXPECT_EQ(field(2, "quantityList")
                .list_value()
                .values(0)
                .struct_value()
                .fields()
                .at("epcClass")
                .string_value(),
            "https://id.gs1.org/01/" + kCartridge + "/10/X%2C%221");
  EXPECT_EQ(epcis.find("C1"), std::string::npos);
}

}  // namespace
}  // namespace smptrace::api

namespace smptrace::api {
namespace {

TEST_F(TraceTest, ARecallCaseFromNoticeToClosedAndADrillThatChangesNothing) {
  ASSERT_TRUE(ReceiveScans({Gs1Scan(kCartridge, "271231", "R-1", "", 4),
                            Gs1Scan(kCartridge, "271231", "R-2", "", 4)},
                           nullptr, room_)
                  .ok());
  const std::string a = NewClient(1), b = NewClient(2);
  auto session_using = [&](const std::string& code, const std::string& lot) {
    v1::StartSessionRequest start;
    start.set_request_id("start-" + code + lot);
    start.set_client(code);
    start.set_practitioner("Sam");
    start.set_location_id(room_);
    start.set_plan_step(v1::PLAN_STEP_FIRST);
    start.set_treatment_area("crown");
    start.mutable_answers()->set_none_apply(true);
    v1::Session s;
    grpc::ClientContext c1;
    ASSERT_TRUE(sessions_->StartSession(&c1, start, &s).ok());
    v1::ScanConsumableRequest scan;
    scan.set_request_id("scan-" + code + lot);
    scan.set_session_id(s.session_id());
    scan.set_barcode(Gs1Scan(kCartridge, "271231", lot));
    v1::ScanConsumableResponse used;
    grpc::ClientContext c2;
    ASSERT_TRUE(sessions_->ScanConsumable(&c2, scan, &used).ok());
  };
  session_using("C1", "R-1");
  session_using("C2", "R-2");

  v1::OpenRecallCaseRequest drill;
  drill.set_request_id("drill");
  drill.mutable_notice()->set_reference("DRILL-2026-11");
  drill.mutable_notice()->set_text("Annual mock recall");
  v1::LotRef* lot = drill.add_lots();
  lot->set_gtin(kCartridge);
  lot->set_lot("R-1");
  drill.set_drill(true);
  v1::RecallCase c;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->OpenRecallCase(&ctx, drill, &c).ok());
  }
  EXPECT_TRUE(c.drill());
  EXPECT_THAT(c.holds(), SizeIs(0));
  ASSERT_THAT(c.exposed(), SizeIs(1));
  EXPECT_EQ(c.exposed(0).client_id(), a);
  EXPECT_EQ(c.units_in_scope(), 4);
  EXPECT_EQ(c.units_in_stock(), 3);
  EXPECT_GT(c.lookback_ms(), 0);
  EXPECT_EQ(LineOf(kCartridge, "R-1", room_).usable(), 3);  // nothing held

  // The real notice covers every lot of the product.
  v1::OpenRecallCaseRequest open;
  open.set_request_id("open");
  open.mutable_notice()->set_reference("FSN-2026-031");
  open.mutable_notice()->set_text("Sterility cannot be assured");
  open.set_product_gtin(kCartridge);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->OpenRecallCase(&ctx, open, &c).ok());
  }
  EXPECT_EQ(c.case_id(), "RC-000002");
  EXPECT_THAT(c.holds(), SizeIs(2));
  ASSERT_THAT(c.exposed(), SizeIs(2));
  EXPECT_EQ(LineOf(kCartridge, "R-1", room_).recalled(), 3);
  EXPECT_EQ(LineOf(kCartridge, "R-2", room_).recalled(), 3);

  v1::CloseRecallCaseRequest close;
  close.set_request_id("close-1");
  close.set_case_id(c.case_id());
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(
        audit_->CloseRecallCase(&ctx, close, &c),
        testing::IsRefusal("clients_not_notified",
                           HasSubstr("2 exposed client(s) not notified")));
  }
  {
    v1::CloseRecallCaseRequest blank = close;
    blank.set_request_id("close-blank");
    blank.set_reason("   ");  // blank is no reason
    grpc::ClientContext ctx;
    EXPECT_THAT(audit_->CloseRecallCase(&ctx, blank, &c),
                testing::IsRefusal("clients_not_notified", ::testing::_));
  }
  v1::RecordNotificationRequest notify;
  notify.set_case_id(c.case_id());
  notify.set_channel("phone");
  for (const std::string& client : {a, b}) {
    notify.set_request_id("notify-" + client);
    notify.set_client_id(client);
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->RecordNotification(&ctx, notify, &c).ok());
  }
  EXPECT_TRUE(c.exposed(0).notified());
  EXPECT_EQ(c.exposed(1).channel(), "phone");
  notify.set_request_id("notify-stranger");
  notify.set_client_id("CLI-000099");
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(audit_->RecordNotification(&ctx, notify, &c),
                GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                             HasSubstr("is not among the clients exposed")));
  }
  close.set_request_id("close-2");
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->CloseRecallCase(&ctx, close, &c).ok());
  }
  EXPECT_EQ(c.status(), v1::RECALL_CASE_STATUS_CLOSED);
  // The exposure report names the notice, the held lots and the clients.
  v1::GetRecallCaseRequest get;
  get.set_case_id(c.case_id());
  get.set_exposure_report_pdf(true);
  v1::RecallCase with_report;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->GetRecallCase(&ctx, get, &with_report).ok());
  }
  const std::string& pdf = with_report.exposure_report_pdf();
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf.find("FSN-2026-031"), std::string::npos);
  EXPECT_NE(pdf.find("R-1, R-2"), std::string::npos);
  EXPECT_NE(pdf.find("(" + a + ")"), std::string::npos);
  EXPECT_NE(pdf.find("(" + b + ")"), std::string::npos);
  close.set_request_id("close-3");
  grpc::ClientContext ctx;
  EXPECT_THAT(audit_->CloseRecallCase(&ctx, close, &c),
              testing::IsRefusal("recall_case_closed", HasSubstr("is closed")));
  ExpectRebuildMatches();
}

}  // namespace
}  // namespace smptrace::api
