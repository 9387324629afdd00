#include "service/proof/witness.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "storage/journal.h"
#include "storage/merkle.h"

namespace smptrace::proof {
namespace {

constexpr std::string_view kStateHeader = "smptrace witness state v1";

absl::Status Refused(std::string why) {
  return absl::FailedPreconditionError(
      absl::StrCat("refused, nothing cosigned: ", why));
}

std::string Hex(std::string_view root) { return storage::ToHex(root); }

}  // namespace

absl::StatusOr<WitnessState> WitnessState::Parse(std::string_view text) {
  std::vector<absl::string_view> lines =
      absl::StrSplit(ToAbsl(text), '\n', absl::SkipEmpty());
  if (lines.empty() || lines[0] != ToAbsl(kStateHeader)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a witness state file: it does not start with '",
                     ToAbsl(kStateHeader), "'"));
  }
  WitnessState state;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], ' ');
    WitnessedLog log;
    if (f.size() != 4 || !absl::SimpleAtoi(f[1], &log.size) ||
        !absl::Base64Unescape(f[2], &log.root) ||
        log.root.size() != storage::kHashSize) {
      return absl::InvalidArgumentError(
          absl::StrCat("witness state file, line ", i + 1,
                       ": not '<origin> <tree size> <base64 root> <log key>'"));
    }
    log.origin = std::move(f[0]);
    log.log_key = std::move(f[3]);
    state.Put(std::move(log));
  }
  return state;
}

std::string WitnessState::Format() const {
  std::string out = absl::StrCat(ToAbsl(kStateHeader), "\n");
  for (const auto& [origin, log] : logs_) {
    absl::StrAppend(&out, origin, " ", log.size, " ",
                    absl::Base64Escape(log.root), " ", log.log_key, "\n");
  }
  return out;
}

const WitnessedLog* WitnessState::Find(std::string_view origin) const {
  auto it = logs_.find(origin);
  return it == logs_.end() ? nullptr : &it->second;
}

void WitnessState::Put(WitnessedLog log) {
  std::string origin = log.origin;
  logs_[origin] = std::move(log);
}

absl::StatusOr<std::unique_ptr<WitnessStateFile>> WitnessStateFile::Open(
    const std::string& path) {
  std::unique_ptr<WitnessStateFile> file(new WitnessStateFile());
  file->path_ = path;
  const std::string lock = path + ".lock";
  file->lock_fd_ =
      open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (file->lock_fd_ < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--state ", lock, ": cannot create (", std::strerror(errno), ")"));
  }
  if (flock(file->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--state ", path,
        ": another witness run is using it; wait for it to finish"));
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return file;  // nothing witnessed yet
    return absl::InvalidArgumentError(absl::StrCat(
        "--state ", path, ": cannot read (", std::strerror(errno), ")"));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("--state ", path, ": others may read or change it (mode ",
                     absl::StrFormat("%03o", st.st_mode & 0777),
                     "); make it the witness's own: chmod 600 ", path));
  }
  SMPTRACE_ASSIGN_OR_RETURN(std::string text, ReadTextFile("--state", path));
  auto state = WitnessState::Parse(text);
  if (!state.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--state ", path, ": ", state.status().message()));
  }
  file->state_ = *std::move(state);
  return file;
}

WitnessStateFile::~WitnessStateFile() {
  if (lock_fd_ >= 0) close(lock_fd_);  // releases the lock
}

absl::Status WitnessStateFile::Save() {
  return ReplacePrivateFile("--state", path_, state_.Format());
}

std::string FormatAddCheckpoint(const AddCheckpoint& request) {
  std::string out = absl::StrCat("old ", request.old_size, "\n");
  for (const std::string& hash : request.proof) {
    absl::StrAppend(&out, absl::Base64Escape(hash), "\n");
  }
  absl::StrAppend(&out, "\n", request.note);
  return out;
}

absl::StatusOr<AddCheckpoint> ParseAddCheckpoint(std::string_view text) {
  auto bad = [](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an add-checkpoint request: ", ToAbsl(why)));
  };
  const size_t blank = text.find("\n\n");
  if (blank == std::string_view::npos) {
    return bad("no blank line before the checkpoint");
  }
  std::vector<absl::string_view> lines =
      absl::StrSplit(ToAbsl(text.substr(0, blank)), '\n');
  AddCheckpoint request;
  absl::string_view old = lines[0];
  if (!absl::ConsumePrefix(&old, "old ") ||
      !absl::SimpleAtoi(old, &request.old_size) ||
      old != absl::StrCat(request.old_size)) {
    return bad("its first line is not 'old <tree size>'");
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string hash;
    if (!absl::Base64Unescape(lines[i], &hash) ||
        hash.size() != storage::kHashSize) {
      return bad(absl::StrCat("line ", i + 1,
                              " is not a base64 SHA-256 hash of the proof"));
    }
    request.proof.push_back(std::move(hash));
  }
  if (request.proof.size() > 63) return bad("more than 63 proof hashes");
  request.note = std::string(text.substr(blank + 2));
  return request;
}

absl::StatusOr<WitnessVerdict> WitnessCheckpoint(
    WitnessState& state, const AddCheckpoint& request,
    const std::optional<storage::NoteVerifier>& log_key,
    const storage::CheckpointKey& key, std::string_view name, absl::Time now) {
  SMPTRACE_ASSIGN_OR_RETURN(storage::SplitNote note,
                            storage::SplitSignedNote(request.note));
  SMPTRACE_ASSIGN_OR_RETURN(storage::TlogCheckpoint stated,
                            storage::ParseCheckpointText(note.text));
  const WitnessedLog* held = state.Find(stated.origin);
  storage::NoteVerifier verifier;
  if (held != nullptr) {
    SMPTRACE_ASSIGN_OR_RETURN(verifier,
                              storage::ParseNoteVerifierKey(held->log_key));
    if (log_key.has_value() &&
        (log_key->name != verifier.name ||
         log_key->raw_public_key != verifier.raw_public_key)) {
      return Refused(absl::StrCat(
          "the key given for log ", stated.origin,
          " is not the one the witness has trusted for it since its first "
          "checkpoint (",
          held->log_key, ")"));
    }
  } else if (!log_key.has_value()) {
    return Refused(absl::StrCat(
        "the witness has never seen log ", stated.origin,
        ": give the log's key (smptrace log key) to trust it from this "
        "checkpoint on"));
  } else {
    verifier = *log_key;
  }
  auto opened = storage::OpenCheckpointNote(request.note, verifier);
  if (!opened.ok()) {
    if (absl::IsInvalidArgument(opened.status())) return opened.status();
    return Refused(std::string(opened.status().message()));
  }
  const storage::TlogCheckpoint& c = *opened;
  if (c.size == 0 && c.root != storage::Sha256("")) {
    return Refused("an empty tree must have the empty tree's root hash");
  }
  WitnessVerdict verdict;
  verdict.checkpoint = c;
  if (held == nullptr) {
    if (request.old_size != 0 || !request.proof.empty()) {
      return Refused(absl::StrCat(
          "the witness has never seen log ", c.origin,
          ", so there is no older checkpoint to prove consistency from: send "
          "old 0 and no proof"));
    }
    verdict.first_seen = true;
    verdict.detail = absl::StrCat(
        "cosigned ", c.origin, " at tree size ", c.size,
        ": the first checkpoint this witness has seen of this log, trusted "
        "on first use; from now on it cosigns only trees that extend this "
        "one");
  } else if (c.size < held->size) {
    return Refused(absl::StrCat(
        "log ", c.origin, " now shows ", c.size, " entries, fewer than the ",
        held->size,
        " this witness already cosigned: the log was rolled back (entries "
        "it once held are gone)"));
  } else if (c.size == held->size && c.root != held->root) {
    return Refused(absl::StrCat(
        "log ", c.origin, " shows a tree of ", c.size, " entries with root ",
        Hex(c.root),
        ", but this witness cosigned the "
        "tree of that size with root ",
        Hex(held->root),
        ": the log forked (two different histories of the same length)"));
  } else if (request.old_size > c.size) {
    return absl::InvalidArgumentError(
        absl::StrCat("old: ", request.old_size,
                     " is larger than the checkpoint's size ", c.size));
  } else if (request.old_size != held->size) {
    return Refused(absl::StrCat(
        "the proof is from tree size ", request.old_size,
        ", but this witness last cosigned ", c.origin, " at tree size ",
        held->size, ": ask for a consistency proof from ", held->size));
  } else if (c.size == held->size) {
    verdict.detail = absl::StrCat("cosigned ", c.origin, " at tree size ",
                                  c.size, " again: the same tree as before");
  } else if (absl::Status linked = storage::VerifyTlogConsistency(
                 held->size, c.size, held->root, c.root, request.proof);
             !linked.ok()) {
    return Refused(absl::StrCat(
        "log ", c.origin, " at tree size ", c.size,
        " does not extend the tree of ", held->size,
        " entries this witness cosigned before (root ", Hex(held->root),
        "): the log forked or rewrote its history (", linked.message(), ")"));
  } else {
    verdict.detail = absl::StrCat("cosigned ", c.origin, " at tree size ",
                                  c.size, ": it extends the tree of size ",
                                  held->size, " this witness cosigned before");
  }
  SMPTRACE_ASSIGN_OR_RETURN(
      verdict.cosignature,
      storage::Cosign(key, name, note.text,
                      static_cast<uint64_t>(absl::ToUnixSeconds(now))));
  WitnessedLog log;
  log.origin = c.origin;
  log.size = c.size;
  log.root = c.root;
  log.log_key =
      storage::NoteVerifierKey(verifier.name, verifier.raw_public_key);
  state.Put(std::move(log));
  return verdict;
}

}  // namespace smptrace::proof
