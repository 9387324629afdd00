#include "client/recall_intake_commands.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/list_pages.h"
#include "client/output.h"
#include "smptrace/v1/audit.grpc.pb.h"

namespace smptrace::client {
namespace {

using Connect = std::function<Connection()>;

std::string StatusWord(v1::RecallCandidateStatus s) {
  return ShortEnumName(v1::RecallCandidateStatus_Name(s),
                       "RECALL_CANDIDATE_STATUS_");
}

std::string ScopeOf(const v1::RecallCandidate& c) {
  if (c.all_lots()) return "every lot";
  return absl::StrCat(
      "lot ",
      absl::StrJoin(c.lots(), ", ", [](std::string* out, const v1::LotRef& l) {
        absl::StrAppend(out, l.lot());
      }));
}

// A candidate as a manager weighs it: the notice, what it matched, why.
void PrintCandidate(const v1::RecallCandidate& c) {
  const v1::PublishedRecallNotice& n = c.notice();
  std::cout << c.candidate_id() << " · " << StatusWord(c.status())
            << " · notice " << n.notice_id();
  if (!n.classification().empty())
    std::cout << " (" << n.classification() << ")";
  const bool safety_gate = n.source() == v1::RECALL_NOTICE_SOURCE_SAFETY_GATE;
  std::cout << " of " << FormatDay(n.report_date()) << "\n"
            << (safety_gate ? "brand      " : "firm       ")
            << n.recalling_firm() << "\n"
            << "product    " << n.product_description() << "\n"
            << "code info  " << n.code_info() << "\n"
            << "reason     " << n.reason() << "\n";
  if (!n.measures().empty()) std::cout << "measures   " << n.measures() << "\n";
  if (!n.notifying_country().empty()) {
    std::cout << "notified   " << n.notifying_country()
              << (safety_gate ? " (EU Safety Gate)" : "") << "\n";
  }
  std::cout << "matches    " << c.product_name() << " (" << c.product_gtin()
            << "), " << ScopeOf(c) << "\n";
  if (!c.case_id().empty()) {
    std::cout << "confirmed  recall case " << c.case_id() << "\n";
  }
  if (!c.dismiss_reason().empty()) {
    std::cout << "dismissed  " << c.dismiss_reason() << "\n";
  }
  Table table({"EVIDENCE", "NOTICE SAYS", "CLINIC HAS", "HOW"});
  for (const v1::RecallEvidence& e : c.evidence()) {
    table.AddRow({e.kind(), e.notice_words(), e.clinic_value(), e.how()});
  }
  table.Print(std::cout);
}

// Answers a command: the error, or `out` as JSON or printed by `print`.
template <typename Message, typename Print>
void Answer(const Connection& conn, const grpc::Status& s, const Message& out,
            int* exit_code, Print print) {
  if (!s.ok()) {
    *exit_code = ReportError(s);
    return;
  }
  *exit_code = 0;
  if (conn.options().json) {
    std::cout << ToJson(out) << "\n";
    return;
  }
  print(out);
}

void AddImportCommand(CLI::App& recall, const Connect& connect,
                      int* exit_code) {
  auto* cmd = recall.add_subcommand(
      "import",
      "match a downloaded openFDA enforcement file or EU Safety Gate "
      "export against the catalogue and the lots received: candidates to "
      "confirm or dismiss");
  auto path = std::make_shared<std::string>();
  cmd->add_option("file", *path,
                  "the file as downloaded: openFDA JSON or Safety Gate XML "
                  "(told from its content)")
      ->required();
  cmd->callback([=] {
    std::ifstream in(*path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
      std::cerr << "error: cannot read " << *path << "\n";
      *exit_code = 2;
      return;
    }
    v1::ImportRecallNoticesRequest r;
    r.set_request_id(NewRequestId());
    const size_t slash = path->find_last_of('/');
    r.set_file_name(slash == std::string::npos ? *path
                                               : path->substr(slash + 1));
    r.set_content(bytes.str());
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::ImportRecallNoticesResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ImportRecallNotices(ctx, r, &out);
    });
    Answer(conn, s, out, exit_code, [](const auto& out) {
      std::cout << out.notices_read() << " notice(s) read, "
                << out.notices_size() << " about products of the catalogue, "
                << out.candidates_size() << " new candidate(s)\n";
      if (out.notices_size() > 0) {
        Table table({"NOTICE", "OUTCOME", "CANDIDATES", "DETAIL"});
        for (const auto& n : out.notices()) {
          table.AddRow({n.notice_id(),
                        ShortEnumName(v1::RecallNoticeOutcome_Name(n.outcome()),
                                      "RECALL_NOTICE_OUTCOME_"),
                        absl::StrJoin(n.candidate_ids(), " "), n.detail()});
        }
        std::cout << "\n";
        table.Print(std::cout);
      }
      for (const auto& c : out.candidates()) {
        std::cout << "\n";
        PrintCandidate(c);
      }
      if (out.candidates_size() > 0) {
        std::cout << "\nnothing is recalled yet: `smptrace recall confirm ID` "
                     "opens the case, `smptrace recall dismiss ID --reason …` "
                     "sets it aside\n";
      }
    });
  });
}

void AddCandidatesCommand(CLI::App& recall, const Connect& connect,
                          int* exit_code) {
  auto* list = recall.add_subcommand(
      "candidates", "recall candidates from imported notices, with evidence");
  auto flags = std::make_shared<ListFlags>();
  auto status = std::make_shared<std::string>("open");
  AddListOptions(list, *flags);
  list->add_option("--status", *status, "open | confirmed | dismissed | any")
      ->capture_default_str()
      ->check(CLI::IsMember({"open", "confirmed", "dismissed", "any"},
                            CLI::ignore_case));
  list->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::ListRecallCandidatesRequest r;
    r.set_status(FromShortName<v1::RecallCandidateStatus>(
        "RECALL_CANDIDATE_STATUS_", *status == "any" ? "" : *status));
    *exit_code = ListPages<v1::RecallCandidate>(
        conn, *flags, *stub, &v1::AuditService::Stub::ListRecallCandidates, r,
        [](const v1::ListRecallCandidatesResponse& r) -> const auto& {
          return r.candidates();
        },
        [](const std::vector<const v1::RecallCandidate*>& rows) {
          if (rows.empty()) std::cout << "no recall candidates\n";
          for (size_t i = 0; i < rows.size(); ++i) {
            if (i > 0) std::cout << "\n";
            PrintCandidate(*rows[i]);
          }
        });
  });
}

void AddDecideCommands(CLI::App& recall, const Connect& connect,
                       int* exit_code) {
  auto* confirm = recall.add_subcommand(
      "confirm",
      "open the recall case of a candidate: holds its lots, computes the "
      "exposed clients");
  auto confirm_id = std::make_shared<std::string>();
  confirm->add_option("candidate", *confirm_id, "e.g. RCN-000001")->required();
  confirm->callback([=] {
    v1::ConfirmRecallCandidateRequest r;
    r.set_request_id(NewRequestId());
    r.set_candidate_id(*confirm_id);
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::ConfirmRecallCandidateResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ConfirmRecallCandidate(ctx, r, &out);
    });
    Answer(conn, s, out, exit_code, [](const auto& out) {
      const v1::RecallCase& c = out.recall_case();
      std::cout << out.candidate().candidate_id() << " confirmed: recall case "
                << c.case_id() << " opened\n"
                << "held       "
                << (c.holds().empty()
                        ? std::string("nothing (already recalled)")
                        : absl::StrJoin(
                              c.holds(), ", ",
                              [](std::string* o, const v1::LotRef& l) {
                                absl::StrAppend(o, l.gtin(), " ", l.lot());
                              }))
                << "\n"
                << "units      " << c.units_in_scope() << " in scope, "
                << c.units_in_stock() << " still in stock\n"
                << "exposed    " << c.exposed_size() << " client(s): "
                << "smptrace recall worksheet " << c.case_id() << "\n";
    });
  });

  auto* dismiss = recall.add_subcommand(
      "dismiss", "set a candidate aside: it does not concern the clinic");
  auto dismiss_id = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  dismiss->add_option("candidate", *dismiss_id, "e.g. RCN-000001")->required();
  dismiss->add_option("--reason", *reason, "why (kept on the record)")
      ->required();
  dismiss->callback([=] {
    v1::DismissRecallCandidateRequest r;
    r.set_request_id(NewRequestId());
    r.set_candidate_id(*dismiss_id);
    r.set_reason(*reason);
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::RecallCandidate out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->DismissRecallCandidate(ctx, r, &out);
    });
    Answer(conn, s, out, exit_code, [](const auto& out) {
      std::cout << out.candidate_id() << " dismissed: " << out.dismiss_reason()
                << "\n";
    });
  });
}

}  // namespace

void AddRecallIntakeCommands(CLI::App& recall, const Connect& connect,
                             int* exit_code) {
  AddImportCommand(recall, connect, exit_code);
  AddCandidatesCommand(recall, connect, exit_code);
  AddDecideCommands(recall, connect, exit_code);
}

}  // namespace smptrace::client
