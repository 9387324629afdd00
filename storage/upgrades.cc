#include "storage/upgrades.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/string_view.h"
#include "storage/keys.h"
#include "storage/tlog.h"

namespace smptrace::storage {
namespace {

// 1 -> 2: start the format history with what is known of format 1.
absl::Status StartFormatHistory(Store&, WriteTxn& txn) {
  RecordFormatChange(txn, 1,
                     "created before the store kept its format history");
  return absl::OkStatus();
}

// 2 -> 3: the Merkle tree, in batches of its own before the format record.
absl::Status BuildTree(Store& store, WriteTxn&) { return BuildTlog(store); }

// 3 -> 4: nothing to write; the leaves go by the step's range deletion.
absl::Status DropStoredLeaves(Store&, WriteTxn&) { return absl::OkStatus(); }

constexpr UpgradeStep kSteps[] = {
    {2, "the store keeps its format history (meta format_history)",
     &StartFormatHistory},
    {3,
     "the journal's Merkle tree (column family tlog), built from its entries",
     &BuildTree},
    {4,
     "the Merkle tree's leaves are no longer stored (each is its journal "
     "entry's hash): level 0 of column family tlog deleted",
     &DropStoredLeaves, Cf::kTlog,
     // Every key before level 1's first node: the leaves (level byte 0).
     std::string_view(), std::string_view("\x01", 1)},
};
static_assert(sizeof(kSteps) / sizeof(kSteps[0]) == kSchemaVersion - 1,
              "one upgrade step per format after the first");

}  // namespace

absl::Span<const UpgradeStep> UpgradeSteps() { return kSteps; }

std::string PreUpgradeCopyDir(std::string_view dir, uint64_t version) {
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  return absl::StrCat(ToAbsl(dir), ".pre-v", version);
}

void RecordFormatChange(WriteTxn& txn, uint64_t version, std::string_view how) {
  txn.Put(Cf::kMeta, keys::FormatHistoryKey(version),
          absl::StrCat("format ", version, ": ", ToAbsl(how), " (at ",
                       absl::FormatTime(absl::RFC3339_sec, absl::Now(),
                                        absl::UTCTimeZone()),
                       ")"));
}

absl::StatusOr<std::vector<std::string>> ReadFormatHistory(
    const Reader& reader) {
  std::vector<std::string> history;
  const std::string begin = keys::FormatHistoryKey(0);
  absl::Status s =
      reader.Scan(Cf::kMeta, begin, keys::PrefixEnd(keys::kFormatHistoryPrefix),
                  [&](std::string_view, std::string_view value) {
                    history.emplace_back(value);
                    return true;
                  });
  if (!s.ok()) return s;
  return history;
}

}  // namespace smptrace::storage
