#include "client/audit_commands.h"

#include <chrono>
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/output.h"
#include "smptrace/v1/audit.grpc.pb.h"

namespace smptrace::client {
namespace {

void PrintTrace(const v1::TraceResponse& t, double millis) {
  std::cout << t.product().name() << " (" << t.product().gtin() << ") · "
            << t.lots_size() << " lot(s) · " << t.units_examined()
            << " units · " << t.sessions_size() << " session(s) · "
            << t.exposed_client_ids_size() << " exposed client(s) · "
            << absl::StrFormat("%.1f ms", millis) << "\n\n";
  Table lots({"LOT", "EXPIRES", "STATUS", "SUPPLIER", "UNITS", "IN STOCK",
              "OPENED", "DISPOSED", "DISCARDED"});
  for (const auto& l : t.lots()) {
    lots.AddRow(
        {l.lot().lot(), FormatDay(l.lot().expiry()),
         ShortEnumName(v1::LotStatus_Name(l.lot().status()), "LOT_STATUS_"),
         l.supplier_id().empty()
             ? "-"
             : absl::StrCat(l.supplier_id(), " ", l.supplier_name()),
         absl::StrCat(l.units()), absl::StrCat(l.in_stock()),
         absl::StrCat(l.opened()), absl::StrCat(l.disposed()),
         absl::StrCat(l.discarded())});
  }
  lots.Print(std::cout);
  std::cout << "\nreceived\n";
  Table receipts({"LOT", "RECEIVED", "AT", "REFERENCE", "UNITS"});
  for (const auto& l : t.lots()) {
    for (const auto& r : l.receipts()) {
      receipts.AddRow({l.lot().lot(), FormatTime(r.received_at()),
                       r.location_id(),
                       r.po_reference().empty() ? "-" : r.po_reference(),
                       absl::StrCat(r.units())});
    }
  }
  receipts.Print(std::cout);
  std::cout << "\nsessions\n";
  Table sessions({"SESSION", "STARTED", "CLIENT", "CODE", "STATUS", "UNITS"});
  for (const auto& s : t.sessions()) {
    sessions.AddRow(
        {s.session_id(), FormatTime(s.started_at()), s.client_id(),
         s.client_code(),
         ShortEnumName(v1::SessionStatus_Name(s.status()), "SESSION_STATUS_"),
         absl::StrJoin(s.units(), ", ")});
  }
  sessions.Print(std::cout);
  std::cout << "\nexposed clients: "
            << (t.exposed_client_ids().empty()
                    ? "none"
                    : absl::StrJoin(t.exposed_client_ids(), " "))
            << "\n";
}

}  // namespace

void AddAuditCommands(CLI::App& app, const std::function<Connection()>& connect,
                      int* exit_code) {
  auto* trace = app.add_subcommand(
      "trace",
      "lookback: a lot or every lot of a product, forward to units, "
      "sessions and clients, backward to supplier and receipts");
  trace->require_subcommand(1);
  auto run = [=](auto call) {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::TraceResponse out;
    const auto start = std::chrono::steady_clock::now();
    grpc::Status s = conn.Call(
        [&](grpc::ClientContext* ctx) { return call(*stub, ctx, &out); });
    const double millis = std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - start)
                              .count();
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
    } else {
      PrintTrace(out, millis);
    }
    *exit_code = 0;
  };
  auto* lot = trace->add_subcommand("lot", "one lot, exactly as printed");
  auto* lr = new v1::TraceLotRequest;
  lot->add_option("gtin", *lr->mutable_gtin(), "GTIN")->required();
  lot->add_option("lot", *lr->mutable_lot(), "lot")->required();
  lot->callback([=] {
    run([lr](v1::AuditService::Stub& stub, grpc::ClientContext* ctx,
             v1::TraceResponse* out) { return stub.TraceLot(ctx, *lr, out); });
  });
  auto* product = trace->add_subcommand("product", "every lot of a product");
  auto* pr = new v1::TraceProductRequest;
  product->add_option("gtin", *pr->mutable_gtin(), "GTIN")->required();
  product->callback([=] {
    run([pr](v1::AuditService::Stub& stub, grpc::ClientContext* ctx,
             v1::TraceResponse* out) {
      return stub.TraceProduct(ctx, *pr, out);
    });
  });

  auto* record = app.add_subcommand(
      "record",
      "a session's sterility record: every consumable, its status "
      "now, and the journal entries that prove it");
  auto* rr = new v1::GetSterilityRecordRequest;
  record->add_option("session", *rr->mutable_session_id(), "SES-...")
      ->required();
  record->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::SterilityRecord out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetSterilityRecord(ctx, *rr, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
      *exit_code = 0;
      return;
    }
    const v1::Session& ses = out.session();
    std::cout << "sterility record of " << ses.session_id() << " · client "
              << ses.client_code() << " · " << ses.practitioner() << " at "
              << ses.location_id() << " · " << FormatTime(ses.started_at())
              << "\nverdict: "
              << ShortEnumName(v1::RecordVerdict_Name(out.verdict()),
                               "RECORD_VERDICT_")
              << "\n\n";
    Table table({"PRODUCT", "GTIN", "LOT", "EXPIRES", "STERILISED", "SERIAL",
                 "DISPOSED INTO", "NOW"});
    for (const auto& c : out.consumables()) {
      const auto& u = c.use();
      table.AddRow(
          {u.product_name(), u.gtin(), u.lot(), FormatDay(u.expiry()),
           ShortEnumName(
               v1::SterilizationMethod_Name(u.sterilization().method()),
               "STERILIZATION_METHOD_") +
               (u.sterilization().batch().empty()
                    ? ""
                    : " " + u.sterilization().batch()),
           u.serial(),
           u.container_id().empty() ? (u.pigment_draw() ? "(bottle)" : "-")
                                    : absl::StrCat(u.container_id(), " ",
                                                   FormatTime(u.disposed_at())),
           c.status_now() + (u.voided() ? "; scan voided" : "")});
    }
    table.Print(std::cout);
    for (const auto& e : ses.exceptions()) {
      std::cout << "exception " << e.kind() << ": " << e.detail() << "\n";
    }
    std::cout << "\nproof (journal entries)\n";
    Table proof({"SEQ", "TIME", "WHAT", "HASH"});
    for (const auto& p : out.proof()) {
      proof.AddRow(
          {absl::StrCat(p.seq()), FormatTime(p.time()), p.what(), p.hash()});
    }
    proof.Print(std::cout);
    *exit_code = 0;
  });
}

}  // namespace smptrace::client
