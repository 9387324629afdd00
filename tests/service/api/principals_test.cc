// Principals and tokens through AdminService, and the Authenticator that
// decides every call from them: a token is shown once and stored only as a
// hash; tampered, unknown, revoked and disabled credentials do not
// authenticate; roles are enforced from the one table; client certificates
// map to principals. The wire (TLS, the gRPC hook) is tested end to end in
// security_e2e_test.
#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/api/auth.h"
#include "service/api/issued_tokens.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace {
namespace {

using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::IsRefusal;
using ::smptrace::testing::StatusIs;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

constexpr char kReceive[] = "/smptrace.v1.InventoryService/Receive";
constexpr char kStartSession[] = "/smptrace.v1.SessionService/StartSession";

class PrincipalsTest : public testing::ClinicServerTest {
 protected:
  void SetUp() override {
    ClinicServerTest::SetUp();
    authenticator_ =
        std::make_unique<api::Authenticator>(&server_->store().live());
  }

  v1::CreatePrincipalRequest Request(const std::string& name, v1::Role role,
                                     const std::string& cn = "") {
    v1::CreatePrincipalRequest r;
    r.set_request_id(NextId());
    r.set_name(name);
    r.set_role(role);
    r.set_certificate_cn(cn);
    return r;
  }

  grpc::Status CreateWith(const v1::CreatePrincipalRequest& r,
                          v1::CreatePrincipalResponse* out) {
    grpc::ClientContext ctx;
    return admin_->CreatePrincipal(&ctx, r, out);
  }

  v1::CreatePrincipalResponse Create(const std::string& name, v1::Role role,
                                     const std::string& cn = "") {
    v1::CreatePrincipalResponse out;
    grpc::Status s = CreateWith(Request(name, role, cn), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Revoke(const std::string& token_id, const std::string& reason,
                      v1::TokenInfo* out = nullptr) {
    v1::RevokeTokenRequest r;
    r.set_request_id(NextId());
    r.set_token_id(token_id);
    r.set_reason(reason);
    v1::TokenInfo info;
    grpc::ClientContext ctx;
    return admin_->RevokeToken(&ctx, r, out != nullptr ? out : &info);
  }

  grpc::Status Disable(const std::string& name, v1::Principal* out = nullptr) {
    v1::DisablePrincipalRequest r;
    r.set_request_id(NextId());
    r.set_name(name);
    r.set_reason("left the clinic");
    v1::Principal p;
    grpc::ClientContext ctx;
    return admin_->DisablePrincipal(&ctx, r, out != nullptr ? out : &p);
  }

  api::AuthOutcome WithToken(const std::string& method,
                             const std::string& token) {
    const std::string header = "Bearer " + token;
    api::Credentials c;
    c.method = method;
    c.authorization = header;
    return authenticator_->Check(c);
  }

  api::AuthOutcome WithCertificate(const std::string& method,
                                   const std::string& cn) {
    api::Credentials c;
    c.method = method;
    c.certificate_cn = cn;
    return authenticator_->Check(c);
  }

  std::unique_ptr<api::Authenticator> authenticator_;
};

TEST_F(PrincipalsTest, ATokenIsShownOnceAndOnlyItsHashIsStored) {
  v1::CreatePrincipalResponse anna = Create("anna", v1::ROLE_PRACTITIONER);
  EXPECT_THAT(anna.token(), MatchesRegex("TOK-000001\\.[A-Za-z0-9_-]{43}"));
  ASSERT_EQ(anna.principal().tokens_size(), 1);
  EXPECT_EQ(anna.principal().tokens(0).token_id(), "TOK-000001");
  EXPECT_EQ(anna.principal().tokens(0).issued_by(), "insecure-dev");

  // The secret is nowhere in the store: not in state, indexes, the
  // idempotency record or the journal.
  const std::string secret = anna.token().substr(anna.token().find('.') + 1);
  for (int cf = 0; cf < storage::kNumCfs; ++cf) {
    ASSERT_TRUE(server_->store()
                    .live()
                    .Scan(static_cast<storage::Cf>(cf), "", "",
                          [&](std::string_view key, std::string_view value) {
                            EXPECT_EQ(key.find(secret), std::string::npos);
                            EXPECT_EQ(value.find(secret), std::string::npos)
                                << storage::CfName(
                                       static_cast<storage::Cf>(cf));
                            return true;
                          })
                    .ok());
  }

  v1::ListPrincipalsResponse list;
  grpc::ClientContext ctx;
  ASSERT_TRUE(admin_->ListPrincipals(&ctx, {}, &list).ok());
  ASSERT_EQ(list.principals_size(), 1);
  EXPECT_EQ(list.principals(0).name(), "anna");
  EXPECT_EQ(list.principals(0).role(), v1::ROLE_PRACTITIONER);
  EXPECT_EQ(list.principals(0).tokens(0).token_id(), "TOK-000001");

  api::AuthOutcome ok = WithToken(kStartSession, anna.token());
  ASSERT_TRUE(ok.status.ok()) << ok.status;
  EXPECT_EQ(ok.principal, "anna");
  EXPECT_EQ(ok.role, api::Role::kPractitioner);
}

// Issue 12 item 6: a lost response must not leave a token nobody saw.
TEST_F(PrincipalsTest, ARetryOfATokenRequestGetsTheSameToken) {
  const v1::CreatePrincipalRequest create =
      Request("anna", v1::ROLE_PRACTITIONER);
  v1::CreatePrincipalResponse first, retry;
  ASSERT_TRUE(CreateWith(create, &first).ok());
  const uint64_t length = server_->journal_head().seq;
  grpc::Status s = CreateWith(create, &retry);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retry.token(), first.token());
  EXPECT_EQ(retry.principal().tokens_size(), 1);
  EXPECT_EQ(server_->journal_head().seq, length);
  EXPECT_TRUE(WithToken(kStartSession, retry.token()).status.ok());

  v1::IssueTokenRequest issue;
  issue.set_request_id(NextId());
  issue.set_principal("anna");
  issue.set_note("tablet");
  v1::IssueTokenResponse tablet, tablet_retry;
  grpc::ClientContext c1, c2;
  ASSERT_TRUE(admin_->IssueToken(&c1, issue, &tablet).ok());
  s = admin_->IssueToken(&c2, issue, &tablet_retry);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(tablet_retry.token(), tablet.token());
  EXPECT_EQ(tablet_retry.info().token_id(), "TOK-000002");
  EXPECT_TRUE(WithToken(kStartSession, tablet.token()).status.ok());

  // The same id for a different request is still refused.
  v1::CreatePrincipalRequest other = create;
  other.set_name("maria");
  v1::CreatePrincipalResponse none;
  EXPECT_THAT(CreateWith(other, &none),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("already used for a different request")));
}

TEST_F(PrincipalsTest, ARetryAfterTheSecretIsGoneNamesTheTokenToRevoke) {
  const v1::CreatePrincipalRequest create =
      Request("anna", v1::ROLE_PRACTITIONER);
  v1::CreatePrincipalResponse first, late;
  ASSERT_TRUE(CreateWith(create, &first).ok());

  // The secret is kept in memory only: a restart forgets it.
  RestartServer();
  ASSERT_FALSE(HasFatalFailure());
  authenticator_ =
      std::make_unique<api::Authenticator>(&server_->store().live());
  const uint64_t length = server_->journal_head().seq;
  EXPECT_THAT(CreateWith(create, &late),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           HasSubstr("revoke TOK-000001 and issue a new")));
  EXPECT_TRUE(late.token().empty());
  EXPECT_EQ(server_->journal_head().seq, length);
  // The first answer's token still works.
  EXPECT_TRUE(WithToken(kStartSession, first.token()).status.ok());

  // The same answer for a retry after the retry window.
  v1::IssueTokenRequest issue;
  issue.set_request_id(NextId());
  issue.set_principal("anna");
  v1::IssueTokenResponse tablet, stale;
  grpc::ClientContext c1, c2;
  ASSERT_TRUE(admin_->IssueToken(&c1, issue, &tablet).ok());
  clock_.Advance(api::IssuedTokens::kRetryWindow);
  EXPECT_THAT(admin_->IssueToken(&c2, issue, &stale),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           HasSubstr("revoke TOK-000002")));
}

TEST_F(PrincipalsTest, TamperedUnknownAndMalformedTokensDoNotAuthenticate) {
  const std::string token = Create("anna", v1::ROLE_PRACTITIONER).token();
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  std::string other_id = token;
  other_id.replace(0, 10, "TOK-000002");
  for (const std::string& bad :
       {flipped, other_id, token.substr(0, token.size() - 1), token + "x",
        std::string("TOK-000001"), std::string("TOK-000001."),
        std::string("not-a-token")}) {
    api::AuthOutcome out = WithToken(kStartSession, bad);
    EXPECT_THAT(out.status, StatusIs(absl::StatusCode::kUnauthenticated,
                                     "token not recognised"))
        << bad;
    EXPECT_FALSE(out.principal.has_value());
  }
  api::Credentials basic;
  basic.method = kStartSession;
  basic.authorization = "Basic YW5uYTpzZWNyZXQ=";
  EXPECT_THAT(authenticator_->Check(basic).status,
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("not 'Bearer TOKEN'")));
  // The scheme is case-insensitive (RFC 7235).
  api::Credentials lower;
  lower.method = kStartSession;
  const std::string header = "bearer " + token;
  lower.authorization = header;
  EXPECT_TRUE(authenticator_->Check(lower).status.ok());
}

TEST_F(PrincipalsTest, NoCredentialsOnlyForHealth) {
  api::Credentials none;
  none.method = kStartSession;
  api::AuthOutcome out = authenticator_->Check(none);
  EXPECT_THAT(out.status, StatusIs(absl::StatusCode::kUnauthenticated,
                                   HasSubstr("no credentials")));
  EXPECT_EQ(out.reason, "no credentials");
  none.method = "/grpc.health.v1.Health/Check";
  out = authenticator_->Check(none);
  EXPECT_TRUE(out.status.ok());
  EXPECT_FALSE(out.principal.has_value());
}

TEST_F(PrincipalsTest, TheRoleTableDecidesWhatAPrincipalMayCall) {
  const std::string anna = Create("anna", v1::ROLE_PRACTITIONER).token();
  const std::string maria = Create("maria", v1::ROLE_MANAGER).token();
  api::AuthOutcome denied = WithToken(kReceive, anna);
  EXPECT_THAT(denied.status, StatusIs(absl::StatusCode::kPermissionDenied,
                                      "'anna' is PRACTITIONER and may not call "
                                      "InventoryService/Receive"));
  EXPECT_EQ(denied.who, "anna (TOK-000001)");
  EXPECT_TRUE(WithToken(kReceive, maria).status.ok());
  EXPECT_THAT(WithToken(kStartSession, maria).status,
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  // Reflection: any authenticated principal.
  EXPECT_TRUE(WithToken("/grpc.reflection.v1alpha.ServerReflection/"
                        "ServerReflectionInfo",
                        anna)
                  .status.ok());
}

TEST_F(PrincipalsTest, ARevokedTokenStopsAtOnceAndSaysWhy) {
  v1::CreatePrincipalResponse anna = Create("anna", v1::ROLE_PRACTITIONER);
  ASSERT_TRUE(WithToken(kStartSession, anna.token()).status.ok());
  v1::TokenInfo info;
  ASSERT_TRUE(Revoke("TOK-000001", "phone lost", &info).ok());
  EXPECT_TRUE(info.revoked());
  EXPECT_EQ(info.revoke_reason(), "phone lost");
  api::AuthOutcome out = WithToken(kStartSession, anna.token());
  EXPECT_THAT(out.status,
              StatusIs(absl::StatusCode::kUnauthenticated,
                       "token TOK-000001 was revoked (phone lost); ask an "
                       "admin for a new one"));
  EXPECT_EQ(out.reason, "token revoked");
  EXPECT_THAT(Revoke("TOK-000001", "again"),
              IsRefusal("token_already_revoked", HasSubstr("phone lost")));
  EXPECT_THAT(Revoke("TOK-000009", "x"),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           "token_id: token TOK-000009 does not exist"));
  EXPECT_THAT(Revoke("TOK-000001", ""),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("reason: required")));
}

TEST_F(PrincipalsTest, RotationIssuesANewTokenAndRevokesTheOthers) {
  const std::string old_token = Create("anna", v1::ROLE_PRACTITIONER).token();
  v1::IssueTokenRequest second;
  second.set_request_id(NextId());
  second.set_principal("anna");
  second.set_note("tablet");
  v1::IssueTokenResponse tablet;
  grpc::ClientContext c1;
  ASSERT_TRUE(admin_->IssueToken(&c1, second, &tablet).ok());
  EXPECT_EQ(tablet.info().token_id(), "TOK-000002");
  EXPECT_TRUE(WithToken(kStartSession, old_token).status.ok());
  EXPECT_TRUE(WithToken(kStartSession, tablet.token()).status.ok());

  v1::IssueTokenRequest rotate;
  rotate.set_request_id(NextId());
  rotate.set_principal("anna");
  rotate.set_revoke_others(true);
  v1::IssueTokenResponse rotated;
  grpc::ClientContext c2;
  ASSERT_TRUE(admin_->IssueToken(&c2, rotate, &rotated).ok());
  EXPECT_EQ(rotated.info().token_id(), "TOK-000003");
  EXPECT_THAT(rotated.revoked_token_ids(),
              ::testing::ElementsAre("TOK-000001", "TOK-000002"));
  EXPECT_THAT(WithToken(kStartSession, old_token).status,
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("rotated: replaced by TOK-000003")));
  EXPECT_FALSE(WithToken(kStartSession, tablet.token()).status.ok());
  EXPECT_TRUE(WithToken(kStartSession, rotated.token()).status.ok());

  v1::IssueTokenRequest nobody = rotate;
  nobody.set_request_id(NextId());
  nobody.set_principal("nobody");
  v1::IssueTokenResponse none;
  grpc::ClientContext c3;
  EXPECT_THAT(admin_->IssueToken(&c3, nobody, &none),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           "principal: principal 'nobody' does not exist"));
}

TEST_F(PrincipalsTest, DisablingRevokesEverythingButNeverTheLastAdmin) {
  const std::string root = Create("root", v1::ROLE_ADMIN).token();
  EXPECT_THAT(Disable("root"),
              IsRefusal("last_admin", HasSubstr("'root' is the only enabled "
                                                "admin")));
  const std::string anna =
      Create("anna", v1::ROLE_PRACTITIONER, "anna-tablet").token();
  EXPECT_TRUE(WithCertificate(kStartSession, "anna-tablet").status.ok());
  v1::Principal disabled;
  ASSERT_TRUE(Disable("anna", &disabled).ok());
  EXPECT_TRUE(disabled.disabled());
  ASSERT_EQ(disabled.tokens_size(), 1);
  EXPECT_TRUE(disabled.tokens(0).revoked());
  EXPECT_THAT(disabled.tokens(0).revoke_reason(),
              HasSubstr("principal disabled"));
  EXPECT_FALSE(WithToken(kStartSession, anna).status.ok());
  EXPECT_THAT(WithCertificate(kStartSession, "anna-tablet").status,
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("not mapped to a principal")));
  EXPECT_THAT(Disable("anna"), IsRefusal("principal_already_disabled", _));

  // The name is not reused.
  v1::CreatePrincipalResponse out;
  EXPECT_THAT(CreateWith(Request("anna", v1::ROLE_PRACTITIONER), &out),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS,
                           HasSubstr("disabled; names are not reused")));
}

TEST_F(PrincipalsTest, ClientCertificatesMapToPrincipals) {
  const std::string maria =
      Create("maria", v1::ROLE_MANAGER, "maria-laptop").token();
  const std::string anna = Create("anna", v1::ROLE_PRACTITIONER).token();
  api::AuthOutcome by_cert = WithCertificate(kReceive, "maria-laptop");
  ASSERT_TRUE(by_cert.status.ok()) << by_cert.status;
  EXPECT_EQ(by_cert.principal, "maria");
  EXPECT_EQ(by_cert.who, "maria (CN=maria-laptop)");
  EXPECT_THAT(WithCertificate(kReceive, "someone-else").status,
              StatusIs(absl::StatusCode::kUnauthenticated,
                       "client certificate CN=someone-else is not mapped to a "
                       "principal"));
  // A token and a certificate that name different principals: refused.
  api::Credentials both;
  both.method = kStartSession;
  const std::string header = "Bearer " + anna;
  both.authorization = header;
  both.certificate_cn = "maria-laptop";
  EXPECT_THAT(authenticator_->Check(both).status,
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("the token is anna's but the client "
                                 "certificate (CN=maria-laptop) is maria's")));
  // One CN, one principal.
  v1::CreatePrincipalResponse out;
  EXPECT_THAT(
      CreateWith(Request("max", v1::ROLE_MANAGER, "maria-laptop"), &out),
      GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS,
                   HasSubstr("already authenticates as 'maria'")));
}

TEST_F(PrincipalsTest, BadRequestsNameTheFieldAndWriteNothing) {
  const uint64_t before = server_->journal_head().seq;
  struct Case {
    std::string name;
    v1::Role role;
    bool no_token;
    std::string want;
  };
  for (const Case& c : {
           Case{"", v1::ROLE_MANAGER, false, "name: required"},
           Case{"Anna", v1::ROLE_MANAGER, false, "name: 'Anna': lower-case"},
           Case{"-anna", v1::ROLE_MANAGER, false, "name: '-anna'"},
           Case{std::string(65, 'a'), v1::ROLE_MANAGER, false,
                "name: at most 64 characters"},
           Case{"anna", v1::ROLE_UNSPECIFIED, false,
                "role: PRACTITIONER, MANAGER, AUDITOR or ADMIN"},
           Case{"anna", v1::ROLE_MANAGER, true,
                "no_token: a principal without a token needs a "
                "certificate_cn"},
       }) {
    v1::CreatePrincipalRequest r;
    r.set_request_id(NextId());
    r.set_name(c.name);
    r.set_role(c.role);
    r.set_no_token(c.no_token);
    v1::CreatePrincipalResponse out;
    grpc::ClientContext ctx;
    EXPECT_THAT(
        admin_->CreatePrincipal(&ctx, r, &out),
        GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr(c.want)))
        << c.name;
    EXPECT_THAT(out.token(), IsEmpty());
  }
  EXPECT_EQ(server_->journal_head().seq, before);
}

TEST_F(PrincipalsTest, ASessionIsPerformedByTheSignedInPractitioner) {
  v1::CreatePrincipalRequest sam = Request("sam", v1::ROLE_PRACTITIONER);
  sam.set_display_name("Sam Rivers");
  v1::CreatePrincipalResponse created;
  ASSERT_TRUE(CreateWith(sam, &created).ok());
  v1::CreateClientRequest client;
  client.set_request_id(NextId());
  client.set_code("HX-1");
  client.mutable_contact()->set_name("A. Client");
  client.mutable_contact()->set_phone("1");
  v1::Client out;
  grpc::ClientContext c2;
  ASSERT_TRUE(sessions_->CreateClient(&c2, client, &out).ok());

  // The ledger, as the authenticated API hands it a command from sam.
  // `edit` fills in what differs from a plain first session for HX-1.
  auto submit = [&](const std::function<void(v1::StartSessionRequest*)>& edit) {
    v1::Command command;
    command.set_request_id(NextId());
    command.set_actor("sam");
    v1::StartSessionRequest* r = command.mutable_start_session();
    r->set_request_id(command.request_id());
    r->set_client("HX-1");
    r->set_location_id(room_);
    r->set_plan_step(v1::PLAN_STEP_FIRST);
    r->set_treatment_area("crown");
    edit(r);
    return server_->ledger().Submit(command);
  };
  auto start = [&](const std::string& practitioner) {
    return submit(
        [&](v1::StartSessionRequest* r) { r->set_practitioner(practitioner); });
  };
  auto session = start("");
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(session->session().practitioner(), "Sam Rivers");
  EXPECT_THAT(start("Someone Else").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("practitioner: the session is recorded as "
                                 "performed by the signed-in practitioner, Sam "
                                 "Rivers (sam), not 'Someone Else'")));

  // A blocked screening proceeds only on a manager's own approval: the
  // approval is recorded under the signed-in manager, whatever name the
  // request gives, and the session records that principal.
  Create("maria", v1::ROLE_MANAGER);
  auto approve = [&](const std::string& actor, const std::string& manager) {
    v1::Command command;
    command.set_request_id(NextId());
    command.set_actor(actor);
    v1::ApproveScreeningOverrideRequest* r =
        command.mutable_approve_screening_override();
    r->set_request_id(command.request_id());
    r->set_client("HX-1");
    r->set_reason("prescriber letter on file");
    r->set_manager(manager);
    return server_->ledger().Submit(command);
  };
  EXPECT_THAT(approve("maria", "Morgan Manager").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("manager: the approval is recorded as given "
                                 "by the signed-in manager, maria (maria), not "
                                 "'Morgan Manager'")));
  auto approval = approve("maria", "");
  ASSERT_TRUE(approval.ok()) << approval.status();
  EXPECT_EQ(approval->screening_override_approval().manager(), "maria");
  EXPECT_TRUE(approval->screening_override_approval().manager_signed_in());
  auto blocked = [&](const std::string& approval_id) {
    return submit([&](v1::StartSessionRequest* r) {
      r->mutable_answers()->set_finasteride_current(true);
      r->set_override_approval_id(approval_id);
    });
  };
  EXPECT_THAT(blocked("").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("screening BLOCKED")));
  auto overridden =
      blocked(approval->screening_override_approval().approval_id());
  ASSERT_TRUE(overridden.ok()) << overridden.status();
  EXPECT_EQ(overridden->session().screening().override().manager(), "maria");
  EXPECT_TRUE(overridden->session().screening().override().manager_signed_in());
  EXPECT_THAT(overridden->session().exceptions(0).detail(),
              HasSubstr("approved by manager maria (signed in, approval "
                        "OVR-000001): prescriber letter on file"));
  // The role table keeps the approval a manager's own.
  const std::string sam_token = created.token();
  EXPECT_THAT(WithToken("/smptrace.v1.SessionService/"
                        "ApproveScreeningOverride",
                        sam_token)
                  .status,
              StatusIs(absl::StatusCode::kPermissionDenied, _));

  // Without authentication, the name must be given.
  v1::StartSessionRequest anonymous;
  anonymous.set_request_id(NextId());
  anonymous.set_client("HX-1");
  anonymous.set_location_id(room_);
  anonymous.set_plan_step(v1::PLAN_STEP_FIRST);
  anonymous.set_treatment_area("crown");
  anonymous.mutable_answers()->set_none_apply(true);
  v1::Session none;
  grpc::ClientContext c3;
  EXPECT_THAT(sessions_->StartSession(&c3, anonymous, &none),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           "practitioner: required (who performs the "
                           "procedure)"));
}

TEST_F(PrincipalsTest, PrincipalsReplayFromTheJournal) {
  Create("root", v1::ROLE_ADMIN);
  Create("anna", v1::ROLE_PRACTITIONER, "anna-tablet");
  Create("maria", v1::ROLE_MANAGER, "maria-laptop");
  ASSERT_TRUE(Revoke("TOK-000002", "lost").ok());
  ASSERT_TRUE(Disable("maria").ok());
  v1::RebuildCheckRequest r;
  v1::RebuildCheckResponse out;
  grpc::ClientContext ctx;
  ASSERT_TRUE(admin_->RebuildCheck(&ctx, r, &out).ok());
  EXPECT_TRUE(out.ok()) << out.DebugString();
}

}  // namespace
}  // namespace smptrace
