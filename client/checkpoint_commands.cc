#include "client/checkpoint_commands.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/admin_commands.h"
#include "client/output.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "service/proof/journal_proof.h"
#include "service/proof/tlog_proof.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "storage/checkpoint_note.h"
#include "storage/signing.h"

namespace smptrace::client {
namespace {

constexpr char kMagic[] = "smptrace checkpoint v1";

// Checks a C2SP checkpoint note: by the server, or offline on `data_dir`
// with the verifier of its key file.
int CheckNote(const std::function<Connection()>& connect,
              const std::string& note, const std::string& data_dir,
              const std::string& signing_key) {
  Connection conn = connect();
  if (!data_dir.empty()) {
    auto store = OpenOffline(data_dir);
    if (store == nullptr) return 2;
    auto key = storage::CheckpointKey::Load(
        signing_key.empty() ? storage::DefaultSigningKeyPath(data_dir)
                            : signing_key);
    if (!key.ok()) {
      std::cerr << "error: " << key.status().message()
                << " (a signed note is checked with the server's key)\n";
      return 2;
    }
    auto r = proof::CheckCheckpointNote(store->live(), note,
                                        storage::VerifierOf(**key));
    if (!r.ok()) {
      std::cerr << "error: " << r.status().message() << "\n";
      return 2;
    }
    return PrintCheck(*r, conn.options().json);
  }
  auto stub = v1::AuditService::NewStub(conn.channel());
  v1::CheckCheckpointRequest r;
  r.set_note(note);
  v1::CheckCheckpointResponse out;
  grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
    return stub->CheckCheckpoint(ctx, r, &out);
  });
  if (!s.ok()) return ReportError(s);
  return PrintCheck(out, conn.options().json);
}

}  // namespace

absl::StatusOr<storage::NoteVerifier> ReadVerifier(const std::string& key) {
  std::string text = key;
  if (key.find('+') == std::string::npos) {
    auto file = ReadTextFile("--key", key);
    if (!file.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--key: neither a verifier key (name+id+key) nor a readable file: ",
          key));
    }
    text = *std::move(file);
  }
  return storage::ParseNoteVerifierKey(text);
}

absl::StatusOr<v1::CheckCheckpointResponse> CheckCheckpointFileOffline(
    const storage::Reader& reader, const std::string& path,
    const std::string& verifier_key) {
  SMPTRACE_ASSIGN_OR_RETURN(std::string text,
                            ReadTextFile("--checkpoint", path));
  if (absl::StartsWith(text, kMagic)) {
    SMPTRACE_ASSIGN_OR_RETURN(v1::Checkpoint checkpoint,
                              ParseCheckpointFile(text));
    return proof::CheckCheckpoint(reader, checkpoint, /*server_key_id=*/"");
  }
  if (verifier_key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--key: required to check the signed checkpoint ", path,
        " (the log's verifier key: smptrace log key, or a file holding it)"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(storage::NoteVerifier verifier,
                            ReadVerifier(verifier_key));
  return proof::CheckCheckpointNote(reader, text, verifier);
}

int PrintCheck(const v1::CheckCheckpointResponse& r, bool json) {
  if (json) {
    std::cout << ToJson(r) << "\n";
  } else {
    std::cout << (r.ok() ? "checkpoint OK: " : "checkpoint FAILED: ")
              << r.detail() << "\n";
  }
  return r.ok() ? 0 : 1;
}

std::string FormatCheckpointFile(const v1::Checkpoint& c) {
  return absl::StrCat(kMagic, "\nseq: ", c.seq(), "\nhash: ", c.hash(),
                      "\nsigned_at: ", FormatTime(c.signed_at()),
                      "\nkey_id: ", c.key_id(), "\nsignature: ", c.signature(),
                      "\npublic_key:\n", c.public_key_pem());
}

absl::StatusOr<v1::Checkpoint> ParseCheckpointFile(const std::string& text) {
  if (!absl::StartsWith(text, kMagic)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a checkpoint file (it should start with '", kMagic, "')"));
  }
  v1::Checkpoint c;
  const size_t pem = text.find("\npublic_key:\n");
  if (pem == std::string::npos) {
    return absl::InvalidArgumentError("the checkpoint file has no public_key");
  }
  c.set_public_key_pem(text.substr(pem + 13));
  for (absl::string_view line : absl::StrSplit(text.substr(0, pem), '\n')) {
    const size_t colon = line.find(": ");
    if (colon == absl::string_view::npos) continue;
    const std::string key(line.substr(0, colon));
    const std::string value(line.substr(colon + 2));
    if (key == "seq") {
      uint64_t seq = 0;
      if (!absl::SimpleAtoi(value, &seq)) {
        return absl::InvalidArgumentError("seq: not a number");
      }
      c.set_seq(seq);
    } else if (key == "hash") {
      c.set_hash(value);
    } else if (key == "key_id") {
      c.set_key_id(value);
    } else if (key == "signature") {
      c.set_signature(value);
    }
  }
  return c;
}

absl::StatusOr<v1::Checkpoint> ReadCheckpointFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  auto checkpoint = ParseCheckpointFile(text.str());
  if (!checkpoint.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", checkpoint.status().message()));
  }
  return checkpoint;
}

void AddCheckpointCommands(CLI::App& app,
                           const std::function<Connection()>& connect,
                           int* exit_code) {
  auto* checkpoint = app.add_subcommand(
      "checkpoint", "signed receipts of the journal: save one, check it later");
  checkpoint->require_subcommand(1);

  auto* save = checkpoint->add_subcommand(
      "save", "ask the server to sign its journal head; write it to FILE");
  auto save_path = std::make_shared<std::string>();
  save->add_option("file", *save_path, "where to keep it")->required();
  save->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::Checkpoint out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetCheckpoint(ctx, {}, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    // The C2SP signed note (the old v1 form stays checkable).
    std::ofstream file(*save_path, std::ios::trunc);
    file << out.note();
    if (!file.flush()) {
      std::cerr << "error: cannot write " << *save_path << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << "checkpoint saved to " << *save_path << ": tree size "
              << out.seq() << " · key " << out.key_id().substr(0, 16) << "…\n";
    *exit_code = 0;
  });

  auto* check = checkpoint->add_subcommand(
      "check", "check that the journal still extends a saved checkpoint");
  auto check_path = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>();
  check->add_option("file", *check_path, "a saved checkpoint")->required();
  check->add_option("--data_dir", *data_dir,
                    "check a stopped server's data directory instead (offline; "
                    "its key file, when readable, must have signed it)");
  auto signing_key = std::make_shared<std::string>();
  check->add_option("--signing_key", *signing_key,
                    "with --data_dir: the server's key file, which must have "
                    "signed it (default: DATA_DIR.checkpoint-ed25519.pem)");
  check->callback([=] {
    std::string note;
    {
      std::ifstream in(*check_path);
      std::stringstream text;
      text << in.rdbuf();
      if (in && !absl::StartsWith(text.str(), kMagic)) note = text.str();
    }
    if (!note.empty()) {
      *exit_code = CheckNote(connect, note, *data_dir, *signing_key);
      return;
    }
    auto checkpoint_file = ReadCheckpointFile(*check_path);
    if (!checkpoint_file.ok()) {
      std::cerr << "error: " << checkpoint_file.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    Connection conn = connect();
    if (!data_dir->empty()) {
      auto store = OpenOffline(*data_dir);
      if (store == nullptr) {
        *exit_code = 2;
        return;
      }
      // The data directory's own key, when it can be read, must have made
      // it; otherwise only the signature with the key it carries is checked.
      std::string key_id;
      auto key = storage::CheckpointKey::Load(
          signing_key->empty() ? storage::DefaultSigningKeyPath(*data_dir)
                               : *signing_key);
      if (key.ok()) {
        key_id = (*key)->key_id();
      } else {
        std::cerr << "note: " << key.status().message()
                  << "; checking the signature with the key in the checkpoint "
                     "file only\n";
      }
      auto r = proof::CheckCheckpoint(store->live(), *checkpoint_file, key_id);
      if (!r.ok()) {
        std::cerr << "error: " << r.status().message() << "\n";
        *exit_code = 2;
        return;
      }
      *exit_code = PrintCheck(*r, conn.options().json);
      return;
    }
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::CheckCheckpointRequest r;
    *r.mutable_checkpoint() = *checkpoint_file;
    v1::CheckCheckpointResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->CheckCheckpoint(ctx, r, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    *exit_code = PrintCheck(out, conn.options().json);
  });

  auto* key = checkpoint->add_subcommand(
      "key",
      "the server's checkpoint public key (keep it with your checkpoints)");
  key->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::PublicKey out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetPublicKey(ctx, {}, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    std::cout << "key_id: " << out.key_id() << "\n" << out.pem();
    *exit_code = 0;
  });
}

}  // namespace smptrace::client
