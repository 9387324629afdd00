#include "service/api/client_record_pdf.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/api/certificate.h"
#include "service/api/inspection_record.h"
#include "service/api/pdf_writer.h"

namespace smptrace::api {
namespace {

constexpr float kMm = PdfWriter::kMm;

std::string SubjectText(v1::ConsentSubject s) {
  switch (s) {
    case v1::CONSENT_SUBJECT_PROCEDURE:
      return "the procedure";
    case v1::CONSENT_SUBJECT_DATA_PROCESSING:
      return "data processing";
    case v1::CONSENT_SUBJECT_UNSPECIFIED:
    case v1::ConsentSubject_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::ConsentSubject_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "-";
}

std::string AccessText(const v1::ClientAccess& a) {
  switch (a.kind()) {
    case v1::CLIENT_ACCESS_KIND_EXPORT:
      return absl::StrCat(a.what(), " (export)");
    case v1::CLIENT_ACCESS_KIND_ERASURE:
    case v1::CLIENT_ACCESS_KIND_READ:
    case v1::CLIENT_ACCESS_KIND_UNSPECIFIED:
    case v1::ClientAccessKind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::ClientAccessKind_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return a.what();
}

}  // namespace

absl::StatusOr<std::string> ClientRecordPdf(
    const v1::ClientRecordExport& record, const ClinicOptions& clinic) {
  const absl::TimeZone zone = clinic.zone;
  const v1::Client& c = record.client();
  PdfWriter w(absl::StrCat("smptrace client record ", c.code(), ", made ",
                           CertificateTime(record.generated_at(), zone), " by ",
                           record.generated_by()));
  w.Line(16, true, "Your record: everything we hold about you");
  if (!clinic.name.empty()) w.Line(11, false, clinic.name);
  w.Gap(4);
  w.Line(8.5f, false,
         "A copy of the personal data this clinic's traceability system holds "
         "about you (your right of access).");
  w.Gap(8);

  w.Line(11, true, "Contact details");
  const std::vector<float> facts = {0, 35 * kMm};
  const std::pair<std::string, std::string> contact[] = {
      {"Client code", c.code()},
      {"Client id", c.client_id()},
      {"Name", c.contact().name()},
      {"Phone", c.contact().phone()},
      {"Email", c.contact().email()},
      {"Postal address", c.contact().postal_address()},
      {"Registered", absl::StrCat(CertificateTime(c.created_at(), zone), " by ",
                                  c.created_by())},
      {"Version", c.version() > 1
                      ? absl::StrCat(c.version(), ", last changed ",
                                     CertificateTime(c.updated_at(), zone),
                                     " by ", c.updated_by())
                      : "1 (as registered)"},
  };
  for (const auto& [label, value] : contact) {
    w.Row(facts, {label, value.empty() ? "-" : value}, 9, false);
  }
  w.Gap(8);

  if (record.contact_versions_size() > 1) {
    w.Line(11, true, "Earlier contact details (every version we keep)");
    const std::vector<float> version_cols = {0, 12 * kMm, 55 * kMm, 95 * kMm,
                                             125 * kMm};
    w.Row(version_cols, {"Ver.", "Recorded", "Name", "Phone", "Email"}, 7,
          true);
    w.Rule();
    for (const v1::ClientContactVersion& v : record.contact_versions()) {
      w.Row(version_cols,
            {absl::StrCat(v.version()),
             absl::StrCat(CertificateTime(v.recorded_at(), zone), " by ",
                          v.recorded_by()),
             v.contact().name(), v.contact().phone(), v.contact().email()},
            7, false);
      if (!v.contact().postal_address().empty()) {
        w.Line(7, false, v.contact().postal_address(), 12 * kMm);
      }
    }
    w.Gap(8);
  }

  w.Line(11, true, "Consents");
  if (record.consents().empty()) w.Line(8.5f, false, "None recorded.");
  const std::vector<float> consent_cols = {0, 35 * kMm, 60 * kMm, 105 * kMm};
  if (!record.consents().empty()) {
    w.Row(consent_cols, {"To", "Text version", "Recorded", "Text SHA-256"}, 7,
          true);
    w.Rule();
  }
  for (const v1::ClientConsent& k : record.consents()) {
    w.Row(consent_cols,
          {SubjectText(k.subject()), k.version(),
           absl::StrCat(CertificateTime(k.recorded_at(), zone), " by ",
                        k.recorded_by()),
           k.text_sha256()},
          7, false);
  }
  w.Gap(8);

  w.Line(11, true, absl::StrCat("Procedures: ", record.sessions_size()));
  w.Gap(2);
  for (const v1::SterilityRecord& s : record.sessions()) {
    WriteSterilityRecord(s, zone, w);
  }

  w.Line(11, true, "Who read your record");
  if (record.accesses().empty()) w.Line(8.5f, false, "Nobody yet.");
  const std::vector<float> access_cols = {0, 40 * kMm, 75 * kMm};
  if (!record.accesses().empty()) {
    w.Row(access_cols, {"When", "Who", "What"}, 7, true);
    w.Rule();
  }
  for (const v1::ClientAccess& a : record.accesses()) {
    w.Row(access_cols, {CertificateTime(a.at(), zone), a.by(), AccessText(a)},
          7, false);
  }
  return w.Finish();
}

}  // namespace smptrace::api
