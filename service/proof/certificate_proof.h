// The proof a client's materials-used certificate carries in its QR code
// (proto/smptrace/v1/certificate.proto): made by the server when it prints
// the certificate, checked offline by `smptrace log verify-certificate`
// (and, with the same rules, by the web app's /verify page,
// web/src/lib/certificate.ts; shared vectors in tests/testdata/certificate/).
//
// The QR text is the clinic's verification page URL with the proof in its
// #fragment, base64url without padding:
//   https://clinic.example/verify#<base64url(CertificateProof)>
// A browser never sends a fragment to the server.
#ifndef SMPTRACE_SERVICE_PROOF_CERTIFICATE_PROOF_H_
#define SMPTRACE_SERVICE_PROOF_CERTIFICATE_PROOF_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "smptrace/v1/certificate.pb.h"
#include "smptrace/v1/inventory.pb.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/checkpoint_note.h"
#include "storage/signing.h"
#include "storage/store.h"

namespace smptrace::proof {

// The proof of journal entry `seq` (a session's SessionClosed) in the
// current tree of `current_size` entries, with that tree's checkpoint
// signed by `key`. FailedPrecondition when the entry holds no certificate
// (a session closed before certificates carried proofs); the storage error
// when the tree cannot be read.
absl::StatusOr<v1::CertificateProof> ProveCertificate(
    const storage::Reader& reader, uint64_t seq, uint64_t current_size,
    const storage::CheckpointKey& key);

// `verify_url` + "#" + base64url(proof): what the QR code holds.
std::string CertificateUrl(std::string_view verify_url,
                           const v1::CertificateProof& proof);

// What a verification found: the entry, its event, and the checkpoint it is
// in.
struct VerifiedCertificate {
  uint64_t seq = 0;
  v1::Event event;  // payload: session_closed, with its certificate
  storage::TlogCheckpoint checkpoint;
};

// Checks a certificate's text as scanned: a URL with the proof in its
// fragment, or the base64url text alone (surrounding whitespace ignored).
// Checks the checkpoint's signature by `verifier`, the entry's inclusion in
// that checkpoint's tree, and that the entry is a session's certificate.
// InvalidArgument for text that is not a certificate; FailedPrecondition
// saying what does not match.
absl::StatusOr<VerifiedCertificate> VerifyCertificateText(
    std::string_view text, const storage::NoteVerifier& verifier);

// What the certificate prints about the procedure, in order, for the PDF and
// the verifiers alike: label and value pairs, then one row per material.
struct CertificateSheet {
  std::vector<std::pair<std::string, std::string>> facts;
  // Product, GTIN, Lot, Expires, Sterilisation, Qty.
  static constexpr int kColumns = 6;
  std::vector<std::vector<std::string>> materials;
};
// The sheet of a SessionClosed entry `seq` written at `time` by `actor` (the
// Event's fields); an entry without a certificate gives the facts it has.
CertificateSheet SheetOf(uint64_t seq, const v1::Event& event);
// The sheet as the CLI prints it: "Label: value" lines, a blank line, then
// the materials as tab-separated rows under a header.
std::string SheetText(const CertificateSheet& sheet);

// How the certificate and the other documents write a time (in `zone`; "-"
// when unset) and a sterilisation ("EO 2026-B7").
std::string CertificateTime(const google::protobuf::Timestamp& t,
                            absl::TimeZone zone);
std::string SterilizationText(const v1::Sterilization& s);

}  // namespace smptrace::proof

#endif  // SMPTRACE_SERVICE_PROOF_CERTIFICATE_PROOF_H_
