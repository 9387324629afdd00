// Recall cases (DESIGN.md §2): the notice as received, its scope (lots, or
// every lot of a product), the holds it places, the exposed clients it
// computes with the lookback, each client's notification, and closing. A
// mock recall (drill) runs the same lookback, holds nothing, and is recorded
// with its timing.
#ifndef SMPTRACE_SERVICE_LEDGER_RECALLS_DECIDE_H_
#define SMPTRACE_SERVICE_LEDGER_RECALLS_DECIDE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/audit.pb.h"

namespace smptrace::ledger {

// The units one case's lookback may visit inside the writer; a larger scope
// is refused (recall_scope_too_large) rather than stalling every write.
inline constexpr int64_t kMaxRecallScopeUnits = 100000;

// A Decision::read_back that answers with recall case `case_id` as the
// command's event left it (CommandResult.recall_case).
std::function<absl::Status(const storage::Reader&, v1::CommandResult&)>
RecallCaseReply(std::string case_id);

// The case is in the event (RecallCaseRecorded), the reply read back
// (RecallCaseReply). NotFound for an unknown lot or product;
// recall_scope_too_large when the scope holds more than kMaxRecallScopeUnits
// units. A lot named twice is looked back once.
absl::StatusOr<Decision> DecideOpenRecallCase(
    const DecisionContext& ctx, const v1::OpenRecallCaseRequest& r);
// NotFound if the client is not exposed by the case; recall_case_closed.
absl::StatusOr<Decision> DecideRecordNotification(
    const DecisionContext& ctx, const v1::RecordNotificationRequest& r);
// clients_not_notified without a reason; recall_case_closed.
absl::StatusOr<Decision> DecideCloseRecallCase(
    const DecisionContext& ctx, const v1::CloseRecallCaseRequest& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_RECALLS_DECIDE_H_
