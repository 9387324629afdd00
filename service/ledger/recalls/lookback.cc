#include "service/ledger/recalls/lookback.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
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
    last_arrival_ = nullptr;  // it pointed into the previous lot's maps
    last_arrivals_ = nullptr;
    unit_ = absl::StrCat(lot.gtin(), " ", lot.lot(), " ");
    unit_prefix_size_ = unit_.size();
    // One range read: each unit's row, then the rows of the sessions that
    // used it (trace_rows.h).
    const std::string prefix = keys::LotTracePrefix(lot.gtin(), lot.lot());
    std::string scratch;  // a serial with a 0x00 byte, unescaped
    SMPTRACE_RETURN_IF_ERROR(
        reader_.Scan(Cf::kIndex, prefix, keys::PrefixEnd(prefix),
                     [&](std::string_view key,
                         std::string_view value) -> absl::StatusOr<bool> {
                       SMPTRACE_ASSIGN_OR_RETURN(
                           keys::LotTraceEntry entry,
                           keys::DecodeLotTraceKey(prefix, key, &scratch));
                       if (entry.session == 0) {
                         SMPTRACE_RETURN_IF_ERROR(
                             AddUnit(value, *traced, receipts, adjustments));
                       } else {
                         SMPTRACE_RETURN_IF_ERROR(
                             AddSession(entry.serial, entry.session, value));
                       }
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
    // By start; sessions that started in the same microsecond in the order
    // std::sort leaves them in from session-number order, as they always
    // were (the answer's bytes do not depend on the order rows were read).
    std::vector<std::pair<int64_t, v1::TracedSession*>> by_start;
    by_start.reserve(sessions_.size());
    {
      std::vector<std::pair<uint64_t, v1::TracedSession*>> by_number(
          sessions_.begin(), sessions_.end());
      std::sort(by_number.begin(), by_number.end());
      for (const auto& [number, s] : by_number) {
        by_start.emplace_back(Micros(s->started_at()), s);
      }
    }
    std::sort(by_start.begin(), by_start.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    auto* sessions = response_.mutable_sessions();
    auto slot = sessions->pointer_begin();
    for (const auto& [micros, s] : by_start) *slot++ = s;
    std::vector<const std::string*> exposed;
    for (const v1::TracedSession& s : *sessions) {
      // Sessions of one client often come together: skip the repeats early.
      if (!s.voided_only() &&
          (exposed.empty() || *exposed.back() != s.client_id())) {
        exposed.push_back(&s.client_id());
      }
    }
    auto less = [](const std::string* a, const std::string* b) {
      return *a < *b;
    };
    auto same = [](const std::string* a, const std::string* b) {
      return *a == *b;
    };
    std::sort(exposed.begin(), exposed.end(), less);
    exposed.erase(std::unique(exposed.begin(), exposed.end(), same),
                  exposed.end());
    for (const std::string* c : exposed) response_.add_exposed_client_ids(*c);
    return std::move(response_);
  }

  v1::TraceResponse& response() { return response_; }

 private:
  // Units counted by (time, location, reference or reason).
  using Arrivals =
      std::map<std::tuple<int64_t, std::string, std::string>, int64_t>;

  absl::Status AddUnit(std::string_view row, v1::TracedLot& traced,
                       Arrivals& receipts, Arrivals& adjustments) {
    if (response_.units_examined() >= max_units_) {
      return absl::ResourceExhaustedError(
          absl::StrCat("more than ", max_units_, " units"));
    }
    SMPTRACE_ASSIGN_OR_RETURN(TraceUnitRow unit, DecodeTraceUnitRow(row));
    response_.set_units_examined(response_.units_examined() + 1);
    traced.set_units(traced.units() + 1);
    switch (unit.state) {
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
    // Units of one receipt come one after another: count them without a
    // map lookup (and its strings) until the arrival changes.
    Arrivals& arrivals = unit.adjusted_in ? adjustments : receipts;
    if (last_arrival_ != nullptr && last_arrivals_ == &arrivals &&
        std::get<0>(last_arrival_->first) == unit.received_micros &&
        std::get<1>(last_arrival_->first) == unit.received_location_id &&
        std::get<2>(last_arrival_->first) == unit.reference) {
      last_arrival_->second += 1;
      return absl::OkStatus();
    }
    auto [it, added] = arrivals.try_emplace(
        {unit.received_micros, std::string(unit.received_location_id),
         std::string(unit.reference)},
        0);
    it->second += 1;
    last_arrival_ = &*it;
    last_arrivals_ = &arrivals;
    return absl::OkStatus();
  }

  // A session's use(s) of unit `serial` of the lot being added.
  absl::Status AddSession(std::string_view serial, uint64_t number,
                          std::string_view row) {
    SMPTRACE_ASSIGN_OR_RETURN(TraceUseRow use, DecodeTraceUseRow(row));
    if (session_ == nullptr || session_number_ != number) {
      v1::TracedSession*& s = sessions_[number];
      if (s == nullptr) s = NewSession(number, use);
      session_ = s;
      session_number_ = number;
    }
    // "gtin lot serial", once per unit rather than once per use.
    if (std::string_view(unit_).substr(unit_prefix_size_) != serial) {
      unit_.resize(unit_prefix_size_);
      unit_.append(serial);
    }
    constexpr std::string_view kVoided = " (voided)";
    for (char voided : use.voided) {
      std::string* unit = session_->add_units();
      if (voided) {
        unit->reserve(unit_.size() + kVoided.size());
        unit->append(unit_).append(kVoided);
      } else {
        *unit = unit_;
        session_->set_voided_only(false);
      }
    }
    return absl::OkStatus();
  }

  v1::TracedSession* NewSession(uint64_t number, const TraceUseRow& use) {
    v1::TracedSession* t = response_.add_sessions();
    t->set_session_id(domain::FormatId(IdKind::kSession, number));
    if (use.client != client_ || client_id_.empty()) {
      client_ = use.client;
      client_id_ = domain::FormatId(IdKind::kClient, use.client);
    }
    t->set_client_id(client_id_);
    t->set_client_code(use.client_code.data(), use.client_code.size());
    t->set_location_id(use.location_id.data(), use.location_id.size());
    t->mutable_started_at()->set_seconds(use.started_seconds);
    t->mutable_started_at()->set_nanos(use.started_nanos);
    t->set_status(use.status);
    t->set_voided_only(true);
    return t;
  }

  // What FromProto compares: whole microseconds.
  static int64_t Micros(const google::protobuf::Timestamp& t) {
    return absl::ToUnixMicros(FromProto(t));
  }

  const storage::Reader& reader_;
  const int64_t max_units_;
  v1::TraceResponse response_;
  // Each session traced, by number; the sessions are response_'s.
  absl::flat_hash_map<uint64_t, v1::TracedSession*> sessions_;
  // The session of the last use row (a session's units come together).
  v1::TracedSession* session_ = nullptr;
  uint64_t session_number_ = 0;
  // The last client's id, formatted (most sessions share a few clients).
  uint64_t client_ = 0;
  std::string client_id_;
  // "gtin lot " of the lot being added, then the serial of the last unit.
  std::string unit_;
  size_t unit_prefix_size_ = 0;
  // The arrival the last unit was counted in, and in which map.
  Arrivals::value_type* last_arrival_ = nullptr;
  const Arrivals* last_arrivals_ = nullptr;
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
