#include "service/api/server_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "smptrace/v1/admin.pb.h"
#include "storage/signing.h"

namespace smptrace::api {
namespace {

std::string ReadProcFile(const char* path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

double Field(const std::vector<absl::string_view>& fields, size_t i) {
  double v = 0;
  if (i < fields.size() && absl::SimpleAtod(fields[i], &v)) return v;
  return 0;
}

void Gauge(PrometheusText& out, const char* name, const char* help,
           double value) {
  out.Family(name, MetricType::kGauge, help);
  out.Sample(name, {}, value);
}

void Counter(PrometheusText& out, const char* name, const char* help,
             double value) {
  out.Family(name, MetricType::kCounter, help);
  out.Sample(name, {}, value);
}

void WriteProcess(PrometheusText& out) {
  const ProcessStats p = ReadProcessStats();
  Gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.",
        p.resident_memory_bytes);
  Gauge(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
        p.virtual_memory_bytes);
  Gauge(out, "process_open_fds", "Number of open file descriptors.",
        p.open_fds);
  Gauge(out, "process_max_fds", "Maximum number of open file descriptors.",
        p.max_fds);
  Gauge(out, "process_start_time_seconds",
        "Start time of the process since unix epoch in seconds.",
        p.start_time_seconds);
  Counter(out, "process_cpu_seconds_total",
          "Total user and system CPU time spent in seconds.", p.cpu_seconds);
}

// The smptrace_clinic_* families (none if the store could not be read:
// smptrace_clinic_scrape_error says so). Counts only: no client, lot or
// session id ever becomes a label.
void WriteClinic(const absl::StatusOr<query::ClinicCounts>& counts,
                 PrometheusText& out) {
  Gauge(out, "smptrace_clinic_scrape_error",
        "1 if the clinic's state could not be read for these gauges.",
        counts.ok() ? 0 : 1);
  if (!counts.ok()) return;
  const query::ClinicCounts& c = *counts;
  auto count = [&out](const char* name, const char* help, int64_t value) {
    Gauge(out, name, help, static_cast<double>(value));
  };
  count("smptrace_clinic_open_sessions", "Sessions open now.", c.open_sessions);
  count("smptrace_clinic_units_in_stock",
        "Units in stock, every lot and location.", c.units_in_stock);
  count("smptrace_clinic_lots_expiring_30d",
        "Lots with units in stock that expire within 30 days.",
        c.lots_expiring_30d);
  count("smptrace_clinic_lots_expired_in_stock",
        "Expired lots that still have units in stock.",
        c.lots_expired_in_stock);
  out.Family("smptrace_clinic_lots_on_hold", MetricType::kGauge,
             "Lots quarantined or recalled, by status.");
  out.Sample("smptrace_clinic_lots_on_hold", {{"status", "quarantined"}},
             static_cast<double>(c.lots_quarantined));
  out.Sample("smptrace_clinic_lots_on_hold", {{"status", "recalled"}},
             static_cast<double>(c.lots_recalled));
  count("smptrace_clinic_exceptions_today",
        "Exceptions of the sessions started today (clinic time).",
        c.exceptions_today);
}

void WriteLedger(const MetricsSources& s, PrometheusText& out) {
  const ledger::LedgerStats stats = s.ledger->stats();
  Counter(out, "smptrace_ledger_commands_total",
          "Commands the ledger answered (accepted, refused or retried).",
          static_cast<double>(stats.commands));
  Counter(out, "smptrace_ledger_commits_total",
          "Commit groups written (one synced RocksDB write each).",
          static_cast<double>(stats.commits));
  Counter(out, "smptrace_journal_entries_appended_total",
          "Journal entries appended since start.",
          static_cast<double>(stats.journal_entries));
  Gauge(out, "smptrace_ledger_queue_depth",
        "Commands waiting for the ledger's writer now.",
        static_cast<double>(stats.queued));
  s.commits->Write(out);
  Gauge(out, "smptrace_journal_head_seq", "The journal's last sequence number.",
        static_cast<double>(s.ledger->head().seq));
  // The last checkpoint issued, as recorded in the store: a restart does
  // not reset it.
  const auto checkpoint = storage::ReadIssuedCheckpoint(s.store->live());
  Gauge(
      out, "smptrace_checkpoint_last_signed_timestamp_seconds",
      "When the server last signed a checkpoint (GetCheckpoint), Unix "
      "time; 0 if it never did.",
      checkpoint.ok() && checkpoint->has_value()
          ? absl::ToDoubleSeconds((*checkpoint)->signed_at - absl::UnixEpoch())
          : 0);

  const ledger::IntegrityStats integrity = s.integrity->stats();
  Counter(out, "smptrace_verify_passes_total",
          "Whole-journal verification passes completed since start.",
          static_cast<double>(integrity.passes));
  Counter(out, "smptrace_verify_damaged_passes_total",
          "Verification passes that found the journal damaged.",
          static_cast<double>(integrity.damaged_passes));
  Gauge(out, "smptrace_verify_last_pass_entries",
        "Journal entries the last verification pass checked.",
        static_cast<double>(integrity.entries_last_pass));
  Gauge(out, "smptrace_verify_last_pass_seconds",
        "How long the last verification pass took.",
        absl::ToDoubleSeconds(integrity.last_pass_time));
  Gauge(out, "smptrace_journal_damaged",
        "1 if verification found the journal damaged (writes refused).",
        integrity.damage.empty() ? 0 : 1);
  Gauge(out, "smptrace_verify_complete_pass_pending",
        "1 while the start check covered only the entries since the last "
        "complete verification and the next complete pass has not ended.",
        integrity.full_pass_pending ? 1 : 0);
  Gauge(out, "smptrace_journal_verified_through_seq",
        "The last seq a complete verification found intact.",
        static_cast<double>(integrity.verified_through));
  Counter(out, "smptrace_retries_expired_total",
          "Idempotency records cut to a marker (retry window passed).",
          static_cast<double>(integrity.retries_expired));

  const storage::WriteGateState gate = s.store->write_gate().state();
  out.Family("smptrace_writes_refused", MetricType::kGauge,
             "1 while writes are refused for this reason.");
  for (int i = 0; i < storage::kNumWriteBlocks; ++i) {
    out.Sample("smptrace_writes_refused",
               {{"reason",
                 storage::WriteBlockName(static_cast<storage::WriteBlock>(i))}},
               gate.blocks[i].active ? 1 : 0);
  }
}

void WriteRocksDb(const storage::Store& store, PrometheusText& out) {
  const storage::StorageStats stats = store.Stats();
  struct PerCf {
    const char* name;
    const char* help;
    uint64_t storage::CfStorageStats::*field;
    MetricType type;
  };
  const PerCf per_cf[] = {
      {"smptrace_rocksdb_live_data_bytes",
       "Estimated live data per column family.",
       &storage::CfStorageStats::live_data_bytes, MetricType::kGauge},
      {"smptrace_rocksdb_sst_files_bytes", "SST files per column family.",
       &storage::CfStorageStats::sst_files_bytes, MetricType::kGauge},
      {"smptrace_rocksdb_memtable_bytes",
       "Unflushed data (held in the write-ahead log) per column family.",
       &storage::CfStorageStats::memtable_bytes, MetricType::kGauge},
      {"smptrace_rocksdb_pending_compaction_bytes",
       "Estimated bytes compaction still has to rewrite, per column family.",
       &storage::CfStorageStats::pending_compaction_bytes, MetricType::kGauge},
      {"smptrace_rocksdb_write_stops_total",
       "Times RocksDB stopped writes (write stalls) per column family.",
       &storage::CfStorageStats::stall_stops, MetricType::kCounter},
      {"smptrace_rocksdb_write_slowdowns_total",
       "Times RocksDB slowed writes down per column family.",
       &storage::CfStorageStats::stall_slowdowns, MetricType::kCounter},
  };
  for (const PerCf& m : per_cf) {
    out.Family(m.name, m.type, m.help);
    for (const storage::CfStorageStats& cf : stats.cfs) {
      out.Sample(m.name, {{"cf", storage::CfName(cf.cf)}},
                 static_cast<double>(cf.*m.field));
    }
  }
  Gauge(out, "smptrace_rocksdb_wal_bytes",
        "Write-ahead log files (shared by every column family).",
        static_cast<double>(stats.wal_bytes));
  Gauge(out, "smptrace_rocksdb_writes_stopped", "1 while RocksDB stops writes.",
        stats.writes_stopped ? 1 : 0);
}

void WriteAuth(const AuthLog* log, PrometheusText& out) {
  out.Family("smptrace_auth_refusals_total", MetricType::kCounter,
             "Calls refused by authentication or the role table, by reason.");
  if (log == nullptr) return;  // no authentication: nothing is refused
  const v1::AuthStats stats = log->Stats();
  // The reasons are a short fixed vocabulary (auth.h), never names or ids.
  std::map<std::string, int64_t> by_reason(stats.by_reason().begin(),
                                           stats.by_reason().end());
  for (const auto& [reason, n] : by_reason) {
    out.Sample("smptrace_auth_refusals_total", {{"reason", reason}},
               static_cast<double>(n));
  }
}

}  // namespace

ProcessStats ReadProcessStats() {
  ProcessStats p;
  const std::string stat = ReadProcFile("/proc/self/stat");
  // After "pid (comm) ": state is field 3 of proc(5), so index 0 here.
  const size_t close = stat.rfind(')');
  if (close != std::string::npos && close + 2 <= stat.size()) {
    std::vector<absl::string_view> f = absl::StrSplit(
        absl::string_view(stat).substr(close + 2), ' ', absl::SkipEmpty());
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    p.cpu_seconds = (Field(f, 11) + Field(f, 12)) / ticks;  // utime, stime
    p.virtual_memory_bytes = Field(f, 20);                  // vsize
    p.resident_memory_bytes = Field(f, 21) * page;          // rss
    double boot = 0;
    const std::string proc_stat = ReadProcFile("/proc/stat");
    for (absl::string_view line : absl::StrSplit(proc_stat, '\n')) {
      if (absl::ConsumePrefix(&line, "btime ")) {
        if (!absl::SimpleAtod(line, &boot)) boot = 0;
      }
    }
    p.start_time_seconds = boot + Field(f, 19) / ticks;  // starttime
  }
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", error);
       !error && it != std::filesystem::directory_iterator();
       it.increment(error)) {
    ++p.open_fds;
  }
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    p.max_fds = static_cast<double>(limit.rlim_cur);
  }
  return p;
}

CommitMetrics::CommitMetrics()
    : group_size_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512}),
      write_seconds_(LatencySecondsBuckets()) {}

void CommitMetrics::Committed(size_t commands, absl::Duration write_time,
                              bool ok) {
  if (!ok) {
    absl::MutexLock lock(&mu_);
    ++failed_;
    return;
  }
  group_size_.Observe(static_cast<double>(commands));
  write_seconds_.Observe(absl::ToDoubleSeconds(write_time));
}

void CommitMetrics::Write(PrometheusText& out) const {
  out.Family("smptrace_ledger_commit_group_size", MetricType::kHistogram,
             "Commands per commit group written.");
  out.HistogramSamples("smptrace_ledger_commit_group_size", {},
                       group_size_.counts());
  out.Family("smptrace_ledger_commit_seconds", MetricType::kHistogram,
             "Time to write and fsync one commit group, in seconds.");
  out.HistogramSamples("smptrace_ledger_commit_seconds", {},
                       write_seconds_.counts());
  absl::MutexLock lock(&mu_);
  Counter(out, "smptrace_ledger_commit_failures_total",
          "Commit groups that could not be written (nothing of them was).",
          static_cast<double>(failed_));
}

std::string RenderServerMetrics(const MetricsSources& s) {
  PrometheusText out;
  s.calls->Write(out);
  WriteLedger(s, out);
  WriteRocksDb(*s.store, out);
  WriteAuth(s.auth_log, out);
  WriteProcess(out);
  WriteClinic(s.clinic->Counts(), out);
  return out.text();
}

}  // namespace smptrace::api
