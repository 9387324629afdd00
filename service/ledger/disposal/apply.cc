#include "service/ledger/disposal/apply.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/apply.h"
#include "service/ledger/stock/apply.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using keys::StateTag;
using storage::Cf;

// The container's read-modify-write (records.h, UpdateNumbered).
template <typename Change>
absl::Status UpdateContainer(const std::string& id, storage::WriteTxn& txn,
                             Change change) {
  return UpdateNumbered<v1::Container>(kContainerRecord, id, txn, change);
}

}  // namespace

absl::Status ApplyContainerOpened(const v1::ContainerOpened& e,
                                  storage::WriteTxn& txn) {
  return PutNumbered(kContainerRecord, e.container().container_id(),
                     e.container(), txn);
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
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t location,
      domain::ParseId(IdKind::kLocation, unit.location_id(), "location_id"));
  txn.Delete(Cf::kIndex, keys::AwaitingDisposalKey(unit.gtin(), unit.lot(),
                                                   location, unit.serial()));
  const auto time = ToProto(FromProto(event.time()));
  unit.set_state(v1::UNIT_STATE_DISPOSED);
  unit.set_container_id(e.container_id());
  *unit.mutable_disposed_at() = time;
  unit.set_disposed_by(event.actor());
  *unit.mutable_state_changed_at() = time;
  PutUnit(unit, txn);
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t container,
      domain::ParseId(IdKind::kContainer, e.container_id(), "container_id"));
  txn.Put(Cf::kIndex, keys::UnitInContainerKey(container, entry.seq),
          unit.gtin() + unit.serial());
  SMPTRACE_RETURN_IF_ERROR(UpdateContainer(
      e.container_id(), txn,
      [](v1::Container& c) { c.set_unit_count(c.unit_count() + 1); }));
  if (e.session_id().empty()) return absl::OkStatus();
  return RecordUseDisposed(e.session_id(), unit, time, txn);
}

absl::Status ApplyContainerSealed(const v1::ContainerSealed& e, absl::Time time,
                                  storage::WriteTxn& txn) {
  return UpdateContainer(e.container_id(), txn, [&](v1::Container& c) {
    c.set_status(v1::CONTAINER_STATUS_SEALED);
    *c.mutable_sealed_at() = ToProto(time);
  });
}

absl::Status ApplyContainerPickedUp(const v1::ContainerPickedUp& e,
                                    absl::Time time, storage::WriteTxn& txn) {
  return UpdateContainer(e.container_id(), txn, [&](v1::Container& c) {
    c.set_status(v1::CONTAINER_STATUS_PICKED_UP);
    *c.mutable_picked_up_at() = ToProto(time);
    c.set_manifest_number(e.manifest_number());
    c.set_hauler(e.hauler());
  });
}

}  // namespace smptrace::ledger
