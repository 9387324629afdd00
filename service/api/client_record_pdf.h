// The printable answer to a subject access request: everything smptrace
// holds about one client (contact details, consents, every session with
// the materials used and where they went, who read the record), for the
// manager to hand to the client.
#ifndef SMPTRACE_SERVICE_API_CLIENT_RECORD_PDF_H_
#define SMPTRACE_SERVICE_API_CLIENT_RECORD_PDF_H_

#include <string>

#include "absl/status/statusor.h"
#include "service/api/inventory_validation.h"
#include "smptrace/v1/audit.pb.h"

namespace smptrace::api {

// An A4 PDF of `record`, headed with the clinic's name; times are the
// clinic's, as on the other documents. Internal if the PDF library fails.
absl::StatusOr<std::string> ClientRecordPdf(
    const v1::ClientRecordExport& record, const ClinicOptions& clinic);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CLIENT_RECORD_PDF_H_
