#include "client/bench_loop.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/health_check.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "service/domain/gs1.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "smptrace/v1/inventory.grpc.pb.h"
#include "smptrace/v1/session.grpc.pb.h"

namespace smptrace::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i =
      static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace

std::shared_ptr<grpc::Channel> OwnConnection(const Target& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (!target.ca_cert.empty()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = target.ca_cert;
    credentials = grpc::SslCredentials(ssl);
    if (!target.token.empty()) {
      credentials = grpc::CompositeChannelCredentials(
          credentials, grpc::AccessTokenCredentials(target.token));
    }
  }
  return grpc::CreateCustomChannel(target.server, credentials, args);
}

grpc::Status CheckServing(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  client::ServingStatus serving;
  grpc::Status status = client::CheckHealth(channel, &context, "", &serving);
  if (status.ok() && serving != client::ServingStatus::kServing) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        client::ServingStatusName(serving));
  }
  return status;
}

int64_t LoopResult::errors() const {
  int64_t n = 0;
  for (const KindResult& k : kinds) n += k.errors;
  return n;
}

LoopResult RunLoop(const LoopOptions& options, int kinds, const CallFn& call) {
  struct PerClient {
    std::vector<KindResult> kinds;
    std::string first_error;
  };
  std::vector<PerClient> per_client(options.clients);
  for (PerClient& c : per_client) c.kinds.resize(kinds);
  std::atomic<bool> go{false};
  Clock::time_point start, stop;
  const auto duration = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.seconds));
  // With a rate: client c's call k starts at start + (k * clients + c) /
  // rate.
  const auto slot = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.rate > 0 ? 1.0 / options.rate : 0));

  std::vector<std::thread> threads;
  for (int c = 0; c < options.clients; ++c) {
    threads.emplace_back([&, c] {
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      PerClient& mine = per_client[c];
      for (int64_t seq = 0;; ++seq) {
        if (options.calls_per_client > 0 ? seq >= options.calls_per_client
                                         : Clock::now() >= stop) {
          break;
        }
        if (options.rate > 0) {
          std::this_thread::sleep_until(start +
                                        slot * (seq * options.clients + c));
        }
        Call made;
        const auto t0 = Clock::now();
        if (!call(c, seq, made)) break;
        const auto t1 = Clock::now();
        KindResult& kind = mine.kinds[made.kind];
        if (made.status.ok()) {
          kind.latencies_ms.push_back(
              std::chrono::duration<double, std::milli>(t1 - t0).count());
        } else if (kind.errors++ == 0 && mine.first_error.empty()) {
          mine.first_error =
              absl::StrCat("code ", static_cast<int>(made.status.error_code()),
                           ": ", made.status.error_message());
        }
      }
    });
  }
  start = Clock::now();
  stop = start + duration;
  go.store(true, std::memory_order_release);
  for (auto& t : threads) t.join();

  LoopResult result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.kinds.resize(kinds);
  for (PerClient& c : per_client) {
    for (int k = 0; k < kinds; ++k) {
      KindResult& all = result.kinds[k];
      all.latencies_ms.insert(all.latencies_ms.end(),
                              c.kinds[k].latencies_ms.begin(),
                              c.kinds[k].latencies_ms.end());
      all.errors += c.kinds[k].errors;
    }
    if (result.first_error.empty()) result.first_error = c.first_error;
  }
  for (KindResult& k : result.kinds) {
    std::sort(k.latencies_ms.begin(), k.latencies_ms.end());
  }
  return result;
}

std::string Summary(const KindResult& kind, double seconds) {
  const std::vector<double>& ms = kind.latencies_ms;
  return absl::StrFormat(
      "ok=%zu errors=%lld rate=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f",
      ms.size(), static_cast<long long>(kind.errors),
      static_cast<double>(ms.size()) / seconds, Percentile(ms, 0.50),
      Percentile(ms, 0.99), ms.empty() ? 0.0 : ms.back());
}

std::string Clinic::Label(const Unit& unit) const {
  return absl::StrCat("(01)", gtin, "(10)", unit.lot, "(21)", unit.serial);
}

bool SetUpClinic(const std::shared_ptr<grpc::Channel>& channel,
                 const std::string& tag, int clients, int64_t units,
                 Clinic& clinic) {
  constexpr int kLotUnits = 1000;
  auto catalog = v1::CatalogService::NewStub(channel);
  auto inventory = v1::InventoryService::NewStub(channel);
  auto sessions = v1::SessionService::NewStub(channel);
  int64_t n = 0;
  auto id = [&] { return absl::StrCat("setup-", tag, "-", ++n); };
  auto ok = [](const grpc::Status& s, const char* what) {
    if (!s.ok()) {
      std::fprintf(stderr, "set-up: %s: %s\n", what, s.error_message().c_str());
    }
    return s.ok();
  };
  auto call = [](auto&& rpc) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    return rpc(&context);
  };

  std::string clinic_id;
  for (bool room : {false, true}) {
    v1::CreateLocationRequest r;
    r.set_request_id(id());
    r.mutable_location()->set_name(
        absl::StrCat(room ? "Room " : "Clinic ", tag));
    r.mutable_location()->set_kind(room ? v1::LOCATION_KIND_ROOM
                                        : v1::LOCATION_KIND_CLINIC);
    if (room) r.mutable_location()->set_parent_id(clinic_id);
    v1::Location out;
    if (!ok(call([&](grpc::ClientContext* c) {
              return catalog->CreateLocation(c, r, &out);
            }),
            "location")) {
      return false;
    }
    (room ? clinic.room_id : clinic_id) = out.location_id();
  }
  const std::string body = absl::StrCat("0950", tag, "00001");
  clinic.gtin = body + domain::Gs1CheckDigit(body);
  {
    v1::CreateProductRequest r;
    r.set_request_id(id());
    v1::Product* p = r.mutable_product();
    p->set_gtin(clinic.gtin);
    p->set_name(absl::StrCat("Bench cartridge ", tag));
    p->set_kind(v1::PRODUCT_KIND_NEEDLE_CARTRIDGE);
    p->set_manufacturer("Acme");
    p->set_units_per_pack(20);
    p->set_single_use(true);
    p->set_sterile(true);
    p->set_cartridge_configuration("1RL");
    v1::Product out;
    if (!ok(call([&](grpc::ClientContext* c) {
              return catalog->CreateProduct(c, r, &out);
            }),
            "product")) {
      return false;
    }
  }
  for (int i = 0; i < clients; ++i) {
    v1::CreateClientRequest r;
    r.set_request_id(id());
    r.set_code(absl::StrCat("BENCH", tag, "-", i));
    r.mutable_contact()->set_name(absl::StrCat("Bench Client ", i));
    r.mutable_contact()->set_email(absl::StrCat("bench", i, "@example.org"));
    v1::Client out;
    if (!ok(call([&](grpc::ClientContext* c) {
              return sessions->CreateClient(c, r, &out);
            }),
            "client")) {
      return false;
    }
    clinic.client_ids.push_back(out.client_id());
  }
  for (int64_t lot = 0; static_cast<int64_t>(clinic.units.size()) < units;
       ++lot) {
    v1::ReceiveRequest r;
    r.set_request_id(id());
    r.set_location_id(clinic.room_id);
    v1::ReceiveLine* line = r.add_lines();
    line->set_gtin(clinic.gtin);
    line->set_lot(absl::StrCat("S", tag, "L", lot));
    line->mutable_expiry()->set_year(2099);
    line->mutable_expiry()->set_month(12);
    line->mutable_expiry()->set_day(31);
    line->set_quantity(kLotUnits);
    v1::ReceiveResponse out;
    if (!ok(call([&](grpc::ClientContext* c) {
              return inventory->Receive(c, r, &out);
            }),
            "receive")) {
      return false;
    }
    for (const std::string& serial : out.lines(0).serials()) {
      clinic.units.push_back({line->lot(), serial});
    }
  }
  return true;
}

}  // namespace smptrace::bench
