// smptrace_bench_ledger: commands per second inside the ledger, with no RPC
// (issue 20, goal 2): every command a real decision with its reads, every
// commit fsynced, next to RocksDB's own db_bench at the same concurrency.
//
//   smptrace_bench_ledger --data_dir /tmp/bench-ledger --threads 1,2,4
//
// Set-up, through an in-process smptraced (not timed): a clinic and a room,
// one cartridge product, one client per thread, and lots of 1,000 units
// received until there are --units units. Then, for each thread count T:
// T threads, each submitting to the ledger one command at a time what the
// API would hand it for a practitioner's session: StartSession, then
// --scans ScanConsumable by the serial label of an unused unit (the scan
// already parsed, as the API does), then the next session, for --seconds.
// Every command is answered only after its group was fsynced.
//
// If `db_bench` (Debian's rocksdb-tools) is on the PATH, the same thread
// counts run `db_bench --benchmarks=fillrandom --sync=1 --value_size=1024`
// on a directory next to --data_dir for as long, and each line shows the
// ratio. Output, key=value lines:
//   ledger: threads=2 seconds=5.00 commands=... commands_per_s=...
//     p50_ms=... p99_ms=... groups=... overlapped=... db_bench_ops_per_s=...
//     ratio=...
// (groups: commits; overlapped: groups decided while the one before was
// still in its commit).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "client/bench_log.h"
#include "client/bench_loop.h"
#include "common/clock.h"
#include "grpcpp/client_context.h"
#include "service/api/caller.h"
#include "service/api/server.h"
#include "spdlog/spdlog.h"

namespace {

using namespace smptrace;
using Steady = std::chrono::steady_clock;

// db_bench fillrandom --sync=1 at `threads`: ops/s, or 0 if it did not run.
double DbBench(const std::string& dir, int threads, double seconds) {
  const std::string command = absl::StrCat(
      "db_bench --benchmarks=fillrandom --sync=1 --value_size=1024 "
      "--num=1000000 --ops_between_duration_checks=1 --duration=",
      std::max(1, static_cast<int>(seconds)), " --threads=", threads,
      " --db=", dir, " 2>&1");
  FILE* out = popen(command.c_str(), "r");
  if (out == nullptr) return 0;
  double ops = 0;
  char line[1024];
  while (std::fgets(line, sizeof line, out) != nullptr) {
    // "fillrandom   :      98.765 micros/op 10124 ops/sec; ..."
    absl::string_view text(line);
    if (!absl::StartsWith(text, "fillrandom")) continue;
    const size_t at = text.find(" ops/sec");
    if (at == absl::string_view::npos) continue;
    const size_t from = text.rfind(' ', at - 1);
    if (!absl::SimpleAtod(text.substr(from + 1, at - from - 1), &ops)) ops = 0;
  }
  pclose(out);
  return ops;
}

bool HaveDbBench() {
  return std::system("command -v db_bench >/dev/null") == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = "/tmp/smptrace-bench-ledger";
  std::string thread_list = "1,2,4";
  double seconds = 5;
  int scans = 4;
  int64_t units = 30000;
  bool db_bench = true;
  CLI::App app{
      "smptrace_bench_ledger: commands per second inside the ledger (fsync "
      "on, no RPC) next to db_bench fillrandom --sync=1"};
  app.add_option("--data_dir", data_dir, "a fresh scratch directory")
      ->capture_default_str();
  app.add_option("--threads", thread_list,
                 "thread counts to run, one after the other")
      ->capture_default_str();
  app.add_option("--seconds", seconds, "how long each thread count runs")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--scans", scans, "scans per session")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--units", units,
                 "units received before the clock starts (lots of 1,000): "
                 "at least the scans of every run together")
      ->capture_default_str();
  app.add_flag("!--no_db_bench", db_bench, "do not run db_bench");
  CLI11_PARSE(app, argc, argv);
  std::vector<int> thread_counts;
  for (absl::string_view t : absl::StrSplit(thread_list, ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(t, &n) || n < 1 || n > 256) {
      std::cerr << "--threads: a list of 1..256, got " << thread_list << "\n";
      return 2;
    }
    thread_counts.push_back(n);
  }
  const int most =
      *std::max_element(thread_counts.begin(), thread_counts.end());

  // Warnings only, on stderr: not every set-up call's line.
  smptrace::bench::LogToStderr(spdlog::level::warn);
  api::PrepareServerProcess();
  api::ServerOptions options;
  options.listen = "";
  options.data_dir = data_dir;
  options.insecure_dev = true;
  options.metrics_listen = "";
  auto server = api::Server::Start(options, SystemClock::Get());
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  bench::Clinic clinic;
  if (!bench::SetUpClinic((*server)->InProcessChannel(), "0600", most, units,
                          clinic)) {
    return 3;
  }
  ledger::Ledger& ledger = (*server)->ledger();
  if (db_bench && !HaveDbBench()) {
    std::printf("db_bench: not on the PATH (Debian: rocksdb-tools)\n");
    db_bench = false;
  }

  std::atomic<size_t> next_unit{0};
  int exit_code = 0;
  for (int threads : thread_counts) {
    const smptrace::ledger::LedgerStats before = ledger.stats();
    std::vector<std::vector<double>> ms(threads);
    std::vector<int64_t> errors(threads, 0);
    std::atomic<bool> go{false};
    Steady::time_point stop;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
        std::string session_id;
        for (int64_t seq = 0; Steady::now() < stop; ++seq) {
          v1::Command command;
          command.set_request_id(absl::StrCat("t", threads, "-", t, "-", seq));
          command.set_actor(api::kInsecureDevActor);
          if (seq % (scans + 1) == 0) {
            v1::StartSessionRequest* s = command.mutable_start_session();
            s->set_client(clinic.client_ids[t]);
            s->set_practitioner("Bench");
            s->set_location_id(clinic.room_id);
            s->set_plan_step(v1::PLAN_STEP_TOUCH_UP);
            s->set_treatment_area("crown");
            s->mutable_answers()->set_none_apply(true);
          } else {
            const size_t unit = next_unit.fetch_add(1);
            if (unit >= clinic.units.size()) break;
            command.mutable_scan_consumable()->set_session_id(session_id);
            const bench::Clinic::Unit& u = clinic.units[unit];
            command.mutable_scan_consumable()->set_barcode(clinic.Label(u));
            v1::ResolvedScan* scan = command.mutable_scan();
            scan->set_gtin(clinic.gtin);
            scan->set_lot(u.lot);
            scan->set_serial(u.serial);
          }
          const auto t0 = Steady::now();
          auto result = ledger.Submit(std::move(command));
          const auto t1 = Steady::now();
          if (!result.ok()) {
            if (errors[t]++ == 0) {
              std::cerr << "thread " << t << ": " << result.status() << "\n";
            }
            continue;
          }
          if (result->has_session()) {
            session_id = result->session().session_id();
          }
          ms[t].push_back(
              std::chrono::duration<double, std::milli>(t1 - t0).count());
        }
      });
    }
    const auto start = Steady::now();
    stop = start + std::chrono::duration_cast<Steady::duration>(
                       std::chrono::duration<double>(seconds));
    go.store(true, std::memory_order_release);
    for (auto& w : workers) w.join();
    const double elapsed =
        std::chrono::duration<double>(Steady::now() - start).count();
    std::vector<double> all;
    int64_t failed = 0;
    for (int t = 0; t < threads; ++t) {
      all.insert(all.end(), ms[t].begin(), ms[t].end());
      failed += errors[t];
    }
    std::sort(all.begin(), all.end());
    auto at = [&](double p) {
      return all.empty() ? 0.0
                         : all[std::min(all.size() - 1,
                                        static_cast<size_t>(p * all.size()))];
    };
    const double rate = static_cast<double>(all.size()) / elapsed;
    std::string line = absl::StrFormat(
        "ledger: threads=%d seconds=%.2f commands=%zu errors=%lld "
        "commands_per_s=%.1f p50_ms=%.3f p99_ms=%.3f groups=%llu "
        "overlapped=%llu",
        threads, elapsed, all.size(), static_cast<long long>(failed), rate,
        at(0.50), at(0.99),
        static_cast<unsigned long long>(ledger.stats().commits -
                                        before.commits),
        static_cast<unsigned long long>(ledger.stats().overlapped -
                                        before.overlapped));
    if (db_bench) {
      const double ops =
          DbBench(absl::StrCat(data_dir, ".db_bench"), threads, seconds);
      absl::StrAppendFormat(&line, " db_bench_ops_per_s=%.1f ratio=%.3f", ops,
                            ops > 0 ? rate / ops : 0.0);
    }
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    if (failed > 0) exit_code = 1;
    if (next_unit.load() >= clinic.units.size()) {
      std::cerr << "note: the units ran out; give more --units\n";
      break;
    }
  }
  (*server)->Shutdown();
  if (db_bench) {
    const std::string rm = absl::StrCat("rm -rf '", data_dir, ".db_bench'");
    if (std::system(rm.c_str()) != 0) std::cerr << "could not " << rm << "\n";
  }
  return exit_code;
}
