#include "client/client_rights_commands.h"

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/clinic_days.h"
#include "client/output.h"
#include "google/protobuf/util/json_util.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/session.grpc.pb.h"

namespace smptrace::client {
namespace {

std::string SubjectName(int subject) {
  return ShortEnumName(
      v1::ConsentSubject_Name(static_cast<v1::ConsentSubject>(subject)),
      "CONSENT_SUBJECT_");
}

// Where the client stands; with `texts`, the clinic's texts too (to read
// out or show before recording).
void PrintConsentStatus(const v1::ConsentStatus& s, bool texts) {
  std::cout << s.client_id() << " code " << s.client_code() << " · consent "
            << (s.required() ? "required" : "not required")
            << " before a session\n";
  Table table({"SUBJECT", "CURRENT TEXT", "AGREED", "RECORDED", "BY"});
  for (const v1::ConsentText& t : s.texts()) {
    const v1::ClientConsent* given = nullptr;
    for (const v1::ClientConsent& c : s.consents()) {
      if (c.subject() == t.subject()) given = &c;
    }
    table.AddRow({SubjectName(t.subject()), t.version(),
                  given == nullptr ? "-" : given->version(),
                  given == nullptr ? "-" : FormatTime(given->recorded_at()),
                  given == nullptr ? "-" : given->recorded_by()});
  }
  table.Print(std::cout);
  if (!s.missing().empty()) {
    std::string missing;
    for (int m : s.missing()) {
      absl::StrAppend(&missing, missing.empty() ? "" : ", ", SubjectName(m));
    }
    std::cout << "missing: " << missing << "\n";
  }
  if (texts) {
    for (const v1::ConsentText& t : s.texts()) {
      std::cout << "\n"
                << SubjectName(t.subject()) << " " << t.version() << " (sha256 "
                << t.sha256().substr(0, 16) << "…)\n"
                << t.text() << "\n";
    }
  }
}

void AddConsentCommand(CLI::App& client,
                       const std::function<Connection()>& connect,
                       int* exit_code) {
  auto* consent = client.add_subcommand(
      "consent",
      "record that the client agreed to the clinic's consent texts "
      "(--procedure / --data-processing with the version shown); without "
      "them, show the texts and what the client agreed to");
  struct Flags {
    std::string client, procedure, data_processing;
  };
  auto f = std::make_shared<Flags>();
  consent->add_option("client", f->client, "client id or code")->required();
  consent->add_option("--procedure", f->procedure,
                      "the version of the procedure text the client agreed to");
  consent->add_option(
      "--data-processing", f->data_processing,
      "the version of the data-processing text the client agreed to");
  consent->callback([=] {
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::ConsentStatus out;
    grpc::Status s;
    const bool record = !f->procedure.empty() || !f->data_processing.empty();
    if (record) {
      v1::RecordConsentRequest r;
      r.set_request_id(NewRequestId());
      r.set_client(f->client);
      if (!f->procedure.empty()) {
        v1::ConsentGiven* g = r.add_given();
        g->set_subject(v1::CONSENT_SUBJECT_PROCEDURE);
        g->set_version(f->procedure);
      }
      if (!f->data_processing.empty()) {
        v1::ConsentGiven* g = r.add_given();
        g->set_subject(v1::CONSENT_SUBJECT_DATA_PROCESSING);
        g->set_version(f->data_processing);
      }
      s = conn.Call([&](grpc::ClientContext* ctx) {
        return stub->RecordConsent(ctx, r, &out);
      });
    } else {
      v1::GetConsentRequest r;
      r.set_client(f->client);
      s = conn.Call([&](grpc::ClientContext* ctx) {
        return stub->GetConsent(ctx, r, &out);
      });
    }
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    *exit_code = 0;
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
      return;
    }
    PrintConsentStatus(out, !record);
  });
}

void AddSubjectAccessCommand(CLI::App& client,
                             const std::function<Connection()>& connect,
                             int* exit_code) {
  auto* export_cmd = client.add_subcommand(
      "export",
      "a subject access request (managers): everything held about the "
      "client as JSON and PDF; recorded in the client's access log");
  struct Flags {
    std::string client, json, pdf;
  };
  auto f = std::make_shared<Flags>();
  export_cmd->add_option("client", f->client, "client id or code")->required();
  export_cmd->add_option("--json", f->json,
                         "write the record here (protobuf JSON mapping)");
  export_cmd->add_option("--pdf", f->pdf, "write the printable record here");
  export_cmd->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::ExportClientRecordRequest r;
    r.set_client(f->client);
    v1::ExportClientRecordResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ExportClientRecord(ctx, r, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (!f->pdf.empty() && !WriteDocument(f->pdf, out.pdf(), "PDF")) {
      *exit_code = 1;
      return;
    }
    if (!f->json.empty()) {
      google::protobuf::util::JsonPrintOptions options;
      options.add_whitespace = true;
      options.preserve_proto_field_names = true;
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(out.record(), &json,
                                                       options)
               .ok() ||
          !WriteDocument(f->json, json, "JSON")) {
        *exit_code = 1;
        return;
      }
    }
    *exit_code = 0;
    const v1::ClientRecordExport& e = out.record();
    if (conn.options().json) {
      std::cout << ToJson(e) << "\n";
      return;
    }
    std::cout << e.client().client_id() << " code " << e.client().code()
              << " · contact version " << e.client().version() << " ("
              << e.contact_versions_size() << " version(s) in the record) · "
              << e.consents_size() << " consent(s) · " << e.sessions_size()
              << " session(s) · " << e.accesses_size()
              << " earlier access(es)\n";
  });
}

void AddAccessReportCommand(CLI::App& app,
                            const std::function<Connection()>& connect,
                            int* exit_code) {
  auto* access = app.add_subcommand(
      "access",
      "who read, exported or erased which client's record in a period "
      "(auditors)");
  auto period = std::make_shared<DayPeriod>();
  auto r = std::make_shared<v1::ClientAccessReportRequest>();
  period->AddOptions(access);
  access->add_option("--client", *r->mutable_client(),
                     "only this client (id or code)");
  access->add_option("--by", *r->mutable_by(), "only this principal");
  access->callback([=] {
    std::string error;
    if (!period->Parse(&error)) {
      std::cerr << "error: " << error << "\n";
      *exit_code = 2;
      return;
    }
    Connection conn = connect();
    v1::ClientAccessReportRequest request = *r;
    if (grpc::Status zone = period->Resolve(conn, &request); !zone.ok()) {
      *exit_code = ReportError(zone);
      return;
    }
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::ClientAccessReportResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ClientAccessReport(ctx, request, &out);
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
    Table lines({"SEQ", "AT", "BY", "CLIENT", "CODE", "KIND", "WHAT"});
    for (const v1::ClientAccess& a : out.accesses()) {
      lines.AddRow({absl::StrCat(a.seq()), FormatTime(a.at()), a.by(),
                    a.client_id(), a.client_code(),
                    ShortEnumName(v1::ClientAccessKind_Name(a.kind()),
                                  "CLIENT_ACCESS_KIND_"),
                    a.what()});
    }
    lines.Print(std::cout);
    std::cout << "\n";
    Table tallies({"BY", "READS", "EXPORTS", "ERASURES", "CLIENTS"});
    for (const v1::ClientAccessTally& t : out.tallies()) {
      tallies.AddRow({t.by(), absl::StrCat(t.reads()),
                      absl::StrCat(t.exports()), absl::StrCat(t.erasures()),
                      absl::StrCat(t.clients())});
    }
    tallies.Print(std::cout);
  });
}

}  // namespace

void AddClientRightsCommands(CLI::App& app,
                             const std::function<Connection()>& connect,
                             int* exit_code) {
  CLI::App& client = *app.get_subcommand("client");
  AddConsentCommand(client, connect, exit_code);
  AddSubjectAccessCommand(client, connect, exit_code);
  AddAccessReportCommand(app, connect, exit_code);
}

}  // namespace smptrace::client
