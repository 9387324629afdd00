// How sharps container events change state and indexes: a container
// opened, a unit disposed into it (the unit, the container's count and the
// session's use), sealed, picked up. Called only by ApplyEvent
// (service/ledger/projection.h).
#ifndef SMPTRACE_SERVICE_LEDGER_DISPOSAL_APPLY_H_
#define SMPTRACE_SERVICE_LEDGER_DISPOSAL_APPLY_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::Status ApplyContainerOpened(const v1::ContainerOpened& e,
                                  storage::WriteTxn& txn);
// `entry` is the event's own journal entry (the container's unit index).
absl::Status ApplyUnitDisposed(const v1::UnitDisposed& e,
                               const v1::Event& event,
                               const storage::JournalHead& entry,
                               storage::WriteTxn& txn);
absl::Status ApplyContainerSealed(const v1::ContainerSealed& e, absl::Time time,
                                  storage::WriteTxn& txn);
absl::Status ApplyContainerPickedUp(const v1::ContainerPickedUp& e,
                                    absl::Time time, storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_DISPOSAL_APPLY_H_
