// The HTTP door (service/api/http_gateway.h) on its own: a real server with
// real TLS (deploy/make-dev-certs.sh) on free ports, in this process so
// that its clock is a FakeClock, called with cpp-httplib's client as a
// browser or curl would. Every RPC as every role, by bearer token and by
// session cookie, with the same role table as the gRPC matrix; bad input
// and cross-site requests each get a clear Connect error and write
// nothing; sign-in, sign-out and idle expiry; the export download; static
// files, the single-page fallback and path traversal.
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "service/api/connect_protocol.h"
#include "service/api/server.h"
#include "smptrace/v1/admin.pb.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/catalog.pb.h"
#include "smptrace/v1/common.pb.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/role_matrix.h"
#include "tests/testing/services.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace smptrace {
namespace {

namespace pb = google::protobuf;
using ::smptrace::testing::ProcessResult;
using ::smptrace::testing::RunProcess;
using ::smptrace::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kMaxBody = 65536;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// What an HTTP call answered, with a Connect error's code and message.
struct Answer {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  std::string code;
  std::string message;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

std::ostream& operator<<(std::ostream& os, const Answer& a) {
  return os << a.status << " " << a.body;
}

// A session cookie's value in a Set-Cookie header.
std::string CookieOf(const Answer& a) {
  const std::string h = a.Header("Set-Cookie");
  const std::string prefix = "smptrace_session=";
  if (h.rfind(prefix, 0) != 0) return "";
  return h.substr(prefix.size(), h.find(';') - prefix.size());
}

class HttpGatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TempDir;
    ProcessResult r = RunProcess(
        {std::string(SMPTRACE_SOURCE_DIR) + "/deploy/make-dev-certs.sh",
         certs_->Sub("ca")});
    ASSERT_EQ(r.exit.code, 0) << r.out << r.err;
  }
  static void TearDownTestSuite() { delete certs_; }
  static std::string Cert(const std::string& name) {
    return certs_->Sub("ca/" + name);
  }

  void SetUp() override {
    ASSERT_EQ(mkdir(dir_.Sub("web").c_str(), 0755), 0);
    ASSERT_EQ(mkdir(dir_.Sub("web/assets").c_str(), 0755), 0);
    WriteFile(dir_.Sub("web/index.html"), "<!doctype html><p>the app</p>");
    WriteFile(dir_.Sub("web/assets/app.js"), "console.log('app');");
    WriteFile(dir_.Sub("secret.txt"), "not for the web");
    ASSERT_EQ(symlink(dir_.Sub("secret.txt").c_str(),
                      dir_.Sub("web/assets/link.txt").c_str()),
              0);
    StartServer(dir_.Sub("web"));
    if (HasFatalFailure()) return;
    admin_ = Trimmed(ReadFile(dir_.Sub("admin.token")));
    practitioner_ = CreatePrincipal("anna", "ROLE_PRACTITIONER");
    manager_ = CreatePrincipal("maria", "ROLE_MANAGER");
    auditor_ = CreatePrincipal("alex", "ROLE_AUDITOR");
  }

  void StartServer(const std::string& web_root) {
    api::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    options.tls.cert_file = Cert("server.pem");
    options.tls.key_file = Cert("server.key");
    options.bootstrap_admin_token_file = dir_.Sub("admin.token");
    options.max_receive_message_bytes = kMaxBody;
    options.clinic.name = "Scalp Studio";
    options.web.listen = "127.0.0.1:0";
    options.web.web_root = web_root;
    auto server = api::Server::Start(options, &clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    ASSERT_NE(server_->web(), nullptr);
  }

  std::string Origin() const {
    return absl::StrCat("https://127.0.0.1:", server_->web()->port());
  }

  // One keep-alive connection, as a browser keeps one.
  httplib::Client& Client() {
    if (client_ == nullptr || client_port_ != server_->web()->port()) {
      client_ = std::make_unique<httplib::Client>(Origin());
      client_->set_ca_cert_path(Cert("ca.pem"));
      client_->enable_server_certificate_verification(true);
      client_->set_keep_alive(true);
      client_->set_tcp_nodelay(true);
      client_port_ = server_->web()->port();
    }
    return *client_;
  }

  static Answer Of(const httplib::Result& r) {
    Answer a;
    if (!r) {
      a.status = -1;
      a.body = httplib::to_string(r.error());
      return a;
    }
    a.status = r->status;
    a.body = r->body;
    a.headers = r->headers;
    pb::Struct error;
    if (a.status != 200 && pb::util::JsonStringToMessage(a.body, &error).ok()) {
      a.code = error.fields().count("code")
                   ? error.fields().at("code").string_value()
                   : "";
      a.message = error.fields().count("message")
                      ? error.fields().at("message").string_value()
                      : "";
    }
    return a;
  }

  // A POST as connect-web sends it; `headers` replace or add to them.
  Answer Post(const std::string& path, const std::string& body,
              httplib::Headers headers = {},
              const std::string& type = "application/json") {
    headers.emplace("Connect-Protocol-Version", "1");
    return Of(Client().Post(path.c_str(), headers, body, type.c_str()));
  }
  // The same without the Connect header (a form, a careless script).
  Answer PostBare(const std::string& path, const std::string& body,
                  const httplib::Headers& headers,
                  const std::string& type = "application/json") {
    return Of(Client().Post(path.c_str(), headers, body, type.c_str()));
  }
  Answer Get(const std::string& path, const httplib::Headers& headers = {}) {
    return Of(Client().Get(path.c_str(), headers));
  }

  static httplib::Headers Bearer(const std::string& token) {
    if (token.empty()) return {};
    return {{"Authorization", "Bearer " + token}};
  }
  static httplib::Headers Cookie(const std::string& value) {
    return {{"Cookie", "smptrace_session=" + value}};
  }

  Answer SignIn(const std::string& token) {
    return Post("/auth/sign-in", absl::StrCat("{\"token\":\"", token, "\"}"));
  }
  std::string SessionOf(const std::string& token) {
    Answer a = SignIn(token);
    EXPECT_EQ(a.status, 200) << a;
    return CookieOf(a);
  }
  // A write with the cookie of a session that has expired: refused with
  // `message`, nothing written, and the session stays ended.
  void ExpectExpired(const std::string& cookie, const std::string& message) {
    const uint64_t before = JournalLength();
    Answer a =
        Post("/smptrace.v1.SessionService/CreateClient",
             "{\"requestId\":\"c1\",\"clientCode\":\"C-1\"}", Cookie(cookie));
    EXPECT_EQ(a.status, 401) << a;
    EXPECT_EQ(a.code, "unauthenticated");
    EXPECT_THAT(a.message, HasSubstr(message));
    EXPECT_EQ(JournalLength(), before);
    EXPECT_EQ(Get("/auth/me", Cookie(cookie)).status, 401) << "it stays ended";
  }

  std::string CreatePrincipal(const std::string& name,
                              const std::string& role) {
    Answer a =
        Post("/smptrace.v1.AdminService/CreatePrincipal",
             absl::StrCat("{\"requestId\":\"create-", name, "\",\"name\":\"",
                          name, "\",\"role\":\"", role, "\"}"),
             Bearer(admin_));
    EXPECT_EQ(a.status, 200) << a;
    v1::CreatePrincipalResponse out;
    EXPECT_TRUE(pb::util::JsonStringToMessage(a.body, &out).ok()) << a.body;
    return out.token();
  }

  uint64_t JournalLength() const { return server_->journal_head().seq; }

  static std::string ProductJson(int n) {
    return absl::StrCat(
        "{\"requestId\":\"product-", n,
        "\",\"product\":{\"gtin\":\"09506000134352\",\"name\":\"Gloves ", n,
        "\",\"kind\":\"PRODUCT_KIND_CONSUMABLE\",\"manufacturer\":"
        "\"GloveCo\",\"unitsPerPack\":100}}");
  }

  static TempDir* certs_;
  TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<api::Server> server_;
  std::unique_ptr<httplib::Client> client_;
  int client_port_ = 0;
  std::string admin_, practitioner_, manager_, auditor_;
};

TempDir* HttpGatewayTest::certs_ = nullptr;

TEST_F(HttpGatewayTest, EveryRpcAsEveryRoleByTokenAndByCookie) {
  const std::map<std::string, std::string>& may = testing::RolesThatMayCall();
  const std::vector<std::pair<char, std::string>> tokens = {
      {'P', practitioner_}, {'M', manager_}, {'A', auditor_}, {'D', admin_}};
  std::vector<std::pair<char, std::string>> cookies;  // by role
  for (const auto& [role, token] : tokens) {
    cookies.emplace_back(role, SessionOf(token));
  }
  const auto rpcs = testing::SmptraceRpcs();
  ASSERT_EQ(rpcs.size(), may.size());
  int allowed = 0, denied = 0;
  for (const pb::MethodDescriptor* m : rpcs) {
    const std::string name = m->service()->name() + "/" + m->name();
    SCOPED_TRACE(name);
    const std::string path =
        absl::StrCat(m->server_streaming() ? "/download/" : "/",
                     m->service()->full_name(), "/", m->name());
    uint64_t before = JournalLength();
    Answer a = Post(path, "{}");
    if (testing::CalledWithoutSignIn(name)) {
      EXPECT_EQ(a.status, 200) << a;  // public, as on gRPC
    } else {
      EXPECT_EQ(a.status, 401) << a;
      EXPECT_EQ(a.code, "unauthenticated");
      EXPECT_THAT(a.message, HasSubstr("no credentials"));
    }
    a = Post(path, "{}", Cookie("not-a-session"));
    EXPECT_EQ(a.status, 401) << a;
    EXPECT_THAT(a.message, HasSubstr("web session unknown"));
    EXPECT_EQ(JournalLength(), before) << "without credentials";

    using Callers = std::vector<std::pair<char, std::string>>;
    for (const Callers* callers :
         std::vector<const Callers*>{&tokens, &cookies}) {
      for (const auto& [role, credential] : *callers) {
        SCOPED_TRACE(std::string("as ") + role +
                     (callers == &tokens ? " by token" : " by cookie"));
        before = JournalLength();
        a = Post(path, "{}",
                 callers == &tokens ? Bearer(credential) : Cookie(credential));
        if (may.at(name).find(role) != std::string::npos) {
          ++allowed;
          EXPECT_NE(a.status, 401) << a;
          EXPECT_NE(a.status, 403) << a;
        } else {
          ++denied;
          EXPECT_EQ(a.status, 403) << a;
          EXPECT_EQ(a.code, "permission_denied");
          EXPECT_THAT(a.message, HasSubstr("may not call " + name));
          EXPECT_EQ(JournalLength(), before);
        }
      }
    }
  }
  EXPECT_GT(allowed, 200);
  EXPECT_GT(denied, 200);
}

TEST_F(HttpGatewayTest, JsonAndBinaryBodiesGetTheSameAnswer) {
  // An error: the same code and message, the message the CLI shows.
  v1::CreateProductRequest bad;
  bad.set_request_id("bad-1");
  bad.mutable_product()->set_gtin("09506000134353");
  Answer json = Post("/smptrace.v1.CatalogService/CreateProduct",
                     "{\"requestId\":\"bad-1\",\"product\":{\"gtin\":"
                     "\"09506000134353\"}}",
                     Bearer(manager_));
  Answer binary =
      Post("/smptrace.v1.CatalogService/CreateProduct", bad.SerializeAsString(),
           Bearer(manager_), "application/proto");
  EXPECT_EQ(json.status, 400) << json;
  EXPECT_EQ(json.code, "invalid_argument");
  EXPECT_THAT(json.message, HasSubstr("check digit"));
  EXPECT_EQ(binary.status, json.status);
  EXPECT_EQ(binary.body, json.body) << "errors are JSON in both";

  // A success: the same message, in each body's own encoding.
  const uint64_t before = JournalLength();
  json = Post("/smptrace.v1.CatalogService/CreateProduct", ProductJson(1),
              Bearer(manager_));
  ASSERT_EQ(json.status, 200) << json;
  EXPECT_EQ(json.Header("Content-Type"), "application/json");
  EXPECT_EQ(JournalLength(), before + 1);
  v1::CreateProductRequest again;
  ASSERT_TRUE(pb::util::JsonStringToMessage(ProductJson(1), &again).ok());
  binary =
      Post("/smptrace.v1.CatalogService/CreateProduct",
           again.SerializeAsString(), Bearer(manager_), "application/proto");
  ASSERT_EQ(binary.status, 200) << binary;
  EXPECT_EQ(binary.Header("Content-Type"), "application/proto");
  EXPECT_EQ(JournalLength(), before + 1) << "a retry is answered, not applied";
  v1::Product from_json, from_binary;
  ASSERT_TRUE(pb::util::JsonStringToMessage(json.body, &from_json).ok());
  ASSERT_TRUE(from_binary.ParseFromString(binary.body));
  EXPECT_EQ(from_json.SerializeAsString(), from_binary.SerializeAsString());
  EXPECT_EQ(from_json.updated_by(), "maria");
  // The server's own headers come along.
  EXPECT_EQ(json.Header("smptrace-clinic-time-zone"), "UTC");
}

TEST_F(HttpGatewayTest, ADuplicateIsAlreadyExistsWithItsHttpStatus) {
  ASSERT_EQ(Post("/smptrace.v1.CatalogService/CreateProduct", ProductJson(1),
                 Bearer(manager_))
                .status,
            200);
  Answer a = Post("/smptrace.v1.CatalogService/CreateProduct",
                  absl::StrCat(ProductJson(1).substr(0, 22), "x",
                               ProductJson(1).substr(22)),
                  Bearer(manager_));
  EXPECT_EQ(a.status, 409) << a;
  EXPECT_EQ(a.code, "already_exists");
}

TEST(ConnectErrorJson, CarriesARefusalsReasonCodeInItsDetails) {
  v1::Refusal refusal;
  refusal.set_reason("lot_status_unchanged");
  refusal.set_message("lot CT-2291 is already quarantined");
  v1::StatusDetails details;
  details.set_code(9);
  details.set_message(refusal.message());
  details.add_details()->PackFrom(refusal);
  const std::string json =
      api::ConnectErrorJson(grpc::StatusCode::FAILED_PRECONDITION,
                            refusal.message(), details.SerializeAsString());
  pb::Struct parsed;
  ASSERT_TRUE(pb::util::JsonStringToMessage(json, &parsed).ok()) << json;
  EXPECT_EQ(parsed.fields().at("code").string_value(), "failed_precondition");
  EXPECT_EQ(parsed.fields().at("message").string_value(),
            "lot CT-2291 is already quarantined");
  const pb::Struct& detail =
      parsed.fields().at("details").list_value().values(0).struct_value();
  EXPECT_EQ(detail.fields().at("type").string_value(), "smptrace.v1.Refusal");
  std::string value = detail.fields().at("value").string_value();
  EXPECT_EQ(value.find('='), std::string::npos) << "base64 without padding";
  std::string bytes;
  ASSERT_TRUE(absl::Base64Unescape(value, &bytes));
  v1::Refusal decoded;
  ASSERT_TRUE(decoded.ParseFromString(bytes));
  EXPECT_EQ(decoded.reason(), "lot_status_unchanged");
  EXPECT_EQ(detail.fields()
                .at("debug")
                .struct_value()
                .fields()
                .at("reason")
                .string_value(),
            "lot_status_unchanged");
  // Every code by its Connect name and HTTP status.
  EXPECT_EQ(api::ConnectCodeName(grpc::StatusCode::CANCELLED), "canceled");
  EXPECT_EQ(api::ConnectHttpStatus(grpc::StatusCode::UNAUTHENTICATED), 401);
  EXPECT_EQ(api::ConnectHttpStatus(grpc::StatusCode::FAILED_PRECONDITION), 400);
  EXPECT_EQ(api::ConnectHttpStatus(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(api::ConnectHttpStatus(grpc::StatusCode::UNAVAILABLE), 503);
}

TEST_F(HttpGatewayTest, BadRequestsGetAClearErrorAndWriteNothing) {
  const uint64_t before = JournalLength();
  const std::string create = "/smptrace.v1.CatalogService/CreateProduct";

  Answer a = Post(create, "{\"requestId\":", Bearer(manager_));
  EXPECT_EQ(a.status, 400) << a;
  EXPECT_EQ(a.code, "invalid_argument");
  EXPECT_THAT(a.message,
              HasSubstr("not a smptrace.v1.CreateProductRequest in JSON"));

  a = Post(create, "{\"requestId\":\"x\",\"colour\":\"red\"}",
           Bearer(manager_));
  EXPECT_EQ(a.status, 400) << a;
  EXPECT_THAT(a.message, HasSubstr("colour"));

  a = Post(create, std::string(kMaxBody + 1, ' '), Bearer(manager_));
  EXPECT_EQ(a.status, 413) << a;
  EXPECT_EQ(a.code, "resource_exhausted");
  EXPECT_THAT(a.message, HasSubstr("larger than 65536 bytes"));

  a = Post(create, ProductJson(1), Bearer(manager_), "text/plain");
  EXPECT_EQ(a.status, 415) << a;
  EXPECT_EQ(a.code, "invalid_argument");
  EXPECT_THAT(a.message, HasSubstr("application/json"));

  a = PostBare(create, ProductJson(1), Bearer(manager_));
  EXPECT_EQ(a.status, 400) << a;
  EXPECT_THAT(a.message, HasSubstr("Connect-Protocol-Version: 1"));

  httplib::Headers cross = Bearer(manager_);
  cross.emplace("Origin", "https://evil.example");
  a = Post(create, ProductJson(1), cross);
  EXPECT_EQ(a.status, 403) << a;
  EXPECT_EQ(a.code, "permission_denied");
  EXPECT_THAT(a.message, HasSubstr("Origin https://evil.example"));

  a = Post("/smptrace.v1.CatalogService/MakeCoffee", "{}", Bearer(manager_));
  EXPECT_EQ(a.status, 404) << a;
  EXPECT_EQ(a.code, "unimplemented");

  a = Post("/smptrace.v1.AuditService/Export", "{}", Bearer(auditor_));
  EXPECT_EQ(a.code, "unimplemented");
  EXPECT_THAT(a.message,
              HasSubstr("/download/smptrace.v1.AuditService/Export"));

  // No CORS: a preflight is refused and grants nothing.
  auto preflight = Client().Options(
      create.c_str(), {{"Origin", "https://evil.example"},
                       {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 403);
  EXPECT_FALSE(preflight->has_header("Access-Control-Allow-Origin"));

  EXPECT_EQ(JournalLength(), before);

  // The browser's own origin is fine.
  httplib::Headers same = Bearer(manager_);
  same.emplace("Origin", Origin());
  a = Post(create, ProductJson(1), same);
  EXPECT_EQ(a.status, 200) << a;
  EXPECT_EQ(JournalLength(), before + 1);
}

TEST_F(HttpGatewayTest, SignInSignOutAndWhoAmI) {
  Answer a = SignIn(manager_);
  ASSERT_EQ(a.status, 200) << a;
  const std::string set_cookie = a.Header("Set-Cookie");
  EXPECT_THAT(set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("Secure"));
  EXPECT_THAT(set_cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(set_cookie, HasSubstr("Path=/"));
  const std::string cookie = CookieOf(a);
  EXPECT_EQ(cookie.size(), 43u) << "256 bits in base64url";
  EXPECT_THAT(a.body, Not(HasSubstr(manager_.substr(manager_.find('.') + 1))))
      << "the token is never returned";
  pb::Struct me;
  ASSERT_TRUE(pb::util::JsonStringToMessage(a.body, &me).ok()) << a.body;
  EXPECT_EQ(me.fields().at("principal").string_value(), "maria");
  EXPECT_EQ(me.fields().at("role").string_value(), "MANAGER");
  EXPECT_EQ(me.fields().at("clinicName").string_value(), "Scalp Studio");
  EXPECT_EQ(me.fields().at("clinicTimeZone").string_value(), "UTC");
  EXPECT_EQ(me.fields().at("idleTimeoutSeconds").number_value(), 900);

  Answer again = Get("/auth/me", Cookie(cookie));
  EXPECT_EQ(again.status, 200) << again;
  EXPECT_EQ(again.body, a.body);
  EXPECT_EQ(Get("/auth/me").status, 401);

  // A call with the cookie acts as maria.
  Answer created = Post("/smptrace.v1.CatalogService/CreateProduct",
                        ProductJson(1), Cookie(cookie));
  ASSERT_EQ(created.status, 200) << created;
  EXPECT_THAT(created.body, HasSubstr("\"updatedBy\":\"maria\""));

  a = Post("/auth/sign-out", "", Cookie(cookie));
  EXPECT_EQ(a.status, 200) << a;
  EXPECT_THAT(a.Header("Set-Cookie"), HasSubstr("Max-Age=0"));
  const uint64_t before = JournalLength();
  a = Post("/smptrace.v1.CatalogService/CreateProduct", ProductJson(2),
           Cookie(cookie));
  EXPECT_EQ(a.status, 401) << a;
  EXPECT_EQ(JournalLength(), before);
  EXPECT_EQ(Get("/auth/me", Cookie(cookie)).status, 401);

  // A wrong token is refused, and counted with the sign-ins and sign-outs.
  a = SignIn(manager_ + "x");
  EXPECT_EQ(a.status, 401) << a;
  EXPECT_EQ(a.message, "token not recognised");
  EXPECT_EQ(CookieOf(a), "");
  a = PostBare("/auth/sign-in", absl::StrCat("{\"token\":\"", manager_, "\"}"),
               {});
  EXPECT_EQ(a.status, 400) << "sign-in needs the Connect header too";

  Answer stats =
      Post("/smptrace.v1.AdminService/GetAuthStats", "{}", Bearer(admin_));
  ASSERT_EQ(stats.status, 200) << stats;
  v1::AuthStats s;
  ASSERT_TRUE(pb::util::JsonStringToMessage(stats.body, &s).ok());
  EXPECT_EQ(s.web_sign_ins(), 1);
  EXPECT_EQ(s.web_sign_outs(), 1);
  EXPECT_EQ(s.by_reason().at("token not recognised"), 1);
  EXPECT_EQ(s.by_reason().at("web session unknown"), 2);
  ASSERT_GE(s.recent_size(), 1);
  EXPECT_EQ(s.recent(0).method(), "/auth/sign-in") << "newest first";
  EXPECT_EQ(s.recent(0).who(), "TOK-000003");
}

TEST_F(HttpGatewayTest, TheSignInScreenLearnsTheClinicAndNoDevelopmentSignIn) {
  Answer a = Get("/auth/sign-in");
  ASSERT_EQ(a.status, 200) << a;
  EXPECT_EQ(a.body, "{\"clinicName\":\"Scalp Studio\"}");
  EXPECT_EQ(a.Header("Cache-Control"), "no-store");
  // Secured, an empty token is no credential.
  a = SignIn("");
  EXPECT_EQ(a.status, 401) << a;
  EXPECT_EQ(CookieOf(a), "");
}

// Under --insecure_dev gRPC takes a call without a token as the development
// admin; the web sign-in does the same with an empty token, and tells the
// sign-in screen so (which then lets the field be left empty).
TEST(HttpGatewayInsecureDevTest, AnEmptyTokenSignsInAsTheDevelopmentAdmin) {
  TempDir dir;
  testing::FakeClock clock;
  api::ServerOptions options;
  options.insecure_dev = true;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir.Sub("data");
  options.web.listen = "127.0.0.1:0";
  options.web.web_root = dir.Sub("web");
  auto server = api::Server::Start(options, &clock);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_NE((*server)->web(), nullptr);
  httplib::Client http(
      absl::StrCat("http://127.0.0.1:", (*server)->web()->port()));

  auto options_answer = http.Get("/auth/sign-in");
  ASSERT_TRUE(options_answer);
  EXPECT_EQ(options_answer->status, 200);
  EXPECT_EQ(options_answer->body,
            "{\"clinicName\":\"\",\"insecureDev\":true,\"devPrincipal\":"
            "\"insecure-dev\",\"devRole\":\"ADMIN\"}");

  auto signed_in =
      http.Post("/auth/sign-in", {{"Connect-Protocol-Version", "1"}},
                "{\"token\":\"\"}", "application/json");
  ASSERT_TRUE(signed_in);
  ASSERT_EQ(signed_in->status, 200) << signed_in->body;
  pb::Struct me;
  ASSERT_TRUE(pb::util::JsonStringToMessage(signed_in->body, &me).ok());
  EXPECT_EQ(me.fields().at("principal").string_value(), "insecure-dev");
  EXPECT_EQ(me.fields().at("role").string_value(), "ADMIN");
}

// Under --require_client_cert every door asks for a client certificate: a
// browser without one from the clinic's CA gets no connection; with one,
// the person signs in with their token, and the gateway reaches the gRPC
// port with its own certificate (--web_client_cert).
class HttpGatewayClientCertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string script =
        std::string(SMPTRACE_SOURCE_DIR) + "/deploy/make-dev-certs.sh";
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{script, dir_.Sub("ca")},
          {script, dir_.Sub("ca"), "client", "web-gateway"},
          {script, dir_.Sub("ca"), "client", "kiosk-1"}}) {
      ProcessResult r = RunProcess(args);
      ASSERT_EQ(r.exit.code, 0) << r.out << r.err;
    }
  }

  absl::StatusOr<std::unique_ptr<api::Server>> Start(bool gateway_cert) {
    api::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    options.tls.cert_file = dir_.Sub("ca/server.pem");
    options.tls.key_file = dir_.Sub("ca/server.key");
    options.tls.client_ca_file = dir_.Sub("ca/ca.pem");
    options.tls.require_client_cert = true;
    options.bootstrap_admin_token_file = dir_.Sub("admin.token");
    options.web.listen = "127.0.0.1:0";
    options.web.web_root = dir_.Sub("web");
    if (gateway_cert) {
      options.web.client_cert_file = dir_.Sub("ca/web-gateway.pem");
      options.web.client_key_file = dir_.Sub("ca/web-gateway.key");
    }
    return api::Server::Start(options, &clock_);
  }

  TempDir dir_;
  testing::FakeClock clock_;
};

TEST_F(HttpGatewayClientCertTest, TheWebListenerAsksForOneTooAndTokensStill) {
  auto server = Start(/*gateway_cert=*/true);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_NE((*server)->web(), nullptr);
  const std::string origin =
      absl::StrCat("https://127.0.0.1:", (*server)->web()->port());
  const std::string admin = Trimmed(ReadFile(dir_.Sub("admin.token")));

  httplib::Client bare(origin);
  bare.set_ca_cert_path(dir_.Sub("ca/ca.pem"));
  bare.enable_server_certificate_verification(true);
  EXPECT_FALSE(bare.Get("/auth/sign-in")) << "no client certificate";

  httplib::Client kiosk(origin, dir_.Sub("ca/kiosk-1.pem"),
                        dir_.Sub("ca/kiosk-1.key"));
  kiosk.set_ca_cert_path(dir_.Sub("ca/ca.pem"));
  kiosk.enable_server_certificate_verification(true);
  auto screen = kiosk.Get("/auth/sign-in");
  ASSERT_TRUE(screen) << httplib::to_string(screen.error());
  EXPECT_EQ(screen->status, 200);

  // The certificate admits the device; the token says who.
  auto no_token =
      kiosk.Post("/smptrace.v1.AdminService/ListPrincipals",
                 {{"Connect-Protocol-Version", "1"}}, "{}", "application/json");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 401) << no_token->body;
  auto signed_in = kiosk.Post(
      "/auth/sign-in", {{"Connect-Protocol-Version", "1"}},
      absl::StrCat("{\"token\":\"", admin, "\"}"), "application/json");
  ASSERT_TRUE(signed_in);
  ASSERT_EQ(signed_in->status, 200) << signed_in->body;
  Answer cookie_answer;
  cookie_answer.headers = signed_in->headers;
  auto listed =
      kiosk.Post("/smptrace.v1.AdminService/ListPrincipals",
                 {{"Connect-Protocol-Version", "1"},
                  {"Cookie", "smptrace_session=" + CookieOf(cookie_answer)}},
                 "{}", "application/json");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200) << listed->body;
  EXPECT_THAT(listed->body, HasSubstr("\"name\":\"admin\""));
}

TEST_F(HttpGatewayClientCertTest, WithoutTheGatewaysOwnCertificateItIsOff) {
  auto server = Start(/*gateway_cert=*/false);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->web(), nullptr);
}

TEST_F(HttpGatewayTest, ASessionEndsAfterItsIdleTimeAndEachCallRestartsIt) {
  const std::string cookie = SessionOf(manager_);
  const std::string list = "/smptrace.v1.CatalogService/ListLocations";
  clock_.Advance(absl::Minutes(14));
  EXPECT_EQ(Post(list, "{}", Cookie(cookie)).status, 200);
  clock_.Advance(absl::Minutes(14));
  EXPECT_EQ(Post(list, "{}", Cookie(cookie)).status, 200)
      << "the call before restarted the idle time";
  clock_.Advance(absl::Minutes(15));
  ExpectExpired(cookie, "expired after 15 min without activity");
}

// A practitioner signs in at the chair-side kiosk, a screen shared in a
// treatment room: their session ends after 2 minutes without a call
// (--web_kiosk_idle), where a manager's lasts 15 (--web_session_idle).
TEST_F(HttpGatewayTest, AKioskSessionEndsAfterTwoMinutesWithoutACall) {
  Answer signed_in = SignIn(practitioner_);
  ASSERT_EQ(signed_in.status, 200) << signed_in;
  pb::Struct me;
  ASSERT_TRUE(pb::util::JsonStringToMessage(signed_in.body, &me).ok());
  EXPECT_EQ(me.fields().at("role").string_value(), "PRACTITIONER");
  EXPECT_EQ(me.fields().at("idleTimeoutSeconds").number_value(), 120)
      << "the app warns and signs out by this number";
  const std::string kiosk = CookieOf(signed_in);
  const std::string desk = SessionOf(manager_);
  const std::string list = "/smptrace.v1.CatalogService/ListLocations";

  clock_.Advance(absl::Seconds(119));
  EXPECT_EQ(Post(list, "{}", Cookie(kiosk)).status, 200);
  clock_.Advance(absl::Seconds(119));
  EXPECT_EQ(Get("/auth/me", Cookie(kiosk)).status, 200)
      << "each call restarts the kiosk's idle time";
  clock_.Advance(absl::Minutes(2));
  ExpectExpired(kiosk, "expired after 2 min without activity");

  // The manager's desk, idle as long (4 min), is still signed in.
  EXPECT_EQ(Get("/auth/me", Cookie(desk)).status, 200);
}

TEST_F(HttpGatewayTest, ASessionEndsTwelveHoursAfterSignIn) {
  const std::string cookie = SessionOf(auditor_);
  for (int i = 0; i < 12 * 6 - 1; ++i) {
    clock_.Advance(absl::Minutes(10));
    ASSERT_EQ(Get("/auth/me", Cookie(cookie)).status, 200) << i;
  }
  clock_.Advance(absl::Minutes(10));
  Answer a = Get("/auth/me", Cookie(cookie));
  EXPECT_EQ(a.status, 401);
  EXPECT_THAT(a.message, HasSubstr("12 h after sign-in"));
}

TEST_F(HttpGatewayTest, ExportIsADownloadOfTheSameBytesAsTheStream) {
  ASSERT_EQ(Post("/smptrace.v1.CatalogService/CreateProduct", ProductJson(1),
                 Bearer(manager_))
                .status,
            200);
  Answer a = Post("/download/smptrace.v1.AuditService/Export",
                  "{\"format\":\"EXPORT_FORMAT_CSV\"}", Bearer(auditor_));
  ASSERT_EQ(a.status, 200) << a;
  EXPECT_EQ(a.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(a.Header("Content-Disposition"),
            "attachment; filename=\"smptrace-export.csv\"");

  // The same export over gRPC, chunk by chunk.
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(Cert("ca.pem"));
  auto channel = grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", server_->port()),
      grpc::CompositeChannelCredentials(
          grpc::SslCredentials(ssl), grpc::AccessTokenCredentials(auditor_)));
  grpc::ClientContext ctx;
  v1::ExportRequest request;
  request.set_format(v1::EXPORT_FORMAT_CSV);
  auto reader = v1::AuditService::NewStub(channel)->Export(&ctx, request);
  std::string streamed;
  v1::ExportChunk chunk;
  while (reader->Read(&chunk)) streamed += chunk.data();
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(a.body, streamed);
  EXPECT_THAT(a.body, HasSubstr("seq,time,event,gtin,lot"));

  a = Post("/download/smptrace.v1.AuditService/Export",
           "{\"format\":\"EXPORT_FORMAT_JSONL\"}", Cookie(SessionOf(auditor_)));
  EXPECT_EQ(a.status, 200) << a;
  EXPECT_EQ(a.Header("Content-Type"), "application/x-ndjson");

  a = Post("/download/smptrace.v1.AuditService/Export", "{}", Bearer(auditor_));
  EXPECT_EQ(a.status, 400) << a;
  EXPECT_EQ(a.code, "invalid_argument");
  EXPECT_THAT(a.message, HasSubstr("format"));
}

TEST_F(HttpGatewayTest, ServesTheAppAndItsFilesAndNothingElse) {
  Answer a = Get("/");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "<!doctype html><p>the app</p>");
  EXPECT_EQ(a.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(a.Header("Content-Security-Policy"),
              HasSubstr("default-src 'self'; script-src 'self'"));
  EXPECT_THAT(a.Header("Content-Security-Policy"),
              HasSubstr("frame-ancestors 'none'"));
  EXPECT_EQ(a.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(a.Header("Referrer-Policy"), "no-referrer");
  EXPECT_THAT(a.Header("Strict-Transport-Security"), HasSubstr("max-age="));

  a = Get("/assets/app.js");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "console.log('app');");
  EXPECT_EQ(a.Header("Content-Type"), "text/javascript; charset=utf-8");

  // The single-page app's own routes.
  a = Get("/kiosk/scan");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "<!doctype html><p>the app</p>");

  // Nothing outside web_root: dot-dot (plain or percent-encoded), and a
  // symbolic link out of it.
  for (const char* path :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
        "/assets/%2E%2E/%2E%2E/secret.txt"}) {
    SCOPED_TRACE(path);
    a = Get(path);
    EXPECT_THAT(a.body, Not(HasSubstr("not for the web")));
    EXPECT_NE(a.status, 200);
  }
  a = Get("/assets/link.txt");
  EXPECT_THAT(a.body, Not(HasSubstr("not for the web")));

  // API answers are never cached.
  a = Post("/smptrace.v1.CatalogService/ListLocations", "{}",
           Bearer(practitioner_));
  EXPECT_EQ(a.status, 200) << a;
  EXPECT_EQ(a.Header("Cache-Control"), "no-store");
  EXPECT_EQ(a.Header("X-Content-Type-Options"), "nosniff");
}

// A browser offers br; cpp-httplib's Brotli (quality 11) costs about 1 s of
// CPU for the app's bundle, gzip 20 ms: the answer is gzip.
TEST_F(HttpGatewayTest, CompressesWithGzipEvenWhenTheBrowserOffersBrotli) {
  Answer a = Get("/assets/app.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(a.body, "console.log('app');");

  a = Post("/smptrace.v1.CatalogService/ListLocations", "{}",
           {{"Authorization", "Bearer " + practitioner_},
            {"Accept-Encoding", "br;q=1.0, gzip;q=0.8"}});
  EXPECT_EQ(a.status, 200) << a;
  EXPECT_EQ(a.Header("Content-Encoding"), "gzip");
}

TEST_F(HttpGatewayTest, WithoutABuiltAppTheRootSaysHowToBuildIt) {
  client_.reset();
  server_.reset();
  StartServer(dir_.Sub("nowhere"));
  Answer a = Get("/");
  EXPECT_EQ(a.status, 200);
  EXPECT_THAT(a.body, HasSubstr("The web application was not built"));
  EXPECT_THAT(a.body, HasSubstr("--web_root"));
}

}  // namespace
}  // namespace smptrace
