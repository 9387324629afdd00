// How session events change state and indexes: a session started, scans
// (accepted, refused, a damaged package), a pigment bottle opened, voids,
// close (with its seal) and abort, a screening override approval. Called
// only by ApplyEvent (service/ledger/projection.h).
#ifndef SMPTRACE_SERVICE_LEDGER_SESSIONS_APPLY_H_
#define SMPTRACE_SERVICE_LEDGER_SESSIONS_APPLY_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "service/ledger/stock/apply.h"
#include "smptrace/v1/journal.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::ledger {

// `seq` is the event's own journal seq (the session's started_seq).
absl::Status ApplySessionStarted(const v1::SessionStarted& e, uint64_t seq,
                                 storage::WriteTxn& txn);
absl::Status ApplyConsumableScanned(const v1::ConsumableScanned& e,
                                    const v1::Event& event, const At& at,
                                    storage::WriteTxn& txn);
absl::Status ApplyScanRefused(const v1::ScanRefused& e, storage::WriteTxn& txn);
absl::Status ApplyPackageDamaged(const v1::PackageDamaged& e, const At& at,
                                 storage::WriteTxn& txn);
absl::Status ApplyBottleOpened(const v1::BottleOpened& e,
                               const v1::Event& event, const At& at,
                               storage::WriteTxn& txn);
absl::Status ApplyScanVoided(const v1::ScanVoided& e, const At& at,
                             storage::WriteTxn& txn);
// `entry` is the event's own journal entry: the session's seal.
absl::Status ApplySessionClosed(const v1::SessionClosed& e,
                                const storage::JournalHead& entry,
                                absl::Time time, storage::WriteTxn& txn);
absl::Status ApplySessionAborted(const v1::SessionAborted& e, absl::Time time,
                                 storage::WriteTxn& txn);
absl::Status ApplyScreeningOverrideApproved(
    const v1::ScreeningOverrideApproved& e, storage::WriteTxn& txn);

// Marks the session's use of `unit` (just disposed into its container_id at
// `time`) disposed; for the disposal aggregate's ApplyUnitDisposed.
absl::Status RecordUseDisposed(const std::string& session_id,
                               const v1::Unit& unit,
                               const google::protobuf::Timestamp& time,
                               storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SESSIONS_APPLY_H_
