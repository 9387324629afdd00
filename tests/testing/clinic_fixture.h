// A test fixture with a real in-process smptrace server over a real RocksDB
// in a temp dir, a fake clock (2026-11-23 09:00 UTC), stubs for every
// service, and a small clinic: a clinic with a stock room and a treatment
// room, and four products (a sterile cartridge, a pigment, gloves, and a
// cartridge known by its HIBC id).
#ifndef SMPTRACE_TESTS_TESTING_CLINIC_FIXTURE_H_
#define SMPTRACE_TESTS_TESTING_CLINIC_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/api/server.h"
#include "service/domain/gs1.h"
#include "smptrace/v1/admin.grpc.pb.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "smptrace/v1/inventory.grpc.pb.h"
#include "smptrace/v1/session.grpc.pb.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/gtin.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::testing {

// A GS1 DataMatrix scan as a scanner types it: symbology id, fixed-length AIs
// first, GS after each variable-length field that is not last. With a count,
// a box label: AI (00) + (02) + (37).
inline std::string Gs1Scan(const std::string& gtin, const std::string& yymmdd,
                           const std::string& lot,
                           const std::string& serial = "", int count = 0) {
  // A box label: (02) content and (37) count belong on a logistic unit
  // label, with its SSCC (00) (GS1 pairing rules).
  std::string s = "]d2";
  if (count > 0) s += "00106141411234567897";
  s += (count > 0 ? "02" : "01") + gtin;
  if (!yymmdd.empty()) s += "17" + yymmdd;
  s += "10" + lot;
  if (!serial.empty())
    s += "\x1d"
         "21" +
         serial;
  if (count > 0)
    s += "\x1d"
         "37" +
         std::to_string(count);
  return s;
}

inline v1::Date Day(int y, int m, int d) {
  v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

class ClinicServerTest : public ::testing::Test {
 protected:
  const std::string kCartridge = TestGtin(1);
  const std::string kPigment = TestGtin(2);
  const std::string kGloves = TestGtin(3);
  const std::string kHibcProduct = TestGtin(4);

  void SetUp() override {
    StartServer();
    if (HasFatalFailure()) return;

    AddProduct(kCartridge, "Cartridge 1RL 0.25",
               v1::PRODUCT_KIND_NEEDLE_CARTRIDGE);
    AddProduct(kPigment, "SMP Black", v1::PRODUCT_KIND_PIGMENT);
    AddProduct(kGloves, "Nitrile gloves M", v1::PRODUCT_KIND_CONSUMABLE);
    AddProduct(kHibcProduct, "HIBC cartridge",
               v1::PRODUCT_KIND_NEEDLE_CARTRIDGE, "A123BJC5D6E7");
    clinic_ = AddLocation("Clinic", v1::LOCATION_KIND_CLINIC, "");
    store_ = AddLocation("Stock room", v1::LOCATION_KIND_STORE, clinic_);
    room_ = AddLocation("Room 1", v1::LOCATION_KIND_ROOM, clinic_);
  }

  // Every test proves the projections: the state and indexes it leaves
  // equal a replay of its journal (ExpectRebuildMatches). Not after a
  // failure (the test has said what is wrong), nor with the server stopped.
  // A subclass that overrides TearDown calls this one.
  void TearDown() override {
    if (server_ == nullptr || HasFailure()) return;
    ExpectRebuildMatches();
  }

  // Starts the in-process server on dir_'s store and points the stubs at
  // it.
  void StartServer() {
    api::ServerOptions options;
    options.listen = "";
    options.data_dir = dir_.Sub("data");
    options.insecure_dev = true;
    options.clinic = clinic_options_;
    options.ledger = ledger_options_;
    auto server = api::Server::Start(options, &clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto channel = server_->InProcessChannel();
    catalog_ = v1::CatalogService::NewStub(channel);
    inventory_ = v1::InventoryService::NewStub(channel);
    sessions_ = v1::SessionService::NewStub(channel);
    disposal_ = v1::DisposalService::NewStub(channel);
    audit_ = v1::AuditService::NewStub(channel);
    admin_ = v1::AdminService::NewStub(channel);
  }

  // Stops the server (everything acknowledged is on disk) and starts it
  // again on the same store, as a restart of smptraced would.
  void RestartServer() {
    server_.reset();
    StartServer();
  }

  void AddProduct(const std::string& gtin, const std::string& name,
                  v1::ProductKind kind, const std::string& hibc_id = "",
                  const std::string& manufacturer = "Maker") {
    v1::CreateProductRequest r;
    r.set_request_id("product-" + gtin);
    v1::Product* p = r.mutable_product();
    p->set_gtin(gtin);
    p->set_name(name);
    p->set_kind(kind);
    p->set_manufacturer(manufacturer);
    p->set_units_per_pack(20);
    p->set_hibc_id(hibc_id);
    if (kind == v1::PRODUCT_KIND_NEEDLE_CARTRIDGE) {
      p->set_single_use(true);
      p->set_sterile(true);
      p->set_cartridge_configuration("1RL 0.25mm");
      p->set_sterilization_method(v1::STERILIZATION_METHOD_ETHYLENE_OXIDE);
    }
    if (kind == v1::PRODUCT_KIND_PIGMENT) p->set_pao_days(180);
    v1::Product out;
    grpc::ClientContext ctx;
    grpc::Status s = catalog_->CreateProduct(&ctx, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  std::string AddLocation(const std::string& name, v1::LocationKind kind,
                          const std::string& parent) {
    v1::CreateLocationRequest r;
    r.set_request_id("location-" + name);
    r.mutable_location()->set_name(name);
    r.mutable_location()->set_kind(kind);
    r.mutable_location()->set_parent_id(parent);
    v1::Location out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(catalog_->CreateLocation(&ctx, r, &out).ok());
    return out.location_id();
  }

  std::string NextId() { return "req-" + std::to_string(next_++); }

  grpc::Status Receive(const std::vector<v1::ReceiveLine>& lines,
                       v1::ReceiveResponse* out = nullptr,
                       const std::string& location = "",
                       const std::string& request_id = "") {
    v1::ReceiveRequest r;
    r.set_request_id(request_id.empty() ? NextId() : request_id);
    r.set_location_id(location.empty() ? store_ : location);
    for (const auto& line : lines) *r.add_lines() = line;
    v1::ReceiveResponse response;
    grpc::ClientContext ctx;
    grpc::Status status = inventory_->Receive(&ctx, r, &response);
    if (out != nullptr) *out = response;
    return status;
  }

  grpc::Status ReceiveScans(const std::vector<std::string>& scans,
                            v1::ReceiveResponse* out = nullptr,
                            const std::string& location = "") {
    std::vector<v1::ReceiveLine> lines;
    for (const auto& s : scans) {
      v1::ReceiveLine line;
      line.set_barcode(s);
      lines.push_back(line);
    }
    return Receive(lines, out, location);
  }

  grpc::Status SetLotStatus(const std::string& gtin, const std::string& lot,
                            v1::LotStatus status, v1::Lot* out = nullptr) {
    v1::SetLotStatusRequest r;
    r.set_request_id(NextId());
    r.set_gtin(gtin);
    r.set_lot(lot);
    r.set_status(status);
    if (status == v1::LOT_STATUS_RECALLED) {
      r.mutable_recall()->set_reference("FSN-2026-014");
      r.mutable_recall()->set_text("Possible microbial contamination");
    } else {
      r.set_reason("supplier query");
    }
    v1::Lot lot_out;
    grpc::ClientContext ctx;
    grpc::Status s = inventory_->SetLotStatus(&ctx, r, &lot_out);
    if (out != nullptr) *out = lot_out;
    return s;
  }

  // Every stock line matching the filters, through paging.
  std::vector<v1::StockLine> Stock(const std::string& gtin = "",
                                   const std::string& location = "",
                                   bool include_empty = false) {
    std::vector<v1::StockLine> lines;
    v1::GetStockRequest r;
    r.set_gtin(gtin);
    r.set_location_id(location);
    r.set_include_empty(include_empty);
    r.mutable_page()->set_page_size(2);  // exercises paging
    do {
      v1::GetStockResponse response;
      grpc::ClientContext ctx;
      grpc::Status s = inventory_->GetStock(&ctx, r, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const auto& line : response.lines()) lines.push_back(line);
      r.mutable_page()->set_page_token(response.next_page_token());
    } while (!r.page().page_token().empty());
    return lines;
  }

  // The one line of a lot at a location (fails the test if absent).
  v1::StockLine LineOf(const std::string& gtin, const std::string& lot,
                       const std::string& location) {
    for (const auto& line : Stock(gtin, "", /*include_empty=*/true)) {
      if (line.lot() == lot && line.location_id() == location) return line;
    }
    ADD_FAILURE() << "no stock line for " << gtin << " " << lot << " at "
                  << location;
    return {};
  }

  // Registers a client with code `code` (reachable by email); returns its
  // id.
  std::string RegisterClient(const std::string& code) {
    v1::CreateClientRequest r;
    r.set_request_id(NextId());
    r.set_code(code);
    r.mutable_contact()->set_name("Client " + code);
    r.mutable_contact()->set_email(code + "@example.org");
    v1::Client out;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->CreateClient(&ctx, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.client_id();
  }

  // Starts a first session of client `code` by Sam in room_ (crown).
  // `ctx`, if given, is the call's context (to read the answer's headers).
  v1::Session StartSessionFor(const std::string& code,
                              grpc::ClientContext* ctx = nullptr) {
    v1::StartSessionRequest r;
    r.set_request_id(NextId());
    r.set_client(code);
    r.set_practitioner("Sam");
    r.set_location_id(room_);
    r.set_plan_step(v1::PLAN_STEP_FIRST);
    r.set_treatment_area("crown");
    r.mutable_answers()->set_none_apply(true);
    v1::Session out;
    grpc::ClientContext own;
    grpc::Status s =
        sessions_->StartSession(ctx != nullptr ? ctx : &own, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  uint64_t JournalLength() {
    v1::VerifyJournalResponse v;
    grpc::ClientContext ctx;
    EXPECT_TRUE(audit_->VerifyJournal(&ctx, {}, &v).ok());
    EXPECT_TRUE(v.ok()) << v.detail();
    return v.entries();
  }

  // State and indexes equal a replay of the journal.
  void ExpectRebuildMatches() {
    v1::RebuildCheckResponse report;
    grpc::ClientContext ctx;
    ASSERT_TRUE(admin_->RebuildCheck(&ctx, {}, &report).ok());
    EXPECT_TRUE(report.ok()) << ::testing::PrintToString(report.differences());
  }

  TempDir dir_;
  FakeClock clock_;
  // The clinic's zone and name the server starts with (set before SetUp).
  api::ClinicOptions clinic_options_;
  // The clinic's policies the ledger starts with (set before SetUp).
  ledger::LedgerOptions ledger_options_;
  std::unique_ptr<api::Server> server_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  std::unique_ptr<v1::InventoryService::Stub> inventory_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::DisposalService::Stub> disposal_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::string clinic_, store_, room_;
  int next_ = 0;
};

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_CLINIC_FIXTURE_H_
