// Expiry-aware reorder advice (DESIGN.md §3 "Reorder knows expiry"): pure
// arithmetic over a product's usage rate, its usable lots and what is on
// order. No I/O; today comes in.
#ifndef SMPTRACE_SERVICE_DOMAIN_REORDER_H_
#define SMPTRACE_SERVICE_DOMAIN_REORDER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace smptrace::domain {

// Units of one lot that can still be used (released, not expired).
struct LotUnits {
  // Usable through this day; nullopt = does not expire.
  std::optional<absl::CivilDay> expiry;
  int64_t units = 0;
};

struct FefoOutlook {
  // Units that will be used before they expire, at the rate.
  int64_t usable = 0;
  // Units that will expire first.
  int64_t expiring_unused = 0;
};

// Simulates using `lots` first-expiry-first-out at `daily_rate` units a day
// from `today` (inclusive) on. With no usage (rate 0) nothing is counted as
// expiring: there is no rate to judge it by.
FefoOutlook SimulateFefo(std::vector<LotUnits> lots, double daily_rate,
                         absl::CivilDay today);

struct ReorderInputs {
  absl::CivilDay today;
  double daily_rate = 0;  // units a day over the usage window
  std::vector<LotUnits> lots;
  int64_t on_order = 0;
  int lead_time_days = 0;
  int review_period_days = 7;
  int safety_stock_days = 0;
  int pack_size = 1;
  int minimum_order_packs = 0;
  // Both > 0: a fixed min/max policy instead of the rate.
  int fixed_min = 0;
  int fixed_max = 0;
  // A new lot's typical shelf life on arrival; 0 = unknown (no cap).
  int shelf_life_days = 0;
};

struct ReorderAdvice {
  int64_t in_stock = 0;  // the lots' units
  int64_t usable = 0;
  int64_t expiring_unused = 0;
  int64_t target = 0;
  int64_t reorder_point = 0;
  bool below_reorder_point = false;
  int packs = 0;
  int64_t quantity = 0;
  // One line a manager reads: "uses 14/week · 9 usable (3 expire before
  // use) · 20 on order · lead 10 days → order 2 packs of 20".
  std::string explanation;
};

// quantity = target - (usable + on order), rounded up to whole packs, at
// least the minimum order, and never more than a new lot can supply before
// its shelf life ends at the rate (but at least one pack when one is
// needed).
// REQUIRES: pack_size >= 1.
ReorderAdvice AdviseReorder(const ReorderInputs& in);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_REORDER_H_
