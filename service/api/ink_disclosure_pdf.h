// The ink disclosure on paper: the label information of the pigments to be
// used (REACH Annex XVII entry 75, point 8), printed for the client to
// keep, with the digest the session records.
#ifndef SMPTRACE_SERVICE_API_INK_DISCLOSURE_PDF_H_
#define SMPTRACE_SERVICE_API_INK_DISCLOSURE_PDF_H_

#include <string>

#include "absl/status/statusor.h"
#include "service/api/inventory_validation.h"
#include "smptrace/v1/session.pb.h"

namespace smptrace::api {

// An A4 PDF of `disclosure.text`, headed with the clinic's name and footed
// with the text's SHA-256. Internal if the PDF library fails.
absl::StatusOr<std::string> InkDisclosurePdf(
    const v1::InkDisclosure& disclosure, const ClinicOptions& clinic);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_INK_DISCLOSURE_PDF_H_
