// Legal holds on a client: placed (who, why, until when) and released with a
// reason, each journaled; while one is in force the client cannot be erased.
// Holds on lots and recall cases can follow: LegalHold names what it covers.
#ifndef SMPTRACE_SERVICE_LEDGER_CLIENTS_HOLDS_H_
#define SMPTRACE_SERVICE_LEDGER_CLIENTS_HOLDS_H_

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/journal.pb.h"
#include "smptrace/v1/ledger.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

// NotFound if the client is unknown; FailedPrecondition if `until` has
// passed.
absl::StatusOr<Decision> DecidePlaceLegalHold(
    const DecisionContext& ctx, const v1::PlaceLegalHoldRequest& r);
// NotFound if the hold is unknown; FailedPrecondition if it has ended.
absl::StatusOr<Decision> DecideReleaseLegalHold(
    const DecisionContext& ctx, const v1::ReleaseLegalHoldRequest& r);

absl::Status ApplyLegalHoldRecorded(const v1::LegalHoldRecorded& e,
                                    storage::WriteTxn& txn);

// The holds on client `client_id` (every client when empty), by hold id,
// each with in_force set as of `today`; only those in force unless
// `include_ended`.
absl::StatusOr<std::vector<v1::LegalHold>> ReadLegalHolds(
    const storage::Reader& reader, std::string_view client_id,
    absl::CivilDay today, bool include_ended);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CLIENTS_HOLDS_H_
