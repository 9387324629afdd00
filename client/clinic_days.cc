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
      *error =
          std::string(flag) + ": '" + *text + "' is not a date (YYYY-MM-DD)";
      return false;
    }
    *day = parsed;
  }
  return true;
}

grpc::Status DayPeriod::LearnClinicZone(const Connection& conn,
                                        absl::TimeZone* zone) {
  ServingStatus serving;
  grpc::Status health = conn.Call([&](grpc::ClientContext* ctx) {
    return CheckHealth(conn.channel(), ctx, "", &serving);
  });
  if (health.ok()) *zone = ClinicZone();
  return health;
}

void DayPeriod::SetDayStart(absl::CivilDay day, absl::TimeZone zone,
                            google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(absl::FromCivil(day, zone)));
}

}  // namespace smptrace::client
