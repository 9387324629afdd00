#include "storage/journal.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/keys.h"
#include "storage/merkle.h"
#include "storage/tlog.h"

namespace smptrace::storage {
namespace {

// A stored entry: prev_hash || hash || event.
std::string EncodeEntry(std::string_view prev_hash, std::string_view hash,
                        std::string_view event) {
  std::string value;
  value.reserve(2 * kHashSize + event.size());
  value.append(prev_hash);
  value.append(hash);
  value.append(event);
  return value;
}

std::string EncodeHead(const JournalHead& head) {
  std::string value;
  keys::AppendUint64(&value, head.seq);
  value.append(head.hash);
  return value;
}

}  // namespace

bool DecodeJournalEntry(uint64_t seq, std::string_view value,
                        JournalEntryView* out) {
  if (value.size() < 2 * kHashSize) return false;
  out->seq = seq;
  out->prev_hash = value.substr(0, kHashSize);
  out->hash = value.substr(kHashSize, kHashSize);
  out->event = value.substr(2 * kHashSize);
  return true;
}

std::string JournalEntryHash(std::string_view prev_hash, uint64_t seq,
                             std::string_view event) {
  const Sha256Digest digest = JournalEntryDigest(prev_hash, seq, event);
  return std::string(DigestView(digest));
}

Sha256Digest JournalEntryDigest(std::string_view prev_hash, uint64_t seq,
                                std::string_view event) {
  const std::array<char, 8> seq_bytes = keys::EncodeUint64(seq);
  return Sha256Of(
      {prev_hash, std::string_view(seq_bytes.data(), seq_bytes.size()), event});
}

JournalEntryDigests DigestJournalEntry(std::string_view prev_hash, uint64_t seq,
                                       std::string_view event) {
  const std::array<char, 8> seq_bytes = keys::EncodeUint64(seq);
  const std::string_view seq_view(seq_bytes.data(), seq_bytes.size());
  const auto [entry, leaf] = Sha256OfTwo({prev_hash, seq_view, event},
                                         {kTlogLeafPrefix, seq_view, event});
  return {entry, leaf};
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xf]);
  }
  return hex;
}

namespace {

// A head record or a verification mark: seq || hash.
std::optional<JournalHead> DecodeHead(std::string_view value) {
  JournalHead head;
  keys::KeyReader r(value);
  std::string hash;
  if (!r.ReadUint64(&head.seq) || !r.ReadFixed(kHashSize, &hash) || !r.done()) {
    return std::nullopt;
  }
  head.hash = std::move(hash);
  if (head.seq != 0) head.tlog_edge.reset();
  return head;
}

}  // namespace

absl::StatusOr<JournalHead> ReadJournalHead(const Reader& reader) {
  SMPTRACE_ASSIGN_OR_RETURN(auto value,
                            reader.Get(Cf::kMeta, keys::kJournalHeadKey));
  if (!value.has_value()) return JournalHead();
  std::optional<JournalHead> head = DecodeHead(*value);
  if (!head.has_value()) {
    return absl::DataLossError("journal head record is unreadable");
  }
  return *std::move(head);
}

absl::StatusOr<std::optional<JournalHead>> ReadVerifiedMark(
    const Reader& reader) {
  SMPTRACE_ASSIGN_OR_RETURN(auto value,
                            reader.Get(Cf::kMeta, keys::kVerifiedThroughKey));
  if (!value.has_value()) return std::nullopt;
  std::optional<JournalHead> mark = DecodeHead(*value);
  if (!mark.has_value()) {
    return absl::DataLossError("the verification mark is unreadable");
  }
  return mark;
}

void PutVerifiedMark(WriteTxn& txn, const JournalHead& verified) {
  txn.Put(Cf::kMeta, keys::kVerifiedThroughKey, EncodeHead(verified));
}

void ClearVerifiedMark(WriteTxn& txn) {
  txn.Delete(Cf::kMeta, keys::kVerifiedThroughKey);
}

absl::Status LoadTlogEdge(const Reader& reader, JournalHead* head) {
  SMPTRACE_ASSIGN_OR_RETURN(TlogBuilder edge, ReadTlogEdge(reader, head->seq));
  head->tlog_edge = std::move(edge);
  return absl::OkStatus();
}

absl::StatusOr<JournalHead> ReadJournalTail(const Reader& reader) {
  JournalHead tail;
  SMPTRACE_RETURN_IF_ERROR(reader.ScanReverse(
      Cf::kJournal, "", "",
      [&](std::string_view key,
          std::string_view value) -> absl::StatusOr<bool> {
        auto seq = keys::DecodeJournalKey(key);
        JournalEntryView entry;
        if (!seq.ok() || !DecodeJournalEntry(*seq, value, &entry)) {
          return absl::DataLossError("the last journal entry is unreadable");
        }
        tail.seq = *seq;
        tail.hash = std::string(entry.hash);
        return false;
      }));
  return tail;
}

absl::StatusOr<JournalHead> AppendJournalEntry(WriteTxn& txn,
                                               const JournalHead& head,
                                               std::string_view event) {
  JournalHead next;
  next.seq = head.seq + 1;
  const auto [entry_hash, leaf] =
      DigestJournalEntry(head.hash, next.seq, event);
  next.hash = std::string(DigestView(entry_hash));
  txn.Put(Cf::kJournal, keys::JournalKey(next.seq),
          EncodeEntry(head.hash, next.hash, event));
  txn.Put(Cf::kMeta, keys::kJournalHeadKey, EncodeHead(next));
  if (head.tlog_edge.has_value() && head.tlog_edge->size() == head.seq) {
    // The right edge in memory: no stored node is read.
    next.tlog_edge = head.tlog_edge;
    next.tlog_edge->Add(
        leaf, [&](int level, uint64_t index, const Sha256Digest& hash) {
          // A leaf is its entry's hash: not stored (tlog.h).
          if (level > 0) {
            txn.Put(Cf::kTlog, TlogNodeKey(level, index), DigestView(hash));
          }
        });
  } else {
    next.tlog_edge.reset();
    SMPTRACE_RETURN_IF_ERROR(
        AppendTlogLeaf(txn, head.seq, std::string(DigestView(leaf))));
  }
  return next;
}

absl::Status ForEachJournalEntry(
    const Reader& reader, uint64_t from_seq,
    absl::FunctionRef<absl::StatusOr<bool>(const JournalEntryView&)> fn) {
  return reader.Scan(
      Cf::kJournal, keys::JournalKey(from_seq), "",
      [&](std::string_view key,
          std::string_view value) -> absl::StatusOr<bool> {
        auto seq = keys::DecodeJournalKey(key);
        JournalEntryView entry;
        if (!seq.ok() || !DecodeJournalEntry(*seq, value, &entry)) {
          return absl::DataLossError(absl::StrCat(
              "journal entry ", seq.ok() ? *seq : 0, " is unreadable"));
        }
        return fn(entry);
      });
}

}  // namespace smptrace::storage
