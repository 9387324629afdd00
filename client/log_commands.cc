#include "client/log_commands.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/checkpoint_commands.h"
#include "client/output.h"
#include "common/files.h"
#include "service/proof/certificate_proof.h"
#include "service/proof/tlog_proof.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/checkpoint_note.h"
#include "storage/journal.h"

namespace smptrace::client {
namespace {

// Writes `text` to `path`, or to stdout when `path` is empty.
bool WriteOut(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
    return true;
  }
  std::ofstream file(path, std::ios::trunc | std::ios::binary);
  file << text;
  if (!file.flush()) {
    std::cerr << "error: cannot write " << path << "\n";
    return false;
  }
  return true;
}

// The tree size a checkpoint note states (its second line), unverified: the
// verify commands check the signature.
absl::StatusOr<uint64_t> NoteSize(const std::string& note,
                                  const std::string& path) {
  std::vector<std::string> lines = absl::StrSplit(note, '\n');
  uint64_t size = 0;
  if (lines.size() < 3 || !absl::SimpleAtoi(lines[1], &size)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a checkpoint note (origin, size, root)"));
  }
  return size;
}

int Fail(const absl::Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

}  // namespace

void AddLogCommands(CLI::App& app, const std::function<Connection()>& connect,
                    int* exit_code) {
  auto* log = app.add_subcommand(
      "log",
      "the transparency log: signed checkpoints, inclusion and consistency "
      "proofs, checked offline with the log's key");
  log->require_subcommand(1);

  auto fetch_checkpoint = [=](v1::LogCheckpoint* out,
                              const v1::GetLogCheckpointRequest& r = {}) {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetLogCheckpoint(ctx, r, out);
    });
    if (!s.ok()) *exit_code = ReportError(s);
    return s.ok();
  };

  auto* checkpoint = log->add_subcommand(
      "checkpoint",
      "the log's current signed checkpoint (C2SP note; no sign-in needed)");
  auto checkpoint_out = std::make_shared<std::string>();
  checkpoint->add_option("-o,--out", *checkpoint_out,
                         "write it to this file (default: print it)");
  auto witnessed = std::make_shared<bool>(false);
  checkpoint->add_flag("--witnessed", *witnessed,
                       "the latest checkpoint a witness cosigned, with its "
                       "cosignatures, instead of the current one");
  checkpoint->callback([=] {
    v1::LogCheckpoint out;
    v1::GetLogCheckpointRequest r;
    r.set_witnessed(*witnessed);
    if (!fetch_checkpoint(&out, r)) return;
    *exit_code = WriteOut(*checkpoint_out, out.note()) ? 0 : 1;
  });

  auto* key = log->add_subcommand(
      "key", "the log's verifier key: all the verify commands need");
  key->callback([=] {
    v1::LogCheckpoint out;
    if (!fetch_checkpoint(&out)) return;
    std::cout << out.verifier_key() << "\n";
    *exit_code = 0;
  });

  auto* prove = log->add_subcommand(
      "prove",
      "an entry's inclusion proof (c2sp.org/tlog-proof; auditor): with the "
      "entry and, for the current tree, its signed checkpoint");
  auto seq = std::make_shared<uint64_t>(0);
  auto tree_size = std::make_shared<uint64_t>(0);
  auto prove_out = std::make_shared<std::string>();
  prove->add_option("seq", *seq, "the journal entry")->required();
  prove->add_option("--tree_size", *tree_size,
                    "prove it in this tree (a checkpoint's size; default: the "
                    "current tree)");
  prove->add_option("-o,--out", *prove_out,
                    "write it to this file (default: print it)");
  prove->callback([=] {
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::GetInclusionProofRequest r;
    r.set_seq(*seq);
    r.set_tree_size(*tree_size);
    v1::InclusionProof out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetInclusionProof(ctx, r, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    *exit_code = WriteOut(*prove_out, out.tlog_proof()) ? 0 : 1;
  });

  auto* verify_inclusion = log->add_subcommand(
      "verify-inclusion",
      "check an inclusion proof offline: the checkpoint's signature and the "
      "entry's place in its tree; prints the entry");
  auto proof_path = std::make_shared<std::string>();
  auto vkey = std::make_shared<std::string>();
  auto checkpoint_path = std::make_shared<std::string>();
  verify_inclusion->add_option("proof", *proof_path, "a .tlog-proof file")
      ->required();
  verify_inclusion
      ->add_option("--key", *vkey,
                   "the log's verifier key (smptrace log key), or a file "
                   "holding it")
      ->required();
  verify_inclusion->add_option(
      "--checkpoint", *checkpoint_path,
      "the checkpoint the proof was made for (default: the one it carries)");
  verify_inclusion->callback([=] {
    auto verifier = ReadVerifier(*vkey);
    if (!verifier.ok()) {
      *exit_code = Fail(verifier.status());
      return;
    }
    auto proof_text = ReadTextFile("proof", *proof_path);
    std::string note;
    if (proof_text.ok() && !checkpoint_path->empty()) {
      auto read = ReadTextFile("--checkpoint", *checkpoint_path);
      if (!read.ok()) {
        *exit_code = Fail(read.status());
        return;
      }
      note = *std::move(read);
    }
    if (!proof_text.ok()) {
      *exit_code = Fail(proof_text.status());
      return;
    }
    auto verified = proof::VerifyTlogProofText(*proof_text, note, *verifier);
    if (absl::IsInvalidArgument(verified.status())) {
      *exit_code = Fail(verified.status());
      return;
    }
    if (!verified.ok()) {
      std::cout << "inclusion FAILED: " << verified.status().message() << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << "inclusion OK: entry " << verified->seq << " is in "
              << verified->checkpoint.origin << " at tree size "
              << verified->checkpoint.size << " (root "
              << storage::ToHex(verified->checkpoint.root) << ")\n";
    v1::Event event;
    if (event.ParseFromString(verified->event)) {
      std::cout << ToJson(event) << "\n";
    }
    *exit_code = 0;
  });

  auto* verify_certificate = log->add_subcommand(
      "verify-certificate",
      "check a client's materials-used certificate offline from its QR "
      "code's text: the checkpoint's signature and the session's entry in "
      "its tree; prints what the certificate says");
  auto cert_path = std::make_shared<std::string>();
  auto cert_key = std::make_shared<std::string>();
  verify_certificate
      ->add_option("file", *cert_path,
                   "a file holding the QR code's text as scanned (the URL), "
                   "or - for standard input")
      ->required();
  verify_certificate
      ->add_option("--key", *cert_key,
                   "the clinic's verifier key (smptrace log key), or a file "
                   "holding it")
      ->required();
  verify_certificate->callback([=] {
    auto verifier = ReadVerifier(*cert_key);
    if (!verifier.ok()) {
      *exit_code = Fail(verifier.status());
      return;
    }
    absl::StatusOr<std::string> text;
    if (*cert_path == "-") {
      text = std::string(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      text = ReadTextFile("file", *cert_path);
    }
    if (!text.ok()) {
      *exit_code = Fail(text.status());
      return;
    }
    auto verified = proof::VerifyCertificateText(*text, *verifier);
    if (absl::IsInvalidArgument(verified.status())) {
      *exit_code = Fail(verified.status());
      return;
    }
    if (!verified.ok()) {
      std::cout << "certificate FAILED: " << verified.status().message()
                << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << "certificate OK: entry " << verified->seq << " is in "
              << verified->checkpoint.origin << " at tree size "
              << verified->checkpoint.size << ", signed by " << verifier->name
              << "\n\n"
              << proof::SheetText(
                     proof::SheetOf(verified->seq, verified->event));
    *exit_code = 0;
  });

  auto* prove_consistency = log->add_subcommand(
      "prove-consistency",
      "the proof that the log at NEW extends the log at OLD (two saved "
      "checkpoints; no sign-in needed)");
  auto old_path = std::make_shared<std::string>();
  auto new_path = std::make_shared<std::string>();
  auto consistency_out = std::make_shared<std::string>();
  prove_consistency->add_option("old", *old_path, "the older checkpoint")
      ->required();
  prove_consistency->add_option("new", *new_path, "the newer checkpoint")
      ->required();
  prove_consistency->add_option("-o,--out", *consistency_out,
                                "write it to this file (default: print it)");
  prove_consistency->callback([=] {
    auto old_note = ReadTextFile("old", *old_path);
    auto new_note = ReadTextFile("new", *new_path);
    if (!old_note.ok() || !new_note.ok()) {
      *exit_code = Fail(!old_note.ok() ? old_note.status() : new_note.status());
      return;
    }
    auto old_size = NoteSize(*old_note, *old_path);
    auto new_size = NoteSize(*new_note, *new_path);
    if (!old_size.ok() || !new_size.ok()) {
      *exit_code = Fail(!old_size.ok() ? old_size.status() : new_size.status());
      return;
    }
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::GetConsistencyProofRequest r;
    r.set_old_size(*old_size);
    r.set_new_size(*new_size);
    v1::ConsistencyProof out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetConsistencyProof(ctx, r, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    *exit_code =
        WriteOut(*consistency_out, proof::FormatConsistencyProof(out)) ? 0 : 1;
  });

  auto* verify_consistency = log->add_subcommand(
      "verify-consistency",
      "check offline that the log at NEW extends the log at OLD: both "
      "signatures and the proof (a fork or a rollback fails)");
  auto proof2_path = std::make_shared<std::string>();
  auto vkey2 = std::make_shared<std::string>();
  verify_consistency->add_option("old", *old_path, "the older checkpoint")
      ->required();
  verify_consistency->add_option("new", *new_path, "the newer checkpoint")
      ->required();
  verify_consistency
      ->add_option("proof", *proof2_path,
                   "the proof (smptrace log prove-consistency)")
      ->required();
  verify_consistency
      ->add_option("--key", *vkey2,
                   "the log's verifier key, or a file holding it")
      ->required();
  verify_consistency->callback([=] {
    auto verifier = ReadVerifier(*vkey2);
    if (!verifier.ok()) {
      *exit_code = Fail(verifier.status());
      return;
    }
    auto old_note = ReadTextFile("old", *old_path);
    auto new_note = ReadTextFile("new", *new_path);
    auto proof_text = ReadTextFile("proof", *proof2_path);
    for (const auto* read : {&old_note, &new_note, &proof_text}) {
      if (!read->ok()) {
        *exit_code = Fail(read->status());
        return;
      }
    }
    auto verified = proof::VerifyConsistencyText(*old_note, *new_note,
                                                 *proof_text, *verifier);
    if (absl::IsInvalidArgument(verified.status())) {
      *exit_code = Fail(verified.status());
      return;
    }
    if (!verified.ok()) {
      std::cout << "consistency FAILED: " << verified.status().message()
                << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << "consistency OK: " << verified->second.origin
              << " at tree size " << verified->second.size
              << " extends its tree at size " << verified->first.size << "\n";
    *exit_code = 0;
  });
}

}  // namespace smptrace::client
