#include "storage/checkpoint_note.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/string_view.h"
#include "storage/journal.h"

namespace smptrace::storage {
namespace {

constexpr std::string_view kSigPrefix = "\xe2\x80\x94 ";  // U+2014, space

absl::Status NotANote(std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("not a signed checkpoint note: ", ToAbsl(why)));
}

}  // namespace

std::string DefaultLogOrigin(const CheckpointKey& key) {
  return absl::StrCat("smptrace/", key.key_id().substr(0, 16));
}

std::string CheckpointText(const TlogCheckpoint& c) {
  return absl::StrCat(c.origin, "\n", c.size, "\n", absl::Base64Escape(c.root),
                      "\n");
}

std::string NoteKeyId(std::string_view name, std::string_view raw_public_key,
                      NoteKeyType type) {
  std::string data(name);
  data.push_back('\n');
  data.push_back(static_cast<char>(type));
  data.append(raw_public_key);
  return Sha256(data).substr(0, 4);
}

std::string NoteVerifierKey(std::string_view name,
                            std::string_view raw_public_key, NoteKeyType type) {
  std::string typed(1, static_cast<char>(type));
  typed.append(raw_public_key);
  return absl::StrCat(ToAbsl(name), "+",
                      ToHex(NoteKeyId(name, raw_public_key, type)), "+",
                      absl::Base64Escape(typed));
}

NoteVerifier VerifierOf(const CheckpointKey& key) {
  NoteVerifier v;
  v.name = DefaultLogOrigin(key);
  v.raw_public_key = key.raw_public_key();
  v.key_id = NoteKeyId(v.name, v.raw_public_key);
  return v;
}

absl::StatusOr<NoteVerifier> ParseNoteVerifierKey(std::string_view vkey,
                                                  NoteKeyType type) {
  // The base64 key may itself hold '+': split at the first two only.
  std::vector<std::string> parts = absl::StrSplit(
      absl::StripAsciiWhitespace(ToAbsl(vkey)), absl::MaxSplits('+', 2));
  auto bad = [](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key: not a note verifier key (name+keyid+base64): ", ToAbsl(why)));
  };
  if (parts.size() != 3) return bad("it has not three '+'-separated parts");
  std::string typed;
  if (!absl::Base64Unescape(parts[2], &typed) || typed.size() != 33) {
    return bad("its key is not an Ed25519 key (a type byte and 32 bytes)");
  }
  if (typed[0] != static_cast<char>(type)) {
    return bad(type == NoteKeyType::kCosignatureV1
                   ? "it is not a witness's cosignature key (type 0x04)"
                   : "it is not a log's Ed25519 signing key (type 0x01)");
  }
  NoteVerifier v;
  v.name = parts[0];
  v.raw_public_key = typed.substr(1);
  v.key_id = NoteKeyId(v.name, v.raw_public_key, type);
  if (ToHex(v.key_id) != parts[1]) {
    return bad("its key ID does not match its name and key");
  }
  return v;
}

absl::StatusOr<std::string> SignCheckpointNote(
    const CheckpointKey& key, const TlogCheckpoint& checkpoint) {
  auto signature = SignCheckpoint(key, checkpoint);
  if (!signature.ok()) return signature.status();
  return CheckpointNoteOf(checkpoint,
                          NoteKeyId(checkpoint.origin, key.raw_public_key()),
                          *signature);
}

absl::StatusOr<std::string> SignCheckpoint(const CheckpointKey& key,
                                           const TlogCheckpoint& checkpoint) {
  return key.Sign(CheckpointText(checkpoint));
}

std::string CheckpointNoteOf(const TlogCheckpoint& checkpoint,
                             std::string_view key_id,
                             std::string_view signature) {
  return absl::StrCat(
      CheckpointText(checkpoint), "\n", ToAbsl(kSigPrefix), checkpoint.origin,
      " ", absl::Base64Escape(absl::StrCat(ToAbsl(key_id), ToAbsl(signature))),
      "\n");
}

absl::StatusOr<SplitNote> SplitSignedNote(std::string_view note) {
  const size_t split = note.find("\n\n");
  if (split == std::string_view::npos) {
    return NotANote("no blank line before the signatures");
  }
  SplitNote out;
  out.text = note.substr(0, split + 1);
  for (absl::string_view line :
       absl::StrSplit(ToAbsl(note.substr(split + 2)), '\n')) {
    if (line.empty()) continue;
    NoteSignatureLine sig;
    sig.line = std::string(line);
    if (line.substr(0, kSigPrefix.size()) != ToAbsl(kSigPrefix)) {
      return NotANote("a signature line does not start with '— '");
    }
    line.remove_prefix(kSigPrefix.size());
    const size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) {
      return NotANote("a signature line has no signature");
    }
    sig.name = std::string(line.substr(0, space));
    if (!absl::Base64Unescape(line.substr(space + 1), &sig.bytes)) {
      sig.bytes.clear();
    }
    out.signatures.push_back(std::move(sig));
  }
  return out;
}

absl::StatusOr<TlogCheckpoint> ParseCheckpointText(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return NotANote("its text does not end with a newline");
  }
  std::vector<absl::string_view> lines =
      absl::StrSplit(ToAbsl(text.substr(0, text.size() - 1)), '\n');
  if (lines.size() < 3) return NotANote("fewer than three lines of text");
  TlogCheckpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return NotANote("its first line (the origin) is empty");
  if (!absl::SimpleAtoi(lines[1], &c.size) ||
      lines[1] != absl::StrCat(c.size)) {
    return NotANote("its second line is not a tree size");
  }
  if (!absl::Base64Unescape(lines[2], &c.root) || c.root.size() != kHashSize) {
    return NotANote("its third line is not a base64 SHA-256 root hash");
  }
  return c;
}

absl::StatusOr<TlogCheckpoint> OpenCheckpointNote(
    std::string_view note, const NoteVerifier& verifier) {
  auto split = SplitSignedNote(note);
  if (!split.ok()) return split.status();
  bool signed_by_verifier = false;
  for (const NoteSignatureLine& sig : split->signatures) {
    if (sig.name != verifier.name || sig.bytes.size() != 4 + 64 ||
        sig.bytes.substr(0, 4) != verifier.key_id) {
      continue;
    }
    if (!VerifyRawSignature(verifier.raw_public_key, split->text,
                            std::string_view(sig.bytes).substr(4))
             .ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the checkpoint's signature by ", verifier.name,
                       " does not match its text: the checkpoint was altered"));
    }
    signed_by_verifier = true;
  }
  if (!signed_by_verifier) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the checkpoint carries no signature by key ", verifier.name, " (",
        ToHex(verifier.key_id), "): it is not this log's"));
  }
  auto c = ParseCheckpointText(split->text);
  if (!c.ok()) return c.status();
  if (c->origin != verifier.name) {
    return absl::FailedPreconditionError(
        absl::StrCat("the checkpoint is of log '", c->origin, "', not '",
                     verifier.name, "'"));
  }
  return c;
}

}  // namespace smptrace::storage
