#include "service/ledger/purchasing/suggestion.h"

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

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

constexpr int kDefaultWindowDays = 56;

uint64_t LocationNumber(const std::string& id) {
  if (id.empty()) return 0;
  auto n = domain::ParseId(IdKind::kLocation, id, "location_id");
  return n.ok() ? *n : 0;
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
  SMPTRACE_RETURN_IF_ERROR(
      ForEachTimed(reader, keys::IndexTag::kUsage, gtin14, from, to,
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

}  // namespace smptrace::ledger
