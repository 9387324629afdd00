#include "service/query/planning_reports.h"

#include <map>

#include "common/status_macros.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::query {
namespace {

namespace keys = storage::keys;
using ledger::ForEachTimed;
using ledger::ListProducts;
using ledger::QueryStock;
using ledger::ReadProduct;
using ledger::StockFilter;
using ledger::StockPage;
using ledger::Today;
using ledger::ToProto;

int64_t Delta(std::string_view value) {
  keys::KeyReader r(value);
  uint64_t v = 0;
  r.ReadUint64(&v);
  return static_cast<int64_t>(v);
}

}  // namespace

absl::StatusOr<v1::GetUsageResponse> WeeklyUsage(const storage::Reader& reader,
                                                 std::string_view gtin14,
                                                 uint64_t location, int weeks,
                                                 absl::Time now,
                                                 absl::TimeZone zone) {
  // Monday of the current week, then `weeks` Mondays back.
  const absl::CivilDay today = Today(now, zone);
  absl::CivilDay monday = today;
  while (absl::GetWeekday(monday) != absl::Weekday::monday) monday -= 1;
  const absl::CivilDay first = monday - 7 * (weeks - 1);

  std::vector<std::string> gtins;
  if (!gtin14.empty()) {
    gtins.emplace_back(gtin14);
  } else {
    std::string after;
    do {
      SMPTRACE_ASSIGN_OR_RETURN(
          auto page,
          ListProducts(reader, after, 1000, v1::PRODUCT_KIND_UNSPECIFIED));
      for (const auto& p : page.items) gtins.push_back(p.gtin());
      after = page.next_after;
    } while (!after.empty());
  }

  v1::GetUsageResponse response;
  for (const std::string& gtin : gtins) {
    SMPTRACE_ASSIGN_OR_RETURN(auto product, ReadProduct(reader, gtin));
    v1::ProductUsage usage;
    usage.set_gtin(gtin);
    usage.set_product_name(product.has_value() ? product->name() : "?");
    // Current stock, then walk the movements back week by week.
    int64_t in_stock = 0;
    StockFilter stock;
    stock.gtin = gtin;
    stock.location = location;
    std::string after;
    do {
      SMPTRACE_ASSIGN_OR_RETURN(StockPage page,
                                QueryStock(reader, stock, today, after, 1000));
      for (const auto& line : page.lines) in_stock += line.in_stock();
      after = page.next_page_token;
    } while (!after.empty());

    const absl::Time start = absl::FromCivil(first, zone);
    std::vector<int64_t> used(weeks), moved(weeks), received(weeks);
    std::map<uint64_t, int64_t> per_event;  // seq -> net change (clinic-wide)
    std::map<uint64_t, int> event_week;
    auto week_of = [&](uint64_t micros) {
      const absl::CivilDay day = absl::ToCivilDay(
          absl::FromUnixMicros(static_cast<int64_t>(micros)), zone);
      return static_cast<int>((day - first) / 7);
    };
    SMPTRACE_RETURN_IF_ERROR(
        ForEachTimed(reader, keys::IndexTag::kUsage, gtin, start,
                     now + absl::Microseconds(1),
                     [&](const keys::TimedEntry& e, std::string_view) {
                       if (location != 0 && e.location != location) return;
                       const int w = week_of(e.micros);
                       if (w >= 0 && w < weeks) ++used[w];
                     }));
    SMPTRACE_RETURN_IF_ERROR(ForEachTimed(
        reader, keys::IndexTag::kMovement, gtin, start, absl::InfiniteFuture(),
        [&](const keys::TimedEntry& e, std::string_view value) {
          if (location != 0 && e.location != location) return;
          const int w = week_of(e.micros);
          if (w < 0 || w >= weeks) return;
          moved[w] += Delta(value);
          per_event[e.seq] += Delta(value);
          event_week[e.seq] = w;
        }));
    for (const auto& [seq, net] : per_event) {
      if (net > 0) received[event_week[seq]] += net;
    }
    // in_stock is the level now (end of the last week); earlier ends follow
    // by undoing each later week's movements.
    std::vector<int64_t> end(weeks);
    int64_t level = in_stock;
    for (int w = weeks - 1; w >= 0; --w) {
      end[w] = level;
      level -= moved[w];
    }
    int64_t total = 0;
    for (int w = 0; w < weeks; ++w) {
      v1::UsageWeek* week = usage.add_weeks();
      *week->mutable_week_start() = ToProto(first + 7 * w);
      week->set_used(used[w]);
      week->set_in_stock_at_end(end[w]);
      week->set_received(received[w]);
      total += used[w] + end[w] + received[w];
    }
    if (gtin14.empty() && total == 0) continue;
    *response.add_products() = std::move(usage);
  }
  return response;
}

}  // namespace smptrace::query
