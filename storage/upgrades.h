// The data directory's format versions and the one-way steps between them.
// Store::Open runs the steps a store needs, each after a copy of the store as
// it was (a RocksDB checkpoint beside the data directory, PreUpgradeCopyDir)
// and each as one synced commit that also moves meta "schema_version" on.
//
// Format history:
//   1  the first layout (column families, keys.h, journal.proto).
//   2  meta keeps the store's format history: one record per format it was
//      created in or upgraded to (when, by which build, where the copy of
//      the store before the upgrade went). Upgrading from 1 back-fills the
//      record of format 1.
//   3  the "tlog" column family: the journal's Merkle tree (tlog.h).
//      Upgrading from 2 builds it from the entries.
//   4  the tree's leaves (level 0) are no longer stored: each is its
//      journal entry's hash. Upgrading from 3 deletes them, one range
//      deletion in the commit that records format 4.
// A new format: bump kSchemaVersion (store.h), add its step here and a test
// that opens a store of the format before (tests/storage/upgrades_test.cc).
#ifndef SMPTRACE_STORAGE_UPGRADES_H_
#define SMPTRACE_STORAGE_UPGRADES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storage/store.h"

namespace smptrace::storage {

// One upgrade: from format `to - 1` to format `to`.
struct UpgradeStep {
  uint64_t to;
  // What changes, one line (for the log and the admin guide).
  const char* what;
  // Rewrites the store's records in `txn`; the caller records the new
  // version and commits. A step with much to write commits it through
  // `store` in bounded batches first, writing only what an attempt that
  // failed half-way leaves harmless (the format stays the old one).
  absl::Status (*apply)(Store& store, WriteTxn& txn);
  // Keys the step removes whole: [drop_begin, drop_end) of column family
  // drop_cf, deleted by one range deletion in the same commit as `apply`'s
  // writes and the format record, however many keys it holds. Nothing when
  // drop_end is empty. `apply` writes nothing there.
  Cf drop_cf = Cf::kMeta;
  std::string_view drop_begin = {};
  std::string_view drop_end = {};
};

// Every step, in order: UpgradeSteps()[i].to == i + 2, and the last one's
// `to` is kSchemaVersion.
absl::Span<const UpgradeStep> UpgradeSteps();

// Where Store::Open copies the store before upgrading it to `version`:
// beside the data directory, "<dir>.pre-v<version>" ("/var/lib/smptrace/data"
// -> "/var/lib/smptrace/data.pre-v2").
std::string PreUpgradeCopyDir(std::string_view dir, uint64_t version);

// Adds to `txn` the history record of format `version`: `how` it came to be
// ("created by smptraced 0.1.0 (commit …)", "upgraded from format 1 …").
// The record also carries the wall-clock time it was written.
void RecordFormatChange(WriteTxn& txn, uint64_t version, std::string_view how);

// The history records, oldest format first, each "format N: how (at TIME)".
// Empty for a store of format 1.
absl::StatusOr<std::vector<std::string>> ReadFormatHistory(
    const Reader& reader);

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_UPGRADES_H_
