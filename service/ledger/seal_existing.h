// The one-time re-chain of a store written before personal data was sealed
// (docs/admin.md, "Stores written before personal data was sealed"): every
// contact and screening an older build journaled in clear is sealed with its
// client's key, the hash chain is recomputed from the first changed entry,
// state and indexes are replayed from the new journal, retry answers are cut
// to markers, and a statement of what changed (old head, new head, each
// changed entry's old and new hash), signed with the checkpoint key, is kept
// in meta so that earlier checkpoints can be linked to the new chain.
#ifndef SMPTRACE_SERVICE_LEDGER_SEAL_EXISTING_H_
#define SMPTRACE_SERVICE_LEDGER_SEAL_EXISTING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/ledger/clients/personal_data.h"
#include "storage/journal.h"
#include "storage/signing.h"
#include "storage/store.h"

namespace smptrace::ledger {

struct SealReport {
  uint64_t entries = 0;
  // The seqs whose event was sealed (empty: nothing was in clear, nothing
  // was written).
  std::vector<uint64_t> changed;
  storage::JournalHead old_head;
  storage::JournalHead new_head;
  // What was signed, and the signature (hex); empty when nothing changed.
  std::string statement;
  std::string signature_hex;
};

// Seals what `store`'s journal holds in clear, as above, in one synced
// commit, then purges the old bytes from the data directory's files
// (Store::PurgeDeleted on every column family). The statement is kept under
// meta "rechain_statement". FailedPrecondition if the journal does not
// verify first (nothing is changed). REQUIRES: nothing else writes to
// `store` meanwhile (run it before the ledger starts).
absl::StatusOr<SealReport> SealExistingPersonalData(
    storage::Store& store, const PersonalData& personal,
    const storage::CheckpointKey& key, absl::Time now);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SEAL_EXISTING_H_
