// Legal holds on a client, a lot or a recall case: placed (who, why, until
// when) and released with a reason, each journaled. While one is in force,
// no client it covers can be erased: the client; every client the lot's
// lookback finds exposed; every client the recall case found exposed. An
// open recall case (not a drill) holds its exposed clients by itself.
#ifndef SMPTRACE_SERVICE_LEDGER_CLIENTS_HOLDS_H_
#define SMPTRACE_SERVICE_LEDGER_CLIENTS_HOLDS_H_

#include <map>
#include <optional>
#include <string>
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

// NotFound if the client, lot or recall case is unknown (naming the field:
// client, lot_gtin, lot, recall_case_id); FailedPrecondition if `until` has
// passed. The reply lists whom a hold on a lot or recall case covers now.
// REQUIRES: exactly one target (the API checks).
absl::StatusOr<Decision> DecidePlaceLegalHold(
    const DecisionContext& ctx, const v1::PlaceLegalHoldRequest& r);
// NotFound if the hold is unknown; FailedPrecondition if it has ended.
absl::StatusOr<Decision> DecideReleaseLegalHold(
    const DecisionContext& ctx, const v1::ReleaseLegalHoldRequest& r);

absl::Status ApplyLegalHoldRecorded(const v1::LegalHoldRecorded& e,
                                    storage::WriteTxn& txn);

// The holds covering client `client_id` (every hold when empty: on the
// client, or on a lot or recall case that covers them), by hold id, each
// with in_force set as of `today` and, when in force, `covers` (the clients
// a hold on a lot or recall case covers today); only those in force unless
// `include_ended`.
// Reasons are opened with `personal` (a hold on a client keeps its reason
// sealed with the client's key).
absl::StatusOr<std::vector<v1::LegalHold>> ReadLegalHolds(
    const storage::Reader& reader, const PersonalData& personal,
    std::string_view client_id, absl::CivilDay today, bool include_ended);

// Every client covered today by a legal hold in force or an open recall
// case (not a drill), with what covers them in words, e.g.
//   "legal hold HOLD-000002 on lot L-22 of 09506000134352, placed by maria:
//    claim C-7 (until released)"
//   "open recall case RC-000001"
// The one owner of "is this client held": erasure refuses and the retention
// list shows these.
using ClientHolds = std::map<std::string, std::vector<std::string>>;
absl::StatusOr<ClientHolds> ReadClientHolds(const storage::Reader& reader,
                                            const PersonalData& personal,
                                            absl::CivilDay today);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CLIENTS_HOLDS_H_
