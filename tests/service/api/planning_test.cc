// Stock planning through the real services: a simulated 12 weeks of clinic
// activity with known usage, lead time and shelf life. Every Monday the
// manager orders what SuggestReorder says (a purchase order made from the
// suggestion), the supplier delivers after the lead time, and every day's
// procedures open cartridges first-expiry-first-out. The bars: no stock-out,
// nothing expires unused beyond a stated tolerance, whole packs only.
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "client/chart.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/domain/gs1.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::Gs1Scan;
using ::smptrace::testing::IsRefusal;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr int kLeadDays = 10;
constexpr int kShelfLifeDays = 60;
constexpr int kPack = 20;

class PlanningTest : public testing::ClinicServerTest {
 protected:
  void SetUp() override {
    ClinicServerTest::SetUp();
    v1::CreateSupplierRequest s;
    s.set_request_id("supplier");
    s.mutable_supplier()->set_name("Acme Needles Ltd");
    v1::Supplier supplier;
    grpc::ClientContext ctx;
    ASSERT_TRUE(catalog_->CreateSupplier(&ctx, s, &supplier).ok());
    supplier_ = supplier.supplier_id();
    v1::CreateClientRequest c;
    c.set_request_id("client");
    c.set_code("C1");
    c.mutable_contact()->set_name("A Client");
    c.mutable_contact()->set_email("a@example.org");
    v1::Client client;
    grpc::ClientContext ctx2;
    ASSERT_TRUE(sessions_->CreateClient(&ctx2, c, &client).ok());
    v1::OpenContainerRequest o;
    o.set_request_id("container");
    o.set_location_id(room_);
    v1::Container container;
    grpc::ClientContext ctx3;
    ASSERT_TRUE(disposal_->OpenContainer(&ctx3, o, &container).ok());
    container_ = container.container_id();
  }

  void SetPolicy() {
    v1::SetReorderPolicyRequest r;
    r.set_request_id(NextId());
    v1::ReorderPolicy* p = r.mutable_policy();
    p->set_gtin(kCartridge);
    p->set_supplier_id(supplier_);
    p->set_lead_time_days(kLeadDays);
    p->set_review_period_days(7);
    p->set_safety_stock_days(7);
    p->set_pack_size(kPack);
    p->set_usage_window_days(28);
    v1::ReorderPolicy out;
    grpc::ClientContext ctx;
    grpc::Status s = inventory_->SetReorderPolicy(&ctx, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static std::string Yymmdd(absl::CivilDay d) {
    return domain::FormatGs1Date(d);
  }

  // Receives `units` of a new lot expiring kShelfLifeDays from `day`.
  void Deliver(absl::CivilDay day, int64_t units, const std::string& po) {
    v1::ReceiveLine line;
    line.set_barcode(
        Gs1Scan(kCartridge, Yymmdd(day + kShelfLifeDays), "L" + Yymmdd(day)));
    line.set_quantity(static_cast<int32_t>(units));
    v1::ReceiveRequest r;
    r.set_request_id(NextId());
    r.set_location_id(room_);
    r.set_po_reference(po);
    *r.add_lines() = line;
    v1::ReceiveResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = inventory_->Receive(&ctx, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The usable lot that expires first, "" if none.
  std::string FefoLot() {
    std::string best;
    v1::Date best_expiry;
    for (const auto& line : Stock(kCartridge, room_)) {
      if (line.usable() == 0) continue;
      if (best.empty() || ledger_key(line.expiry()) < ledger_key(best_expiry)) {
        best = line.lot();
        best_expiry = line.expiry();
      }
    }
    return best;
  }
  static int ledger_key(const v1::Date& d) {
    return d.year() * 10000 + d.month() * 100 + d.day();
  }

  // One procedure using `n` cartridges; false on a stock-out.
  bool Procedure(int n) {
    v1::StartSessionRequest start;
    start.set_request_id(NextId());
    start.set_client("C1");
    start.set_practitioner("Sam");
    start.set_location_id(room_);
    start.set_plan_step(v1::PLAN_STEP_FIRST);
    start.set_treatment_area("crown");
    start.mutable_answers()->set_none_apply(true);
    v1::Session session;
    {
      grpc::ClientContext ctx;
      EXPECT_TRUE(sessions_->StartSession(&ctx, start, &session).ok());
    }
    bool ok = true;
    for (int i = 0; i < n; ++i) {
      const std::string lot = FefoLot();
      if (lot.empty()) {
        ok = false;
        break;
      }
      v1::ScanConsumableRequest scan;
      scan.set_request_id(NextId());
      scan.set_session_id(session.session_id());
      scan.set_barcode(Gs1Scan(kCartridge, "", lot));
      v1::ScanConsumableResponse used;
      grpc::ClientContext ctx;
      grpc::Status s = sessions_->ScanConsumable(&ctx, scan, &used);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) return false;
      v1::DisposeRequest dispose;
      dispose.set_request_id(NextId());
      dispose.set_container_id(container_);
      dispose.set_barcode("(01)" + kCartridge + "(21)" + used.use().serial());
      v1::DisposeResponse disposed;
      grpc::ClientContext ctx2;
      EXPECT_TRUE(disposal_->Dispose(&ctx2, dispose, &disposed).ok());
    }
    v1::CloseSessionRequest close;
    close.set_request_id(NextId());
    close.set_session_id(session.session_id());
    close.set_undisposed_reason(ok ? "" : "stock-out");
    v1::Session closed;
    grpc::ClientContext ctx;
    EXPECT_TRUE(sessions_->CloseSession(&ctx, close, &closed).ok());
    return ok;
  }

  // Discards what expired; returns how many units.
  int64_t DiscardExpired() {
    int64_t n = 0;
    for (const auto& line : Stock(kCartridge, room_)) {
      if (line.expired() == 0) continue;
      v1::DiscardRequest r;
      r.set_request_id(NextId());
      r.set_gtin(kCartridge);
      r.set_lot(line.lot());
      r.set_location_id(room_);
      r.set_quantity(static_cast<int32_t>(line.expired()));
      r.set_reason(v1::DISCARD_REASON_EXPIRED);
      v1::DiscardResponse out;
      grpc::ClientContext ctx;
      EXPECT_TRUE(inventory_->Discard(&ctx, r, &out).ok());
      n += line.expired();
    }
    return n;
  }

  std::string supplier_, container_;
};

TEST_F(PlanningTest, TwelveWeeksOfOrderingAsSuggestedNeverRunsOutOrWastesMuch) {
  SetPolicy();
  // Known usage: 3 cartridges on Mon/Wed/Fri, 2 on Tue/Thu, none at the
  // weekend: 13 a week. Start on a Monday with four weeks of history at the
  // same rate so the rate is known from day one. (After the fixture's
  // clock: journal time never goes backwards.)
  const absl::CivilDay start(2026, 12, 28);
  ASSERT_EQ(absl::GetWeekday(start), absl::Weekday::monday);
  auto usage_on = [](absl::CivilDay d) {
    switch (absl::GetWeekday(d)) {
      case absl::Weekday::monday:
      case absl::Weekday::wednesday:
      case absl::Weekday::friday:
        return 3;
      case absl::Weekday::tuesday:
      case absl::Weekday::thursday:
        return 2;
      default:
        return 0;
    }
  };
  auto at = [](absl::CivilDay d, int hour) {
    return absl::FromCivil(
        absl::CivilSecond(d.year(), d.month(), d.day(), hour, 0, 0),
        absl::UTCTimeZone());
  };

  const absl::CivilDay history = start - 28;
  clock_.Set(at(history, 8));
  Deliver(history, 100, "opening stock");
  int64_t received = 100, used = 0, wasted = 0;
  for (absl::CivilDay d = history; d < start; ++d) {
    clock_.Set(at(d, 10));
    if (usage_on(d) > 0) {
      ASSERT_TRUE(Procedure(usage_on(d)));
    }
    used += usage_on(d);
  }

  std::map<absl::CivilDay, std::pair<std::string, int64_t>> deliveries;
  std::vector<int64_t> ordered;
  int stock_outs = 0;
  for (absl::CivilDay d = start; d < start + 84; ++d) {
    clock_.Set(at(d, 8));
    if (auto it = deliveries.find(d); it != deliveries.end()) {
      Deliver(d, it->second.second, it->second.first);
      received += it->second.second;
    }
    wasted += DiscardExpired();
    if (absl::GetWeekday(d) == absl::Weekday::monday) {
      v1::SuggestReorderRequest ask;
      ask.set_include_all(true);
      v1::SuggestReorderResponse suggestion;
      grpc::ClientContext ctx;
      ASSERT_TRUE(inventory_->SuggestReorder(&ctx, ask, &suggestion).ok());
      ASSERT_THAT(suggestion.lines(), SizeIs(1));
      const v1::ReorderLine& line = suggestion.lines(0);
      EXPECT_THAT(line.explanation(), HasSubstr("uses 13/week")) << d;
      if (line.packs() > 0) {
        v1::CreatePurchaseOrderRequest create;
        create.set_request_id(NextId());
        create.set_supplier_id(supplier_);
        create.set_location_id(room_);
        create.set_from_suggestion(true);
        v1::PurchaseOrder po;
        grpc::ClientContext c1;
        ASSERT_TRUE(inventory_->CreatePurchaseOrder(&c1, create, &po).ok());
        ASSERT_THAT(po.lines(), SizeIs(1));
        EXPECT_EQ(po.lines(0).quantity() % kPack, 0);
        v1::SubmitPurchaseOrderRequest submit;
        submit.set_request_id(NextId());
        submit.set_po_id(po.po_id());
        grpc::ClientContext c2;
        ASSERT_TRUE(inventory_->SubmitPurchaseOrder(&c2, submit, &po).ok());
        EXPECT_EQ(ledger_key(po.expected_on()),
                  ledger_key(testing::Day(
                      static_cast<int>((d + kLeadDays).year()),
                      (d + kLeadDays).month(), (d + kLeadDays).day())));
        deliveries[d + kLeadDays] = {po.po_id(), po.lines(0).quantity()};
        ordered.push_back(po.lines(0).quantity());
      }
    }
    clock_.Set(at(d, 10));
    if (usage_on(d) > 0) {
      if (!Procedure(usage_on(d))) ++stock_outs;
      used += usage_on(d);
    }
  }

  EXPECT_EQ(stock_outs, 0);
  EXPECT_FALSE(ordered.empty());
  for (int64_t q : ordered) EXPECT_EQ(q % kPack, 0) << q;
  // Tolerance: at most 5% of what was received expires unused.
  EXPECT_LE(wasted * 20, received) << wasted << " of " << received << " wasted";
  // Stock at the end stays near the target instead of piling up: never more
  // than target + one pack (13/week x 24 days ≈ 45, + 20).
  int64_t in_stock = 0;
  for (const auto& line : Stock(kCartridge, room_)) in_stock += line.in_stock();
  EXPECT_LE(in_stock, 45 + kPack);
  EXPECT_EQ(received - used - wasted, in_stock);

  // Weekly usage as the manager's report shows it.
  v1::GetUsageRequest usage;
  usage.set_gtin(kCartridge);
  usage.set_weeks(12);
  v1::GetUsageResponse weekly;
  grpc::ClientContext ctx;
  ASSERT_TRUE(inventory_->GetUsage(&ctx, usage, &weekly).ok());
  ASSERT_THAT(weekly.products(), SizeIs(1));
  ASSERT_THAT(weekly.products(0).weeks(), SizeIs(12));
  for (int w = 0; w < 11; ++w) {
    EXPECT_EQ(weekly.products(0).weeks(w).used(), 13) << "week " << w;
  }
  EXPECT_EQ(weekly.products(0).weeks(11).in_stock_at_end(), in_stock);
  // The chart of these 12 weeks in docs/manager.md comes from here:
  //   SMPTRACE_CHART_OUT=docs/img/usage-chart.svg build/tests/planning_test
  if (const char* out = std::getenv("SMPTRACE_CHART_OUT")) {
    std::ofstream(out) << client::UsageChartSvg(weekly.products(0));
  }
  ExpectRebuildMatches();
}

// A scan voided with its package not opened is not usage (the unit went
// back to stock); one voided as opened is: the unit was used up all the same.
TEST_F(PlanningTest, AScanVoidedUnopenedIsNotUsageButOneVoidedOpenedIs) {
  SetPolicy();
  ASSERT_TRUE(
      ReceiveScans({Gs1Scan(kCartridge, "271231", "V", "", 10)}, nullptr, room_)
          .ok());
  ASSERT_TRUE(Procedure(3));
  // Void one of a new session's scans.
  v1::StartSessionRequest start;
  start.set_request_id(NextId());
  start.set_client("C1");
  start.set_practitioner("Sam");
  start.set_location_id(room_);
  start.set_plan_step(v1::PLAN_STEP_SECOND);
  start.set_treatment_area("crown");
  start.mutable_answers()->set_none_apply(true);
  v1::Session s;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->StartSession(&ctx, start, &s).ok());
  }
  v1::ScanConsumableRequest scan;
  scan.set_request_id(NextId());
  scan.set_session_id(s.session_id());
  scan.set_barcode(Gs1Scan(kCartridge, "", "V"));
  v1::ScanConsumableResponse used;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ScanConsumable(&ctx, scan, &used).ok());
  }
  v1::VoidScanRequest v;
  v.set_request_id(NextId());
  v.set_session_id(s.session_id());
  v.set_scan_seq(used.use().seq());
  v.set_reason("wrong client");
  v.set_package(v1::VOIDED_PACKAGE_NOT_OPENED);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->VoidScan(&ctx, v, &s).ok());
  }
  auto used_this_week = [&] {
    v1::GetUsageRequest r;
    r.set_gtin(kCartridge);
    r.set_weeks(1);
    v1::GetUsageResponse weekly;
    grpc::ClientContext ctx;
    EXPECT_TRUE(inventory_->GetUsage(&ctx, r, &weekly).ok());
    return weekly.products(0).weeks(0).used();
  };
  EXPECT_EQ(used_this_week(), 3);
  scan.set_request_id(NextId());
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ScanConsumable(&ctx, scan, &used).ok());
  }
  v.set_request_id(NextId());
  v.set_scan_seq(used.use().seq());
  v.set_package(v1::VOIDED_PACKAGE_OPENED);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->VoidScan(&ctx, v, &s).ok());
  }
  EXPECT_EQ(used_this_week(), 4);
  ExpectRebuildMatches();
}

TEST_F(PlanningTest,
       PurchaseOrdersFollowTheirLifecycleAndDeliveriesAreChecked) {
  SetPolicy();
  v1::CreatePurchaseOrderRequest create;
  create.set_request_id(NextId());
  create.set_supplier_id(supplier_);
  create.set_location_id(room_);
  v1::PurchaseOrderLine* line = create.add_lines();
  line->set_gtin(kCartridge);
  line->set_packs(2);
  v1::PurchaseOrder po;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->CreatePurchaseOrder(&ctx, create, &po).ok());
  }
  EXPECT_EQ(po.status(), v1::PURCHASE_ORDER_STATUS_DRAFT);
  EXPECT_EQ(po.lines(0).pack_size(), kPack);  // from the policy
  EXPECT_EQ(po.lines(0).quantity(), 40);

  // Receiving against a draft is refused.
  v1::ReceiveRequest receive;
  receive.set_request_id(NextId());
  receive.set_location_id(room_);
  receive.set_po_reference(po.po_id());
  v1::ReceiveLine* rl = receive.add_lines();
  rl->set_barcode(Gs1Scan(kCartridge, "271231", "P-1"));
  rl->set_quantity(25);
  v1::ReceiveResponse received;
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->Receive(&ctx, receive, &received),
                IsRefusal("po_not_open", HasSubstr("is a draft: submit it")));
  }
  // Edit while draft; then submit; editing is refused after.
  v1::EditPurchaseOrderRequest edit;
  edit.set_request_id(NextId());
  edit.set_po_id(po.po_id());
  *edit.add_lines() = po.lines(0);
  edit.mutable_lines(0)->set_packs(3);
  edit.mutable_lines(0)->set_pack_size(0);
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->EditPurchaseOrder(&ctx, edit, &po).ok());
  }
  EXPECT_EQ(po.lines(0).quantity(), 60);
  v1::SubmitPurchaseOrderRequest submit;
  submit.set_request_id(NextId());
  submit.set_po_id(po.po_id());
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->SubmitPurchaseOrder(&ctx, submit, &po).ok());
  }
  edit.set_request_id(NextId());
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->EditPurchaseOrder(&ctx, edit, &po),
                IsRefusal("po_not_draft", HasSubstr("is submitted")));
  }
  // A partial delivery, then an over-delivery that needs a note.
  receive.set_request_id(NextId());
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->Receive(&ctx, receive, &received).ok());
  }
  v1::GetPurchaseOrderRequest get;
  get.set_po_id(po.po_id());
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->GetPurchaseOrder(&ctx, get, &po).ok());
  }
  EXPECT_EQ(po.status(), v1::PURCHASE_ORDER_STATUS_PARTLY_RECEIVED);
  EXPECT_EQ(po.lines(0).received(), 25);
  receive.set_request_id(NextId());
  receive.mutable_lines(0)->set_quantity(40);
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(
        inventory_->Receive(&ctx, receive, &received),
        IsRefusal("po_discrepancy",
                  HasSubstr("has 35 of " + kCartridge +
                            " outstanding and this delivery brings 40")));
  }
  receive.set_request_id(NextId());
  receive.set_po_note(" \u00a0");  // blank is no note
  {
    grpc::ClientContext ctx;
    EXPECT_THAT(inventory_->Receive(&ctx, receive, &received),
                IsRefusal("po_discrepancy", ::testing::_));
  }
  receive.set_request_id(NextId());
  receive.set_po_note("supplier sent a spare box; keeping it");
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->Receive(&ctx, receive, &received).ok());
  }
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->GetPurchaseOrder(&ctx, get, &po).ok());
  }
  EXPECT_EQ(po.status(), v1::PURCHASE_ORDER_STATUS_RECEIVED);
  ASSERT_THAT(po.receipts(), SizeIs(2));
  EXPECT_EQ(po.receipts(1).note(), "supplier sent a spare box; keeping it");
  EXPECT_EQ(po.receipts(1).units().at(kCartridge), 40);

  v1::CancelPurchaseOrderRequest cancel;
  cancel.set_request_id(NextId());
  cancel.set_po_id(po.po_id());
  cancel.set_reason("no longer needed");
  grpc::ClientContext ctx;
  EXPECT_THAT(inventory_->CancelPurchaseOrder(&ctx, cancel, &po),
              IsRefusal("po_closed", HasSubstr("is already received")));
  ExpectRebuildMatches();
}

TEST_F(PlanningTest, APartlyReceivedOrderCanBeClosedShort) {
  v1::CreatePurchaseOrderRequest create;
  create.set_request_id(NextId());
  create.set_supplier_id(supplier_);
  create.set_location_id(room_);
  create.add_lines()->set_gtin(kGloves);
  create.mutable_lines(0)->set_packs(2);
  create.mutable_lines(0)->set_pack_size(100);
  v1::PurchaseOrder po;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->CreatePurchaseOrder(&ctx, create, &po).ok());
  }
  v1::SubmitPurchaseOrderRequest submit;
  submit.set_request_id(NextId());
  submit.set_po_id(po.po_id());
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->SubmitPurchaseOrder(&ctx, submit, &po).ok());
  }
  v1::ReceiveRequest receive;
  receive.set_request_id(NextId());
  receive.set_location_id(room_);
  receive.set_po_reference(po.po_id());
  v1::ReceiveLine* line = receive.add_lines();
  line->set_gtin(kGloves);
  line->set_lot("G-1");
  line->set_quantity(100);
  v1::ReceiveResponse received;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->Receive(&ctx, receive, &received).ok());
  }
  v1::CancelPurchaseOrderRequest cancel;
  cancel.set_request_id(NextId());
  cancel.set_po_id(po.po_id());
  cancel.set_reason("backordered for months");
  grpc::ClientContext ctx;
  ASSERT_TRUE(inventory_->CancelPurchaseOrder(&ctx, cancel, &po).ok());
  EXPECT_EQ(po.status(), v1::PURCHASE_ORDER_STATUS_RECEIVED);
  EXPECT_EQ(po.end_reason(), "closed short: backordered for months");
}

}  // namespace
}  // namespace smptrace::api
