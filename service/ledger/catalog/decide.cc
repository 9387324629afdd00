#include "service/ledger/catalog/decide.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/versions.h"

namespace smptrace::ledger {
namespace {

using domain::IdKind;

// A room or store must hang under an existing clinic; a clinic under
// nothing (checked by the API).
absl::Status CheckParent(const DecisionContext& ctx,
                         const v1::Location& location) {
  if (location.kind() == v1::LOCATION_KIND_CLINIC) return absl::OkStatus();
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t parent_number,
      domain::ParseId(IdKind::kLocation, location.parent_id(),
                      "location.parent_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto parent,
                            ReadLocation(ctx.state, parent_number));
  if (!parent.has_value()) {
    return absl::NotFoundError(absl::StrCat("location.parent_id: location ",
                                            location.parent_id(),
                                            " does not exist"));
  }
  if (parent->kind() != v1::LOCATION_KIND_CLINIC) {
    return absl::FailedPreconditionError(absl::StrCat(
        "location.parent_id: ", location.parent_id(), " (", parent->name(),
        ") is not a clinic; rooms and stores belong to a clinic"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Decision> DecideCreateProduct(
    const DecisionContext& ctx, const v1::CreateProductRequest& r) {
  const std::string& gtin = r.product().gtin();
  SMPTRACE_ASSIGN_OR_RETURN(auto existing, ReadProduct(ctx.state, gtin));
  if (existing.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "product ", gtin, " already exists (", existing->name(), ", version ",
        existing->version(), "); use update to change it"));
  }
  Decision d;
  v1::Product* product = d.event.mutable_product_recorded()->mutable_product();
  *product = r.product();
  Stamp(ctx, 1, product);
  *d.result.mutable_product() = *product;
  return d;
}

absl::StatusOr<Decision> DecideUpdateProduct(
    const DecisionContext& ctx, const v1::UpdateProductRequest& r) {
  const std::string& gtin = r.product().gtin();
  SMPTRACE_ASSIGN_OR_RETURN(auto current, ReadProduct(ctx.state, gtin));
  if (!current.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("product ", gtin, " does not exist"));
  }
  if (current->kind() != r.product().kind()) {
    return absl::InvalidArgumentError(
        absl::StrCat("product.kind: cannot change from ",
                     v1::ProductKind_Name(current->kind()), " to ",
                     v1::ProductKind_Name(r.product().kind()),
                     "; create a new product instead"));
  }
  SMPTRACE_RETURN_IF_ERROR(CheckExpectedVersion(
      "product", gtin, r.expected_version(), current->version()));
  Decision d;
  v1::Product* product = d.event.mutable_product_recorded()->mutable_product();
  *product = r.product();
  Stamp(ctx, current->version() + 1, product);
  *d.result.mutable_product() = *product;
  return d;
}

absl::StatusOr<Decision> DecideCreateSupplier(
    const DecisionContext& ctx, const v1::CreateSupplierRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last, LastSupplierNumber(ctx.state));
  Decision d;
  v1::Supplier* supplier =
      d.event.mutable_supplier_recorded()->mutable_supplier();
  *supplier = r.supplier();
  supplier->set_supplier_id(domain::FormatId(IdKind::kSupplier, last + 1));
  Stamp(ctx, 1, supplier);
  *d.result.mutable_supplier() = *supplier;
  return d;
}

absl::StatusOr<Decision> DecideUpdateSupplier(
    const DecisionContext& ctx, const v1::UpdateSupplierRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t number,
      domain::ParseId(IdKind::kSupplier, r.supplier().supplier_id(),
                      "supplier.supplier_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto current, ReadSupplier(ctx.state, number));
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "supplier ", r.supplier().supplier_id(), " does not exist"));
  }
  SMPTRACE_RETURN_IF_ERROR(
      CheckExpectedVersion("supplier", current->supplier_id(),
                           r.expected_version(), current->version()));
  Decision d;
  v1::Supplier* supplier =
      d.event.mutable_supplier_recorded()->mutable_supplier();
  *supplier = r.supplier();
  supplier->set_supplier_id(current->supplier_id());
  Stamp(ctx, current->version() + 1, supplier);
  *d.result.mutable_supplier() = *supplier;
  return d;
}

absl::StatusOr<Decision> DecideCreateLocation(
    const DecisionContext& ctx, const v1::CreateLocationRequest& r) {
  SMPTRACE_RETURN_IF_ERROR(CheckParent(ctx, r.location()));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last, LastLocationNumber(ctx.state));
  Decision d;
  v1::Location* location =
      d.event.mutable_location_recorded()->mutable_location();
  *location = r.location();
  location->set_location_id(domain::FormatId(IdKind::kLocation, last + 1));
  if (!location->parent_id().empty()) {
    // Canonical spelling, whatever case the caller typed.
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t parent,
        domain::ParseId(IdKind::kLocation, location->parent_id(),
                        "location.parent_id"));
    location->set_parent_id(domain::FormatId(IdKind::kLocation, parent));
  }
  Stamp(ctx, 1, location);
  *d.result.mutable_location() = *location;
  return d;
}

absl::StatusOr<Decision> DecideUpdateLocation(
    const DecisionContext& ctx, const v1::UpdateLocationRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t number,
      domain::ParseId(IdKind::kLocation, r.location().location_id(),
                      "location.location_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto current, ReadLocation(ctx.state, number));
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "location ", r.location().location_id(), " does not exist"));
  }
  if (current->kind() != r.location().kind()) {
    return absl::InvalidArgumentError(
        absl::StrCat("location.kind: cannot change from ",
                     v1::LocationKind_Name(current->kind()), " to ",
                     v1::LocationKind_Name(r.location().kind())));
  }
  SMPTRACE_RETURN_IF_ERROR(CheckParent(ctx, r.location()));
  SMPTRACE_RETURN_IF_ERROR(
      CheckExpectedVersion("location", current->location_id(),
                           r.expected_version(), current->version()));
  Decision d;
  v1::Location* location =
      d.event.mutable_location_recorded()->mutable_location();
  *location = r.location();
  location->set_location_id(current->location_id());
  if (!location->parent_id().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t parent,
        domain::ParseId(IdKind::kLocation, location->parent_id(),
                        "location.parent_id"));
    if (parent == number) {
      return absl::InvalidArgumentError(
          "location.parent_id: a location cannot be its own parent");
    }
    location->set_parent_id(domain::FormatId(IdKind::kLocation, parent));
  }
  Stamp(ctx, current->version() + 1, location);
  *d.result.mutable_location() = *location;
  return d;
}

}  // namespace smptrace::ledger
