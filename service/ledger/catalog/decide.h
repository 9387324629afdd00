// Decisions for the catalogue's commands: products, suppliers, locations.
// Each checks the command against the state and returns the event to record.
#ifndef SMPTRACE_SERVICE_LEDGER_CATALOG_DECIDE_H_
#define SMPTRACE_SERVICE_LEDGER_CATALOG_DECIDE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/catalog.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

// AlreadyExists if the GTIN is taken.
absl::StatusOr<Decision> DecideCreateProduct(const DecisionContext& ctx,
                                             const v1::CreateProductRequest& r);
// NotFound if the GTIN is unknown; InvalidArgument if the kind would change;
// Aborted if expected_version is set and stale.
absl::StatusOr<Decision> DecideUpdateProduct(const DecisionContext& ctx,
                                             const v1::UpdateProductRequest& r);
absl::StatusOr<Decision> DecideCreateSupplier(
    const DecisionContext& ctx, const v1::CreateSupplierRequest& r);
// NotFound if unknown; Aborted if expected_version is set and stale.
absl::StatusOr<Decision> DecideUpdateSupplier(
    const DecisionContext& ctx, const v1::UpdateSupplierRequest& r);
// NotFound if the parent is unknown; FailedPrecondition if it is not a
// clinic.
absl::StatusOr<Decision> DecideCreateLocation(
    const DecisionContext& ctx, const v1::CreateLocationRequest& r);
absl::StatusOr<Decision> DecideUpdateLocation(
    const DecisionContext& ctx, const v1::UpdateLocationRequest& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CATALOG_DECIDE_H_
