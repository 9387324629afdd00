// Typed reads of the catalogue's state records (products, suppliers,
// locations) from any storage::Reader: the live store, a snapshot, or the
// writer's transaction.
#ifndef SMPTRACE_SERVICE_LEDGER_CATALOG_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_CATALOG_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/ledger/records.h"
#include "smptrace/v1/catalog.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

// A product by GTIN-14; `version` 0 = current. nullopt when absent.
absl::StatusOr<std::optional<v1::Product>> ReadProduct(
    const storage::Reader& reader, std::string_view gtin14,
    int64_t version = 0);
absl::StatusOr<std::optional<v1::Supplier>> ReadSupplier(
    const storage::Reader& reader, uint64_t supplier, int64_t version = 0);
absl::StatusOr<std::optional<v1::Location>> ReadLocation(
    const storage::Reader& reader, uint64_t location, int64_t version = 0);

// The location whose id ("LOC-000002") is `id`; InvalidArgument naming
// `field` for a malformed id, NotFound ("location_id: location LOC-000009
// does not exist") when there is none.
absl::StatusOr<v1::Location> MustReadLocation(const storage::Reader& reader,
                                              std::string_view id,
                                              std::string_view field);

// A location as refusals name it: "LOC-000003 (Room 1)", the id and its
// name; the id alone when it names no location. InvalidArgument for a
// malformed id.
absl::StatusOr<std::string> LocationLabel(const storage::Reader& reader,
                                          std::string_view id);

// The highest supplier / location number in use, 0 if none.
absl::StatusOr<uint64_t> LastSupplierNumber(const storage::Reader& reader);
absl::StatusOr<uint64_t> LastLocationNumber(const storage::Reader& reader);

// Products with GTIN > after_gtin (empty = from the start), at most `limit`,
// only of `kind` unless it is UNSPECIFIED.
absl::StatusOr<Page<v1::Product>> ListProducts(const storage::Reader& reader,
                                               std::string_view after_gtin,
                                               int limit, v1::ProductKind kind);
// Suppliers with number > after, at most `limit`.
absl::StatusOr<Page<v1::Supplier>> ListSuppliers(const storage::Reader& reader,
                                                 uint64_t after, int limit);
// Locations with number > after, at most `limit`; only the children of
// `parent` when it is non-zero.
absl::StatusOr<Page<v1::Location>> ListLocations(const storage::Reader& reader,
                                                 uint64_t after, int limit,
                                                 uint64_t parent);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CATALOG_STATE_H_
