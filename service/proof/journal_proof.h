// The API form of the journal's proofs: a verification of the whole journal
// and the check of a saved, signed checkpoint. The server answers with them
// and the CLI computes them offline on a stopped server's data directory.
#ifndef SMPTRACE_SERVICE_PROOF_JOURNAL_PROOF_H_
#define SMPTRACE_SERVICE_PROOF_JOURNAL_PROOF_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::proof {

// The API form of a storage verification.
v1::VerifyJournalResponse ToProto(const storage::JournalVerification& v);

// Checks a saved checkpoint against the journal in `reader`: its signature
// (with the key it carries), that `server_key_id` made it (skipped when
// empty, e.g. offline), and that the journal still extends it. A checkpoint
// that fails a check is a result (ok = false, `detail` says why);
// InvalidArgument for a checkpoint that is not well formed (hash or
// signature not hex, a public key that cannot be read), and the storage
// error when the journal cannot be read.
absl::StatusOr<v1::CheckCheckpointResponse> CheckCheckpoint(
    const storage::Reader& reader, const v1::Checkpoint& checkpoint,
    std::string_view server_key_id);

}  // namespace smptrace::proof

#endif  // SMPTRACE_SERVICE_PROOF_JOURNAL_PROOF_H_
