// How client events change state and indexes: a client registered (the
// record, its contact apart, the code index), new contact details, and the
// record of who read a client's record. Called only by ApplyEvent
// (service/ledger/projection.h).
#ifndef SMPTRACE_SERVICE_LEDGER_CLIENTS_APPLY_H_
#define SMPTRACE_SERVICE_LEDGER_CLIENTS_APPLY_H_

#include <cstdint>

#include "absl/status/status.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::Status ApplyClientRegistered(const v1::ClientRegistered& e,
                                   storage::WriteTxn& txn);
absl::Status ApplyClientContactUpdated(const v1::ClientContactUpdated& e,
                                       storage::WriteTxn& txn);
// The client's record keeps its code and gains the erasure; its sealed
// contact goes (its key is gone anyway). The erasure joins the client's
// access log (the client-read index), beside reads and exports.
absl::Status ApplyClientErased(const v1::ClientErased& e, uint64_t seq,
                               storage::WriteTxn& txn);
// `seq` is the event's own journal seq (the read index's key).
absl::Status ApplyClientRecordRead(const v1::ClientRecordRead& e, uint64_t seq,
                                   storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CLIENTS_APPLY_H_
