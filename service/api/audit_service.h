// AuditService: read-only proofs over the record.
#ifndef SMPTRACE_SERVICE_API_AUDIT_SERVICE_H_
#define SMPTRACE_SERVICE_API_AUDIT_SERVICE_H_

#include <optional>
#include <string_view>

#include "common/clock.h"
#include "service/api/certificate.h"
#include "service/api/command_call.h"
#include "service/api/inventory_validation.h"
#include "service/ledger/ledger.h"
#include "service/query/reads.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "storage/journal.h"
#include "storage/signing.h"

namespace smptrace::api {

class AuditService final : public v1::AuditService::Service {
 public:
  // REQUIRES: reads, commands and key outlive the service.
  // `witness_keys_file`: the witnesses whose cosignatures it keeps
  // (ServerOptions::witness_keys_file).
  AuditService(const query::Reads* reads, const Commands* commands,
               const storage::CheckpointKey* key, const Clock* clock,
               ClinicOptions clinic, std::string witness_keys_file)
      : reads_(*reads),
        commands_(*commands),
        key_(*key),
        clock_(*clock),
        clinic_(std::move(clinic)),
        witness_keys_file_(std::move(witness_keys_file)) {}

  grpc::Status VerifyJournal(grpc::ServerContext* context,
                             const v1::VerifyJournalRequest* request,
                             v1::VerifyJournalResponse* response) override;
  grpc::Status TraceLot(grpc::ServerContext* context,
                        const v1::TraceLotRequest* request,
                        v1::TraceResponse* response) override;
  grpc::Status TraceProduct(grpc::ServerContext* context,
                            const v1::TraceProductRequest* request,
                            v1::TraceResponse* response) override;
  grpc::Status GetSterilityRecord(grpc::ServerContext* context,
                                  const v1::GetSterilityRecordRequest* request,
                                  v1::SterilityRecord* response) override;
  grpc::Status ClientHistory(grpc::ServerContext* context,
                             const v1::ClientHistoryRequest* request,
                             v1::ClientHistoryResponse* response) override;
  grpc::Status ExportClientRecord(
      grpc::ServerContext* context,
      const v1::ExportClientRecordRequest* request,
      v1::ExportClientRecordResponse* response) override;
  grpc::Status ClientAccessReport(
      grpc::ServerContext* context,
      const v1::ClientAccessReportRequest* request,
      v1::ClientAccessReportResponse* response) override;
  grpc::Status ListExceptions(grpc::ServerContext* context,
                              const v1::ListExceptionsRequest* request,
                              v1::ListExceptionsResponse* response) override;
  grpc::Status GetCheckpoint(grpc::ServerContext* context,
                             const v1::GetCheckpointRequest* request,
                             v1::Checkpoint* response) override;
  grpc::Status CheckCheckpoint(grpc::ServerContext* context,
                               const v1::CheckCheckpointRequest* request,
                               v1::CheckCheckpointResponse* response) override;
  grpc::Status GetPublicKey(grpc::ServerContext* context,
                            const v1::GetPublicKeyRequest* request,
                            v1::PublicKey* response) override;
  grpc::Status GetLogCheckpoint(grpc::ServerContext* context,
                                const v1::GetLogCheckpointRequest* request,
                                v1::LogCheckpoint* response) override;
  grpc::Status GetInclusionProof(grpc::ServerContext* context,
                                 const v1::GetInclusionProofRequest* request,
                                 v1::InclusionProof* response) override;
  grpc::Status GetConsistencyProof(
      grpc::ServerContext* context,
      const v1::GetConsistencyProofRequest* request,
      v1::ConsistencyProof* response) override;
  // witness_calls.cc
  grpc::Status AddLogCosignature(grpc::ServerContext* context,
                                 const v1::AddLogCosignatureRequest* request,
                                 v1::LogCheckpoint* response) override;
  grpc::Status OpenRecallCase(grpc::ServerContext* context,
                              const v1::OpenRecallCaseRequest* request,
                              v1::RecallCase* response) override;
  grpc::Status RecordNotification(grpc::ServerContext* context,
                                  const v1::RecordNotificationRequest* request,
                                  v1::RecallCase* response) override;
  grpc::Status CloseRecallCase(grpc::ServerContext* context,
                               const v1::CloseRecallCaseRequest* request,
                               v1::RecallCase* response) override;
  grpc::Status GetRecallCase(grpc::ServerContext* context,
                             const v1::GetRecallCaseRequest* request,
                             v1::RecallCase* response) override;
  grpc::Status ListRecallCases(grpc::ServerContext* context,
                               const v1::ListRecallCasesRequest* request,
                               v1::ListRecallCasesResponse* response) override;
  grpc::Status GetRecallWorksheet(grpc::ServerContext* context,
                                  const v1::GetRecallWorksheetRequest* request,
                                  v1::RecallWorksheet* response) override;
  grpc::Status GetInspectionRecord(
      grpc::ServerContext* context,
      const v1::GetInspectionRecordRequest* request,
      v1::InspectionRecord* response) override;
  grpc::Status Export(grpc::ServerContext* context,
                      const v1::ExportRequest* request,
                      grpc::ServerWriter<v1::ExportChunk>* writer) override;
  // Recall intake (recall_intake_calls.cc).
  grpc::Status ImportRecallNotices(
      grpc::ServerContext* context,
      const v1::ImportRecallNoticesRequest* request,
      v1::ImportRecallNoticesResponse* response) override;
  grpc::Status ListRecallCandidates(
      grpc::ServerContext* context,
      const v1::ListRecallCandidatesRequest* request,
      v1::ListRecallCandidatesResponse* response) override;
  grpc::Status ConfirmRecallCandidate(
      grpc::ServerContext* context,
      const v1::ConfirmRecallCandidateRequest* request,
      v1::ConfirmRecallCandidateResponse* response) override;
  grpc::Status DismissRecallCandidate(
      grpc::ServerContext* context,
      const v1::DismissRecallCandidateRequest* request,
      v1::RecallCandidate* response) override;

 private:
  // The proof and sheet of a closed session's certificate; nullopt for an
  // open session or one closed before certificates carried proofs.
  absl::StatusOr<std::optional<ProvedCertificate>> ProveSessionCertificate(
      const storage::Reader& snapshot, const v1::SterilityRecord& record) const;

  const query::Reads& reads_;
  const Commands& commands_;
  const storage::CheckpointKey& key_;
  const Clock& clock_;
  const ClinicOptions clinic_;
  const std::string witness_keys_file_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_AUDIT_SERVICE_H_
