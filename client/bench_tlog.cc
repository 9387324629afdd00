// Benchmark: the transparency log's cost at a large journal. Builds a store
// of N entries of B bytes each straight through the journal (groups of
// 1000 per write batch, no fsync: the tree's own cost, not the disk's),
// once with the Merkle tree appended with each entry and once as a chain
// only (the format-2 append, for comparison), then times the tree's root,
// inclusion and consistency proofs and their verification, and reports the
// proof sizes, then times VerifyTlog and the whole VerifyJournal (on 1 thread
// and on every core). docs/BENCHMARKS.md has the numbers.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "client/bench_log.h"
#include "storage/journal.h"
#include "storage/keys.h"
#include "storage/merkle.h"
#include "storage/store.h"
#include "storage/tlog.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// CPU seconds this process has used (every thread), as openssl speed
// counts its own: on a shared machine wall time says more about the others.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Appends n entries; `tree` false writes what a format-2 append wrote (the
// entry and the head record) through the same chain hash.
double Fill(smptrace::storage::Store& store, uint64_t n, size_t bytes,
            bool tree) {
  namespace st = smptrace::storage;
  st::JournalHead head;
  std::string event(bytes, 'e');
  const auto start = Clock::now();
  for (uint64_t done = 0; done < n;) {
    auto txn = store.BeginWrite();
    for (int i = 0; i < 1000 && done < n; ++i, ++done) {
      std::snprintf(event.data(), event.size(), "%llu",
                    static_cast<unsigned long long>(done));
      if (tree) {
        head = st::AppendJournalEntry(*txn, head, event).value();
      } else {
        st::JournalHead next;
        next.seq = head.seq + 1;
        next.hash = st::JournalEntryHash(head.hash, next.seq, event);
        std::string value = head.hash + next.hash + event;
        txn->Put(st::Cf::kJournal, st::keys::JournalKey(next.seq), value);
        std::string h;
        st::keys::AppendUint64(&h, next.seq);
        h += next.hash;
        txn->Put(st::Cf::kMeta, st::keys::kJournalHeadKey, h);
        head = next;
      }
    }
    if (!store.Commit(*txn, /*sync=*/false).ok()) std::abort();
  }
  return n / Seconds(start);
}

}  // namespace

int main(int argc, char** argv) {
  namespace st = smptrace::storage;
  CLI::App app{"transparency log cost at a large journal"};
  std::string dir;
  uint64_t entries = 1000000;
  size_t bytes = 300;
  int samples = 2000;
  app.add_option("--dir", dir, "scratch directory (two stores go in it)")
      ->required();
  app.add_option("--entries", entries, "journal entries");
  app.add_option("--bytes", bytes, "event bytes per entry");
  app.add_option("--samples", samples, "proofs timed");
  bool reuse = false;
  app.add_flag("--reuse", reuse,
               "use the stores a run with the same --dir and --entries left");
  CLI11_PARSE(app, argc, argv);
  smptrace::bench::LogToStderr(spdlog::level::info);

  st::StoreOptions options;
  options.min_free_bytes = 0;
  double chain_rate = 0;
  if (!reuse) {
    auto chain = st::Store::Open(dir + "/chain", options);
    if (!chain.ok()) return 1;
    chain_rate = Fill(**chain, entries, bytes, /*tree=*/false);
  }
  auto store = st::Store::Open(dir + "/tree", options);
  if (!store.ok()) return 1;
  const double tree_rate =
      reuse ? 0 : Fill(**store, entries, bytes, /*tree=*/true);
  absl::PrintF(
      "appends/s, %d-byte events, 1000 per batch, no fsync: chain "
      "only %.0f, chain + tree %.0f (%.2fx)\n",
      bytes, chain_rate, tree_rate, chain_rate / tree_rate);

  const st::Reader& r = (*store)->live();
  auto start = Clock::now();
  const std::string root = *st::ReadTlogRoot(r, entries);
  absl::PrintF("root of %d entries: %.1f us\n", entries, Seconds(start) * 1e6);

  std::mt19937_64 rng(1);
  size_t hashes = 0;
  double prove = 0, verify = 0;
  for (int i = 0; i < samples; ++i) {
    const uint64_t index = rng() % entries;
    auto t = Clock::now();
    auto path = *st::ReadTlogInclusionProof(r, index, entries);
    prove += Seconds(t);
    hashes += path.size();
    std::string event(bytes, 'e');
    std::snprintf(event.data(), event.size(), "%llu",
                  static_cast<unsigned long long>(index));
    t = Clock::now();
    if (!st::VerifyTlogInclusion(
             st::TlogLeafHash(st::TlogLeafData(index + 1, event)), index,
             entries, path, root)
             .ok()) {
      std::abort();
    }
    verify += Seconds(t);
  }
  absl::PrintF(
      "inclusion proof: %.1f hashes (%.0f bytes) average; prove %.1f us, "
      "verify %.1f us average over %d random entries\n",
      static_cast<double>(hashes) / samples, 32.0 * hashes / samples,
      prove / samples * 1e6, verify / samples * 1e6, samples);

  hashes = 0;
  prove = 0;
  verify = 0;
  for (int i = 0; i < samples; ++i) {
    const uint64_t old_size = 1 + rng() % entries;
    auto t = Clock::now();
    auto proof = *st::ReadTlogConsistencyProof(r, old_size, entries);
    prove += Seconds(t);
    hashes += proof.size();
    const std::string old_root = *st::ReadTlogRoot(r, old_size);
    t = Clock::now();
    if (!st::VerifyTlogConsistency(old_size, entries, old_root, root, proof)
             .ok()) {
      std::abort();
    }
    verify += Seconds(t);
  }
  absl::PrintF(
      "consistency proof: %.1f hashes (%.0f bytes) average; prove %.1f us, "
      "verify %.1f us average over %d random old sizes\n",
      static_cast<double>(hashes) / samples, 32.0 * hashes / samples,
      prove / samples * 1e6, verify / samples * 1e6, samples);

  start = Clock::now();
  auto v = st::VerifyTlog(r);
  absl::PrintF(
      "VerifyTlog (admin verify's tree check) of %d entries: %.1f s, %s\n",
      entries, Seconds(start), v.ok() && v->ok ? "ok" : "FAILED");
  // admin verify's whole pass (chain and tree), the store open; its rate in
  // stored entry bytes (64 bytes of hashes + the event) per second, to set
  // against `openssl speed -bytes <that size> sha256`.
  for (int threads : {1, 0}) {
    st::VerifyOptions verify;
    verify.threads = threads;
    start = Clock::now();
    const double cpu_start = CpuSeconds();
    auto whole = st::VerifyJournal(r, verify);
    const double seconds = Seconds(start);
    const double cpu = CpuSeconds() - cpu_start;
    const double stored = entries * (bytes + 64.0) / 1e6;
    absl::PrintF(
        "VerifyJournal (chain and tree), %s: %.2f s wall, %.2f s CPU; "
        "%.1f MB/s of %d-byte stored entries per CPU second, %.1f MB/s "
        "wall, %s\n",
        threads == 1 ? "1 thread" : "every core", seconds, cpu, stored / cpu,
        bytes + 64, stored / seconds,
        whole.ok() && whole->ok ? "ok" : "FAILED");
  }
  return 0;
}
