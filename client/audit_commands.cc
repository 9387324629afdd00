#include "client/audit_commands.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/clinic_days.h"
#include "client/list_pages.h"
#include "client/output.h"
#include "client/recall_intake_commands.h"
#include "client/scan_input.h"
#include "client/session_commands.h"
#include "smptrace/v1/audit.grpc.pb.h"

namespace smptrace::client {
namespace {

using Connect = std::function<Connection()>;

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
  Table adjusted({"LOT", "ADJUSTED", "AT", "REASON", "UNITS"});
  bool any_adjusted = false;
  for (const auto& l : t.lots()) {
    for (const auto& a : l.adjustments()) {
      adjusted.AddRow({l.lot().lot(), FormatTime(a.adjusted_at()),
                       a.location_id(), a.reason(), absl::StrCat(a.units())});
      any_adjusted = true;
    }
  }
  if (any_adjusted) {
    std::cout << "\nadjusted in (found at a stock take, not delivered)\n";
    adjusted.Print(std::cout);
  }
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

// A client's sessions, then the recorded reads of their record.
void PrintClientHistory(const v1::ClientHistoryResponse& out) {
  std::cout << out.client_id() << " code " << out.client_code() << "\n\n";
  Table sessions({"SESSION", "STARTED", "STEP", "AREA", "STATUS", "VERDICT",
                  "LOTS", "EXCEPTIONS"});
  for (const auto& s : out.sessions()) {
    sessions.AddRow(
        {s.session_id(), FormatTime(s.started_at()),
         ShortEnumName(v1::PlanStep_Name(s.plan_step()), "PLAN_STEP_"),
         s.treatment_area(),
         ShortEnumName(v1::SessionStatus_Name(s.status()), "SESSION_STATUS_"),
         ShortEnumName(v1::RecordVerdict_Name(s.verdict()), "RECORD_VERDICT_"),
         absl::StrJoin(s.lots(), ", "), absl::StrCat(s.exceptions())});
  }
  sessions.Print(std::cout);
  std::cout << "\nreads of this record\n";
  Table reads({"SEQ", "AT", "BY", "WHAT"});
  for (const auto& r : out.reads()) {
    reads.AddRow({absl::StrCat(r.seq()), FormatTime(r.at()), r.by(), r.what()});
  }
  reads.Print(std::cout);
}

void AddClientHistoryCommand(CLI::App& app, const Connect& connect,
                             int* exit_code) {
  // smptrace client history CLIENT (the `client` command is the session
  // commands'; the history is the auditor's).
  auto* history = app.get_subcommand("client")->add_subcommand(
      "history",
      "a client's sessions and every recorded read of the record "
      "(this read is recorded too)");
  auto hr = std::make_shared<v1::ClientHistoryRequest>();
  history->add_option("client", *hr->mutable_client(), "client id or code")
      ->required();
  history->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::ClientHistoryResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ClientHistory(ctx, *hr, &out);
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
    PrintClientHistory(out);
    *exit_code = 0;
  });
}

void AddExceptionsCommand(CLI::App& app, const Connect& connect,
                          int* exit_code) {
  auto* exceptions = app.add_subcommand(
      "exceptions", "the exceptions of sessions started in a period");
  auto period = std::make_shared<DayPeriod>();
  period->AddOptions(exceptions);
  exceptions->callback([=] {
    // Bad dates are usage errors, found before any call.
    std::string error;
    if (!period->Parse(&error)) {
      std::cerr << "error: " << error << "\n";
      *exit_code = 2;
      return;
    }
    Connection conn = connect();
    v1::ListExceptionsRequest r;
    if (grpc::Status zone = period->Resolve(conn, &r); !zone.ok()) {
      *exit_code = ReportError(zone);
      return;
    }
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::ListExceptionsResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ListExceptions(ctx, r, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (conn.options().json) {
      for (const auto& e : out.exceptions()) std::cout << ToJson(e) << "\n";
      *exit_code = 0;
      return;
    }
    Table table({"SESSION", "STARTED", "CLIENT", "KIND", "DETAIL", "SEQ"});
    for (const auto& e : out.exceptions()) {
      table.AddRow({e.session_id(), FormatTime(e.started_at()), e.client_code(),
                    e.exception().kind(), e.exception().detail(),
                    absl::StrCat(e.exception().seq())});
    }
    table.Print(std::cout);
    std::cout << out.exceptions_size() << " exception(s) in "
              << out.sessions_examined() << " session(s)\n";
    *exit_code = 0;
  });
}

void AddTraceCommands(CLI::App& app, const Connect& connect, int* exit_code) {
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
  auto lr = std::make_shared<v1::TraceLotRequest>();
  lot->add_option("gtin", *lr->mutable_gtin(), "GTIN")->required();
  lot->add_option("lot", *lr->mutable_lot(), "lot")->required();
  lot->callback([=] {
    run([lr](v1::AuditService::Stub& stub, grpc::ClientContext* ctx,
             v1::TraceResponse* out) { return stub.TraceLot(ctx, *lr, out); });
  });
  auto* product = trace->add_subcommand("product", "every lot of a product");
  auto pr = std::make_shared<v1::TraceProductRequest>();
  product->add_option("gtin", *pr->mutable_gtin(), "GTIN")->required();
  product->callback([=] {
    run([pr](v1::AuditService::Stub& stub, grpc::ClientContext* ctx,
             v1::TraceResponse* out) {
      return stub.TraceProduct(ctx, *pr, out);
    });
  });
}

// A recall case as a person reads it: scope, holds, exposed clients.
void PrintRecallCase(const v1::RecallCase& c) {
  std::cout << c.case_id() << (c.drill() ? " (drill)" : "") << " · "
            << ShortEnumName(v1::RecallCaseStatus_Name(c.status()),
                             "RECALL_CASE_STATUS_")
            << " · notice " << c.notice().reference() << " of "
            << FormatDay(c.notice().notice_date()) << "\n"
            << "scope      "
            << (c.product_gtin().empty()
                    ? absl::StrJoin(c.lots(), ", ",
                                    [](std::string* out, const v1::LotRef& l) {
                                      absl::StrAppend(out, l.gtin(), " ",
                                                      l.lot());
                                    })
                    : "every lot of " + c.product_gtin())
            << "\n"
            << "units      " << c.units_in_scope() << " in scope, "
            << c.units_in_stock() << " still in stock · lookback "
            << absl::StrFormat("%.1f ms", c.lookback_ms()) << "\n";
  if (!c.holds().empty()) {
    std::cout << "held       "
              << absl::StrJoin(c.holds(), ", ",
                               [](std::string* out, const v1::LotRef& l) {
                                 absl::StrAppend(out, l.lot());
                               })
              << " (now recalled)\n";
  }
  if (!c.close_reason().empty())
    std::cout << "closed     " << c.close_reason() << "\n";
  Table table({"CLIENT", "CODE", "SESSIONS", "NOTIFIED", "HOW", "NOTE"});
  for (const auto& e : c.exposed()) {
    table.AddRow({e.client_id(), e.client_code(),
                  absl::StrJoin(e.sessions(), " "),
                  e.notified() ? FormatTime(e.notified_at()) : "no",
                  e.channel(), e.note()});
  }
  std::cout << "\nexposed clients: " << c.exposed_size() << "\n";
  table.Print(std::cout);
}

// Answers a recall command: the error, or the case (JSON or printed).
void AnswerWithRecallCase(const Connection& conn, const grpc::Status& s,
                          const v1::RecallCase& out, int* exit_code) {
  if (!s.ok()) {
    *exit_code = ReportError(s);
    return;
  }
  if (conn.options().json) {
    std::cout << ToJson(out) << "\n";
  } else {
    PrintRecallCase(out);
  }
  *exit_code = 0;
}

void AddOpenRecallCommands(CLI::App& recall, const Connect& connect,
                           int* exit_code) {
  for (const bool is_drill : {false, true}) {
    auto* open = recall.add_subcommand(
        is_drill ? "drill" : "open",
        is_drill ? "a mock recall: the same lookback, timed; nothing is held"
                 : "open a case from a recall notice: holds the lots, computes "
                   "the exposed clients");
    auto r = std::make_shared<v1::OpenRecallCaseRequest>();
    auto lots = std::make_shared<std::vector<std::string>>();
    auto date = std::make_shared<std::string>();
    open->add_option("--notice", *r->mutable_notice()->mutable_reference(),
                     "the notice's reference")
        ->required();
    open->add_option("--text", *r->mutable_notice()->mutable_text(),
                     "the notice as received")
        ->required();
    open->add_option("--notice-date", *date, "YYYY-MM-DD (default today)");
    open->add_option("--lot", *lots, "GTIN:LOT (repeatable)");
    open->add_option("--product", *r->mutable_product_gtin(),
                     "or: every lot of this GTIN");
    open->callback([=] {
      r->set_drill(is_drill);
      for (const auto& text : *lots) {
        const size_t colon = text.find(':');
        if (colon == std::string::npos) {
          std::cerr << "error: --lot: '" << text << "' is not GTIN:LOT\n";
          *exit_code = 2;
          return;
        }
        v1::LotRef* ref = r->add_lots();
        ref->set_gtin(text.substr(0, colon));
        ref->set_lot(text.substr(colon + 1));
      }
      std::string error;
      if (!date->empty() &&
          !ParseDate(*date, "--notice-date",
                     r->mutable_notice()->mutable_notice_date(), &error)) {
        std::cerr << "error: " << error << "\n";
        *exit_code = 2;
        return;
      }
      r->set_request_id(NewRequestId());
      Connection conn = connect();
      auto stub = v1::AuditService::NewStub(conn.channel());
      v1::RecallCase out;
      grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
        return stub->OpenRecallCase(ctx, *r, &out);
      });
      AnswerWithRecallCase(conn, s, out, exit_code);
    });
  }
}

void AddListRecallCasesCommand(CLI::App& recall, const Connect& connect,
                               int* exit_code) {
  auto* list = recall.add_subcommand("list", "recall cases, oldest first");
  auto list_flags = std::make_shared<ListFlags>();
  auto list_status = std::make_shared<std::string>();
  AddListOptions(list, *list_flags);
  list->add_option("--status", *list_status, "open | closed")
      ->check(CLI::IsMember({"open", "closed"}, CLI::ignore_case));
  list->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::ListRecallCasesRequest r;
    r.set_status(FromShortName<v1::RecallCaseStatus>("RECALL_CASE_STATUS_",
                                                     *list_status));
    *exit_code = ListPages<v1::RecallCase>(
        conn, *list_flags, *stub, &v1::AuditService::Stub::ListRecallCases, r,
        [](const v1::ListRecallCasesResponse& r) -> const auto& {
          return r.cases();
        },
        [](const std::vector<const v1::RecallCase*>& rows) {
          Table table(
              {"CASE", "STATUS", "NOTICE", "OPENED", "EXPOSED", "NOTIFIED"});
          for (const v1::RecallCase* c : rows) {
            int notified = 0;
            for (const auto& e : c->exposed()) notified += e.notified();
            table.AddRow({c->case_id() + (c->drill() ? " (drill)" : ""),
                          ShortEnumName(v1::RecallCaseStatus_Name(c->status()),
                                        "RECALL_CASE_STATUS_"),
                          c->notice().reference(), FormatTime(c->opened_at()),
                          absl::StrCat(c->exposed_size()),
                          absl::StrCat(notified)});
          }
          table.Print(std::cout);
        });
  });
}

// Who to notify: per exposed client, the contact, sessions and units.
void PrintRecallWorksheet(const v1::RecallWorksheet& out) {
  const v1::RecallCase& c = out.recall_case();
  std::cout << "notification worksheet of " << c.case_id() << " · notice "
            << c.notice().reference() << " · " << out.notified()
            << " notified, " << out.not_notified() << " to notify\n";
  for (const v1::WorksheetClient& k : out.clients()) {
    const v1::ExposedClient& e = k.exposed();
    std::cout << "\n"
              << e.client_id() << " code " << e.client_code() << " · "
              << (e.notified()
                      ? absl::StrCat("notified ", FormatTime(e.notified_at()),
                                     " by ", e.notified_by(), " (", e.channel(),
                                     e.note().empty() ? "" : ": ", e.note(),
                                     ")")
                      : std::string("NOT NOTIFIED"))
              << "\n  " << ContactText(k.contact()) << "\n";
    for (const v1::WorksheetSession& ws : k.sessions()) {
      std::cout << "  " << ws.session_id() << " " << FormatTime(ws.started_at())
                << " at " << ws.location_id() << " by " << ws.practitioner()
                << ": " << absl::StrJoin(ws.units(), ", ") << "\n";
    }
  }
}

void AddRecallWorksheetCommand(CLI::App& recall, const Connect& connect,
                               int* exit_code) {
  auto* worksheet = recall.add_subcommand(
      "worksheet",
      "who to notify: each exposed client's contact details, sessions and "
      "units (managers and auditors; the read is recorded)");
  auto w = std::make_shared<v1::GetRecallWorksheetRequest>();
  worksheet->add_option("case", *w->mutable_case_id(), "RC-...")->required();
  worksheet->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::RecallWorksheet out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetRecallWorksheet(ctx, *w, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    *exit_code = 0;
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
      return;
    }
    PrintRecallWorksheet(out);
  });
}

void AddRecallExposureCommand(CLI::App& recall, const Connect& connect,
                              int* exit_code) {
  auto* show =
      recall.add_subcommand("exposure", "a case and its exposed clients");
  auto g = std::make_shared<v1::GetRecallCaseRequest>();
  auto report = std::make_shared<std::string>();
  show->add_option("case", *g->mutable_case_id(), "RC-...")->required();
  show->add_option("--pdf", *report, "also write the exposure report (PDF)");
  show->callback([=] {
    g->set_exposure_report_pdf(!report->empty());
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::RecallCase out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetRecallCase(ctx, *g, &out);
    });
    if (s.ok() && !report->empty()) {
      std::ofstream file(*report, std::ios::binary | std::ios::trunc);
      file << out.exposure_report_pdf();
      if (!file.flush()) {
        std::cerr << "error: cannot write " << *report << "\n";
        *exit_code = 1;
        return;
      }
      out.clear_exposure_report_pdf();
      std::cerr << "exposure report written to " << *report << "\n";
    }
    AnswerWithRecallCase(conn, s, out, exit_code);
  });
}

void AddRecordNotificationCommand(CLI::App& recall, const Connect& connect,
                                  int* exit_code) {
  auto* notify =
      recall.add_subcommand("notify", "record that a client was told");
  auto n = std::make_shared<v1::RecordNotificationRequest>();
  notify->add_option("case", *n->mutable_case_id(), "RC-...")->required();
  notify->add_option("--client", *n->mutable_client_id(), "CLI-...")
      ->required();
  notify
      ->add_option("--channel", *n->mutable_channel(),
                   "phone | letter | email | in person")
      ->required();
  notify->add_option("--note", *n->mutable_note(), "a note");
  notify->callback([=] {
    n->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::RecallCase out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->RecordNotification(ctx, *n, &out);
    });
    AnswerWithRecallCase(conn, s, out, exit_code);
  });
}

void AddCloseRecallCaseCommand(CLI::App& recall, const Connect& connect,
                               int* exit_code) {
  auto* close = recall.add_subcommand("close", "close a case");
  auto cl = std::make_shared<v1::CloseRecallCaseRequest>();
  close->add_option("case", *cl->mutable_case_id(), "RC-...")->required();
  close->add_option("--reason", *cl->mutable_reason(),
                    "required while an exposed client is not notified");
  close->callback([=] {
    cl->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::RecallCase out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->CloseRecallCase(ctx, *cl, &out);
    });
    AnswerWithRecallCase(conn, s, out, exit_code);
  });
}

// smptrace recall ...: recall cases, from the notice to closing.
void AddRecallCommands(CLI::App& app, const Connect& connect, int* exit_code) {
  auto* recall = app.add_subcommand(
      "recall",
      "recall cases: import published notices, open from a notice, "
      "exposure, notify, close; drill");
  recall->require_subcommand(1);
  AddOpenRecallCommands(*recall, connect, exit_code);
  AddListRecallCasesCommand(*recall, connect, exit_code);
  AddRecallWorksheetCommand(*recall, connect, exit_code);
  AddRecallExposureCommand(*recall, connect, exit_code);
  AddRecordNotificationCommand(*recall, connect, exit_code);
  AddCloseRecallCaseCommand(*recall, connect, exit_code);
  AddRecallIntakeCommands(*recall, connect, exit_code);
}

// Streams an export into `out_path` (stdout when empty), with progress on
// stderr for a file; returns the exit code. Connects once the file is open.
int StreamExport(const Connect& connect, const v1::ExportRequest& request,
                 const std::string& out_path) {
  std::ofstream file;
  if (!out_path.empty()) {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "error: cannot write " << out_path << "\n";
      return 1;
    }
  }
  std::ostream& out = out_path.empty() ? std::cout : file;
  Connection conn = connect();
  auto stub = v1::AuditService::NewStub(conn.channel());
  // A stream is not retried (a retry would repeat what was written).
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::hours(1));
  auto reader = stub->Export(&ctx, request);
  v1::ExportChunk chunk;
  uint64_t done = 0, total = 0;
  while (reader->Read(&chunk)) {
    out << chunk.data();
    done = chunk.entries_done();
    total = chunk.entries_total();
    if (!out_path.empty()) {
      std::cerr << "\rexported " << done << " of " << total
                << " journal entries" << std::flush;
    }
  }
  grpc::Status s = conn.Explained(reader->Finish());
  if (!out_path.empty()) std::cerr << "\n";
  if (!s.ok()) return ReportError(s);
  if (!out.flush()) {
    std::cerr << "error: cannot write the export\n";
    return 1;
  }
  if (!out_path.empty()) {
    std::cerr << "written to " << out_path << " (" << done << " entries)\n";
  }
  return 0;
}

void AddExportCommand(CLI::App& app, const Connect& connect, int* exit_code) {
  auto* export_cmd = app.add_subcommand(
      "export",
      "what happened to every unit, from the journal: CSV, JSON lines "
      "or GS1 EPCIS 2.0 (no client data)");
  auto er = std::make_shared<v1::ExportRequest>();
  auto format = std::make_shared<std::string>("csv");
  auto out_path = std::make_shared<std::string>();
  auto from_seq = std::make_shared<uint64_t>(0);
  auto to_seq = std::make_shared<uint64_t>(0);
  export_cmd->add_option("--format", *format, "csv | jsonl | epcis")
      ->check(CLI::IsMember({"csv", "jsonl", "epcis"}))
      ->capture_default_str();
  export_cmd->add_option("--from", *from_seq, "first journal seq (default 1)");
  export_cmd->add_option("--to", *to_seq,
                         "last journal seq (default: the last)");
  export_cmd->add_option("--out", *out_path, "file to write (default stdout)");
  export_cmd->callback([=] {
    er->set_format(*format == "csv"     ? v1::EXPORT_FORMAT_CSV
                   : *format == "jsonl" ? v1::EXPORT_FORMAT_JSONL
                                        : v1::EXPORT_FORMAT_EPCIS);
    er->set_from_seq(*from_seq);
    er->set_to_seq(*to_seq);
    *exit_code = StreamExport(connect, *er, *out_path);
  });
}

// One row per session of an inspection record, then the verification.
void PrintInspectionRecord(const v1::InspectionRecord& out) {
  Table table(
      {"SESSION", "STARTED", "CLIENT", "VERDICT", "USED", "EXC", "SEAL"});
  for (const v1::SterilityRecord& r : out.records()) {
    const v1::Session& ses = r.session();
    table.AddRow(
        {ses.session_id(), FormatTime(ses.started_at()), ses.client_code(),
         ShortEnumName(v1::RecordVerdict_Name(r.verdict()), "RECORD_VERDICT_"),
         absl::StrCat(r.consumables_size()),
         absl::StrCat(ses.exceptions_size()),
         ses.seal().seq() == 0 ? "-" : absl::StrCat(ses.seal().seq())});
  }
  table.Print(std::cout);
  const v1::VerifyJournalResponse& v = out.verification();
  std::cout << out.records_size() << " session(s) · journal "
            << (v.ok()
                    ? absl::StrCat("verified: ", v.entries(), " entries intact")
                    : absl::StrCat("NOT INTACT from entry ", v.first_bad_seq(),
                                   ": ", v.detail()))
            << "\n";
}

void AddInspectionCommand(CLI::App& app, const Connect& connect,
                          int* exit_code) {
  auto* inspection = app.add_subcommand(
      "inspection",
      "an inspector's printable sterility record of a session or a period: "
      "every scan, lot, expiry, sterilisation, disposal and exception, the "
      "seals and a fresh journal verification");
  auto ir = std::make_shared<v1::GetInspectionRecordRequest>();
  auto i_period = std::make_shared<DayPeriod>();
  auto i_pdf = std::make_shared<std::string>();
  inspection->add_option("--session", *ir->mutable_session_id(), "SES-...");
  i_period->AddOptions(inspection);
  inspection->add_option("--pdf", *i_pdf, "write the record (PDF) here");
  inspection->callback([=] {
    std::string error;
    if (!i_period->Parse(&error)) {
      std::cerr << "error: " << error << "\n";
      *exit_code = 2;
      return;
    }
    ir->set_pdf(!i_pdf->empty());
    Connection conn = connect();
    if (grpc::Status zone = i_period->Resolve(conn, ir.get()); !zone.ok()) {
      *exit_code = ReportError(zone);
      return;
    }
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::InspectionRecord out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetInspectionRecord(ctx, *ir, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (!i_pdf->empty()) {
      if (!WriteDocument(*i_pdf, out.pdf(), "inspection record")) {
        *exit_code = 1;
        return;
      }
      out.clear_pdf();
    }
    *exit_code = 0;
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
      return;
    }
    PrintInspectionRecord(out);
  });
}

// A session's sterility record: consumables, exceptions, the proof.
void PrintSterilityRecord(const v1::SterilityRecord& out) {
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
         ShortEnumName(v1::SterilizationMethod_Name(u.sterilization().method()),
                       "STERILIZATION_METHOD_") +
             (u.sterilization().batch().empty()
                  ? ""
                  : " " + u.sterilization().batch()),
         u.serial(),
         u.container_id().empty()
             ? (u.pigment_draw() ? "(bottle)" : "-")
             : absl::StrCat(u.container_id(), " ", FormatTime(u.disposed_at())),
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
}

void AddSterilityRecordCommand(CLI::App& app, const Connect& connect,
                               int* exit_code) {
  auto* record = app.add_subcommand(
      "record",
      "a session's sterility record: every consumable, its status "
      "now, and the journal entries that prove it");
  auto rr = std::make_shared<v1::GetSterilityRecordRequest>();
  auto pdf_path = std::make_shared<std::string>();
  record->add_option("session", *rr->mutable_session_id(), "SES-...")
      ->required();
  record->add_option("--pdf", *pdf_path,
                     "also write the client's \"materials used\" certificate "
                     "(PDF) to this file");
  auto qr_path = std::make_shared<std::string>();
  record->add_option("--qr", *qr_path,
                     "also write the text of the certificate's QR code (the "
                     "verification page's URL with the proof) to this file, "
                     "for `smptrace log verify-certificate`");
  record->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::SterilityRecord out;
    rr->set_certificate_pdf(!pdf_path->empty() || !qr_path->empty());
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetSterilityRecord(ctx, *rr, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (!pdf_path->empty()) {
      std::ofstream file(*pdf_path, std::ios::binary | std::ios::trunc);
      file << out.certificate_pdf();
      if (!file.flush()) {
        std::cerr << "error: cannot write " << *pdf_path << "\n";
        *exit_code = 1;
        return;
      }
      std::cerr << "certificate written to " << *pdf_path << "\n";
    }
    out.clear_certificate_pdf();
    if (!qr_path->empty()) {
      if (out.certificate_url().empty()) {
        std::cerr << "error: " << rr->session_id()
                  << " has no QR code: only a session closed since "
                     "certificates carry proofs has one\n";
        *exit_code = 1;
        return;
      }
      std::ofstream file(*qr_path, std::ios::trunc);
      file << out.certificate_url() << "\n";
      if (!file.flush()) {
        std::cerr << "error: cannot write " << *qr_path << "\n";
        *exit_code = 1;
        return;
      }
      std::cerr << "QR code text written to " << *qr_path << "\n";
    }
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
      *exit_code = 0;
      return;
    }
    PrintSterilityRecord(out);
    *exit_code = 0;
  });
}

}  // namespace

void AddAuditCommands(CLI::App& app, const std::function<Connection()>& connect,
                      int* exit_code) {
  AddClientHistoryCommand(app, connect, exit_code);
  AddExceptionsCommand(app, connect, exit_code);
  AddTraceCommands(app, connect, exit_code);
  AddRecallCommands(app, connect, exit_code);
  AddExportCommand(app, connect, exit_code);
  AddInspectionCommand(app, connect, exit_code);
  AddSterilityRecordCommand(app, connect, exit_code);
}

}  // namespace smptrace::client
