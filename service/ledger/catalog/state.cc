#include "service/ledger/catalog/state.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

}  // namespace

absl::StatusOr<std::optional<v1::Product>> ReadProduct(
    const storage::Reader& reader, std::string_view gtin14, int64_t version) {
  std::string key = version == 0 ? keys::ProductKey(gtin14)
                                 : keys::ProductVersionKey(gtin14, version);
  return ReadRecord<v1::Product>(reader, Cf::kState, key, "product");
}

absl::StatusOr<std::optional<v1::Supplier>> ReadSupplier(
    const storage::Reader& reader, uint64_t supplier, int64_t version) {
  std::string key = version == 0 ? keys::SupplierKey(supplier)
                                 : keys::SupplierVersionKey(supplier, version);
  return ReadRecord<v1::Supplier>(reader, Cf::kState, key, "supplier");
}

absl::StatusOr<std::optional<v1::Location>> ReadLocation(
    const storage::Reader& reader, uint64_t location, int64_t version) {
  std::string key = version == 0 ? keys::LocationKey(location)
                                 : keys::LocationVersionKey(location, version);
  return ReadRecord<v1::Location>(reader, Cf::kState, key, "location");
}

absl::StatusOr<v1::Location> MustReadLocation(const storage::Reader& reader,
                                              std::string_view id,
                                              std::string_view field) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(domain::IdKind::kLocation, id, field));
  SMPTRACE_ASSIGN_OR_RETURN(auto location, ReadLocation(reader, n));
  if (!location.has_value()) {
    return absl::NotFoundError(absl::StrCat(ToAbsl(field), ": location ",
                                            ToAbsl(id), " does not exist"));
  }
  return *std::move(location);
}

absl::StatusOr<std::string> LocationLabel(const storage::Reader& reader,
                                          std::string_view id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(domain::IdKind::kLocation, id, "location"));
  SMPTRACE_ASSIGN_OR_RETURN(auto location, ReadLocation(reader, n));
  if (!location.has_value()) return std::string(id);
  return absl::StrCat(ToAbsl(id), " (", location->name(), ")");
}

absl::StatusOr<uint64_t> LastSupplierNumber(const storage::Reader& reader) {
  return LastNumber(reader, keys::StateTag::kSupplier);
}

absl::StatusOr<uint64_t> LastLocationNumber(const storage::Reader& reader) {
  return LastNumber(reader, keys::StateTag::kLocation);
}

absl::StatusOr<Page<v1::Product>> ListProducts(const storage::Reader& reader,
                                               std::string_view after_gtin,
                                               int limit,
                                               v1::ProductKind kind) {
  std::string prefix = keys::StatePrefix(keys::StateTag::kProduct);
  std::string begin = after_gtin.empty()
                          ? prefix
                          : keys::PrefixEnd(keys::ProductKey(after_gtin));
  return ListRecords<v1::Product>(
      reader, begin, keys::PrefixEnd(prefix), limit, "product",
      [kind](const v1::Product& p) {
        return kind == v1::PRODUCT_KIND_UNSPECIFIED || p.kind() == kind;
      },
      [](const v1::Product& p) { return p.gtin(); });
}

absl::StatusOr<Page<v1::Supplier>> ListSuppliers(const storage::Reader& reader,
                                                 uint64_t after, int limit) {
  std::string prefix = keys::StatePrefix(keys::StateTag::kSupplier);
  return ListRecords<v1::Supplier>(
      reader, keys::SupplierKey(after + 1), keys::PrefixEnd(prefix), limit,
      "supplier", [](const v1::Supplier&) { return true; },
      [](const v1::Supplier& s) { return s.supplier_id(); });
}

absl::StatusOr<Page<v1::Location>> ListLocations(const storage::Reader& reader,
                                                 uint64_t after, int limit,
                                                 uint64_t parent) {
  if (parent == 0) {
    std::string prefix = keys::StatePrefix(keys::StateTag::kLocation);
    return ListRecords<v1::Location>(
        reader, keys::LocationKey(after + 1), keys::PrefixEnd(prefix), limit,
        "location", [](const v1::Location&) { return true; },
        [](const v1::Location& l) { return l.location_id(); });
  }
  // Children of one clinic, from the index.
  Page<v1::Location> page;
  std::vector<uint64_t> children;
  std::string prefix = keys::LocationByParentPrefix(parent);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, keys::LocationByParentKey(parent, after + 1),
      keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        auto child = keys::DecodeLocationByParentKey(key);
        if (!child.ok()) return absl::DataLossError(child.status().message());
        children.push_back(*child);
        return static_cast<int>(children.size()) <= limit;
      }));
  bool more = static_cast<int>(children.size()) > limit;
  if (more) children.pop_back();
  for (uint64_t child : children) {
    SMPTRACE_ASSIGN_OR_RETURN(auto location, ReadLocation(reader, child));
    if (!location.has_value()) {
      return absl::DataLossError(absl::StrCat("location index names location ",
                                              child,
                                              " which has no state record"));
    }
    page.items.push_back(std::move(*location));
  }
  if (more) page.next_after = page.items.back().location_id();
  return page;
}

}  // namespace smptrace::ledger
