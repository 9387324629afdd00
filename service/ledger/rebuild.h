// The rebuild check: the journal is the truth, so replaying it into an empty
// store must give, byte for byte, the state and indexes we have.
#ifndef SMPTRACE_SERVICE_LEDGER_REBUILD_H_
#define SMPTRACE_SERVICE_LEDGER_REBUILD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace smptrace::ledger {

struct RebuildReport {
  bool ok = true;
  uint64_t events_replayed = 0;
  uint64_t records_compared = 0;
  // At most max_differences, one sentence each.
  std::vector<std::string> differences;
};

// Replays every journal entry of `source` into a new store in `scratch_dir`
// (which must not exist; it is removed afterwards) and compares the state and
// index column families. A difference is a result, not an error, and so is
// a journal that cannot be replayed (an entry too short, an event that does
// not parse or apply): ok = false with a "journal: replay stopped at seq N"
// difference. Errors: failures to read or to write the scratch store.
absl::StatusOr<RebuildReport> RebuildCheck(const storage::Reader& source,
                                           const std::string& scratch_dir,
                                           int max_differences);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_REBUILD_H_
