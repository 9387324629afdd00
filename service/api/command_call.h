// The common path of every mutating RPC: decide the caller, stamp it on the
// command, hand the command to the ledger, wait until it is durable.
#ifndef SMPTRACE_SERVICE_API_COMMAND_CALL_H_
#define SMPTRACE_SERVICE_API_COMMAND_CALL_H_

#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "service/api/caller.h"
#include "service/api/status.h"
#include "service/ledger/clients/personal_data.h"
#include "service/ledger/ledger.h"
#include "smptrace/v1/ledger.pb.h"

namespace smptrace::api {

// The services' one way to the ledger. Thread-safe.
class Commands {
 public:
  // REQUIRES: both outlive this.
  Commands(ledger::Ledger* ledger, const Callers* callers)
      : ledger_(*ledger), callers_(*callers) {}

  ledger::Ledger& ledger() const { return ledger_; }
  // Opens clients' personal data for the replies (the ledger's own).
  // REQUIRES: the ledger has one (every server does).
  const ledger::PersonalData& personal_data() const {
    return *ledger_.personal_data();
  }
  const Callers& callers() const { return callers_; }

  // Submits `command` (whose payload the caller has validated; `validation`
  // is that result) as the calling principal. Returns the ledger's answer,
  // or `validation` / a request_id / a caller error without submitting
  // anything.
  absl::StatusOr<v1::CommandResult> Submit(const grpc::ServerContext& context,
                                           const absl::Status& validation,
                                           v1::Command command) const;

  // Records, as a journal entry, that the caller read `what` of a client's
  // record ("every read of a client's record is itself recorded"). Returns
  // once the entry is durable.
  absl::Status RecordClientRead(const grpc::ServerContext& context,
                                const std::string& client_id,
                                const std::string& what) const;
  // The same for a call that read several clients' records (a list with
  // contact details, a recall worksheet, an inspection record): one entry
  // names them all. Nothing is recorded when `client_ids` is empty.
  absl::Status RecordClientReads(const grpc::ServerContext& context,
                                 const std::vector<std::string>& client_ids,
                                 const std::string& what) const;
  // Records that the caller exported the client's whole record (a subject
  // access request): an entry of kind EXPORT in the client's access log.
  // Returns the request id the entry was recorded under (its journal
  // event's), by which the export finds its own entry.
  absl::StatusOr<std::string> RecordClientExport(
      const grpc::ServerContext& context, const std::string& client_id,
      const std::string& what) const;

 private:
  // Returns the request id of the entry.
  absl::StatusOr<std::string> RecordClientAccess(
      const grpc::ServerContext& context,
      const std::vector<std::string>& client_ids, const std::string& what,
      v1::ClientAccessKind kind) const;

  ledger::Ledger& ledger_;
  const Callers& callers_;
};

// A whole mutating RPC: `set_payload(command)` fills the command from the
// request and returns the validation result; `take(result)` copies the
// ledger's answer into the response (returning void, or an absl::Status
// when it can fail). Returns the status for the wire.
template <typename SetPayload, typename Take>
grpc::Status Mutate(const Commands& commands,
                    const grpc::ServerContext& context,
                    const std::string& request_id, SetPayload set_payload,
                    Take take) {
  v1::Command command;
  command.set_request_id(request_id);
  absl::Status validation = set_payload(command);
  auto result = commands.Submit(context, validation, std::move(command));
  if (!result.ok()) return ToGrpcStatus(result.status());
  // A `take` that reads (opening a client's sealed personal data) may fail.
  if constexpr (std::is_same_v<std::invoke_result_t<Take, v1::CommandResult&>,
                               absl::Status>) {
    return ToGrpcStatus(take(*result));
  } else {
    take(*result);
    return grpc::Status::OK;
  }
}

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_COMMAND_CALL_H_
