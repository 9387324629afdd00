#include "service/proof/tlog_proof.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/proof/cosigned_checkpoint.h"
#include "storage/cosignature.h"
#include "storage/journal.h"
#include "storage/keys.h"
#include "storage/merkle.h"
#include "storage/tlog.h"

namespace smptrace::proof {
namespace {

constexpr char kProofHeader[] = "c2sp.org/tlog-proof@v1";
constexpr char kConsistencyHeader[] = "smptrace consistency proof v1";

absl::Status NotAProof(std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("not a tlog proof: ", std::string(why)));
}

absl::Status CheckSize(uint64_t size, uint64_t current_size,
                       std::string_view field) {
  if (size > current_size) {
    return absl::OutOfRangeError(absl::StrCat(std::string(field), ": ", size,
                                              " is larger than the log (",
                                              current_size, " entries)"));
  }
  return absl::OkStatus();
}

// Reads base64 hash lines until a blank line or the end.
absl::StatusOr<std::vector<std::string>> HashLines(
    const std::vector<absl::string_view>& lines, size_t* i) {
  std::vector<std::string> hashes;
  for (; *i < lines.size() && !lines[*i].empty(); ++*i) {
    std::string hash;
    if (!absl::Base64Unescape(lines[*i], &hash) ||
        hash.size() != storage::kHashSize) {
      return NotAProof(
          absl::StrCat("line ", *i + 1, " is not a base64 SHA-256 hash"));
    }
    hashes.push_back(std::move(hash));
  }
  return hashes;
}

}  // namespace

absl::StatusOr<v1::LogCheckpoint> SignLogCheckpoint(
    const storage::Reader& reader, uint64_t size,
    const storage::CheckpointKey& key) {
  storage::TlogCheckpoint c;
  c.origin = storage::DefaultLogOrigin(key);
  c.size = size;
  SMPTRACE_ASSIGN_OR_RETURN(c.root, storage::ReadTlogRoot(reader, size));
  SMPTRACE_ASSIGN_OR_RETURN(std::string note,
                            storage::SignCheckpointNote(key, c));
  v1::LogCheckpoint out;
  // Every witness's cosignature of this tree size, as further signature
  // lines (c2sp.org/tlog-cosignature).
  SMPTRACE_ASSIGN_OR_RETURN(std::vector<storage::Cosignature> cosignatures,
                            storage::ReadCosignatures(reader, size));
  for (const storage::Cosignature& cosignature : cosignatures) {
    *out.add_cosignatures() = CosignatureProto(cosignature);
    absl::StrAppend(&note, cosignature.Line(), "\n");
  }
  out.set_note(std::move(note));
  out.set_origin(c.origin);
  out.set_tree_size(c.size);
  out.set_root_hash(storage::ToHex(c.root));
  out.set_verifier_key(
      storage::NoteVerifierKey(c.origin, key.raw_public_key()));
  return out;
}

absl::StatusOr<v1::CheckCheckpointResponse> CheckCheckpointNote(
    const storage::Reader& reader, std::string_view note,
    const storage::NoteVerifier& verifier) {
  v1::CheckCheckpointResponse out;
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalVerification journal,
                            storage::VerifyJournal(reader));
  out.set_current_seq(journal.good_head.seq);
  auto checkpoint = storage::OpenCheckpointNote(note, verifier);
  if (absl::IsInvalidArgument(checkpoint.status())) return checkpoint.status();
  out.set_signature_valid(checkpoint.ok());
  out.set_signed_by_this_server(checkpoint.ok());
  if (!checkpoint.ok()) {
    out.set_detail(std::string(checkpoint.status().message()));
    return out;
  }
  auto fail = [&](std::string why) {
    out.set_detail(std::move(why));
    return out;
  };
  if (!journal.ok) {
    return fail(absl::StrCat("the journal is damaged at seq ",
                             journal.first_bad_seq, ": ", journal.detail));
  }
  if (checkpoint->size > journal.good_head.seq) {
    return fail(absl::StrCat("the journal ends at seq ", journal.good_head.seq,
                             ", before the checkpoint's tree size ",
                             checkpoint->size,
                             ": entries it covered are gone (rolled back)"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(std::string root,
                            storage::ReadTlogRoot(reader, checkpoint->size));
  if (root != checkpoint->root) {
    return fail(absl::StrCat(
        "the journal's first ", checkpoint->size, " entries hash to root ",
        storage::ToHex(root), ", not the checkpoint's ",
        storage::ToHex(checkpoint->root), ": the history was rewritten"));
  }
  out.set_journal_extends(true);
  out.set_ok(true);
  out.set_detail(absl::StrCat("the journal (now ", journal.good_head.seq,
                              " entries) extends the checkpoint of ",
                              checkpoint->origin, " at tree size ",
                              checkpoint->size));
  return out;
}

absl::StatusOr<v1::InclusionProof> ProveInclusion(
    const storage::Reader& reader, uint64_t seq, uint64_t tree_size,
    uint64_t current_size, const storage::CheckpointKey& key) {
  const bool current = tree_size == 0;
  if (current) tree_size = current_size;
  SMPTRACE_RETURN_IF_ERROR(CheckSize(tree_size, current_size, "tree_size"));
  if (seq == 0 || seq > tree_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("seq: ", seq, " is not an entry of a tree of ", tree_size,
                     " entries (seq runs from 1 to the tree size)"));
  }
  v1::InclusionProof out;
  out.set_leaf_index(seq - 1);
  out.set_tree_size(tree_size);
  SMPTRACE_ASSIGN_OR_RETURN(
      std::vector<std::string> hashes,
      storage::ReadTlogInclusionProof(reader, seq - 1, tree_size));
  for (std::string& h : hashes) out.add_hashes(std::move(h));
  SMPTRACE_ASSIGN_OR_RETURN(
      auto entry,
      reader.Get(storage::Cf::kJournal, storage::keys::JournalKey(seq)));
  if (!entry.has_value() || entry->size() < 2 * storage::kHashSize) {
    return absl::DataLossError(
        absl::StrCat("journal entry ", seq, " is missing or unreadable"));
  }
  out.set_leaf_data(storage::TlogLeafData(
      seq, std::string_view(*entry).substr(2 * storage::kHashSize)));
  std::string note;
  if (current) {
    SMPTRACE_ASSIGN_OR_RETURN(v1::LogCheckpoint checkpoint,
                              SignLogCheckpoint(reader, tree_size, key));
    note = checkpoint.note();
  }
  out.set_tlog_proof(FormatTlogProof(
      out.leaf_index(), out.leaf_data(),
      std::vector<std::string>(out.hashes().begin(), out.hashes().end()),
      note));
  return out;
}

absl::StatusOr<v1::ConsistencyProof> ProveConsistency(
    const storage::Reader& reader, uint64_t old_size, uint64_t new_size,
    uint64_t current_size) {
  if (new_size == 0) new_size = current_size;
  SMPTRACE_RETURN_IF_ERROR(CheckSize(new_size, current_size, "new_size"));
  if (old_size > new_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("old_size: ", old_size, " is larger than new_size ",
                     new_size, "; give the older checkpoint's size first"));
  }
  v1::ConsistencyProof out;
  out.set_old_size(old_size);
  out.set_new_size(new_size);
  SMPTRACE_ASSIGN_OR_RETURN(
      std::vector<std::string> hashes,
      storage::ReadTlogConsistencyProof(reader, old_size, new_size));
  for (std::string& h : hashes) out.add_hashes(std::move(h));
  return out;
}

std::string FormatTlogProof(uint64_t index, std::string_view leaf_data,
                            const std::vector<std::string>& hashes,
                            std::string_view checkpoint_note) {
  std::string out = absl::StrCat(kProofHeader, "\nextra ",
                                 absl::Base64Escape(ToAbsl(leaf_data)),
                                 "\nindex ", index, "\n");
  for (const std::string& h : hashes) {
    absl::StrAppend(&out, absl::Base64Escape(h), "\n");
  }
  absl::StrAppend(&out, "\n", std::string(checkpoint_note));
  return out;
}

absl::StatusOr<VerifiedInclusion> VerifyTlogProofText(
    std::string_view proof_text, std::string_view checkpoint_note,
    const storage::NoteVerifier& verifier) {
  const size_t blank = proof_text.find("\n\n");
  if (blank == std::string_view::npos) {
    return NotAProof("no blank line after the hashes");
  }
  std::vector<absl::string_view> lines =
      absl::StrSplit(ToAbsl(proof_text.substr(0, blank)), '\n');
  if (lines.size() < 3 || lines[0] != kProofHeader) {
    return NotAProof(absl::StrCat("it does not start with ", kProofHeader));
  }
  std::string leaf_data;
  absl::string_view extra = lines[1];
  if (!absl::ConsumePrefix(&extra, "extra ") ||
      !absl::Base64Unescape(extra, &leaf_data) || leaf_data.size() < 8) {
    return NotAProof("its extra line does not hold the entry (base64)");
  }
  absl::string_view index_text = lines[2];
  uint64_t index = 0;
  if (!absl::ConsumePrefix(&index_text, "index ") ||
      !absl::SimpleAtoi(index_text, &index)) {
    return NotAProof("its index line is not 'index N'");
  }
  size_t i = 3;
  SMPTRACE_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                            HashLines(lines, &i));
  std::string_view note =
      checkpoint_note.empty() ? proof_text.substr(blank + 2) : checkpoint_note;
  if (note.empty()) {
    return NotAProof(
        "it carries no checkpoint: give the checkpoint it was made for");
  }
  SMPTRACE_ASSIGN_OR_RETURN(storage::TlogCheckpoint checkpoint,
                            storage::OpenCheckpointNote(note, verifier));
  storage::keys::KeyReader r(std::string_view(leaf_data).substr(0, 8));
  uint64_t seq = 0;
  if (!r.ReadUint64(&seq) || seq != index + 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("the entry is seq ", seq, " but the proof is for index ",
                     index, " (seq ", index + 1, ")"));
  }
  SMPTRACE_RETURN_IF_ERROR(
      storage::VerifyTlogInclusion(storage::TlogLeafHash(leaf_data), index,
                                   checkpoint.size, hashes, checkpoint.root));
  VerifiedInclusion out;
  out.seq = seq;
  out.event = leaf_data.substr(8);
  out.checkpoint = std::move(checkpoint);
  return out;
}

std::string FormatConsistencyProof(const v1::ConsistencyProof& p) {
  std::string out = absl::StrCat(kConsistencyHeader, "\nold ", p.old_size(),
                                 "\nnew ", p.new_size(), "\n");
  for (const std::string& h : p.hashes()) {
    absl::StrAppend(&out, absl::Base64Escape(h), "\n");
  }
  return out;
}

absl::StatusOr<v1::ConsistencyProof> ParseConsistencyProof(
    std::string_view text) {
  std::vector<absl::string_view> lines = absl::StrSplit(ToAbsl(text), '\n');
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  absl::string_view old_line = lines.size() > 1 ? lines[1] : "";
  absl::string_view new_line = lines.size() > 2 ? lines[2] : "";
  if (lines.size() < 3 || lines[0] != kConsistencyHeader ||
      !absl::ConsumePrefix(&old_line, "old ") ||
      !absl::SimpleAtoi(old_line, &old_size) ||
      !absl::ConsumePrefix(&new_line, "new ") ||
      !absl::SimpleAtoi(new_line, &new_size)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a consistency proof: it should start with '",
                     kConsistencyHeader, "', 'old N' and 'new N'"));
  }
  size_t i = 3;
  auto hashes = HashLines(lines, &i);
  if (!hashes.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a consistency proof: ", hashes.status().message()));
  }
  v1::ConsistencyProof p;
  p.set_old_size(old_size);
  p.set_new_size(new_size);
  for (std::string& h : *hashes) p.add_hashes(std::move(h));
  return p;
}

absl::StatusOr<std::pair<storage::TlogCheckpoint, storage::TlogCheckpoint>>
VerifyConsistencyText(std::string_view old_note, std::string_view new_note,
                      std::string_view proof_text,
                      const storage::NoteVerifier& verifier) {
  SMPTRACE_ASSIGN_OR_RETURN(storage::TlogCheckpoint older,
                            storage::OpenCheckpointNote(old_note, verifier));
  SMPTRACE_ASSIGN_OR_RETURN(storage::TlogCheckpoint newer,
                            storage::OpenCheckpointNote(new_note, verifier));
  SMPTRACE_ASSIGN_OR_RETURN(v1::ConsistencyProof proof,
                            ParseConsistencyProof(proof_text));
  if (newer.size < older.size) {
    return absl::FailedPreconditionError(
        absl::StrCat("the newer checkpoint's tree (", newer.size,
                     " entries) is smaller than the older one's (", older.size,
                     "): the log was rolled back"));
  }
  if (proof.old_size() != older.size || proof.new_size() != newer.size) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the proof is from size ", proof.old_size(), " to ", proof.new_size(),
        ", the checkpoints are of sizes ", older.size, " and ", newer.size));
  }
  std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
  SMPTRACE_RETURN_IF_ERROR(storage::VerifyTlogConsistency(
      older.size, newer.size, older.root, newer.root, hashes));
  return std::make_pair(std::move(older), std::move(newer));
}

}  // namespace smptrace::proof
