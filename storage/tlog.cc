#include "storage/tlog.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/journal.h"
#include "storage/keys.h"
#include "storage/merkle.h"

namespace smptrace::storage {
namespace {

auto StoredNodes(const Reader& reader) {
  return [&reader](int level, uint64_t index) -> absl::StatusOr<std::string> {
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
  std::string key(1, static_cast<char>(level));
  keys::AppendUint64(&key, index);
  return key;
}

absl::Status AppendTlogLeaf(WriteTxn& txn, uint64_t index,
                            std::string leaf_hash) {
  int level = 0;
  std::string hash = std::move(leaf_hash);
  txn.Put(Cf::kTlog, TlogNodeKey(level, index), hash);
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

absl::Status BuildTlog(WriteTxn& txn) {
  TlogBuilder builder;
  return ForEachJournalEntry(
      txn, 1, [&](const JournalEntryView& entry) -> absl::StatusOr<bool> {
        if (entry.seq != builder.size() + 1) {
          return absl::DataLossError(
              absl::StrCat("cannot build the Merkle tree: journal seq ",
                           builder.size() + 1, " is missing (seq ", entry.seq,
                           " follows); run smptrace admin verify"));
        }
        builder.Add(TlogLeafHash(TlogLeafData(entry.seq, entry.event)),
                    [&](int level, uint64_t index, const std::string& hash) {
                      txn.Put(Cf::kTlog, TlogNodeKey(level, index), hash);
                    });
        return true;
      });
}

absl::StatusOr<TlogVerification> VerifyTlog(const Reader& reader) {
  TlogVerification v;
  TlogBuilder builder;
  uint64_t nodes = 0;
  absl::Status read_error = absl::OkStatus();
  SMPTRACE_RETURN_IF_ERROR(ForEachJournalEntry(
      reader, 1, [&](const JournalEntryView& entry) -> absl::StatusOr<bool> {
        builder.Add(
            TlogLeafHash(TlogLeafData(entry.seq, entry.event)),
            [&](int level, uint64_t index, const std::string& hash) {
              ++nodes;
              if (!v.ok || !read_error.ok()) return;
              auto stored = reader.Get(Cf::kTlog, TlogNodeKey(level, index));
              if (!stored.ok()) {
                read_error = stored.status();
                return;
              }
              if (!stored->has_value() || **stored != hash) {
                v.ok = false;
                v.first_bad_seq = entry.seq;
                v.detail = absl::StrCat(
                    "the Merkle tree's node (level ", level, ", index ", index,
                    ") ",
                    stored->has_value()
                        ? absl::StrCat("is ", ToHex(**stored),
                                       " but the entries hash to ", ToHex(hash))
                        : std::string("is missing"),
                    ": it first covers seq ", entry.seq);
              }
            });
        if (!read_error.ok()) return read_error;
        return v.ok;
      }));
  v.leaves = builder.size();
  if (!v.ok) return v;
  uint64_t stored_nodes = 0;
  SMPTRACE_RETURN_IF_ERROR(
      reader.Scan(Cf::kTlog, "", "", [&](std::string_view, std::string_view) {
        ++stored_nodes;
        return true;
      }));
  if (stored_nodes != nodes) {
    v.ok = false;
    v.first_bad_seq = builder.size() + 1;
    v.detail = absl::StrCat("the Merkle tree holds ", stored_nodes,
                            " nodes but the journal's ", builder.size(),
                            " entries make ", nodes,
                            ": it has nodes for entries the journal lacks");
  }
  return v;
}

}  // namespace smptrace::storage
