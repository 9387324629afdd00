// AuditService: read-only proofs over the record.
#ifndef SMPTRACE_SERVICE_API_AUDIT_SERVICE_H_
#define SMPTRACE_SERVICE_API_AUDIT_SERVICE_H_

#include "service/ledger/ledger.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::api {

// The API form of a storage verification (shared with the offline CLI).
v1::VerifyJournalResponse ToProto(const storage::JournalVerification& v);

class AuditService final : public v1::AuditService::Service {
 public:
  // REQUIRES: store and ledger outlive the service.
  AuditService(const storage::Store* store, ledger::Ledger* ledger)
      : store_(*store), ledger_(*ledger) {}

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
  grpc::Status ListExceptions(grpc::ServerContext* context,
                              const v1::ListExceptionsRequest* request,
                              v1::ListExceptionsResponse* response) override;

 private:
  const storage::Store& store_;
  ledger::Ledger& ledger_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_AUDIT_SERVICE_H_
