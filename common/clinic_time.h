// How smptrace writes a moment for people and for machines: always in the
// clinic's time zone (smptraced --time_zone), always with the UTC offset, so
// a certificate, a CLI table and an export line about the same scan show the
// same clock reading and no reader has to guess the zone.
#ifndef SMPTRACE_COMMON_CLINIC_TIME_H_
#define SMPTRACE_COMMON_CLINIC_TIME_H_

#include <string>

#include "absl/time/time.h"

namespace smptrace {

// For people (certificates, reports, CLI tables): "2026-11-30 14:05 +01:00".
inline std::string FormatClinicTime(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%d %H:%M %Ez", t, zone);
}

// For machines (CSV, JSON lines, EPCIS eventTime), RFC 3339 with
// milliseconds: "2026-11-30T14:05:09.120+01:00".
inline std::string FormatClinicTimeRfc3339(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", t, zone);
}

// The zone's UTC offset at `t`: "+01:00" (EPCIS eventTimeZoneOffset).
inline std::string ClinicUtcOffset(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Ez", t, zone);
}

// The gRPC response header through which smptraced tells clients the
// clinic's zone (an IANA name such as "Europe/London"), so that the CLI
// prints times as the server's reports do.
inline constexpr char kClinicTimeZoneHeader[] = "smptrace-clinic-time-zone";

}  // namespace smptrace

#endif  // SMPTRACE_COMMON_CLINIC_TIME_H_
