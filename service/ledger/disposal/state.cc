#include "service/ledger/disposal/state.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using keys::StateTag;
using storage::Cf;

}  // namespace

absl::StatusOr<std::optional<v1::Container>> ReadContainer(
    const storage::Reader& reader, uint64_t container) {
  return ReadNumbered<v1::Container>(reader, kContainerRecord, container);
}

absl::StatusOr<Page<v1::Container>> ListContainers(
    const storage::Reader& reader, std::string_view location_id,
    v1::ContainerStatus status, uint64_t after, int limit) {
  const std::string prefix = keys::StatePrefix(StateTag::kContainer);
  return ListRecords<v1::Container>(
      reader, keys::NumberedKey(StateTag::kContainer, after + 1),
      keys::PrefixEnd(prefix), limit, "sharps container",
      [&](const v1::Container& c) {
        return (location_id.empty() || c.location_id() == location_id) &&
               (status == v1::CONTAINER_STATUS_UNSPECIFIED ||
                c.status() == status);
      },
      [](const v1::Container& c) { return c.container_id(); });
}

absl::StatusOr<std::vector<v1::Unit>> ContainerUnits(
    const storage::Reader& reader, uint64_t container) {
  std::vector<v1::Unit> units;
  const std::string prefix = keys::UnitInContainerPrefix(container);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view, std::string_view value) -> absl::StatusOr<bool> {
        // value: gtin (14) + serial.
        if (value.size() < 14) {
          return absl::DataLossError("container index entry is damaged");
        }
        SMPTRACE_ASSIGN_OR_RETURN(
            auto unit, ReadUnit(reader, value.substr(0, 14), value.substr(14)));
        if (!unit.has_value()) {
          return absl::DataLossError("indexed unit missing");
        }
        units.push_back(*std::move(unit));
        return true;
      }));
  return units;
}

absl::StatusOr<std::vector<std::string>> AwaitingDisposal(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location, int limit) {
  std::vector<std::string> serials;
  const std::string prefix =
      keys::AwaitingDisposalPrefix(gtin14, lot, location);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(std::string serial,
                                  keys::DecodeAwaitingDisposalKey(key));
        serials.push_back(std::move(serial));
        return static_cast<int>(serials.size()) < limit;
      }));
  return serials;
}

}  // namespace smptrace::ledger
