// The client's "materials used" certificate names the clinic, gives every
// item's sterilisation (pigments included), and writes times in the
// clinic's zone with the offset; every answer of the server names that
// zone so that clients print times the same way.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/proof/certificate_proof.h"
#include "storage/checkpoint_note.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::Gs1Scan;
using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

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

// A session of client C1 with two cartridges of one lot and a pigment,
// closed; its certificate (PDF and QR text) and the log's verifier.
class ProvedCertificateTest : public CertificateTest {
 protected:
  void SetUp() override {
    CertificateTest::SetUp();
    if (HasFatalFailure()) return;
    clinic_options_.verify_url = "https://smp.example/verify";
    RestartServer();
    v1::ReceiveLine a, b, ink;
    a.set_barcode(Gs1Scan(kCartridge, "271231", "S-1", "SN1"));
    b.set_barcode(Gs1Scan(kCartridge, "271231", "S-1", "SN2"));
    ink.set_barcode(Gs1Scan(kPigment, "280101", "INK-9", "B1"));
    ASSERT_TRUE(Receive({a, b, ink}, nullptr, room_).ok());
    RegisterClient("C1");
    RegisterClient("C2");
    session_ = StartSessionFor("C1").session_id();
    StartSessionFor("C2");  // another client's record in the same log
    for (const std::string& barcode :
         {Gs1Scan(kCartridge, "271231", "S-1", "SN1"),
          Gs1Scan(kCartridge, "271231", "S-1", "SN2"),
          Gs1Scan(kPigment, "280101", "INK-9", "B1")}) {
      v1::ScanConsumableRequest scan;
      scan.set_request_id(NextId());
      scan.set_session_id(session_);
      scan.set_barcode(barcode);
      v1::ScanConsumableResponse used;
      grpc::ClientContext ctx;
      ASSERT_TRUE(sessions_->ScanConsumable(&ctx, scan, &used).ok());
    }
    v1::CloseSessionRequest close;
    close.set_request_id("close-1");
    close.set_session_id(session_);
    close.set_undisposed_reason("sharps container full, disposed at 11:00");
    v1::Session closed;
    grpc::ClientContext close_ctx;
    ASSERT_TRUE(sessions_->CloseSession(&close_ctx, close, &closed).ok());
    record_ = Record(session_);
    v1::LogCheckpoint checkpoint;
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->GetLogCheckpoint(&ctx, {}, &checkpoint).ok());
    auto verifier = storage::ParseNoteVerifierKey(checkpoint.verifier_key());
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *verifier;
  }

  v1::SterilityRecord Record(const std::string& session) {
    v1::GetSterilityRecordRequest r;
    r.set_session_id(session);
    r.set_certificate_pdf(true);
    v1::SterilityRecord record;
    grpc::ClientContext ctx;
    EXPECT_TRUE(audit_->GetSterilityRecord(&ctx, r, &record).ok());
    return record;
  }

  // The QR text's payload, decoded.
  std::string PayloadBytes() {
    const std::string& url = record_.certificate_url();
    std::string bytes;
    EXPECT_TRUE(
        absl::WebSafeBase64Unescape(url.substr(url.find('#') + 1), &bytes));
    return bytes;
  }
  std::string UrlOf(const std::string& payload) {
    std::string text;
    absl::WebSafeBase64Escape(payload, &text);
    return "https://smp.example/verify#" + text;
  }

  // Writes the shared vectors: this certificate, and changed copies with
  // the reason each must fail for.
  void WriteVectors(const std::string& out) {
    v1::CertificateProof good;
    ASSERT_TRUE(good.ParseFromString(PayloadBytes()));
    auto verified =
        proof::VerifyCertificateText(record_.certificate_url(), verifier_);
    ASSERT_TRUE(verified.ok()) << verified.status();
    google::protobuf::Struct vectors;
    auto& fields = *vectors.mutable_fields();
    fields["comment"].set_string_value(
        "Written by certificate_test (ProvedCertificateTest."
        "SharedVectorsCheckAsTheyDidWhenWritten) with "
        "SMPTRACE_WRITE_CERTIFICATE_VECTORS=<this file>; read by it and by "
        "web/tests/certificate.test.ts. A case has a sheet (it verifies and "
        "prints that) or an error (a part of the reason it fails).");
    fields["key"].set_string_value(
        storage::NoteVerifierKey(verifier_.name, verifier_.raw_public_key));
    auto* cases = fields["cases"].mutable_list_value();
    auto add = [&](const std::string& name, const std::string& text,
                   const std::string& key, const std::string& value) {
      auto& c = *cases->add_values()->mutable_struct_value()->mutable_fields();
      c["name"].set_string_value(name);
      c["text"].set_string_value(text);
      c[key].set_string_value(value);
    };
    add("as printed", record_.certificate_url(), "sheet",
        proof::SheetText(proof::SheetOf(verified->seq, verified->event)));
    add("as printed, the payload alone with a newline",
        record_.certificate_url().substr(record_.certificate_url().find('#') +
                                         1) +
            "\n",
        "sheet",
        proof::SheetText(proof::SheetOf(verified->seq, verified->event)));
    v1::CertificateProof lot = good;
    (*lot.mutable_event())[lot.event().find("INK-9") + 4] = '8';
    add("a lot number changed", UrlOf(lot.SerializeAsString()), "error",
        "is not the one in the clinic's signed log");
    v1::CertificateProof hash = good;
    (*hash.mutable_hashes())[5] ^= 0x01;
    add("a proof hash changed", UrlOf(hash.SerializeAsString()), "error",
        "is not the one in the clinic's signed log");
    v1::CertificateProof signature = good;
    (*signature.mutable_signature())[10] ^= 0x01;
    add("the checkpoint's signature changed",
        UrlOf(signature.SerializeAsString()), "error",
        "the checkpoint was altered");
    v1::CertificateProof size = good;
    size.set_tree_size(size.tree_size() + 1);
    add("the checkpoint's tree size changed", UrlOf(size.SerializeAsString()),
        "error", "the checkpoint was altered");
    add("cut short",
        record_.certificate_url().substr(0,
                                         record_.certificate_url().size() - 40),
        "error", "not a smptrace certificate");
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    ASSERT_TRUE(
        google::protobuf::util::MessageToJsonString(vectors, &json, options)
            .ok());
    std::ofstream(out, std::ios::binary | std::ios::trunc) << json;
  }

  std::string session_;
  v1::SterilityRecord record_;
  storage::NoteVerifier verifier_;
};

TEST_F(ProvedCertificateTest, TheQrCodeVerifiesAndSaysWhatThePagePrints) {
  const std::string& url = record_.certificate_url();
  ASSERT_EQ(url.rfind("https://smp.example/verify#", 0), 0u) << url;
  auto verified = proof::VerifyCertificateText(url, verifier_);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->seq, record_.session().seal().seq());
  const proof::CertificateSheet sheet =
      proof::SheetOf(verified->seq, verified->event);
  EXPECT_THAT(
      sheet.facts,
      ::testing::ElementsAre(
          std::pair<std::string, std::string>("Client", "C1"),
          std::pair<std::string, std::string>("Procedure",
                                              session_ + " · crown"),
          std::pair<std::string, std::string>("Practitioner", "Sam"),
          std::pair<std::string, std::string>("Date",
                                              "2026-11-23 10:00 +01:00"),
          ::testing::Pair("Closed", HasSubstr("2026-11-23 10:00 +01:00 by ")),
          ::testing::Pair("Record",
                          absl::StrCat("journal entry ", verified->seq,
                                       ", request close-1")),
          ::testing::Pair("Exception",
                          absl::StrCat("2 single-use unit(s) not disposed (",
                                       kCartridge, " serial SN1, ", kCartridge,
                                       " serial SN2): sharps container full, "
                                       "disposed at 11:00"))));
  // Two cartridges of one lot make one line with their count.
  EXPECT_THAT(sheet.materials,
              ::testing::ElementsAre(
                  ::testing::ElementsAre("Cartridge 1RL 0.25", kCartridge,
                                         "S-1", "2027-12-31", "EO", "2"),
                  ::testing::ElementsAre("SMP Black", kPigment, "INK-9",
                                         "2028-01-01", ::testing::_, "1")));
  // The PDF prints the same lines, and how to check it.
  const std::string path = dir_.Sub("certificate.pdf");
  std::ofstream(path, std::ios::binary) << record_.certificate_pdf();
  if (std::system("command -v pdftotext > /dev/null 2>&1") == 0) {
    ASSERT_EQ(std::system(("pdftotext -layout " + path + " " +
                           dir_.Sub("certificate.txt"))
                              .c_str()),
              0);
    std::ifstream in(dir_.Sub("certificate.txt"));
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_THAT(text.str(), HasSubstr("Check this certificate"));
    EXPECT_THAT(text.str(), HasSubstr("smptrace log verify-certificate"));
    EXPECT_THAT(text.str(), HasSubstr("request close-1"));
    EXPECT_THAT(text.str(), HasSubstr("sharps container full"));
  }
  // The QR code on the page decodes to the URL, read as a phone would read
  // it: from the page rendered at 300 dpi (pdftoppm and zbarimg, installed
  // by deploy/setup-dev.sh).
  {
    ASSERT_EQ(std::system(("pdftoppm -r 300 -gray -png -f 1 -l 1 " + path +
                           " " + dir_.Sub("page"))
                              .c_str()),
              0);
    const std::string decoded = dir_.Sub("decoded.txt");
    ASSERT_EQ(std::system(("zbarimg --raw -q 2>/dev/null " + dir_.Sub("page") +
                           "-1.png > " + decoded)
                              .c_str()),
              0);
    std::ifstream in(decoded);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, url);
  }
}

TEST_F(ProvedCertificateTest, AnyChangedByteOfTheProofFails) {
  const std::string payload = PayloadBytes();
  ASSERT_TRUE(proof::VerifyCertificateText(UrlOf(payload), verifier_).ok());
  for (size_t i = 0; i < payload.size(); ++i) {
    std::string changed = payload;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(proof::VerifyCertificateText(UrlOf(changed), verifier_).ok())
        << "byte " << i << " changed, and it still verifies";
  }
  // The reasons say what was changed.
  v1::CertificateProof proof;
  ASSERT_TRUE(proof.ParseFromString(payload));
  v1::CertificateProof lot = proof;
  const size_t at = lot.event().find("INK-9");
  ASSERT_NE(at, std::string::npos);
  (*lot.mutable_event())[at + 4] = '8';
  EXPECT_THAT(
      proof::VerifyCertificateText(UrlOf(lot.SerializeAsString()), verifier_),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("is not the one in the clinic's signed log")));
  v1::CertificateProof signature = proof;
  (*signature.mutable_signature())[0] ^= 0x01;
  EXPECT_THAT(proof::VerifyCertificateText(UrlOf(signature.SerializeAsString()),
                                           verifier_),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("the checkpoint was altered")));
  EXPECT_THAT(
      proof::VerifyCertificateText("https://smp.example/verify#%%", verifier_),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("not a smptrace certificate")));
}

TEST_F(ProvedCertificateTest, TheQrCodeHoldsNoPersonalDataNorOtherClients) {
  const std::string payload = PayloadBytes();
  for (const char* secret :
       {"Client C1", "C1@example.org", "Client C2", "C2@example.org"}) {
    EXPECT_THAT(payload, Not(HasSubstr(secret)));
  }
  v1::CertificateProof proof;
  ASSERT_TRUE(proof.ParseFromString(payload));
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(proof.event()));
  // One entry: the session's close, whose only client is C1's code.
  EXPECT_TRUE(event.has_session_closed());
  EXPECT_THAT(proof.event(), Not(HasSubstr("C2")));
  // Of every other entry, only hashes.
  EXPECT_EQ(proof.hashes().size() % 32, 0u);
  // A small code a phone reads: measured in the test's log.
  EXPECT_LT(record_.certificate_url().size(), 1000u);
}

// The certificate test vectors the web app's verifier shares
// (tests/testdata/certificate/vectors.json, read by web/tests/
// certificate.test.ts): written from this test's certificate when
// SMPTRACE_WRITE_CERTIFICATE_VECTORS names the file, checked here always.
TEST_F(ProvedCertificateTest, SharedVectorsCheckAsTheyDidWhenWritten) {
  const std::string path = std::string(SMPTRACE_SOURCE_DIR) +
                           "/tests/testdata/certificate/vectors.json";
  if (const char* out = std::getenv("SMPTRACE_WRITE_CERTIFICATE_VECTORS")) {
    WriteVectors(out);
  }
  std::ifstream in(path);
  std::stringstream json;
  json << in.rdbuf();
  google::protobuf::Struct vectors;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.str(), &vectors).ok())
      << path;
  auto verifier =
      storage::ParseNoteVerifierKey(vectors.fields().at("key").string_value());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const auto& cases = vectors.fields().at("cases").list_value().values();
  ASSERT_GE(cases.size(), 5);
  for (const google::protobuf::Value& c : cases) {
    const auto& f = c.struct_value().fields();
    SCOPED_TRACE(f.at("name").string_value());
    auto verified =
        proof::VerifyCertificateText(f.at("text").string_value(), *verifier);
    if (f.contains("sheet")) {
      ASSERT_TRUE(verified.ok()) << verified.status();
      EXPECT_EQ(
          proof::SheetText(proof::SheetOf(verified->seq, verified->event)),
          f.at("sheet").string_value());
    } else {
      EXPECT_THAT(verified.status().message(),
                  HasSubstr(f.at("error").string_value()));
    }
  }
}

TEST_F(ProvedCertificateTest, AnOpenSessionsCertificateHasNoQrCode) {
  const v1::SterilityRecord open = Record(StartSessionFor("C2").session_id());
  EXPECT_EQ(open.certificate_url(), "");
  EXPECT_EQ(open.certificate_pdf().rfind("%PDF-", 0), 0u);
}

}  // namespace
}  // namespace smptrace::api
