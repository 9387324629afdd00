// A realistic clinic history, fast, for benchmarks and imports: clients,
// lots received, sessions whose cartridges are scanned, disposed of into a
// sharps container and the session closed, all through the real services
// and decisions of an in-process server. Many threads (practitioners) call
// at once, so the ledger's writer commits each group of queued commands in
// one batch; start the server with ledger.sync = false to skip the fsync
// while loading (no stored byte differs).
//
//   auto server = api::Server::Start(options /* ledger.sync = false */, clock);
//   bench::BulkLoadOptions load;
//   load.sessions = 250000;  // 1 M uses, about 2.5 M journal entries
//   auto report = bench::BulkLoad(**server, load);
#ifndef SMPTRACE_CLIENT_BULK_LOAD_H_
#define SMPTRACE_CLIENT_BULK_LOAD_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "service/api/server.h"

namespace smptrace::bench {

struct BulkLoadOptions {
  // Sessions to record; each opens, scans and disposes of
  // uses_per_session cartridges, then closes: 2 + 2 * uses_per_session
  // journal entries.
  int64_t sessions = 1000;
  int uses_per_session = 4;
  // Practitioners calling at once; each receives its own lots and keeps its
  // own sharps container.
  int threads = 8;
  // Units per lot received (one Receive each).
  int64_t lot_size = 1000;
  // Distinct clients the sessions go round (each CreateClient'd first).
  int64_t clients = 1000;
  // The cartridge product (created if missing) and the room (created).
  std::string gtin = "09506000000015";
  // Called now and then with the sessions done so far (from any thread).
  std::function<void(int64_t sessions)> progress;
};

struct BulkLoadReport {
  int64_t commands = 0;  // accepted
  int64_t sessions = 0;
  int64_t uses = 0;
  int64_t lots = 0;
  double seconds = 0;
  std::string location_id;  // the room
};

// Loads into `server` (a fresh store, or one loaded before: ids are the
// server's, codes and lots are made unique per call). Stops at the first
// refused or failed call and returns its status, naming the call.
absl::StatusOr<BulkLoadReport> BulkLoad(api::Server& server,
                                        const BulkLoadOptions& options);

}  // namespace smptrace::bench

#endif  // SMPTRACE_CLIENT_BULK_LOAD_H_
