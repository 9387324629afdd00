// smptrace_bench_lookback: how long a recall lookback takes when the store
// holds a long history, to show that the time grows with the answer (the
// lot's units and sessions), not with the history (DESIGN.md §4, issue 6).
//
//   smptrace_bench_lookback --data_dir /tmp/lookback --uses 1000000
//
// It builds the history through the real services of an in-process server
// (the same decisions, projection and indexes as smptraced; only the fsync
// is switched off while loading, which changes no stored byte): one
// cartridge product received in lots of 1,000 units, sessions of 4 scans
// each until `--uses` units are opened, and one small lot (`--small_lot`
// units, all used, one session each) received last; units are scanned by
// their serial labels. Then it times, on the finished store: TraceLot of the
// small lot, TraceLot of one 1,000-unit lot, and TraceProduct of a product with
// only the small lot. Output: key=value lines.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/clock.h"
#include "grpcpp/client_context.h"
#include "service/api/server.h"
#include "service/domain/gs1.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "smptrace/v1/inventory.grpc.pb.h"
#include "smptrace/v1/session.grpc.pb.h"

namespace {

using Steady = std::chrono::steady_clock;
using namespace smptrace;

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

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = "/tmp/smptrace-lookback";
  int64_t uses = 1000000;
  int small_lot = 50;
  int repeats = 50;
  CLI::App app{"smptrace_bench_lookback: recall lookback time vs history size"};
  app.add_option("--data_dir", data_dir, "a fresh scratch directory")
      ->capture_default_str();
  app.add_option("--uses", uses, "units opened into sessions (history)")
      ->capture_default_str();
  app.add_option("--small_lot", small_lot, "units of the small traced lot")
      ->capture_default_str();
  app.add_option("--repeats", repeats, "timed repeats per query")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  api::ServerOptions options;
  options.listen = "";
  options.data_dir = data_dir;
  options.insecure_dev = true;
  options.ledger.sync = false;  // loading only; see the comment at the top
  auto server = api::Server::Start(options, SystemClock::Get());
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  auto channel = (*server)->InProcessChannel();
  auto catalog = v1::CatalogService::NewStub(channel);
  auto inventory = v1::InventoryService::NewStub(channel);
  auto sessions = v1::SessionService::NewStub(channel);
  auto audit = v1::AuditService::NewStub(channel);
  int64_t request = 0;
  auto id = [&] { return absl::StrCat("r", ++request); };

  const std::string cartridge = Gtin("0950600000001");
  const std::string other = Gtin("0950600000002");
  {
    for (const std::string& name :
         {std::string("Clinic"), std::string("Room")}) {
      v1::CreateLocationRequest r;
      r.set_request_id(id());
      r.mutable_location()->set_name(name);
      r.mutable_location()->set_kind(name == "Clinic" ? v1::LOCATION_KIND_CLINIC
                                                      : v1::LOCATION_KIND_ROOM);
      if (name == "Room") r.mutable_location()->set_parent_id("LOC-000001");
      v1::Location out;
      grpc::ClientContext ctx;
      if (!Check(catalog->CreateLocation(&ctx, r, &out), "location")) return 1;
    }
    for (const std::string& gtin : {cartridge, other}) {
      v1::CreateProductRequest r;
      r.set_request_id(id());
      v1::Product* p = r.mutable_product();
      p->set_gtin(gtin);
      p->set_name(gtin == cartridge ? "Cartridge (history)"
                                    : "Cartridge (small)");
      p->set_kind(v1::PRODUCT_KIND_NEEDLE_CARTRIDGE);
      p->set_manufacturer("Acme");
      p->set_units_per_pack(20);
      p->set_single_use(true);
      p->set_sterile(true);
      p->set_cartridge_configuration("1RL");
      v1::Product out;
      grpc::ClientContext ctx;
      if (!Check(catalog->CreateProduct(&ctx, r, &out), "product")) return 1;
    }
    v1::CreateClientRequest c;
    c.set_request_id(id());
    c.set_code("BENCH");
    c.mutable_contact()->set_name("Bench Client");
    c.mutable_contact()->set_email("bench@example.org");
    v1::Client out;
    grpc::ClientContext ctx;
    if (!Check(sessions->CreateClient(&ctx, c, &out), "client")) return 1;
  }

  std::vector<std::string> serials;  // of the last receipt
  auto receive = [&](const std::string& gtin, const std::string& lot,
                     int64_t units) {
    v1::ReceiveRequest r;
    r.set_request_id(id());
    r.set_location_id("LOC-000002");
    v1::ReceiveLine* line = r.add_lines();
    line->set_gtin(gtin);
    line->set_lot(lot);
    *line->mutable_expiry() = [] {
      v1::Date d;
      d.set_year(2030);
      d.set_month(12);
      d.set_day(31);
      return d;
    }();
    line->set_quantity(static_cast<int32_t>(units));
    v1::ReceiveResponse out;
    grpc::ClientContext ctx;
    if (!Check(inventory->Receive(&ctx, r, &out), "receive")) return false;
    serials.assign(out.lines(0).serials().begin(),
                   out.lines(0).serials().end());
    return true;
  };
  // Scans units `first`..`first + n - 1` of the last receipt by their
  // labels, as practitioners do.
  auto session_using = [&](const std::string& gtin, const std::string& lot,
                           int64_t first, int n) {
    v1::StartSessionRequest s;
    s.set_request_id(id());
    s.set_client("BENCH");
    s.set_practitioner("Bench");
    s.set_location_id("LOC-000002");
    s.set_plan_step(v1::PLAN_STEP_TOUCH_UP);
    s.set_treatment_area("crown");
    s.mutable_answers()->set_none_apply(true);
    v1::Session session;
    grpc::ClientContext ctx;
    if (!Check(sessions->StartSession(&ctx, s, &session), "start"))
      return false;
    for (int i = 0; i < n; ++i) {
      v1::ScanConsumableRequest scan;
      scan.set_request_id(id());
      scan.set_session_id(session.session_id());
      scan.set_barcode("(01)" + gtin + "(10)" + lot + "(21)" +
                       serials[static_cast<size_t>(first + i)]);
      v1::ScanConsumableResponse used;
      grpc::ClientContext c2;
      if (!Check(sessions->ScanConsumable(&c2, scan, &used), "scan"))
        return false;
    }
    return true;
  };

  const auto load_start = Steady::now();
  constexpr int64_t kLot = 1000;
  int64_t opened = 0;
  for (int64_t lot = 0; opened < uses; ++lot) {
    const std::string name = absl::StrCat("H", lot);
    if (!receive(cartridge, name, kLot)) return 1;
    for (int64_t in_lot = 0; in_lot < kLot && opened < uses; in_lot += 4) {
      const int n = static_cast<int>(
          std::min<int64_t>({4, kLot - in_lot, uses - opened}));
      if (!session_using(cartridge, name, in_lot, n)) return 1;
      opened += n;
    }
    if (lot % 100 == 99) {
      std::fprintf(stderr, "loaded %lld uses in %.0f s\n",
                   static_cast<long long>(opened),
                   Ms(Steady::now() - load_start) / 1000);
    }
  }
  if (!receive(other, "SMALL", small_lot)) return 1;
  for (int i = 0; i < small_lot; ++i) {
    if (!session_using(other, "SMALL", i, 1)) return 1;
  }
  const double load_s = Ms(Steady::now() - load_start) / 1000;
  const auto head = (*server)->journal_head();
  std::printf("history: uses=%lld journal_entries=%llu load_seconds=%.1f\n",
              static_cast<long long>(opened),
              static_cast<unsigned long long>(head.seq), load_s);

  auto time = [&](const std::string& label, auto call) {
    std::vector<double> ms;
    v1::TraceResponse out;
    for (int i = 0; i < repeats; ++i) {
      grpc::ClientContext ctx;
      const auto t0 = Steady::now();
      grpc::Status s = call(&ctx, &out);
      ms.push_back(Ms(Steady::now() - t0));
      if (!Check(s, label)) return false;
    }
    std::sort(ms.begin(), ms.end());
    std::printf(
        "%s: units=%lld sessions=%d exposed_clients=%d p50_ms=%.2f p99_ms=%.2f "
        "max_ms=%.2f\n",
        label.c_str(), static_cast<long long>(out.units_examined()),
        out.sessions_size(), out.exposed_client_ids_size(), ms[ms.size() / 2],
        ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], ms.back());
    return true;
  };
  v1::TraceLotRequest small;
  small.set_gtin(other);
  small.set_lot("SMALL");
  v1::TraceLotRequest big;
  big.set_gtin(cartridge);
  big.set_lot("H0");
  v1::TraceProductRequest product;
  product.set_gtin(other);
  bool ok = time("trace_lot_small",
                 [&](grpc::ClientContext* c, v1::TraceResponse* o) {
                   return audit->TraceLot(c, small, o);
                 });
  ok = ok && time("trace_product_small",
                  [&](grpc::ClientContext* c, v1::TraceResponse* o) {
                    return audit->TraceProduct(c, product, o);
                  });
  ok = ok && time("trace_lot_1000",
                  [&](grpc::ClientContext* c, v1::TraceResponse* o) {
                    return audit->TraceLot(c, big, o);
                  });
  (*server)->Shutdown();
  return ok ? 0 : 1;
}
