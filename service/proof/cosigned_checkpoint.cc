#include "service/proof/cosigned_checkpoint.h"

#include <sys/stat.h>

#include <cerrno>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "storage/journal.h"
#include "storage/tlog.h"

namespace smptrace::proof {

std::string DefaultWitnessKeysPath(const std::string& data_dir) {
  std::string dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir + ".witnesses";
}

absl::StatusOr<std::vector<storage::NoteVerifier>> ParseWitnessKeys(
    std::string_view text) {
  std::vector<storage::NoteVerifier> out;
  int n = 0;
  for (absl::string_view line : absl::StrSplit(ToAbsl(text), '\n')) {
    ++n;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    auto key = storage::ParseNoteVerifierKey(
        std::string_view(line.data(), line.size()),
        storage::NoteKeyType::kCosignatureV1);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("witness keys, line ", n, ": ", key.status().message()));
    }
    out.push_back(*std::move(key));
  }
  return out;
}

absl::StatusOr<std::vector<storage::NoteVerifier>> LoadWitnessKeys(
    const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 && errno == ENOENT) {
    return std::vector<storage::NoteVerifier>{};
  }
  SMPTRACE_ASSIGN_OR_RETURN(std::string text,
                            ReadTextFile("--witness_keys", path));
  auto keys = ParseWitnessKeys(text);
  if (!keys.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--witness_keys ", path, ": ", keys.status().message()));
  }
  return keys;
}

v1::LogCosignature CosignatureProto(const storage::Cosignature& c) {
  v1::LogCosignature out;
  out.set_witness(c.witness);
  out.set_key_id(storage::ToHex(c.key_id));
  out.mutable_time()->set_seconds(static_cast<int64_t>(c.time));
  out.set_line(c.Line());
  return out;
}

absl::StatusOr<CheckedCosignatures> CheckCosignedNote(
    const storage::Reader& reader, std::string_view note, uint64_t current_size,
    const storage::CheckpointKey& key,
    const std::vector<storage::NoteVerifier>& witnesses) {
  SMPTRACE_ASSIGN_OR_RETURN(storage::SplitNote split,
                            storage::SplitSignedNote(note));
  SMPTRACE_ASSIGN_OR_RETURN(storage::TlogCheckpoint stated,
                            storage::ParseCheckpointText(split.text));
  const std::string origin = storage::DefaultLogOrigin(key);
  if (stated.origin != origin) {
    return absl::FailedPreconditionError(
        absl::StrCat("note: the checkpoint is of log '", stated.origin,
                     "', not of this server's log '", origin, "'"));
  }
  if (stated.size > current_size) {
    return absl::FailedPreconditionError(absl::StrCat(
        "note: the checkpoint's tree has ", stated.size,
        " entries, more than this log holds (", current_size, ")"));
  }
  storage::TlogCheckpoint own;
  own.origin = origin;
  own.size = stated.size;
  SMPTRACE_ASSIGN_OR_RETURN(own.root,
                            storage::ReadTlogRoot(reader, stated.size));
  if (own.root != stated.root) {
    return absl::FailedPreconditionError(
        absl::StrCat("note: this log's tree of ", own.size,
                     " entries has root ", storage::ToHex(own.root),
                     ", the checkpoint says ", storage::ToHex(stated.root),
                     ": it is not a checkpoint this log signed"));
  }
  const std::string text = storage::CheckpointText(own);
  if (split.text != text) {
    return absl::FailedPreconditionError(
        "note: its text is not this log's checkpoint as the server signs it "
        "(origin, size and root hash, nothing else)");
  }
  if (witnesses.empty()) {
    return absl::FailedPreconditionError(
        "this server knows no witness: an admin adds the witness's key "
        "(smptrace witness key) to the file smptraced --witness_keys names");
  }
  CheckedCosignatures out;
  out.size = own.size;
  for (const storage::NoteSignatureLine& line : split.signatures) {
    for (const storage::NoteVerifier& witness : witnesses) {
      std::optional<storage::Cosignature> c =
          storage::CosignatureOf(line, witness);
      if (!c.has_value()) continue;
      if (absl::Status valid = storage::VerifyCosignature(*c, witness, text);
          !valid.ok()) {
        return absl::FailedPreconditionError(
            absl::StrCat("note: ", valid.message()));
      }
      out.cosignatures.push_back(*std::move(c));
    }
  }
  if (out.cosignatures.empty()) {
    std::vector<std::string> names;
    for (const auto& w : witnesses) names.push_back(w.name);
    return absl::FailedPreconditionError(absl::StrCat(
        "note: it carries no cosignature by a witness this server knows (",
        absl::StrJoin(names, ", "),
        "); to trust another, an admin adds its key to the file smptraced "
        "--witness_keys names"));
  }
  return out;
}

absl::StatusOr<OpenedCheckpoint> OpenCosignedCheckpoint(
    std::string_view note, const storage::NoteVerifier& log,
    const std::vector<storage::NoteVerifier>& witnesses) {
  OpenedCheckpoint out;
  SMPTRACE_ASSIGN_OR_RETURN(out.checkpoint,
                            storage::OpenCheckpointNote(note, log));
  SMPTRACE_ASSIGN_OR_RETURN(storage::SplitNote split,
                            storage::SplitSignedNote(note));
  for (const storage::NoteVerifier& witness : witnesses) {
    bool cosigned = false;
    for (const storage::NoteSignatureLine& line : split.signatures) {
      std::optional<storage::Cosignature> c =
          storage::CosignatureOf(line, witness);
      if (!c.has_value()) continue;
      SMPTRACE_RETURN_IF_ERROR(
          storage::VerifyCosignature(*c, witness, split.text));
      out.cosignatures.push_back(*std::move(c));
      cosigned = true;
    }
    if (!cosigned) out.missing.push_back(witness.name);
  }
  return out;
}

}  // namespace smptrace::proof
