// Shape checks of the session and disposal requests (see validation.h for the
// rules every check follows). Scans are parsed here (inventory_validation.h)
// and handed to the ledger as a ResolvedScan.
#ifndef SMPTRACE_SERVICE_API_SESSION_VALIDATION_H_
#define SMPTRACE_SERVICE_API_SESSION_VALIDATION_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "service/api/inventory_validation.h"
#include "smptrace/v1/ledger.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/store.h"

namespace smptrace::api {

// The scan of `barcode` (field `field`) as the ledger takes it: a GTIN, and
// the lot, serial and expiry it carries.
absl::StatusOr<v1::ResolvedScan> ResolveForLedger(std::string_view field,
                                                  std::string_view barcode,
                                                  const ScanContext& scan);

// The client a request names in its `client` field (an id or a code):
// InvalidArgument when blank or malformed, NotFound ("client: no client has
// the id or code 'X'") when there is none.
absl::StatusOr<v1::Client> FindNamedClient(const storage::Reader& reader,
                                           const std::string& client);

absl::Status NormalizeCreateClient(v1::CreateClientRequest* r);
absl::Status NormalizeUpdateClientContact(v1::UpdateClientContactRequest* r);
// A client's contact: a name, and a phone, an email or a postal address.
absl::Status ValidateContact(const v1::ClientContact& c);
absl::Status ValidateListClients(const v1::ListClientsRequest& r);
// Erasure and legal holds: the client (id or code) and the reasons are
// required (blank is not a reason), the legal basis too; a hold's `until`
// a valid day when given.
absl::Status NormalizeEraseClient(v1::EraseClientRequest* r);
absl::Status NormalizePlaceLegalHold(v1::PlaceLegalHoldRequest* r);
absl::Status NormalizeReleaseLegalHold(v1::ReleaseLegalHoldRequest* r);
absl::Status ValidateListLegalHolds(const v1::ListLegalHoldsRequest& r);
// The erasure an approval asks for: the client's, by the retention policy.
absl::Status NormalizeApproveRetentionErasure(
    const v1::ApproveRetentionErasureRequest& r, v1::EraseClientRequest* out);
// Client required; one to two consents, each subject once, each with a
// version (and, if given, a 64-hex-digit SHA-256, lower-cased here).
absl::Status NormalizeRecordConsent(v1::RecordConsentRequest* r);
// A session id; each lot with its GTIN (normalised to 14 digits) and lot
// number. Record also needs 1..50 lots, the 64-hex-digit sha256 (lower-cased
// here) and the medium.
absl::Status NormalizeGetInkDisclosure(v1::GetInkDisclosureRequest* r);
absl::Status NormalizeRecordInkDisclosure(v1::RecordInkDisclosureRequest* r);
// Filters: a blank practitioner or a malformed location id is refused; the
// location id is rewritten in its one spelling.
absl::Status NormalizeListSessions(v1::ListSessionsRequest* r);
absl::Status NormalizeListContainers(v1::ListContainersRequest* r);
// `today` bounds the screening dates (none in the future).
absl::Status NormalizeApproveScreeningOverride(
    v1::ApproveScreeningOverrideRequest* r);
absl::Status NormalizeStartSession(v1::StartSessionRequest* r,
                                   absl::CivilDay today);
absl::Status NormalizeScanConsumable(v1::ScanConsumableRequest* r);
absl::Status NormalizeOpenPigmentBottle(v1::OpenPigmentBottleRequest* r);
absl::Status NormalizeVoidScan(v1::VoidScanRequest* r);
absl::Status NormalizeCloseSession(v1::CloseSessionRequest* r);
absl::Status NormalizeAbortSession(v1::AbortSessionRequest* r);

absl::Status NormalizeOpenContainer(v1::OpenContainerRequest* r);
absl::Status NormalizeDispose(v1::DisposeRequest* r);
absl::Status NormalizeSealContainer(v1::SealContainerRequest* r);
absl::Status NormalizePickUpContainer(v1::PickUpContainerRequest* r);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_SESSION_VALIDATION_H_
