// A real smptraced over TLS with tokens, --log_format json and a metrics
// listener: GET /metrics answers in a format promtool accepts and counts
// the calls made, refused calls are counted by reason, every log line is
// one JSON object, every call has an access log line (method, code,
// latency, principal, request id), and neither a client's contact details
// nor a token ever reaches the log.
#include <httplib.h>

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "smptrace/v1/admin.grpc.pb.h"
#include "smptrace/v1/session.grpc.pb.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace smptrace {
namespace {

using ::smptrace::testing::FreeServer;
using ::smptrace::testing::ProcessResult;
using ::smptrace::testing::RunProcess;
using ::smptrace::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

// A file the server or a script wrote, without its last line end.
std::string ReadFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile("file", path);
  EXPECT_TRUE(text.ok()) << text.status();
  std::string s = text.ok() ? *text : "";
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

class ObservabilityE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    ProcessResult certs = RunProcess(
        {std::string(SMPTRACE_SOURCE_DIR) + "/deploy/make-dev-certs.sh",
         dir_.Sub("ca")});
    ASSERT_EQ(certs.exit.code, 0) << certs.out << certs.err;
    auto server = FreeServer::StartWith(
        testing::SmptracedPath(), dir_.Sub("data"),
        {"--tls_cert", dir_.Sub("ca/server.pem"), "--tls_key",
         dir_.Sub("ca/server.key"), "--bootstrap_admin_token_file",
         dir_.Sub("admin.token"), "--log_format", "json", "--metrics_listen",
         "127.0.0.1:0", "--metrics_ready_file", dir_.Sub("metrics.ready"),
         "--http_listen", ""});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    admin_token_ = ReadFile(dir_.Sub("admin.token"));
    metrics_address_ = ReadFile(dir_.Sub("metrics.ready"));
  }

  std::shared_ptr<grpc::Channel> As(const std::string& token) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadFile(dir_.Sub("ca/ca.pem"));
    return grpc::CreateChannel(
        server_->address(),
        grpc::CompositeChannelCredentials(grpc::SslCredentials(ssl),
                                          grpc::AccessTokenCredentials(token)));
  }

  std::string Scrape() {
    httplib::Client http("http://" + metrics_address_);
    auto res = http.Get("/metrics");
    EXPECT_TRUE(res) << httplib::to_string(res.error());
    if (!res) return "";
    EXPECT_EQ(res->status, 200);
    EXPECT_THAT(res->get_header_value("Content-Type"),
                HasSubstr("text/plain; version=0.0.4"));
    return res->body;
  }

  TempDir dir_;
  std::unique_ptr<FreeServer> server_;
  std::string admin_token_;
  std::string metrics_address_;
};

TEST_F(ObservabilityE2e, MetricsCountCallsAndLogsAreJsonWithoutSecrets) {
  // A manager with a token of its own, made by the admin.
  v1::CreatePrincipalRequest principal;
  principal.set_request_id("create-maria");
  principal.set_name("maria");
  principal.set_role(v1::ROLE_MANAGER);
  v1::CreatePrincipalResponse created;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(v1::AdminService::NewStub(As(admin_token_))
                    ->CreatePrincipal(&ctx, principal, &created)
                    .ok());
  }
  const std::string token = created.token();
  ASSERT_FALSE(token.empty());

  // Clients with contact details, as the manager.
  auto sessions = v1::SessionService::NewStub(As(token));
  constexpr int kClients = 3;
  for (int i = 0; i < kClients; ++i) {
    v1::CreateClientRequest r;
    r.set_request_id("client-req-" + std::to_string(i));
    r.set_code("OBS-" + std::to_string(i));
    r.mutable_contact()->set_name("Quentin Contactname" + std::to_string(i));
    r.mutable_contact()->set_email("quentin" + std::to_string(i) +
                                   "@private.example");
    r.mutable_contact()->set_phone("+44 7700 900" + std::to_string(100 + i));
    v1::Client out;
    grpc::ClientContext ctx;
    grpc::Status s = sessions->CreateClient(&ctx, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // A forged token: refused before any method runs, counted by reason.
  const std::string forged = token.substr(0, token.find('.')) + ".forged";
  {
    v1::GetClientRequest r;
    r.set_client("OBS-0");
    v1::Client out;
    grpc::ClientContext ctx;
    EXPECT_EQ(v1::SessionService::NewStub(As(forged))
                  ->GetClient(&ctx, r, &out)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }

  const std::string text = Scrape();
  EXPECT_THAT(
      text, HasSubstr("\ngrpc_server_handled_total{grpc_service=\"smptrace.v1."
                      "SessionService\",grpc_method=\"CreateClient\",grpc_type="
                      "\"unary\",grpc_code=\"OK\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("\nsmptrace_auth_refusals_total{reason="));
  EXPECT_THAT(text, Not(HasSubstr("Quentin")));
  EXPECT_THAT(text, Not(HasSubstr("OBS-")));
  ProcessResult check =
      RunProcess({SMPTRACE_PROMTOOL, "check", "metrics"}, text);
  EXPECT_EQ(check.exit.code, 0) << check.out << check.err;

  ASSERT_TRUE(server_->Stop().ok()) << server_->Log();
  const std::string log = server_->Log();
  int access_lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct json;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(std::string(line), &json)
            .ok())
        << "not one JSON object: " << line;
    const auto& f = json.fields();
    EXPECT_TRUE(f.contains("time") && f.contains("level") &&
                f.contains("message"))
        << line;
    if (f.contains("method") &&
        f.at("method").string_value() ==
            "/smptrace.v1.SessionService/CreateClient") {
      ++access_lines;
      EXPECT_EQ(f.at("code").string_value(), "OK") << line;
      EXPECT_EQ(f.at("principal").string_value(), "maria") << line;
      EXPECT_THAT(f.at("request_id").string_value(),
                  ::testing::StartsWith("client-req-"));
      EXPECT_GT(f.at("latency_seconds").number_value(), 0) << line;
    }
  }
  EXPECT_EQ(access_lines, kClients) << log;
  const std::string secret = token.substr(token.find('.') + 1);
  for (const std::string& never :
       {std::string("Quentin"), std::string("private.example"),
        std::string("7700 900"), token, secret, admin_token_, forged}) {
    EXPECT_THAT(log, Not(HasSubstr(never))) << never;
  }
}

}  // namespace
}  // namespace smptrace
