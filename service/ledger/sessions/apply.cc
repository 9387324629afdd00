#include "service/ledger/sessions/apply.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/recalls/trace_rows.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/apply.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using keys::StateTag;
using storage::Cf;

absl::StatusOr<uint64_t> Number(IdKind kind, const std::string& id) {
  return domain::ParseId(kind, id, "id");
}

// Whether a change of a session changes what its lookback rows say
// (recalls/trace_rows.h): its status does.
constexpr bool kStatusChanged = true;

// The session's read-modify-write (as records.h's UpdateNumbered); with
// `status_changed`, also every lookback row of the session.
template <typename Change>
absl::Status UpdateSession(const std::string& id, storage::WriteTxn& txn,
                           Change change, bool status_changed = false) {
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::Session s, MustReadNumbered<v1::Session>(txn, kSessionRecord, id));
  change(s);
  if (status_changed) SMPTRACE_RETURN_IF_ERROR(PutTraceUses(s, txn));
  return PutNumbered(kSessionRecord, id, s, txn);
}

void AddRefusedScan(const v1::RefusedScan& refused, bool reuse_attempt,
                    v1::Session& session) {
  *session.add_refused_scans() = refused;
  if (reuse_attempt) {
    v1::SessionException* e = session.add_exceptions();
    e->set_kind("reuse_attempt");
    e->set_detail(refused.message());
    e->set_seq(refused.seq());
  }
}

void AddPackageDamaged(const v1::PackageDamaged& e, v1::Session& session) {
  AddRefusedScan(e.record(), false, session);
  if (e.has_exception()) *session.add_exceptions() = e.exception();
}

void VoidUse(const v1::ScanVoided& e, uint64_t void_seq, v1::Session& session) {
  for (v1::ConsumableUse& use : *session.mutable_consumables()) {
    if (use.seq() != e.scan_seq()) continue;
    use.set_voided(true);
    use.set_void_reason(e.reason());
    use.set_void_seq(void_seq);
    use.set_void_package(e.package());
    std::string package;
    switch (e.package()) {
      case v1::VOIDED_PACKAGE_NOT_OPENED:
        package = ", package not opened (back in stock)";
        break;
      case v1::VOIDED_PACKAGE_OPENED:
        package = use.pigment_draw() ? ", bottle stays open"
                                     : ", package opened (to be disposed of)";
        break;
      case v1::VOIDED_PACKAGE_UNSPECIFIED:
      case v1::VoidedPackage_INT_MIN_SENTINEL_DO_NOT_USE_:
      case v1::VoidedPackage_INT_MAX_SENTINEL_DO_NOT_USE_:
        break;
    }
    v1::SessionException* x = session.add_exceptions();
    x->set_kind("scan_voided");
    x->set_detail(absl::StrCat("scan ", e.scan_seq(), " (", use.product_name(),
                               " lot ", use.lot(), " serial ", use.serial(),
                               ") voided", package, ": ", e.reason()));
    x->set_seq(void_seq);
  }
}

void CloseSession(const v1::SessionClosed& e, absl::Time time, uint64_t seq,
                  v1::Session& session) {
  session.set_status(v1::SESSION_STATUS_CLOSED);
  *session.mutable_ended_at() = ToProto(time);
  if (e.undisposed_size() > 0) {
    session.set_end_reason(e.undisposed_reason());
    std::string units;
    for (const v1::UnitRef& ref : e.undisposed()) {
      absl::StrAppend(&units, units.empty() ? "" : ", ", ref.gtin(), " serial ",
                      ref.serial());
    }
    v1::SessionException* x = session.add_exceptions();
    x->set_kind("closed_with_undisposed_units");
    x->set_detail(absl::StrCat(e.undisposed_size(),
                               " single-use unit(s) not disposed (", units,
                               "): ", e.undisposed_reason()));
    x->set_seq(seq);
  }
  session.mutable_seal()->set_seq(seq);
  *session.mutable_seal()->mutable_at() = ToProto(time);
}

// A session that proceeds on a manager's approval uses it up.
absl::Status UseApproval(const v1::Session& s, storage::WriteTxn& txn) {
  const std::string& id = s.screening().override().approval_id();
  if (id.empty()) return absl::OkStatus();
  return UpdateNumbered<v1::ScreeningOverrideApproval>(
      kOverrideApprovalRecord, id, txn, [&](v1::ScreeningOverrideApproval& a) {
        a.set_session_id(s.session_id());
      });
}

v1::UnitRef Ref(const std::string& gtin, const std::string& serial) {
  v1::UnitRef ref;
  ref.set_gtin(gtin);
  ref.set_serial(serial);
  return ref;
}

// The usage index: one entry per unit opened (what reorder rates count).
absl::StatusOr<std::string> UsageKey(const std::string& gtin,
                                     const google::protobuf::Timestamp& when,
                                     uint64_t seq,
                                     const std::string& location_id) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                            Number(IdKind::kLocation, location_id));
  return keys::TimedKey(
      keys::IndexTag::kUsage,
      {gtin, static_cast<uint64_t>(absl::ToUnixMicros(FromProto(when))), seq,
       location});
}

}  // namespace

absl::Status ApplySessionStarted(const v1::SessionStarted& e, uint64_t seq,
                                 storage::WriteTxn& txn) {
  v1::Session s = e.session();
  s.set_started_seq(seq);
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                            Number(IdKind::kSession, s.session_id()));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t client,
                            Number(IdKind::kClient, s.client_id()));
  txn.Put(Cf::kIndex, keys::SessionByClientKey(client, n), "");
  txn.Put(
      Cf::kIndex,
      keys::SessionByTimeKey(
          static_cast<uint64_t>(absl::ToUnixMicros(FromProto(s.started_at()))),
          n),
      "");
  SMPTRACE_RETURN_IF_ERROR(UseApproval(s, txn));
  return PutNumbered(kSessionRecord, s.session_id(), s, txn);
}

absl::Status ApplyConsumableScanned(const v1::ConsumableScanned& e,
                                    const v1::Event& event, const At& at,
                                    storage::WriteTxn& txn) {
  const v1::ConsumableUse& use = e.use();
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::Session session,
      MustReadNumbered<v1::Session>(txn, kSessionRecord, e.session_id()));
  if (!use.pigment_draw() || e.opened_bottle()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        std::string key,
        UsageKey(use.gtin(), event.time(), at.seq, session.location_id()));
    txn.Put(Cf::kIndex, key, "");
  }
  if (!use.pigment_draw()) {
    SMPTRACE_RETURN_IF_ERROR(OpenUnit(Ref(use.gtin(), use.serial()),
                                      e.session_id(), v1::Date(), event.actor(),
                                      at, txn));
  } else if (e.opened_bottle()) {
    SMPTRACE_RETURN_IF_ERROR(OpenUnit(Ref(use.gtin(), use.serial()), "",
                                      use.usable_until(), event.actor(), at,
                                      txn));
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t number,
                            Number(IdKind::kSession, e.session_id()));
  txn.Put(Cf::kIndex, keys::SessionByUnitKey(use.gtin(), use.serial(), number),
          "");
  *session.add_consumables() = use;
  SMPTRACE_RETURN_IF_ERROR(
      PutTraceUses(session, txn, use.gtin(), use.serial()));
  return PutNumbered(kSessionRecord, session.session_id(), session, txn);
}

absl::Status ApplyPackageDamaged(const v1::PackageDamaged& e, const At& at,
                                 storage::WriteTxn& txn) {
  SMPTRACE_RETURN_IF_ERROR(DiscardInStockUnit(
      e.unit(), v1::DISCARD_REASON_DAMAGED,
      absl::StrCat("package damaged at scan in session ", e.session_id()), at,
      txn));
  return UpdateSession(e.session_id(), txn,
                       [&](v1::Session& s) { AddPackageDamaged(e, s); });
}

// A void takes the use out of the usage rates unless its package was
// opened (the unit is spent all the same), and puts a single-use unit whose
// package was not opened back in stock.
absl::Status ApplyScanVoided(const v1::ScanVoided& e, const At& at,
                             storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::Session session,
      MustReadNumbered<v1::Session>(txn, kSessionRecord, e.session_id()));
  for (const v1::ConsumableUse& use : session.consumables()) {
    if (use.seq() != e.scan_seq() || use.pigment_draw()) continue;
    if (e.package() != v1::VOIDED_PACKAGE_OPENED) {
      SMPTRACE_ASSIGN_OR_RETURN(
          std::string key, UsageKey(use.gtin(), use.scanned_at(), use.seq(),
                                    session.location_id()));
      txn.Delete(Cf::kIndex, key);
    }
    if (e.package() == v1::VOIDED_PACKAGE_NOT_OPENED) {
      SMPTRACE_RETURN_IF_ERROR(
          ReturnOpenedUnitToStock(Ref(use.gtin(), use.serial()), at, txn));
    }
  }
  VoidUse(e, at.seq, session);
  for (const v1::ConsumableUse& use : session.consumables()) {
    if (use.seq() != e.scan_seq()) continue;
    SMPTRACE_RETURN_IF_ERROR(
        PutTraceUses(session, txn, use.gtin(), use.serial()));
  }
  return PutNumbered(kSessionRecord, session.session_id(), session, txn);
}

absl::Status ApplyScanRefused(const v1::ScanRefused& e,
                              storage::WriteTxn& txn) {
  return UpdateSession(e.session_id(), txn, [&](v1::Session& s) {
    AddRefusedScan(e.refused(), e.reuse_attempt(), s);
  });
}

absl::Status ApplyBottleOpened(const v1::BottleOpened& e,
                               const v1::Event& event, const At& at,
                               storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                            ReadUnit(txn, e.unit().gtin(), e.unit().serial()));
  if (!unit.has_value()) return absl::DataLossError("bottle not recorded");
  SMPTRACE_ASSIGN_OR_RETURN(
      std::string key,
      UsageKey(unit->gtin(), event.time(), at.seq, unit->location_id()));
  txn.Put(Cf::kIndex, key, "");
  return OpenUnit(e.unit(), "", e.usable_until(), event.actor(), at, txn);
}

absl::Status ApplySessionClosed(const v1::SessionClosed& e,
                                const storage::JournalHead& entry,
                                absl::Time time, storage::WriteTxn& txn) {
  return UpdateSession(
      e.session_id(), txn,
      [&](v1::Session& s) {
        CloseSession(e, time, entry.seq, s);
        s.mutable_seal()->set_hash(storage::ToHex(entry.hash));
      },
      kStatusChanged);
}

absl::Status ApplySessionAborted(const v1::SessionAborted& e, absl::Time time,
                                 storage::WriteTxn& txn) {
  return UpdateSession(
      e.session_id(), txn,
      [&](v1::Session& s) {
        s.set_status(v1::SESSION_STATUS_ABORTED);
        *s.mutable_ended_at() = ToProto(time);
        s.set_end_reason(e.reason());
      },
      kStatusChanged);
}

absl::Status ApplyScreeningOverrideApproved(
    const v1::ScreeningOverrideApproved& e, storage::WriteTxn& txn) {
  return PutNumbered(kOverrideApprovalRecord, e.approval().approval_id(),
                     e.approval(), txn);
}

absl::Status RecordUseDisposed(const std::string& session_id,
                               const v1::Unit& unit,
                               const google::protobuf::Timestamp& time,
                               storage::WriteTxn& txn) {
  return UpdateSession(session_id, txn, [&](v1::Session& s) {
    for (v1::ConsumableUse& use : *s.mutable_consumables()) {
      if (use.gtin() == unit.gtin() && use.serial() == unit.serial() &&
          !use.pigment_draw() && !ReturnedToStock(use)) {
        use.set_container_id(unit.container_id());
        *use.mutable_disposed_at() = time;
      }
    }
  });
}

}  // namespace smptrace::ledger
