#include "client/admin_commands.h"

#include <iostream>
#include <memory>
#include <string>

#include "client/backup_commands.h"
#include "client/output.h"
#include "service/ledger/rebuild.h"
#include "service/proof/journal_proof.h"
#include "service/proof/rebuild_report.h"
#include "smptrace/v1/admin.grpc.pb.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::client {
namespace {

// Prints a verification; returns the exit code (0 ok, 1 damaged).
int PrintVerification(const v1::VerifyJournalResponse& v, bool json) {
  if (json) {
    std::cout << ToJson(v) << "\n";
  } else if (v.ok()) {
    std::cout << "journal OK: " << v.entries()
              << " entries verified · head seq " << v.head_seq() << " · hash "
              << v.head_hash() << "\n";
  } else {
    std::cout << "journal DAMAGED at seq " << v.first_bad_seq() << ": "
              << ShortEnumName(v1::JournalProblem_Name(v.problem()),
                               "JOURNAL_PROBLEM_")
              << " — " << v.detail() << "\n"
              << "  the " << v.entries()
              << " entries before it verify (head seq " << v.head_seq()
              << ")\n";
  }
  return v.ok() ? 0 : 1;
}

int PrintRebuild(const v1::RebuildCheckResponse& r, bool json) {
  if (json) {
    std::cout << ToJson(r) << "\n";
  } else {
    std::cout << (r.ok() ? "rebuild check OK: " : "rebuild check FAILED: ")
              << r.events_replayed() << " events replayed, "
              << r.records_compared() << " records compared\n";
    for (const auto& d : r.differences()) std::cout << "  " << d << "\n";
  }
  return r.ok() ? 0 : 1;
}

}  // namespace

std::unique_ptr<storage::Store> OpenOffline(const std::string& dir) {
  storage::StoreOptions options;
  options.read_only = true;
  auto store = storage::Store::Open(dir, options);
  if (!store.ok()) {
    std::cerr << "error: " << store.status().message() << "\n";
    return nullptr;
  }
  return std::move(*store);
}

void AddAdminCommands(CLI::App& app, const std::function<Connection()>& connect,
                      int* exit_code) {
  CLI::App* admin =
      app.add_subcommand("admin", "operations on the record itself");
  admin->require_subcommand(1);

  auto verify_dir = std::make_shared<std::string>();
  CLI::App* verify = admin->add_subcommand(
      "verify", "re-hash the whole journal; names the first bad entry");
  verify->add_option("--data_dir", *verify_dir,
                     "verify a stopped server's data directory offline "
                     "instead of asking the server");
  verify->callback([=] {
    if (!verify_dir->empty()) {
      auto store = OpenOffline(*verify_dir);
      if (store == nullptr) {
        *exit_code = 2;
        return;
      }
      auto v = storage::VerifyJournal(store->live());
      if (!v.ok()) {
        std::cerr << "error: " << v.status().message() << "\n";
        *exit_code = 2;
        return;
      }
      *exit_code =
          PrintVerification(proof::ToProto(*v), connect().options().json);
      return;
    }
    Connection conn = connect();
    auto stub = v1::AuditService::NewStub(conn.channel());
    v1::VerifyJournalResponse response;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->VerifyJournal(ctx, v1::VerifyJournalRequest(), &response);
    });
    *exit_code = status.ok() ? PrintVerification(response, conn.options().json)
                             : ReportError(status);
  });

  auto rebuild_dir = std::make_shared<std::string>();
  CLI::App* rebuild = admin->add_subcommand(
      "rebuild-check",
      "replay the journal into a scratch store and compare state and indexes");
  rebuild->add_option("--data_dir", *rebuild_dir,
                      "check a stopped server's data directory offline");
  rebuild->callback([=] {
    if (!rebuild_dir->empty()) {
      auto store = OpenOffline(*rebuild_dir);
      if (store == nullptr) {
        *exit_code = 2;
        return;
      }
      auto report = ledger::RebuildCheck(
          store->live(), proof::RebuildScratchDir(*rebuild_dir), 20);
      if (!report.ok()) {
        std::cerr << "error: " << report.status().message() << "\n";
        *exit_code = 2;
        return;
      }
      *exit_code =
          PrintRebuild(proof::ToProto(*report), connect().options().json);
      return;
    }
    Connection conn = connect();
    auto stub = v1::AdminService::NewStub(conn.channel());
    v1::RebuildCheckResponse response;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->RebuildCheck(ctx, v1::RebuildCheckRequest(), &response);
    });
    *exit_code = status.ok() ? PrintRebuild(response, conn.options().json)
                             : ReportError(status);
  });

  AddBackupCommands(*admin, connect, exit_code);
}

}  // namespace smptrace::client
