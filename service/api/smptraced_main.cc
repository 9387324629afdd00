// smptraced: the smptrace server.
//
//   smptraced --insecure_dev --data_dir ./smptrace-data --listen 127.0.0.1:8470
//
// SIGTERM or SIGINT shuts down gracefully: health turns NOT_SERVING, no new
// calls are accepted, in-flight calls finish (or are cancelled after the
// grace period), the ledger drains, and RocksDB closes cleanly.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "service/api/server.h"
#include "service/domain/screening_policy.h"
#include "spdlog/spdlog.h"
#include "storage/journal.h"

namespace {

// Writes `text` to `path` atomically (a rename), so a reader never sees half.
bool WriteFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  smptrace::api::ServerOptions options;
  std::string ready_file;
  int grace_seconds = 10;
  std::string time_zone = "localtime";
  std::string fnc1_substitute;
  std::string screening_policy;

  CLI::App app{"smptraced: the smptrace sterility-traceability server"};
  app.add_option("--listen", options.listen,
                 "host:port to listen on (port 0 picks a free port)")
      ->capture_default_str();
  app.add_option("--data_dir", options.data_dir,
                 "RocksDB data directory (created if missing)")
      ->capture_default_str();
  app.add_flag("--insecure_dev", options.insecure_dev,
               "serve WITHOUT authentication (development only)");
  app.add_flag("--reflection,!--no_reflection", options.reflection,
               "gRPC server reflection (on unless --no_reflection)");
  app.add_option("--shutdown_grace_seconds", grace_seconds,
                 "seconds in-flight calls get at shutdown")
      ->capture_default_str();
  app.add_option("--ready_file", ready_file,
                 "once serving, write host:port here (for scripts and tests)");
  app.add_option("--time_zone", time_zone,
                 "the clinic's time zone, e.g. Europe/London: what 'today' is "
                 "for expiry dates ('localtime' = this machine's)")
      ->capture_default_str();
  app.add_option("--fnc1_substitute", fnc1_substitute,
                 "the character the clinic's scanners send for GS1 FNC1 "
                 "instead of ASCII GS (e.g. '~'); GS is always accepted")
      ->check(CLI::Validator(
          [](std::string& s) {
            return s.size() <= 1 ? std::string()
                                 : std::string("must be one character");
          },
          "CHAR"));
  app.add_option("--screening_policy", screening_policy,
                 "the clinic's screening rules (see deploy/screening.conf); "
                 "without it, the built-in defaults, which equal that file");
  CLI11_PARSE(app, argc, argv);
  options.shutdown_grace = absl::Seconds(grace_seconds);
  if (time_zone == "localtime") {
    options.clinic.zone = absl::LocalTimeZone();
  } else if (!absl::LoadTimeZone(time_zone, &options.clinic.zone)) {
    spdlog::critical(
        "--time_zone: unknown time zone '{}' (an IANA name such as "
        "Europe/London; is the tzdata package installed?)",
        time_zone);
    return 1;
  }
  if (!screening_policy.empty()) {
    std::ifstream in(screening_policy);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      spdlog::critical("--screening_policy: cannot read {}", screening_policy);
      return 1;
    }
    auto policy = smptrace::domain::ParseScreeningPolicy(text.str());
    if (!policy.ok()) {
      spdlog::critical("--screening_policy {}: {}", screening_policy,
                       std::string(policy.status().message()));
      return 1;
    }
    options.ledger.screening = *policy;
  }
  if (!fnc1_substitute.empty()) {
    options.clinic.fnc1_substitute = fnc1_substitute[0];
  }

  // Signals are taken by sigwait() below, not by handlers: block them before
  // any thread starts so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (options.insecure_dev) {
    spdlog::warn(
        "INSECURE DEVELOPMENT MODE: no authentication, no TLS; every call is "
        "recorded as actor '{}'. Never use this with real client data.",
        "insecure-dev");
  }
  auto server =
      smptrace::api::Server::Start(options, smptrace::SystemClock::Get());
  if (!server.ok()) {
    spdlog::critical("cannot start: {}", server.status().ToString());
    return 1;
  }
  const auto head = (*server)->journal_head();
  std::string host = options.listen.substr(0, options.listen.rfind(':'));
  std::string address = absl::StrCat(host, ":", (*server)->port());
  spdlog::info(
      "smptraced {} serving on {} · data dir {} · time zone {} · journal head "
      "seq {} hash {}",
      SMPTRACE_VERSION, address, options.data_dir, options.clinic.zone.name(),
      head.seq, smptrace::storage::ToHex(head.hash).substr(0, 16));
  if (!ready_file.empty() && !WriteFileAtomically(ready_file, address + "\n")) {
    spdlog::critical("cannot write --ready_file {}", ready_file);
    return 1;
  }

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("received {}, shutting down (grace {}s)",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT", grace_seconds);
  (*server)->Shutdown();
  const auto final_head = (*server)->journal_head();
  server->reset();
  spdlog::info("stopped cleanly · journal head seq {}", final_head.seq);
  return 0;
}
