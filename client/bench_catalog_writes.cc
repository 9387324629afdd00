// smptrace_bench_catalog: how many durable catalogue writes a running
// smptraced accepts per second, and at what latency, compared with the same
// server's health-check rate (the gRPC floor: a call that does no work).
//
//   smptrace_bench_catalog --server 127.0.0.1:8470 --clients 64 --seconds 10
//   smptrace_bench_catalog --server 127.0.0.1:8470 --clients 64 --rpc health
//   smptrace_bench_catalog --web 127.0.0.1:8471 --rpc http_read ...
//
// http_read is `read` through the web listener's HTTP API (JSON, one
// keep-alive HTTPS connection per client, as a browser makes it), to
// compare with `read` on the gRPC port of the same server.
//
// Each client is one thread with its own channel and its own TCP connection
// (a local subchannel pool, so channels do not share a connection), making
// one blocking call at a time (a closed loop, like a scanner station that
// waits for each answer). A create is counted when the server answered OK,
// which it does only after the WriteBatch holding it was fsynced.
//
// Creates add consumables with fresh GTINs (GS1 check digits computed
// here), so every run grows the catalogue; run it on a scratch data dir.
// Output: one line of key=value pairs, for scripts:
//   rpc=create clients=64 seconds=10.01 ok=21000 errors=0 rate=2098.0
//   p50_ms=29.1 p99_ms=70.2 max_ms=120.5
// Exit 0 if every call succeeded, 1 otherwise (the first error goes to
// stderr), 3 if the server cannot be reached.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/bench_loop.h"
#include "common/files.h"
#include "smptrace/v1/catalog.grpc.pb.h"

namespace {

struct BenchOptions {
  std::string server = "127.0.0.1:8470";
  int clients = 1;
  double seconds = 10;
  // If > 0: stop after this many calls in total instead of after `seconds`.
  int64_t ops = 0;
  std::string rpc = "create";
  // Three digits that keep this run's GTINs apart from other runs' on the
  // same data dir; -1 = random.
  int run_tag = -1;
  // TLS (the CA to trust) and a bearer token, for a secured server.
  std::string ca_cert;
  std::string ca_cert_file;
  std::string token;
  // The web listener's host:port, for http_read.
  std::string web = "127.0.0.1:8471";
};

// GS1 mod-10: `digits` followed by its check digit.
std::string WithCheckDigit(const std::string& digits) {
  int sum = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    int digit = digits[digits.size() - 1 - i] - '0';
    sum += digit * (i % 2 == 0 ? 3 : 1);
  }
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// The sequence number has six digits in a GTIN: a client stops after this.
constexpr int64_t kMaxSeq = 999999;

// A GTIN-14 unique per (run, client, sequence number): "1" + run tag (3) +
// client (3) + sequence (6) + check digit.
std::string BenchGtin(int run_tag, int client, int64_t seq) {
  return WithCheckDigit(absl::StrFormat("1%03d%03d%06d", run_tag, client, seq));
}

// One call of the benchmarked kind. Returns the call's status.
class Caller {
 public:
  virtual ~Caller() = default;
  virtual grpc::Status Call(int64_t seq) = 0;
};

class CreateCaller final : public Caller {
 public:
  CreateCaller(std::shared_ptr<grpc::Channel> channel, int run_tag, int client,
               std::string request_prefix)
      : stub_(smptrace::v1::CatalogService::NewStub(channel)),
        run_tag_(run_tag),
        client_(client),
        request_prefix_(std::move(request_prefix)) {}

  grpc::Status Call(int64_t seq) override {
    smptrace::v1::CreateProductRequest request;
    request.set_request_id(
        absl::StrCat(request_prefix_, "-", client_, "-", seq));
    smptrace::v1::Product* p = request.mutable_product();
    p->set_gtin(BenchGtin(run_tag_, client_, seq));
    p->set_name(absl::StrCat("Bench barrier film ", client_, "/", seq));
    p->set_kind(smptrace::v1::PRODUCT_KIND_CONSUMABLE);
    p->set_manufacturer("Bench Medical");
    p->set_units_per_pack(100);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    smptrace::v1::Product response;
    return stub_->CreateProduct(&context, request, &response);
  }

 private:
  std::unique_ptr<smptrace::v1::CatalogService::Stub> stub_;
  int run_tag_;
  int client_;
  std::string request_prefix_;
};

// CatalogService/ListLocations, one page of one: the cheapest authorised
// read, so its rate against health's shows what authentication costs.
class ReadCaller final : public Caller {
 public:
  explicit ReadCaller(std::shared_ptr<grpc::Channel> channel)
      : stub_(smptrace::v1::CatalogService::NewStub(channel)) {}

  grpc::Status Call(int64_t) override {
    smptrace::v1::ListLocationsRequest request;
    request.mutable_page()->set_page_size(1);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    smptrace::v1::ListLocationsResponse response;
    return stub_->ListLocations(&context, request, &response);
  }

 private:
  std::unique_ptr<smptrace::v1::CatalogService::Stub> stub_;
};

// ReadCaller's call through the HTTP API: POST
// /smptrace.v1.CatalogService/ListLocations with the request as JSON.
class HttpReadCaller final : public Caller {
 public:
  explicit HttpReadCaller(const BenchOptions& options)
      : client_(absl::StrCat(options.ca_cert.empty() ? "http://" : "https://",
                             options.web)) {
    if (!options.ca_cert_file.empty()) {
      client_.set_ca_cert_path(options.ca_cert_file.c_str());
      client_.enable_server_certificate_verification(true);
    }
    client_.set_keep_alive(true);
    client_.set_tcp_nodelay(true);
    headers_ = {{"Connect-Protocol-Version", "1"}};
    if (!options.token.empty()) {
      headers_.emplace("Authorization", "Bearer " + options.token);
    }
  }

  grpc::Status Call(int64_t) override {
    auto r = client_.Post("/smptrace.v1.CatalogService/ListLocations", headers_,
                          "{\"page\":{\"pageSize\":1}}", "application/json");
    if (!r) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          httplib::to_string(r.error()));
    }
    if (r->status != 200) {
      return grpc::Status(grpc::StatusCode::UNKNOWN,
                          absl::StrCat("HTTP ", r->status, ": ", r->body));
    }
    return grpc::Status::OK;
  }

 private:
  httplib::Client client_;
  httplib::Headers headers_;
};

// grpc.health.v1.Health/Check for the whole server: no work behind it, so
// its rate is what gRPC itself costs on this machine.
class HealthCaller final : public Caller {
 public:
  explicit HealthCaller(std::shared_ptr<grpc::Channel> channel)
      : channel_(std::move(channel)) {}

  grpc::Status Call(int64_t) override {
    return smptrace::bench::CheckServing(channel_);
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
};

int Run(const BenchOptions& options) {
  int run_tag = options.run_tag;
  std::random_device entropy;
  if (run_tag < 0) run_tag = static_cast<int>(entropy() % 1000);
  const std::string request_prefix =
      absl::StrFormat("bench-%03d-%08x", run_tag, entropy());

  // Connect every client before the clock starts.
  std::vector<std::unique_ptr<Caller>> callers;
  for (int c = 0; c < options.clients && options.rpc == "http_read"; ++c) {
    callers.push_back(std::make_unique<HttpReadCaller>(options));
    const grpc::Status first = callers.back()->Call(0);
    if (!first.ok()) {
      std::cerr << "error: " << options.web << ": " << first.error_message()
                << "\n";
      return 3;
    }
  }
  for (int c = 0; c < options.clients && options.rpc != "http_read"; ++c) {
    auto channel = smptrace::bench::OwnConnection(
        {options.server, options.ca_cert, options.token});
    if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                   std::chrono::seconds(10))) {
      std::cerr << "error: cannot connect to " << options.server << "\n";
      return 3;
    }
    if (options.rpc == "health") {
      callers.push_back(std::make_unique<HealthCaller>(channel));
    } else if (options.rpc == "read") {
      callers.push_back(std::make_unique<ReadCaller>(channel));
    } else {
      callers.push_back(
          std::make_unique<CreateCaller>(channel, run_tag, c, request_prefix));
    }
  }

  smptrace::bench::LoopOptions loop;
  loop.clients = options.clients;
  loop.seconds = options.seconds;
  loop.calls_per_client =
      options.ops > 0 ? (options.ops + options.clients - 1) / options.clients
                      : 0;
  const smptrace::bench::LoopResult result = smptrace::bench::RunLoop(
      loop, 1, [&](int client, int64_t seq, smptrace::bench::Call& call) {
        if (seq > kMaxSeq) return false;
        call.status = callers[client]->Call(seq);
        return true;
      });
  if (!result.first_error.empty()) {
    std::cerr << "first error: " << result.first_error << "\n";
  }
  std::printf(
      "rpc=%s clients=%d seconds=%.2f %s\n", options.rpc.c_str(),
      options.clients, result.seconds,
      smptrace::bench::Summary(result.kinds[0], result.seconds).c_str());
  const int64_t errors = result.errors();
  return errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  CLI::App app{
      "smptrace_bench_catalog: durable catalogue writes per second and their "
      "latency (or the health-check rate, the gRPC floor)"};
  app.add_option("--server", options.server, "smptraced host:port")
      ->capture_default_str();
  app.add_option(
         "--clients", options.clients,
         "concurrent clients: a thread, a channel and a connection each")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--seconds", options.seconds, "how long to run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--ops", options.ops,
                 "stop after this many calls in total instead (split evenly)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--rpc", options.rpc,
                 "create: CatalogService.CreateProduct (durable write); "
                 "read: CatalogService.ListLocations (an authorised read); "
                 "health: grpc.health.v1.Health/Check (the gRPC floor); "
                 "http_read: read through the HTTP API at --web")
      ->check(CLI::IsMember({"create", "read", "health", "http_read"}))
      ->capture_default_str();
  app.add_option("--run_tag", options.run_tag,
                 "0..999, keeps GTINs apart from other runs on the same data "
                 "(default random)")
      ->check(CLI::Range(0, 999));
  app.add_option("--web", options.web,
                 "the web listener's host:port (for --rpc http_read)")
      ->capture_default_str();
  std::string ca_cert_file, token_file;
  app.add_option("--ca_cert", ca_cert_file,
                 "TLS: the CA certificate (PEM) that signed the server's");
  app.add_option("--token_file", token_file,
                 "a file holding a bearer token (needs --ca_cert)");
  CLI11_PARSE(app, argc, argv);
  options.ca_cert_file = ca_cert_file;
  for (auto [flag, path, out] :
       {std::tuple{"--ca_cert", &ca_cert_file, &options.ca_cert},
        std::tuple{"--token_file", &token_file, &options.token}}) {
    if (path->empty()) continue;
    auto text = smptrace::ReadTextFile(flag, *path);
    if (!text.ok()) {
      std::cerr << "error: " << text.status().message() << "\n";
      return 2;
    }
    *out = std::string(absl::StripTrailingAsciiWhitespace(*text));
  }
  return Run(options);
}
