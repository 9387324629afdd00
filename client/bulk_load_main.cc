// smptrace_bulk_load: builds a realistic store fast (client/bulk_load.h),
// then optionally compacts it and prints what it weighs per journal entry.
//
//   smptrace_bulk_load --data_dir /tmp/store1m --sessions 100000 --compact
//
// Output: key=value lines (entries, seconds, commands per second; the mean
// stored entry; with --verify, admin verify's pass timed on 1 thread and on
// every core, the store already open, the median of --verify_passes passes
// (each leaves the verification mark, as smptraced's complete pass does);
// with --compact, bytes per column
// family and per journal entry after a full compaction of every column
// family). --sessions 0 only measures an existing store.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "client/bench_log.h"
#include "client/bulk_load.h"
#include "common/clock.h"
#include "service/api/server.h"
#include "storage/journal.h"
#include "storage/store.h"

int main(int argc, char** argv) {
  using namespace smptrace;
  std::string data_dir;
  bench::BulkLoadOptions load;
  bool compact = false;
  bool verify = false;
  CLI::App app{"smptrace_bulk_load: a realistic clinic history, fast"};
  app.add_option("--data_dir", data_dir, "the store (created if missing)")
      ->required();
  app.add_option("--sessions", load.sessions, "sessions to record")
      ->capture_default_str();
  app.add_option("--uses_per_session", load.uses_per_session,
                 "cartridges scanned and disposed of per session")
      ->capture_default_str();
  app.add_option("--threads", load.threads, "practitioners calling at once")
      ->capture_default_str();
  app.add_option("--clients", load.clients, "distinct clients")
      ->capture_default_str();
  app.add_option("--lot_size", load.lot_size, "units per lot received")
      ->capture_default_str();
  app.add_flag("--compact", compact,
               "then compact every column family and print bytes per entry");
  app.add_flag("--verify", verify,
               "then time the journal's verification (chain and tree)");
  int verify_passes = 5;
  app.add_option("--verify_passes", verify_passes,
                 "passes timed per thread count; the median is reported")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  bool call_log = false;
  bench::AddCallLogFlag(app, call_log);
  CLI11_PARSE(app, argc, argv);
  bench::LogToStderr(bench::CallLogLevel(call_log));
  api::PrepareServerProcess();

  uint64_t entries = 0;
  if (load.sessions > 0) {
    api::ServerOptions options;
    options.listen = "";
    options.data_dir = data_dir;
    options.insecure_dev = true;
    options.ledger.sync = false;  // loading only: no stored byte differs
    options.integrity.background = false;
    auto server = api::Server::Start(options, SystemClock::Get());
    if (!server.ok()) {
      std::cerr << server.status() << "\n";
      return 1;
    }
    load.progress = [](int64_t sessions) {
      if (sessions % 10000 == 0) {
        std::fprintf(stderr, "%lld sessions\n",
                     static_cast<long long>(sessions));
      }
    };
    auto report = bench::BulkLoad(**server, load);
    if (!report.ok()) {
      std::cerr << report.status() << "\n";
      return 1;
    }
    entries = (*server)->journal_head().seq;
    std::printf(
        "sessions=%lld uses=%lld lots=%lld commands=%lld journal_entries=%llu "
        "seconds=%.1f commands_per_second=%.0f\n",
        static_cast<long long>(report->sessions),
        static_cast<long long>(report->uses),
        static_cast<long long>(report->lots),
        static_cast<long long>(report->commands),
        static_cast<unsigned long long>(entries), report->seconds,
        report->commands / report->seconds);
  }
  auto store = storage::Store::Open(data_dir, {});
  if (!store.ok()) {
    std::cerr << store.status() << "\n";
    return 1;
  }
  uint64_t entry_bytes = 0;
  entries = 0;
  absl::Status scanned = storage::ForEachJournalEntry(
      (*store)->live(), 1,
      [&](const storage::JournalEntryView& e) -> absl::StatusOr<bool> {
        ++entries;
        entry_bytes += e.event.size();
        return true;
      });
  if (!scanned.ok()) {
    std::cerr << scanned << "\n";
    return 1;
  }
  const double mean = entries ? static_cast<double>(entry_bytes) / entries : 0;
  std::printf("journal_entries=%llu mean_entry_bytes=%.0f\n",
              static_cast<unsigned long long>(entries), mean + 64);
  if (verify) {
    for (int threads : {1, 0}) {
      storage::VerifyOptions options;
      options.threads = threads;
      // A pass of a small store takes tens of milliseconds, less than this
      // VM's speed varies by; openssl speed, its yardstick, averages 3 s.
      std::vector<double> passes;
      for (int pass = 0; pass < verify_passes; ++pass) {
        const auto start = std::chrono::steady_clock::now();
        auto v = storage::VerifyJournal((*store)->live(), options);
        passes.push_back(std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count());
        if (!v.ok() || !v->ok) {
          std::cerr << "verify: "
                    << (v.ok() ? v->detail : v.status().ToString()) << "\n";
          return 1;
        }
        // A complete verification: the next smptraced start checks only the
        // entries after it (service/ledger/integrity_monitor.h).
        auto txn = (*store)->BeginWrite();
        storage::PutVerifiedMark(*txn, v->good_head);
        if (absl::Status s = (*store)->Commit(*txn, true); !s.ok()) {
          std::cerr << s << "\n";
          return 1;
        }
      }
      std::string each;
      for (double p : passes) {
        each += absl::StrFormat("%s%.3f", each.empty() ? "" : ",", p);
      }
      std::sort(passes.begin(), passes.end());
      const double seconds = passes[passes.size() / 2];
      // The journal's stored bytes (prev_hash || hash || event) per second:
      // what deploy/bench-store.sh compares with openssl speed sha256 at
      // the mean stored entry.
      const double stored = static_cast<double>(entry_bytes) + 64.0 * entries;
      std::printf(
          "verify_threads=%s verify_seconds=%.3f entries_per_second=%.0f "
          "journal_mb_per_second=%.1f passes=%s\n",
          threads == 0 ? "all" : "1", seconds, entries / seconds,
          stored / seconds / 1e6, each.c_str());
    }
  }
  if (!compact) return 0;
  std::vector<storage::Cf> all;
  for (int i = 0; i < storage::kNumCfs; ++i) {
    all.push_back(static_cast<storage::Cf>(i));
  }
  if (absl::Status s = (*store)->PurgeDeleted(all); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  uint64_t total = 0;
  for (const storage::CfStorageStats& cf : (*store)->Stats().cfs) {
    total += cf.sst_files_bytes;
    std::printf(
        "cf=%s bytes=%llu bytes_per_entry=%.0f\n", storage::CfName(cf.cf),
        static_cast<unsigned long long>(cf.sst_files_bytes),
        entries ? static_cast<double>(cf.sst_files_bytes) / entries : 0.0);
  }
  std::printf("cf=all bytes=%llu bytes_per_entry=%.0f\n",
              static_cast<unsigned long long>(total),
              entries ? static_cast<double>(total) / entries : 0.0);
  return 0;
}
