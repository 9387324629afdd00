#include "service/api/audit_service.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "service/api/caller.h"
#include "service/api/certificate.h"
#include "service/api/client_record_pdf.h"
#include "service/api/command_call.h"
#include "service/api/inspection_record.h"
#include "service/api/request_limits.h"
#include "service/api/session_validation.h"
#include "service/api/status.h"
#include "service/api/validation.h"
#include "service/domain/gs1.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/recalls/lookback.h"
#include "service/ledger/recalls/state.h"
#include "service/ledger/sessions/state.h"
#include "service/proof/certificate_proof.h"
#include "service/proof/cosigned_checkpoint.h"
#include "service/proof/journal_proof.h"
#include "service/proof/tlog_proof.h"
#include "service/query/client_access.h"
#include "service/query/export.h"
#include "service/query/recall_reads.h"
#include "service/query/trace.h"
#include "spdlog/spdlog.h"
#include "storage/cosignature.h"
#include "storage/signing.h"

namespace smptrace::api {

grpc::Status AuditService::VerifyJournal(grpc::ServerContext*,
                                         const v1::VerifyJournalRequest*,
                                         v1::VerifyJournalResponse* response) {
  // A snapshot: verification runs beside live writes and sees one instant.
  auto verification = storage::VerifyJournal(*reads_.Snapshot());
  if (!verification.ok()) return ToGrpcStatus(verification.status());
  *response = proof::ToProto(*verification);
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
    SMPTRACE_RETURN_IF_ERROR(
        ValidateIdentifier("lot", request->lot(), kMaxLotLength));
    SMPTRACE_ASSIGN_OR_RETURN(
        *response, ledger::TraceLot(*reads_.Snapshot(), gtin, request->lot()));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::TraceProduct(grpc::ServerContext*,
                                        const v1::TraceProductRequest* request,
                                        v1::TraceResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(std::string gtin, Gtin(request->gtin()));
    SMPTRACE_ASSIGN_OR_RETURN(*response,
                              ledger::TraceProduct(*reads_.Snapshot(), gtin));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

absl::StatusOr<std::optional<ProvedCertificate>>
AuditService::ProveSessionCertificate(const storage::Reader& snapshot,
                                      const v1::SterilityRecord& record) const {
  const uint64_t seq = record.session().seal().seq();
  if (record.session().status() != v1::SESSION_STATUS_CLOSED || seq == 0) {
    return std::nullopt;
  }
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalHead head,
                            storage::ReadJournalHead(snapshot));
  auto proved = proof::ProveCertificate(snapshot, seq, head.seq, key_);
  // Closed before certificates carried proofs: the record, without a code.
  if (absl::IsFailedPrecondition(proved.status())) return std::nullopt;
  if (!proved.ok()) return proved.status();
  v1::Event event;
  if (!event.ParseFromString(proved->event())) {
    return absl::DataLossError(
        absl::StrCat("journal entry ", seq, " does not parse"));
  }
  ProvedCertificate out;
  out.url = proof::CertificateUrl(clinic_.verify_url, *proved);
  out.sheet = proof::SheetOf(seq, event);
  return out;
}

grpc::Status AuditService::GetSterilityRecord(
    grpc::ServerContext* context, const v1::GetSterilityRecordRequest* request,
    v1::SterilityRecord* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t n, domain::ParseId(domain::IdKind::kSession,
                                    request->session_id(), "session_id"));
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    SMPTRACE_ASSIGN_OR_RETURN(*response,
                              query::SterilityRecordOf(*snapshot, n));
    SMPTRACE_RETURN_IF_ERROR(commands_.personal_data().OpenScreening(
        *snapshot, *response->mutable_session()));
    if (request->certificate_pdf()) {
      SMPTRACE_ASSIGN_OR_RETURN(std::optional<ProvedCertificate> proved,
                                ProveSessionCertificate(*snapshot, *response));
      if (proved.has_value()) response->set_certificate_url(proved->url);
      SMPTRACE_ASSIGN_OR_RETURN(
          *response->mutable_certificate_pdf(),
          MaterialsCertificatePdf(*response, clinic_,
                                  proved.has_value() ? &*proved : nullptr));
    }
    return commands_.RecordClientRead(
        *context, response->session().client_id(),
        absl::StrCat("sterility record ", response->session().session_id()));
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::ClientHistory(
    grpc::ServerContext* context, const v1::ClientHistoryRequest* request,
    v1::ClientHistoryResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(
        const v1::Client client,
        FindNamedClient(reads_.Latest(), request->client()));
    // Recorded before it is served: the answer lists this read too.
    SMPTRACE_RETURN_IF_ERROR(commands_.RecordClientRead(
        *context, client.client_id(), "client history"));
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t n,
        domain::ParseId(domain::IdKind::kClient, client.client_id(), "client"));
    SMPTRACE_ASSIGN_OR_RETURN(*response,
                              query::ClientHistoryOf(*reads_.Snapshot(), n));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::ExportClientRecord(
    grpc::ServerContext* context, const v1::ExportClientRecordRequest* request,
    v1::ExportClientRecordResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(const Caller caller,
                              commands_.callers().Of(*context));
    SMPTRACE_ASSIGN_OR_RETURN(
        const v1::Client client,
        FindNamedClient(reads_.Latest(), request->client()));
    // Recorded before it is served, like every read of a client's record;
    // the export lists the accesses before this one.
    SMPTRACE_ASSIGN_OR_RETURN(
        const std::string own_request,
        commands_.RecordClientExport(*context, client.client_id(),
                                     "subject access export"));
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t n,
        domain::ParseId(domain::IdKind::kClient, client.client_id(), "client"));
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    v1::ClientRecordExport* record = response->mutable_record();
    SMPTRACE_ASSIGN_OR_RETURN(
        *record,
        query::ClientRecordExportOf(*snapshot, commands_.personal_data(), n));
    // Its own entry, and any access recorded after it (another call's, in
    // the same commit or before the snapshot): not before this export.
    SMPTRACE_ASSIGN_OR_RETURN(
        const uint64_t own_seq,
        query::SeqOfRecordedAccess(*snapshot, n, own_request));
    auto* accesses = record->mutable_accesses();
    accesses->erase(std::remove_if(accesses->begin(), accesses->end(),
                                   [&](const v1::ClientAccess& a) {
                                     return a.seq() >= own_seq;
                                   }),
                    accesses->end());
    *record->mutable_generated_at() = ledger::ToProto(clock_.Now());
    record->set_generated_by(caller.principal);
    SMPTRACE_ASSIGN_OR_RETURN(*response->mutable_pdf(),
                              ClientRecordPdf(*record, clinic_));
    return absl::OkStatus();
  }();
  if (!status.ok()) response->Clear();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::ClientAccessReport(
    grpc::ServerContext*, const v1::ClientAccessReportRequest* request,
    v1::ClientAccessReportResponse* response) {
  auto status = [&]() -> absl::Status {
    query::AccessReportFilter filter;
    if (request->has_from()) filter.from = ledger::FromProto(request->from());
    if (request->has_to()) filter.to = ledger::FromProto(request->to());
    if (filter.to <= filter.from) {
      return absl::InvalidArgumentError(
          "to: is not after from: no access can be recorded in between");
    }
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    if (!request->client().empty()) {
      SMPTRACE_ASSIGN_OR_RETURN(const v1::Client client,
                                FindNamedClient(*snapshot, request->client()));
      SMPTRACE_ASSIGN_OR_RETURN(filter.client,
                                domain::ParseId(domain::IdKind::kClient,
                                                client.client_id(), "client"));
    }
    if (!request->by().empty()) {
      SMPTRACE_RETURN_IF_ERROR(ValidatePrincipalName("by", request->by()));
      filter.by = request->by();
    }
    SMPTRACE_ASSIGN_OR_RETURN(*response,
                              query::ClientAccessReportOf(*snapshot, filter));
    return absl::OkStatus();
  }();
  if (!status.ok()) response->Clear();
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
  auto out = query::ExceptionsBetween(*reads_.Snapshot(), from, to);
  if (out.ok()) *response = *std::move(out);
  return ToGrpcStatus(out.status());
}

grpc::Status AuditService::GetCheckpoint(grpc::ServerContext*,
                                         const v1::GetCheckpointRequest*,
                                         v1::Checkpoint* response) {
  const storage::JournalHead head = commands_.ledger().head();
  auto signature = key_.Sign(storage::CheckpointMessage(head.seq, head.hash));
  if (!signature.ok()) return ToGrpcStatus(signature.status());
  response->set_seq(head.seq);
  response->set_hash(storage::ToHex(head.hash));
  response->set_signature(storage::ToHex(*signature));
  response->set_public_key_pem(key_.public_key_pem());
  response->set_key_id(key_.key_id());
  const absl::Time now = clock_.Now();
  *response->mutable_signed_at() = ledger::ToProto(now);
  auto note = proof::SignLogCheckpoint(*reads_.Snapshot(), head.seq, key_);
  if (!note.ok()) return ToGrpcStatus(note.status());
  response->set_note(note->note());
  // Kept so that the checkpoint's age (a metric) survives a restart; the
  // checkpoint stands without it.
  if (absl::Status recorded =
          commands_.ledger().RecordIssuedCheckpoint({head.seq, now});
      !recorded.ok()) {
    spdlog::warn("checkpoint at seq {} issued but not recorded: {}", head.seq,
                 recorded.ToString());
  }
  return grpc::Status::OK;
}

grpc::Status AuditService::CheckCheckpoint(
    grpc::ServerContext*, const v1::CheckCheckpointRequest* request,
    v1::CheckCheckpointResponse* response) {
  auto out =
      request->note().empty()
          ? proof::CheckCheckpoint(*reads_.Snapshot(), request->checkpoint(),
                                   key_.key_id())
          : proof::CheckCheckpointNote(*reads_.Snapshot(), request->note(),
                                       storage::VerifierOf(key_));
  if (!out.ok()) return ToGrpcStatus(out.status());
  if (!request->note().empty() && out->signature_valid()) {
    // The witnesses' cosignatures it carries, by the witnesses this server
    // knows.
    auto witnesses = proof::LoadWitnessKeys(witness_keys_file_);
    if (!witnesses.ok()) return ToGrpcStatus(witnesses.status());
    auto opened = proof::OpenCosignedCheckpoint(
        request->note(), storage::VerifierOf(key_), *witnesses);
    if (opened.ok()) {
      for (const storage::Cosignature& c : opened->cosignatures) {
        *out->add_cosignatures() = proof::CosignatureProto(c);
      }
    } else {
      out->set_ok(false);
      out->set_detail(
          absl::StrCat(out->detail(), "; but ", opened.status().message()));
    }
  }
  *response = *std::move(out);
  return grpc::Status::OK;
}

grpc::Status AuditService::GetPublicKey(grpc::ServerContext*,
                                        const v1::GetPublicKeyRequest*,
                                        v1::PublicKey* response) {
  response->set_pem(key_.public_key_pem());
  response->set_key_id(key_.key_id());
  return grpc::Status::OK;
}

namespace {

// Answers from one snapshot and its own journal head, so that a tree size
// and the nodes read for it come from the same moment.
template <typename Response, typename Fn>
grpc::Status FromSnapshotHead(const query::Reads& reads, Response* response,
                              Fn fn) {
  auto snapshot = reads.Snapshot();
  auto head = storage::ReadJournalHead(*snapshot);
  if (!head.ok()) return ToGrpcStatus(head.status());
  absl::StatusOr<Response> out = fn(*snapshot, head->seq);
  if (out.ok()) *response = *std::move(out);
  return ToGrpcStatus(out.status());
}

}  // namespace

grpc::Status AuditService::GetLogCheckpoint(
    grpc::ServerContext*, const v1::GetLogCheckpointRequest* request,
    v1::LogCheckpoint* response) {
  const bool witnessed = request->witnessed();
  return FromSnapshotHead(
      reads_, response,
      [&](const storage::Reader& r,
          uint64_t size) -> absl::StatusOr<v1::LogCheckpoint> {
        if (witnessed) {
          auto cosigned = storage::LastCosignedSize(r);
          if (!cosigned.ok()) return cosigned.status();
          if (*cosigned == 0) {
            return absl::NotFoundError(
                "no witness has cosigned a checkpoint of this log yet "
                "(smptrace log cosign; docs/auditor.md, Witnesses)");
          }
          size = *cosigned;
        }
        return proof::SignLogCheckpoint(r, size, key_);
      });
}

grpc::Status AuditService::GetInclusionProof(
    grpc::ServerContext*, const v1::GetInclusionProofRequest* request,
    v1::InclusionProof* response) {
  return FromSnapshotHead(
      reads_, response, [&](const storage::Reader& r, uint64_t size) {
        return proof::ProveInclusion(r, request->seq(), request->tree_size(),
                                     size, key_);
      });
}

grpc::Status AuditService::GetConsistencyProof(
    grpc::ServerContext*, const v1::GetConsistencyProofRequest* request,
    v1::ConsistencyProof* response) {
  return FromSnapshotHead(
      reads_, response, [&](const storage::Reader& r, uint64_t size) {
        return proof::ProveConsistency(r, request->old_size(),
                                       request->new_size(), size);
      });
}

namespace {

absl::Status NormalizeOpenRecallCase(v1::OpenRecallCaseRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText("notice.reference", r->notice().reference(), 1, 100));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText("notice.text", r->notice().text(), 1, 4000));
  SMPTRACE_RETURN_IF_ERROR(
      ledger::ValidateDate(r->notice().notice_date(), "notice.notice_date"));
  if (r->lots_size() == 0 && r->product_gtin().empty()) {
    return absl::InvalidArgumentError(
        "lots: required: the lots the notice names, or product_gtin for every "
        "lot of a product");
  }
  if (r->lots_size() > 0 && !r->product_gtin().empty()) {
    return absl::InvalidArgumentError(
        "product_gtin: give lots or product_gtin, not both");
  }
  if (!r->product_gtin().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(std::string gtin, Gtin(r->product_gtin()));
    r->set_product_gtin(gtin);
  }
  std::map<std::pair<std::string, std::string>, int> seen;  // lot -> index
  for (int i = 0; i < r->lots_size(); ++i) {
    auto gtin = domain::NormalizeGtin(r->lots(i).gtin());
    if (!gtin.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("lots[", i, "].gtin: ", gtin.status().message()));
    }
    r->mutable_lots(i)->set_gtin(*gtin);
    SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier(
        absl::StrCat("lots[", i, "].lot"), r->lots(i).lot(), kMaxLotLength));
    auto [it, fresh] =
        seen.emplace(std::make_pair(r->lots(i).gtin(), r->lots(i).lot()), i);
    if (!fresh) {
      return absl::InvalidArgumentError(
          absl::StrCat("lots[", i, "]: the same lot as lots[", it->second,
                       "] (", r->lots(i).gtin(), " lot ", r->lots(i).lot(),
                       "): name each lot once"));
    }
  }
  return absl::OkStatus();
}

absl::Status NormalizeCaseId(std::string* id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(domain::IdKind::kRecallCase, *id, "case_id"));
  *id = domain::FormatId(domain::IdKind::kRecallCase, n);
  return absl::OkStatus();
}

}  // namespace

grpc::Status AuditService::OpenRecallCase(
    grpc::ServerContext* context, const v1::OpenRecallCaseRequest* request,
    v1::RecallCase* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_open_recall_case() = *request;
        return NormalizeOpenRecallCase(c.mutable_open_recall_case());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_recall_case());
      });
}

grpc::Status AuditService::RecordNotification(
    grpc::ServerContext* context, const v1::RecordNotificationRequest* request,
    v1::RecallCase* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) -> absl::Status {
        *c.mutable_record_notification() = *request;
        v1::RecordNotificationRequest* r = c.mutable_record_notification();
        SMPTRACE_RETURN_IF_ERROR(NormalizeCaseId(r->mutable_case_id()));
        SMPTRACE_RETURN_IF_ERROR(
            ValidateIdentifier("client_id", r->client_id(), 40));
        SMPTRACE_RETURN_IF_ERROR(ValidateText("channel", r->channel(), 1, 50));
        return ValidateText("note", r->note(), 0, 500);
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_recall_case());
      });
}

grpc::Status AuditService::CloseRecallCase(
    grpc::ServerContext* context, const v1::CloseRecallCaseRequest* request,
    v1::RecallCase* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) -> absl::Status {
        *c.mutable_close_recall_case() = *request;
        SMPTRACE_RETURN_IF_ERROR(
            NormalizeCaseId(c.mutable_close_recall_case()->mutable_case_id()));
        return ValidateText("reason", request->reason(), 0, 500);
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_recall_case());
      });
}

grpc::Status AuditService::GetRecallCase(
    grpc::ServerContext*, const v1::GetRecallCaseRequest* request,
    v1::RecallCase* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(
        *response,
        ledger::MustReadRecallCase(reads_.Latest(), request->case_id()));
    if (request->exposure_report_pdf()) {
      SMPTRACE_ASSIGN_OR_RETURN(*response->mutable_exposure_report_pdf(),
                                RecallExposureReportPdf(*response, clinic_));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::ListRecallCases(
    grpc::ServerContext*, const v1::ListRecallCasesRequest* request,
    v1::ListRecallCasesResponse* response) {
  auto status = [&]() -> absl::Status {
    if (!v1::RecallCaseStatus_IsValid(request->status())) {
      return absl::InvalidArgumentError("status: OPEN, CLOSED or unset (any)");
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        const IdPage window,
        PageById(domain::IdKind::kRecallCase, request->page()));
    SMPTRACE_ASSIGN_OR_RETURN(
        auto page, query::ListRecallCases(*reads_.Snapshot(), request->status(),
                                          window.after, window.limit));
    for (auto& c : page.items) *response->add_cases() = std::move(c);
    response->set_next_page_token(page.next_after);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::GetRecallWorksheet(
    grpc::ServerContext* context, const v1::GetRecallWorksheetRequest* request,
    v1::RecallWorksheet* response) {
  auto status = [&]() -> absl::Status {
    if (request->case_id().empty()) {
      return absl::InvalidArgumentError("case_id: required (e.g. RC-000001)");
    }
    SMPTRACE_ASSIGN_OR_RETURN(const Caller caller,
                              commands_.callers().Of(*context));
    if (!MaySeeClientContact(caller)) {
      return absl::PermissionDeniedError(
          "the worksheet holds contact details: managers and auditors only");
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        *response,
        query::RecallWorksheetOf(*reads_.Snapshot(), commands_.personal_data(),
                                 request->case_id()));
    std::vector<std::string> read;
    for (const auto& c : response->clients()) {
      read.push_back(c.exposed().client_id());
    }
    // Recorded before it is served, like every contact read.
    return commands_.RecordClientReads(
        *context, read,
        absl::StrCat("contact details (recall worksheet ",
                     response->recall_case().case_id(), ")"));
  }();
  if (!status.ok()) response->Clear();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::GetInspectionRecord(
    grpc::ServerContext* context, const v1::GetInspectionRecordRequest* request,
    v1::InspectionRecord* response) {
  auto status = [&]() -> absl::Status {
    const bool period = request->has_from() || request->has_to();
    if (!request->session_id().empty() && period) {
      return absl::InvalidArgumentError(
          "session_id: give a session or a period (from and to), not both");
    }
    if (request->session_id().empty() && !period) {
      return absl::InvalidArgumentError(
          "session_id: required, or a period (from and to)");
    }
    SMPTRACE_ASSIGN_OR_RETURN(const Caller caller,
                              commands_.callers().Of(*context));
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    std::string what;
    if (!period) {
      SMPTRACE_ASSIGN_OR_RETURN(
          uint64_t n, domain::ParseId(domain::IdKind::kSession,
                                      request->session_id(), "session_id"));
      SMPTRACE_ASSIGN_OR_RETURN(*response->add_records(),
                                query::SterilityRecordOf(*snapshot, n));
      what = absl::StrCat("inspection record ", request->session_id());
    } else {
      if (!request->has_from() || !request->has_to()) {
        return absl::InvalidArgumentError(
            absl::StrCat(request->has_from() ? "to" : "from",
                         ": required: a period has a start and an end"));
      }
      const absl::Time from = ledger::FromProto(request->from());
      const absl::Time to = ledger::FromProto(request->to());
      if (to <= from) {
        return absl::InvalidArgumentError(
            "to: is not after from: no session can start in between");
      }
      SMPTRACE_ASSIGN_OR_RETURN(
          auto records,
          query::SterilityRecordsBetween(*snapshot, from, to,
                                         query::kMaxInspectionSessions));
      for (auto& r : records) *response->add_records() = std::move(r);
      what = absl::StrCat("inspection record ",
                          absl::FormatTime("%Y-%m-%d", from, clinic_.zone),
                          "..", absl::FormatTime("%Y-%m-%d", to, clinic_.zone));
    }
    for (v1::SterilityRecord& r : *response->mutable_records()) {
      SMPTRACE_RETURN_IF_ERROR(commands_.personal_data().OpenScreening(
          *snapshot, *r.mutable_session()));
    }
    SMPTRACE_ASSIGN_OR_RETURN(auto verification,
                              storage::VerifyJournal(*snapshot));
    *response->mutable_verification() = proof::ToProto(verification);
    *response->mutable_made_at() = ledger::ToProto(clock_.Now());
    response->set_made_by(caller.principal);
    std::vector<std::string> read;
    for (const auto& r : response->records()) {
      const std::string& id = r.session().client_id();
      if (std::find(read.begin(), read.end(), id) == read.end()) {
        read.push_back(id);
      }
    }
    SMPTRACE_RETURN_IF_ERROR(commands_.RecordClientReads(*context, read, what));
    if (request->pdf()) {
      SMPTRACE_ASSIGN_OR_RETURN(*response->mutable_pdf(),
                                InspectionRecordPdf(*response, clinic_));
    }
    return absl::OkStatus();
  }();
  if (!status.ok()) response->Clear();
  return ToGrpcStatus(status);
}

grpc::Status AuditService::Export(grpc::ServerContext* context,
                                  const v1::ExportRequest* request,
                                  grpc::ServerWriter<v1::ExportChunk>* writer) {
  // A snapshot: the export is one instant of the record, however long it
  // takes to stream.
  std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
  absl::Status status = query::ExportJournal(
      *snapshot, request->format(), request->from_seq(), request->to_seq(),
      clock_.Now(), clinic_.zone,
      [&](const std::string& data, uint64_t done, uint64_t total) {
        if (context->IsCancelled()) return false;
        v1::ExportChunk chunk;
        chunk.set_data(data);
        chunk.set_entries_done(done);
        chunk.set_entries_total(total);
        return writer->Write(chunk);
      });
  return ToGrpcStatus(status);
}

}  // namespace smptrace::api
