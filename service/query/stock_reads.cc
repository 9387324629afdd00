#include "service/query/stock_reads.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/state.h"

namespace smptrace::query {

absl::StatusOr<v1::GetLotResponse> LotDetailsOf(const storage::Reader& reader,
                                                std::string_view gtin14,
                                                std::string_view lot,
                                                absl::CivilDay today,
                                                bool include_units) {
  v1::GetLotResponse out;
  SMPTRACE_ASSIGN_OR_RETURN(auto record, ledger::ReadLot(reader, gtin14, lot));
  if (!record.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "lot ", ToAbsl(lot), " of ", ToAbsl(gtin14),
        " does not exist (lot numbers are matched exactly as printed)"));
  }
  *out.mutable_lot() = *std::move(record);
  SMPTRACE_ASSIGN_OR_RETURN(auto product, ledger::ReadProduct(reader, gtin14));
  if (product.has_value()) *out.mutable_product() = *std::move(product);
  SMPTRACE_ASSIGN_OR_RETURN(auto stock,
                            ledger::LotStock(reader, gtin14, lot, today));
  for (auto& line : stock) *out.add_stock() = std::move(line);
  if (include_units) {
    SMPTRACE_ASSIGN_OR_RETURN(
        auto units,
        ledger::UnitsOfLot(reader, gtin14, lot, kMaxLotUnitsListed));
    for (auto& unit : units) *out.add_units() = std::move(unit);
  }
  return out;
}

absl::StatusOr<v1::GetContainerResponse> ContainerDetailsOf(
    const storage::Reader& reader, std::string_view container_id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(domain::IdKind::kContainer, container_id,
                                  "container_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto container, ledger::ReadContainer(reader, n));
  if (!container.has_value()) {
    return absl::NotFoundError(absl::StrCat("container_id: sharps container ",
                                            ToAbsl(container_id),
                                            " does not exist"));
  }
  v1::GetContainerResponse out;
  *out.mutable_container() = *std::move(container);
  SMPTRACE_ASSIGN_OR_RETURN(auto units, ledger::ContainerUnits(reader, n));
  for (auto& unit : units) *out.add_units() = std::move(unit);
  return out;
}

}  // namespace smptrace::query
