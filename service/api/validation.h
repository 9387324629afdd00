// Shape checks on requests, before anything reaches the ledger: required
// fields, lengths, enums, check digits. Each error is InvalidArgument and
// starts with the field's path ("product.gtin: ..."). Checks that need state
// (already exists, parent is a clinic) are the ledger's.
#ifndef SMPTRACE_SERVICE_API_VALIDATION_H_
#define SMPTRACE_SERVICE_API_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/domain/ids.h"
#include "smptrace/v1/admin.pb.h"
#include "smptrace/v1/catalog.pb.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::api {

// Present and at most 128 characters of an identifier (ValidateIdentifier).
absl::Status ValidateRequestId(absl::string_view request_id);

// The one owner of "required text". Free text: `min`..`max` characters
// (UTF-8 bytes), no C0/C1 control characters. With `min` > 0 the value is
// required, and a value with nothing visible in it (only ASCII or Unicode
// spaces such as U+00A0 and U+3000, or invisible characters) counts as
// missing: "reason: required (only blank characters given)". The value is
// kept as given.
absl::Status ValidateText(absl::string_view field, absl::string_view value,
                          size_t min, size_t max);

// The one owner of "identifier characters". A required identifier or code
// as typed (client code, lot number, serial, token id, a name used as a
// key): 1..`max` bytes, not blank, no white space at either end, and no
// control, bidirectional-control or invisible character anywhere (see
// domain/text.h); the message names the field, the character and its
// position. Everything else is kept exactly as given: a lot number is
// matched as printed (GS1 AI 10 has its own character set).
absl::Status ValidateIdentifier(absl::string_view field,
                                absl::string_view value, size_t max);

// Lengths of codes as GS1 prints them: AI (10) lot, AI (21) serial; and of
// one scanned barcode (a GS1 DataMatrix carries well under 200 characters).
inline constexpr size_t kMaxLotLength = 20;
inline constexpr size_t kMaxSerialLength = 20;
inline constexpr size_t kMaxBarcodeLength = 200;

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
// A page of a list paged by server-assigned id: its size (PageSize) and
// the number of the id in page.page_token (the last item of the previous
// page), 0 for the first page; InvalidArgument if the token is not one this
// list returned.
struct IdPage {
  int limit = 0;
  uint64_t after = 0;
};
absl::StatusOr<IdPage> PageById(domain::IdKind kind,
                                const v1::PageRequest& page);

// Validates a product and normalises it in place (GTIN to 14 digits).
absl::Status NormalizeProduct(v1::Product* product);
// A pigment's REACH label (catalog.proto InkLabel): InvalidArgument naming
// the field ("product.ink_label.ingredients[2].name: blank ...").
absl::Status ValidateInkLabel(const v1::InkLabel& label);
absl::Status NormalizeSupplier(v1::Supplier* supplier);
absl::Status NormalizeLocation(v1::Location* location);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_VALIDATION_H_
