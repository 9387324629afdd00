// smptrace_bench_scan: durable scans per second through a running smptraced,
// the practitioner's write path, against the same server's health checks
// (the gRPC floor) in the same run (issue 20, goal 1).
//
//   smptrace_bench_scan --server 127.0.0.1:8470 --clients 64 --seconds 10
//   smptrace_bench_scan --server ... --clients 4 --scan_rate 200
//
// Set-up (not timed): a clinic and a room, one cartridge product, one client
// per bench client, and lots of 1,000 units received into the room until
// there are --units units. Then each bench client is a thread with its own
// connection making one call at a time: StartSession, then --scans
// ScanConsumable by the serial label of a unit no one has used yet, then the
// next session, until --seconds are up (or the units run out). Each scan is
// answered only after its journal entry was fsynced. Then the same number of
// clients call grpc.health.v1.Health/Check for as long. With --scan_rate the
// calls start on a fixed schedule (that many scans per second, their
// sessions on top) instead of as soon as the last one was answered.
//
// Output, key=value lines for scripts:
//   scan: clients=64 seconds=10.02 ok=... errors=0 rate=... p50_ms=...
//   start_session: ...
//   health: ...
//   ratio: scans_per_health=0.31
// Exit 0 if every call succeeded, 1 otherwise (the first error on stderr),
// 3 if the server cannot be reached or the set-up fails.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/bench_loop.h"
#include "grpcpp/client_context.h"
#include "smptrace/v1/session.grpc.pb.h"

namespace {

using namespace smptrace;

struct ScanOptions {
  bench::Target target;
  int clients = 1;
  double seconds = 10;
  int scans = 4;  // per session
  int64_t units = 20000;
  double scan_rate = 0;
  bool health = true;
};

enum Kind { kScan = 0, kStart = 1, kKinds = 2 };

template <typename T>
void Deadline(T& context) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
}

int Run(const ScanOptions& options) {
  std::random_device entropy;
  // Four digits that keep this run's names apart from other runs' on the
  // same data directory.
  const std::string tag = absl::StrFormat("%04d", entropy() % 10000);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int c = 0; c < options.clients; ++c) {
    channels.push_back(bench::OwnConnection(options.target));
    if (!channels.back()->WaitForConnected(std::chrono::system_clock::now() +
                                           std::chrono::seconds(10))) {
      std::cerr << "error: cannot connect to " << options.target.server << "\n";
      return 3;
    }
  }
  bench::Clinic clinic;
  if (!bench::SetUpClinic(channels[0], tag, options.clients, options.units,
                          clinic)) {
    return 3;
  }

  struct Station {
    std::unique_ptr<v1::SessionService::Stub> stub;
    std::string session_id;
  };
  std::vector<Station> stations(options.clients);
  for (int c = 0; c < options.clients; ++c) {
    stations[c].stub = v1::SessionService::NewStub(channels[c]);
  }
  std::atomic<size_t> next_unit{0};
  const std::string request_prefix =
      absl::StrFormat("scan-%s-%08x", tag, entropy());
  const int per_session = options.scans + 1;

  bench::LoopOptions loop;
  loop.clients = options.clients;
  loop.seconds = options.seconds;
  if (options.scan_rate > 0) {
    loop.rate = options.scan_rate * per_session / options.scans;
  }
  const bench::LoopResult scans =
      bench::RunLoop(loop, kKinds, [&](int c, int64_t seq, bench::Call& call) {
        Station& station = stations[c];
        const std::string request_id =
            absl::StrCat(request_prefix, "-", c, "-", seq);
        grpc::ClientContext context;
        Deadline(context);
        if (seq % per_session == 0) {
          v1::StartSessionRequest r;
          r.set_request_id(request_id);
          r.set_client(clinic.client_ids[c]);
          r.set_practitioner("Bench");
          r.set_location_id(clinic.room_id);
          r.set_plan_step(v1::PLAN_STEP_TOUCH_UP);
          r.set_treatment_area("crown");
          r.mutable_answers()->set_none_apply(true);
          v1::Session session;
          call.kind = kStart;
          call.status = station.stub->StartSession(&context, r, &session);
          station.session_id = session.session_id();
          return true;
        }
        const size_t unit = next_unit.fetch_add(1);
        if (unit >= clinic.units.size()) return false;
        v1::ScanConsumableRequest r;
        r.set_request_id(request_id);
        r.set_session_id(station.session_id);
        r.set_barcode(clinic.Label(clinic.units[unit]));
        v1::ScanConsumableResponse used;
        call.kind = kScan;
        call.status = station.stub->ScanConsumable(&context, r, &used);
        return true;
      });
  if (next_unit.load() >= clinic.units.size()) {
    std::cerr << "note: the " << clinic.units.size()
              << " units ran out before --seconds; give more --units\n";
  }
  std::printf("scan: clients=%d seconds=%.2f %s\n", options.clients,
              scans.seconds,
              bench::Summary(scans.kinds[kScan], scans.seconds).c_str());
  std::printf("start_session: clients=%d seconds=%.2f %s\n", options.clients,
              scans.seconds,
              bench::Summary(scans.kinds[kStart], scans.seconds).c_str());
  std::string first_error = scans.first_error;
  int64_t errors = scans.errors();
  if (options.health) {
    loop.rate = 0;
    const bench::LoopResult health =
        bench::RunLoop(loop, 1, [&](int c, int64_t, bench::Call& call) {
          call.status = bench::CheckServing(channels[c]);
          return true;
        });
    std::printf("health: clients=%d seconds=%.2f %s\n", options.clients,
                health.seconds,
                bench::Summary(health.kinds[0], health.seconds).c_str());
    const double scan_rate =
        static_cast<double>(scans.kinds[kScan].latencies_ms.size()) /
        scans.seconds;
    const double health_rate =
        static_cast<double>(health.kinds[0].latencies_ms.size()) /
        health.seconds;
    std::printf("ratio: scans_per_health=%.3f\n",
                health_rate > 0 ? scan_rate / health_rate : 0.0);
    if (first_error.empty()) first_error = health.first_error;
    errors += health.errors();
  }
  if (!first_error.empty()) std::cerr << "first error: " << first_error << "\n";
  return errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  ScanOptions options;
  CLI::App app{
      "smptrace_bench_scan: durable scans per second (StartSession, then "
      "scans by serial) against the same server's health checks"};
  app.add_option("--server", options.target.server, "smptraced host:port")
      ->capture_default_str();
  app.add_option(
         "--clients", options.clients,
         "concurrent clients: a thread, a channel and a connection each")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--seconds", options.seconds, "how long each phase runs")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--scans", options.scans, "scans per session")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--units", options.units,
                 "units received before the clock starts (lots of 1,000): "
                 "at least the scans the run will make")
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}))
      ->capture_default_str();
  app.add_option("--scan_rate", options.scan_rate,
                 "scans per second on a fixed schedule (0: closed loop, as "
                 "fast as answered)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("!--no_health", options.health, "skip the health-check phase");
  CLI11_PARSE(app, argc, argv);
  return Run(options);
}
