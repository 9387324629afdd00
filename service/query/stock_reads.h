// Stock answers assembled from several records (service/query: they read,
// never write): a lot with its product, its stock per location and its
// units; a sharps container with what was put in it.
#ifndef SMPTRACE_SERVICE_QUERY_STOCK_READS_H_
#define SMPTRACE_SERVICE_QUERY_STOCK_READS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "smptrace/v1/inventory.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/store.h"

namespace smptrace::query {

// The units a lot's answer lists at most.
inline constexpr int kMaxLotUnitsListed = 10000;

// The lot, its product, one stock line per location that ever held it (as
// of `today`) and, with `include_units`, up to kMaxLotUnitsListed of its
// units in serial order. NotFound ("lot L-1 of 0950... does not exist ...")
// when there is no such lot.
absl::StatusOr<v1::GetLotResponse> LotDetailsOf(const storage::Reader& reader,
                                                std::string_view gtin14,
                                                std::string_view lot,
                                                absl::CivilDay today,
                                                bool include_units);

// The container `container_id` ("SHC-000001") and the units put into it, in
// disposal order. InvalidArgument for a malformed id; NotFound
// ("container_id: sharps container SHC-000009 does not exist") when there is
// no such container.
absl::StatusOr<v1::GetContainerResponse> ContainerDetailsOf(
    const storage::Reader& reader, std::string_view container_id);

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_STOCK_READS_H_
