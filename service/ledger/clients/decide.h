// Decisions for clients: registering one under a pseudonymous code, new
// contact details, and recording who read a client's record. Refusals
// record nothing.
#ifndef SMPTRACE_SERVICE_LEDGER_CLIENTS_DECIDE_H_
#define SMPTRACE_SERVICE_LEDGER_CLIENTS_DECIDE_H_

#include "absl/status/statusor.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/ledger.pb.h"
#include "smptrace/v1/session.pb.h"

namespace smptrace::ledger {

// AlreadyExists if the code is taken. The contact is sealed with a new key
// of the client's own.
absl::StatusOr<Decision> DecideCreateClient(const DecisionContext& ctx,
                                            const v1::CreateClientRequest& r);

// A new version of the client's contact details. NotFound if the client is
// unknown; Aborted if expected_version is set and stale.
absl::StatusOr<Decision> DecideUpdateClientContact(
    const DecisionContext& ctx, const v1::UpdateClientContactRequest& r);

// Destroys the client's key (their sealed contact and screening become
// unreadable for good) and records who erased them, when, why and on what
// basis. NotFound if the client is unknown; FailedPrecondition (reason
// client_under_legal_hold, naming the hold) while a legal hold is in force,
// (client_erased) if already erased.
absl::StatusOr<Decision> DecideEraseClient(const DecisionContext& ctx,
                                           const v1::EraseClientRequest& r);

// NotFound if a client (client_id or one of also_client_ids) does not
// exist.
absl::StatusOr<Decision> DecideRecordClientRead(const DecisionContext& ctx,
                                                const v1::RecordClientRead& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CLIENTS_DECIDE_H_
