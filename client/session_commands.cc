#include "client/session_commands.h"

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "client/clinic_days.h"
#include "client/list_pages.h"
#include "client/output.h"
#include "client/scan_input.h"
#include "smptrace/v1/session.grpc.pb.h"

namespace smptrace::client {
namespace {

std::string Verdict(v1::ScreeningVerdict v) {
  return absl::AsciiStrToUpper(
      ShortEnumName(v1::ScreeningVerdict_Name(v), "SCREENING_VERDICT_"));
}

void PrintUse(const v1::ConsumableUse& use) {
  std::cout << "✔ " << use.product_name() << " · lot " << use.lot()
            << " · expires " << FormatDay(use.expiry());
  if (use.pigment_draw()) {
    std::cout << " · bottle " << use.serial() << " usable until "
              << FormatDay(use.usable_until());
  } else {
    std::cout << " · serial " << use.serial();
  }
  std::cout << " · scan " << use.seq() << std::endl;
  if (!use.advisory().empty())
    std::cout << "  ! " << use.advisory() << std::endl;
}

// What the screening recorded below its verdict line: that no question
// applied (when so answered), each finding, the aftercare advice.
void PrintScreeningDetail(const v1::Screening& screening) {
  if (screening.answers().none_apply()) {
    std::cout << "  asked every screening question: none applies\n";
  }
  for (const auto& f : screening.findings()) {
    std::cout << "  " << Verdict(f.verdict()) << " " << f.rule() << ": "
              << f.message() << "\n";
  }
  for (const auto& advice : screening.aftercare()) {
    std::cout << "  aftercare: " << advice << "\n";
  }
}

void PrintSession(const v1::Session& s, v1::RecordVerdict verdict) {
  std::cout << "session   " << s.session_id() << "  ("
            << ShortEnumName(v1::SessionStatus_Name(s.status()),
                             "SESSION_STATUS_")
            << ")\n"
            << "client    " << s.client_code() << " (" << s.client_id() << ")\n"
            << "by        " << s.practitioner() << " at " << s.location_id()
            << " · "
            << ShortEnumName(v1::PlanStep_Name(s.plan_step()), "PLAN_STEP_")
            << " session · " << s.treatment_area() << "\n"
            << "started   " << FormatTime(s.started_at()) << "\n";
  if (s.has_ended_at())
    std::cout << "ended     " << FormatTime(s.ended_at()) << "\n";
  std::cout << "screening " << Verdict(s.screening().verdict()) << "\n";
  PrintScreeningDetail(s.screening());
  Table used({"SCAN", "PRODUCT", "LOT", "EXPIRES", "SERIAL", "CONTAINER",
              "DISPOSED", "NOTE"});
  for (const auto& u : s.consumables()) {
    std::string note = u.opened_bottle()  ? "pigment: bottle opened"
                       : u.pigment_draw() ? "pigment draw"
                                          : "";
    if (u.voided()) {
      note = absl::StrCat(
          "VOIDED",
          u.void_package() == v1::VOIDED_PACKAGE_NOT_OPENED ? " (not opened)"
          : u.void_package() == v1::VOIDED_PACKAGE_OPENED   ? " (opened)"
                                                            : "",
          ": ", u.void_reason());
    }
    used.AddRow({absl::StrCat(u.seq()), u.product_name(), u.lot(),
                 FormatDay(u.expiry()), u.serial(),
                 u.container_id().empty() ? "-" : u.container_id(),
                 u.has_disposed_at() ? FormatTime(u.disposed_at()) : "-",
                 note});
  }
  std::cout << "\nconsumables\n";
  used.Print(std::cout);
  if (!s.refused_scans().empty()) {
    std::cout << "\nrefused scans\n";
    for (const auto& r : s.refused_scans()) {
      std::cout << "  " << r.seq() << " " << r.reason() << ": " << r.message()
                << "\n";
    }
  }
  if (!s.exceptions().empty()) {
    std::cout << "\nexceptions\n";
    for (const auto& e : s.exceptions()) {
      std::cout << "  " << e.kind() << " (seq " << e.seq()
                << "): " << e.detail() << "\n";
    }
  }
  if (s.seal().seq() != 0) {
    std::cout << "\nsealed    journal seq " << s.seal().seq() << " hash "
              << s.seal().hash() << "\n";
  }
  if (verdict != v1::RECORD_VERDICT_UNSPECIFIED) {
    std::cout << "verdict   "
              << ShortEnumName(v1::RecordVerdict_Name(verdict),
                               "RECORD_VERDICT_")
              << "\n";
  }
}

template <typename Message>
int Answer(const Connection& conn, const grpc::Status& status,
           const Message& message, const std::function<void()>& print) {
  if (!status.ok()) return ReportError(status);
  if (conn.options().json) {
    std::cout << ToJson(message) << "\n";
  } else {
    print();
  }
  return 0;
}

const std::map<std::string, v1::PlanStep>& PlanSteps() {
  static const auto* steps = new std::map<std::string, v1::PlanStep>{
      {"first", v1::PLAN_STEP_FIRST},
      {"second", v1::PLAN_STEP_SECOND},
      {"third", v1::PLAN_STEP_THIRD},
      {"touch_up", v1::PLAN_STEP_TOUCH_UP},
  };
  return *steps;
}

struct StartFlags {
  std::string client, practitioner, location, step, area;
  std::string topical, finasteride_stopped, microneedling, surgery,
      isotretinoin;
  bool finasteride_current = false, skin_not_healed = false, fibres = false,
       anxiety = false, thinners = false, supplements = false, alcohol = false,
       not_exfoliated = false, none_apply = false;
  std::string override_approval;
};

const std::map<std::string, v1::VoidedPackage>& VoidedPackages() {
  static const auto* packages = new std::map<std::string, v1::VoidedPackage>{
      {"not_opened", v1::VOIDED_PACKAGE_NOT_OPENED},
      {"opened", v1::VOIDED_PACKAGE_OPENED},
  };
  return *packages;
}

// "erased 2026-11-23 10:00 by manager · client asked (GDPR Art. 17...)".
std::string ErasedText(const v1::ClientErasure& e) {
  return absl::StrCat(
      "personal data erased ", FormatTime(e.erased_at()), " by ", e.erased_by(),
      " · ", e.reason(), " (", e.legal_basis(), ")",
      e.retention_policy().empty()
          ? ""
          : absl::StrCat("\n    policy: ", e.retention_policy()));
}

bool IsSetDay(const v1::Date& d) { return d.year() != 0; }

void AddErasureCommands(CLI::App* client,
                        const std::function<Connection()>& connect,
                        int* exit_code);
void AddRetentionCommands(CLI::App& app,
                          const std::function<Connection()>& connect,
                          int* exit_code);

void AddClientCommands(CLI::App& app,
                       const std::function<Connection()>& connect,
                       int* exit_code) {
  CLI::App* client =
      app.add_subcommand("client", "clients (pseudonymous codes)");
  client->require_subcommand(1);

  auto* create = client->add_subcommand("create", "register a client");
  auto c = std::make_shared<v1::CreateClientRequest>();
  create->add_option("--code", *c->mutable_code(),
                     "the clinic's pseudonymous code (default: the client id)");
  create
      ->add_option("--name", *c->mutable_contact()->mutable_name(),
                   "full name (kept apart; for recall notices)")
      ->required();
  create->add_option("--phone", *c->mutable_contact()->mutable_phone(),
                     "phone");
  create->add_option("--email", *c->mutable_contact()->mutable_email(),
                     "email");
  create->add_option("--address",
                     *c->mutable_contact()->mutable_postal_address(),
                     "postal address");
  create->callback([=] {
    Connection conn = connect();
    c->set_request_id(NewRequestId());
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Client out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->CreateClient(ctx, *c, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << out.client_id() << " code " << out.code() << "\n";
    });
  });

  auto* show = client->add_subcommand("show", "a client by id or code");
  auto get = std::make_shared<v1::GetClientRequest>();
  show->add_option("client", *get->mutable_client(), "client id or code")
      ->required();
  show->add_flag(
      "--contact", [get](int64_t n) { get->set_include_contact(n > 0); },
      "include contact details");
  show->callback([=] {
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Client out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetClient(ctx, *get, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << out.client_id() << " code " << out.code() << " · registered "
                << FormatTime(out.created_at()) << "\n";
      if (out.has_erased()) {
        std::cout << "  " << ErasedText(out.erased()) << "\n";
      } else if (out.has_contact()) {
        std::cout << "  " << ContactText(out.contact()) << "\n";
      }
    });
  });

  auto* update = client->add_subcommand(
      "update", "new contact details for a client (a new version)");
  auto u = std::make_shared<v1::UpdateClientContactRequest>();
  update->add_option("client", *u->mutable_client(), "client id or code")
      ->required();
  update
      ->add_option("--name", *u->mutable_contact()->mutable_name(),
                   "full name (the whole new contact: give every part)")
      ->required();
  update->add_option("--phone", *u->mutable_contact()->mutable_phone(),
                     "phone");
  update->add_option("--email", *u->mutable_contact()->mutable_email(),
                     "email");
  update->add_option("--address",
                     *u->mutable_contact()->mutable_postal_address(),
                     "postal address");
  auto u_version = std::make_shared<int64_t>(0);
  update->add_option("--expected_version", *u_version,
                     "refuse if someone changed it since this version");
  update->callback([=] {
    Connection conn = connect();
    u->set_request_id(NewRequestId());
    u->set_expected_version(*u_version);
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Client out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->UpdateClientContact(ctx, *u, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << out.client_id() << " code " << out.code()
                << " · contact version " << out.version() << "\n";
    });
  });

  auto* list = client->add_subcommand("list", "clients by id, or by code");
  auto list_flags = std::make_shared<ListFlags>();
  auto code_prefix = std::make_shared<std::string>();
  auto with_contact = std::make_shared<bool>(false);
  AddListOptions(list, *list_flags);
  list->add_option("--code", *code_prefix, "only codes that start with this");
  list->add_flag("--contact", *with_contact,
                 "include contact details (managers and auditors; recorded)");
  list->callback([=] {
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::ListClientsRequest r;
    r.set_code_prefix(*code_prefix);
    r.set_include_contact(*with_contact);
    *exit_code = ListPages<v1::Client>(
        conn, *list_flags, *stub, &v1::SessionService::Stub::ListClients, r,
        [](const v1::ListClientsResponse& r) -> const auto& {
          return r.clients();
        },
        [&](const std::vector<const v1::Client*>& rows) {
          std::vector<std::string> head = {"CLIENT", "CODE", "REGISTERED",
                                           "VERSION"};
          if (*with_contact) head.push_back("CONTACT");
          Table table(head);
          for (const v1::Client* c : rows) {
            std::vector<std::string> row = {c->client_id(), c->code(),
                                            FormatTime(c->created_at()),
                                            absl::StrCat(c->version())};
            if (*with_contact) {
              row.push_back(c->has_erased() ? ErasedText(c->erased())
                                            : ContactText(c->contact()));
            }
            table.AddRow(row);
          }
          table.Print(std::cout);
        });
  });

  AddErasureCommands(client, connect, exit_code);
  AddRetentionCommands(app, connect, exit_code);
}

void PrintHold(const v1::LegalHold& h) {
  std::cout << h.hold_id() << " on ";
  if (!h.lot().empty()) {
    std::cout << "lot " << h.lot() << " of " << h.lot_gtin();
  } else if (!h.recall_case_id().empty()) {
    std::cout << "recall case " << h.recall_case_id();
  } else {
    std::cout << h.client_id() << " (" << h.client_code() << ")";
  }
  std::cout << " · "
            << (IsSetDay(h.until()) ? "until " + FormatDay(h.until())
                                    : std::string("until released"))
            << " · placed " << FormatTime(h.placed_at()) << " by "
            << h.placed_by() << " · " << h.reason() << "\n";
  if (h.in_force() && h.client_id().empty()) {
    std::vector<std::string> codes;
    for (const v1::CoveredClient& c : h.covers()) {
      codes.push_back(c.client_code().empty() ? c.client_id()
                                              : c.client_code());
    }
    std::cout << "  covers: "
              << (codes.empty() ? std::string("no client so far")
                                : absl::StrJoin(codes, ", "))
              << "\n";
  }
  if (h.has_released_at()) {
    std::cout << "  released " << FormatTime(h.released_at()) << " by "
              << h.released_by() << " · " << h.release_reason() << "\n";
  }
}

// `client erase` and `client hold place|list|release` (managers).
void AddErasureCommands(CLI::App* client,
                        const std::function<Connection()>& connect,
                        int* exit_code) {
  auto* erase = client->add_subcommand(
      "erase",
      "erase a client's personal data for good (contact, screening "
      "answers); the code and sessions stay");
  auto e = std::make_shared<v1::EraseClientRequest>();
  erase->add_option("client", *e->mutable_client(), "client id or code")
      ->required();
  erase->add_option("--reason", *e->mutable_reason(), "why")->required();
  erase
      ->add_option("--legal_basis", *e->mutable_legal_basis(),
                   "e.g. \"GDPR Art. 17(1)(a)\"")
      ->required();
  erase->callback([=] {
    Connection conn = connect();
    e->set_request_id(NewRequestId());
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Client out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->EraseClient(ctx, *e, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << out.client_id() << " code " << out.code() << " · "
                << ErasedText(out.erased()) << "\n";
    });
  });

  CLI::App* hold = client->add_subcommand(
      "hold", "legal holds: while one is in force the client cannot be erased");
  hold->require_subcommand(1);
  auto* place = hold->add_subcommand(
      "place",
      "place a legal hold on a client, a lot (every client it touched) or a "
      "recall case (every client it found exposed)");
  auto p = std::make_shared<v1::PlaceLegalHoldRequest>();
  auto until = std::make_shared<std::string>();
  place->add_option("client", *p->mutable_client(), "client id or code");
  place->add_option("--lot_gtin", *p->mutable_lot_gtin(),
                    "a hold on a lot: its product's GTIN (with --lot)");
  place->add_option("--lot", *p->mutable_lot(),
                    "a hold on a lot: the lot number as printed");
  place->add_option("--recall_case", *p->mutable_recall_case_id(),
                    "a hold on a recall case, e.g. RC-000001");
  place
      ->add_option("--reason", *p->mutable_reason(),
                   "why (a claim, a court "
                   "order and its reference)")
      ->required();
  place->add_option("--until", *until,
                    "last day of the hold, YYYY-MM-DD (default: until "
                    "released)");
  place->callback([=] {
    std::string error;
    p->clear_until();
    if (!until->empty() &&
        !ParseDate(*until, "--until", p->mutable_until(), &error)) {
      std::cerr << "error: " << error << "\n";
      *exit_code = 2;
      return;
    }
    Connection conn = connect();
    p->set_request_id(NewRequestId());
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::LegalHold out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->PlaceLegalHold(ctx, *p, &out);
    });
    *exit_code = Answer(conn, s, out, [&] { PrintHold(out); });
  });

  auto* release = hold->add_subcommand("release", "release a legal hold");
  auto r = std::make_shared<v1::ReleaseLegalHoldRequest>();
  release->add_option("hold", *r->mutable_hold_id(), "HOLD-000001")->required();
  release->add_option("--reason", *r->mutable_reason(), "why")->required();
  release->callback([=] {
    Connection conn = connect();
    r->set_request_id(NewRequestId());
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::LegalHold out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ReleaseLegalHold(ctx, *r, &out);
    });
    *exit_code = Answer(conn, s, out, [&] { PrintHold(out); });
  });

  auto* list = hold->add_subcommand("list", "legal holds in force");
  auto l = std::make_shared<v1::ListLegalHoldsRequest>();
  list->add_option(
      "client", *l->mutable_client(),
      "the holds covering this client id or code (default: every hold)");
  list->add_flag(
      "--all", [l](int64_t n) { l->set_include_ended(n > 0); },
      "also holds released or past their day");
  list->callback([=] {
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::ListLegalHoldsResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ListLegalHolds(ctx, *l, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      if (out.holds().empty()) std::cout << "no legal hold\n";
      for (const v1::LegalHold& h : out.holds()) PrintHold(h);
    });
  });
}

std::string ActionText(v1::RetentionAction action) {
  return absl::StrReplaceAll(
      absl::AsciiStrToLower(
          ShortEnumName(v1::RetentionAction_Name(action), "RETENTION_ACTION_")),
      {{"_", " "}});
}

// The due clients as a table; the holds of each under it.
void PrintRetentionDue(
    const google::protobuf::RepeatedPtrField<v1::RetentionDueClient>& due) {
  if (due.empty()) {
    std::cout << "no client is due\n";
    return;
  }
  Table table({"CLIENT", "CODE", "LAST VISIT", "DUE SINCE", "ACTION"});
  for (const v1::RetentionDueClient& c : due) {
    table.AddRow({c.client_id(), c.client_code(), FormatDay(c.last_visit()),
                  FormatDay(c.due_since()), ActionText(c.action())});
  }
  table.Print(std::cout);
  for (const v1::RetentionDueClient& c : due) {
    for (const std::string& h : c.held_by()) {
      std::cout << c.client_id() << " held by " << h << "\n";
    }
  }
}

// `retention due|run|approve`: what the clinic's retention policy makes
// due, the daily job now, and a manager's approval of one erasure.
void AddRetentionCommands(CLI::App& app,
                          const std::function<Connection()>& connect,
                          int* exit_code) {
  CLI::App* retention = app.add_subcommand(
      "retention",
      "the retention policy (smptraced --retention_policy): what is due, "
      "run the daily job, approve an erasure");
  retention->require_subcommand(1);

  auto* due = retention->add_subcommand(
      "due", "what the retention policy makes due today, and what is held");
  due->callback([=] {
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::ListRetentionDueResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ListRetentionDue(ctx, {}, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      if (!out.configured()) {
        std::cout << "no retention policy: smptraced runs without "
                     "--retention_policy, so nothing is ever due\n";
        return;
      }
      std::cout << "today " << FormatDay(out.today()) << "\n";
      for (const v1::RetentionRecordKind& k : out.kinds()) {
        std::cout << k.kind() << ": " << k.policy() << "\n  " << k.past_period()
                  << " past the period · " << k.outcome() << "\n";
      }
      PrintRetentionDue(out.clients());
    });
  });

  auto* run = retention->add_subcommand(
      "run",
      "run the daily retention job now: erase the clients due for automatic "
      "erasure (it also runs by itself once a day)");
  run->callback([=] {
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::RunRetentionResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->RunRetention(ctx, {}, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << "retention run for " << FormatDay(out.today()) << ": "
                << out.erased_size() << " erased, " << out.remaining_size()
                << " still due\n";
      for (const v1::Client& c : out.erased()) {
        std::cout << c.client_id() << " code " << c.code() << " · "
                  << ErasedText(c.erased()) << "\n";
      }
      if (!out.remaining().empty()) PrintRetentionDue(out.remaining());
    });
  });

  auto* approve = retention->add_subcommand(
      "approve",
      "erase a client the retention list shows awaiting approval (the "
      "policy is recorded with the erasure)");
  auto a = std::make_shared<v1::ApproveRetentionErasureRequest>();
  approve->add_option("client", *a->mutable_client(), "client id or code")
      ->required();
  approve->callback([=] {
    Connection conn = connect();
    a->set_request_id(NewRequestId());
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Client out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ApproveRetentionErasure(ctx, *a, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << out.client_id() << " code " << out.code() << " · "
                << ErasedText(out.erased()) << "\n";
    });
  });
}

// The options shared by the lists filtered by a period (--from, --to).
// `session list`.
void AddInkDisclosureCommand(CLI::App* session,
                             const std::function<Connection()>& connect,
                             int* exit_code);
void AddSessionList(CLI::App* session,
                    const std::function<Connection()>& connect, int* exit_code);

void AddSessionSubcommands(CLI::App& app,
                           const std::function<Connection()>& connect,
                           int* exit_code) {
  CLI::App* session = app.add_subcommand("session", "procedures");
  session->require_subcommand(1);

  // start
  auto* start = session->add_subcommand(
      "start", "start a session: client, room, plan step, screening answers");
  auto f = std::make_shared<StartFlags>();
  start->add_option("--client", f->client, "client id or code")->required();
  start->add_option("--practitioner", f->practitioner,
                    "who performs it: needed only on a server without "
                    "authentication; a secured server records you");
  start->add_option("--location", f->location, "treatment room (LOC-...)")
      ->required();
  start->add_option("--step", f->step, "first | second | third | touch_up")
      ->required()
      ->transform(CLI::IsMember(PlanSteps(), CLI::ignore_case));
  start->add_option("--area", f->area, "treatment area, e.g. crown")
      ->required();
  start->add_option("--topical", f->topical,
                    "last minoxidil / medicated shampoo (YYYY-MM-DD)");
  start->add_flag("--finasteride", f->finasteride_current,
                  "still taking finasteride");
  start->add_option("--finasteride-stopped", f->finasteride_stopped,
                    "day finasteride was stopped");
  start->add_option("--microneedling", f->microneedling, "last microneedling");
  start->add_option("--hair-surgery", f->surgery, "hair restoration surgery");
  start->add_option("--isotretinoin", f->isotretinoin,
                    "last isotretinoin (Accutane)");
  start->add_flag("--skin-not-healed", f->skin_not_healed,
                  "scalp skin not healed");
  start->add_flag("--hair-fibres", f->fibres, "uses hair fibres");
  start->add_flag("--anxiety", f->anxiety, "extreme anxiety or depression");
  start->add_flag(
      "--blood-thinners", f->thinners,
      "aspirin, ibuprofen, anti-inflammatories or steroids the day before");
  start->add_flag(
      "--supplements", f->supplements,
      "garlic, ginger, ginkgo, fish oil or vitamin E the day before");
  start->add_flag("--alcohol", f->alcohol, "alcohol within 24 hours");
  start->add_flag("--not-exfoliated", f->not_exfoliated,
                  "scalp not exfoliated the night before");
  start->add_option("--override-approval", f->override_approval,
                    "a manager's approval of a BLOCKED screening (OVR-...), "
                    "from `session approve-override`");
  start->add_flag("--none-apply", f->none_apply,
                  "every screening question was asked and none applies "
                  "(required when no other screening flag is given)");
  start->callback([=] {
    v1::StartSessionRequest r;
    r.set_request_id(NewRequestId());
    r.set_client(f->client);
    r.set_practitioner(f->practitioner);
    r.set_location_id(f->location);
    r.set_plan_step(PlanSteps().at(absl::AsciiStrToLower(f->step)));
    r.set_treatment_area(f->area);
    v1::ScreeningAnswers* a = r.mutable_answers();
    std::string error;
    const std::pair<const std::string*, std::pair<const char*, v1::Date*>>
        dates[] = {
            {&f->topical,
             {"--topical", a->mutable_last_topical_hair_loss_treatment()}},
            {&f->finasteride_stopped,
             {"--finasteride-stopped", a->mutable_finasteride_stopped()}},
            {&f->microneedling,
             {"--microneedling", a->mutable_last_microneedling()}},
            {&f->surgery,
             {"--hair-surgery", a->mutable_hair_restoration_surgery()}},
            {&f->isotretinoin,
             {"--isotretinoin", a->mutable_last_isotretinoin()}},
        };
    for (const auto& [text, target] : dates) {
      if (text->empty()) continue;
      if (!ParseDate(*text, target.first, target.second, &error)) {
        std::cerr << "error: " << error << "\n";
        *exit_code = 2;
        return;
      }
    }
    a->set_finasteride_current(f->finasteride_current);
    a->set_skin_not_healed(f->skin_not_healed);
    a->set_uses_hair_fibres(f->fibres);
    a->set_extreme_anxiety_or_depression(f->anxiety);
    a->set_blood_thinners_day_before(f->thinners);
    a->set_supplements_day_before(f->supplements);
    a->set_alcohol_within_24h(f->alcohol);
    a->set_scalp_not_exfoliated(f->not_exfoliated);
    r.set_override_approval_id(f->override_approval);
    a->set_none_apply(f->none_apply);
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Session out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->StartSession(ctx, r, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << out.session_id() << " started · screening "
                << Verdict(out.screening().verdict()) << "\n";
      PrintScreeningDetail(out.screening());
    });
  });

  // approve-override
  auto* approve = session->add_subcommand(
      "approve-override",
      "a manager approves one BLOCKED screening of a client, signed in as "
      "themselves");
  auto ap = std::make_shared<v1::ApproveScreeningOverrideRequest>();
  approve->add_option("--client", *ap->mutable_client(), "client id or code")
      ->required();
  approve->add_option("--reason", *ap->mutable_reason(), "why it may proceed")
      ->required();
  approve->add_option("--manager", *ap->mutable_manager(),
                      "your name: needed only on a server without "
                      "authentication; a secured server records you");
  approve->callback([=] {
    ap->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::ScreeningOverrideApproval out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ApproveScreeningOverride(ctx, *ap, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << out.approval_id() << " · " << out.client_code()
                << " · approved by " << out.manager()
                << (out.manager_signed_in() ? "" : " (not signed in)")
                << " · valid until " << FormatTime(out.expires_at())
                << " for one session\n"
                << "  the practitioner starts it with --override-approval "
                << out.approval_id() << "\n";
    });
  });

  // scan
  auto* scan = session->add_subcommand(
      "scan",
      "scan consumables into a session: one barcode per line on stdin; prefix "
      "a line with ! when the package is damaged");
  auto scan_session = std::make_shared<std::string>();
  scan->add_option("session", *scan_session, "SES-...")->required();
  scan->callback([=] {
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    const ScanLoopOptions loop = StdinScanLoop(conn.options().json);
    const bool at_terminal = loop.person_at_terminal;
    auto send = [&](const std::string& line) {
      v1::ScanConsumableRequest r;
      r.set_request_id(NewRequestId());
      r.set_session_id(*scan_session);
      const bool damaged = line[0] == '!';
      r.set_barcode(damaged ? line.substr(1) : line);
      r.set_package_damaged(damaged);
      const std::string advice = UnknownOutcomeAdvice(
          at_terminal,
          absl::StrCat("scan it again: a repeat into the same session answers "
                       "as the first (or send that barcode alone with "
                       "--request_id ",
                       r.request_id(), ")"));
      return SendScanRequest(
          conn, *stub, &v1::SessionService::Stub::ScanConsumable, std::move(r),
          line, advice, [&conn](const v1::ScanConsumableResponse& out) {
            if (conn.options().json) {
              return;  // SendScan printed it
            }
            if (out.discarded()) {
              std::cout << "✔ package damaged: unit discarded, scan the next "
                           "one"
                        << std::endl;
            } else {
              PrintUse(out.use());
            }
            PrintOtherElements(out.other_elements());
          });
    };
    *exit_code = ScanExitCode(ForEachScan(std::cin, send, loop), loop);
  });

  // void
  auto* void_cmd =
      session->add_subcommand("void", "void a scan (with a reason)");
  auto v = std::make_shared<v1::VoidScanRequest>();
  auto scan_seq = std::make_shared<uint64_t>(0);
  void_cmd->add_option("session", *v->mutable_session_id(), "SES-...")
      ->required();
  void_cmd
      ->add_option("--scan", *scan_seq,
                   "the scan number shown when it was scanned")
      ->required();
  void_cmd->add_option("--reason", *v->mutable_reason(), "why")->required();
  auto package = std::make_shared<std::string>();
  void_cmd
      ->add_option("--package", *package,
                   "not_opened (still sealed: back to stock) | opened (dispose "
                   "of it)")
      ->required()
      ->transform(CLI::IsMember(VoidedPackages(), CLI::ignore_case));
  void_cmd->callback([=] {
    v->set_request_id(NewRequestId());
    v->set_scan_seq(*scan_seq);
    v->set_package(VoidedPackages().at(absl::AsciiStrToLower(*package)));
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Session out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->VoidScan(ctx, *v, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << "scan " << v->scan_seq() << " of " << out.session_id()
                << " voided · "
                << (v->package() == v1::VOIDED_PACKAGE_NOT_OPENED
                        ? "unit back in stock"
                        : "dispose of the unit before closing")
                << "\n";
    });
  });

  // close
  auto* close = session->add_subcommand("close", "close and seal a session");
  auto c = std::make_shared<v1::CloseSessionRequest>();
  close->add_option("session", *c->mutable_session_id(), "SES-...")->required();
  close->add_option("--reason", *c->mutable_undisposed_reason(),
                    "why single-use units are not disposed (an exception)");
  close->callback([=] {
    c->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Session out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->CloseSession(ctx, *c, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << out.session_id() << " closed and sealed at journal seq "
                << out.seal().seq() << " hash "
                << out.seal().hash().substr(0, 16) << "…\n";
      for (const auto& e : out.exceptions()) {
        std::cout << "  exception " << e.kind() << ": " << e.detail() << "\n";
      }
    });
  });

  // abort
  auto* abort =
      session->add_subcommand("abort", "abort a session (with a reason)");
  auto ab = std::make_shared<v1::AbortSessionRequest>();
  abort->add_option("session", *ab->mutable_session_id(), "SES-...")
      ->required();
  abort->add_option("--reason", *ab->mutable_reason(), "why")->required();
  abort->callback([=] {
    ab->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Session out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->AbortSession(ctx, *ab, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << out.session_id() << " aborted: " << out.end_reason() << "\n";
    });
  });

  // show
  auto* show =
      session->add_subcommand("show", "the session's record and verdict");
  auto g = std::make_shared<v1::GetSessionRequest>();
  show->add_option("session", *g->mutable_session_id(), "SES-...")->required();
  show->callback([=] {
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::GetSessionResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetSession(ctx, *g, &out);
    });
    *exit_code = Answer(conn, s, out,
                        [&] { PrintSession(out.session(), out.verdict()); });
  });

  AddInkDisclosureCommand(session, connect, exit_code);
  AddSessionList(session, connect, exit_code);
}

void AddInkDisclosureCommand(CLI::App* session,
                             const std::function<Connection()>& connect,
                             int* exit_code) {
  auto* inks = session->add_subcommand(
      "inks",
      "the label information of the pigments to be used, for the client "
      "(REACH Annex XVII entry 75): print it, write it as a PDF, and record "
      "that the client was given it");
  struct Flags {
    std::string session, pdf, record;
    std::vector<std::string> lots;
  };
  auto f = std::make_shared<Flags>();
  inks->add_option("session", f->session, "SES-...")->required();
  inks->add_option("--lot", f->lots,
                   "a pigment lot to disclose, GTIN/LOT (repeat it); "
                   "default: every pigment lot in stock in the session's "
                   "room");
  inks->add_option("--pdf", f->pdf, "write the disclosure here, to print");
  inks->add_option("--record", f->record,
                   "record that the client was given it: shown (on a "
                   "screen) or printed (the PDF handed over)")
      ->check(CLI::IsMember({"shown", "printed"}, CLI::ignore_case));
  inks->callback([=] {
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::GetInkDisclosureRequest get;
    get.set_session_id(f->session);
    for (const std::string& lot : f->lots) {
      const size_t slash = lot.find('/');
      if (slash == std::string::npos) {
        std::cerr << "error: --lot " << lot << ": write GTIN/LOT\n";
        *exit_code = 2;
        return;
      }
      v1::PigmentLot* ref = get.add_lots();
      ref->set_gtin(lot.substr(0, slash));
      ref->set_lot(lot.substr(slash + 1));
    }
    get.set_include_pdf(!f->pdf.empty());
    v1::InkDisclosure disclosure;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetInkDisclosure(ctx, get, &disclosure);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (!f->pdf.empty() && !WriteDocument(f->pdf, disclosure.pdf(), "PDF")) {
      *exit_code = 1;
      return;
    }
    disclosure.clear_pdf();
    if (f->record.empty()) {
      *exit_code = Answer(conn, s, disclosure, [&] {
        std::cout << disclosure.text() << "sha256 " << disclosure.sha256()
                  << " · disclosure "
                  << (disclosure.required() ? "required" : "not required")
                  << " before a pigment scan\n";
        for (const v1::DisclosedInk& ink : disclosure.also_available()) {
          std::cout << "also in this room: --lot " << ink.gtin() << "/"
                    << ink.lot() << " (" << ink.product_name() << ")\n";
        }
      });
      return;
    }
    v1::RecordInkDisclosureRequest record;
    record.set_request_id(NewRequestId());
    record.set_session_id(disclosure.session_id());
    for (const v1::DisclosedInk& ink : disclosure.inks()) {
      v1::PigmentLot* ref = record.add_lots();
      ref->set_gtin(ink.gtin());
      ref->set_lot(ink.lot());
    }
    record.set_sha256(disclosure.sha256());
    record.set_medium(absl::AsciiStrToLower(f->record) == "shown"
                          ? v1::INK_DISCLOSURE_MEDIUM_SHOWN
                          : v1::INK_DISCLOSURE_MEDIUM_PRINTED);
    v1::InkDisclosureRecord out;
    s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->RecordInkDisclosure(ctx, record, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << disclosure.text() << "recorded: ink disclosure of "
                << out.inks_size() << " pigment lot(s) "
                << ShortEnumName(v1::InkDisclosureMedium_Name(out.medium()),
                                 "INK_DISCLOSURE_MEDIUM_")
                << " by " << out.given_by() << " at "
                << FormatTime(out.given_at()) << " · seq " << out.seq()
                << " · sha256 " << out.sha256() << "\n";
    });
  });
}

void AddSessionList(CLI::App* session,
                    const std::function<Connection()>& connect,
                    int* exit_code) {
  auto* list = session->add_subcommand(
      "list",
      "sessions by start time: a period, a room, a practitioner, "
      "a status (e.g. --status open at the end of the day)");
  auto flags = std::make_shared<ListFlags>();
  auto period = std::make_shared<DayPeriod>();
  auto r = std::make_shared<v1::ListSessionsRequest>();
  auto status = std::make_shared<std::string>();
  AddListOptions(list, *flags);
  period->AddOptions(list);
  list->add_option("--location", *r->mutable_location_id(), "only this room");
  list->add_option("--practitioner", *r->mutable_practitioner(),
                   "only this practitioner");
  list->add_option("--status", *status, "open | closed | aborted")
      ->check(CLI::IsMember({"open", "closed", "aborted"}, CLI::ignore_case));
  list->callback([=] {
    std::string error;
    if (!period->Parse(&error)) {
      std::cerr << "error: " << error << "\n";
      *exit_code = 2;
      return;
    }
    r->set_status(FromShortName<v1::SessionStatus>("SESSION_STATUS_", *status));
    Connection conn = connect();
    if (grpc::Status zone = period->Resolve(conn, r.get()); !zone.ok()) {
      *exit_code = ReportError(zone);
      return;
    }
    auto stub = v1::SessionService::NewStub(conn.channel());
    *exit_code = ListPages<v1::SessionLine>(
        conn, *flags, *stub, &v1::SessionService::Stub::ListSessions, *r,
        [](const v1::ListSessionsResponse& out) -> const auto& {
          return out.sessions();
        },
        [](const std::vector<const v1::SessionLine*>& rows) {
          Table table({"SESSION", "STARTED", "CLIENT", "PRACTITIONER", "ROOM",
                       "STATUS", "VERDICT", "USED", "TO DISPOSE", "EXC"});
          for (const v1::SessionLine* l : rows) {
            table.AddRow({l->session_id(), FormatTime(l->started_at()),
                          l->client_code(), l->practitioner(), l->location_id(),
                          ShortEnumName(v1::SessionStatus_Name(l->status()),
                                        "SESSION_STATUS_"),
                          ShortEnumName(v1::RecordVerdict_Name(l->verdict()),
                                        "RECORD_VERDICT_"),
                          absl::StrCat(l->consumables()),
                          absl::StrCat(l->awaiting_disposal()),
                          absl::StrCat(l->exceptions())});
          }
          table.Print(std::cout);
          std::cout << rows.size() << " session(s)\n";
        });
  });
}

void AddBottleCommands(CLI::App& app,
                       const std::function<Connection()>& connect,
                       int* exit_code) {
  CLI::App* bottle = app.add_subcommand("bottle", "pigment bottles");
  bottle->require_subcommand(1);
  auto* open = bottle->add_subcommand(
      "open", "open a pigment bottle: its period after opening starts now");
  auto r = std::make_shared<v1::OpenPigmentBottleRequest>();
  open->add_option("barcode", *r->mutable_barcode(), "the bottle's barcode")
      ->required();
  open->add_option("--location", *r->mutable_location_id(), "where it is")
      ->required();
  open->callback([=] {
    r->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::SessionService::NewStub(conn.channel());
    v1::Unit out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->OpenPigmentBottle(ctx, *r, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      std::cout << "bottle " << out.serial() << " (lot " << out.lot()
                << ") opened · usable until " << FormatDay(out.usable_until())
                << "\n";
    });
  });
}

void AddDisposalCommands(CLI::App& app,
                         const std::function<Connection()>& connect,
                         int* exit_code) {
  auto* dispose = app.add_subcommand(
      "dispose",
      "dispose used units into a sharps container: one barcode per "
      "line on stdin");
  auto container_id = std::make_shared<std::string>();
  dispose->add_option("--container", *container_id, "SHC-...")->required();
  auto dispose_session = std::make_shared<std::string>();
  dispose->add_option("--session", *dispose_session,
                      "the session being cleaned up (SES-...): a barcode "
                      "without a serial then takes that session's unit");
  dispose->callback([=] {
    Connection conn = connect();
    auto stub = v1::DisposalService::NewStub(conn.channel());
    const ScanLoopOptions loop = StdinScanLoop(conn.options().json);
    const bool at_terminal = loop.person_at_terminal;
    auto send = [&](const std::string& line) {
      v1::DisposeRequest r;
      r.set_request_id(NewRequestId());
      r.set_container_id(*container_id);
      r.set_session_id(*dispose_session);
      r.set_barcode(line);
      const std::string advice = UnknownOutcomeAdvice(
          at_terminal,
          absl::StrCat("dispose that barcode alone with --request_id ",
                       r.request_id(),
                       ": a repeat with the same request id answers as the "
                       "first"));
      return SendScanRequest(
          conn, *stub, &v1::DisposalService::Stub::Dispose, std::move(r), line,
          advice, [&conn](const v1::DisposeResponse& out) {
            if (!conn.options().json) {  // else SendScan printed it
              std::cout << "✔ " << out.unit().gtin() << " serial "
                        << out.unit().serial() << " · lot " << out.unit().lot()
                        << " → " << out.container().container_id() << " ("
                        << out.container().unit_count() << " inside)"
                        << std::endl;
            }
          });
    };
    *exit_code = ScanExitCode(ForEachScan(std::cin, send, loop), loop);
  });

  CLI::App* container = app.add_subcommand("container", "sharps containers");
  container->require_subcommand(1);
  auto print = [](const v1::Container& c) {
    std::cout << c.container_id() << " · " << c.location_id() << " · "
              << ShortEnumName(v1::ContainerStatus_Name(c.status()),
                               "CONTAINER_STATUS_")
              << " · " << c.unit_count() << " units";
    if (!c.label().empty()) std::cout << " · " << c.label();
    if (!c.manifest_number().empty()) {
      std::cout << " · manifest " << c.manifest_number() << " (" << c.hauler()
                << ")";
    }
    std::cout << "\n";
  };

  auto* open =
      container->add_subcommand("open", "start a new sharps container");
  auto o = std::make_shared<v1::OpenContainerRequest>();
  open->add_option("--location", *o->mutable_location_id(), "where it stands")
      ->required();
  open->add_option("--label", *o->mutable_label(), "as written on it");
  open->callback([=] {
    o->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::DisposalService::NewStub(conn.channel());
    v1::Container out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->OpenContainer(ctx, *o, &out);
    });
    *exit_code = Answer(conn, s, out, [&] { print(out); });
  });

  auto* seal = container->add_subcommand("seal", "seal a full container");
  auto sl = std::make_shared<v1::SealContainerRequest>();
  seal->add_option("container", *sl->mutable_container_id(), "SHC-...")
      ->required();
  seal->callback([=] {
    sl->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::DisposalService::NewStub(conn.channel());
    v1::Container out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->SealContainer(ctx, *sl, &out);
    });
    *exit_code = Answer(conn, s, out, [&] { print(out); });
  });

  auto* pickup = container->add_subcommand(
      "pickup", "record the hauler's pick-up of a sealed container");
  auto p = std::make_shared<v1::PickUpContainerRequest>();
  pickup->add_option("container", *p->mutable_container_id(), "SHC-...")
      ->required();
  pickup
      ->add_option("--manifest", *p->mutable_manifest_number(),
                   "the waste-transfer manifest number")
      ->required();
  pickup->add_option("--hauler", *p->mutable_hauler(), "who took it");
  pickup->callback([=] {
    p->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::DisposalService::NewStub(conn.channel());
    v1::Container out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->PickUpContainer(ctx, *p, &out);
    });
    *exit_code = Answer(conn, s, out, [&] { print(out); });
  });

  auto* show =
      container->add_subcommand("show", "a container and what is inside");
  auto g = std::make_shared<v1::GetContainerRequest>();
  show->add_option("container", *g->mutable_container_id(), "SHC-...")
      ->required();
  show->callback([=] {
    Connection conn = connect();
    auto stub = v1::DisposalService::NewStub(conn.channel());
    v1::GetContainerResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetContainer(ctx, *g, &out);
    });
    *exit_code = Answer(conn, s, out, [&] {
      print(out.container());
      Table table({"GTIN", "SERIAL", "LOT", "SESSION", "DISPOSED"});
      for (const auto& u : out.units()) {
        table.AddRow({u.gtin(), u.serial(), u.lot(),
                      u.session_id().empty() ? "-" : u.session_id(),
                      FormatTime(u.disposed_at())});
      }
      table.Print(std::cout);
    });
  });

  auto* list = container->add_subcommand(
      "list", "sharps containers: open, sealed, picked up; by location");
  auto flags = std::make_shared<ListFlags>();
  auto lr = std::make_shared<v1::ListContainersRequest>();
  auto status = std::make_shared<std::string>();
  AddListOptions(list, *flags);
  list->add_option("--location", *lr->mutable_location_id(), "only here");
  list->add_option("--status", *status, "open | sealed | picked_up")
      ->check(CLI::IsMember({"open", "sealed", "picked_up"}, CLI::ignore_case));
  list->callback([=] {
    lr->set_status(
        FromShortName<v1::ContainerStatus>("CONTAINER_STATUS_", *status));
    Connection conn = connect();
    auto stub = v1::DisposalService::NewStub(conn.channel());
    *exit_code = ListPages<v1::Container>(
        conn, *flags, *stub, &v1::DisposalService::Stub::ListContainers, *lr,
        [](const v1::ListContainersResponse& out) -> const auto& {
          return out.containers();
        },
        [&](const std::vector<const v1::Container*>& rows) {
          for (const v1::Container* c : rows) print(*c);
          std::cout << rows.size() << " container(s)\n";
        });
  });
}

}  // namespace

std::string ContactText(const v1::ClientContact& k) {
  std::vector<std::string> parts;
  for (const std::string& part :
       {k.name(), k.phone(), k.email(), k.postal_address()}) {
    if (!part.empty()) parts.push_back(part);
  }
  return absl::StrJoin(parts, " · ");
}

void AddSessionCommands(CLI::App& app,
                        const std::function<Connection()>& connect,
                        int* exit_code) {
  AddClientCommands(app, connect, exit_code);
  AddSessionSubcommands(app, connect, exit_code);
  AddBottleCommands(app, connect, exit_code);
  AddDisposalCommands(app, connect, exit_code);
}

}  // namespace smptrace::client
