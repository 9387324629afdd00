#ifndef SMPTRACE_CLIENT_CLINIC_DAYS_H_
#define SMPTRACE_CLIENT_CLINIC_DAYS_H_

#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/connection.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/grpcpp.h"

namespace smptrace::client {

// A period given on the command line as `--from` / `--to` days
// (YYYY-MM-DD; from inclusive, to exclusive), read as the clinic's days:
// the one rule for times, the clinic's zone, holds for what people type as
// for what the CLI prints. Every command with a period uses this.
class DayPeriod {
 public:
  // Adds `--from` and `--to` to `cmd`.
  void AddOptions(CLI::App* cmd);

  // Checks the days before any call; false with `error` naming the flag.
  bool Parse(std::string* error);

  // Sets `request`'s from / to to the start of those days in the clinic's
  // zone, only for the days given (asking for a field creates it). When a
  // day was given it first learns the zone from the server (one health
  // call: every answer names it).
  template <typename Request>
  grpc::Status Resolve(const Connection& conn, Request* request) const {
    if (!from_.has_value() && !to_.has_value()) return grpc::Status::OK;
    absl::TimeZone zone;
    if (grpc::Status s = LearnClinicZone(conn, &zone); !s.ok()) return s;
    if (from_.has_value()) SetDayStart(*from_, zone, request->mutable_from());
    if (to_.has_value()) SetDayStart(*to_, zone, request->mutable_to());
    return grpc::Status::OK;
  }

 private:
  static grpc::Status LearnClinicZone(const Connection& conn,
                                      absl::TimeZone* zone);
  static void SetDayStart(absl::CivilDay day, absl::TimeZone zone,
                          google::protobuf::Timestamp* out);

  std::string from_text_, to_text_;
  std::optional<absl::CivilDay> from_, to_;
};

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_CLINIC_DAYS_H_
