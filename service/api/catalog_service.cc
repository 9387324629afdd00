#include "service/api/catalog_service.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/api/command_call.h"
#include "service/api/status.h"
#include "service/api/validation.h"
#include "service/domain/gs1.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"

namespace smptrace::api {
namespace {

using domain::IdKind;

template <typename T>
absl::Status Found(const absl::StatusOr<std::optional<T>>& record,
                   absl::string_view what, absl::string_view id,
                   int64_t version, T* out) {
  SMPTRACE_RETURN_IF_ERROR(record.status());
  if (!record->has_value()) {
    return absl::NotFoundError(
        version == 0
            ? absl::StrCat(what, " ", id, " does not exist")
            : absl::StrCat(what, " ", id, " has no version ", version));
  }
  *out = **record;
  return absl::OkStatus();
}

absl::Status CheckVersion(int64_t version) {
  if (version < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "version: must be 0 (current) or positive, got ", version));
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status CatalogService::CreateProduct(
    grpc::ServerContext* context, const v1::CreateProductRequest* request,
    v1::Product* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_create_product() = *request;
        return NormalizeProduct(c.mutable_create_product()->mutable_product());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_product());
      });
}

grpc::Status CatalogService::UpdateProduct(
    grpc::ServerContext* context, const v1::UpdateProductRequest* request,
    v1::Product* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_update_product() = *request;
        return NormalizeProduct(c.mutable_update_product()->mutable_product());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_product());
      });
}

grpc::Status CatalogService::GetProduct(grpc::ServerContext*,
                                        const v1::GetProductRequest* request,
                                        v1::Product* response) {
  auto status = [&]() -> absl::Status {
    auto gtin = domain::NormalizeGtin(request->gtin());
    if (!gtin.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("gtin: ", gtin.status().message()));
    }
    SMPTRACE_RETURN_IF_ERROR(CheckVersion(request->version()));
    return Found(
        ledger::ReadProduct(reads_.Latest(), *gtin, request->version()),
        "product", *gtin, request->version(), response);
  }();
  return ToGrpcStatus(status);
}

grpc::Status CatalogService::ListProducts(
    grpc::ServerContext*, const v1::ListProductsRequest* request,
    v1::ListProductsResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(int limit, PageSize(request->page()));
    const std::string& after = request->page().page_token();
    if (!after.empty() && !domain::NormalizeGtin(after).ok()) {
      return absl::InvalidArgumentError(
          "page.page_token: not a token this list returned");
    }
    if (!v1::ProductKind_IsValid(request->kind())) {
      return absl::InvalidArgumentError("kind: unknown product kind");
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        auto page, ledger::ListProducts(*reads_.Snapshot(), after, limit,
                                        request->kind()));
    for (auto& p : page.items) *response->add_products() = std::move(p);
    response->set_next_page_token(page.next_after);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status CatalogService::CreateSupplier(
    grpc::ServerContext* context, const v1::CreateSupplierRequest* request,
    v1::Supplier* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_create_supplier() = *request;
        c.mutable_create_supplier()->mutable_supplier()->clear_supplier_id();
        return NormalizeSupplier(
            c.mutable_create_supplier()->mutable_supplier());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_supplier());
      });
}

grpc::Status CatalogService::UpdateSupplier(
    grpc::ServerContext* context, const v1::UpdateSupplierRequest* request,
    v1::Supplier* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_update_supplier() = *request;
        return NormalizeSupplier(
            c.mutable_update_supplier()->mutable_supplier());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_supplier());
      });
}

grpc::Status CatalogService::GetSupplier(grpc::ServerContext*,
                                         const v1::GetSupplierRequest* request,
                                         v1::Supplier* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t id, domain::ParseId(IdKind::kSupplier, request->supplier_id(),
                                     "supplier_id"));
    SMPTRACE_RETURN_IF_ERROR(CheckVersion(request->version()));
    return Found(ledger::ReadSupplier(reads_.Latest(), id, request->version()),
                 "supplier", domain::FormatId(IdKind::kSupplier, id),
                 request->version(), response);
  }();
  return ToGrpcStatus(status);
}

grpc::Status CatalogService::ListSuppliers(
    grpc::ServerContext*, const v1::ListSuppliersRequest* request,
    v1::ListSuppliersResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(const IdPage window,
                              PageById(IdKind::kSupplier, request->page()));
    SMPTRACE_ASSIGN_OR_RETURN(
        auto page,
        ledger::ListSuppliers(*reads_.Snapshot(), window.after, window.limit));
    for (auto& s : page.items) *response->add_suppliers() = std::move(s);
    response->set_next_page_token(page.next_after);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status CatalogService::CreateLocation(
    grpc::ServerContext* context, const v1::CreateLocationRequest* request,
    v1::Location* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_create_location() = *request;
        c.mutable_create_location()->mutable_location()->clear_location_id();
        return NormalizeLocation(
            c.mutable_create_location()->mutable_location());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_location());
      });
}

grpc::Status CatalogService::UpdateLocation(
    grpc::ServerContext* context, const v1::UpdateLocationRequest* request,
    v1::Location* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_update_location() = *request;
        return NormalizeLocation(
            c.mutable_update_location()->mutable_location());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_location());
      });
}

grpc::Status CatalogService::GetLocation(grpc::ServerContext*,
                                         const v1::GetLocationRequest* request,
                                         v1::Location* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t id, domain::ParseId(IdKind::kLocation, request->location_id(),
                                     "location_id"));
    SMPTRACE_RETURN_IF_ERROR(CheckVersion(request->version()));
    return Found(ledger::ReadLocation(reads_.Latest(), id, request->version()),
                 "location", domain::FormatId(IdKind::kLocation, id),
                 request->version(), response);
  }();
  return ToGrpcStatus(status);
}

grpc::Status CatalogService::ListLocations(
    grpc::ServerContext*, const v1::ListLocationsRequest* request,
    v1::ListLocationsResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(const IdPage window,
                              PageById(IdKind::kLocation, request->page()));
    uint64_t parent = 0;
    if (!request->parent_id().empty()) {
      SMPTRACE_ASSIGN_OR_RETURN(
          parent, domain::ParseId(IdKind::kLocation, request->parent_id(),
                                  "parent_id"));
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        auto page, ledger::ListLocations(*reads_.Snapshot(), window.after,
                                         window.limit, parent));
    for (auto& l : page.items) *response->add_locations() = std::move(l);
    response->set_next_page_token(page.next_after);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace smptrace::api
