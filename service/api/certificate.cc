#include "service/api/certificate.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/domain/pdf_doc.h"
#include "service/ledger/dates.h"

namespace smptrace::api {
namespace {

using domain::PdfDoc;

std::string When(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  if (t.seconds() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", ledger::FromProto(t), zone);
}

std::string Sterilization(const v1::Sterilization& s) {
  std::string method = v1::SterilizationMethod_Name(s.method());
  method.erase(0, std::string("STERILIZATION_METHOD_").size());
  if (s.method() == v1::STERILIZATION_METHOD_UNSPECIFIED) method = "-";
  if (s.method() == v1::STERILIZATION_METHOD_ETHYLENE_OXIDE) method = "EO";
  return s.batch().empty() ? method : absl::StrCat(method, " ", s.batch());
}

}  // namespace

absl::StatusOr<std::string> MaterialsCertificatePdf(
    const v1::SterilityRecord& record, absl::TimeZone zone) {
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
  const std::pair<std::string, std::string> facts[] = {
      {"Client", s.client_code()},
      {"Procedure", absl::StrCat(s.session_id(), " · ", s.treatment_area())},
      {"Practitioner", s.practitioner()},
      {"Date", When(s.started_at(), zone)},
      {"Record", s.seal().seq() != 0
                     ? absl::StrCat("sealed at journal entry ", s.seal().seq(),
                                    ", ", s.seal().hash().substr(0, 16), "…")
                     : "not closed"},
  };
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
    const std::string values[] = {
        u.product_name(), u.gtin(), u.lot(), ledger::FormatDate(u.expiry()),
        u.pigment_draw() ? "-" : Sterilization(u.sterilization())};
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

}  // namespace smptrace::api
