#include "service/ledger/stock/apply.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/recalls/trace_rows.h"
#include "service/ledger/records.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

v1::Unit NewUnit(const v1::Lot& lot, const std::string& location_id,
                 const std::string& serial, bool minted,
                 const std::string& po_reference, absl::Time time) {
  v1::Unit unit;
  unit.set_gtin(lot.gtin());
  unit.set_serial(serial);
  unit.set_serial_minted(minted);
  unit.set_lot(lot.lot());
  unit.set_location_id(location_id);
  unit.set_received_location_id(location_id);
  unit.set_state(v1::UNIT_STATE_IN_STOCK);
  *unit.mutable_received_at() = ToProto(time);
  unit.set_po_reference(po_reference);
  *unit.mutable_state_changed_at() = ToProto(time);
  return unit;
}

void MarkAdjustedIn(const std::string& reason, v1::Unit& unit) {
  unit.set_adjusted_in(true);
  unit.set_adjustment_reason(reason);
}

void MarkDiscarded(v1::DiscardReason reason, const std::string& note,
                   absl::Time time, v1::Unit& unit) {
  unit.set_state(v1::UNIT_STATE_DISCARDED);
  unit.set_discard_reason(reason);
  unit.set_discard_note(note);
  *unit.mutable_state_changed_at() = ToProto(time);
}

absl::StatusOr<uint64_t> LocationNumber(const std::string& id) {
  return domain::ParseId(IdKind::kLocation, id, "location_id");
}

absl::StatusOr<v1::Lot> MustReadLot(const storage::Reader& reader,
                                    const std::string& gtin,
                                    const std::string& lot) {
  SMPTRACE_ASSIGN_OR_RETURN(auto read, ReadLot(reader, gtin, lot));
  if (!read.has_value()) {
    return absl::DataLossError(
        absl::StrCat("lot ", lot, " of ", gtin, " is not recorded"));
  }
  return *std::move(read);
}

void PutLot(const v1::Lot& lot, storage::WriteTxn& txn) {
  txn.Put(Cf::kState, keys::LotKey(lot.gtin(), lot.lot()), Serialize(lot));
  txn.Put(Cf::kIndex,
          keys::LotByExpiryKey(DateKey(lot.expiry(), keys::kNoExpiry),
                               lot.gtin(), lot.lot()),
          "");
}

// Records an in-stock change of a product at a location (for the stock
// history reports); one entry per product, location and event. The key holds
// the event's seq, so only this event's earlier changes can be under it.
absl::Status AddMovement(const std::string& gtin, uint64_t location,
                         const At& at, int64_t delta, storage::WriteTxn& txn) {
  if (delta == 0) return absl::OkStatus();
  const std::string key =
      keys::TimedKey(keys::IndexTag::kMovement,
                     {gtin, static_cast<uint64_t>(absl::ToUnixMicros(at.time)),
                      at.seq, location});
  if (const std::optional<std::string> stored = txn.GetOwn(Cf::kIndex, key)) {
    keys::KeyReader r(*stored);
    uint64_t previous = 0;
    if (!r.ReadUint64(&previous) || !r.done()) {
      return absl::DataLossError("a stock movement entry is damaged");
    }
    delta += static_cast<int64_t>(previous);
  }
  std::string value;
  keys::AppendUint64(&value, static_cast<uint64_t>(delta));
  txn.Put(Cf::kIndex, key, value);
  return absl::OkStatus();
}

// Applies `change` to the counts of a lot at a location, keeping the
// location's index entry. DataLoss if in_stock would go negative.
template <typename Change>
absl::Status ChangeCounts(const v1::Lot& lot, uint64_t location, const At& at,
                          storage::WriteTxn& txn, Change change) {
  SMPTRACE_ASSIGN_OR_RETURN(
      std::optional<v1::StockCounts> stored,
      FindStockCounts(txn, lot.gtin(), lot.lot(), location));
  v1::StockCounts counts = stored.value_or(v1::StockCounts());
  const int64_t before = counts.in_stock();
  change(counts);
  SMPTRACE_RETURN_IF_ERROR(
      AddMovement(lot.gtin(), location, at, counts.in_stock() - before, txn));
  if (counts.in_stock() < 0) {
    return absl::DataLossError(absl::StrCat("stock of lot ", lot.lot(), " of ",
                                            lot.gtin(), " would go negative"));
  }
  txn.Put(Cf::kState, keys::StockKey(lot.gtin(), lot.lot(), location),
          Serialize(counts));
  // The index entry comes with the counts' first record and stays: a
  // lot's expiry, in its key, never changes.
  if (!stored.has_value()) {
    txn.Put(Cf::kIndex,
            keys::StockByLocationKey(location, lot.gtin(),
                                     DateKey(lot.expiry(), keys::kNoExpiry),
                                     lot.lot()),
            "");
  }
  return absl::OkStatus();
}

// The in-stock index (keys.h 0x04) and its first key per lot and location
// (0x12) change together, here only.
absl::Status PutInStock(const std::string& gtin, const std::string& lot,
                        uint64_t location, const std::string& serial,
                        storage::WriteTxn& txn) {
  const std::string key = keys::InStockKey(gtin, lot, location, serial);
  txn.Put(Cf::kIndex, key, "");
  const std::string first_key = keys::FirstInStockKey(gtin, lot, location);
  SMPTRACE_ASSIGN_OR_RETURN(auto first, txn.Get(Cf::kIndex, first_key));
  if (!first.has_value() ||
      key < keys::InStockKey(gtin, lot, location, *first)) {
    txn.Put(Cf::kIndex, first_key, serial);
  }
  return absl::OkStatus();
}

absl::Status DeleteInStock(const std::string& gtin, const std::string& lot,
                           uint64_t location, const std::string& serial,
                           storage::WriteTxn& txn) {
  const std::string key = keys::InStockKey(gtin, lot, location, serial);
  txn.Delete(Cf::kIndex, key);
  const std::string first_key = keys::FirstInStockKey(gtin, lot, location);
  SMPTRACE_ASSIGN_OR_RETURN(auto first, txn.Get(Cf::kIndex, first_key));
  if (!first.has_value() || *first != serial) return absl::OkStatus();
  // The next one on: only the keys taken out of stock out of order lie
  // between.
  std::optional<std::string> next;
  const std::string prefix = keys::InStockPrefix(gtin, lot, location);
  SMPTRACE_RETURN_IF_ERROR(txn.Scan(
      Cf::kIndex, key, keys::PrefixEnd(prefix),
      [&](std::string_view k, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(next, keys::DecodeInStockKey(k));
        return false;
      }));
  if (next.has_value()) {
    txn.Put(Cf::kIndex, first_key, *next);
  } else {
    txn.Delete(Cf::kIndex, first_key);
  }
  return absl::OkStatus();
}

// New in-stock units of `lot` at `location`; `adjusted_in` (may be null)
// marks them as come in by that adjustment.
absl::Status CreateUnits(
    const v1::Lot& lot, const std::string& location_id, uint64_t location,
    const google::protobuf::RepeatedPtrField<std::string>& serials, bool minted,
    const std::string& po_reference, const At& at,
    const v1::StockAdjusted* adjusted_in, storage::WriteTxn& txn) {
  for (const std::string& serial : serials) {
    v1::Unit unit =
        NewUnit(lot, location_id, serial, minted, po_reference, at.time);
    if (adjusted_in != nullptr) MarkAdjustedIn(adjusted_in->reason(), unit);
    PutUnit(unit, txn);
    txn.Put(Cf::kIndex, keys::UnitByLotKey(lot.gtin(), lot.lot(), serial), "");
    SMPTRACE_RETURN_IF_ERROR(
        PutInStock(lot.gtin(), lot.lot(), location, serial, txn));
  }
  return absl::OkStatus();
}

void SetMintedSerial(uint64_t last, storage::WriteTxn& txn) {
  if (last == 0) return;
  std::string value;
  keys::AppendUint64(&value, last);
  txn.Put(Cf::kState, keys::MintedSerialKey(), value);
}

// Takes an in-stock unit out of stock into `state`; returns its lot and
// location through the counts it changes.
absl::Status TakeOutOfStock(v1::Unit& unit, const At& at,
                            storage::WriteTxn& txn) {
  if (unit.state() != v1::UNIT_STATE_IN_STOCK) {
    return absl::DataLossError(absl::StrCat("unit ", unit.gtin(), " serial ",
                                            unit.serial(), " is not in stock"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                            LocationNumber(unit.location_id()));
  SMPTRACE_RETURN_IF_ERROR(
      DeleteInStock(unit.gtin(), unit.lot(), location, unit.serial(), txn));
  *unit.mutable_state_changed_at() = ToProto(at.time);
  return absl::OkStatus();
}

}  // namespace

void PutUnit(const v1::Unit& unit, storage::WriteTxn& txn) {
  txn.Put(Cf::kState, keys::UnitKey(unit.gtin(), unit.serial()),
          Serialize(unit));
  PutTraceUnit(unit, txn);
}

absl::Status DiscardInStockUnit(const v1::UnitRef& ref,
                                v1::DiscardReason reason,
                                const std::string& note, const At& at,
                                storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Unit unit, MustReadUnit(txn, ref));
  SMPTRACE_RETURN_IF_ERROR(TakeOutOfStock(unit, at, txn));
  MarkDiscarded(reason, note, at.time, unit);
  PutUnit(unit, txn);
  SMPTRACE_ASSIGN_OR_RETURN(v1::Lot lot,
                            MustReadLot(txn, unit.gtin(), unit.lot()));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                            LocationNumber(unit.location_id()));
  return ChangeCounts(lot, location, at, txn, [](v1::StockCounts& c) {
    c.set_in_stock(c.in_stock() - 1);
    c.set_discarded(c.discarded() + 1);
  });
}

absl::Status OpenUnit(const v1::UnitRef& ref, const std::string& session_id,
                      const v1::Date& usable_until, const std::string& actor,
                      const At& at, storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Unit unit, MustReadUnit(txn, ref));
  SMPTRACE_RETURN_IF_ERROR(TakeOutOfStock(unit, at, txn));
  unit.set_state(v1::UNIT_STATE_OPENED);
  *unit.mutable_opened_at() = ToProto(at.time);
  unit.set_opened_by(actor);
  unit.set_session_id(session_id);
  *unit.mutable_usable_until() = usable_until;
  PutUnit(unit, txn);
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                            LocationNumber(unit.location_id()));
  txn.Put(Cf::kIndex,
          keys::AwaitingDisposalKey(unit.gtin(), unit.lot(), location,
                                    unit.serial()),
          "");
  SMPTRACE_ASSIGN_OR_RETURN(v1::Lot lot,
                            MustReadLot(txn, unit.gtin(), unit.lot()));
  return ChangeCounts(lot, location, at, txn, [](v1::StockCounts& c) {
    c.set_in_stock(c.in_stock() - 1);
    c.set_opened(c.opened() + 1);
  });
}

absl::Status ReturnOpenedUnitToStock(const v1::UnitRef& ref, const At& at,
                                     storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Unit unit, MustReadUnit(txn, ref));
  if (unit.state() != v1::UNIT_STATE_OPENED) {
    return absl::DataLossError(absl::StrCat("unit ", unit.gtin(), " serial ",
                                            unit.serial(), " is not opened"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                            LocationNumber(unit.location_id()));
  txn.Delete(Cf::kIndex, keys::AwaitingDisposalKey(unit.gtin(), unit.lot(),
                                                   location, unit.serial()));
  SMPTRACE_RETURN_IF_ERROR(
      PutInStock(unit.gtin(), unit.lot(), location, unit.serial(), txn));
  unit.set_state(v1::UNIT_STATE_IN_STOCK);
  unit.clear_opened_at();
  unit.clear_opened_by();
  unit.clear_session_id();
  unit.clear_usable_until();
  *unit.mutable_state_changed_at() = ToProto(at.time);
  PutUnit(unit, txn);
  SMPTRACE_ASSIGN_OR_RETURN(v1::Lot lot,
                            MustReadLot(txn, unit.gtin(), unit.lot()));
  return ChangeCounts(lot, location, at, txn, [](v1::StockCounts& c) {
    c.set_in_stock(c.in_stock() + 1);
    c.set_opened(c.opened() - 1);
  });
}

absl::Status ApplyStockReceived(const v1::StockReceived& e, const At& at,
                                storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location, LocationNumber(e.location_id()));
  for (const v1::ReceiptLine& line : e.lines()) {
    PutLot(line.lot(), txn);
    SMPTRACE_RETURN_IF_ERROR(CreateUnits(line.lot(), e.location_id(), location,
                                         line.serials(), line.serials_minted(),
                                         e.po_reference(), at,
                                         /*adjusted_in=*/nullptr, txn));
    const int64_t n = line.serials_size();
    SMPTRACE_RETURN_IF_ERROR(
        ChangeCounts(line.lot(), location, at, txn, [n](v1::StockCounts& c) {
          c.set_in_stock(c.in_stock() + n);
          c.set_received(c.received() + n);
        }));
  }
  SetMintedSerial(e.last_minted_serial(), txn);
  return absl::OkStatus();
}

absl::Status ApplyLotStatusChanged(const v1::LotStatusChanged& e,
                                   storage::WriteTxn& txn) {
  PutLot(e.lot(), txn);
  return absl::OkStatus();
}

absl::Status ApplyUnitsDiscarded(const v1::UnitsDiscarded& e, const At& at,
                                 storage::WriteTxn& txn) {
  for (const v1::UnitRef& ref : e.units()) {
    SMPTRACE_RETURN_IF_ERROR(
        DiscardInStockUnit(ref, e.reason(), e.note(), at, txn));
  }
  return absl::OkStatus();
}

absl::Status ApplyStockAdjusted(const v1::StockAdjusted& e, const At& at,
                                storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Lot lot, MustReadLot(txn, e.gtin(), e.lot()));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location, LocationNumber(e.location_id()));
  if (e.delta() > 0) {
    SMPTRACE_RETURN_IF_ERROR(CreateUnits(
        lot, e.location_id(), location, e.serials(), /*minted=*/true,
        /*po_reference=*/"", at, e.mark_adjusted_in() ? &e : nullptr, txn));
    const int64_t n = e.serials_size();
    SMPTRACE_RETURN_IF_ERROR(
        ChangeCounts(lot, location, at, txn, [n](v1::StockCounts& c) {
          c.set_in_stock(c.in_stock() + n);
          c.set_adjusted_in(c.adjusted_in() + n);
        }));
    SetMintedSerial(e.last_minted_serial(), txn);
    return absl::OkStatus();
  }
  for (const std::string& serial : e.serials()) {
    v1::UnitRef ref;
    ref.set_gtin(e.gtin());
    ref.set_serial(serial);
    SMPTRACE_RETURN_IF_ERROR(DiscardInStockUnit(ref, v1::DISCARD_REASON_MISSING,
                                                e.reason(), at, txn));
  }
  return absl::OkStatus();
}

absl::Status ApplyUnitsTransferred(const v1::UnitsTransferred& e, const At& at,
                                   storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t from,
                            LocationNumber(e.from_location_id()));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t to, LocationNumber(e.to_location_id()));
  for (const v1::UnitRef& ref : e.units()) {
    SMPTRACE_ASSIGN_OR_RETURN(v1::Unit unit, MustReadUnit(txn, ref));
    SMPTRACE_RETURN_IF_ERROR(TakeOutOfStock(unit, at, txn));
    unit.set_location_id(e.to_location_id());
    PutUnit(unit, txn);
    SMPTRACE_RETURN_IF_ERROR(
        PutInStock(unit.gtin(), unit.lot(), to, unit.serial(), txn));
    SMPTRACE_ASSIGN_OR_RETURN(v1::Lot lot,
                              MustReadLot(txn, unit.gtin(), unit.lot()));
    SMPTRACE_RETURN_IF_ERROR(
        ChangeCounts(lot, from, at, txn, [](v1::StockCounts& c) {
          c.set_in_stock(c.in_stock() - 1);
          c.set_transferred_out(c.transferred_out() + 1);
        }));
    SMPTRACE_RETURN_IF_ERROR(
        ChangeCounts(lot, to, at, txn, [](v1::StockCounts& c) {
          c.set_in_stock(c.in_stock() + 1);
          c.set_transferred_in(c.transferred_in() + 1);
        }));
  }
  return absl::OkStatus();
}

absl::Status EnsureFirstInStockIndex(storage::Store& store) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto built, store.live().Get(Cf::kMeta, keys::kFirstInStockBuiltKey));
  if (built.has_value()) return absl::OkStatus();
  std::unique_ptr<storage::WriteTxn> txn = store.BeginWrite();
  // Keys left by an earlier build of the index go first.
  const std::string firsts = keys::IndexPrefix(keys::IndexTag::kFirstInStock);
  SMPTRACE_RETURN_IF_ERROR(
      store.live().Scan(Cf::kIndex, firsts, keys::PrefixEnd(firsts),
                        [&](std::string_view key, std::string_view) {
                          txn->Delete(Cf::kIndex, key);
                          return true;
                        }));
  const std::string prefix = keys::IndexPrefix(keys::IndexTag::kInStock);
  std::string last_first;  // the FirstInStockKey written last
  SMPTRACE_RETURN_IF_ERROR(store.live().Scan(
      Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(keys::InStockEntry e,
                                  keys::DecodeInStockEntry(key));
        std::string first_key =
            keys::FirstInStockKey(e.lot.gtin, e.lot.lot, e.location);
        if (first_key == last_first) return true;
        txn->Put(Cf::kIndex, first_key, e.serial);
        last_first = std::move(first_key);
        return true;
      }));
  txn->Put(Cf::kMeta, keys::kFirstInStockBuiltKey, "1");
  return store.Commit(*txn, /*sync=*/true);
}

}  // namespace smptrace::ledger
