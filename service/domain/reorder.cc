#include "service/domain/reorder.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace smptrace::domain {

FefoOutlook SimulateFefo(std::vector<LotUnits> lots, double daily_rate,
                         absl::CivilDay today) {
  FefoOutlook out;
  std::stable_sort(lots.begin(), lots.end(),
                   [](const LotUnits& a, const LotUnits& b) {
                     if (!a.expiry.has_value()) return false;
                     if (!b.expiry.has_value()) return true;
                     return *a.expiry < *b.expiry;
                   });
  double day = 0;  // days of use already spoken for, from today
  for (const LotUnits& lot : lots) {
    if (lot.units <= 0) continue;
    if (daily_rate <= 0 || !lot.expiry.has_value()) {
      out.usable += lot.units;
      continue;
    }
    // Usable through the expiry day: (expiry - today + 1) days of use.
    const double days_left = static_cast<double>(*lot.expiry - today) + 1;
    const double can_use = std::max(0.0, (days_left - day) * daily_rate);
    const int64_t used =
        std::min<int64_t>(lot.units, static_cast<int64_t>(std::floor(can_use)));
    out.usable += used;
    out.expiring_unused += lot.units - used;
    day += static_cast<double>(used) / daily_rate;
  }
  return out;
}

ReorderAdvice AdviseReorder(const ReorderInputs& in) {
  ReorderAdvice a;
  for (const LotUnits& lot : in.lots) a.in_stock += lot.units;
  const FefoOutlook outlook = SimulateFefo(in.lots, in.daily_rate, in.today);
  a.usable = outlook.usable;
  a.expiring_unused = outlook.expiring_unused;
  const bool fixed = in.fixed_max > 0;
  if (fixed) {
    a.target = in.fixed_max;
    a.reorder_point = in.fixed_min;
  } else {
    a.target = static_cast<int64_t>(
        std::ceil(in.daily_rate * (in.lead_time_days + in.review_period_days +
                                   in.safety_stock_days)));
    a.reorder_point = static_cast<int64_t>(
        std::ceil(in.daily_rate * (in.lead_time_days + in.safety_stock_days)));
  }
  const int64_t position = a.usable + in.on_order;
  a.below_reorder_point = position <= a.reorder_point && a.target > 0;
  // Fixed policies order only at the reorder point; rate policies top up at
  // every review.
  int64_t need = a.target - position;
  if (fixed && !a.below_reorder_point) need = 0;
  std::string cap_note;
  if (need > 0) {
    a.packs = static_cast<int>((need + in.pack_size - 1) / in.pack_size);
    if (in.shelf_life_days > 0 && in.daily_rate > 0 && !fixed) {
      // A new lot starts being used when the current position runs out and
      // expires shelf_life_days after it arrives.
      const double usable_from_new =
          in.daily_rate * (in.lead_time_days + in.shelf_life_days) -
          static_cast<double>(position);
      const int max_packs = std::max(
          1, static_cast<int>(std::floor(usable_from_new / in.pack_size)));
      if (a.packs > max_packs) {
        a.packs = max_packs;
        cap_note = absl::StrCat(" (capped: more would expire within its ",
                                in.shelf_life_days, "-day shelf life)");
      }
    }
    a.packs = std::max(a.packs, in.minimum_order_packs);
    a.quantity = static_cast<int64_t>(a.packs) * in.pack_size;
  }

  std::string uses =
      fixed && in.daily_rate <= 0
          ? absl::StrCat("fixed min ", in.fixed_min, " / max ", in.fixed_max)
          : absl::StrFormat("uses %.3g/week", in.daily_rate * 7);
  std::string usable = absl::StrCat(a.usable, " usable");
  if (a.expiring_unused > 0) {
    absl::StrAppend(&usable, " (", a.expiring_unused, " expire before use)");
  }
  a.explanation =
      absl::StrCat(uses, " · ", usable, " · ", in.on_order, " on order · lead ",
                   in.lead_time_days, " days → ");
  if (a.packs > 0) {
    absl::StrAppend(&a.explanation, "order ", a.packs,
                    a.packs == 1 ? " pack" : " packs", " of ", in.pack_size,
                    cap_note);
  } else {
    absl::StrAppend(&a.explanation, "no order (", position,
                    " usable + on order",
                    fixed ? absl::StrCat(" > min ", a.reorder_point)
                          : absl::StrCat(" covers target ", a.target),
                    ")");
  }
  return a;
}

}  // namespace smptrace::domain
