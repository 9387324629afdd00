// Typed reads of sharps containers and of the units awaiting disposal,
// from any storage::Reader.
#ifndef SMPTRACE_SERVICE_LEDGER_DISPOSAL_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_DISPOSAL_STATE_H_

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

inline constexpr NumberedRecord kContainerRecord{
    storage::keys::StateTag::kContainer, domain::IdKind::kContainer,
    "sharps container"};

absl::StatusOr<std::optional<v1::Container>> ReadContainer(
    const storage::Reader& reader, uint64_t container);

// Containers by id after number `after` (0 = from the first), at most
// `limit`, only at `location_id` / in `status` when those are set.
absl::StatusOr<Page<v1::Container>> ListContainers(
    const storage::Reader& reader, std::string_view location_id,
    v1::ContainerStatus status, uint64_t after, int limit);

// The units put into a container, in disposal order.
absl::StatusOr<std::vector<v1::Unit>> ContainerUnits(
    const storage::Reader& reader, uint64_t container);

// Up to `limit` serials of opened single-use units of a lot, opened at
// `location` and not yet disposed.
absl::StatusOr<std::vector<std::string>> AwaitingDisposal(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location, int limit);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_DISPOSAL_STATE_H_
