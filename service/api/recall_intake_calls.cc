// AuditService's recall-intake RPCs: published notices in, candidate
// recall cases out, confirmed or dismissed by a manager. Thin: the file is
// read here (recall_notice_file.h), matching and deciding happen in the
// ledger (service/ledger/recall_intake/).
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/api/audit_service.h"
#include "service/api/command_call.h"
#include "service/api/recall_notice_file.h"
#include "service/api/status.h"
#include "service/api/validation.h"
#include "service/domain/ids.h"
#include "service/ledger/recall_intake/state.h"

namespace smptrace::api {
namespace {

absl::Status NormalizeCandidateId(std::string* id) {
  if (id->empty()) {
    return absl::InvalidArgumentError(
        "candidate_id: required (e.g. RCN-000001)");
  }
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n,
      domain::ParseId(domain::IdKind::kRecallCandidate, *id, "candidate_id"));
  *id = domain::FormatId(domain::IdKind::kRecallCandidate, n);
  return absl::OkStatus();
}

}  // namespace

grpc::Status AuditService::ImportRecallNotices(
    grpc::ServerContext* context, const v1::ImportRecallNoticesRequest* request,
    v1::ImportRecallNoticesResponse* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) -> absl::Status {
        SMPTRACE_RETURN_IF_ERROR(
            ValidateText("file_name", request->file_name(), 0, 200));
        if (request->content().size() > kMaxRecallNoticeFileBytes) {
          return absl::InvalidArgumentError(absl::StrCat(
              "content: ", request->content().size(), " bytes; at most ",
              kMaxRecallNoticeFileBytes,
              ": download a narrower search (a date range, a firm) or "
              "import the bulk file in parts"));
        }
        SMPTRACE_ASSIGN_OR_RETURN(*c.mutable_import_recall_notices(),
                                  ReadRecallNoticeFile(request->content()));
        c.mutable_import_recall_notices()->set_file_name(request->file_name());
        return absl::OkStatus();
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_recall_import());
      });
}

grpc::Status AuditService::ListRecallCandidates(
    grpc::ServerContext*, const v1::ListRecallCandidatesRequest* request,
    v1::ListRecallCandidatesResponse* response) {
  auto status = [&]() -> absl::Status {
    if (!v1::RecallCandidateStatus_IsValid(request->status())) {
      return absl::InvalidArgumentError(
          "status: OPEN, CONFIRMED, DISMISSED or unset (any)");
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        const IdPage window,
        PageById(domain::IdKind::kRecallCandidate, request->page()));
    SMPTRACE_ASSIGN_OR_RETURN(
        auto page,
        ledger::ListRecallCandidates(*reads_.Snapshot(), request->status(),
                                     window.after, window.limit));
    for (auto& c : page.items) *response->add_candidates() = std::move(c);
    response->set_next_page_token(page.next_after);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::ConfirmRecallCandidate(
    grpc::ServerContext* context,
    const v1::ConfirmRecallCandidateRequest* request,
    v1::ConfirmRecallCandidateResponse* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_confirm_recall_candidate() = *request;
        return NormalizeCandidateId(
            c.mutable_confirm_recall_candidate()->mutable_candidate_id());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_recall_confirm());
      });
}

grpc::Status AuditService::DismissRecallCandidate(
    grpc::ServerContext* context,
    const v1::DismissRecallCandidateRequest* request,
    v1::RecallCandidate* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) -> absl::Status {
        *c.mutable_dismiss_recall_candidate() = *request;
        SMPTRACE_RETURN_IF_ERROR(NormalizeCandidateId(
            c.mutable_dismiss_recall_candidate()->mutable_candidate_id()));
        return ValidateText("reason", request->reason(), 1, 500);
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_recall_candidate());
      });
}

}  // namespace smptrace::api
