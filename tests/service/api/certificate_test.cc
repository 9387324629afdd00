// The client's "materials used" certificate names the clinic, gives every
// item's sterilisation (pigments included), and writes times in the
// clinic's zone with the offset; every answer of the server names that
// zone so that clients print times the same way.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/testing/clinic_fixture.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::Gs1Scan;
using ::testing::HasSubstr;

class CertificateTest : public testing::ClinicServerTest {
 protected:
  CertificateTest() {
    // 09:00 UTC on the fake clock is 10:00 in Paris (+01:00 in November).
    EXPECT_TRUE(absl::LoadTimeZone("Europe/Paris", &clinic_options_.zone));
    clinic_options_.name = "Crown & Line SMP";
  }
};

TEST_F(CertificateTest, NamesTheClinicThePigmentsSterilisationAndTheZone) {
  v1::ReceiveLine cartridge;
  cartridge.set_barcode(Gs1Scan(kCartridge, "271231", "S-1", "SN1"));
  v1::ReceiveLine ink;
  ink.set_barcode(Gs1Scan(kPigment, "280101", "INK-9", "B1"));
  ink.mutable_sterilization()->set_method(v1::STERILIZATION_METHOD_GAMMA);
  ink.mutable_sterilization()->set_batch("G-77");
  ASSERT_TRUE(Receive({cartridge, ink}, nullptr, room_).ok());
  RegisterClient("C1");
  grpc::ClientContext start_ctx;
  const v1::Session session = StartSessionFor("C1", &start_ctx);
  // Every answer names the clinic's zone (the CLI shows times in it).
  const auto& headers = start_ctx.GetServerInitialMetadata();
  auto zone = headers.find("smptrace-clinic-time-zone");
  ASSERT_NE(zone, headers.end());
  EXPECT_EQ(std::string(zone->second.data(), zone->second.size()),
            "Europe/Paris");
  for (const auto& [id, barcode] :
       {std::pair{"scan-1", Gs1Scan(kCartridge, "271231", "S-1", "SN1")},
        std::pair{"scan-2", Gs1Scan(kPigment, "280101", "INK-9", "B1")}}) {
    v1::ScanConsumableRequest scan;
    scan.set_request_id(id);
    scan.set_session_id(session.session_id());
    scan.set_barcode(barcode);
    v1::ScanConsumableResponse used;
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ScanConsumable(&ctx, scan, &used).ok());
  }

  v1::GetSterilityRecordRequest r;
  r.set_session_id(session.session_id());
  r.set_certificate_pdf(true);
  v1::SterilityRecord record;
  grpc::ClientContext ctx;
  ASSERT_TRUE(audit_->GetSterilityRecord(&ctx, r, &record).ok());
  const std::string& pdf = record.certificate_pdf();
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  // The inspector's record of the same session prints the same way.
  v1::GetInspectionRecordRequest inspection;
  inspection.set_session_id(session.session_id());
  inspection.set_pdf(true);
  v1::InspectionRecord inspected;
  grpc::ClientContext inspection_ctx;
  ASSERT_TRUE(
      audit_->GetInspectionRecord(&inspection_ctx, inspection, &inspected)
          .ok());
  EXPECT_THAT(inspected.pdf(), HasSubstr("(Crown & Line SMP)"));
  EXPECT_THAT(inspected.pdf(), HasSubstr("(GAMMA G-77)"));
  EXPECT_THAT(pdf, HasSubstr("(Crown & Line SMP)"));
  EXPECT_THAT(pdf, HasSubstr("(2026-11-23 10:00 +01:00)"));
  EXPECT_THAT(pdf, HasSubstr("(GAMMA G-77)"));  // the pigment's lot
  EXPECT_THAT(pdf, HasSubstr("(EO)"));          // the cartridge's
  if (std::system("command -v pdftotext > /dev/null 2>&1") == 0) {
    const std::string path = dir_.Sub("certificate.pdf");
    std::ofstream(path, std::ios::binary) << pdf;
    const std::string text_path = dir_.Sub("certificate.txt");
    ASSERT_EQ(
        std::system(("pdftotext -layout " + path + " " + text_path).c_str()),
        0);
    std::ifstream in(text_path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_THAT(text.str(), HasSubstr("Crown & Line SMP"));
    EXPECT_THAT(text.str(), HasSubstr("2026-11-23 10:00 +01:00"));
    EXPECT_THAT(text.str(), HasSubstr("GAMMA G-77"));
  }
}

}  // namespace
}  // namespace smptrace::api
