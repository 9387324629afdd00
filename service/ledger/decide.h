// Command -> event: checks one command against the current state and says
// what the journal should record. Reads only; the ledger writes.
#ifndef SMPTRACE_SERVICE_LEDGER_DECIDE_H_
#define SMPTRACE_SERVICE_LEDGER_DECIDE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/domain/consent_policy.h"
#include "service/domain/retention_policy.h"
#include "service/domain/screening.h"
#include "smptrace/v1/journal.pb.h"
#include "smptrace/v1/ledger.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

class PersonalData;

// What every decision gets.
struct DecisionContext {
  const storage::Reader& state;
  absl::Time now;
  // The clinic's time zone: ToCivilDay(now, zone) is today.
  absl::TimeZone zone;
  std::string_view actor;
  // The journal seq the command's event gets if it is recorded.
  uint64_t seq = 0;
  const domain::ScreeningPolicy* screening = nullptr;
  // Seals and opens clients' personal data (clients/personal_data.h); null
  // in a ledger without a data key, which refuses personal data.
  const PersonalData* personal = nullptr;
  // The clinic's consent texts and whether sessions require consent.
  const domain::ConsentPolicy* consent = nullptr;
  // The clinic's retention policy (unconfigured: nothing is due).
  const domain::RetentionPolicy* retention = nullptr;
};

// What to record for a command.
struct Decision {
  // The event payload to journal (time, actor and request_id are filled by
  // the ledger). No payload: nothing new to record (the state already holds
  // what the command asks, e.g. a unit scanned again into its own session);
  // the caller gets `result` and nothing is written, not even an idempotency
  // record.
  v1::Event event;
  // What the caller gets back when `refusal` is OK: what the decision knows
  // without the event applied (ids it chose, echoes of the request), then
  // completed by `read_back`.
  v1::CommandResult result;
  // Fills in the parts of `result` that are state the event changed (the
  // session after a scan, the container after a seal, stock counts): called
  // by the ledger after the event is applied, through the same transaction
  // (read-your-writes), so the reply is what a later read returns and what a
  // replay produces, and no decision computes a new state itself. Empty:
  // `result` is the whole reply. Not called for a recorded refusal.
  std::function<absl::Status(const storage::Reader& written,
                             v1::CommandResult& result)>
      read_back;
  // Writes outside the journal, in the command's batch after its event is
  // applied: a new client's key, an erased client's key deleted. Never
  // replayed by a rebuild: client_keys and idem are not derived from the
  // journal.
  std::function<absl::Status(storage::WriteTxn& txn)> outside_journal;
  // Once committed, make what this command deleted unrecoverable from the
  // data directory's files (storage::Store::PurgeDeleted): an erasure.
  bool purge_deleted = false;
  // Not OK for a refusal that is itself recorded (an audit event): the event
  // is journaled and the caller gets this error.
  absl::Status refusal;
};

// Decides `command` against `state` at time `now`. An error means "refused,
// record nothing" (NotFound, AlreadyExists, FailedPrecondition, Aborted,
// InvalidArgument); storage failures pass through.
// REQUIRES: the command passed the API's shape validation.
absl::StatusOr<Decision> Decide(const v1::Command& command,
                                const DecisionContext& ctx);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_DECIDE_H_
