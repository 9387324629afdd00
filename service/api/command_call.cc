#include "service/api/command_call.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
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

absl::Status RecordClientRead(ledger::Ledger& ledger,
                              const grpc::ServerContext& context,
                              const std::string& client_id,
                              const std::string& what) {
  // A read has no client request id: each read is its own entry.
  thread_local absl::BitGen bits;
  v1::Command command;
  command.set_request_id(absl::StrCat(
      "read-", absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16),
      absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16)));
  command.mutable_record_client_read()->set_client_id(client_id);
  command.mutable_record_client_read()->set_what(what);
  return SubmitCommand(ledger, context, absl::OkStatus(), std::move(command))
      .status();
}

}  // namespace smptrace::api
