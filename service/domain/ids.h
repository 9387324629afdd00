// Server-assigned identifiers as people see them ("LOC-000003") and as keys
// store them (3). One table of prefixes, so every id reads the same way.
#ifndef SMPTRACE_SERVICE_DOMAIN_IDS_H_
#define SMPTRACE_SERVICE_DOMAIN_IDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace smptrace::domain {

enum class IdKind {
  kSupplier,       // SUP-000001
  kLocation,       // LOC-000001
  kClient,         // CLI-000001
  kSession,        // SES-000001
  kContainer,      // SHC-000001 (sharps container)
  kPurchaseOrder,  // PO-000001
  kRecallCase,     // RC-000001
  kToken,          // TOK-000001 (a bearer token's public id)
  // OVR-000001 (a manager's screening override approval)
  kOverrideApproval,
  kLegalHold,        // HOLD-000001
  kRecallCandidate,  // RCN-000001 (a recall notice matched, to confirm)
};

// "SUP", "LOC", ...
std::string_view IdPrefix(IdKind kind);

// REQUIRES: n >= 1. At least six digits, more when needed: "LOC-000042".
std::string FormatId(IdKind kind, uint64_t n);

// The number inside an id of `kind`. Accepts the prefix in any case.
// InvalidArgument naming `field` and the expected shape otherwise:
//   "location.parent_id: 'ROOM1' is not a location id (expected LOC-000001)".
absl::StatusOr<uint64_t> ParseId(IdKind kind, std::string_view text,
                                 std::string_view field);

// The serial smptrace gives the n-th unit that arrived without one, and
// prints on its label: "SMP000000042" (GS1 AI 21 allows 20 characters).
// REQUIRES: n >= 1.
std::string MintedSerial(uint64_t n);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_IDS_H_
