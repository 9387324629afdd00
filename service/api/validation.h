// Shape checks on requests, before anything reaches the ledger: required
// fields, lengths, enums, check digits. Each error is InvalidArgument and
// starts with the field's path ("product.gtin: ..."). Checks that need state
// (already exists, parent is a clinic) are the ledger's.
#ifndef SMPTRACE_SERVICE_API_VALIDATION_H_
#define SMPTRACE_SERVICE_API_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "smptrace/v1/admin.pb.h"
#include "smptrace/v1/catalog.pb.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::api {

// Present and at most 128 characters.
absl::Status ValidateRequestId(absl::string_view request_id);

// Free text: `min`..`max` characters (UTF-8 bytes), no control characters.
absl::Status ValidateText(absl::string_view field, absl::string_view value,
                          size_t min, size_t max);

// A principal's name: 1..64 of a-z 0-9 . _ -, starting with a letter or
// digit.
absl::Status ValidatePrincipalName(absl::string_view field,
                                   absl::string_view name);
absl::Status ValidateCreatePrincipal(const v1::CreatePrincipalRequest& r);
absl::Status ValidateIssueToken(const v1::IssueTokenRequest& r);
absl::Status ValidateRevokeToken(const v1::RevokeTokenRequest& r);
absl::Status ValidateDisablePrincipal(const v1::DisablePrincipalRequest& r);

// The page size to use (default 100, at most 1000).
absl::StatusOr<int> PageSize(const v1::PageRequest& page);

// Validates a product and normalises it in place (GTIN to 14 digits).
absl::Status NormalizeProduct(v1::Product* product);
absl::Status NormalizeSupplier(v1::Supplier* supplier);
absl::Status NormalizeLocation(v1::Location* location);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_VALIDATION_H_
