// The read side's one way into the store. The API's services hold a Reads,
// never the Store: they write only through the ledger (Mutate, Commands)
// and read only through this, handing what it gives to a read model
// (service/query/) or to an aggregate's state reads (service/ledger/*/state.h).
#ifndef SMPTRACE_SERVICE_QUERY_READS_H_
#define SMPTRACE_SERVICE_QUERY_READS_H_

#include <memory>

#include "storage/store.h"

namespace smptrace::query {

// Thread-safe. Example:
//
//   query::Reads reads(store);
//   auto page = ledger::ListProducts(*reads.Snapshot(), after, limit, kind);
class Reads {
 public:
  // REQUIRES: `store` outlives this.
  explicit Reads(const storage::Store* store) : store_(*store) {}

  // A consistent view as of now, unaffected by later commits: for an answer
  // that reads more than one record (a list, a lookback, an export), so it
  // is one instant of the record and never holds up the writer.
  std::unique_ptr<storage::Reader> Snapshot() const {
    return store_.NewSnapshot();
  }

  // The latest committed state, without taking a snapshot: for an answer
  // that reads one record.
  const storage::Reader& Latest() const { return store_.live(); }

 private:
  const storage::Store& store_;
};

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_READS_H_
