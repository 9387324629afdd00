// CatalogService: products, suppliers and locations. Each RPC validates the
// request's shape, calls the ledger (writes) or reads the state (reads), and
// converts the status; no rules live here.
#ifndef SMPTRACE_SERVICE_API_CATALOG_SERVICE_H_
#define SMPTRACE_SERVICE_API_CATALOG_SERVICE_H_

#include "service/api/command_call.h"
#include "service/ledger/ledger.h"
#include "service/query/reads.h"
#include "smptrace/v1/catalog.grpc.pb.h"

namespace smptrace::api {

class CatalogService final : public v1::CatalogService::Service {
 public:
  // REQUIRES: ledger and store outlive the service.
  CatalogService(const Commands* commands, const query::Reads* reads)
      : commands_(*commands), reads_(*reads) {}

  grpc::Status CreateProduct(grpc::ServerContext* context,
                             const v1::CreateProductRequest* request,
                             v1::Product* response) override;
  grpc::Status UpdateProduct(grpc::ServerContext* context,
                             const v1::UpdateProductRequest* request,
                             v1::Product* response) override;
  grpc::Status GetProduct(grpc::ServerContext* context,
                          const v1::GetProductRequest* request,
                          v1::Product* response) override;
  grpc::Status ListProducts(grpc::ServerContext* context,
                            const v1::ListProductsRequest* request,
                            v1::ListProductsResponse* response) override;

  grpc::Status CreateSupplier(grpc::ServerContext* context,
                              const v1::CreateSupplierRequest* request,
                              v1::Supplier* response) override;
  grpc::Status UpdateSupplier(grpc::ServerContext* context,
                              const v1::UpdateSupplierRequest* request,
                              v1::Supplier* response) override;
  grpc::Status GetSupplier(grpc::ServerContext* context,
                           const v1::GetSupplierRequest* request,
                           v1::Supplier* response) override;
  grpc::Status ListSuppliers(grpc::ServerContext* context,
                             const v1::ListSuppliersRequest* request,
                             v1::ListSuppliersResponse* response) override;

  grpc::Status CreateLocation(grpc::ServerContext* context,
                              const v1::CreateLocationRequest* request,
                              v1::Location* response) override;
  grpc::Status UpdateLocation(grpc::ServerContext* context,
                              const v1::UpdateLocationRequest* request,
                              v1::Location* response) override;
  grpc::Status GetLocation(grpc::ServerContext* context,
                           const v1::GetLocationRequest* request,
                           v1::Location* response) override;
  grpc::Status ListLocations(grpc::ServerContext* context,
                             const v1::ListLocationsRequest* request,
                             v1::ListLocationsResponse* response) override;

 private:
  const Commands& commands_;
  const query::Reads& reads_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CATALOG_SERVICE_H_
