// Everything smptraced's /metrics says, gathered on each scrape: the calls
// (call_metrics.h), the ledger (commands, commit groups and their sizes,
// commit latency, queue depth, journal head, verification), RocksDB (per
// column family sizes, pending compaction, write stalls), the process
// (memory, open files, start time), refused calls by reason, and the
// clinic's state (service/query/clinic_metrics.h). See docs/admin.md,
// "Monitoring".
#ifndef SMPTRACE_SERVICE_API_SERVER_METRICS_H_
#define SMPTRACE_SERVICE_API_SERVER_METRICS_H_

#include <string>

#include "absl/time/time.h"
#include "service/api/auth.h"
#include "service/api/call_metrics.h"
#include "service/api/prometheus_text.h"
#include "service/ledger/integrity_monitor.h"
#include "service/ledger/ledger.h"
#include "service/query/clinic_metrics.h"
#include "storage/store.h"

namespace smptrace::api {

// The process's own figures, from /proc/self.
struct ProcessStats {
  double resident_memory_bytes = 0;
  double virtual_memory_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;
  double start_time_seconds = 0;  // Unix time
  double cpu_seconds = 0;         // user + system
};
// Reads them; fields it cannot read stay 0.
ProcessStats ReadProcessStats();

// What the commits were like (the ledger tells it, on its writer thread).
// Thread-safe.
class CommitMetrics final : public ledger::CommitObserver {
 public:
  CommitMetrics();
  void Committed(size_t commands, absl::Duration write_time, bool ok) override;
  void Write(PrometheusText& out) const;

 private:
  Histogram group_size_;
  Histogram write_seconds_;
  mutable absl::Mutex mu_;
  uint64_t failed_ ABSL_GUARDED_BY(mu_) = 0;
};

// Where a scrape reads from. Everything but auth_log is required.
struct MetricsSources {
  CallMetrics* calls = nullptr;
  CommitMetrics* commits = nullptr;
  ledger::Ledger* ledger = nullptr;
  ledger::IntegrityMonitor* integrity = nullptr;
  storage::Store* store = nullptr;
  query::ClinicMetrics* clinic = nullptr;
  // Null without authentication (--insecure_dev).
  const AuthLog* auth_log = nullptr;
};

// The whole exposition. Thread-safe if the sources are.
std::string RenderServerMetrics(const MetricsSources& sources);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_SERVER_METRICS_H_
