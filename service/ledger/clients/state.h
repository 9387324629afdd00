// Typed reads of clients (the record and its restricted contact details)
// from any storage::Reader.
#ifndef SMPTRACE_SERVICE_LEDGER_CLIENTS_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_CLIENTS_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/ledger/records.h"
#include "smptrace/v1/inventory.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::StatusOr<std::optional<v1::Client>> ReadClient(
    const storage::Reader& reader, uint64_t client);

absl::StatusOr<std::optional<v1::ClientContact>> ReadClientContact(
    const storage::Reader& reader, uint64_t client);

// The client whose id ("CLI-000001") or code is `text`; nullopt if none.
absl::StatusOr<std::optional<v1::Client>> FindClient(
    const storage::Reader& reader, std::string_view text);

// Clients by id after client number `after` (0 = from the first), at most
// `limit`, only those whose code starts with `code_prefix`; no contact.
absl::StatusOr<Page<v1::Client>> ListClients(const storage::Reader& reader,
                                             std::string_view code_prefix,
                                             uint64_t after, int limit);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CLIENTS_STATE_H_
