#include "service/api/command_call.h"

#include "common/status_macros.h"
#include "service/api/caller.h"
#include "service/api/validation.h"

namespace smptrace::api {

absl::StatusOr<v1::CommandResult> SubmitCommand(
    ledger::Ledger& ledger, const grpc::ServerContext& context,
    const absl::Status& validation, v1::Command command) {
  SMPTRACE_RETURN_IF_ERROR(ValidateRequestId(command.request_id()));
  SMPTRACE_RETURN_IF_ERROR(validation);
  command.set_actor(CallerOf(context));
  return ledger.Submit(std::move(command));
}

}  // namespace smptrace::api
