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

// AlreadyExists if the code is taken.
absl::StatusOr<Decision> DecideCreateClient(const DecisionContext& ctx,
                                            const v1::CreateClientRequest& r);

// A new version of the client's contact details. NotFound if the client is
// unknown; Aborted if expected_version is set and stale.
absl::StatusOr<Decision> DecideUpdateClientContact(
    const DecisionContext& ctx, const v1::UpdateClientContactRequest& r);

// NotFound if a client (client_id or one of also_client_ids) does not
// exist.
absl::StatusOr<Decision> DecideRecordClientRead(const DecisionContext& ctx,
                                                const v1::RecordClientRead& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CLIENTS_DECIDE_H_
