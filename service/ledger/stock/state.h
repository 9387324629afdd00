// Typed reads of the inventory's state (lots, units, stock counts) and the
// stock queries built on its indexes, from any storage::Reader: the live
// store, a snapshot, or the writer's transaction.
#ifndef SMPTRACE_SERVICE_LEDGER_STOCK_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_STOCK_STATE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "smptrace/v1/inventory.pb.h"
#include "smptrace/v1/ledger.pb.h"
#include "storage/keys.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::StatusOr<std::optional<v1::Lot>> ReadLot(const storage::Reader& reader,
                                               std::string_view gtin14,
                                               std::string_view lot);
absl::StatusOr<std::optional<v1::Unit>> ReadUnit(const storage::Reader& reader,
                                                 std::string_view gtin14,
                                                 std::string_view serial);
// The unit `ref` names; DataLoss if it has no record (an event or index
// names it, so it must have one).
absl::StatusOr<v1::Unit> MustReadUnit(const storage::Reader& reader,
                                      const v1::UnitRef& ref);

// "unit 09506000134352 serial SN0042", as refusals name a unit.
std::string UnitLabel(const std::string& gtin, const std::string& serial);
// "in stock", "opened", "disposed", "discarded".
std::string UnitStateWord(v1::UnitState state);
// The counts of a lot at a location; nullopt when the lot never was there.
absl::StatusOr<std::optional<v1::StockCounts>> FindStockCounts(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location);
// All zeros when the lot never was at the location.
absl::StatusOr<v1::StockCounts> ReadStockCounts(const storage::Reader& reader,
                                                std::string_view gtin14,
                                                std::string_view lot,
                                                uint64_t location);
// The number of the last serial smptrace minted, 0 if none.
absl::StatusOr<uint64_t> ReadLastMintedSerial(const storage::Reader& reader);
// The GTIN of the product with this HIBC id, nullopt if none.
absl::StatusOr<std::optional<std::string>> FindProductByHibc(
    const storage::Reader& reader, std::string_view hibc_id);

// Up to `limit` serials of the lot's in-stock units at `location`, in serial
// order.
absl::StatusOr<std::vector<std::string>> InStockSerials(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location, int limit);
// Up to `limit` units of a lot, in serial order.
absl::StatusOr<std::vector<v1::Unit>> UnitsOfLot(const storage::Reader& reader,
                                                 std::string_view gtin14,
                                                 std::string_view lot,
                                                 int limit);

// ---- stock queries ---------------------------------------------------------

struct StockFilter {
  std::string gtin;       // empty = every product
  std::string lot;        // needs gtin; empty = every lot
  uint64_t location = 0;  // 0 = every location
  bool include_empty = false;
};

// One page of stock lines (one per lot and location) matching `filter`,
// classified as of `today`; `after` is the page token of the previous page
// (empty = from the start). Lines come by GTIN, lot, location; with only a
// location filter, by GTIN then expiry (FEFO). NotFound ("location_id:
// location LOC-000009 does not exist") when filter.location is unknown.
struct StockPage {
  std::vector<v1::StockLine> lines;
  std::string next_page_token;
};
absl::StatusOr<StockPage> QueryStock(const storage::Reader& reader,
                                     const StockFilter& filter,
                                     absl::CivilDay today,
                                     std::string_view after, int limit);

// Lines with units in stock of lots whose expiry is on or before `until`
// (already expired ones too), soonest first; only at `location` unless 0.
absl::StatusOr<std::vector<v1::StockLine>> QueryExpiring(
    const storage::Reader& reader, absl::CivilDay today, absl::CivilDay until,
    uint64_t location);

// Every location that ever held the lot, as stock lines.
absl::StatusOr<std::vector<v1::StockLine>> LotStock(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, absl::CivilDay today);

// The stock line of `counts` (lot and location named, classified as of
// `today`), with the product's and location's names.
absl::StatusOr<v1::StockLine> MakeStockLine(const storage::Reader& reader,
                                            const v1::Lot& lot,
                                            uint64_t location,
                                            const v1::StockCounts& counts,
                                            absl::CivilDay today);

// ---- timed indexes ---------------------------------------------------------

// Calls fn(entry, value) for each entry of `gtin` in the timed index `tag`
// whose time is in [from, to), in time order: keys::IndexTag::kUsage (one
// entry per unit opened) or kMovement (a stock change; the value holds the
// signed delta).
absl::Status ForEachTimed(
    const storage::Reader& reader, storage::keys::IndexTag tag,
    std::string_view gtin, absl::Time from, absl::Time to,
    const std::function<void(const storage::keys::TimedEntry&,
                             std::string_view)>& fn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_STOCK_STATE_H_
