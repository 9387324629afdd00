// SessionService (clients and procedures) and DisposalService (sharps
// containers). Each RPC checks the request's shape (session_validation.h),
// parses its barcode, then hands it to the ledger or reads the state; no
// rules live here.
#ifndef SMPTRACE_SERVICE_API_SESSION_SERVICE_H_
#define SMPTRACE_SERVICE_API_SESSION_SERVICE_H_

#include "common/clock.h"
#include "service/api/command_call.h"
#include "service/api/inventory_validation.h"
#include "service/ledger/ledger.h"
#include "service/query/reads.h"
#include "smptrace/v1/session.grpc.pb.h"

namespace smptrace::api {

class SessionService final : public v1::SessionService::Service {
 public:
  // REQUIRES: ledger, store and clock outlive the service.
  SessionService(const Commands* commands, const query::Reads* reads,
                 const Clock* clock, ClinicOptions clinic)
      : commands_(*commands), reads_(*reads), clock_(*clock), clinic_(clinic) {}

  grpc::Status CreateClient(grpc::ServerContext* context,
                            const v1::CreateClientRequest* request,
                            v1::Client* response) override;
  grpc::Status GetClient(grpc::ServerContext* context,
                         const v1::GetClientRequest* request,
                         v1::Client* response) override;
  grpc::Status ApproveScreeningOverride(
      grpc::ServerContext* context,
      const v1::ApproveScreeningOverrideRequest* request,
      v1::ScreeningOverrideApproval* response) override;
  grpc::Status UpdateClientContact(
      grpc::ServerContext* context,
      const v1::UpdateClientContactRequest* request,
      v1::Client* response) override;
  grpc::Status GetConsent(grpc::ServerContext* context,
                          const v1::GetConsentRequest* request,
                          v1::ConsentStatus* response) override;
  grpc::Status RecordConsent(grpc::ServerContext* context,
                             const v1::RecordConsentRequest* request,
                             v1::ConsentStatus* response) override;
  grpc::Status GetInkDisclosure(grpc::ServerContext* context,
                                const v1::GetInkDisclosureRequest* request,
                                v1::InkDisclosure* response) override;
  grpc::Status RecordInkDisclosure(
      grpc::ServerContext* context,
      const v1::RecordInkDisclosureRequest* request,
      v1::InkDisclosureRecord* response) override;
  grpc::Status ListClients(grpc::ServerContext* context,
                           const v1::ListClientsRequest* request,
                           v1::ListClientsResponse* response) override;
  grpc::Status ListSessions(grpc::ServerContext* context,
                            const v1::ListSessionsRequest* request,
                            v1::ListSessionsResponse* response) override;
  grpc::Status StartSession(grpc::ServerContext* context,
                            const v1::StartSessionRequest* request,
                            v1::Session* response) override;
  grpc::Status ScanConsumable(grpc::ServerContext* context,
                              const v1::ScanConsumableRequest* request,
                              v1::ScanConsumableResponse* response) override;
  grpc::Status OpenPigmentBottle(grpc::ServerContext* context,
                                 const v1::OpenPigmentBottleRequest* request,
                                 v1::Unit* response) override;
  grpc::Status VoidScan(grpc::ServerContext* context,
                        const v1::VoidScanRequest* request,
                        v1::Session* response) override;
  grpc::Status CloseSession(grpc::ServerContext* context,
                            const v1::CloseSessionRequest* request,
                            v1::Session* response) override;
  grpc::Status AbortSession(grpc::ServerContext* context,
                            const v1::AbortSessionRequest* request,
                            v1::Session* response) override;
  grpc::Status GetSession(grpc::ServerContext* context,
                          const v1::GetSessionRequest* request,
                          v1::GetSessionResponse* response) override;
  grpc::Status EraseClient(grpc::ServerContext* context,
                           const v1::EraseClientRequest* request,
                           v1::Client* response) override;
  grpc::Status PlaceLegalHold(grpc::ServerContext* context,
                              const v1::PlaceLegalHoldRequest* request,
                              v1::LegalHold* response) override;
  grpc::Status ReleaseLegalHold(grpc::ServerContext* context,
                                const v1::ReleaseLegalHoldRequest* request,
                                v1::LegalHold* response) override;
  grpc::Status ListLegalHolds(grpc::ServerContext* context,
                              const v1::ListLegalHoldsRequest* request,
                              v1::ListLegalHoldsResponse* response) override;
  grpc::Status ListRetentionDue(
      grpc::ServerContext* context, const v1::ListRetentionDueRequest* request,
      v1::ListRetentionDueResponse* response) override;
  grpc::Status RunRetention(grpc::ServerContext* context,
                            const v1::RunRetentionRequest* request,
                            v1::RunRetentionResponse* response) override;
  grpc::Status ApproveRetentionErasure(
      grpc::ServerContext* context,
      const v1::ApproveRetentionErasureRequest* request,
      v1::Client* response) override;

 private:
  // The ledger's answer with the client's contact details (or its sealed
  // screening, or a hold's sealed reason) opened: a reply never carries
  // sealed bytes.
  absl::Status OpenClient(v1::CommandResult& result,
                          v1::Client* response) const;
  absl::Status OpenSession(v1::CommandResult& result,
                           v1::Session* response) const;
  absl::Status OpenHold(v1::CommandResult& result,
                        v1::LegalHold* response) const;

  const Commands& commands_;
  const query::Reads& reads_;
  const Clock& clock_;
  ClinicOptions clinic_;
};

class DisposalService final : public v1::DisposalService::Service {
 public:
  DisposalService(const Commands* commands, const query::Reads* reads,
                  const Clock* clock, ClinicOptions clinic)
      : commands_(*commands), reads_(*reads), clock_(*clock), clinic_(clinic) {}

  grpc::Status OpenContainer(grpc::ServerContext* context,
                             const v1::OpenContainerRequest* request,
                             v1::Container* response) override;
  grpc::Status Dispose(grpc::ServerContext* context,
                       const v1::DisposeRequest* request,
                       v1::DisposeResponse* response) override;
  grpc::Status SealContainer(grpc::ServerContext* context,
                             const v1::SealContainerRequest* request,
                             v1::Container* response) override;
  grpc::Status PickUpContainer(grpc::ServerContext* context,
                               const v1::PickUpContainerRequest* request,
                               v1::Container* response) override;
  grpc::Status ListContainers(grpc::ServerContext* context,
                              const v1::ListContainersRequest* request,
                              v1::ListContainersResponse* response) override;
  grpc::Status GetContainer(grpc::ServerContext* context,
                            const v1::GetContainerRequest* request,
                            v1::GetContainerResponse* response) override;

 private:
  const Commands& commands_;
  const query::Reads& reads_;
  const Clock& clock_;
  ClinicOptions clinic_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_SESSION_SERVICE_H_
