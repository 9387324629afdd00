// Retention (deploy/retention.conf, domain/retention_policy.h): which
// clients' personal data the policy makes due for erasure today, what of
// the procedure and stock records is past its period, and the check an
// erasure by the policy makes inside the writer. The list (the API's
// ListRetentionDue, the daily job) and the check are the same function.
#ifndef SMPTRACE_SERVICE_LEDGER_CLIENTS_RETENTION_H_
#define SMPTRACE_SERVICE_LEDGER_CLIENTS_RETENTION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "service/domain/retention_policy.h"
#include "smptrace/v1/session.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

class PersonalData;

// The client's last visit: the start of their last session that was not
// aborted, or their registration (or last contact update) if later.
absl::StatusOr<absl::CivilDay> LastVisitOf(const storage::Reader& reader,
                                           const v1::Client& client,
                                           absl::TimeZone zone);

// What `policy` makes due on `today`: every client not yet erased whose due
// day has come (with what holds them), and per record kind what is past its
// period. `configured` false (and nothing else) without a policy.
// `personal` opens the reasons of holds on a client.
absl::StatusOr<v1::ListRetentionDueResponse> ReadRetentionDue(
    const storage::Reader& reader, const PersonalData& personal,
    const domain::RetentionPolicy& policy, absl::CivilDay today,
    absl::TimeZone zone);

// For an erasure by the policy: the policy in words as the erasure records
// it ("client_personal_data: 3 years ..., last visit 2023-05-02, due since
// 2026-05-02"). FailedPrecondition, reason retention_not_configured without
// a policy, retention_not_due (naming the due day) before it.
absl::StatusOr<std::string> CheckRetentionDue(
    const storage::Reader& reader, const domain::RetentionPolicy* policy,
    const v1::Client& client, absl::CivilDay today, absl::TimeZone zone);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CLIENTS_RETENTION_H_
