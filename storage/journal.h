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
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/merkle.h"
#include "storage/sha256.h"
#include "storage/store.h"

namespace smptrace::storage {

// The last entry of the journal; seq 0 with an all-zero hash when empty.
struct JournalHead {
  uint64_t seq = 0;
  std::string hash = std::string(kHashSize, '\0');
  // The Merkle tree's right edge after this entry, when known (its size()
  // is seq): AppendJournalEntry then reads no stored node. Known for the
  // empty journal and after an append from a known edge; LoadTlogEdge reads
  // it. Otherwise an append reads the left siblings it pairs with.
  std::optional<TlogBuilder> tlog_edge = TlogBuilder();
};

// SHA-256(prev_hash || BE64(seq) || event).
std::string JournalEntryHash(std::string_view prev_hash, uint64_t seq,
                             std::string_view event);
// The same hash by value: nothing allocated, nothing copied together.
Sha256Digest JournalEntryDigest(std::string_view prev_hash, uint64_t seq,
                                std::string_view event);

// An entry's two hashes, JournalEntryDigest and its Merkle tree leaf's
// TlogEntryLeafDigest (merkle.h), computed together (Sha256OfTwo): the
// append and the verification make both for every entry.
struct JournalEntryDigests {
  Sha256Digest entry;
  Sha256Digest leaf;
};
JournalEntryDigests DigestJournalEntry(std::string_view prev_hash, uint64_t seq,
                                       std::string_view event);

// Lower-case hex of `bytes`.
std::string ToHex(std::string_view bytes);

// The head as recorded in the meta column family (updated in every commit),
// without its tree edge unless the journal is empty. DataLoss if the record
// is unreadable.
absl::StatusOr<JournalHead> ReadJournalHead(const Reader& reader);

// The last entry actually stored (seq 0 and a zero hash when there is
// none), found with one reverse seek. DataLoss if it is unreadable.
absl::StatusOr<JournalHead> ReadJournalTail(const Reader& reader);

// The mark a complete verification leaves (meta "verified_through"): every
// entry through its seq verified, chain and tree, and the hash its last
// entry had. nullopt when there is none. DataLoss if it is unreadable.
absl::StatusOr<std::optional<JournalHead>> ReadVerifiedMark(
    const Reader& reader);
// Adds the mark to `txn`; ClearVerifiedMark removes it (whoever rewrites
// entries the mark covers must).
void PutVerifiedMark(WriteTxn& txn, const JournalHead& verified);
void ClearVerifiedMark(WriteTxn& txn);

// Sets head->tlog_edge from the stored tree (one node per set bit of
// head->seq). DataLoss when one of them is missing or malformed.
absl::Status LoadTlogEdge(const Reader& reader, JournalHead* head);

// Appends `event` after `head` into `txn` (the entry, its leaf and the
// subtrees it completes in the Merkle tree (tlog.h), and the new head record)
// and returns the new head, with the tree's edge when `head` had it. The
// caller commits `txn`. DataLoss when `head` has no edge and the stored tree
// lacks a node the new leaf pairs with.
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

// Splits the stored value of entry `seq`; false when it is too short.
bool DecodeJournalEntry(uint64_t seq, std::string_view value,
                        JournalEntryView* out);

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

struct VerifyOptions {
  // Verify the entries after this one, trusting it: its stored hash must
  // still be `from.hash` (a mark left by an earlier complete verification,
  // service/ledger/integrity_monitor.h). Default: from seq 1.
  JournalHead from;
  // Also recompute the Merkle tree and compare every stored node.
  // REQUIRES: from.seq == 0.
  bool check_tree = true;
  // Threads re-hashing ranges of the journal at once; 0: one per CPU.
  int threads = 0;
  // Each thread takes 2^range_level consecutive entries at a time (and the
  // subtrees inside them). Small values are for tests.
  int range_level = 12;
  // Asked between ranges: true stops the pass with Cancelled (a server
  // shutting down).
  std::function<bool()> cancelled;
};

// Re-hashes the journal (in ranges, in parallel: every entry stores its own
// and its predecessor's hash, so ranges are checked apart and joined at their
// ends) and checks it against the head record, then its Merkle tree against
// the entries (tlog.h), scanning the tree's nodes in key order. A damaged
// journal is a result (ok = false) naming the first bad seq, not an error;
// errors are for failures to read at all. `reader` must be safe to read from
// several threads (the live reader or a snapshot, not a WriteTxn) unless
// options.threads is 1.
absl::StatusOr<JournalVerification> VerifyJournal(
    const Reader& reader, const VerifyOptions& options = {});

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_JOURNAL_H_
