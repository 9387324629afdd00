// The tamper-evident journal: an append-only chain of entries in the journal
// column family, keyed by seq (1, 2, 3, ...). Each stored value is
//   prev_hash (32 bytes) || hash (32 bytes) || event bytes
// with hash = SHA-256(prev_hash || seq as 8 bytes big-endian || event bytes)
// and prev_hash of seq 1 = 32 zero bytes. Verification re-hashes the stored
// event bytes; it never re-serialises anything, so it does not depend on how
// an event was encoded.
#ifndef SMPTRACE_STORAGE_JOURNAL_H_
#define SMPTRACE_STORAGE_JOURNAL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/store.h"

namespace smptrace::storage {

inline constexpr size_t kHashSize = 32;

// The last entry of the journal; seq 0 with an all-zero hash when empty.
struct JournalHead {
  uint64_t seq = 0;
  std::string hash = std::string(kHashSize, '\0');
};

// SHA-256 of `data` (32 raw bytes): the one hash the journal and the
// idempotency fingerprints use.
std::string Sha256(std::string_view data);

// SHA-256(prev_hash || BE64(seq) || event).
std::string JournalEntryHash(std::string_view prev_hash, uint64_t seq,
                             std::string_view event);

// Lower-case hex of `bytes`.
std::string ToHex(std::string_view bytes);

// The head as recorded in the meta column family (updated in every commit).
// DataLoss if the record is unreadable.
absl::StatusOr<JournalHead> ReadJournalHead(const Reader& reader);

// The last entry actually stored (seq 0 and a zero hash when there is
// none), found with one reverse seek. DataLoss if it is unreadable.
absl::StatusOr<JournalHead> ReadJournalTail(const Reader& reader);

// Appends `event` after `head` into `txn` (the entry, its leaf and the
// subtrees it completes in the Merkle tree (tlog.h), and the new head record)
// and returns the new head. The caller commits `txn`. DataLoss when the
// stored tree lacks a node the new leaf pairs with.
absl::StatusOr<JournalHead> AppendJournalEntry(WriteTxn& txn,
                                               const JournalHead& head,
                                               std::string_view event);

// One stored entry, split into its parts.
struct JournalEntryView {
  uint64_t seq;
  std::string_view prev_hash;
  std::string_view hash;
  std::string_view event;
};

// Calls fn for every entry with from_seq <= seq, in order; stops early when
// fn returns false, or with fn's error, which it returns. DataLoss on a value
// too short to be an entry. Does not check hashes (use VerifyJournal).
absl::Status ForEachJournalEntry(
    const Reader& reader, uint64_t from_seq,
    absl::FunctionRef<absl::StatusOr<bool>(const JournalEntryView&)> fn);

// DO NOT CHANGE: mirrors smptrace.v1.JournalProblem.
enum class JournalProblem {
  kNone = 0,
  kHashMismatch = 1,
  kBrokenLink = 2,
  kGap = 3,
  kUnreadable = 4,
  kHeadMismatch = 5,
  kTreeMismatch = 6,
};

struct JournalVerification {
  bool ok = true;
  uint64_t entries = 0;
  // The last entry that verified.
  JournalHead good_head;
  // When !ok: the first bad position, the kind of damage and a sentence.
  uint64_t first_bad_seq = 0;
  JournalProblem problem = JournalProblem::kNone;
  std::string detail;
};

// Re-hashes the whole journal from seq 1 and checks it against the head
// record, then its Merkle tree against the entries (tlog.h). A damaged
// journal is a result (ok = false), not an error; errors
// are for failures to read at all.
absl::StatusOr<JournalVerification> VerifyJournal(const Reader& reader);

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_JOURNAL_H_
