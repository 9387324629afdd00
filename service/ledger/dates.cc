#include "service/ledger/dates.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/string_view.h"
#include "google/protobuf/util/time_util.h"

namespace smptrace::ledger {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

v1::Date ToProto(absl::CivilDay day) {
  v1::Date d;
  d.set_year(static_cast<int32_t>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

absl::CivilDay ToCivilDay(const v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

absl::Status ValidateDate(const v1::Date& d, std::string_view field) {
  if (!IsSet(d)) return absl::OkStatus();
  const absl::CivilDay day = ToCivilDay(d);
  if (day.year() != d.year() || day.month() != d.month() ||
      day.day() != d.day()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %04d-%02d-%02d is not a calendar day",
                        ToAbsl(field), d.year(), d.month(), d.day()));
  }
  // Not 2000 onwards: a barcode's two-digit year 99 is 1999 (GS1's century
  // rule), a lot that expired long ago, which the rules then refuse as
  // expired; a range error would hide that.
  if (d.year() < 1900 || d.year() > 2199) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(field), ": year ", d.year(), " is outside 1900..2199"));
  }
  return absl::OkStatus();
}

std::string FormatDate(const v1::Date& d) {
  if (!IsSet(d)) return "-";
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

uint64_t DateKey(const v1::Date& d, uint64_t if_unset) {
  if (!IsSet(d)) return if_unset;
  return static_cast<uint64_t>(d.year()) * 10000 +
         static_cast<uint64_t>(d.month()) * 100 +
         static_cast<uint64_t>(d.day());
}

absl::CivilDay Today(absl::Time now, absl::TimeZone zone) {
  return absl::ToCivilDay(now, zone);
}

bool IsExpired(const v1::Date& expiry, absl::CivilDay today) {
  return IsSet(expiry) && ToCivilDay(expiry) < today;
}

}  // namespace smptrace::ledger
