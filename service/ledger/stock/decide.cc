#include "service/ledger/stock/decide.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/purchasing/decide.h"
#include "service/ledger/stock/state.h"

namespace smptrace::ledger {
namespace {

using domain::IdKind;

std::string StatusName(v1::LotStatus status) {
  switch (status) {
    case v1::LOT_STATUS_RELEASED:
      return "released";
    case v1::LOT_STATUS_QUARANTINED:
      return "quarantined";
    case v1::LOT_STATUS_RECALLED:
      return "recalled";
    case v1::LOT_STATUS_UNSPECIFIED:
    case v1::LotStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::LotStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "unknown";
}

// "lot AB-12 of Cartridge 1RL 0.25 (09506000134352)"
std::string LotLabel(const v1::Lot& lot, const std::string& product_name) {
  return absl::StrCat("lot ", lot.lot(), " of ", product_name, " (", lot.gtin(),
                      ")");
}

absl::StatusOr<v1::Location> MustLocation(const DecisionContext& ctx,
                                          const std::string& id,
                                          std::string_view field) {
  return MustReadLocation(ctx.state, id, field);
}

std::string ProductName(const std::optional<v1::Product>& product) {
  return product.has_value() ? product->name() : "unknown product";
}

// The lot and its product's name; NotFound when the lot is unknown.
struct KnownLot {
  v1::Lot lot;
  std::string product_name;
};
absl::StatusOr<KnownLot> MustLot(const DecisionContext& ctx,
                                 const std::string& gtin,
                                 const std::string& lot) {
  SMPTRACE_ASSIGN_OR_RETURN(auto read, ReadLot(ctx.state, gtin, lot));
  if (!read.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "lot ", lot, " of ", gtin,
        " does not exist (lot numbers are matched exactly as printed)"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(auto product, ReadProduct(ctx.state, gtin));
  return KnownLot{*std::move(read), ProductName(product)};
}

absl::Status SameDate(const std::string& field, const std::string& what,
                      const v1::Date& recorded, const v1::Date& given,
                      const std::string& lot_label, std::string_view reason) {
  if (!IsSet(given) || DateKey(recorded, 0) == DateKey(given, 0)) {
    return absl::OkStatus();
  }
  return Refusal(
      ToAbsl(reason),
      absl::StrCat(field, ": ", lot_label, " is recorded with ", what, " ",
                   FormatDate(recorded), ", this one says ", FormatDate(given),
                   "; a lot has one ", what, ": check the label"));
}

absl::Status SameSterilization(const std::string& field,
                               const v1::Sterilization& recorded,
                               const v1::Sterilization& given,
                               const std::string& lot_label) {
  auto differs = [](const std::string& a, const std::string& b) {
    return !a.empty() && !b.empty() && a != b;
  };
  const bool method_differs =
      given.method() != v1::STERILIZATION_METHOD_UNSPECIFIED &&
      recorded.method() != v1::STERILIZATION_METHOD_UNSPECIFIED &&
      given.method() != recorded.method();
  if (method_differs || differs(recorded.batch(), given.batch()) ||
      differs(recorded.certificate(), given.certificate())) {
    return Refusal(
        "sterilization_mismatch",
        absl::StrCat(field, ": ", lot_label, " is recorded with sterilization ",
                     v1::SterilizationMethod_Name(recorded.method()),
                     " batch '", recorded.batch(), "'; this line says ",
                     v1::SterilizationMethod_Name(given.method()), " batch '",
                     given.batch(), "'"));
  }
  return absl::OkStatus();
}

// Fills the lot's sterilisation from the line, then from the product.
v1::Sterilization SterilizationOf(const v1::ReceiveLine& line,
                                  const v1::Product& product) {
  v1::Sterilization s = line.sterilization();
  if (s.method() == v1::STERILIZATION_METHOD_UNSPECIFIED) {
    s.set_method(product.sterilization_method());
  }
  return s;
}

// Serials smptrace mints, continuing from the stored counter; skips a number
// whose serial some manufacturer already used for this GTIN.
class SerialMint {
 public:
  static absl::StatusOr<SerialMint> Open(const storage::Reader& state) {
    SMPTRACE_ASSIGN_OR_RETURN(uint64_t last, ReadLastMintedSerial(state));
    return SerialMint(state, last);
  }
  absl::StatusOr<std::string> Next(const std::string& gtin) {
    while (true) {
      std::string serial = domain::MintedSerial(++last_);
      SMPTRACE_ASSIGN_OR_RETURN(auto taken, ReadUnit(state_, gtin, serial));
      if (!taken.has_value()) {
        minted_ = true;
        return serial;
      }
    }
  }
  // The counter to store, 0 if nothing was minted.
  uint64_t last_if_minted() const { return minted_ ? last_ : 0; }

 private:
  SerialMint(const storage::Reader& state, uint64_t last)
      : state_(state), last_(last) {}
  const storage::Reader& state_;
  uint64_t last_;
  bool minted_ = false;
};

// The field of the request that named unit `i` of `refs`, as the client
// sent it: the API appends the unit of each scanned label (`barcodes`) to
// the units the client listed, in order, so the last barcodes.size() units
// came from barcodes[0..].
std::string UnitField(
    int i, const google::protobuf::RepeatedPtrField<v1::UnitRef>& refs,
    const google::protobuf::RepeatedPtrField<std::string>& barcodes) {
  const int listed = refs.size() - barcodes.size();
  if (i < listed) return absl::StrCat("units[", i, "]");
  return absl::StrCat("barcodes[", i - listed, "]");
}

// The units a discard or transfer names (`refs`, the last of them resolved
// from `barcodes`), each checked to be in stock (and at `at` unless it is
// empty). A refusal names the field the client sent.
absl::StatusOr<std::vector<v1::Unit>> NamedUnits(
    const DecisionContext& ctx,
    const google::protobuf::RepeatedPtrField<v1::UnitRef>& refs,
    const google::protobuf::RepeatedPtrField<std::string>& barcodes,
    const std::string& at, const std::string& at_name, std::string_view verb) {
  std::vector<v1::Unit> units;
  std::set<std::pair<std::string, std::string>> seen;
  for (int i = 0; i < refs.size(); ++i) {
    const v1::UnitRef& ref = refs[i];
    const std::string field = UnitField(i, refs, barcodes);
    if (!seen.emplace(ref.gtin(), ref.serial()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", UnitLabel(ref.gtin(), ref.serial()),
                       " is listed twice"));
    }
    SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                              ReadUnit(ctx.state, ref.gtin(), ref.serial()));
    if (!unit.has_value()) {
      return absl::NotFoundError(
          absl::StrCat(field, ": no ", UnitLabel(ref.gtin(), ref.serial()),
                       " was ever received"));
    }
    if (unit->state() != v1::UNIT_STATE_IN_STOCK) {
      return Refusal(
          "unit_not_in_stock",
          absl::StrCat(field, ": ", UnitLabel(ref.gtin(), ref.serial()), " is ",
                       UnitStateWord(unit->state()),
                       ", not in stock; only units in stock can be ",
                       ToAbsl(verb)));
    }
    if (!at.empty() && unit->location_id() != at) {
      SMPTRACE_ASSIGN_OR_RETURN(const std::string where,
                                LocationLabel(ctx.state, unit->location_id()));
      return Refusal(
          "unit_elsewhere",
          absl::StrCat(field, ": ", UnitLabel(ref.gtin(), ref.serial()),
                       " is at ", where, ", not at ", at, " (", at_name, ")"));
    }
    units.push_back(*std::move(unit));
  }
  return units;
}

// `quantity` in-stock units of a lot at a location, or "insufficient_stock".
absl::StatusOr<std::vector<v1::Unit>> UnitsFromStock(const DecisionContext& ctx,
                                                     const KnownLot& lot,
                                                     const v1::Location& at,
                                                     int quantity,
                                                     std::string_view verb) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t location,
      domain::ParseId(IdKind::kLocation, at.location_id(), "location_id"));
  SMPTRACE_ASSIGN_OR_RETURN(std::vector<std::string> serials,
                            InStockSerials(ctx.state, lot.lot.gtin(),
                                           lot.lot.lot(), location, quantity));
  if (static_cast<int>(serials.size()) < quantity) {
    return Refusal(
        "insufficient_stock",
        absl::StrCat("only ", serials.size(), " of ",
                     LotLabel(lot.lot, lot.product_name), " in stock at ",
                     at.location_id(), " (", at.name(), "); cannot ",
                     ToAbsl(verb), " ", quantity));
  }
  std::vector<v1::Unit> units;
  for (const std::string& serial : serials) {
    SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                              ReadUnit(ctx.state, lot.lot.gtin(), serial));
    if (!unit.has_value()) {
      return absl::DataLossError(absl::StrCat("in-stock index lists ",
                                              UnitLabel(lot.lot.gtin(), serial),
                                              " but it has no record"));
    }
    units.push_back(*std::move(unit));
  }
  return units;
}

// A lot already expired when it arrives is not stock: refused, unless the
// delivery says it is accepted as expired (to hold it for return to the
// supplier). The lot is then quarantined with that reason: its units are
// counted, and no scan can use them.
absl::Status HoldIfExpired(const DecisionContext& ctx,
                           const v1::ReceiveRequest& r,
                           const std::string& field,
                           const std::string& product_name, v1::Lot& lot) {
  if (!IsExpired(lot.expiry(), Today(ctx.now, ctx.zone))) {
    return absl::OkStatus();
  }
  const std::string expired =
      absl::StrCat("expired on ", FormatDate(lot.expiry()));
  if (!r.accept_expired()) {
    return Refusal(
        "lot_expired",
        absl::StrCat(field, ".expiry: ", LotLabel(lot, product_name), " ",
                     expired,
                     ": expired stock is not received. Refuse the delivery, "
                     "or receive it as expired to hold it, quarantined, for "
                     "return to the supplier (accept_expired: smptrace "
                     "receive --accept-expired)"));
  }
  if (lot.status() != v1::LOT_STATUS_RELEASED) return absl::OkStatus();
  lot.set_status(v1::LOT_STATUS_QUARANTINED);
  lot.set_status_reason(
      absl::StrCat("received ", expired, ": held for return to the supplier"));
  *lot.mutable_status_changed_at() = ToProto(ctx.now);
  lot.set_status_changed_by(std::string(ctx.actor));
  return absl::OkStatus();
}

void AddRefs(const std::vector<v1::Unit>& units,
             google::protobuf::RepeatedPtrField<v1::UnitRef>* refs) {
  for (const v1::Unit& unit : units) {
    v1::UnitRef* ref = refs->Add();
    ref->set_gtin(unit.gtin());
    ref->set_serial(unit.serial());
  }
}

// The units `refs` names as the event left them, in the same order.
absl::Status ReadBackUnits(
    const storage::Reader& written,
    const google::protobuf::RepeatedPtrField<v1::UnitRef>& refs,
    google::protobuf::RepeatedPtrField<v1::Unit>* units) {
  for (const v1::UnitRef& ref : refs) {
    SMPTRACE_ASSIGN_OR_RETURN(*units->Add(), MustReadUnit(written, ref));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Decision> DecideReceive(const DecisionContext& ctx,
                                       const v1::ReceiveRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Location location,
                            MustLocation(ctx, r.location_id(), "location_id"));
  if (!r.supplier_id().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t supplier,
        domain::ParseId(IdKind::kSupplier, r.supplier_id(), "supplier_id"));
    SMPTRACE_ASSIGN_OR_RETURN(auto found, ReadSupplier(ctx.state, supplier));
    if (!found.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "supplier_id: supplier ", r.supplier_id(), " does not exist"));
    }
  }
  SMPTRACE_RETURN_IF_ERROR(CheckDeliveryAgainstOrder(ctx, r));
  SMPTRACE_ASSIGN_OR_RETURN(SerialMint mint, SerialMint::Open(ctx.state));

  Decision d;
  v1::StockReceived* event = d.event.mutable_stock_received();
  event->set_po_note(r.po_note());
  event->set_location_id(location.location_id());
  event->set_po_reference(r.po_reference());
  event->set_supplier_id(r.supplier_id());
  v1::ReceiveResponse* result = d.result.mutable_receive();

  // Lots as this command leaves them, so two lines of one lot add up.
  std::map<std::pair<std::string, std::string>, v1::Lot> lots;
  std::set<std::pair<std::string, std::string>> serials;
  for (int i = 0; i < r.lines_size(); ++i) {
    const v1::ReceiveLine& line = r.lines(i);
    const std::string field = absl::StrCat("lines[", i, "]");
    SMPTRACE_ASSIGN_OR_RETURN(auto product,
                              ReadProduct(ctx.state, line.gtin()));
    if (!product.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          field, ": no product has GTIN ", line.gtin(),
          "; add it to the catalogue first (smptrace product create --gtin ",
          line.gtin(), " ...)"));
    }
    const auto key = std::make_pair(line.gtin(), line.lot());
    auto it = lots.find(key);
    if (it == lots.end()) {
      SMPTRACE_ASSIGN_OR_RETURN(auto stored,
                                ReadLot(ctx.state, line.gtin(), line.lot()));
      if (stored.has_value()) it = lots.emplace(key, *std::move(stored)).first;
    }
    const int64_t quantity = line.quantity();
    bool new_lot = false;
    if (it != lots.end()) {
      v1::Lot& lot = it->second;
      const std::string label = LotLabel(lot, product->name());
      if (lot.status() == v1::LOT_STATUS_RECALLED) {
        return Refusal(
            "lot_recalled",
            absl::StrCat(field, ": ", label, " is recalled (notice ",
                         lot.recall().reference(),
                         "); do not accept it: set it aside for return"));
      }
      SMPTRACE_RETURN_IF_ERROR(SameDate(field, "expiry", lot.expiry(),
                                        line.expiry(), label,
                                        "expiry_mismatch"));
      SMPTRACE_RETURN_IF_ERROR(
          SameDate(field, "production date", lot.production_date(),
                   line.production_date(), label, "production_date_mismatch"));
      SMPTRACE_RETURN_IF_ERROR(SameSterilization(field, lot.sterilization(),
                                                 line.sterilization(), label));
      lot.set_received_quantity(lot.received_quantity() + quantity);
    } else {
      const bool needs_expiry =
          product->sterile() || product->kind() == v1::PRODUCT_KIND_PIGMENT;
      if (needs_expiry && !IsSet(line.expiry())) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".expiry: lot ", line.lot(), " of ", product->name(),
            " is new and ",
            product->kind() == v1::PRODUCT_KIND_PIGMENT ? "a pigment"
                                                        : "sterile",
            ", so its expiry is required; the barcode carries none (AI 17): "
            "give it"));
      }
      v1::Lot lot;
      lot.set_gtin(line.gtin());
      lot.set_lot(line.lot());
      *lot.mutable_expiry() = line.expiry();
      *lot.mutable_production_date() = line.production_date();
      *lot.mutable_sterilization() = SterilizationOf(line, *product);
      lot.set_supplier_id(r.supplier_id());
      lot.set_received_quantity(quantity);
      lot.set_status(v1::LOT_STATUS_RELEASED);
      *lot.mutable_first_received_at() = ToProto(ctx.now);
      *lot.mutable_status_changed_at() = ToProto(ctx.now);
      lot.set_status_changed_by(std::string(ctx.actor));
      it = lots.emplace(key, std::move(lot)).first;
      new_lot = true;
    }
    SMPTRACE_RETURN_IF_ERROR(
        HoldIfExpired(ctx, r, field, product->name(), it->second));

    v1::ReceiptLine* receipt = event->add_lines();
    *receipt->mutable_lot() = it->second;
    receipt->set_barcode(line.barcode());
    receipt->set_secondary_barcode(line.secondary_barcode());
    if (!line.serial().empty()) {
      SMPTRACE_ASSIGN_OR_RETURN(
          auto existing, ReadUnit(ctx.state, line.gtin(), line.serial()));
      if (existing.has_value() ||
          !serials.emplace(line.gtin(), line.serial()).second) {
        return absl::AlreadyExistsError(absl::StrCat(
            field, ".serial: ", UnitLabel(line.gtin(), line.serial()),
            existing.has_value()
                ? absl::StrCat(" was already received (lot ", existing->lot(),
                               ", ", existing->location_id(), ")")
                : std::string(" is twice in this delivery"),
            "; a unit is received once"));
      }
      receipt->add_serials(line.serial());
    } else {
      for (int64_t n = 0; n < quantity; ++n) {
        SMPTRACE_ASSIGN_OR_RETURN(std::string serial, mint.Next(line.gtin()));
        receipt->add_serials(std::move(serial));
      }
      receipt->set_serials_minted(true);
    }

    v1::ReceivedLine* answer = result->add_lines();
    *answer->mutable_product() = *product;
    *answer->mutable_lot() = it->second;
    answer->set_new_lot(new_lot);
    *answer->mutable_serials() = receipt->serials();
    answer->set_serials_minted(receipt->serials_minted());
    *answer->mutable_other_elements() = line.other_elements();
  }
  event->set_last_minted_serial(mint.last_if_minted());
  return d;
}

absl::StatusOr<Decision> DecideSetLotStatus(const DecisionContext& ctx,
                                            const v1::SetLotStatusRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(KnownLot known, MustLot(ctx, r.gtin(), r.lot()));
  const v1::Lot& lot = known.lot;
  const std::string label = LotLabel(lot, known.product_name);
  if (lot.status() == v1::LOT_STATUS_RECALLED) {
    return Refusal(
        "lot_recalled",
        absl::StrCat(label, " was recalled (notice ", lot.recall().reference(),
                     " of ", FormatDate(lot.recall().notice_date()),
                     "); a recall is final: the lot cannot be ",
                     StatusName(r.status()), " again"));
  }
  if (lot.status() == r.status()) {
    return Refusal("lot_status_unchanged",
                   absl::StrCat(label, " is already ", StatusName(r.status())));
  }
  Decision d;
  v1::LotStatusChanged* event = d.event.mutable_lot_status_changed();
  event->set_previous_status(lot.status());
  v1::Lot* changed = event->mutable_lot();
  *changed = lot;
  changed->set_status(r.status());
  changed->set_status_reason(r.reason());
  *changed->mutable_status_changed_at() = ToProto(ctx.now);
  changed->set_status_changed_by(std::string(ctx.actor));
  if (r.status() == v1::LOT_STATUS_RECALLED) {
    *changed->mutable_recall() = r.recall();
    if (!IsSet(r.recall().notice_date())) {
      *changed->mutable_recall()->mutable_notice_date() =
          ToProto(Today(ctx.now, ctx.zone));
    }
  }
  *d.result.mutable_lot() = *changed;
  return d;
}

absl::StatusOr<Decision> DecideDiscard(const DecisionContext& ctx,
                                       const v1::DiscardRequest& r) {
  std::vector<v1::Unit> units;
  if (r.units_size() > 0) {
    SMPTRACE_ASSIGN_OR_RETURN(
        units, NamedUnits(ctx, r.units(), r.barcodes(), "", "", "discarded"));
  } else {
    SMPTRACE_ASSIGN_OR_RETURN(KnownLot lot, MustLot(ctx, r.gtin(), r.lot()));
    SMPTRACE_ASSIGN_OR_RETURN(
        v1::Location at, MustLocation(ctx, r.location_id(), "location_id"));
    SMPTRACE_ASSIGN_OR_RETURN(
        units, UnitsFromStock(ctx, lot, at, r.quantity(), "discard"));
  }
  Decision d;
  v1::UnitsDiscarded* event = d.event.mutable_units_discarded();
  AddRefs(units, event->mutable_units());
  event->set_reason(r.reason());
  event->set_note(r.note());
  d.read_back = [refs = event->units()](const storage::Reader& written,
                                        v1::CommandResult& result) {
    return ReadBackUnits(written, refs,
                         result.mutable_discard()->mutable_units());
  };
  return d;
}

absl::StatusOr<Decision> DecideAdjustStock(const DecisionContext& ctx,
                                           const v1::AdjustStockRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(KnownLot lot, MustLot(ctx, r.gtin(), r.lot()));
  SMPTRACE_ASSIGN_OR_RETURN(v1::Location at,
                            MustLocation(ctx, r.location_id(), "location_id"));
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t location,
      domain::ParseId(IdKind::kLocation, at.location_id(), "location_id"));

  Decision d;
  v1::StockAdjusted* event = d.event.mutable_stock_adjusted();
  event->set_gtin(r.gtin());
  event->set_lot(r.lot());
  event->set_location_id(at.location_id());
  event->set_delta(r.delta());
  event->set_reason(r.reason());
  if (r.delta() > 0) {
    SMPTRACE_ASSIGN_OR_RETURN(SerialMint mint, SerialMint::Open(ctx.state));
    event->set_mark_adjusted_in(true);
    for (int n = 0; n < r.delta(); ++n) {
      SMPTRACE_ASSIGN_OR_RETURN(std::string serial, mint.Next(r.gtin()));
      event->add_serials(std::move(serial));
    }
    event->set_last_minted_serial(mint.last_if_minted());
  } else {
    SMPTRACE_ASSIGN_OR_RETURN(
        std::vector<v1::Unit> units,
        UnitsFromStock(ctx, lot, at, -r.delta(), "take out"));
    for (const v1::Unit& unit : units) event->add_serials(unit.serial());
  }
  d.read_back = [e = *event, location, today = Today(ctx.now, ctx.zone)](
                    const storage::Reader& written,
                    v1::CommandResult& result) -> absl::Status {
    v1::AdjustStockResponse* adjusted = result.mutable_adjust_stock();
    google::protobuf::RepeatedPtrField<v1::UnitRef> refs;
    for (const std::string& serial : e.serials()) {
      v1::UnitRef* ref = refs.Add();
      ref->set_gtin(e.gtin());
      ref->set_serial(serial);
    }
    SMPTRACE_RETURN_IF_ERROR(
        ReadBackUnits(written, refs, adjusted->mutable_units()));
    SMPTRACE_ASSIGN_OR_RETURN(auto lot, ReadLot(written, e.gtin(), e.lot()));
    if (!lot.has_value()) {
      return absl::DataLossError(
          absl::StrCat("lot ", e.lot(), " of ", e.gtin(), " has no record"));
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        v1::StockCounts counts,
        ReadStockCounts(written, e.gtin(), e.lot(), location));
    SMPTRACE_ASSIGN_OR_RETURN(
        *adjusted->mutable_stock(),
        MakeStockLine(written, *lot, location, counts, today));
    return absl::OkStatus();
  };
  return d;
}

absl::StatusOr<Decision> DecideTransfer(const DecisionContext& ctx,
                                        const v1::TransferRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::Location from,
      MustLocation(ctx, r.from_location_id(), "from_location_id"));
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::Location to, MustLocation(ctx, r.to_location_id(), "to_location_id"));
  std::vector<v1::Unit> units;
  if (r.units_size() > 0) {
    SMPTRACE_ASSIGN_OR_RETURN(
        units, NamedUnits(ctx, r.units(), r.barcodes(), from.location_id(),
                          from.name(), "transferred"));
  } else {
    SMPTRACE_ASSIGN_OR_RETURN(KnownLot lot, MustLot(ctx, r.gtin(), r.lot()));
    SMPTRACE_ASSIGN_OR_RETURN(
        units, UnitsFromStock(ctx, lot, from, r.quantity(), "transfer"));
  }
  Decision d;
  v1::UnitsTransferred* event = d.event.mutable_units_transferred();
  AddRefs(units, event->mutable_units());
  event->set_from_location_id(from.location_id());
  event->set_to_location_id(to.location_id());
  event->set_note(r.note());
  d.read_back = [refs = event->units()](const storage::Reader& written,
                                        v1::CommandResult& result) {
    return ReadBackUnits(written, refs,
                         result.mutable_transfer()->mutable_units());
  };
  return d;
}

}  // namespace smptrace::ledger
