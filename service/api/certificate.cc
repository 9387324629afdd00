#include "service/api/certificate.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/clinic_time.h"
#include "service/domain/pdf_doc.h"
#include "service/ledger/dates.h"

namespace smptrace::api {
namespace {

using domain::PdfDoc;

}  // namespace

absl::StatusOr<std::string> MaterialsCertificatePdf(
    const v1::SterilityRecord& record, const ClinicOptions& clinic) {
  const absl::TimeZone zone = clinic.zone;
  constexpr float kMm = PdfDoc::kMm;
  const v1::Session& s = record.session();
  PdfDoc pdf;
  pdf.AddPage();
  const float left = 18 * kMm, right = PdfDoc::kPageWidth - 18 * kMm;
  float y = PdfDoc::kPageHeight - 25 * kMm;
  pdf.Text(left, y, 16, true, "Materials used in your procedure");
  y -= 18;
  pdf.Text(left, y, 9, false,
           "Every needle cartridge and pigment opened for you, as scanned at "
           "the time of use.");
  y -= 24;
  std::vector<std::pair<std::string, std::string>> facts;
  if (!clinic.name.empty()) facts.emplace_back("Clinic", clinic.name);
  facts.insert(
      facts.end(),
      {
          {"Client", s.client_code()},
          {"Procedure",
           absl::StrCat(s.session_id(), " · ", s.treatment_area())},
          {"Practitioner", s.practitioner()},
          {"Date", CertificateTime(s.started_at(), zone)},
          {"Record",
           s.seal().seq() != 0
               ? absl::StrCat("sealed at journal entry ", s.seal().seq(), ", ",
                              s.seal().hash().substr(0, 16), "…")
               : "not closed"},
      });
  for (const auto& [label, value] : facts) {
    pdf.Text(left, y, 9, true, label);
    pdf.Text(left + 30 * kMm, y, 9, false, value, right - left - 30 * kMm);
    y -= 13;
  }
  y -= 10;
  const float cols[] = {left, left + 52 * kMm, left + 92 * kMm,
                        left + 118 * kMm, left + 140 * kMm};
  const char* head[] = {"Product", "GTIN", "Lot", "Expires", "Sterilisation"};
  for (int c = 0; c < 5; ++c) pdf.Text(cols[c], y, 8.5f, true, head[c]);
  y -= 4;
  pdf.Line(left, y, right, y);
  y -= 11;
  for (const v1::ConsumableRecord& c : record.consumables()) {
    const v1::ConsumableUse& u = c.use();
    if (u.voided()) continue;
    if (y < 30 * kMm) {
      pdf.AddPage();
      y = PdfDoc::kPageHeight - 25 * kMm;
    }
    const std::string values[] = {u.product_name(), u.gtin(), u.lot(),
                                  ledger::FormatDate(u.expiry()),
                                  SterilizationText(u.sterilization())};
    for (int col = 0; col < 5; ++col) {
      const float width =
          (col < 4 ? cols[col + 1] : right) - cols[col] - 2 * kMm;
      pdf.Text(cols[col], y, 8.5f, false, values[col], width);
    }
    y -= 12;
  }
  y -= 16;
  pdf.Text(left, y, 8, false,
           "Lot numbers are as printed by the manufacturer. If a recall ever "
           "concerns one of them, the clinic can reach you.");
  return pdf.Finish();
}

absl::StatusOr<std::string> RecallExposureReportPdf(
    const v1::RecallCase& c, const ClinicOptions& clinic) {
  const absl::TimeZone zone = clinic.zone;
  constexpr float kMm = PdfDoc::kMm;
  PdfDoc pdf;
  pdf.AddPage();
  const float left = 18 * kMm, right = PdfDoc::kPageWidth - 18 * kMm;
  float y = PdfDoc::kPageHeight - 25 * kMm;
  pdf.Text(left, y, 16, true,
           absl::StrCat("Recall exposure report ", c.case_id(),
                        c.drill() ? " (drill)" : ""));
  y -= 22;
  if (!clinic.name.empty()) {
    pdf.Text(left, y, 10, false, clinic.name);
    y -= 16;
  }
  std::string scope;
  if (!c.product_gtin().empty()) {
    scope = absl::StrCat("every lot of ", c.product_gtin());
  } else {
    for (const auto& l : c.lots()) {
      absl::StrAppend(&scope, scope.empty() ? "" : ", ", l.gtin(), " lot ",
                      l.lot());
    }
  }
  std::string held;
  for (const auto& l : c.holds())
    absl::StrAppend(&held, held.empty() ? "" : ", ", l.lot());
  const std::pair<std::string, std::string> facts[] = {
      {"Notice", absl::StrCat(c.notice().reference(), " of ",
                              ledger::FormatDate(c.notice().notice_date()))},
      {"Text", c.notice().text()},
      {"Scope", scope},
      {"Held", held.empty() ? "-" : held},
      {"Units", absl::StrCat(c.units_in_scope(), " in scope, ",
                             c.units_in_stock(), " still in stock")},
      {"Opened", absl::StrCat(CertificateTime(c.opened_at(), zone), " by ",
                              c.opened_by())},
      {"Status",
       c.status() == v1::RECALL_CASE_STATUS_CLOSED
           ? absl::StrCat("closed ", CertificateTime(c.closed_at(), zone), ": ",
                          c.close_reason())
           : "open"},
  };
  for (const auto& [label, value] : facts) {
    pdf.Text(left, y, 9, true, label);
    pdf.Text(left + 25 * kMm, y, 9, false, value, right - left - 25 * kMm);
    y -= 13;
  }
  y -= 10;
  pdf.Text(left, y, 11, true,
           absl::StrCat("Exposed clients: ", c.exposed_size()));
  y -= 16;
  const float cols[] = {left, left + 28 * kMm, left + 52 * kMm,
                        left + 110 * kMm};
  const char* head[] = {"Client", "Code", "Sessions", "Notified"};
  for (int i = 0; i < 4; ++i) pdf.Text(cols[i], y, 8.5f, true, head[i]);
  y -= 4;
  pdf.Line(left, y, right, y);
  y -= 11;
  for (const auto& e : c.exposed()) {
    if (y < 25 * kMm) {
      pdf.AddPage();
      y = PdfDoc::kPageHeight - 25 * kMm;
    }
    std::string sessions;
    for (const auto& s : e.sessions()) {
      absl::StrAppend(&sessions, sessions.empty() ? "" : " ", s);
    }
    const std::string values[] = {
        e.client_id(), e.client_code(), sessions,
        e.notified() ? absl::StrCat(CertificateTime(e.notified_at(), zone),
                                    " by ", e.channel())
                     : "not yet"};
    for (int i = 0; i < 4; ++i) {
      pdf.Text(cols[i], y, 8.5f, false, values[i],
               (i < 3 ? cols[i + 1] : right) - cols[i] - 2 * kMm);
    }
    y -= 12;
  }
  return pdf.Finish();
}

std::string CertificateTime(const google::protobuf::Timestamp& t,
                            absl::TimeZone zone) {
  if (t.seconds() == 0) return "-";
  return FormatClinicTime(ledger::FromProto(t), zone);
}

// The lot's sterilisation as recorded at receipt (pigments included: a
// sterile ink's lot carries its method and batch like a cartridge's).
std::string SterilizationText(const v1::Sterilization& s) {
  if (s.method() == v1::STERILIZATION_METHOD_UNSPECIFIED) {
    return s.batch().empty() ? "none recorded"
                             : absl::StrCat("batch ", s.batch());
  }
  std::string method = v1::SterilizationMethod_Name(s.method());
  method.erase(0, std::string("STERILIZATION_METHOD_").size());
  if (s.method() == v1::STERILIZATION_METHOD_ETHYLENE_OXIDE) method = "EO";
  return s.batch().empty() ? method : absl::StrCat(method, " ", s.batch());
}

}  // namespace smptrace::api
