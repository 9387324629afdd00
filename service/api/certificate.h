// The "materials used" certificate a client can take home: which needle
// cartridges and pigments (product, lot, expiry, sterilisation) were opened
// for their procedure, and the record's seal. Pseudonymous: the client's
// code, never contact details.
#ifndef SMPTRACE_SERVICE_API_CERTIFICATE_H_
#define SMPTRACE_SERVICE_API_CERTIFICATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "service/api/inventory_validation.h"
#include "service/proof/certificate_proof.h"
#include "smptrace/v1/audit.pb.h"

namespace smptrace::api {

// A closed session's certificate as its journal entry proves it: what the
// QR code holds (CertificateUrl) and what that entry says.
struct ProvedCertificate {
  std::string url;
  proof::CertificateSheet sheet;
};

// An A4 PDF of `record`, headed with the clinic's name; times are the
// clinic's, with the UTC offset. With `proved`, it prints exactly what the
// proved entry says, with the QR code and how to check it; without (an open
// session, or one closed before certificates carried proofs), the record.
absl::StatusOr<std::string> MaterialsCertificatePdf(
    const v1::SterilityRecord& record, const ClinicOptions& clinic,
    const ProvedCertificate* proved = nullptr);

// The recall exposure report: the notice, its scope and holds, and every
// exposed client (by code) with their sessions and notification status.
absl::StatusOr<std::string> RecallExposureReportPdf(
    const v1::RecallCase& c, const ClinicOptions& clinic);

// The certificate's ways of writing a time and a sterilisation, for the
// other documents to print alike.
using proof::CertificateTime;
using proof::SterilizationText;

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CERTIFICATE_H_
