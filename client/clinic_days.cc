#include "client/clinic_days.h"

#include "client/health_check.h"
#include "client/output.h"

namespace smptrace::client {

void DayPeriod::AddOptions(CLI::App* cmd) {
  cmd->add_option("--from", from_text_,
                  "YYYY-MM-DD (inclusive; the clinic's day)");
  cmd->add_option("--to", to_text_, "YYYY-MM-DD (exclusive; the clinic's day)");
}

bool DayPeriod::Parse(std::string* error) {
  for (auto [text, flag, day] : {std::tuple{&from_text_, "--from", &from_},
                                 std::tuple{&to_text_, "--to", &to_}}) {
    day->reset();
    if (text->empty()) continue;
    absl::CivilDay parsed;
    if (!absl::ParseCivilTime(*text, &parsed)) {
      *error = std::string(flag) + ": '" + *text +
               "' is not a date (YYYY-MM-DD)";
      return false;
    }
    *day = parsed;
  }
  return true;
}

grpc::Status DayPeriod::Resolve(const Connection& conn,
                                google::protobuf::Timestamp* from,
                                google::protobuf::Timestamp* to) const {
  if (!from_.has_value() && !to_.has_value()) return grpc::Status::OK;
  ServingStatus serving;
  grpc::Status health = conn.Call([&](grpc::ClientContext* ctx) {
    return CheckHealth(conn.channel(), ctx, "", &serving);
  });
  if (!health.ok()) return health;
  // Asking for a field creates it: set only the days given.
  if (from_.has_value()) {
    from->set_seconds(absl::ToUnixSeconds(absl::FromCivil(*from_, ClinicZone())));
  }
  if (to_.has_value()) {
    to->set_seconds(absl::ToUnixSeconds(absl::FromCivil(*to_, ClinicZone())));
  }
  return grpc::Status::OK;
}

}  // namespace smptrace::client
