#include "service/api/command_call.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/api/validation.h"

namespace smptrace::api {

absl::StatusOr<v1::CommandResult> Commands::Submit(
    const grpc::ServerContext& context, const absl::Status& validation,
    v1::Command command) const {
  SMPTRACE_RETURN_IF_ERROR(ValidateRequestId(command.request_id()));
  SMPTRACE_RETURN_IF_ERROR(validation);
  SMPTRACE_ASSIGN_OR_RETURN(Caller caller, callers_.Of(context));
  command.set_actor(std::move(caller.principal));
  return ledger_.Submit(std::move(command));
}

absl::Status Commands::RecordClientRead(const grpc::ServerContext& context,
                                        const std::string& client_id,
                                        const std::string& what) const {
  return RecordClientReads(context, {client_id}, what);
}

absl::Status Commands::RecordClientReads(
    const grpc::ServerContext& context,
    const std::vector<std::string>& client_ids, const std::string& what) const {
  return RecordClientAccess(context, client_ids, what,
                            v1::CLIENT_ACCESS_KIND_READ)
      .status();
}

absl::StatusOr<std::string> Commands::RecordClientExport(
    const grpc::ServerContext& context, const std::string& client_id,
    const std::string& what) const {
  return RecordClientAccess(context, {client_id}, what,
                            v1::CLIENT_ACCESS_KIND_EXPORT);
}

absl::StatusOr<std::string> Commands::RecordClientAccess(
    const grpc::ServerContext& context,
    const std::vector<std::string>& client_ids, const std::string& what,
    v1::ClientAccessKind kind) const {
  if (client_ids.empty()) return std::string();
  // A read has no client request id: each read is its own entry.
  thread_local absl::BitGen bits;
  v1::Command command;
  command.set_request_id(absl::StrCat(
      "read-", absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16),
      absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16)));
  v1::RecordClientRead* read = command.mutable_record_client_read();
  read->set_client_id(client_ids.front());
  read->set_what(what);
  read->set_kind(kind);
  for (size_t i = 1; i < client_ids.size(); ++i) {
    read->add_also_client_ids(client_ids[i]);
  }
  std::string request_id = command.request_id();
  SMPTRACE_RETURN_IF_ERROR(
      Submit(context, absl::OkStatus(), std::move(command)).status());
  return request_id;
}

}  // namespace smptrace::api
