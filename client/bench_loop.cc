#include "client/bench_loop.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/health_check.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

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

}  // namespace smptrace::bench
