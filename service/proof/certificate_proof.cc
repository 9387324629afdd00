#include "service/proof/certificate_proof.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/clinic_time.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/ledger/dates.h"
#include "service/proof/tlog_proof.h"
#include "storage/journal.h"
#include "storage/merkle.h"
#include "storage/tlog.h"

namespace smptrace::proof {
namespace {

absl::Status NotACertificate(std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "not a smptrace certificate: ", ToAbsl(why),
      "; give the text of the certificate's QR code (the URL) as scanned"));
}

std::string FixedOffsetTime(const google::protobuf::Timestamp& t,
                            int offset_minutes) {
  return CertificateTime(t, absl::FixedTimeZone(offset_minutes * 60));
}

}  // namespace

absl::StatusOr<v1::CertificateProof> ProveCertificate(
    const storage::Reader& reader, uint64_t seq, uint64_t current_size,
    const storage::CheckpointKey& key) {
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::InclusionProof inclusion,
      ProveInclusion(reader, seq, current_size, current_size, key));
  v1::CertificateProof out;
  out.set_seq(seq);
  out.set_event(inclusion.leaf_data().substr(8));
  v1::Event event;
  if (!event.ParseFromString(out.event()) ||
      !event.session_closed().has_certificate()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "journal entry ", seq,
        " holds no certificate: sessions closed before certificates "
        "carried proofs have none"));
  }
  storage::TlogCheckpoint checkpoint;
  checkpoint.origin = storage::DefaultLogOrigin(key);
  checkpoint.size = current_size;
  SMPTRACE_ASSIGN_OR_RETURN(checkpoint.root,
                            storage::ReadTlogRoot(reader, current_size));
  SMPTRACE_ASSIGN_OR_RETURN(*out.mutable_signature(),
                            storage::SignCheckpoint(key, checkpoint));
  out.set_tree_size(current_size);
  out.set_root(std::move(checkpoint.root));
  for (const std::string& h : inclusion.hashes())
    out.mutable_hashes()->append(h);
  return out;
}

std::string CertificateUrl(std::string_view verify_url,
                           const v1::CertificateProof& proof) {
  std::string payload;
  absl::WebSafeBase64Escape(proof.SerializeAsString(), &payload);
  return absl::StrCat(ToAbsl(verify_url), "#", payload);
}

absl::StatusOr<VerifiedCertificate> VerifyCertificateText(
    std::string_view text, const storage::NoteVerifier& verifier) {
  absl::string_view payload = absl::StripAsciiWhitespace(ToAbsl(text));
  if (const size_t hash = payload.find('#'); hash != payload.npos) {
    payload.remove_prefix(hash + 1);
  }
  std::string bytes;
  if (payload.empty() || !absl::WebSafeBase64Unescape(payload, &bytes)) {
    return NotACertificate("its proof is not base64url text");
  }
  v1::CertificateProof proof;
  if (!proof.ParseFromString(bytes) || proof.seq() == 0 ||
      proof.event().empty()) {
    return NotACertificate("its proof does not hold a journal entry");
  }
  if (proof.root().size() != storage::kHashSize ||
      proof.signature().size() != 64 ||
      proof.hashes().size() % storage::kHashSize != 0) {
    return NotACertificate("its checkpoint or proof hashes are cut short");
  }
  storage::TlogCheckpoint claimed;
  claimed.origin = verifier.name;
  claimed.size = proof.tree_size();
  claimed.root = proof.root();
  VerifiedCertificate out;
  SMPTRACE_ASSIGN_OR_RETURN(
      out.checkpoint, storage::OpenCheckpointNote(
                          storage::CheckpointNoteOf(claimed, verifier.key_id,
                                                    proof.signature()),
                          verifier));
  if (proof.seq() > out.checkpoint.size) {
    return absl::FailedPreconditionError(
        absl::StrCat("entry ", proof.seq(), " is not in a tree of ",
                     out.checkpoint.size, " entries"));
  }
  std::vector<std::string> hashes;
  for (size_t i = 0; i < proof.hashes().size(); i += storage::kHashSize) {
    hashes.push_back(proof.hashes().substr(i, storage::kHashSize));
  }
  absl::Status included = storage::VerifyTlogInclusion(
      storage::TlogLeafHash(storage::TlogLeafData(proof.seq(), proof.event())),
      proof.seq() - 1, out.checkpoint.size, hashes, out.checkpoint.root);
  if (!included.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the certificate's entry ", proof.seq(),
                     " is not the one in the clinic's signed log (",
                     included.message(), "): the certificate was altered"));
  }
  if (!out.event.ParseFromString(proof.event()) ||
      !out.event.session_closed().has_certificate()) {
    return absl::FailedPreconditionError(
        absl::StrCat("entry ", proof.seq(),
                     " of the clinic's log is not a session's certificate"));
  }
  out.seq = proof.seq();
  return out;
}

CertificateSheet SheetOf(uint64_t seq, const v1::Event& event) {
  const v1::SessionClosed& closed = event.session_closed();
  const v1::SessionCertificate& c = closed.certificate();
  const int offset = c.utc_offset_minutes();
  CertificateSheet sheet;
  sheet.facts = {
      {"Client", c.client_code()},
      {"Procedure",
       absl::StrCat(closed.session_id(), " · ", c.treatment_area())},
      {"Practitioner", c.practitioner()},
      {"Date", FixedOffsetTime(c.started_at(), offset)},
      {"Closed", absl::StrCat(FixedOffsetTime(event.time(), offset), " by ",
                              event.actor())},
      {"Record",
       absl::StrCat("journal entry ", seq, ", request ", event.request_id())},
  };
  if (closed.undisposed_size() > 0) {
    std::vector<std::string> units;
    for (const v1::UnitRef& ref : closed.undisposed()) {
      units.push_back(absl::StrCat(ref.gtin(), " serial ", ref.serial()));
    }
    sheet.facts.emplace_back("Exception",
                             absl::StrCat(closed.undisposed_size(),
                                          " single-use unit(s) not disposed (",
                                          absl::StrJoin(units, ", "),
                                          "): ", closed.undisposed_reason()));
  }
  for (const v1::CertifiedMaterial& m : c.materials()) {
    sheet.materials.push_back({m.product_name(), m.gtin(), m.lot(),
                               ledger::FormatDate(m.expiry()),
                               SterilizationText(m.sterilization()),
                               absl::StrCat(std::max<uint32_t>(m.count(), 1))});
  }
  return sheet;
}

std::string SheetText(const CertificateSheet& sheet) {
  std::string out;
  for (const auto& [label, value] : sheet.facts) {
    absl::StrAppend(&out, label, ": ", value, "\n");
  }
  absl::StrAppend(&out, "\nProduct\tGTIN\tLot\tExpires\tSterilisation\tQty\n");
  for (const auto& row : sheet.materials) {
    absl::StrAppend(&out, absl::StrJoin(row, "\t"), "\n");
  }
  return out;
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

}  // namespace smptrace::proof
