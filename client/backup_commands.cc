#include "client/backup_commands.h"

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/admin_commands.h"
#include "client/checkpoint_commands.h"
#include "client/output.h"
#include "service/proof/backup_report.h"
#include "service/proof/journal_proof.h"
#include "smptrace/v1/admin.grpc.pb.h"
#include "storage/backup.h"
#include "storage/journal.h"

namespace smptrace::client {
namespace {

// "4.2 MB" (decimal units, one decimal from 10 kB on).
std::string Size(uint64_t bytes) {
  if (bytes < 10'000) return absl::StrCat(bytes, " B");
  if (bytes < 10'000'000) return absl::StrFormat("%.1f kB", bytes / 1e3);
  if (bytes < 10'000'000'000) return absl::StrFormat("%.1f MB", bytes / 1e6);
  return absl::StrFormat("%.1f GB", bytes / 1e9);
}

std::string DescribeBackup(const v1::Backup& b) {
  return absl::StrCat("backup ", b.backup_id(), " · taken ",
                      FormatTime(b.taken_at()), " · journal head seq ",
                      b.journal_seq(), " hash ", b.journal_hash().substr(0, 16),
                      "… · ", b.files(), " files, ", Size(b.size_bytes()), " (",
                      Size(b.new_bytes()), " new)");
}

// Checks the restored store in `data_dir` end to end: the journal re-hashed
// from seq 1, the head the backup recorded still in it, and the saved
// checkpoint if given (a signed note with `verifier_key`). Prints what it
// found; returns the exit code.
int VerifyRestored(const std::string& data_dir,
                   const storage::BackupRecord& backup,
                   const std::string& checkpoint_path,
                   const std::string& verifier_key, bool json) {
  auto store = OpenOffline(data_dir);
  if (store == nullptr) return 2;
  auto v = storage::VerifyJournal(store->live());
  if (!v.ok()) {
    std::cerr << "error: " << v.status().message() << "\n";
    return 2;
  }
  if (!json) {
    std::cout << (v->ok ? "journal OK: " : "journal DAMAGED: ") << v->entries
              << " entries verified · head seq " << v->good_head.seq
              << " · hash " << storage::ToHex(v->good_head.hash) << "\n";
  }
  if (!v->ok) {
    std::cerr << "error: the restored journal is damaged at seq "
              << v->first_bad_seq << ": " << v->detail
              << "; do not serve it: restore another backup (--backup ID)\n";
    return 1;
  }
  // The backup said which head it held when it began; that entry must be
  // in the restored journal with the same hash.
  std::optional<std::string> hash_at_seq;
  if (backup.head.seq > 0) {
    absl::Status s =
        storage::ForEachJournalEntry(store->live(), backup.head.seq,
                                     [&](const storage::JournalEntryView& e) {
                                       if (e.seq == backup.head.seq)
                                         hash_at_seq = std::string(e.hash);
                                       return false;
                                     });
    if (!s.ok()) {
      std::cerr << "error: " << s.message() << "\n";
      return 2;
    }
    if (hash_at_seq != backup.head.hash) {
      std::cerr << "error: the backup recorded journal head seq "
                << backup.head.seq << " hash "
                << storage::ToHex(backup.head.hash)
                << ", which the restored journal does not hold"
                << " (it ends at seq " << v->good_head.seq
                << "); do not serve it\n";
      return 1;
    }
  }
  if (!json) {
    std::cout << "backup head seq " << backup.head.seq
              << " found in the restored journal\n";
  }
  if (!checkpoint_path.empty()) {
    auto r = CheckCheckpointFileOffline(store->live(), checkpoint_path,
                                        verifier_key);
    if (!r.ok()) {
      std::cerr << "error: " << r.status().message() << "\n";
      return 2;
    }
    const int code = PrintCheck(*r, json);
    if (code != 0) return code;
  }
  return 0;
}

}  // namespace

void AddBackupCommands(CLI::App& admin,
                       const std::function<Connection()>& connect,
                       int* exit_code) {
  auto to = std::make_shared<std::string>();
  CLI::App* backup = admin.add_subcommand(
      "backup",
      "take an online backup while the server serves (incremental: later "
      "backups into the same directory copy only new files)");
  backup
      ->add_option("--to", *to,
                   "absolute directory ON THE SERVER'S MACHINE (the server "
                   "writes it, not this command), outside its data "
                   "directory; created if missing")
      ->required();
  backup->callback([=] {
    Connection conn = connect();
    auto stub = v1::AdminService::NewStub(conn.channel());
    v1::CreateBackupRequest r;
    r.set_request_id(NewRequestId());
    r.set_backup_dir(*to);
    v1::CreateBackupResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->CreateBackup(ctx, r, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
    } else {
      std::cout << DescribeBackup(out.backup()) << "\n"
                << "  written by the server, on its machine; the signing key "
                   "is not in it: keep a copy of the key off-site, apart from "
                   "the backups\n";
    }
    *exit_code = 0;
  });

  auto list_from = std::make_shared<std::string>();
  CLI::App* list = admin.add_subcommand(
      "backup-list", "the backups in a backup directory (offline, read-only)");
  list->add_option("--from", *list_from, "a backup directory on this machine")
      ->required();
  list->callback([=] {
    auto backups = storage::ListBackups(*list_from);
    if (!backups.ok()) {
      std::cerr << "error: " << backups.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    const bool json = connect().options().json;
    for (const auto& b : *backups) {
      const v1::Backup proto = proof::ToProto(b);
      std::cout << (json ? ToJson(proto) : DescribeBackup(proto)) << "\n";
    }
    *exit_code = 0;
  });

  struct RestoreArgs {
    std::string from;
    std::string to;
    uint32_t id = 0;
    std::string checkpoint;
    std::string key;
  };
  auto args = std::make_shared<RestoreArgs>();
  CLI::App* restore = admin.add_subcommand(
      "restore",
      "restore a backup into a NEW data directory (offline), then verify the "
      "restored journal end to end");
  restore->add_option("--from", args->from, "the backup directory")->required();
  CLI::Option* id_option = restore->add_option(
      "--backup", args->id, "the backup's id (backup-list); default: newest");
  restore
      ->add_option("--to", args->to,
                   "the new data directory: must not exist or be empty "
                   "(a live data directory is refused)")
      ->required();
  restore->add_option("--checkpoint", args->checkpoint,
                      "a saved signed checkpoint (smptrace checkpoint save) "
                      "the restored journal must extend");
  restore->add_option("--key", args->key,
                      "the log's verifier key (smptrace log key), or a file "
                      "holding it: checks a --checkpoint in the signed-note "
                      "form");
  restore->callback([=] {
    const bool json = connect().options().json;
    std::optional<uint32_t> id;
    if (id_option->count() > 0) id = args->id;
    auto restored = storage::RestoreBackup(args->from, id, args->to);
    if (!restored.ok()) {
      std::cerr << "error: " << restored.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    const v1::Backup proto = proof::ToProto(*restored);
    if (json) {
      std::cout << ToJson(proto) << "\n";
    } else {
      std::cout << "restored " << DescribeBackup(proto) << "\n  into "
                << args->to << "\n";
    }
    *exit_code =
        VerifyRestored(args->to, *restored, args->checkpoint, args->key, json);
    if (*exit_code == 0 && !json) {
      std::cout << "restore verified: start smptraced --data_dir " << args->to
                << " with the same --signing_key as before\n";
    }
  });
}

}  // namespace smptrace::client
