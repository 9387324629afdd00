#include "client/planning_commands.h"

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/chart.h"
#include "client/output.h"
#include "client/stock_commands.h"
#include "smptrace/v1/inventory.grpc.pb.h"

namespace smptrace::client {
namespace {

std::string PoStatus(v1::PurchaseOrderStatus s) {
  return ShortEnumName(v1::PurchaseOrderStatus_Name(s),
                       "PURCHASE_ORDER_STATUS_");
}

const std::map<std::string, v1::PurchaseOrderStatus>& PoStatuses() {
  static const auto* m = new std::map<std::string, v1::PurchaseOrderStatus>{
      {"draft", v1::PURCHASE_ORDER_STATUS_DRAFT},
      {"submitted", v1::PURCHASE_ORDER_STATUS_SUBMITTED},
      {"partly_received", v1::PURCHASE_ORDER_STATUS_PARTLY_RECEIVED},
      {"received", v1::PURCHASE_ORDER_STATUS_RECEIVED},
      {"cancelled", v1::PURCHASE_ORDER_STATUS_CANCELLED},
  };
  return *m;
}

// "GTIN:PACKS" or "GTIN:PACKSxSIZE" -> a line; false if malformed.
bool ParseLine(const std::string& text, v1::PurchaseOrderLine* line) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return false;
  line->set_gtin(text.substr(0, colon));
  std::string rest = text.substr(colon + 1);
  int packs = 0, size = 0;
  const size_t x = rest.find('x');
  if (x != std::string::npos) {
    if (!absl::SimpleAtoi(rest.substr(x + 1), &size)) return false;
    rest = rest.substr(0, x);
  }
  if (!absl::SimpleAtoi(rest, &packs)) return false;
  line->set_packs(packs);
  line->set_pack_size(size);
  return true;
}

void PrintOrder(const v1::PurchaseOrder& po) {
  std::cout << po.po_id() << " · " << PoStatus(po.status()) << " · supplier "
            << po.supplier_id() << " · deliver to "
            << (po.location_id().empty() ? "-" : po.location_id());
  if (po.has_expected_on())
    std::cout << " · expected " << FormatDay(po.expected_on());
  std::cout << "\n";
  if (!po.note().empty()) std::cout << "note: " << po.note() << "\n";
  if (!po.end_reason().empty())
    std::cout << "ended: " << po.end_reason() << "\n";
  Table lines({"GTIN", "PRODUCT", "PACKS", "PACK", "UNITS", "RECEIVED"});
  for (const auto& l : po.lines()) {
    lines.AddRow({l.gtin(), l.product_name(), absl::StrCat(l.packs()),
                  absl::StrCat(l.pack_size()), absl::StrCat(l.quantity()),
                  absl::StrCat(l.received())});
  }
  lines.Print(std::cout);
  for (const auto& r : po.receipts()) {
    std::cout << "received " << FormatTime(r.at()) << " (seq " << r.seq()
              << ")";
    for (const auto& [gtin, n] : r.units())
      std::cout << " · " << gtin << " × " << n;
    if (!r.note().empty()) std::cout << " · note: " << r.note();
    std::cout << "\n";
  }
}

template <typename Response>
bool Fail(const grpc::Status& s, int* exit_code) {
  if (s.ok()) return false;
  *exit_code = ReportError(s);
  return true;
}

void PrintSuggestions(const v1::SuggestReorderResponse& out) {
  Table table({"GTIN", "PRODUCT", "WHERE", "SUPPLIER", "ORDER", "WHY"});
  for (const auto& l : out.lines()) {
    table.AddRow(
        {l.gtin(), l.product_name(),
         l.location_id().empty() ? "clinic" : l.location_id(),
         l.supplier_id().empty() ? "-" : l.supplier_id(),
         l.packs() > 0 ? absl::StrCat(l.packs(), " × ", l.pack_size()) : "-",
         l.explanation()});
  }
  table.Print(std::cout);
}

void AddReorder(CLI::App& app, const std::function<Connection()>& connect,
                int* exit_code) {
  auto* reorder =
      app.add_subcommand("reorder", "reorder policies and suggestions");
  reorder->require_subcommand(1);
  auto* policy =
      reorder->add_subcommand("policy", "how a product is reordered");
  policy->require_subcommand(1);

  auto* set = policy->add_subcommand("set", "set a product's reorder policy");
  auto p = std::make_shared<v1::ReorderPolicy>();
  auto ints = std::make_shared<std::map<std::string, int>>();
  set->add_option("--gtin", *p->mutable_gtin(), "GTIN")->required();
  set->add_option("--location", *p->mutable_location_id(),
                  "for this location only (default: the whole clinic)");
  set->add_option("--supplier", *p->mutable_supplier_id(), "SUP-...");
  for (const auto& [flag, help] :
       std::vector<std::pair<std::string, std::string>>{
           {"lead", "lead time, days from order to delivery"},
           {"review", "days between orders (default 7)"},
           {"safety", "safety stock, in days of use"},
           {"pack", "units per orderable pack (default: the product's)"},
           {"min-packs", "the supplier's minimum order, in packs"},
           {"fixed-min", "fixed policy: order when usable + on order <= this"},
           {"fixed-max", "fixed policy: order up to this"},
           {"window", "usage averaged over this many days (default 56)"},
           {"shelf-life",
            "a new lot's shelf life in days (default: learned)"}}) {
    (*ints)[flag] = 0;
    set->add_option("--" + flag, (*ints)[flag], help);
  }
  set->callback([=] {
    p->set_lead_time_days((*ints)["lead"]);
    p->set_review_period_days((*ints)["review"]);
    p->set_safety_stock_days((*ints)["safety"]);
    p->set_pack_size((*ints)["pack"]);
    p->set_minimum_order_packs((*ints)["min-packs"]);
    p->set_fixed_min((*ints)["fixed-min"]);
    p->set_fixed_max((*ints)["fixed-max"]);
    p->set_usage_window_days((*ints)["window"]);
    p->set_shelf_life_days((*ints)["shelf-life"]);
    v1::SetReorderPolicyRequest r;
    r.set_request_id(NewRequestId());
    *r.mutable_policy() = *p;
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::ReorderPolicy out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->SetReorderPolicy(ctx, r, &out);
    });
    if (Fail<v1::ReorderPolicy>(s, exit_code)) return;
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
    } else {
      std::cout << "policy set for " << out.gtin() << " ("
                << (out.location_id().empty() ? "clinic" : out.location_id())
                << "): lead " << out.lead_time_days() << "d, review "
                << out.review_period_days() << "d, safety "
                << out.safety_stock_days() << "d\n";
    }
    *exit_code = 0;
  });

  auto* list = policy->add_subcommand("list", "every reorder policy");
  list->callback([=] {
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::ListReorderPoliciesResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ListReorderPolicies(ctx, {}, &out);
    });
    if (Fail<v1::ListReorderPoliciesResponse>(s, exit_code)) return;
    Table table({"GTIN", "WHERE", "SUPPLIER", "LEAD", "REVIEW", "SAFETY",
                 "PACK", "FIXED", "WINDOW"});
    for (const auto& q : out.policies()) {
      if (conn.options().json) {
        std::cout << ToJson(q) << "\n";
        continue;
      }
      table.AddRow(
          {q.gtin(), q.location_id().empty() ? "clinic" : q.location_id(),
           q.supplier_id(), absl::StrCat(q.lead_time_days()),
           absl::StrCat(q.review_period_days()),
           absl::StrCat(q.safety_stock_days()), absl::StrCat(q.pack_size()),
           q.fixed_max() > 0 ? absl::StrCat(q.fixed_min(), "..", q.fixed_max())
                             : "-",
           absl::StrCat(q.usage_window_days() == 0 ? 56
                                                   : q.usage_window_days())});
    }
    if (!conn.options().json) table.Print(std::cout);
    *exit_code = 0;
  });

  auto* suggest = reorder->add_subcommand(
      "suggest", "what to order now, and why (expiry-aware)");
  auto sr = std::make_shared<v1::SuggestReorderRequest>();
  suggest->add_option("--location", *sr->mutable_location_id(),
                      "that location's policies (default: clinic-wide)");
  suggest->add_option("--gtin", *sr->mutable_gtin(), "only this product");
  suggest->add_flag(
      "--all", [sr](int64_t n) { sr->set_include_all(n > 0); },
      "also products that need no order");
  suggest->callback([=] {
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::SuggestReorderResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->SuggestReorder(ctx, *sr, &out);
    });
    if (Fail<v1::SuggestReorderResponse>(s, exit_code)) return;
    if (conn.options().json) {
      for (const auto& l : out.lines()) std::cout << ToJson(l) << "\n";
    } else if (out.lines().empty()) {
      std::cout << "nothing to order\n";
    } else {
      PrintSuggestions(out);
    }
    *exit_code = 0;
  });
}

void AddPurchaseOrders(CLI::App& app,
                       const std::function<Connection()>& connect,
                       int* exit_code) {
  auto* po = app.add_subcommand("po", "purchase orders");
  po->require_subcommand(1);
  auto call = [=](auto rpc, const auto& request) {
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::PurchaseOrder out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return ((*stub).*rpc)(ctx, request, &out);
    });
    if (Fail<v1::PurchaseOrder>(s, exit_code)) return;
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
    } else {
      PrintOrder(out);
    }
    *exit_code = 0;
  };

  auto* create = po->add_subcommand("create", "a new draft order");
  auto c = std::make_shared<v1::CreatePurchaseOrderRequest>();
  auto c_lines = std::make_shared<std::vector<std::string>>();
  create->add_option("--supplier", *c->mutable_supplier_id(), "SUP-...")
      ->required();
  create->add_option("--location", *c->mutable_location_id(),
                     "deliver to LOC-...");
  create->add_option("--line", *c_lines, "GTIN:PACKS[xPACK_SIZE] (repeatable)");
  create->add_flag(
      "--from-suggestion", [c](int64_t n) { c->set_from_suggestion(n > 0); },
      "take the supplier's lines from reorder suggest");
  create->add_option("--note", *c->mutable_note(), "a note");
  create->callback([=] {
    for (const auto& text : *c_lines) {
      if (!ParseLine(text, c->add_lines())) {
        std::cerr << "error: --line: '" << text
                  << "' is not GTIN:PACKS[xSIZE]\n";
        *exit_code = 2;
        return;
      }
    }
    c->set_request_id(NewRequestId());
    call(&v1::InventoryService::Stub::CreatePurchaseOrder, *c);
  });

  auto* edit = po->add_subcommand("edit", "replace a draft's lines");
  auto e = std::make_shared<v1::EditPurchaseOrderRequest>();
  auto e_lines = std::make_shared<std::vector<std::string>>();
  edit->add_option("po", *e->mutable_po_id(), "PO-...")->required();
  edit->add_option("--line", *e_lines, "GTIN:PACKS[xPACK_SIZE] (repeatable)")
      ->required();
  edit->add_option("--note", *e->mutable_note(), "a note");
  edit->callback([=] {
    for (const auto& text : *e_lines) {
      if (!ParseLine(text, e->add_lines())) {
        std::cerr << "error: --line: '" << text
                  << "' is not GTIN:PACKS[xSIZE]\n";
        *exit_code = 2;
        return;
      }
    }
    e->set_request_id(NewRequestId());
    call(&v1::InventoryService::Stub::EditPurchaseOrder, *e);
  });

  auto* submit = po->add_subcommand("submit", "send a draft to the supplier");
  auto sb = std::make_shared<v1::SubmitPurchaseOrderRequest>();
  submit->add_option("po", *sb->mutable_po_id(), "PO-...")->required();
  submit->callback([=] {
    sb->set_request_id(NewRequestId());
    call(&v1::InventoryService::Stub::SubmitPurchaseOrder, *sb);
  });

  auto* cancel = po->add_subcommand(
      "cancel", "cancel an order, or close a partly received one short");
  auto cn = std::make_shared<v1::CancelPurchaseOrderRequest>();
  cancel->add_option("po", *cn->mutable_po_id(), "PO-...")->required();
  cancel->add_option("--reason", *cn->mutable_reason(), "why")->required();
  cancel->callback([=] {
    cn->set_request_id(NewRequestId());
    call(&v1::InventoryService::Stub::CancelPurchaseOrder, *cn);
  });

  auto* show = po->add_subcommand("show", "an order with its receipts");
  auto g = std::make_shared<v1::GetPurchaseOrderRequest>();
  show->add_option("po", *g->mutable_po_id(), "PO-...")->required();
  show->callback(
      [=] { call(&v1::InventoryService::Stub::GetPurchaseOrder, *g); });

  auto* list = po->add_subcommand("list", "orders, newest first");
  auto status = std::make_shared<std::string>();
  list->add_option("--status", *status,
                   "draft | submitted | partly_received | received | cancelled")
      ->transform(CLI::IsMember(PoStatuses(), CLI::ignore_case));
  list->callback([=] {
    v1::ListPurchaseOrdersRequest r;
    if (!status->empty())
      r.set_status(PoStatuses().at(absl::AsciiStrToLower(*status)));
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::ListPurchaseOrdersResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ListPurchaseOrders(ctx, r, &out);
    });
    if (Fail<v1::ListPurchaseOrdersResponse>(s, exit_code)) return;
    Table table({"PO", "STATUS", "SUPPLIER", "TO", "LINES", "UNITS", "RECEIVED",
                 "CREATED"});
    for (const auto& o : out.orders()) {
      if (conn.options().json) {
        std::cout << ToJson(o) << "\n";
        continue;
      }
      int64_t units = 0, received = 0;
      for (const auto& l : o.lines()) {
        units += l.quantity();
        received += l.received();
      }
      table.AddRow({o.po_id(), PoStatus(o.status()), o.supplier_id(),
                    o.location_id(), absl::StrCat(o.lines_size()),
                    absl::StrCat(units), absl::StrCat(received),
                    FormatTime(o.created_at())});
    }
    if (!conn.options().json) table.Print(std::cout);
    *exit_code = 0;
  });
}

void AddReports(CLI::App& app, const std::function<Connection()>& connect,
                int* exit_code) {
  auto* report = app.add_subcommand("report", "the manager's weekly reports");
  report->require_subcommand(1);

  auto* stock = report->add_subcommand(
      "stock",
      "stock by location and product, and what is below its reorder point");
  auto location = std::make_shared<std::string>();
  stock->add_option("--location", *location, "only this location");
  stock->callback([=] {
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::GetStockRequest r;
    r.set_location_id(*location);
    r.mutable_page()->set_page_size(1000);
    std::map<std::pair<std::string, std::string>, v1::StockLine> sums;
    do {
      v1::GetStockResponse out;
      grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
        return stub->GetStock(ctx, r, &out);
      });
      if (Fail<v1::GetStockResponse>(s, exit_code)) return;
      for (const auto& l : out.lines()) {
        v1::StockLine& sum = sums[{l.location_id(), l.gtin()}];
        if (sum.gtin().empty()) {
          sum.set_gtin(l.gtin());
          sum.set_product_name(l.product_name());
          sum.set_location_id(l.location_id());
          sum.set_location_name(l.location_name());
        }
        sum.set_in_stock(sum.in_stock() + l.in_stock());
        sum.set_usable(sum.usable() + l.usable());
        sum.set_expired(sum.expired() + l.expired());
        sum.set_quarantined(sum.quarantined() + l.quarantined());
        sum.set_recalled(sum.recalled() + l.recalled());
      }
      r.mutable_page()->set_page_token(out.next_page_token());
    } while (!r.page().page_token().empty());
    Table table({"LOCATION", "GTIN", "PRODUCT", "IN STOCK", "USABLE", "EXPIRED",
                 "QUARANTINED", "RECALLED"});
    for (const auto& [key, l] : sums) {
      table.AddRow({l.location_id() + " " + l.location_name(), l.gtin(),
                    l.product_name(), absl::StrCat(l.in_stock()),
                    absl::StrCat(l.usable()), absl::StrCat(l.expired()),
                    absl::StrCat(l.quarantined()), absl::StrCat(l.recalled())});
    }
    table.Print(std::cout);
    v1::SuggestReorderRequest ask;
    ask.set_include_all(true);
    v1::SuggestReorderResponse suggestions;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->SuggestReorder(ctx, ask, &suggestions);
    });
    if (Fail<v1::SuggestReorderResponse>(s, exit_code)) return;
    v1::SuggestReorderResponse below;
    for (const auto& l : suggestions.lines()) {
      if (l.below_reorder_point()) *below.add_lines() = l;
    }
    std::cout << "\nbelow reorder point: " << below.lines_size() << "\n";
    if (below.lines_size() > 0) PrintSuggestions(below);
    *exit_code = 0;
  });

  AddExpiringCommand(*report, "expiring", connect, exit_code);

  auto* usage = report->add_subcommand(
      "usage",
      "weekly usage per product; --chart writes an SVG of usage vs stock");
  auto u = std::make_shared<v1::GetUsageRequest>();
  auto weeks = std::make_shared<int>(12);
  auto chart = std::make_shared<std::string>();
  usage->add_option("--gtin", *u->mutable_gtin(), "only this product");
  usage->add_option("--location", *u->mutable_location_id(),
                    "only this location");
  usage->add_option("--weeks", *weeks, "weeks back, 1..104")
      ->capture_default_str();
  usage->add_option("--chart", *chart,
                    "write the chart (needs --gtin) to this .svg");
  usage->callback([=] {
    u->set_weeks(*weeks);
    if (!chart->empty() && u->gtin().empty()) {
      std::cerr << "error: --chart: give --gtin for the product to chart\n";
      *exit_code = 2;
      return;
    }
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::GetUsageResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetUsage(ctx, *u, &out);
    });
    if (Fail<v1::GetUsageResponse>(s, exit_code)) return;
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
    } else {
      for (const auto& p : out.products()) {
        std::cout << p.product_name() << " (" << p.gtin() << ")\n";
        Table table({"WEEK OF", "USED", "RECEIVED", "IN STOCK AT END"});
        for (const auto& w : p.weeks()) {
          table.AddRow({FormatDay(w.week_start()), absl::StrCat(w.used()),
                        absl::StrCat(w.received()),
                        absl::StrCat(w.in_stock_at_end())});
        }
        table.Print(std::cout);
        std::cout << "\n";
      }
    }
    *exit_code = 0;
    if (!chart->empty() && out.products_size() == 1) {
      std::ofstream file(*chart, std::ios::trunc);
      file << UsageChartSvg(out.products(0));
      if (!file.flush()) {
        std::cerr << "error: cannot write " << *chart << "\n";
        *exit_code = 1;
        return;
      }
      std::cout << "chart written to " << *chart << "\n";
    }
  });
}

}  // namespace

void AddPlanningCommands(CLI::App& app,
                         const std::function<Connection()>& connect,
                         int* exit_code) {
  AddReorder(app, connect, exit_code);
  AddPurchaseOrders(app, connect, exit_code);
  AddReports(app, connect, exit_code);
}

}  // namespace smptrace::client
