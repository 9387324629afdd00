#include "storage/journal.h"

#include <openssl/sha.h>

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

bool DecodeEntry(uint64_t seq, std::string_view value, JournalEntryView* out) {
  if (value.size() < 2 * kHashSize) return false;
  out->seq = seq;
  out->prev_hash = value.substr(0, kHashSize);
  out->hash = value.substr(kHashSize, kHashSize);
  out->event = value.substr(2 * kHashSize);
  return true;
}

std::string EncodeHead(const JournalHead& head) {
  std::string value;
  keys::AppendUint64(&value, head.seq);
  value.append(head.hash);
  return value;
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::string digest(kHashSize, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::string JournalEntryHash(std::string_view prev_hash, uint64_t seq,
                             std::string_view event) {
  // One contiguous buffer and the one-shot SHA256() (the streaming
  // SHA256_Init family is deprecated in OpenSSL 3). Reused per thread.
  thread_local std::string buffer;
  buffer.clear();
  buffer.append(prev_hash);
  keys::AppendUint64(&buffer, seq);
  buffer.append(event);
  return Sha256(buffer);
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

absl::StatusOr<JournalHead> ReadJournalHead(const Reader& reader) {
  SMPTRACE_ASSIGN_OR_RETURN(auto value,
                            reader.Get(Cf::kMeta, keys::kJournalHeadKey));
  JournalHead head;
  if (!value.has_value()) return head;
  keys::KeyReader r(*value);
  std::string hash;
  if (!r.ReadUint64(&head.seq) || !r.ReadFixed(kHashSize, &hash) || !r.done()) {
    return absl::DataLossError("journal head record is unreadable");
  }
  head.hash = std::move(hash);
  return head;
}

absl::StatusOr<JournalHead> ReadJournalTail(const Reader& reader) {
  JournalHead tail;
  SMPTRACE_RETURN_IF_ERROR(reader.ScanReverse(
      Cf::kJournal, "", "",
      [&](std::string_view key,
          std::string_view value) -> absl::StatusOr<bool> {
        auto seq = keys::DecodeJournalKey(key);
        JournalEntryView entry;
        if (!seq.ok() || !DecodeEntry(*seq, value, &entry)) {
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
  next.hash = JournalEntryHash(head.hash, next.seq, event);
  txn.Put(Cf::kJournal, keys::JournalKey(next.seq),
          EncodeEntry(head.hash, next.hash, event));
  txn.Put(Cf::kMeta, keys::kJournalHeadKey, EncodeHead(next));
  SMPTRACE_RETURN_IF_ERROR(AppendTlogLeaf(
      txn, head.seq, TlogLeafHash(TlogLeafData(next.seq, event))));
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
        if (!seq.ok() || !DecodeEntry(*seq, value, &entry)) {
          return absl::DataLossError(absl::StrCat(
              "journal entry ", seq.ok() ? *seq : 0, " is unreadable"));
        }
        return fn(entry);
      });
}

absl::StatusOr<JournalVerification> VerifyJournal(const Reader& reader) {
  JournalVerification v;
  auto fail = [&v](uint64_t seq, JournalProblem problem, std::string detail) {
    v.ok = false;
    v.first_bad_seq = seq;
    v.problem = problem;
    v.detail = std::move(detail);
  };

  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kJournal, "", "", [&](std::string_view key, std::string_view value) {
        const uint64_t expected = v.good_head.seq + 1;
        auto seq = keys::DecodeJournalKey(key);
        if (!seq.ok()) {
          fail(expected, JournalProblem::kUnreadable,
               absl::StrCat("after seq ", v.good_head.seq,
                            " a journal key is not a sequence number (",
                            key.size(), " bytes)"));
          return false;
        }
        if (*seq != expected) {
          fail(expected, JournalProblem::kGap,
               absl::StrCat("seq ", expected, " is missing: seq ",
                            v.good_head.seq, " is followed by seq ", *seq));
          return false;
        }
        JournalEntryView entry;
        if (!DecodeEntry(*seq, value, &entry)) {
          fail(*seq, JournalProblem::kUnreadable,
               absl::StrCat("seq ", *seq, " holds ", value.size(),
                            " bytes, too few for an entry"));
          return false;
        }
        if (entry.prev_hash != v.good_head.hash) {
          fail(*seq, JournalProblem::kBrokenLink,
               absl::StrCat("seq ", *seq, " links to ", ToHex(entry.prev_hash),
                            " but seq ", v.good_head.seq, " has hash ",
                            ToHex(v.good_head.hash)));
          return false;
        }
        std::string hash = JournalEntryHash(entry.prev_hash, *seq, entry.event);
        if (hash != entry.hash) {
          fail(*seq, JournalProblem::kHashMismatch,
               absl::StrCat("seq ", *seq, " stores hash ", ToHex(entry.hash),
                            " but its bytes hash to ", ToHex(hash)));
          return false;
        }
        v.good_head.seq = *seq;
        v.good_head.hash = std::move(hash);
        ++v.entries;
        return true;
      }));
  if (!v.ok) return v;

  auto head = ReadJournalHead(reader);
  if (!head.ok()) {
    fail(v.good_head.seq, JournalProblem::kUnreadable,
         std::string(head.status().message()));
    return v;
  }
  if (head->seq != v.good_head.seq || head->hash != v.good_head.hash) {
    fail(std::min(head->seq, v.good_head.seq + 1),
         JournalProblem::kHeadMismatch,
         absl::StrCat("the journal ends at seq ", v.good_head.seq,
                      " but the head record says seq ", head->seq, " (hash ",
                      ToHex(head->hash), ")"));
    return v;
  }
  SMPTRACE_ASSIGN_OR_RETURN(TlogVerification tree, VerifyTlog(reader));
  if (!tree.ok) {
    fail(tree.first_bad_seq, JournalProblem::kTreeMismatch, tree.detail);
  }
  return v;
}

}  // namespace smptrace::storage
