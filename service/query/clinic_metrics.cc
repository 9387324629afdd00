#include "service/api/clinic_metrics.h"

#include <set>
#include <string>
#include <utility>

#include "common/status_macros.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/state.h"
#include "service/query/trace.h"
#include "smptrace/v1/ledger.pb.h"
#include "storage/keys.h"

namespace smptrace::api {

absl::StatusOr<ClinicCounts> CountClinic(const storage::Reader& reader,
                                         absl::Time now, absl::TimeZone zone) {
  using storage::keys::StateTag;
  ClinicCounts counts;
  SMPTRACE_RETURN_IF_ERROR(ledger::ForEachSessionStarted(
      reader, absl::InfinitePast(), absl::InfiniteFuture(), 0,
      [&](v1::Session& session) {
        if (session.status() == v1::SESSION_STATUS_OPEN) ++counts.open_sessions;
        return true;
      }));
  SMPTRACE_ASSIGN_OR_RETURN(auto stock,
                            ledger::ReadAllRecords<v1::StockCounts>(
                                reader, StateTag::kStock, "stock counts"));
  for (const v1::StockCounts& s : stock) counts.units_in_stock += s.in_stock();
  SMPTRACE_ASSIGN_OR_RETURN(auto lots, ledger::ReadAllRecords<v1::Lot>(
                                           reader, StateTag::kLot, "lot"));
  for (const v1::Lot& lot : lots) {
    if (lot.status() == v1::LOT_STATUS_QUARANTINED) ++counts.lots_quarantined;
    if (lot.status() == v1::LOT_STATUS_RECALLED) ++counts.lots_recalled;
  }
  const absl::CivilDay today = ledger::Today(now, zone);
  SMPTRACE_ASSIGN_OR_RETURN(
      auto lines, ledger::QueryExpiring(reader, today, today + 30, 0));
  std::set<std::pair<std::string, std::string>> expiring, expired;
  for (const v1::StockLine& line : lines) {
    (ledger::IsExpired(line.expiry(), today) ? expired : expiring)
        .emplace(line.gtin(), line.lot());
  }
  counts.lots_expiring_30d = static_cast<int64_t>(expiring.size());
  counts.lots_expired_in_stock = static_cast<int64_t>(expired.size());
  const absl::Time start_of_day = absl::FromCivil(today, zone);
  SMPTRACE_ASSIGN_OR_RETURN(
      auto exceptions,
      query::ExceptionsBetween(reader, start_of_day, absl::InfiniteFuture()));
  counts.exceptions_today = exceptions.exceptions_size();
  return counts;
}

void ClinicMetrics::Write(PrometheusText& out) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_.Now();
  if (now - computed_ >= max_age_ || now < computed_) {
    counts_ = CountClinic(*store_.NewSnapshot(), now, zone_);
    computed_ = now;
  }
  out.Family("smptrace_clinic_scrape_error", MetricType::kGauge,
             "1 if the clinic's state could not be read for these gauges.");
  out.Sample("smptrace_clinic_scrape_error", {}, counts_.ok() ? 0 : 1);
  if (!counts_.ok()) return;
  const ClinicCounts& c = *counts_;
  auto gauge = [&out](const char* name, const char* help, int64_t value) {
    out.Family(name, MetricType::kGauge, help);
    out.Sample(name, {}, static_cast<double>(value));
  };
  gauge("smptrace_clinic_open_sessions", "Sessions open now.", c.open_sessions);
  gauge("smptrace_clinic_units_in_stock",
        "Units in stock, every lot and location.", c.units_in_stock);
  gauge("smptrace_clinic_lots_expiring_30d",
        "Lots with units in stock that expire within 30 days.",
        c.lots_expiring_30d);
  gauge("smptrace_clinic_lots_expired_in_stock",
        "Expired lots that still have units in stock.",
        c.lots_expired_in_stock);
  out.Family("smptrace_clinic_lots_on_hold", MetricType::kGauge,
             "Lots quarantined or recalled, by status.");
  out.Sample("smptrace_clinic_lots_on_hold", {{"status", "quarantined"}},
             static_cast<double>(c.lots_quarantined));
  out.Sample("smptrace_clinic_lots_on_hold", {{"status", "recalled"}},
             static_cast<double>(c.lots_recalled));
  gauge("smptrace_clinic_exceptions_today",
        "Exceptions of the sessions started today (clinic time).",
        c.exceptions_today);
}

}  // namespace smptrace::api
