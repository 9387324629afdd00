// How client, session and container events change state and indexes
// (called only by ApplyEvent), and the pure changes to a session record that
// decisions also use to answer with the session as it will be.
#ifndef SMPTRACE_SERVICE_LEDGER_SESSION_PROJECTION_H_
#define SMPTRACE_SERVICE_LEDGER_SESSION_PROJECTION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "smptrace/v1/journal.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::ledger {

// ---- pure changes to a session record --------------------------------------

void AddRefusedScan(const v1::RefusedScan& refused, bool reuse_attempt,
                    v1::Session& session);
// Lists the damaged package's refused scan and, when the event carries one,
// its exception.
void AddPackageDamaged(const v1::PackageDamaged& e, v1::Session& session);
// Marks the use `e` names voided by the event at `void_seq`.
void VoidUse(const v1::ScanVoided& e, uint64_t void_seq, v1::Session& session);
// True for a use that no longer holds its unit: voided with the package not
// opened (the unit went back to stock). A use voided as opened still does.
bool ReturnedToStock(const v1::ConsumableUse& use);
// Closes (seal left to the caller, who knows the entry's hash).
void CloseSession(const v1::SessionClosed& e, absl::Time time, uint64_t seq,
                  v1::Session& session);

// ---- events
// ------------------------------------------------------------------

// `entry` is the event's own journal entry.
absl::Status ApplySessionEvent(const v1::Event& event,
                               const storage::JournalHead& entry,
                               storage::WriteTxn& txn);

// True for the events ApplySessionEvent handles.
bool IsSessionEvent(const v1::Event& event);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SESSION_PROJECTION_H_
