#include "service/api/retention_job.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/ledger/clients/retention.h"
#include "service/ledger/dates.h"
#include "spdlog/spdlog.h"

namespace smptrace::api {

absl::StatusOr<v1::RunRetentionResponse> RunRetention(
    ledger::Ledger& ledger, const query::Reads& reads, const Clock& clock,
    absl::TimeZone zone, const std::string& actor) {
  const absl::CivilDay today = ledger::Today(clock.Now(), zone);
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::ListRetentionDueResponse due,
      ledger::ReadRetentionDue(*reads.Snapshot(), *ledger.personal_data(),
                               ledger.options().retention, today, zone));
  v1::RunRetentionResponse out;
  *out.mutable_today() = due.today();
  for (v1::RetentionDueClient& client : *due.mutable_clients()) {
    if (client.action() != v1::RETENTION_ACTION_AUTOMATIC) {
      *out.add_remaining() = std::move(client);
      continue;
    }
    v1::Command command;
    command.set_request_id(absl::StrCat("retention-",
                                        ledger::FormatDate(due.today()), "-",
                                        client.client_id()));
    command.set_actor(actor);
    v1::EraseClientRequest* erase = command.mutable_erase_client();
    erase->set_client(client.client_id());
    erase->set_retention(true);
    erase->set_reason("retention period over: erased by the daily job");
    absl::StatusOr<v1::CommandResult> result = ledger.Submit(command);
    if (!result.ok() && RefusalReason(result.status()).has_value()) {
      spdlog::warn("retention: {} not erased: {}", client.client_id(),
                   std::string(result.status().message()));
      *out.add_remaining() = std::move(client);
      continue;
    }
    SMPTRACE_RETURN_IF_ERROR(result.status());
    v1::Client* erased = out.add_erased();
    *erased = std::move(*result->mutable_client());
    erased->clear_sealed_contact();
  }
  spdlog::info("retention run for {} by {}: {} erased, {} still due",
               ledger::FormatDate(out.today()), actor, out.erased_size(),
               out.remaining_size());
  return out;
}

RetentionSchedule::RetentionSchedule(ledger::Ledger* ledger,
                                     const query::Reads* reads,
                                     const Clock* clock, absl::TimeZone zone,
                                     absl::Duration check_every)
    : ledger_(*ledger),
      reads_(*reads),
      clock_(*clock),
      zone_(zone),
      check_every_(check_every) {
  thread_ = std::thread([this] { Loop(); });
}

RetentionSchedule::~RetentionSchedule() { Stop(); }

void RetentionSchedule::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void RetentionSchedule::Loop() {
  std::optional<absl::CivilDay> last_run;
  absl::MutexLock lock(&mu_);
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), check_every_)) {
    const absl::CivilDay today = ledger::Today(clock_.Now(), zone_);
    if (last_run == today) continue;
    mu_.Unlock();
    auto run = RunRetention(ledger_, reads_, clock_, zone_, kActor);
    if (!run.ok()) {
      spdlog::error("retention run FAILED (tried again in {}): {}",
                    absl::FormatDuration(check_every_),
                    std::string(run.status().message()));
    }
    mu_.Lock();
    if (run.ok()) last_run = today;
  }
}

}  // namespace smptrace::api
