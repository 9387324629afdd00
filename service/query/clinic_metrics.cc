#include "service/query/clinic_metrics.h"

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

namespace smptrace::query {

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
      ExceptionsBetween(reader, start_of_day, absl::InfiniteFuture()));
  counts.exceptions_today = exceptions.exceptions_size();
  return counts;
}

absl::StatusOr<ClinicCounts> ClinicMetrics::Counts() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_.Now();
  if (now - computed_ >= max_age_ || now < computed_) {
    counts_ = CountClinic(*store_.NewSnapshot(), now, zone_);
    computed_ = now;
  }
  return counts_;
}

}  // namespace smptrace::query
