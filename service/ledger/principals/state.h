// Principals' and tokens' state as the ledger stored it: what the
// authentication step and the admin service read.
#ifndef SMPTRACE_SERVICE_LEDGER_PRINCIPALS_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_PRINCIPALS_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/ledger/records.h"
#include "smptrace/v1/admin.pb.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

inline constexpr NumberedRecord kTokenRecord{storage::keys::StateTag::kToken,
                                             domain::IdKind::kToken, "token"};

// The principal named `name` (without its tokens), nullopt if none.
absl::StatusOr<std::optional<v1::Principal>> ReadPrincipal(
    const storage::Reader& reader, std::string_view name);

// The token numbered `n` (TOK-00000n), nullopt if none.
absl::StatusOr<std::optional<v1::StoredToken>> ReadStoredToken(
    const storage::Reader& reader, uint64_t n);

// The name of the (enabled) principal a client certificate with common name
// `cn` authenticates as, nullopt if none.
absl::StatusOr<std::optional<std::string>> PrincipalOfCertificate(
    const storage::Reader& reader, std::string_view cn);

// Every principal by name, each with its tokens (live and revoked).
absl::StatusOr<std::vector<v1::Principal>> ListPrincipals(
    const storage::Reader& reader);

// Every stored token, in number order.
absl::StatusOr<std::vector<v1::StoredToken>> ReadAllTokens(
    const storage::Reader& reader);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_PRINCIPALS_STATE_H_
