// What the gRPC benchmarks (smptrace_bench_catalog, smptrace_bench_scan)
// share: a connection of each client's own, the closed loop that drives the
// clients, and the summary line they print.
#ifndef SMPTRACE_CLIENT_BENCH_LOOP_H_
#define SMPTRACE_CLIENT_BENCH_LOOP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace smptrace::bench {

// Where the server is and how to reach it.
struct Target {
  std::string server = "127.0.0.1:8470";
  // TLS (the CA to trust, PEM) and a bearer token, for a secured server.
  std::string ca_cert;
  std::string token;
};

// A channel with its own TCP connection (a local subchannel pool, so
// channels do not share one).
std::shared_ptr<grpc::Channel> OwnConnection(const Target& target);

// grpc.health.v1.Health/Check of the whole server: no work behind it, so its
// rate is what gRPC itself costs on the machine. An error unless SERVING.
grpc::Status CheckServing(const std::shared_ptr<grpc::Channel>& channel);

// One call a client made: its status and its kind (an index into
// LoopResult::kinds).
struct Call {
  grpc::Status status;
  int kind = 0;
};

// Makes client `client`'s call number `seq` (0, 1, ...). Returns false,
// without calling, when that client has nothing left to do.
using CallFn = std::function<bool(int client, int64_t seq, Call& call)>;

struct LoopOptions {
  int clients = 1;
  // Stop after this long, or
  double seconds = 10;
  // after this many calls per client if > 0.
  int64_t calls_per_client = 0;
  // If > 0: calls per second of all clients together, started on a fixed
  // schedule (each client waits for its next slot; a late call starts at
  // once) instead of each as soon as the last was answered.
  double rate = 0;
};

// What the loop saw, per kind of call.
struct KindResult {
  std::vector<double> latencies_ms;  // successful calls, sorted
  int64_t errors = 0;
};
struct LoopResult {
  double seconds = 0;
  std::vector<KindResult> kinds;
  std::string first_error;
  int64_t errors() const;
};

// Runs one thread per client, each making one blocking call at a time (a
// closed loop, like a scanner station that waits for each answer), all
// starting together.
LoopResult RunLoop(const LoopOptions& options, int kinds, const CallFn& call);

// "ok=N errors=E rate=R p50_ms=.. p99_ms=.. max_ms=.." of one kind.
std::string Summary(const KindResult& kind, double seconds);

// What the scan benches set up through a server's API before the clock
// starts: a clinic and a room, one cartridge product, one client per bench
// client, and lots of 1,000 units received into the room.
struct Clinic {
  std::string room_id;
  std::string gtin;
  std::vector<std::string> client_ids;
  struct Unit {
    std::string lot;
    std::string serial;
  };
  std::vector<Unit> units;  // unused, in the order received

  // The unit's label as scanned: "(01)GTIN(10)LOT(21)SERIAL".
  std::string Label(const Unit& unit) const;
};

// Sets up `clinic` on `channel`'s server with `clients` clients and at
// least `units` units; `tag` (four digits) keeps names and GTINs apart from
// other runs on the same data directory. False (the reason on stderr) if a
// call failed.
bool SetUpClinic(const std::shared_ptr<grpc::Channel>& channel,
                 const std::string& tag, int clients, int64_t units,
                 Clinic& clinic);

}  // namespace smptrace::bench

#endif  // SMPTRACE_CLIENT_BENCH_LOOP_H_
