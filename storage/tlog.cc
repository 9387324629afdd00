#include "storage/tlog.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/journal.h"
#include "storage/keys.h"
#include "storage/merkle.h"

namespace smptrace::storage {
namespace {

// A leaf's hash, from its journal entry (seq index + 1).
absl::StatusOr<std::string> LeafFromJournal(const Reader& reader,
                                            uint64_t index) {
  const uint64_t seq = index + 1;
  SMPTRACE_ASSIGN_OR_RETURN(auto value,
                            reader.Get(Cf::kJournal, keys::JournalKey(seq)));
  JournalEntryView entry;
  if (!value.has_value() || !DecodeJournalEntry(seq, *value, &entry)) {
    return absl::DataLossError(absl::StrCat(
        "the Merkle tree's leaf ", index, " is journal entry seq ", seq,
        ", which is ", value.has_value() ? "unreadable" : "missing",
        "; smptrace admin verify names the first damaged entry"));
  }
  return TlogEntryLeafHash(seq, entry.event);
}

// Stored nodes, leaves from the journal.
auto StoredNodes(const Reader& reader) {
  return [&reader](int level, uint64_t index) -> absl::StatusOr<std::string> {
    if (level == 0) return LeafFromJournal(reader, index);
    SMPTRACE_ASSIGN_OR_RETURN(auto value,
                              reader.Get(Cf::kTlog, TlogNodeKey(level, index)));
    if (!value.has_value() || value->size() != kHashSize) {
      return absl::DataLossError(absl::StrCat(
          "the Merkle tree's node (level ", level, ", index ", index, ") is ",
          value.has_value() ? "malformed" : "missing",
          "; smptrace admin verify names the first damaged entry"));
    }
    return *std::move(value);
  };
}

}  // namespace

std::string TlogNodeKey(int level, uint64_t index) {
  const TlogNodeKeyBytes key = EncodeTlogNodeKey(level, index);
  return std::string(key.data(), key.size());
}

TlogNodeKeyBytes EncodeTlogNodeKey(int level, uint64_t index) {
  TlogNodeKeyBytes key;
  key[0] = static_cast<char>(level);
  const std::array<char, 8> bytes = keys::EncodeUint64(index);
  std::copy(bytes.begin(), bytes.end(), key.begin() + 1);
  return key;
}

absl::Status AppendTlogLeaf(WriteTxn& txn, uint64_t index,
                            std::string leaf_hash) {
  int level = 0;
  std::string hash = std::move(leaf_hash);
  auto nodes = StoredNodes(txn);
  while ((index & 1) != 0) {
    SMPTRACE_ASSIGN_OR_RETURN(std::string left, nodes(level, index - 1));
    hash = TlogNodeHash(left, hash);
    index >>= 1;
    ++level;
    txn.Put(Cf::kTlog, TlogNodeKey(level, index), hash);
  }
  return absl::OkStatus();
}

absl::StatusOr<TlogBuilder> ReadTlogEdge(const Reader& reader, uint64_t size) {
  return TlogBuilder::Resume(StoredNodes(reader), size);
}

absl::StatusOr<std::string> ReadTlogRoot(const Reader& reader, uint64_t size) {
  return TlogRoot(StoredNodes(reader), size);
}

absl::StatusOr<std::vector<std::string>> ReadTlogInclusionProof(
    const Reader& reader, uint64_t index, uint64_t size) {
  return TlogInclusionProof(StoredNodes(reader), index, size);
}

absl::StatusOr<std::vector<std::string>> ReadTlogConsistencyProof(
    const Reader& reader, uint64_t old_size, uint64_t new_size) {
  return TlogConsistencyProof(StoredNodes(reader), old_size, new_size);
}

absl::Status BuildTlog(Store& store, uint64_t batch_entries) {
  TlogBuilder builder;
  std::unique_ptr<WriteTxn> txn = store.BeginWrite();
  uint64_t in_batch = 0;
  SMPTRACE_RETURN_IF_ERROR(ForEachJournalEntry(
      store.live(), 1,
      [&](const JournalEntryView& entry) -> absl::StatusOr<bool> {
        if (entry.seq != builder.size() + 1) {
          return absl::DataLossError(
              absl::StrCat("cannot build the Merkle tree: journal seq ",
                           builder.size() + 1, " is missing (seq ", entry.seq,
                           " follows); run smptrace admin verify"));
        }
        builder.Add(TlogEntryLeafDigest(entry.seq, entry.event),
                    [&](int level, uint64_t index, const Sha256Digest& hash) {
                      if (level == 0) return;  // the entry itself
                      txn->Put(Cf::kTlog, TlogNodeKey(level, index),
                               DigestView(hash));
                    });
        if (++in_batch >= batch_entries) {
          SMPTRACE_RETURN_IF_ERROR(store.Commit(*txn, /*sync=*/false));
          txn = store.BeginWrite();
          in_batch = 0;
        }
        return true;
      }));
  return store.Commit(*txn, /*sync=*/true);
}

}  // namespace smptrace::storage
