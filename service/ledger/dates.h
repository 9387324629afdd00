// Times and calendar days between absl and the wire: google.protobuf.Timestamp
// for instants, smptrace.v1.Date for days in the clinic's time zone (expiry,
// production, notice dates). One place, so every record reads the same way.
#ifndef SMPTRACE_SERVICE_LEDGER_DATES_H_
#define SMPTRACE_SERVICE_LEDGER_DATES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::ledger {

google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& t);

// An unset Date is all zeros.
inline bool IsSet(const v1::Date& d) {
  return d.year() != 0 || d.month() != 0 || d.day() != 0;
}
v1::Date ToProto(absl::CivilDay day);
// REQUIRES: IsSet(d) and ValidateDate(d) passed.
absl::CivilDay ToCivilDay(const v1::Date& d);

// OK for an unset date or a real calendar day in years 1900..2199;
// InvalidArgument naming `field` otherwise ("expiry: 2027-02-30 is not a
// calendar day").
absl::Status ValidateDate(const v1::Date& d, std::string_view field);

// "2027-03-31"; "-" when unset.
std::string FormatDate(const v1::Date& d);

// yyyymmdd, the form keys store; `if_unset` for an unset date.
uint64_t DateKey(const v1::Date& d, uint64_t if_unset);

// Today in `zone` at `now`.
absl::CivilDay Today(absl::Time now, absl::TimeZone zone);

// True when an item whose expiry is `expiry` may no longer be used on
// `today`: it is usable through its expiry day. False if unset.
bool IsExpired(const v1::Date& expiry, absl::CivilDay today);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_DATES_H_
