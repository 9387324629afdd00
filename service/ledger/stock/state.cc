#include "service/ledger/stock/state.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

// Collects `fn(key)` over the keys of [begin, end) in `cf`, stopping when it
// returns false or fails.
template <typename Fn>
absl::Status ForEachKey(const storage::Reader& reader, Cf cf,
                        std::string_view begin, std::string_view end, Fn fn) {
  return reader.Scan(cf, begin, end, fn);
}

// Builds stock lines, remembering the products, locations and lots it has
// read so a page reads each once.
class LineMaker {
 public:
  LineMaker(const storage::Reader& reader, absl::CivilDay today)
      : reader_(reader), today_(today) {}

  absl::StatusOr<v1::StockLine> Make(const v1::Lot& lot, uint64_t location,
                                     const v1::StockCounts& counts) {
    v1::StockLine line;
    line.set_gtin(lot.gtin());
    line.set_lot(lot.lot());
    *line.mutable_expiry() = lot.expiry();
    line.set_lot_status(lot.status());
    line.set_location_id(domain::FormatId(IdKind::kLocation, location));
    SMPTRACE_ASSIGN_OR_RETURN(std::string product, ProductName(lot.gtin()));
    line.set_product_name(std::move(product));
    SMPTRACE_ASSIGN_OR_RETURN(std::string place, LocationName(location));
    line.set_location_name(std::move(place));
    const int64_t n = counts.in_stock();
    line.set_in_stock(n);
    if (lot.status() == v1::LOT_STATUS_RECALLED) {
      line.set_recalled(n);
    } else if (lot.status() == v1::LOT_STATUS_QUARANTINED) {
      line.set_quarantined(n);
    } else if (IsExpired(lot.expiry(), today_)) {
      line.set_expired(n);
    } else {
      line.set_usable(n);
    }
    line.set_received(counts.received());
    line.set_opened(counts.opened());
    line.set_discarded(counts.discarded());
    line.set_adjusted_in(counts.adjusted_in());
    line.set_transferred_in(counts.transferred_in());
    line.set_transferred_out(counts.transferred_out());
    return line;
  }

  // The lot, read once.
  absl::StatusOr<const v1::Lot*> Lot(const std::string& gtin,
                                     const std::string& lot) {
    auto key = std::make_pair(gtin, lot);
    auto it = lots_.find(key);
    if (it == lots_.end()) {
      SMPTRACE_ASSIGN_OR_RETURN(auto read, ReadLot(reader_, gtin, lot));
      if (!read.has_value()) {
        return absl::DataLossError(absl::StrCat("stock of lot ", lot, " of ",
                                                gtin, " has no lot record"));
      }
      it = lots_.emplace(key, std::move(*read)).first;
    }
    return &it->second;
  }

 private:
  absl::StatusOr<std::string> ProductName(const std::string& gtin) {
    auto it = products_.find(gtin);
    if (it != products_.end()) return it->second;
    SMPTRACE_ASSIGN_OR_RETURN(auto product, ReadProduct(reader_, gtin));
    std::string name = product.has_value() ? product->name() : "?";
    products_.emplace(gtin, name);
    return name;
  }

  absl::StatusOr<std::string> LocationName(uint64_t location) {
    auto it = locations_.find(location);
    if (it != locations_.end()) return it->second;
    SMPTRACE_ASSIGN_OR_RETURN(auto read, ReadLocation(reader_, location));
    std::string name = read.has_value() ? read->name() : "?";
    locations_.emplace(location, name);
    return name;
  }

  const storage::Reader& reader_;
  absl::CivilDay today_;
  std::map<std::string, std::string> products_;
  std::map<uint64_t, std::string> locations_;
  std::map<std::pair<std::string, std::string>, v1::Lot> lots_;
};

// The first key after the page token's key, or `begin` for no token.
absl::StatusOr<std::string> ResumeAt(std::string_view after,
                                     std::string_view begin,
                                     std::string_view end) {
  if (after.empty()) return std::string(begin);
  std::string last;
  if (!absl::WebSafeBase64Unescape(ToAbsl(after), &last) || last < begin ||
      (!end.empty() && last >= end)) {
    return absl::InvalidArgumentError(
        "page.page_token: not a token this list returned");
  }
  last.push_back('\0');
  return last;
}

}  // namespace

absl::StatusOr<std::optional<v1::Lot>> ReadLot(const storage::Reader& reader,
                                               std::string_view gtin14,
                                               std::string_view lot) {
  return ReadRecord<v1::Lot>(reader, Cf::kState, keys::LotKey(gtin14, lot),
                             "lot");
}

absl::StatusOr<std::optional<v1::Unit>> ReadUnit(const storage::Reader& reader,
                                                 std::string_view gtin14,
                                                 std::string_view serial) {
  return ReadRecord<v1::Unit>(reader, Cf::kState, keys::UnitKey(gtin14, serial),
                              "unit");
}

absl::StatusOr<std::optional<v1::StockCounts>> FindStockCounts(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location) {
  return ReadRecord<v1::StockCounts>(reader, Cf::kState,
                                     keys::StockKey(gtin14, lot, location),
                                     "stock counts");
}

absl::StatusOr<v1::StockCounts> ReadStockCounts(const storage::Reader& reader,
                                                std::string_view gtin14,
                                                std::string_view lot,
                                                uint64_t location) {
  SMPTRACE_ASSIGN_OR_RETURN(auto counts,
                            FindStockCounts(reader, gtin14, lot, location));
  return counts.value_or(v1::StockCounts());
}

absl::StatusOr<uint64_t> ReadLastMintedSerial(const storage::Reader& reader) {
  SMPTRACE_ASSIGN_OR_RETURN(auto bytes,
                            reader.Get(Cf::kState, keys::MintedSerialKey()));
  if (!bytes.has_value()) return uint64_t{0};
  keys::KeyReader r(*bytes);
  uint64_t n = 0;
  if (!r.ReadUint64(&n) || !r.done()) {
    return absl::DataLossError("the minted-serial counter is damaged");
  }
  return n;
}

absl::StatusOr<std::optional<std::string>> FindProductByHibc(
    const storage::Reader& reader, std::string_view hibc_id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto gtin, reader.Get(Cf::kIndex, keys::ProductByHibcKey(hibc_id)));
  return gtin;
}

absl::StatusOr<std::vector<std::string>> InStockSerials(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location, int limit) {
  std::vector<std::string> serials;
  if (limit <= 0) return serials;
  // Seek to the first unit in stock (keys.h 0x12): the keys of units
  // taken out of stock before it are deleted, and stepping over them would
  // cost as many steps as units were taken.
  SMPTRACE_ASSIGN_OR_RETURN(
      auto first,
      reader.Get(Cf::kIndex, keys::FirstInStockKey(gtin14, lot, location)));
  if (!first.has_value()) return serials;
  const std::string prefix = keys::InStockPrefix(gtin14, lot, location);
  SMPTRACE_RETURN_IF_ERROR(ForEachKey(
      reader, Cf::kIndex, keys::InStockKey(gtin14, lot, location, *first),
      keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(std::string serial,
                                  keys::DecodeInStockKey(key));
        serials.push_back(std::move(serial));
        return static_cast<int>(serials.size()) < limit;
      }));
  return serials;
}

absl::StatusOr<std::vector<v1::Unit>> UnitsOfLot(const storage::Reader& reader,
                                                 std::string_view gtin14,
                                                 std::string_view lot,
                                                 int limit) {
  std::vector<v1::Unit> units;
  if (limit <= 0) return units;
  const std::string prefix = keys::UnitByLotPrefix(gtin14, lot);
  SMPTRACE_RETURN_IF_ERROR(ForEachKey(
      reader, Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(std::string serial,
                                  keys::DecodeUnitByLotKey(key));
        SMPTRACE_ASSIGN_OR_RETURN(auto unit, ReadUnit(reader, gtin14, serial));
        if (!unit.has_value()) {
          return absl::DataLossError(absl::StrCat("index lists unit ", serial,
                                                  " of lot ", ToAbsl(lot),
                                                  " but it has no record"));
        }
        units.push_back(std::move(*unit));
        return static_cast<int>(units.size()) < limit;
      }));
  return units;
}

absl::StatusOr<StockPage> QueryStock(const storage::Reader& reader,
                                     const StockFilter& filter,
                                     absl::CivilDay today,
                                     std::string_view after, int limit) {
  if (filter.location != 0) {
    // An unknown location is an error, not an empty stock list.
    SMPTRACE_ASSIGN_OR_RETURN(auto location,
                              ReadLocation(reader, filter.location));
    if (!location.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "location_id: location ",
          domain::FormatId(domain::IdKind::kLocation, filter.location),
          " does not exist"));
    }
  }
  LineMaker maker(reader, today);
  StockPage page;
  std::string last_key;
  bool more = false;

  // Adds the line of (gtin, lot, location) unless filtered out; false once
  // the page is full.
  auto add = [&](std::string_view key, const std::string& gtin,
                 const std::string& lot, uint64_t location,
                 const v1::StockCounts& counts) -> absl::StatusOr<bool> {
    if (filter.location != 0 && location != filter.location) return true;
    if (!filter.include_empty && counts.in_stock() == 0) return true;
    if (static_cast<int>(page.lines.size()) == limit) {
      more = true;
      return false;
    }
    SMPTRACE_ASSIGN_OR_RETURN(const v1::Lot* record, maker.Lot(gtin, lot));
    SMPTRACE_ASSIGN_OR_RETURN(v1::StockLine line,
                              maker.Make(*record, location, counts));
    page.lines.push_back(std::move(line));
    last_key = std::string(key);
    return true;
  };

  if (filter.gtin.empty() && filter.location != 0) {
    // Everything at one location: its index, product by product, FEFO.
    const std::string prefix = keys::StockByLocationPrefix(filter.location);
    const std::string end = keys::PrefixEnd(prefix);
    SMPTRACE_ASSIGN_OR_RETURN(std::string begin, ResumeAt(after, prefix, end));
    SMPTRACE_RETURN_IF_ERROR(ForEachKey(
        reader, Cf::kIndex, begin, end,
        [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
          SMPTRACE_ASSIGN_OR_RETURN(auto entry,
                                    keys::DecodeStockByLocationKey(key));
          SMPTRACE_ASSIGN_OR_RETURN(
              v1::StockCounts counts,
              ReadStockCounts(reader, entry.lot.gtin, entry.lot.lot,
                              entry.location));
          return add(key, entry.lot.gtin, entry.lot.lot, entry.location,
                     counts);
        }));
  } else {
    const std::string prefix =
        filter.gtin.empty()  ? keys::StatePrefix(keys::StateTag::kStock)
        : filter.lot.empty() ? keys::StockPrefix(filter.gtin)
                             : keys::StockPrefix(filter.gtin, filter.lot);
    const std::string end = keys::PrefixEnd(prefix);
    SMPTRACE_ASSIGN_OR_RETURN(std::string begin, ResumeAt(after, prefix, end));
    SMPTRACE_RETURN_IF_ERROR(ForEachKey(
        reader, Cf::kState, begin, end,
        [&](std::string_view key,
            std::string_view value) -> absl::StatusOr<bool> {
          SMPTRACE_ASSIGN_OR_RETURN(keys::StockId id,
                                    keys::DecodeStockKey(key));
          v1::StockCounts counts;
          SMPTRACE_RETURN_IF_ERROR(ParseRecord(value, "stock counts", &counts));
          return add(key, id.gtin, id.lot, id.location, counts);
        }));
  }
  if (more) page.next_page_token = absl::WebSafeBase64Escape(last_key);
  return page;
}

absl::StatusOr<std::vector<v1::StockLine>> QueryExpiring(
    const storage::Reader& reader, absl::CivilDay today, absl::CivilDay until,
    uint64_t location) {
  LineMaker maker(reader, today);
  std::vector<v1::StockLine> lines;
  const std::string begin = keys::LotByExpiryFrom(0);
  const std::string end =
      keys::LotByExpiryFrom(DateKey(ToProto(until + 1), keys::kNoExpiry));
  SMPTRACE_RETURN_IF_ERROR(ForEachKey(
      reader, Cf::kIndex, begin, end,
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(auto entry, keys::DecodeLotByExpiryKey(key));
        SMPTRACE_ASSIGN_OR_RETURN(const v1::Lot* lot,
                                  maker.Lot(entry.lot.gtin, entry.lot.lot));
        const std::string prefix = keys::StockPrefix(lot->gtin(), lot->lot());
        SMPTRACE_RETURN_IF_ERROR(ForEachKey(
            reader, Cf::kState, prefix, keys::PrefixEnd(prefix),
            [&](std::string_view stock_key,
                std::string_view value) -> absl::StatusOr<bool> {
              SMPTRACE_ASSIGN_OR_RETURN(keys::StockId id,
                                        keys::DecodeStockKey(stock_key));
              if (location != 0 && id.location != location) return true;
              v1::StockCounts counts;
              SMPTRACE_RETURN_IF_ERROR(
                  ParseRecord(value, "stock counts", &counts));
              if (counts.in_stock() == 0) return true;
              SMPTRACE_ASSIGN_OR_RETURN(v1::StockLine line,
                                        maker.Make(*lot, id.location, counts));
              lines.push_back(std::move(line));
              return true;
            }));
        return true;
      }));
  return lines;
}

absl::StatusOr<std::vector<v1::StockLine>> LotStock(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, absl::CivilDay today) {
  StockFilter filter;
  filter.gtin = std::string(gtin14);
  filter.lot = std::string(lot);
  filter.include_empty = true;
  std::vector<v1::StockLine> lines;
  std::string after;
  do {
    SMPTRACE_ASSIGN_OR_RETURN(StockPage page,
                              QueryStock(reader, filter, today, after, 1000));
    for (auto& line : page.lines) lines.push_back(std::move(line));
    after = page.next_page_token;
  } while (!after.empty());
  return lines;
}

absl::StatusOr<v1::StockLine> MakeStockLine(const storage::Reader& reader,
                                            const v1::Lot& lot,
                                            uint64_t location,
                                            const v1::StockCounts& counts,
                                            absl::CivilDay today) {
  LineMaker maker(reader, today);
  return maker.Make(lot, location, counts);
}

absl::StatusOr<v1::Unit> MustReadUnit(const storage::Reader& reader,
                                      const v1::UnitRef& ref) {
  SMPTRACE_ASSIGN_OR_RETURN(auto read,
                            ReadUnit(reader, ref.gtin(), ref.serial()));
  if (!read.has_value()) {
    return absl::DataLossError(
        absl::StrCat(UnitLabel(ref.gtin(), ref.serial()), " is not recorded"));
  }
  return *std::move(read);
}

std::string UnitLabel(const std::string& gtin, const std::string& serial) {
  return absl::StrCat("unit ", gtin, " serial ", serial);
}

std::string UnitStateWord(v1::UnitState state) {
  switch (state) {
    case v1::UNIT_STATE_IN_STOCK:
      return "in stock";
    case v1::UNIT_STATE_OPENED:
      return "opened";
    case v1::UNIT_STATE_DISPOSED:
      return "disposed";
    case v1::UNIT_STATE_DISCARDED:
      return "discarded";
    case v1::UNIT_STATE_UNSPECIFIED:
    case v1::UnitState_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::UnitState_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "unknown";
}

absl::Status ForEachTimed(
    const storage::Reader& reader, keys::IndexTag tag, std::string_view gtin,
    absl::Time from, absl::Time to,
    const std::function<void(const keys::TimedEntry&, std::string_view)>& fn) {
  const auto micros = [](absl::Time t) {
    return static_cast<uint64_t>(std::max<int64_t>(0, absl::ToUnixMicros(t)));
  };
  return reader.Scan(Cf::kIndex, keys::TimedFrom(tag, gtin, micros(from)),
                     keys::TimedFrom(tag, gtin, micros(to)),
                     [&](std::string_view key,
                         std::string_view value) -> absl::StatusOr<bool> {
                       SMPTRACE_ASSIGN_OR_RETURN(
                           auto entry, keys::DecodeTimedKey(tag, key));
                       fn(entry, value);
                       return true;
                     });
}

}  // namespace smptrace::ledger
