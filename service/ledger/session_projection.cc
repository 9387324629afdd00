#include "service/ledger/session_projection.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/inventory_projection.h"
#include "service/ledger/inventory_state.h"
#include "service/ledger/records.h"
#include "service/ledger/session_state.h"
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

absl::StatusOr<v1::Session> MustSession(const storage::Reader& reader,
                                        const std::string& id) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, Number(IdKind::kSession, id));
  SMPTRACE_ASSIGN_OR_RETURN(auto session, ReadSession(reader, n));
  if (!session.has_value()) {
    return absl::DataLossError(
        absl::StrCat("session ", id, " is not recorded"));
  }
  return *std::move(session);
}

absl::Status PutSession(const v1::Session& session, storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                            Number(IdKind::kSession, session.session_id()));
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kSession, n),
          Serialize(session));
  return absl::OkStatus();
}

// Reads the session, changes it, writes it back.
template <typename Change>
absl::Status UpdateSession(const std::string& id, storage::WriteTxn& txn,
                           Change change) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Session session, MustSession(txn, id));
  change(session);
  return PutSession(session, txn);
}

absl::StatusOr<v1::Container> MustContainer(const storage::Reader& reader,
                                            const std::string& id) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, Number(IdKind::kContainer, id));
  SMPTRACE_ASSIGN_OR_RETURN(auto container, ReadContainer(reader, n));
  if (!container.has_value()) {
    return absl::DataLossError(
        absl::StrCat("sharps container ", id, " is not recorded"));
  }
  return *std::move(container);
}

absl::Status PutContainer(const v1::Container& c, storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                            Number(IdKind::kContainer, c.container_id()));
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kContainer, n), Serialize(c));
  return absl::OkStatus();
}

template <typename Change>
absl::Status UpdateContainer(const std::string& id, storage::WriteTxn& txn,
                             Change change) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Container c, MustContainer(txn, id));
  change(c);
  return PutContainer(c, txn);
}

// Stores a client as registered or updated: the record without its
// contact, and the contact apart. Returns the client's number.
absl::StatusOr<uint64_t> PutClient(const v1::Client& client,
                                   storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                            Number(IdKind::kClient, client.client_id()));
  v1::Client record = client;
  record.clear_contact();
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kClient, n),
          Serialize(record));
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kClientContact, n),
          Serialize(client.contact()));
  return n;
}

absl::Status ApplyClientRegistered(const v1::ClientRegistered& e,
                                   storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, PutClient(e.client(), txn));
  std::string value;
  keys::AppendUint64(&value, n);
  txn.Put(Cf::kIndex, keys::ClientByCodeKey(e.client().code()), value);
  return absl::OkStatus();
}

absl::Status PutApproval(const v1::ScreeningOverrideApproval& a,
                         storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                            Number(IdKind::kOverrideApproval, a.approval_id()));
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kOverrideApproval, n),
          Serialize(a));
  return absl::OkStatus();
}

// A session that proceeds on a manager's approval uses it up.
absl::Status UseApproval(const v1::Session& s, storage::WriteTxn& txn) {
  const std::string& id = s.screening().override().approval_id();
  if (id.empty()) return absl::OkStatus();
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, Number(IdKind::kOverrideApproval, id));
  SMPTRACE_ASSIGN_OR_RETURN(auto approval, ReadOverrideApproval(txn, n));
  if (!approval.has_value()) {
    return absl::DataLossError(
        absl::StrCat("screening override approval ", id, " is not recorded"));
  }
  approval->set_session_id(s.session_id());
  return PutApproval(*approval, txn);
}

absl::Status ApplyClientContactUpdated(const v1::ClientContactUpdated& e,
                                       storage::WriteTxn& txn) {
  return PutClient(e.client(), txn).status();
}

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
  return PutSession(s, txn);
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

absl::Status ApplyConsumableScanned(const v1::ConsumableScanned& e,
                                    const v1::Event& event, const At& at,
                                    storage::WriteTxn& txn) {
  const v1::ConsumableUse& use = e.use();
  if (!use.pigment_draw() || e.opened_bottle()) {
    SMPTRACE_ASSIGN_OR_RETURN(v1::Session session,
                              MustSession(txn, e.session_id()));
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
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t session,
                            Number(IdKind::kSession, e.session_id()));
  txn.Put(Cf::kIndex, keys::SessionByUnitKey(use.gtin(), use.serial(), session),
          "");
  return UpdateSession(e.session_id(), txn,
                       [&](v1::Session& s) { *s.add_consumables() = use; });
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

absl::Status ApplyUnitDisposed(const v1::UnitDisposed& e,
                               const v1::Event& event,
                               const storage::JournalHead& entry,
                               storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(auto read,
                            ReadUnit(txn, e.unit().gtin(), e.unit().serial()));
  if (!read.has_value() || read->state() != v1::UNIT_STATE_OPENED) {
    return absl::DataLossError(absl::StrCat("unit ", e.unit().gtin(),
                                            " serial ", e.unit().serial(),
                                            " is not an opened unit"));
  }
  v1::Unit unit = *std::move(read);
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                            Number(IdKind::kLocation, unit.location_id()));
  txn.Delete(Cf::kIndex, keys::AwaitingDisposalKey(unit.gtin(), unit.lot(),
                                                   location, unit.serial()));
  const auto time = ToProto(FromProto(event.time()));
  unit.set_state(v1::UNIT_STATE_DISPOSED);
  unit.set_container_id(e.container_id());
  *unit.mutable_disposed_at() = time;
  unit.set_disposed_by(event.actor());
  *unit.mutable_state_changed_at() = time;
  txn.Put(Cf::kState, keys::UnitKey(unit.gtin(), unit.serial()),
          Serialize(unit));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t container,
                            Number(IdKind::kContainer, e.container_id()));
  txn.Put(Cf::kIndex, keys::UnitInContainerKey(container, entry.seq),
          unit.gtin() + unit.serial());
  SMPTRACE_RETURN_IF_ERROR(UpdateContainer(
      e.container_id(), txn,
      [](v1::Container& c) { c.set_unit_count(c.unit_count() + 1); }));
  if (e.session_id().empty()) return absl::OkStatus();
  return UpdateSession(e.session_id(), txn, [&](v1::Session& s) {
    for (v1::ConsumableUse& use : *s.mutable_consumables()) {
      if (use.gtin() == unit.gtin() && use.serial() == unit.serial() &&
          !use.pigment_draw() && !ReturnedToStock(use)) {
        use.set_container_id(e.container_id());
        *use.mutable_disposed_at() = time;
      }
    }
  });
}

// A void takes the use out of the usage rates unless its package was
// opened (the unit is spent all the same), and puts a single-use unit whose
// package was not opened back in stock.
absl::Status ApplyScanVoided(const v1::ScanVoided& e, const At& at,
                             storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Session session,
                            MustSession(txn, e.session_id()));
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
  return PutSession(session, txn);
}

}  // namespace

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

bool ReturnedToStock(const v1::ConsumableUse& use) {
  return use.voided() && use.void_package() == v1::VOIDED_PACKAGE_NOT_OPENED;
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

bool IsSessionEvent(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kClientRegistered:
    case v1::Event::kClientContactUpdated:
    case v1::Event::kSessionStarted:
    case v1::Event::kConsumableScanned:
    case v1::Event::kScanRefused:
    case v1::Event::kPackageDamaged:
    case v1::Event::kBottleOpened:
    case v1::Event::kScanVoided:
    case v1::Event::kSessionClosed:
    case v1::Event::kSessionAborted:
    case v1::Event::kContainerOpened:
    case v1::Event::kUnitDisposed:
    case v1::Event::kContainerSealed:
    case v1::Event::kContainerPickedUp:
    case v1::Event::kClientRecordRead:
    case v1::Event::kScreeningOverrideApproved:
      return true;
    default:
      return false;
  }
}

absl::Status ApplySessionEvent(const v1::Event& event,
                               const storage::JournalHead& entry,
                               storage::WriteTxn& txn) {
  const absl::Time time = FromProto(event.time());
  const At at{time, entry.seq};
  switch (event.payload_case()) {
    case v1::Event::kClientRegistered:
      return ApplyClientRegistered(event.client_registered(), txn);
    case v1::Event::kClientContactUpdated:
      return ApplyClientContactUpdated(event.client_contact_updated(), txn);
    case v1::Event::kSessionStarted:
      return ApplySessionStarted(event.session_started(), entry.seq, txn);
    case v1::Event::kConsumableScanned:
      return ApplyConsumableScanned(event.consumable_scanned(), event, at, txn);
    case v1::Event::kScanRefused: {
      const auto& e = event.scan_refused();
      return UpdateSession(e.session_id(), txn, [&](v1::Session& s) {
        AddRefusedScan(e.refused(), e.reuse_attempt(), s);
      });
    }
    case v1::Event::kPackageDamaged:
      return ApplyPackageDamaged(event.package_damaged(), at, txn);
    case v1::Event::kBottleOpened: {
      const auto& e = event.bottle_opened();
      SMPTRACE_ASSIGN_OR_RETURN(
          auto unit, ReadUnit(txn, e.unit().gtin(), e.unit().serial()));
      if (!unit.has_value()) return absl::DataLossError("bottle not recorded");
      SMPTRACE_ASSIGN_OR_RETURN(
          std::string key,
          UsageKey(unit->gtin(), event.time(), at.seq, unit->location_id()));
      txn.Put(Cf::kIndex, key, "");
      return OpenUnit(e.unit(), "", e.usable_until(), event.actor(), at, txn);
    }
    case v1::Event::kScanVoided:
      return ApplyScanVoided(event.scan_voided(), at, txn);
    case v1::Event::kSessionClosed: {
      const auto& e = event.session_closed();
      return UpdateSession(e.session_id(), txn, [&](v1::Session& s) {
        CloseSession(e, time, entry.seq, s);
        s.mutable_seal()->set_hash(storage::ToHex(entry.hash));
      });
    }
    case v1::Event::kSessionAborted: {
      const auto& e = event.session_aborted();
      return UpdateSession(e.session_id(), txn, [&](v1::Session& s) {
        s.set_status(v1::SESSION_STATUS_ABORTED);
        *s.mutable_ended_at() = ToProto(time);
        s.set_end_reason(e.reason());
      });
    }
    case v1::Event::kClientRecordRead: {
      const auto& e = event.client_record_read();
      SMPTRACE_ASSIGN_OR_RETURN(uint64_t client,
                                Number(IdKind::kClient, e.client_id()));
      txn.Put(Cf::kIndex, keys::ClientReadKey(client, entry.seq), "");
      for (const std::string& also : e.also_client_ids()) {
        SMPTRACE_ASSIGN_OR_RETURN(client, Number(IdKind::kClient, also));
        txn.Put(Cf::kIndex, keys::ClientReadKey(client, entry.seq), "");
      }
      return absl::OkStatus();
    }
    case v1::Event::kScreeningOverrideApproved:
      return PutApproval(event.screening_override_approved().approval(), txn);
    case v1::Event::kContainerOpened:
      return PutContainer(event.container_opened().container(), txn);
    case v1::Event::kUnitDisposed:
      return ApplyUnitDisposed(event.unit_disposed(), event, entry, txn);
    case v1::Event::kContainerSealed:
      return UpdateContainer(event.container_sealed().container_id(), txn,
                             [&](v1::Container& c) {
                               c.set_status(v1::CONTAINER_STATUS_SEALED);
                               *c.mutable_sealed_at() = ToProto(time);
                             });
    case v1::Event::kContainerPickedUp: {
      const auto& e = event.container_picked_up();
      return UpdateContainer(e.container_id(), txn, [&](v1::Container& c) {
        c.set_status(v1::CONTAINER_STATUS_PICKED_UP);
        *c.mutable_picked_up_at() = ToProto(time);
        c.set_manifest_number(e.manifest_number());
        c.set_hauler(e.hauler());
      });
    }
    default:
      return absl::InternalError("not a session event");
  }
}

}  // namespace smptrace::ledger
