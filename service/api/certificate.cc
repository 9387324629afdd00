#include "service/api/certificate.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "service/domain/label_sheet.h"
#include "service/domain/pdf_doc.h"
#include "service/ledger/dates.h"

namespace smptrace::api {

using domain::PdfDoc;

namespace {

// The record's sheet, for a certificate without a proved entry.
proof::CertificateSheet SheetOfRecord(const v1::SterilityRecord& record,
                                      absl::TimeZone zone) {
  const v1::Session& s = record.session();
  proof::CertificateSheet sheet;
  sheet.facts = {
      {"Client", s.client_code()},
      {"Procedure", absl::StrCat(s.session_id(), " · ", s.treatment_area())},
      {"Practitioner", s.practitioner()},
      {"Date", CertificateTime(s.started_at(), zone)},
      {"Record", s.seal().seq() != 0
                     ? absl::StrCat("sealed at journal entry ", s.seal().seq(),
                                    ", ", s.seal().hash().substr(0, 16), "…")
                     : "not closed"},
  };
  for (const v1::ConsumableRecord& c : record.consumables()) {
    const v1::ConsumableUse& u = c.use();
    if (u.voided()) continue;
    sheet.materials.push_back({u.product_name(), u.gtin(), u.lot(),
                               ledger::FormatDate(u.expiry()),
                               SterilizationText(u.sterilization()), "1"});
  }
  return sheet;
}

}  // namespace

absl::StatusOr<std::string> MaterialsCertificatePdf(
    const v1::SterilityRecord& record, const ClinicOptions& clinic,
    const ProvedCertificate* proved) {
  constexpr float kMm = PdfDoc::kMm;
  const proof::CertificateSheet sheet =
      proved != nullptr ? proved->sheet : SheetOfRecord(record, clinic.zone);
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
  if (!clinic.name.empty()) {
    pdf.Text(left, y, 9, true, "Clinic");
    pdf.Text(left + 30 * kMm, y, 9, false, clinic.name);
    y -= 13;
  }
  for (const auto& [label, value] : sheet.facts) {
    pdf.Text(left, y, 9, true, label);
    pdf.Text(left + 30 * kMm, y, 9, false, value, right - left - 30 * kMm);
    y -= 13;
  }
  y -= 10;
  const float cols[] = {left,
                        left + 50 * kMm,
                        left + 86 * kMm,
                        left + 112 * kMm,
                        left + 134 * kMm,
                        left + 164 * kMm};
  const char* head[] = {"Product", "GTIN",          "Lot",
                        "Expires", "Sterilisation", "Qty"};
  static_assert(std::size(head) == proof::CertificateSheet::kColumns);
  for (int c = 0; c < 6; ++c) pdf.Text(cols[c], y, 8.5f, true, head[c]);
  y -= 4;
  pdf.Line(left, y, right, y);
  y -= 11;
  for (const std::vector<std::string>& row : sheet.materials) {
    if (y < 30 * kMm) {
      pdf.AddPage();
      y = PdfDoc::kPageHeight - 25 * kMm;
    }
    for (int col = 0; col < 6; ++col) {
      const float width =
          (col < 5 ? cols[col + 1] : right) - cols[col] - 2 * kMm;
      pdf.Text(cols[col], y, 8.5f, false, row[col], width);
    }
    y -= 12;
  }
  y -= 16;
  pdf.Text(left, y, 8, false,
           "Lot numbers are as printed by the manufacturer. If a recall ever "
           "concerns one of them, the clinic can reach you.");
  if (proved == nullptr) return pdf.Finish();
  SMPTRACE_ASSIGN_OR_RETURN(domain::QrCode qr,
                            domain::EncodeQrCode(proved->url));
  // About 0.5 mm per module (a phone reads it at 15-20 cm), at most 65 mm.
  const float side =
      std::min(65 * kMm, static_cast<float>(qr.size) * 0.5f * kMm);
  if (y - 14 - side < 15 * kMm) {
    pdf.AddPage();
    y = PdfDoc::kPageHeight - 25 * kMm;
  }
  y -= 14 + side;
  pdf.Gray(left, y, side, side, qr.pixels, qr.size, qr.size);
  const float tx = left + side + 6 * kMm, width = right - tx;
  float ty = y + side - 10;
  const std::string_view title = "Check this certificate";
  pdf.Text(tx, ty, 10, true, title, width);
  ty -= 14;
  for (const std::string_view line : {
           "Scan the code with a phone: the clinic's verification page",
           "checks, on the phone, that this record is the one in the",
           "clinic's signed log, and shows what it says.",
           "",
           "Or offline, with the clinic's public key:",
           "smptrace log verify-certificate --key KEY FILE",
           "(FILE: the code's text as scanned).",
           "",
           "The code holds what this page prints, and hashes of",
           "other records: nothing about anyone else.",
       }) {
    pdf.Text(tx, ty, 8, false, line, width);
    ty -= 11;
  }
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

}  // namespace smptrace::api
