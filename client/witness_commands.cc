#include "client/witness_commands.h"

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/checkpoint_commands.h"
#include "client/output.h"
#include "common/files.h"
#include "service/proof/cosigned_checkpoint.h"
#include "service/proof/witness.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "storage/checkpoint_note.h"
#include "storage/cosignature.h"
#include "storage/journal.h"
#include "storage/signing.h"

namespace smptrace::client {
namespace {

int Fail(const absl::Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

// The witness's own key and name, as its commands take them.
struct WitnessFlags {
  std::string key_file;
  std::string name;
  std::string state_file;
  std::string log_key;  // a verifier key or a file holding one; "" = none
};

void AddWitnessFlags(CLI::App* command, WitnessFlags* flags,
                     std::string_view prefix) {
  const std::string p(prefix);
  command
      ->add_option("--" + p + "key", flags->key_file,
                   "the witness's private key (smptrace witness key)")
      ->required();
  command
      ->add_option("--" + p + "name", flags->name,
                   "the witness's name, as given to smptrace witness key")
      ->required();
  command
      ->add_option("--" + p + "state", flags->state_file,
                   "the witness's state file: the last checkpoint it "
                   "cosigned of each log (created 0600 on first use)")
      ->required();
  command->add_option(
      "--log-key", flags->log_key,
      "the log's verifier key (smptrace log key), or a file holding it: "
      "needed to trust a log the witness has not seen yet");
}

// Runs the witness over `request`: the state file locked, checked, advanced
// and saved before the cosignature is handed out. Prints the verdict on
// stderr; exit code 1 for a refusal.
absl::StatusOr<proof::WitnessVerdict> RunWitness(
    const WitnessFlags& flags, const proof::AddCheckpoint& request,
    const std::string& served_log_key) {
  auto key = storage::CheckpointKey::Load(flags.key_file);
  if (!key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--key ", flags.key_file, ": ", key.status().message(),
        absl::IsNotFound(key.status()) ? " (smptrace witness key creates one)"
                                       : ""));
  }
  std::optional<storage::NoteVerifier> log_key;
  const std::string& given =
      flags.log_key.empty() ? served_log_key : flags.log_key;
  if (!given.empty()) {
    auto parsed = ReadVerifier(given);
    if (!parsed.ok()) return parsed.status();
    log_key = *std::move(parsed);
  }
  auto file = proof::WitnessStateFile::Open(flags.state_file);
  if (!file.ok()) return file.status();
  auto verdict = proof::WitnessCheckpoint((*file)->state(), request, log_key,
                                          **key, flags.name, absl::Now());
  if (!verdict.ok()) return verdict.status();
  absl::Status saved = (*file)->Save();
  if (!saved.ok()) return saved;
  return verdict;
}

// Exit code and message for a witness run that did not cosign.
int ReportRefusal(const absl::Status& s) {
  if (absl::IsFailedPrecondition(s)) {
    std::cout << "witness: " << s.message() << "\n";
    return 1;
  }
  return Fail(s);
}

}  // namespace

void AddWitnessCommands(CLI::App& app,
                        const std::function<Connection()>& connect,
                        int* exit_code) {
  auto* witness = app.add_subcommand(
      "witness",
      "a witness of a transparency log (c2sp.org/tlog-witness): cosigns a "
      "log's checkpoint only if it extends the last one it cosigned");
  witness->require_subcommand(1);

  auto* key = witness->add_subcommand(
      "key",
      "create the witness's Ed25519 key (mode 0600) if it does not exist, "
      "and print its witness key for the log's server (--witness_keys)");
  auto key_file = std::make_shared<std::string>();
  auto key_name = std::make_shared<std::string>();
  key->add_option("--key", *key_file, "the private key file")->required();
  key->add_option("--name", *key_name,
                  "the witness's name, e.g. inspector.example.org/witness")
      ->required();
  key->callback([=] {
    if (absl::Status valid = storage::ValidateWitnessName(*key_name);
        !valid.ok()) {
      *exit_code = Fail(valid);
      return;
    }
    auto loaded = storage::CheckpointKey::LoadOrCreate(*key_file);
    if (!loaded.ok()) {
      *exit_code = Fail(absl::InvalidArgumentError(
          absl::StrCat("--key ", *key_file, ": ", loaded.status().message())));
      return;
    }
    std::cout << storage::NoteVerifierKey(*key_name,
                                          (*loaded)->raw_public_key(),
                                          storage::NoteKeyType::kCosignatureV1)
              << "\n";
    *exit_code = 0;
  });

  auto* cosign = witness->add_subcommand(
      "cosign",
      "check an add-checkpoint request (c2sp.org/tlog-witness: 'old N', the "
      "consistency proof, a blank line, the checkpoint) and print the "
      "checkpoint with the witness's cosignature");
  auto flags = std::make_shared<WitnessFlags>();
  auto request_path = std::make_shared<std::string>();
  AddWitnessFlags(cosign, flags.get(), "");
  cosign->add_option("request", *request_path, "the request file")->required();
  cosign->callback([=] {
    auto text = ReadTextFile("request", *request_path);
    if (!text.ok()) {
      *exit_code = Fail(text.status());
      return;
    }
    auto request = proof::ParseAddCheckpoint(*text);
    if (!request.ok()) {
      *exit_code = Fail(request.status());
      return;
    }
    auto verdict = RunWitness(*flags, *request, "");
    if (!verdict.ok()) {
      *exit_code = ReportRefusal(verdict.status());
      return;
    }
    std::cerr << "witness: " << verdict->detail << "\n";
    std::cout << request->note << verdict->cosignature.Line() << "\n";
    *exit_code = 0;
  });

  CLI::App* log = app.get_subcommand("log");
  auto* log_cosign = log->add_subcommand(
      "cosign",
      "run a witness against this server: fetch its checkpoint and the "
      "consistency proof from the witness's last one, cosign if it extends "
      "it, and hand the cosignature to the server (auditor, admin)");
  auto live = std::make_shared<WitnessFlags>();
  AddWitnessFlags(log_cosign, live.get(), "witness-");
  log_cosign->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::LogCheckpoint current;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetLogCheckpoint(ctx, {}, &current);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    proof::AddCheckpoint request;
    request.note = current.note();
    {
      // Read-only look at what the witness holds; RunWitness locks and
      // checks again.
      auto held = proof::WitnessStateFile::Open(live->state_file);
      if (!held.ok()) {
        *exit_code = Fail(held.status());
        return;
      }
      const proof::WitnessedLog* log_held =
          (*held)->state().Find(current.origin());
      if (log_held != nullptr) request.old_size = log_held->size;
    }
    if (request.old_size > 0 && request.old_size < current.tree_size()) {
      v1::GetConsistencyProofRequest r;
      r.set_old_size(request.old_size);
      r.set_new_size(current.tree_size());
      v1::ConsistencyProof proof;
      s = conn.Call([&](grpc::ClientContext* ctx) {
        return stub->GetConsistencyProof(ctx, r, &proof);
      });
      if (!s.ok()) {
        *exit_code = ReportError(s);
        return;
      }
      request.proof.assign(proof.hashes().begin(), proof.hashes().end());
    }
    auto verdict = RunWitness(*live, request, current.verifier_key());
    if (!verdict.ok()) {
      *exit_code = ReportRefusal(verdict.status());
      return;
    }
    std::cout << "witness: " << verdict->detail << "\n";
    // The checkpoint's text and this witness's line only: the server judges
    // this cosignature, not the ones it already serves with the note.
    v1::AddLogCosignatureRequest add;
    add.set_note(absl::StrCat(storage::CheckpointText(verdict->checkpoint),
                              "\n", verdict->cosignature.Line(), "\n"));
    v1::LogCheckpoint kept;
    s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->AddLogCosignature(ctx, add, &kept);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    std::vector<std::string> names;
    for (const auto& c : kept.cosignatures()) names.push_back(c.witness());
    std::cout << "server: keeps " << kept.cosignatures_size()
              << (kept.cosignatures_size() == 1 ? " cosignature"
                                                : " cosignatures")
              << " of tree size " << kept.tree_size() << " ("
              << absl::StrJoin(names, ", ") << ")\n";
    *exit_code = 0;
  });

  auto* verify = log->add_subcommand(
      "verify-checkpoint",
      "check a checkpoint offline: the log's signature and each witness's "
      "cosignature");
  auto note_path = std::make_shared<std::string>();
  auto log_key = std::make_shared<std::string>();
  auto witness_keys = std::make_shared<std::vector<std::string>>();
  verify->add_option("checkpoint", *note_path, "the checkpoint file")
      ->required();
  verify
      ->add_option("--key", *log_key,
                   "the log's verifier key, or a file holding it")
      ->required();
  verify->add_option("--witness", *witness_keys,
                     "a witness key (smptrace witness key), or a file of "
                     "them; repeat for several");
  verify->callback([=] {
    auto verifier = ReadVerifier(*log_key);
    if (!verifier.ok()) {
      *exit_code = Fail(verifier.status());
      return;
    }
    std::vector<storage::NoteVerifier> witnesses;
    for (const std::string& w : *witness_keys) {
      std::string text = w;
      if (w.find('+') == std::string::npos) {
        auto file = ReadTextFile("--witness", w);
        if (!file.ok()) {
          *exit_code = Fail(file.status());
          return;
        }
        text = *std::move(file);
      }
      auto parsed = proof::ParseWitnessKeys(text);
      if (!parsed.ok()) {
        *exit_code = Fail(parsed.status());
        return;
      }
      witnesses.insert(witnesses.end(), parsed->begin(), parsed->end());
    }
    auto note = ReadTextFile("checkpoint", *note_path);
    if (!note.ok()) {
      *exit_code = Fail(note.status());
      return;
    }
    auto opened = proof::OpenCosignedCheckpoint(*note, *verifier, witnesses);
    if (absl::IsInvalidArgument(opened.status())) {
      *exit_code = Fail(opened.status());
      return;
    }
    if (!opened.ok()) {
      std::cout << "checkpoint FAILED: " << opened.status().message() << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << "checkpoint OK: " << opened->checkpoint.origin
              << " at tree size " << opened->checkpoint.size << " (root "
              << storage::ToHex(opened->checkpoint.root) << ")\n";
    for (const storage::Cosignature& c : opened->cosignatures) {
      std::cout << "cosigned by witness " << c.witness << "\n";
    }
    // Every witness asked for must have cosigned: an inspector relying on
    // a witness learns when it did not.
    *exit_code = opened->missing.empty() ? 0 : 1;
    for (const std::string& name : opened->missing) {
      std::cout << "NOT cosigned by witness " << name << "\n";
    }
  });
}

}  // namespace smptrace::client
