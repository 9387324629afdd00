// Client answers (service/query: they read, never write): a client or a page
// of clients, with their contact details when the caller may see them.
// Reading contact details is a read of the client's record: the caller
// records it (DESIGN.md §7).
#ifndef SMPTRACE_SERVICE_QUERY_CLIENT_READS_H_
#define SMPTRACE_SERVICE_QUERY_CLIENT_READS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/ledger/clients/personal_data.h"
#include "service/ledger/records.h"
#include "smptrace/v1/session.pb.h"
#include "storage/store.h"

namespace smptrace::query {

// The client whose id ("CL-000001") or code is `id_or_code`, with contact
// details opened by `personal` when it is given (never the sealed bytes; an
// erased client has `erased` and no contact); nullopt when there is none.
absl::StatusOr<std::optional<v1::Client>> ClientOf(
    const storage::Reader& reader, std::string_view id_or_code,
    const ledger::PersonalData* personal);

// Clients by id after client number `after` (0 = from the first), at most
// `limit`, only those whose code starts with `code_prefix`; each with
// contact details as ClientOf.
absl::StatusOr<ledger::Page<v1::Client>> ClientsOf(
    const storage::Reader& reader, std::string_view code_prefix, uint64_t after,
    int limit, const ledger::PersonalData* personal);

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_CLIENT_READS_H_
