#include "service/query/planning_reports.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/domain/reorder.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/planning.h"
#include "service/ledger/records.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::query {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using ledger::FromProto;
using ledger::IsSet;
using ledger::ListProducts;
using ledger::ListPurchaseOrders;
using ledger::ListReorderPolicies;
using ledger::ParseRecord;
using ledger::QueryStock;
using ledger::ReadProduct;
using ledger::StockFilter;
using ledger::StockPage;
using ledger::ToCivilDay;
using ledger::Today;
using ledger::ToProto;
using storage::Cf;

constexpr int kDefaultWindowDays = 56;

uint64_t Micros(absl::Time t) {
  return static_cast<uint64_t>(std::max<int64_t>(0, absl::ToUnixMicros(t)));
}

uint64_t LocationNumber(const std::string& id) {
  if (id.empty()) return 0;
  auto n = domain::ParseId(IdKind::kLocation, id, "location_id");
  return n.ok() ? *n : 0;
}

// Calls fn(entry, value) for every timed entry of `gtin` in [from, to).
template <typename Fn>
absl::Status ForEachTimed(const storage::Reader& reader, keys::IndexTag tag,
                          std::string_view gtin, uint64_t from, uint64_t to,
                          Fn fn) {
  return reader.Scan(Cf::kIndex, keys::TimedFrom(tag, gtin, from),
                     keys::TimedFrom(tag, gtin, to),
                     [&](std::string_view key,
                         std::string_view value) -> absl::StatusOr<bool> {
                       SMPTRACE_ASSIGN_OR_RETURN(
                           auto entry, keys::DecodeTimedKey(tag, key));
                       fn(entry, value);
                       return true;
                     });
}

int64_t Delta(std::string_view value) {
  keys::KeyReader r(value);
  uint64_t v = 0;
  r.ReadUint64(&v);
  return static_cast<int64_t>(v);
}

// A new lot's typical shelf life on arrival: the median, over the
// product's lots, of expiry minus first receipt; 0 if none is known.
absl::StatusOr<int> LearnedShelfLife(const storage::Reader& reader,
                                     std::string_view gtin,
                                     absl::TimeZone zone) {
  std::vector<int> days;
  const std::string prefix = keys::LotPrefix(gtin);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kState, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view, std::string_view value) -> absl::StatusOr<bool> {
        v1::Lot lot;
        SMPTRACE_RETURN_IF_ERROR(ParseRecord(value, "lot", &lot));
        if (IsSet(lot.expiry())) {
          const absl::CivilDay received =
              absl::ToCivilDay(FromProto(lot.first_received_at()), zone);
          days.push_back(static_cast<int>(ToCivilDay(lot.expiry()) - received));
        }
        return true;
      }));
  if (days.empty()) return 0;
  std::sort(days.begin(), days.end());
  return std::max(0, days[days.size() / 2]);
}

// Units on open orders of `gtin` (to `location`, or anywhere for 0).
absl::StatusOr<int64_t> OnOrder(const storage::Reader& reader,
                                std::string_view gtin, uint64_t location) {
  int64_t total = 0;
  for (auto status : {v1::PURCHASE_ORDER_STATUS_SUBMITTED,
                      v1::PURCHASE_ORDER_STATUS_PARTLY_RECEIVED}) {
    SMPTRACE_ASSIGN_OR_RETURN(auto orders, ListPurchaseOrders(reader, status));
    for (const v1::PurchaseOrder& po : orders) {
      if (location != 0 && LocationNumber(po.location_id()) != location)
        continue;
      for (const v1::PurchaseOrderLine& line : po.lines()) {
        if (line.gtin() == gtin) {
          total += std::max<int64_t>(0, line.quantity() - line.received());
        }
      }
    }
  }
  return total;
}

}  // namespace

absl::StatusOr<int64_t> CountUsage(const storage::Reader& reader,
                                   std::string_view gtin14, uint64_t location,
                                   absl::Time from, absl::Time to) {
  int64_t n = 0;
  SMPTRACE_RETURN_IF_ERROR(ForEachTimed(
      reader, keys::IndexTag::kUsage, gtin14, Micros(from), Micros(to),
      [&](const keys::TimedEntry& e, std::string_view) {
        if (location == 0 || e.location == location) ++n;
      }));
  return n;
}

absl::StatusOr<std::vector<v1::ReorderLine>> SuggestReorder(
    const storage::Reader& reader, const ReorderFilter& filter, absl::Time now,
    absl::TimeZone zone) {
  const absl::CivilDay today = Today(now, zone);
  SMPTRACE_ASSIGN_OR_RETURN(auto policies, ListReorderPolicies(reader));
  std::vector<v1::ReorderLine> lines;
  for (const v1::ReorderPolicy& policy : policies) {
    const uint64_t location = LocationNumber(policy.location_id());
    if (location != filter.location) continue;
    if (!filter.gtin.empty() && policy.gtin() != filter.gtin) continue;
    SMPTRACE_ASSIGN_OR_RETURN(auto product, ReadProduct(reader, policy.gtin()));
    if (!product.has_value()) continue;

    const int window = policy.usage_window_days() > 0
                           ? policy.usage_window_days()
                           : kDefaultWindowDays;
    SMPTRACE_ASSIGN_OR_RETURN(int64_t used,
                              CountUsage(reader, policy.gtin(), location,
                                         now - absl::Hours(24 * window), now));
    domain::ReorderInputs in;
    in.today = today;
    in.daily_rate = static_cast<double>(used) / window;
    // Usable lots: released and unexpired stock, here or clinic-wide.
    StockFilter stock;
    stock.gtin = policy.gtin();
    stock.location = location;
    std::map<std::string, domain::LotUnits> lots;
    std::string after;
    do {
      SMPTRACE_ASSIGN_OR_RETURN(StockPage page,
                                QueryStock(reader, stock, today, after, 1000));
      for (const v1::StockLine& line : page.lines) {
        if (line.usable() <= 0) continue;
        domain::LotUnits& lot = lots[line.lot()];
        if (IsSet(line.expiry())) lot.expiry = ToCivilDay(line.expiry());
        lot.units += line.usable();
      }
      after = page.next_page_token;
    } while (!after.empty());
    for (auto& [name, lot] : lots) in.lots.push_back(lot);
    SMPTRACE_ASSIGN_OR_RETURN(in.on_order,
                              OnOrder(reader, policy.gtin(), location));
    in.lead_time_days = policy.lead_time_days();
    in.review_period_days = policy.review_period_days();
    in.safety_stock_days = policy.safety_stock_days();
    in.pack_size = policy.pack_size() > 0
                       ? policy.pack_size()
                       : std::max(1, product->units_per_pack());
    in.minimum_order_packs = policy.minimum_order_packs();
    in.fixed_min = policy.fixed_min();
    in.fixed_max = policy.fixed_max();
    if (policy.shelf_life_days() > 0) {
      in.shelf_life_days = policy.shelf_life_days();
    } else {
      SMPTRACE_ASSIGN_OR_RETURN(in.shelf_life_days,
                                LearnedShelfLife(reader, policy.gtin(), zone));
    }
    const domain::ReorderAdvice advice = domain::AdviseReorder(in);
    if (advice.packs == 0 && !filter.include_all) continue;

    v1::ReorderLine line;
    line.set_gtin(policy.gtin());
    line.set_product_name(product->name());
    line.set_location_id(policy.location_id());
    line.set_supplier_id(policy.supplier_id());
    line.set_weekly_usage(in.daily_rate * 7);
    line.set_in_stock(advice.in_stock);
    line.set_usable(advice.usable);
    line.set_expiring_unused(advice.expiring_unused);
    line.set_on_order(in.on_order);
    line.set_target(advice.target);
    line.set_reorder_point(advice.reorder_point);
    line.set_pack_size(in.pack_size);
    line.set_packs(advice.packs);
    line.set_quantity(advice.quantity);
    line.set_explanation(advice.explanation);
    line.set_below_reorder_point(advice.below_reorder_point);
    lines.push_back(std::move(line));
  }
  return lines;
}

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
    SMPTRACE_RETURN_IF_ERROR(ForEachTimed(
        reader, keys::IndexTag::kUsage, gtin, Micros(start), Micros(now) + 1,
        [&](const keys::TimedEntry& e, std::string_view) {
          if (location != 0 && e.location != location) return;
          const int w = week_of(e.micros);
          if (w >= 0 && w < weeks) ++used[w];
        }));
    SMPTRACE_RETURN_IF_ERROR(ForEachTimed(
        reader, keys::IndexTag::kMovement, gtin, Micros(start), UINT64_MAX,
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
