// InventoryService: receiving, lot status, discards, count adjustments,
// transfers, stock queries and labels. Each RPC checks the request's shape
// (inventory_validation.h), then hands it to the ledger (writes) or reads a
// snapshot (queries); no rules live here.
#ifndef SMPTRACE_SERVICE_API_INVENTORY_SERVICE_H_
#define SMPTRACE_SERVICE_API_INVENTORY_SERVICE_H_

#include "absl/time/time.h"
#include "common/clock.h"
#include "service/api/command_call.h"
#include "service/api/inventory_validation.h"
#include "service/ledger/ledger.h"
#include "service/query/reads.h"
#include "smptrace/v1/inventory.grpc.pb.h"

namespace smptrace::api {

class InventoryService final : public v1::InventoryService::Service {
 public:
  // REQUIRES: ledger, store and clock outlive the service.
  InventoryService(const Commands* commands, const query::Reads* reads,
                   const Clock* clock, ClinicOptions options)
      : commands_(*commands),
        reads_(*reads),
        clock_(*clock),
        options_(options) {}

  grpc::Status Receive(grpc::ServerContext* context,
                       const v1::ReceiveRequest* request,
                       v1::ReceiveResponse* response) override;
  grpc::Status SetLotStatus(grpc::ServerContext* context,
                            const v1::SetLotStatusRequest* request,
                            v1::Lot* response) override;
  grpc::Status Discard(grpc::ServerContext* context,
                       const v1::DiscardRequest* request,
                       v1::DiscardResponse* response) override;
  grpc::Status AdjustStock(grpc::ServerContext* context,
                           const v1::AdjustStockRequest* request,
                           v1::AdjustStockResponse* response) override;
  grpc::Status Transfer(grpc::ServerContext* context,
                        const v1::TransferRequest* request,
                        v1::TransferResponse* response) override;

  grpc::Status GetStock(grpc::ServerContext* context,
                        const v1::GetStockRequest* request,
                        v1::GetStockResponse* response) override;
  grpc::Status ListExpiring(grpc::ServerContext* context,
                            const v1::ListExpiringRequest* request,
                            v1::ListExpiringResponse* response) override;
  grpc::Status GetLot(grpc::ServerContext* context,
                      const v1::GetLotRequest* request,
                      v1::GetLotResponse* response) override;
  grpc::Status GetUnit(grpc::ServerContext* context,
                       const v1::GetUnitRequest* request,
                       v1::Unit* response) override;
  grpc::Status PrintLabels(grpc::ServerContext* context,
                           const v1::PrintLabelsRequest* request,
                           v1::PrintLabelsResponse* response) override;

  grpc::Status SetReorderPolicy(grpc::ServerContext* context,
                                const v1::SetReorderPolicyRequest* request,
                                v1::ReorderPolicy* response) override;
  grpc::Status ListReorderPolicies(
      grpc::ServerContext* context,
      const v1::ListReorderPoliciesRequest* request,
      v1::ListReorderPoliciesResponse* response) override;
  grpc::Status SuggestReorder(grpc::ServerContext* context,
                              const v1::SuggestReorderRequest* request,
                              v1::SuggestReorderResponse* response) override;
  grpc::Status CreatePurchaseOrder(
      grpc::ServerContext* context,
      const v1::CreatePurchaseOrderRequest* request,
      v1::PurchaseOrder* response) override;
  grpc::Status EditPurchaseOrder(grpc::ServerContext* context,
                                 const v1::EditPurchaseOrderRequest* request,
                                 v1::PurchaseOrder* response) override;
  grpc::Status SubmitPurchaseOrder(
      grpc::ServerContext* context,
      const v1::SubmitPurchaseOrderRequest* request,
      v1::PurchaseOrder* response) override;
  grpc::Status CancelPurchaseOrder(
      grpc::ServerContext* context,
      const v1::CancelPurchaseOrderRequest* request,
      v1::PurchaseOrder* response) override;
  grpc::Status GetPurchaseOrder(grpc::ServerContext* context,
                                const v1::GetPurchaseOrderRequest* request,
                                v1::PurchaseOrder* response) override;
  grpc::Status ListPurchaseOrders(
      grpc::ServerContext* context,
      const v1::ListPurchaseOrdersRequest* request,
      v1::ListPurchaseOrdersResponse* response) override;
  grpc::Status GetUsage(grpc::ServerContext* context,
                        const v1::GetUsageRequest* request,
                        v1::GetUsageResponse* response) override;

 private:
  absl::CivilDay Today() const;

  const Commands& commands_;
  const query::Reads& reads_;
  const Clock& clock_;
  ClinicOptions options_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_INVENTORY_SERVICE_H_
