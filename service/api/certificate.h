// The "materials used" certificate a client can take home: which needle
// cartridges and pigments (product, lot, expiry, sterilisation) were opened
// for their procedure, and the record's seal. Pseudonymous: the client's
// code, never contact details.
#ifndef SMPTRACE_SERVICE_API_CERTIFICATE_H_
#define SMPTRACE_SERVICE_API_CERTIFICATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "service/api/inventory_validation.h"
#include "smptrace/v1/audit.pb.h"

namespace smptrace::api {

// An A4 PDF of `record`, headed with the clinic's name; times are the
// clinic's, with the UTC offset.
absl::StatusOr<std::string> MaterialsCertificatePdf(
    const v1::SterilityRecord& record, const ClinicOptions& clinic);

// The recall exposure report: the notice, its scope and holds, and every
// exposed client (by code) with their sessions and notification status.
absl::StatusOr<std::string> RecallExposureReportPdf(
    const v1::RecallCase& c, const ClinicOptions& clinic);

// The certificate's ways of writing a time (in `zone`; "-" when unset) and
// a sterilisation ("EO 2026-B7"), for the other documents to print alike.
std::string CertificateTime(const google::protobuf::Timestamp& t,
                            absl::TimeZone zone);
std::string SterilizationText(const v1::Sterilization& s);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CERTIFICATE_H_
