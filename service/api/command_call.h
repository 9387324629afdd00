// The common path of every mutating RPC: stamp the caller, hand the command
// to the ledger, wait until it is durable.
#ifndef SMPTRACE_SERVICE_API_COMMAND_CALL_H_
#define SMPTRACE_SERVICE_API_COMMAND_CALL_H_

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "service/ledger/ledger.h"
#include "smptrace/v1/ledger.pb.h"

namespace smptrace::api {

// Submits `command` (whose payload the caller has validated; `validation` is
// that result) as the calling principal. Returns the ledger's answer, or
// `validation` / a request_id error without submitting anything.
absl::StatusOr<v1::CommandResult> SubmitCommand(
    ledger::Ledger& ledger, const grpc::ServerContext& context,
    const absl::Status& validation, v1::Command command);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_COMMAND_CALL_H_
