#include "service/ledger/integrity_monitor.h"

#include <pthread.h>
#include <sched.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "smptrace/v1/audit.pb.h"
#include "spdlog/spdlog.h"

namespace smptrace::ledger {
namespace {

// Records examined per ExpireRetries() step: the writer is held for one
// step at a time, so commands keep flowing between steps.
constexpr int kExpiryStep = 2000;

}  // namespace

std::unique_ptr<IntegrityMonitor> IntegrityMonitor::Start(
    storage::Store* store, Ledger* ledger, const Clock* clock,
    IntegrityOptions options) {
  std::unique_ptr<IntegrityMonitor> monitor(
      new IntegrityMonitor(store, ledger, clock, options));
  auto first = monitor->CheckSinceMark();
  if (!first.ok()) {
    spdlog::error("journal verification at start could not run: {}",
                  first.status().ToString());
  } else if (first->ok) {
    const IntegrityStats stats = monitor->stats();
    if (stats.full_pass_pending) {
      spdlog::info(
          "journal checked at start: {} entries after seq {} (verified "
          "whole before) in {}; the whole journal is verified again in the "
          "background",
          stats.start_check_entries, stats.verified_through,
          absl::FormatDuration(stats.start_check_time));
    } else {
      spdlog::info("journal verified at start: {} entries in {}",
                   first->entries, absl::FormatDuration(stats.last_pass_time));
    }
  }
  if (options.background) {
    monitor->thread_ = std::thread([m = monitor.get()] { m->Loop(); });
  }
  return monitor;
}

IntegrityMonitor::~IntegrityMonitor() { Stop(); }

void IntegrityMonitor::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<storage::JournalVerification>
IntegrityMonitor::CheckSinceMark() {
  const absl::Time start = absl::Now();
  std::unique_ptr<storage::Reader> snapshot = store_->NewSnapshot();
  SMPTRACE_ASSIGN_OR_RETURN(std::optional<storage::JournalHead> mark,
                            storage::ReadVerifiedMark(*snapshot));
  if (!mark.has_value()) return CheckNow();
  storage::VerifyOptions since;
  since.from = *mark;
  since.check_tree = false;
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalVerification v,
                            storage::VerifyJournal(*snapshot, since));
  const absl::Duration took = absl::Now() - start;
  {
    absl::MutexLock lock(&mu_);
    stats_.full_pass_pending = true;
    stats_.verified_through = mark->seq;
    stats_.start_check_entries = v.entries;
    stats_.start_check_time = took;
  }
  Record(v, took);
  return v;
}

absl::StatusOr<storage::JournalVerification> IntegrityMonitor::CheckNow() {
  const absl::Time start = absl::Now();
  std::unique_ptr<storage::Reader> snapshot = store_->NewSnapshot();
  storage::VerifyOptions whole;
  whole.cancelled = [this] {
    absl::MutexLock lock(&mu_);
    return stopping_;
  };
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalVerification v,
                            storage::VerifyJournal(*snapshot, whole));
  Record(v, absl::Now() - start);
  if (v.ok) {
    {
      absl::MutexLock lock(&mu_);
      stats_.full_pass_pending = false;
      stats_.verified_through = v.good_head.seq;
    }
    // The next start checks only what comes after. Not synced: a lost mark
    // only makes that check longer. Refused while writes are (disk full).
    if (v.good_head.seq != 0) {
      std::unique_ptr<storage::WriteTxn> txn = store_->BeginWrite();
      storage::PutVerifiedMark(*txn, v.good_head);
      if (absl::Status put = store_->Commit(*txn, /*sync=*/false); !put.ok()) {
        spdlog::warn("journal verified, but its mark was not saved: {}",
                     std::string(put.message()));
      }
    }
  }
  return v;
}

void IntegrityMonitor::Record(const storage::JournalVerification& v,
                              absl::Duration took) {
  std::string damage;
  if (!v.ok) {
    damage = absl::StrCat(
        "journal damaged at seq ", v.first_bad_seq, " (",
        v1::JournalProblem_Name(static_cast<v1::JournalProblem>(v.problem)),
        "): ", v.detail);
  }
  {
    absl::MutexLock lock(&mu_);
    ++stats_.passes;
    stats_.entries_last_pass = v.entries;
    stats_.last_pass_time = took;
    if (!v.ok) {
      ++stats_.damaged_passes;
      if (stats_.damage.empty()) stats_.damage = damage;
    }
  }
  if (!v.ok) {
    spdlog::critical(
        "STORE DAMAGED, writes refused until it is restored: {}. Reads "
        "still work for the investigation: smptrace admin verify; see "
        "docs/admin.md, 'A damaged store'",
        damage);
    store_->write_gate().Close(storage::WriteBlock::kDamaged, damage);
  }
}

absl::StatusOr<uint64_t> IntegrityMonitor::ExpireNow() {
  if (options_.retry_window <= absl::ZeroDuration()) return 0;
  const absl::Time cutoff = clock_->Now() - options_.retry_window;
  uint64_t expired = 0;
  std::string from;
  do {
    SMPTRACE_ASSIGN_OR_RETURN(
        RetryExpiry step, ledger_->ExpireRetries(cutoff, from, kExpiryStep));
    expired += step.expired;
    from = std::move(step.next_request_id);
    absl::MutexLock lock(&mu_);
    if (stopping_) break;
  } while (!from.empty());
  absl::MutexLock lock(&mu_);
  stats_.retries_expired += expired;
  return expired;
}

IntegrityStats IntegrityMonitor::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void IntegrityMonitor::Loop() {
  // Background work yields to every request: the idle scheduling class
  // runs only on otherwise idle CPU time.
  sched_param param{};
  pthread_setschedparam(pthread_self(), SCHED_IDLE, &param);
  absl::Duration interval = options_.verify_interval;
  if (interval <= absl::ZeroDuration()) interval = absl::Hours(1);
  // The start check covered only the tail: the rest now, not in an hour.
  bool complete_now = stats().full_pass_pending;
  for (;;) {
    if (!complete_now) {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval);
      if (stopping_) return;
    }
    if (complete_now || options_.verify_interval > absl::ZeroDuration()) {
      complete_now = false;
      auto v = CheckNow();
      if (!v.ok()) {
        if (!absl::IsCancelled(v.status())) {
          spdlog::error("background journal verification failed to run: {}",
                        v.status().ToString());
        }
      } else if (v->ok) {
        spdlog::info(
            "journal verified whole in the background: {} entries in {}",
            v->entries, absl::FormatDuration(stats().last_pass_time));
      }
    }
    auto expired = ExpireNow();
    if (!expired.ok()) {
      spdlog::warn("retry window: could not expire old answers: {}",
                   expired.status().ToString());
    } else if (*expired > 0) {
      spdlog::info("retry window: {} answers older than {} dropped", *expired,
                   absl::FormatDuration(options_.retry_window));
    }
  }
}

}  // namespace smptrace::ledger
