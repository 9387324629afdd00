// Typed reads of clients, sessions and sharps containers from any
// storage::Reader.
#ifndef SMPTRACE_SERVICE_LEDGER_SESSION_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_SESSION_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "smptrace/v1/inventory.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/keys.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::StatusOr<std::optional<v1::Client>> ReadClient(
    const storage::Reader& reader, uint64_t client);
absl::StatusOr<std::optional<v1::ClientContact>> ReadClientContact(
    const storage::Reader& reader, uint64_t client);
// The client whose id ("CLI-000001") or code is `text`; nullopt if none.
absl::StatusOr<std::optional<v1::Client>> FindClient(
    const storage::Reader& reader, std::string_view text);

absl::StatusOr<std::optional<v1::Session>> ReadSession(
    const storage::Reader& reader, uint64_t session);
// The client's most recent session that was not aborted, nullopt if none.
absl::StatusOr<std::optional<v1::Session>> LastSessionOfClient(
    const storage::Reader& reader, uint64_t client);

// A session's verdict: OPEN, ABORTED, or (closed) COMPLIANT when it has no
// exceptions, EXCEPTIONS otherwise.
v1::RecordVerdict VerdictOf(const v1::Session& session);

absl::StatusOr<std::optional<v1::ScreeningOverrideApproval>>
ReadOverrideApproval(const storage::Reader& reader, uint64_t approval);

absl::StatusOr<std::optional<v1::Container>> ReadContainer(
    const storage::Reader& reader, uint64_t container);
// The units put into a container, in disposal order.
absl::StatusOr<std::vector<v1::Unit>> ContainerUnits(
    const storage::Reader& reader, uint64_t container);

// Up to `limit` serials of opened single-use units of a lot, opened at
// `location` and not yet disposed.
absl::StatusOr<std::vector<std::string>> AwaitingDisposal(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location, int limit);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SESSION_STATE_H_
