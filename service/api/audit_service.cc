#include "service/api/audit_service.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/api/command_call.h"
#include "service/api/status.h"
#include "service/domain/gs1.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/session_state.h"
#include "service/ledger/trace.h"

namespace smptrace::api {

v1::VerifyJournalResponse ToProto(const storage::JournalVerification& v) {
  v1::VerifyJournalResponse r;
  r.set_ok(v.ok);
  r.set_entries(v.entries);
  r.set_head_seq(v.good_head.seq);
  r.set_head_hash(storage::ToHex(v.good_head.hash));
  r.set_first_bad_seq(v.first_bad_seq);
  r.set_problem(static_cast<v1::JournalProblem>(v.problem));
  r.set_detail(v.detail);
  return r;
}

grpc::Status AuditService::VerifyJournal(grpc::ServerContext*,
                                         const v1::VerifyJournalRequest*,
                                         v1::VerifyJournalResponse* response) {
  // A snapshot: verification runs beside live writes and sees one instant.
  auto verification = storage::VerifyJournal(*store_.NewSnapshot());
  if (!verification.ok()) return ToGrpcStatus(verification.status());
  *response = ToProto(*verification);
  return grpc::Status::OK;
}

namespace {

absl::StatusOr<std::string> Gtin(const std::string& gtin) {
  auto normal = domain::NormalizeGtin(gtin);
  if (!normal.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("gtin: ", normal.status().message()));
  }
  return normal;
}

}  // namespace

grpc::Status AuditService::TraceLot(grpc::ServerContext*,
                                    const v1::TraceLotRequest* request,
                                    v1::TraceResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(std::string gtin, Gtin(request->gtin()));
    if (request->lot().empty()) {
      return absl::InvalidArgumentError("lot: required, exactly as printed");
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        *response,
        ledger::TraceLot(*store_.NewSnapshot(), gtin, request->lot()));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::TraceProduct(grpc::ServerContext*,
                                        const v1::TraceProductRequest* request,
                                        v1::TraceResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(std::string gtin, Gtin(request->gtin()));
    SMPTRACE_ASSIGN_OR_RETURN(
        *response, ledger::TraceProduct(*store_.NewSnapshot(), gtin));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::GetSterilityRecord(
    grpc::ServerContext* context, const v1::GetSterilityRecordRequest* request,
    v1::SterilityRecord* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t n, domain::ParseId(domain::IdKind::kSession,
                                    request->session_id(), "session_id"));
    SMPTRACE_ASSIGN_OR_RETURN(
        *response, ledger::SterilityRecordOf(*store_.NewSnapshot(), n));
    return RecordClientRead(
        ledger_, *context, response->session().client_id(),
        absl::StrCat("sterility record ", response->session().session_id()));
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::ClientHistory(
    grpc::ServerContext* context, const v1::ClientHistoryRequest* request,
    v1::ClientHistoryResponse* response) {
  auto status = [&]() -> absl::Status {
    if (request->client().empty()) {
      return absl::InvalidArgumentError("client: required (an id or code)");
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        auto client, ledger::FindClient(store_.live(), request->client()));
    if (!client.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "client: no client has the id or code '", request->client(), "'"));
    }
    // Recorded before it is served: the answer lists this read too.
    SMPTRACE_RETURN_IF_ERROR(RecordClientRead(
        ledger_, *context, client->client_id(), "client history"));
    SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                              domain::ParseId(domain::IdKind::kClient,
                                              client->client_id(), "client"));
    SMPTRACE_ASSIGN_OR_RETURN(
        *response, ledger::ClientHistoryOf(*store_.NewSnapshot(), n));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::ListExceptions(
    grpc::ServerContext*, const v1::ListExceptionsRequest* request,
    v1::ListExceptionsResponse* response) {
  const absl::Time from = request->has_from()
                              ? ledger::FromProto(request->from())
                              : absl::UnixEpoch();
  const absl::Time to = request->has_to() ? ledger::FromProto(request->to())
                                          : absl::InfiniteFuture();
  if (to < from) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        "to: is before from: nothing can be in between"));
  }
  auto out = ledger::ExceptionsBetween(*store_.NewSnapshot(), from, to);
  if (out.ok()) *response = *std::move(out);
  return ToGrpcStatus(out.status());
}

}  // namespace smptrace::api
