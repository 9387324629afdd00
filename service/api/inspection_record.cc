#include "service/api/inspection_record.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/api/certificate.h"
#include "service/api/pdf_writer.h"
#include "service/domain/pdf_doc.h"
#include "service/ledger/dates.h"

namespace smptrace::api {
namespace {

using domain::PdfDoc;
constexpr float kMm = PdfDoc::kMm;

std::string Short(const std::string& name, const std::string& prefix) {
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

std::string Verification(const v1::VerifyJournalResponse& v) {
  if (v.ok()) {
    return absl::StrCat("verified intact: ", v.entries(),
                        " entries, head entry ", v.head_seq(), " ",
                        v.head_hash());
  }
  return absl::StrCat(
      "NOT INTACT: first bad entry ", v.first_bad_seq(), " (",
      Short(v1::JournalProblem_Name(v.problem()), "JOURNAL_PROBLEM_"),
      "): ", v.detail());
}

std::string Disposal(const v1::ConsumableUse& u, absl::TimeZone zone) {
  if (u.voided()) return absl::StrCat("voided: ", u.void_reason());
  if (u.pigment_draw()) return "bottle draw (multi-use)";
  if (!u.container_id().empty()) {
    return absl::StrCat(u.container_id(), " ",
                        CertificateTime(u.disposed_at(), zone));
  }
  return u.single_use() ? "NOT DISPOSED" : "-";
}

}  // namespace

void WriteSterilityRecord(const v1::SterilityRecord& r, absl::TimeZone zone,
                          PdfWriter& w) {
  const v1::Session& s = r.session();
  w.Need(80);
  w.Line(11, true,
         absl::StrCat(
             s.session_id(), " · ",
             Short(v1::RecordVerdict_Name(r.verdict()), "RECORD_VERDICT_")));
  w.Line(8.5f, false,
         absl::StrCat("Client ", s.client_code(), " · practitioner ",
                      s.practitioner(), " · room ", s.location_id(), " · ",
                      s.treatment_area(), " · ",
                      Short(v1::PlanStep_Name(s.plan_step()), "PLAN_STEP_")));
  w.Line(
      8.5f, false,
      absl::StrCat("Started ", CertificateTime(s.started_at(), zone),
                   " · ended ", CertificateTime(s.ended_at(), zone), " · ",
                   Short(v1::SessionStatus_Name(s.status()), "SESSION_STATUS_"),
                   s.end_reason().empty() ? "" : ": ", s.end_reason()));
  std::string screening = absl::StrCat(
      "Screening ", Short(v1::ScreeningVerdict_Name(s.screening().verdict()),
                          "SCREENING_VERDICT_"));
  for (const auto& f : s.screening().findings()) {
    absl::StrAppend(&screening, " · ", f.rule(), ": ", f.message());
  }
  w.Line(8.5f, false, screening);
  w.Line(8.5f, false,
         s.seal().seq() != 0
             ? absl::StrCat("Sealed at journal entry ", s.seal().seq(), " ",
                            s.seal().hash())
             : "Not sealed (not closed)");
  w.Gap(3);
  const std::vector<float> cols = {0,         22 * kMm,  52 * kMm, 90 * kMm,
                                   107 * kMm, 123 * kMm, 143 * kMm};
  w.Row(cols,
        {"Scanned", "Product", "GTIN / serial", "Lot", "Expires",
         "Sterilisation", "Disposal"},
        7, true);
  w.Rule();
  for (const v1::ConsumableRecord& c : r.consumables()) {
    const v1::ConsumableUse& u = c.use();
    w.Row(cols,
          {CertificateTime(u.scanned_at(), zone), u.product_name(),
           absl::StrCat(u.gtin(), " / ", u.serial()), u.lot(),
           ledger::FormatDate(u.expiry()), SterilizationText(u.sterilization()),
           Disposal(u, zone)},
          7, false);
    if (c.status_now() != "lot released") {
      w.Line(7, false, absl::StrCat("lot now: ", c.status_now()), 22 * kMm);
    }
  }
  if (r.consumables().empty()) w.Line(7.5f, false, "No consumables scanned.");
  for (const v1::RefusedScan& f : s.refused_scans()) {
    w.Line(7.5f, false,
           absl::StrCat("Refused ", CertificateTime(f.at(), zone), " ",
                        f.gtin(), " / ", f.serial(), " lot ", f.lot(), ": ",
                        f.reason(), " (", f.message(), ")"));
  }
  for (const v1::SessionException& e : s.exceptions()) {
    w.Line(7.5f, true,
           absl::StrCat("Exception ", e.kind(), " (entry ", e.seq(),
                        "): ", e.detail()));
  }
  w.Gap(10);
}

absl::StatusOr<std::string> InspectionRecordPdf(
    const v1::InspectionRecord& record, const ClinicOptions& clinic) {
  const absl::TimeZone zone = clinic.zone;
  PdfWriter w(absl::StrCat("smptrace sterility record, made ",
                           CertificateTime(record.made_at(), zone), " by ",
                           record.made_by()));
  w.Line(16, true, "Sterility record for inspection");
  if (!clinic.name.empty()) w.Line(11, false, clinic.name);
  w.Gap(4);
  std::map<v1::RecordVerdict, int> verdicts;
  for (const auto& r : record.records()) ++verdicts[r.verdict()];
  w.Line(9, false,
         absl::StrCat("Sessions: ", record.records_size(), " (",
                      verdicts[v1::RECORD_VERDICT_COMPLIANT], " compliant, ",
                      verdicts[v1::RECORD_VERDICT_EXCEPTIONS],
                      " with exceptions, ", verdicts[v1::RECORD_VERDICT_OPEN],
                      " open, ", verdicts[v1::RECORD_VERDICT_ABORTED],
                      " aborted)"));
  w.Line(9, false,
         absl::StrCat("Journal: ", Verification(record.verification())));
  w.Line(7.5f, false,
         "Each closed session is sealed by a journal entry; its hash chains to "
         "every earlier entry, so a change to the record breaks verification.");
  w.Gap(10);
  for (const auto& r : record.records()) WriteSterilityRecord(r, zone, w);
  return w.Finish();
}

}  // namespace smptrace::api
