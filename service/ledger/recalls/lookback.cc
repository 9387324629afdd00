#include "service/ledger/recalls/lookback.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

// Accumulates a trace over one or more lots of one product.
class Tracer {
 public:
  Tracer(const storage::Reader& reader, int64_t max_units)
      : reader_(reader), max_units_(max_units) {}

  absl::Status AddLot(const v1::Lot& lot) {
    v1::TracedLot* traced = response_.add_lots();
    *traced->mutable_lot() = lot;
    traced->set_supplier_id(lot.supplier_id());
    if (!lot.supplier_id().empty()) {
      auto n =
          domain::ParseId(IdKind::kSupplier, lot.supplier_id(), "supplier");
      if (n.ok()) {
        SMPTRACE_ASSIGN_OR_RETURN(auto supplier, ReadSupplier(reader_, *n));
        if (supplier.has_value()) traced->set_supplier_name(supplier->name());
      }
    }
    // Receipts: units grouped by when, where and against what they came;
    // adjustments (units a stock take found) by when, where and why.
    Arrivals receipts;
    Arrivals adjustments;
    const std::string prefix = keys::UnitByLotPrefix(lot.gtin(), lot.lot());
    SMPTRACE_RETURN_IF_ERROR(reader_.Scan(
        Cf::kIndex, prefix, keys::PrefixEnd(prefix),
        [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
          SMPTRACE_RETURN_IF_ERROR(
              AddUnit(lot, key, *traced, receipts, adjustments));
          return true;
        }));
    for (const auto& [when, n] : receipts) {
      v1::TracedReceipt* r = traced->add_receipts();
      *r->mutable_received_at() =
          ToProto(absl::FromUnixMicros(std::get<0>(when)));
      r->set_location_id(std::get<1>(when));
      r->set_po_reference(std::get<2>(when));
      r->set_units(n);
    }
    for (const auto& [when, n] : adjustments) {
      v1::TracedAdjustment* a = traced->add_adjustments();
      *a->mutable_adjusted_at() =
          ToProto(absl::FromUnixMicros(std::get<0>(when)));
      a->set_location_id(std::get<1>(when));
      a->set_reason(std::get<2>(when));
      a->set_units(n);
    }
    return absl::OkStatus();
  }

  v1::TraceResponse Finish() {
    std::vector<v1::TracedSession> sessions;
    std::set<std::string> exposed;
    for (auto& [number, s] : sessions_) {
      if (!s.voided_only()) exposed.insert(s.client_id());
      sessions.push_back(std::move(s));
    }
    std::sort(sessions.begin(), sessions.end(),
              [](const v1::TracedSession& a, const v1::TracedSession& b) {
                return FromProto(a.started_at()) < FromProto(b.started_at());
              });
    for (auto& s : sessions) *response_.add_sessions() = std::move(s);
    for (const auto& c : exposed) response_.add_exposed_client_ids(c);
    return std::move(response_);
  }

  v1::TraceResponse& response() { return response_; }

 private:
  // Units counted by (time, location, reference or reason).
  using Arrivals =
      std::map<std::tuple<int64_t, std::string, std::string>, int64_t>;

  absl::Status AddUnit(const v1::Lot& lot, std::string_view key,
                       v1::TracedLot& traced, Arrivals& receipts,
                       Arrivals& adjustments) {
    if (response_.units_examined() >= max_units_) {
      return absl::ResourceExhaustedError(
          absl::StrCat("more than ", max_units_, " units"));
    }
    SMPTRACE_ASSIGN_OR_RETURN(std::string serial,
                              keys::DecodeUnitByLotKey(key));
    SMPTRACE_ASSIGN_OR_RETURN(auto unit, ReadUnit(reader_, lot.gtin(), serial));
    if (!unit.has_value()) {
      return absl::DataLossError(absl::StrCat(
          "indexed unit ", serial, " of lot ", lot.lot(), " has no record"));
    }
    response_.set_units_examined(response_.units_examined() + 1);
    traced.set_units(traced.units() + 1);
    switch (unit->state()) {
      case v1::UNIT_STATE_IN_STOCK:
        traced.set_in_stock(traced.in_stock() + 1);
        break;
      case v1::UNIT_STATE_OPENED:
        traced.set_opened(traced.opened() + 1);
        break;
      case v1::UNIT_STATE_DISPOSED:
        traced.set_disposed(traced.disposed() + 1);
        break;
      case v1::UNIT_STATE_DISCARDED:
        traced.set_discarded(traced.discarded() + 1);
        break;
      case v1::UNIT_STATE_UNSPECIFIED:
      case v1::UnitState_INT_MIN_SENTINEL_DO_NOT_USE_:
      case v1::UnitState_INT_MAX_SENTINEL_DO_NOT_USE_:
        break;
    }
    const int64_t arrived = absl::ToUnixMicros(FromProto(unit->received_at()));
    if (unit->adjusted_in()) {
      adjustments[{arrived, unit->received_location_id(),
                   unit->adjustment_reason()}] += 1;
    } else {
      receipts[{arrived, unit->received_location_id(), unit->po_reference()}] +=
          1;
    }
    // The sessions that used it.
    const std::string prefix = keys::SessionByUnitPrefix(lot.gtin(), serial);
    return reader_.Scan(
        Cf::kIndex, prefix, keys::PrefixEnd(prefix),
        [&](std::string_view session_key,
            std::string_view) -> absl::StatusOr<bool> {
          SMPTRACE_RETURN_IF_ERROR(AddSession(lot, *unit, session_key));
          return true;
        });
  }

  absl::Status AddSession(const v1::Lot& lot, const v1::Unit& unit,
                          std::string_view key) {
    SMPTRACE_ASSIGN_OR_RETURN(uint64_t number,
                              keys::DecodeSessionByUnitKey(key));
    auto it = sessions_.find(number);
    if (it == sessions_.end()) {
      SMPTRACE_ASSIGN_OR_RETURN(auto session, ReadSession(reader_, number));
      if (!session.has_value()) {
        return absl::DataLossError("indexed session has no record");
      }
      v1::TracedSession t;
      t.set_session_id(session->session_id());
      t.set_client_id(session->client_id());
      t.set_client_code(session->client_code());
      t.set_location_id(session->location_id());
      *t.mutable_started_at() = session->started_at();
      t.set_status(session->status());
      t.set_voided_only(true);
      it = sessions_.emplace(number, std::move(t)).first;
      records_.emplace(number, *std::move(session));
    }
    const v1::Session& session = records_.at(number);
    for (const auto& use : session.consumables()) {
      if (use.gtin() != unit.gtin() || use.serial() != unit.serial()) continue;
      it->second.add_units(absl::StrCat(unit.gtin(), " ", lot.lot(), " ",
                                        unit.serial(),
                                        use.voided() ? " (voided)" : ""));
      if (!use.voided()) it->second.set_voided_only(false);
    }
    return absl::OkStatus();
  }

  const storage::Reader& reader_;
  const int64_t max_units_;
  v1::TraceResponse response_;
  std::map<uint64_t, v1::TracedSession> sessions_;
  std::map<uint64_t, v1::Session> records_;
};

absl::Status WithProduct(const storage::Reader& reader, std::string_view gtin,
                         v1::TraceResponse& response) {
  SMPTRACE_ASSIGN_OR_RETURN(auto product, ReadProduct(reader, gtin));
  if (!product.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("gtin: no product has GTIN ", ToAbsl(gtin)));
  }
  *response.mutable_product() = *std::move(product);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::TraceResponse> TraceLot(const storage::Reader& reader,
                                           std::string_view gtin14,
                                           std::string_view lot,
                                           int64_t max_units) {
  SMPTRACE_ASSIGN_OR_RETURN(auto record, ReadLot(reader, gtin14, lot));
  if (!record.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "lot ", ToAbsl(lot), " of ", ToAbsl(gtin14),
        " does not exist (lot numbers are matched exactly as printed)"));
  }
  Tracer tracer(reader, max_units);
  SMPTRACE_RETURN_IF_ERROR(WithProduct(reader, gtin14, tracer.response()));
  SMPTRACE_RETURN_IF_ERROR(tracer.AddLot(*record));
  return tracer.Finish();
}

absl::StatusOr<v1::TraceResponse> TraceProduct(const storage::Reader& reader,
                                               std::string_view gtin14,
                                               int64_t max_units) {
  Tracer tracer(reader, max_units);
  SMPTRACE_RETURN_IF_ERROR(WithProduct(reader, gtin14, tracer.response()));
  const std::string prefix = keys::LotPrefix(gtin14);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kState, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view, std::string_view value) -> absl::StatusOr<bool> {
        v1::Lot lot;
        SMPTRACE_RETURN_IF_ERROR(ParseRecord(value, "lot", &lot));
        SMPTRACE_RETURN_IF_ERROR(tracer.AddLot(lot));
        return true;
      }));
  return tracer.Finish();
}

}  // namespace smptrace::ledger
