// smptrace_bench_lookback: how long a recall lookback takes when the store
// holds a long history, to show that the time grows with the answer (the
// lot's units and sessions), not with the history (DESIGN.md §4, issue 6),
// and how it compares with SQLite answering the same question on the same
// data (issue 20, goal 6).
//
//   smptrace_bench_lookback --data_dir /tmp/lookback --uses 1000000
//
// It builds the history through the real services of an in-process server
// (the same decisions, projection and indexes as smptraced; only the fsync
// is switched off while loading, which changes no stored byte): one
// cartridge product received in lots of 1,000 units, sessions of 4 scans
// each until `--uses` units are opened, and one small lot (`--small_lot`
// units, all used, one session each) received last; units are scanned by
// their serial labels. `--load_threads` clients load at once, each its own
// lots, so that the writer's group commit takes several commands per
// write. A data directory that already holds the history is reused as it is.
//
// Then it copies the units, sessions, their uses and the clients from the
// finished store into SQLite (`--sqlite`, rebuilt each run) with the indexes
// one would create for the question: units by (gtin, lot), uses by (gtin,
// serial), sessions and clients by their keys. It times, alternating the
// three in each round: TraceLot as the ledger answers it on a snapshot (the
// function the audit API calls), the same over in-process gRPC, and the one
// SQLite query that returns the same rows (each unit, the sessions that used
// it and their clients); `--lots` picks one of the two lots. Output:
// key=value lines.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/bench_log.h"
#include "common/clock.h"
#include "grpcpp/client_context.h"
#include "service/api/server.h"
#include "service/domain/gs1.h"
#include "service/domain/ids.h"
#include "service/ledger/recalls/lookback.h"
#include "service/ledger/records.h"
#include "service/ledger/stock/state.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "smptrace/v1/inventory.grpc.pb.h"
#include "smptrace/v1/session.grpc.pb.h"
#include "spdlog/spdlog.h"
#include "storage/keys.h"

namespace {

using Steady = std::chrono::steady_clock;
using namespace smptrace;
namespace keys = storage::keys;

// A GTIN-14 from its first 13 digits.
std::string Gtin(const std::string& body13) {
  return body13 + domain::Gs1CheckDigit(body13);
}

double Ms(Steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

bool Check(const grpc::Status& s, const std::string& what) {
  if (!s.ok()) std::cerr << what << ": " << s.error_message() << "\n";
  return s.ok();
}

constexpr int64_t kLot = 1000;

// Fills the store through the services: see the comment at the top.
class Loader {
 public:
  Loader(std::shared_ptr<grpc::Channel> channel, std::string cartridge,
         std::string other)
      : catalog_(v1::CatalogService::NewStub(channel)),
        inventory_(v1::InventoryService::NewStub(channel)),
        sessions_(v1::SessionService::NewStub(channel)),
        cartridge_(std::move(cartridge)),
        other_(std::move(other)) {}

  bool Setup() {
    for (const std::string& name :
         {std::string("Clinic"), std::string("Room")}) {
      v1::CreateLocationRequest r;
      r.set_request_id(Id());
      r.mutable_location()->set_name(name);
      r.mutable_location()->set_kind(name == "Clinic" ? v1::LOCATION_KIND_CLINIC
                                                      : v1::LOCATION_KIND_ROOM);
      if (name == "Room") r.mutable_location()->set_parent_id("LOC-000001");
      v1::Location out;
      grpc::ClientContext ctx;
      if (!Check(catalog_->CreateLocation(&ctx, r, &out), "location")) {
        return false;
      }
    }
    for (const std::string& gtin : {cartridge_, other_}) {
      v1::CreateProductRequest r;
      r.set_request_id(Id());
      v1::Product* p = r.mutable_product();
      p->set_gtin(gtin);
      p->set_name(gtin == cartridge_ ? "Cartridge (history)"
                                     : "Cartridge (small)");
      p->set_kind(v1::PRODUCT_KIND_NEEDLE_CARTRIDGE);
      p->set_manufacturer("Acme");
      p->set_units_per_pack(20);
      p->set_single_use(true);
      p->set_sterile(true);
      p->set_cartridge_configuration("1RL");
      v1::Product out;
      grpc::ClientContext ctx;
      if (!Check(catalog_->CreateProduct(&ctx, r, &out), "product")) {
        return false;
      }
    }
    v1::CreateClientRequest c;
    c.set_request_id(Id());
    c.set_code("BENCH");
    c.mutable_contact()->set_name("Bench Client");
    c.mutable_contact()->set_email("bench@example.org");
    v1::Client out;
    grpc::ClientContext ctx;
    return Check(sessions_->CreateClient(&ctx, c, &out), "client");
  }

  // Lot `name` of `gtin` received with `units`, and the first `used` of them
  // opened: `per_session` to a session.
  bool LoadLot(const std::string& gtin, const std::string& name, int64_t units,
               int64_t used, int per_session) {
    std::vector<std::string> serials;
    if (!Receive(gtin, name, units, serials)) return false;
    for (int64_t first = 0; first < used; first += per_session) {
      const int n =
          static_cast<int>(std::min<int64_t>(per_session, used - first));
      if (!SessionUsing(gtin, name, serials, first, n)) return false;
    }
    return true;
  }

  const std::string& cartridge() const { return cartridge_; }

 private:
  std::string Id() { return absl::StrCat("r", request_.fetch_add(1) + 1); }

  bool Receive(const std::string& gtin, const std::string& lot, int64_t units,
               std::vector<std::string>& serials) {
    v1::ReceiveRequest r;
    r.set_request_id(Id());
    r.set_location_id("LOC-000002");
    v1::ReceiveLine* line = r.add_lines();
    line->set_gtin(gtin);
    line->set_lot(lot);
    line->mutable_expiry()->set_year(2030);
    line->mutable_expiry()->set_month(12);
    line->mutable_expiry()->set_day(31);
    line->set_quantity(static_cast<int32_t>(units));
    v1::ReceiveResponse out;
    grpc::ClientContext ctx;
    if (!Check(inventory_->Receive(&ctx, r, &out), "receive")) return false;
    serials.assign(out.lines(0).serials().begin(),
                   out.lines(0).serials().end());
    return true;
  }

  // Scans serials[first .. first + n - 1] by their labels, as practitioners
  // do.
  bool SessionUsing(const std::string& gtin, const std::string& lot,
                    const std::vector<std::string>& serials, int64_t first,
                    int n) {
    v1::StartSessionRequest s;
    s.set_request_id(Id());
    s.set_client("BENCH");
    s.set_practitioner("Bench");
    s.set_location_id("LOC-000002");
    s.set_plan_step(v1::PLAN_STEP_TOUCH_UP);
    s.set_treatment_area("crown");
    s.mutable_answers()->set_none_apply(true);
    v1::Session session;
    grpc::ClientContext ctx;
    if (!Check(sessions_->StartSession(&ctx, s, &session), "start")) {
      return false;
    }
    for (int i = 0; i < n; ++i) {
      v1::ScanConsumableRequest scan;
      scan.set_request_id(Id());
      scan.set_session_id(session.session_id());
      scan.set_barcode("(01)" + gtin + "(10)" + lot + "(21)" +
                       serials[static_cast<size_t>(first + i)]);
      v1::ScanConsumableResponse used;
      grpc::ClientContext c2;
      if (!Check(sessions_->ScanConsumable(&c2, scan, &used), "scan")) {
        return false;
      }
    }
    return true;
  }

  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  std::unique_ptr<v1::InventoryService::Stub> inventory_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  const std::string cartridge_;
  const std::string other_;
  std::atomic<int64_t> request_{0};
};

// Loads `uses` uses of 1,000-unit lots H0, H1, ... with `threads` clients
// (client t loads lots t, t + threads, ...), then the small lot.
bool LoadHistory(Loader& loader, const std::string& other, int64_t uses,
                 int small_lot, int threads) {
  if (!loader.Setup()) return false;
  const int64_t lots = (uses + kLot - 1) / kLot;
  std::atomic<bool> ok{true};
  std::atomic<int64_t> done{0};
  const auto start = Steady::now();
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      for (int64_t lot = t; lot < lots && ok; lot += threads) {
        const int64_t used = std::min(kLot, uses - lot * kLot);
        if (!loader.LoadLot(loader.cartridge(), absl::StrCat("H", lot), kLot,
                            used, 4)) {
          ok = false;
        }
        if (done.fetch_add(1) % 100 == 99) {
          std::fprintf(stderr, "loaded %lld lots in %.0f s\n",
                       static_cast<long long>(done.load()),
                       Ms(Steady::now() - start) / 1000);
        }
      }
    });
  }
  for (std::thread& c : clients) c.join();
  // A lot with one unit left in stock, for the lot-only scan.
  return ok && loader.LoadLot(other, "SMALL", small_lot, small_lot, 1) &&
         loader.LoadLot(other, "LOTONLY", kLot, kLot - 1, 4);
}

// ---- SQLite ----------------------------------------------------------------

class Sqlite {
 public:
  ~Sqlite() {
    if (query_ != nullptr) sqlite3_finalize(query_);
    if (db_ != nullptr) sqlite3_close(db_);
  }

  bool Open(const std::string& path) {
    std::filesystem::remove(path);
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) return Fail("open");
    return Exec(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
        "PRAGMA cache_size=-262144;"
        "CREATE TABLE clients(id INTEGER PRIMARY KEY, client_id TEXT,"
        "  code TEXT);"
        "CREATE TABLE sessions(id INTEGER PRIMARY KEY, session_id TEXT,"
        "  client INTEGER, location_id TEXT, started_at INTEGER,"
        "  status INTEGER);"
        "CREATE TABLE units(gtin TEXT, serial TEXT, lot TEXT, state INTEGER,"
        "  received_at INTEGER, received_location_id TEXT,"
        "  po_reference TEXT, adjusted_in INTEGER, adjustment_reason TEXT,"
        "  PRIMARY KEY (gtin, serial));"
        "CREATE TABLE uses(session INTEGER, ord INTEGER, gtin TEXT,"
        "  serial TEXT, voided INTEGER, PRIMARY KEY (session, ord));"
        "BEGIN;");
  }

  // Copies the units, sessions (with their uses) and clients of the store.
  bool Load(const storage::Reader& reader, int64_t* rows) {
    sqlite3_stmt* unit = Prepare(
        "INSERT INTO units VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    sqlite3_stmt* session =
        Prepare("INSERT INTO sessions VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    sqlite3_stmt* use = Prepare("INSERT INTO uses VALUES (?1, ?2, ?3, ?4, ?5)");
    sqlite3_stmt* client = Prepare("INSERT INTO clients VALUES (?1, ?2, ?3)");
    if (unit == nullptr || session == nullptr || use == nullptr ||
        client == nullptr) {
      return false;
    }
    auto text = [](sqlite3_stmt* s, int i, const std::string& v) {
      sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()),
                        SQLITE_TRANSIENT);
    };
    auto step = [&](sqlite3_stmt* s) {
      const bool done = sqlite3_step(s) == SQLITE_DONE;
      sqlite3_reset(s);
      ++*rows;
      return done;
    };
    bool ok = true;
    auto scan = [&](keys::StateTag tag, auto each) {
      const std::string prefix = keys::StatePrefix(tag);
      absl::Status s =
          reader.Scan(storage::Cf::kState, prefix, keys::PrefixEnd(prefix),
                      [&](std::string_view key, std::string_view value) {
                        ok = ok && each(key, value);
                        return ok;
                      });
      ok = ok && s.ok();
    };
    scan(keys::StateTag::kUnit, [&](std::string_view, std::string_view v) {
      v1::Unit u;
      if (!ledger::ParseRecord(v, "unit", &u).ok()) return false;
      text(unit, 1, u.gtin());
      text(unit, 2, u.serial());
      text(unit, 3, u.lot());
      sqlite3_bind_int(unit, 4, u.state());
      sqlite3_bind_int64(
          unit, 5,
          u.received_at().seconds() * 1000000 + u.received_at().nanos() / 1000);
      text(unit, 6, u.received_location_id());
      text(unit, 7, u.po_reference());
      sqlite3_bind_int(unit, 8, u.adjusted_in());
      text(unit, 9, u.adjustment_reason());
      return step(unit);
    });
    scan(keys::StateTag::kSession, [&](std::string_view k, std::string_view v) {
      auto n = keys::DecodeNumberedKey(keys::StateTag::kSession, k);
      v1::Session s;
      if (!n.ok() || !ledger::ParseRecord(v, "session", &s).ok()) return false;
      auto c =
          domain::ParseId(domain::IdKind::kClient, s.client_id(), "client_id");
      if (!c.ok()) return false;
      sqlite3_bind_int64(session, 1, static_cast<int64_t>(*n));
      text(session, 2, s.session_id());
      sqlite3_bind_int64(session, 3, static_cast<int64_t>(*c));
      text(session, 4, s.location_id());
      sqlite3_bind_int64(
          session, 5,
          s.started_at().seconds() * 1000000 + s.started_at().nanos() / 1000);
      sqlite3_bind_int(session, 6, s.status());
      if (!step(session)) return false;
      int ord = 0;
      for (const v1::ConsumableUse& u : s.consumables()) {
        sqlite3_bind_int64(use, 1, static_cast<int64_t>(*n));
        sqlite3_bind_int(use, 2, ord++);
        text(use, 3, u.gtin());
        text(use, 4, u.serial());
        sqlite3_bind_int(use, 5, u.voided());
        if (!step(use)) return false;
      }
      return true;
    });
    scan(keys::StateTag::kClient, [&](std::string_view k, std::string_view v) {
      auto n = keys::DecodeNumberedKey(keys::StateTag::kClient, k);
      v1::Client c;
      if (!n.ok() || !ledger::ParseRecord(v, "client", &c).ok()) return false;
      sqlite3_bind_int64(client, 1, static_cast<int64_t>(*n));
      text(client, 2, c.client_id());
      text(client, 3, c.code());
      return step(client);
    });
    for (sqlite3_stmt* s : {unit, session, use, client}) sqlite3_finalize(s);
    if (!ok) return Fail("load");
    return Exec(
        "CREATE INDEX units_by_lot ON units(gtin, lot);"
        "CREATE INDEX uses_by_unit ON uses(gtin, serial, session);"
        "COMMIT; ANALYZE;"
        // Queries with SQLite's default page cache (2 MB); RocksDB
        // keeps its default 8 MB block cache; the OS page cache serves both.
        "PRAGMA cache_size=-2000;");
  }

  // One row per unit of the lot and session that used it.
  struct Row {
    std::string serial;
    int state = 0;
    int64_t received_at = 0;
    std::string received_location_id, po_reference, adjustment_reason;
    bool adjusted_in = false;
    std::string session_id, client_id, client_code, location_id;
    int64_t started_at = 0;
    int status = 0;
    bool voided = false;
  };
  // The lookback's rows: each unit of the lot, the sessions that used it
  // and their clients.
  bool Trace(const std::string& gtin, const std::string& lot,
             std::vector<Row>& rows) {
    if (query_ == nullptr) {
      query_ = Prepare(
          "SELECT u.serial, u.state, u.received_at, u.received_location_id,"
          "  u.po_reference, u.adjusted_in, u.adjustment_reason,"
          "  s.session_id, c.client_id, c.code, s.location_id, s.started_at,"
          "  s.status, us.voided"
          " FROM units u"
          " LEFT JOIN uses us ON us.gtin = u.gtin AND us.serial = u.serial"
          " LEFT JOIN sessions s ON s.id = us.session"
          " LEFT JOIN clients c ON c.id = s.client"
          " WHERE u.gtin = ?1 AND u.lot = ?2"
          " ORDER BY u.serial, us.session, us.ord");
      if (query_ == nullptr) return false;
    }
    rows.clear();
    sqlite3_bind_text(query_, 1, gtin.data(), static_cast<int>(gtin.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(query_, 2, lot.data(), static_cast<int>(lot.size()),
                      SQLITE_STATIC);
    auto text = [&](int i) {
      const auto* p =
          reinterpret_cast<const char*>(sqlite3_column_text(query_, i));
      return p == nullptr
                 ? std::string()
                 : std::string(
                       p, static_cast<size_t>(sqlite3_column_bytes(query_, i)));
    };
    int rc;
    while ((rc = sqlite3_step(query_)) == SQLITE_ROW) {
      Row& r = rows.emplace_back();
      r.serial = text(0);
      r.state = sqlite3_column_int(query_, 1);
      r.received_at = sqlite3_column_int64(query_, 2);
      r.received_location_id = text(3);
      r.po_reference = text(4);
      r.adjusted_in = sqlite3_column_int(query_, 5) != 0;
      r.adjustment_reason = text(6);
      r.session_id = text(7);
      r.client_id = text(8);
      r.client_code = text(9);
      r.location_id = text(10);
      r.started_at = sqlite3_column_int64(query_, 11);
      r.status = sqlite3_column_int(query_, 12);
      r.voided = sqlite3_column_int(query_, 13) != 0;
    }
    sqlite3_reset(query_);
    return rc == SQLITE_DONE || Fail("query");
  }

  // The query plan, one line per step.
  std::string Plan() {
    std::string plan;
    sqlite3_stmt* s = Prepare(
        "EXPLAIN QUERY PLAN SELECT 1 FROM units u"
        " LEFT JOIN uses us ON us.gtin = u.gtin AND us.serial = u.serial"
        " LEFT JOIN sessions s ON s.id = us.session"
        " LEFT JOIN clients c ON c.id = s.client"
        " WHERE u.gtin = 'x' AND u.lot = 'y'"
        " ORDER BY u.serial, us.session, us.ord");
    while (s != nullptr && sqlite3_step(s) == SQLITE_ROW) {
      absl::StrAppend(&plan, plan.empty() ? "" : "; ",
                      reinterpret_cast<const char*>(sqlite3_column_text(s, 3)));
    }
    sqlite3_finalize(s);
    return plan;
  }

 private:
  bool Fail(const char* what) {
    std::cerr << "sqlite " << what << ": " << sqlite3_errmsg(db_) << "\n";
    return false;
  }
  bool Exec(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK ||
           Fail(sql);
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) {
      Fail(sql);
      return nullptr;
    }
    return s;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* query_ = nullptr;
};

struct Timing {
  std::vector<double> ms;
  double P(int percent) {
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, ms.size() * percent / 100)];
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = "/tmp/smptrace-lookback";
  std::string sqlite_path;
  int64_t uses = 1000000;
  int small_lot = 50;
  int repeats = 50;
  int load_threads = 4;
  std::string lots = "all";
  std::string answers_path;
  CLI::App app{
      "smptrace_bench_lookback: recall lookback time vs history size, and vs "
      "SQLite"};
  app.add_option("--data_dir", data_dir,
                 "a fresh scratch directory, or one this bench filled before")
      ->capture_default_str();
  app.add_option("--sqlite", sqlite_path,
                 "the SQLite file to fill (default: <data_dir>.sqlite); "
                 "'off': no SQLite");
  app.add_option("--uses", uses, "units opened into sessions (history)")
      ->capture_default_str();
  app.add_option("--small_lot", small_lot, "units of the small traced lot")
      ->capture_default_str();
  app.add_option("--repeats", repeats, "timed repeats per query")
      ->capture_default_str();
  app.add_option("--load_threads", load_threads, "clients loading at once")
      ->capture_default_str();
  app.add_option("--lots", lots,
                 "which lots to time: all, small or 1000 (one lot alone, "
                 "e.g. under callgrind)")
      ->check(CLI::IsMember({"all", "small", "1000"}))
      ->capture_default_str();
  app.add_option("--answers", answers_path,
                 "write the bytes of the ledger's answers for a few lots and "
                 "a product here, to compare two builds on one store");
  bool call_log = false;
  smptrace::bench::AddCallLogFlag(app, call_log);
  CLI11_PARSE(app, argc, argv);
  smptrace::bench::LogToStderr(smptrace::bench::CallLogLevel(call_log));
  api::PrepareServerProcess();
  if (sqlite_path.empty()) sqlite_path = data_dir + ".sqlite";

  api::ServerOptions options;
  options.listen = "";
  options.data_dir = data_dir;
  options.insecure_dev = true;
  options.ledger.sync = false;  // loading only; see the comment at the top
  const auto open_start = Steady::now();
  auto server = api::Server::Start(options, SystemClock::Get());
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  const double open_s = Ms(Steady::now() - open_start) / 1000;
  auto channel = (*server)->InProcessChannel();
  auto audit = v1::AuditService::NewStub(channel);
  const std::string cartridge = Gtin("0950600000001");
  const std::string other = Gtin("0950600000002");

  const bool reused = (*server)->journal_head().seq > 0;
  const auto load_start = Steady::now();
  if (!reused) {
    Loader loader(channel, cartridge, other);
    if (!LoadHistory(loader, other, uses, small_lot, load_threads)) return 1;
  }
  const double load_s = Ms(Steady::now() - load_start) / 1000;
  const auto head = (*server)->journal_head();
  std::printf(
      "history: journal_entries=%llu %s=%.1f open_seconds=%.1f "
      "entries_per_second=%.0f\n",
      static_cast<unsigned long long>(head.seq),
      reused ? "reused_store_load_seconds" : "load_seconds", load_s, open_s,
      reused ? 0.0 : static_cast<double>(head.seq) / load_s);

  const bool with_sqlite = sqlite_path != "off";
  Sqlite sqlite;
  if (with_sqlite) {
    int64_t rows = 0;
    const auto sqlite_start = Steady::now();
    {
      auto snapshot = (*server)->store().NewSnapshot();
      if (!sqlite.Open(sqlite_path) || !sqlite.Load(*snapshot, &rows)) {
        return 1;
      }
    }
    std::printf("sqlite: rows=%lld load_seconds=%.1f plan=\"%s\"\n",
                static_cast<long long>(rows),
                Ms(Steady::now() - sqlite_start) / 1000, sqlite.Plan().c_str());
  }

  // One label: `repeats` rounds, each timing the ledger's TraceLot on a
  // fresh snapshot, the same over gRPC, and SQLite, in turn.
  auto time = [&](const std::string& label, const std::string& gtin,
                  const std::string& lot) {
    Timing direct, rpc, lite;
    v1::TraceResponse out, over_rpc;
    std::vector<Sqlite::Row> sql_rows;
    v1::TraceLotRequest request;
    request.set_gtin(gtin);
    request.set_lot(lot);
    for (int i = 0; i < repeats; ++i) {
      auto t0 = Steady::now();
      {
        auto snapshot = (*server)->store().NewSnapshot();
        auto traced = ledger::TraceLot(*snapshot, gtin, lot);
        if (absl::IsNotFound(traced.status())) {
          // A load stopped before this lot (a reused, partial store).
          std::printf("%s: not in this store\n", label.c_str());
          return true;
        }
        if (!traced.ok()) {
          std::cerr << label << ": " << traced.status() << "\n";
          return false;
        }
        out = *std::move(traced);
      }
      direct.ms.push_back(Ms(Steady::now() - t0));
      t0 = Steady::now();
      grpc::ClientContext ctx;
      grpc::Status s = audit->TraceLot(&ctx, request, &over_rpc);
      rpc.ms.push_back(Ms(Steady::now() - t0));
      if (!Check(s, label)) return false;
      if (!with_sqlite) continue;
      t0 = Steady::now();
      if (!sqlite.Trace(gtin, lot, sql_rows)) return false;
      lite.ms.push_back(Ms(Steady::now() - t0));
    }
    std::printf(
        "%s: units=%lld sessions=%d exposed_clients=%d p50_ms=%.3f "
        "p99_ms=%.3f grpc_p50_ms=%.3f grpc_p99_ms=%.3f",
        label.c_str(), static_cast<long long>(out.units_examined()),
        out.sessions_size(), out.exposed_client_ids_size(), direct.P(50),
        direct.P(99), rpc.P(50), rpc.P(99));
    if (with_sqlite) {
      std::printf(
          " sqlite_rows=%zu sqlite_p50_ms=%.3f sqlite_p99_ms=%.3f "
          "ratio_p50=%.2f grpc_ratio_p50=%.2f",
          sql_rows.size(), lite.P(50), lite.P(99), direct.P(50) / lite.P(50),
          rpc.P(50) / lite.P(50));
    }
    std::printf("\n");
    return true;
  };
  bool ok = (lots == "1000" || time("trace_lot_small", other, "SMALL")) &&
            (lots == "small" || time("trace_lot_1000", cartridge, "H0"));

  // A lot-only scan's read: the first unit in stock of a lot whose other
  // 999 units were opened, through the first-in-stock index
  // (InStockSerials) and, in the same rounds, by seeking to the lot's first
  // in-stock key as before it (stepping over the deleted keys).
  auto lot_only =
      ledger::InStockSerials((*server)->store().live(), other, "LOTONLY", 2, 1);
  if (ok && lot_only.ok() && lot_only->empty()) {
    std::printf("lot_only_scan_read: not in this store\n");
  } else if (ok) {
    Timing indexed, from_prefix;
    const std::string prefix = keys::InStockPrefix(other, "LOTONLY", 2);
    std::string b;
    for (int i = 0; i < repeats && ok; ++i) {
      auto snapshot = (*server)->store().NewSnapshot();
      auto t0 = Steady::now();
      auto serials = ledger::InStockSerials(*snapshot, other, "LOTONLY", 2, 1);
      indexed.ms.push_back(Ms(Steady::now() - t0));
      t0 = Steady::now();
      absl::Status s =
          snapshot->Scan(storage::Cf::kIndex, prefix, keys::PrefixEnd(prefix),
                         [&](std::string_view key, std::string_view) {
                           b = std::string(key);
                           return false;
                         });
      from_prefix.ms.push_back(Ms(Steady::now() - t0));
      ok = serials.ok() && serials->size() == 1 && s.ok() &&
           keys::InStockKey(other, "LOTONLY", 2, (*serials)[0]) == b;
    }
    if (ok) {
      std::printf(
          "lot_only_scan_read: opened_before_it=%lld p50_ms=%.4f "
          "p99_ms=%.4f from_prefix_p50_ms=%.4f from_prefix_p99_ms=%.4f\n",
          static_cast<long long>(kLot - 1), indexed.P(50), indexed.P(99),
          from_prefix.P(50), from_prefix.P(99));
    }
  }
  // A change that makes the lookback cheaper must not change its answers:
  // two builds given the same store write the same file.
  if (ok && !answers_path.empty()) {
    auto snapshot = (*server)->store().NewSnapshot();
    std::ofstream out(answers_path, std::ios::binary);
    const absl::StatusOr<v1::TraceResponse> answers[] = {
        ledger::TraceLot(*snapshot, cartridge, "H0"),
        ledger::TraceLot(*snapshot, cartridge, "H1"),
        ledger::TraceLot(*snapshot, other, "SMALL"),
        ledger::TraceLot(*snapshot, other, "LOTONLY"),
        ledger::TraceProduct(*snapshot, other)};
    for (const auto& answer : answers) {
      const std::string bytes = answer.ok() ? answer->SerializeAsString()
                                            : answer.status().ToString();
      out << bytes.size() << "\n" << bytes << "\n";
    }
    ok = out.good();
    std::printf("answers: %s\n", ok ? answers_path.c_str() : "not written");
  }
  (*server)->Shutdown();
  return ok ? 0 : 1;
}
