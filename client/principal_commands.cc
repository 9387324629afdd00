#include "client/principal_commands.h"

#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/output.h"
#include "common/files.h"
#include "smptrace/v1/admin.grpc.pb.h"

namespace smptrace::client {
namespace {

const std::map<std::string, v1::Role>& Roles() {
  static const auto* roles = new std::map<std::string, v1::Role>{
      {"practitioner", v1::ROLE_PRACTITIONER},
      {"manager", v1::ROLE_MANAGER},
      {"auditor", v1::ROLE_AUDITOR},
      {"admin", v1::ROLE_ADMIN}};
  return *roles;
}

std::string RoleName(v1::Role role) {
  return absl::AsciiStrToUpper(ShortEnumName(v1::Role_Name(role), "ROLE_"));
}

// One AdminService call through `conn`. On an error, reports it, sets
// *exit_code and returns false.
template <typename Request, typename Response>
bool CallAdmin(const Connection& conn,
               grpc::Status (v1::AdminService::Stub::*method)(
                   grpc::ClientContext*, const Request&, Response*),
               const Request& request, Response* response, int* exit_code) {
  auto stub = v1::AdminService::NewStub(conn.channel());
  grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
    return (stub.get()->*method)(ctx, request, response);
  });
  if (!s.ok()) *exit_code = ReportError(s);
  return s.ok();
}

// Shows a new token once: into `out_file` (mode 0600) or on stdout. Returns
// the exit code.
int HandOver(const std::string& token, const std::string& token_id,
             const std::string& out_file) {
  if (out_file.empty()) {
    std::cout << "token " << token_id
              << " (shown once; keep it like a password):\n"
              << token << "\n";
    return 0;
  }
  absl::Status s = WritePrivateFile("--token_out", out_file, token + "\n");
  if (!s.ok()) {
    std::cerr << "error: " << s.message() << "\n  the token " << token_id
              << " was issued but not saved: revoke it (smptrace principal "
                 "revoke "
              << token_id << " --reason 'not saved') and issue another\n";
    return 1;
  }
  std::cout << "token " << token_id << " written to " << out_file
            << " (mode 0600)\n";
  return 0;
}

void PrintPrincipals(const v1::ListPrincipalsResponse& list) {
  Table principals({"NAME", "ROLE", "STATUS", "CERTIFICATE CN", "LIVE TOKENS",
                    "CREATED", "BY"});
  Table tokens(
      {"TOKEN", "PRINCIPAL", "NOTE", "ISSUED", "BY", "REVOKED", "REASON"});
  for (const auto& p : list.principals()) {
    int live = 0;
    for (const auto& t : p.tokens()) {
      live += t.revoked() ? 0 : 1;
      tokens.AddRow({t.token_id(), t.principal(), t.note(),
                     FormatTime(t.issued_at()), t.issued_by(),
                     t.revoked() ? FormatTime(t.revoked_at()) : "-",
                     t.revoke_reason()});
    }
    principals.AddRow(
        {p.name(), RoleName(p.role()),
         p.disabled() ? "disabled (" + p.disabled_reason() + ")" : "enabled",
         p.certificate_cn().empty() ? "-" : p.certificate_cn(),
         std::to_string(live), FormatTime(p.created_at()), p.created_by()});
  }
  principals.Print(std::cout);
  std::cout << "\n";
  tokens.Print(std::cout);
}

}  // namespace

void AddPrincipalCommands(CLI::App& app,
                          const std::function<Connection()>& connect,
                          int* exit_code) {
  CLI::App* principal = app.add_subcommand(
      "principal", "who may use smptrace: principals, roles, tokens (admin)");
  principal->require_subcommand(1);

  // create
  struct Create {
    std::string name, role, display_name, cert_cn, note, token_out;
    bool no_token = false;
  };
  auto create = std::make_shared<Create>();
  CLI::App* create_cmd = principal->add_subcommand(
      "create", "a new principal with a role, and its first token");
  create_cmd
      ->add_option("name", create->name,
                   "lower-case letters, digits, . _ -: anna, "
                   "front-desk-tablet")
      ->required();
  create_cmd
      ->add_option("--role", create->role,
                   "practitioner, manager, auditor or admin")
      ->required()
      ->check(CLI::IsMember({"practitioner", "manager", "auditor", "admin"},
                            CLI::ignore_case));
  create_cmd->add_option("--display_name", create->display_name,
                         "for people: 'Anna Kowalska'");
  create_cmd->add_option("--cert_cn", create->cert_cn,
                         "the CN of a client certificate that authenticates "
                         "as this principal (mTLS)");
  create_cmd->add_flag("--no_token", create->no_token,
                       "issue no token (certificate only; needs --cert_cn)");
  create_cmd->add_option("--note", create->note,
                         "what the token is for: 'Anna's phone'");
  create_cmd->add_option("--token_out", create->token_out,
                         "write the token to this new file (mode 0600) "
                         "instead of printing it");
  create_cmd->callback([=] {
    // Retried like every command: a repeat of a token request gets the
    // same token from the server (within its retry window).
    Connection conn = connect();
    v1::CreatePrincipalRequest r;
    r.set_request_id(NewRequestId());
    r.set_name(create->name);
    r.set_role(Roles().at(absl::AsciiStrToLower(create->role)));
    r.set_display_name(create->display_name);
    r.set_certificate_cn(create->cert_cn);
    r.set_no_token(create->no_token);
    r.set_token_note(create->note);
    v1::CreatePrincipalResponse out;
    if (!CallAdmin(conn, &v1::AdminService::Stub::CreatePrincipal, r, &out,
                   exit_code)) {
      return;
    }
    std::cout << "created principal " << out.principal().name() << " ("
              << RoleName(out.principal().role()) << ")"
              << (out.principal().certificate_cn().empty()
                      ? ""
                      : " · client certificate CN=" +
                            out.principal().certificate_cn())
              << "\n";
    *exit_code =
        out.token().empty()
            ? 0
            : HandOver(out.token(), out.principal().tokens(0).token_id(),
                       create->token_out);
  });

  // list
  principal->add_subcommand("list", "every principal and its tokens")
      ->callback([=] {
        Connection conn = connect();
        v1::ListPrincipalsResponse out;
        if (!CallAdmin(conn, &v1::AdminService::Stub::ListPrincipals,
                       v1::ListPrincipalsRequest(), &out, exit_code)) {
          return;
        }
        if (conn.options().json) {
          std::cout << ToJson(out) << "\n";
        } else {
          PrintPrincipals(out);
        }
        *exit_code = 0;
      });

  // token
  struct Issue {
    std::string name, note, token_out;
    bool rotate = false;
  };
  auto issue = std::make_shared<Issue>();
  CLI::App* token_cmd = principal->add_subcommand(
      "token", "another token for a principal; --rotate revokes the others");
  token_cmd->add_option("name", issue->name, "the principal")->required();
  token_cmd->add_option("--note", issue->note, "what the token is for");
  token_cmd->add_flag("--rotate", issue->rotate,
                      "revoke every other live token of the principal in the "
                      "same step");
  token_cmd->add_option("--token_out", issue->token_out,
                        "write the token to this new file (mode 0600)");
  token_cmd->callback([=] {
    Connection conn = connect();
    v1::IssueTokenRequest r;
    r.set_request_id(NewRequestId());
    r.set_principal(issue->name);
    r.set_note(issue->note);
    r.set_revoke_others(issue->rotate);
    v1::IssueTokenResponse out;
    if (!CallAdmin(conn, &v1::AdminService::Stub::IssueToken, r, &out,
                   exit_code)) {
      return;
    }
    for (const auto& id : out.revoked_token_ids()) {
      std::cout << "revoked " << id << "\n";
    }
    *exit_code = HandOver(out.token(), out.info().token_id(), issue->token_out);
  });

  // revoke
  CLI::App* revoke_cmd =
      principal->add_subcommand("revoke", "revoke one token, at once");
  auto revoke_id = std::make_shared<std::string>();
  auto revoke_reason = std::make_shared<std::string>();
  revoke_cmd->add_option("token_id", *revoke_id, "TOK-000002")->required();
  revoke_cmd->add_option("--reason", *revoke_reason, "why: 'phone lost'")
      ->required();
  revoke_cmd->callback([=] {
    Connection conn = connect();
    v1::RevokeTokenRequest r;
    r.set_request_id(NewRequestId());
    r.set_token_id(*revoke_id);
    r.set_reason(*revoke_reason);
    v1::TokenInfo out;
    if (!CallAdmin(conn, &v1::AdminService::Stub::RevokeToken, r, &out,
                   exit_code)) {
      return;
    }
    std::cout << "revoked " << out.token_id() << " of " << out.principal()
              << " (" << out.revoke_reason() << ")\n";
    *exit_code = 0;
  });

  // disable
  auto disable_name = std::make_shared<std::string>();
  auto disable_reason = std::make_shared<std::string>();
  CLI::App* disable_cmd = principal->add_subcommand(
      "disable", "a principal can no longer authenticate (final)");
  disable_cmd->add_option("name", *disable_name, "the principal")->required();
  disable_cmd->add_option("--reason", *disable_reason, "why")->required();
  disable_cmd->callback([=] {
    Connection conn = connect();
    v1::DisablePrincipalRequest r;
    r.set_request_id(NewRequestId());
    r.set_name(*disable_name);
    r.set_reason(*disable_reason);
    v1::Principal out;
    if (!CallAdmin(conn, &v1::AdminService::Stub::DisablePrincipal, r, &out,
                   exit_code)) {
      return;
    }
    std::cout << "disabled " << out.name() << " (" << out.disabled_reason()
              << ")";
    if (out.tokens_size() > 0) {
      std::cout << "; revoked";
      for (const auto& t : out.tokens()) std::cout << " " << t.token_id();
    }
    std::cout << "\n";
    *exit_code = 0;
  });

  // refusals
  principal
      ->add_subcommand("refusals",
                       "calls refused since the server started: counts by "
                       "reason and the most recent")
      ->callback([=] {
        Connection conn = connect();
        v1::AuthStats out;
        if (!CallAdmin(conn, &v1::AdminService::Stub::GetAuthStats,
                       v1::GetAuthStatsRequest(), &out, exit_code)) {
          return;
        }
        if (conn.options().json) {
          std::cout << ToJson(out) << "\n";
          *exit_code = 0;
          return;
        }
        std::cout << "since " << FormatTime(out.since()) << ": "
                  << out.unauthenticated() << " unauthenticated, "
                  << out.permission_denied() << " denied\n";
        std::map<std::string, int64_t> sorted(out.by_reason().begin(),
                                              out.by_reason().end());
        for (const auto& [reason, n] : sorted) {
          std::cout << "  " << n << " × " << reason << "\n";
        }
        if (out.web_sign_ins() > 0 || out.web_sign_outs() > 0) {
          std::cout << "web application: " << out.web_sign_ins()
                    << " sign-ins, " << out.web_sign_outs() << " sign-outs\n";
        }
        if (out.recent_size() > 0) {
          std::cout << "\n";
          Table recent({"TIME", "CODE", "REASON", "WHO", "METHOD"});
          for (const auto& r : out.recent()) {
            recent.AddRow({FormatTime(r.time()), r.code(), r.reason(),
                           r.who().empty() ? "-" : r.who(), r.method()});
          }
          recent.Print(std::cout);
        }
        *exit_code = 0;
      });
}

}  // namespace smptrace::client
