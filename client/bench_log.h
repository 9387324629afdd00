// Where the benchmarks and the bulk loader log: stderr, so that stdout holds
// only the numbers they print (an in-process server logs every call, and
// RocksDB its write stalls, through spdlog's default logger, which writes
// to stdout).
#ifndef SMPTRACE_CLIENT_BENCH_LOG_H_
#define SMPTRACE_CLIENT_BENCH_LOG_H_

#include <utility>

#include "CLI/CLI.hpp"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace smptrace::bench {

// Makes the default logger write to stderr, from `level` up (warn: RocksDB's
// stalls and the server's warnings, not every call).
inline void LogToStderr(spdlog::level::level_enum level) {
  auto logger = spdlog::stderr_color_mt("bench");
  logger->set_level(level);
  spdlog::set_default_logger(std::move(logger));
}

// --call_log, for the tools that host a server in-process: every call
// logged (info), or warnings only (the default, so that loading measures
// the ledger, not the log). Then LogToStderr(CallLogLevel(call_log)).
inline void AddCallLogFlag(CLI::App& app, bool& call_log) {
  app.add_flag("--call_log", call_log,
               "log every call, as smptraced does (off: warnings only, so "
               "that loading measures the ledger, not the log); the log "
               "goes to stderr");
}
inline spdlog::level::level_enum CallLogLevel(bool call_log) {
  return call_log ? spdlog::level::info : spdlog::level::warn;
}

}  // namespace smptrace::bench

#endif  // SMPTRACE_CLIENT_BENCH_LOG_H_
