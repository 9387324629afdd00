// The printable sterility record an auditor hands an inspector: for one
// session or every session of a period, each scan with its lot, expiry and
// sterilisation, each disposal, refusal and exception, each session's seal,
// and the journal's verification when the record was made. Pseudonymous:
// client codes, never contact details.
#ifndef SMPTRACE_SERVICE_API_INSPECTION_RECORD_H_
#define SMPTRACE_SERVICE_API_INSPECTION_RECORD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/api/inventory_validation.h"
#include "service/api/pdf_writer.h"
#include "smptrace/v1/audit.pb.h"

namespace smptrace::api {

// An A4 PDF of `record` (its pdf field ignored), headed with the clinic's
// name; times are the clinic's, with the UTC offset, as on the client's
// certificate. Internal if the PDF library fails.
// Writes one session's record (header, screening, seal, every scan with its
// lot, expiry, sterilisation and disposal, refusals, exceptions) on `w`:
// the inspection record's layout, which other documents reuse.
void WriteSterilityRecord(const v1::SterilityRecord& r, absl::TimeZone zone,
                          PdfWriter& w);

absl::StatusOr<std::string> InspectionRecordPdf(
    const v1::InspectionRecord& record, const ClinicOptions& clinic);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_INSPECTION_RECORD_H_
