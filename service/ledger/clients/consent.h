// A client's consent to the procedure and to the processing of their data:
// recording it (one journal entry per RecordConsent), reading it back, and
// whether it covers the clinic's current texts (domain/consent_policy.h),
// which StartSession asks when the clinic requires consent.
#ifndef SMPTRACE_SERVICE_LEDGER_CLIENTS_CONSENT_H_
#define SMPTRACE_SERVICE_LEDGER_CLIENTS_CONSENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/domain/consent_policy.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/journal.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

// The clinic's current texts, procedure first, each with its SHA-256.
std::vector<v1::ConsentText> ConsentTextsOf(const domain::ConsentPolicy& p);

// Every consent the client gave, oldest first (empty if none).
absl::StatusOr<std::vector<v1::ClientConsent>> ReadClientConsents(
    const storage::Reader& reader, uint64_t client);

// Where `client` stands with the clinic's current texts: the latest consent
// per subject, and the subjects whose current version is not agreed to.
absl::StatusOr<v1::ConsentStatus> ConsentStatusOf(
    const storage::Reader& reader, const v1::Client& client,
    const domain::ConsentPolicy& policy);

// OK when the clinic does not require consent or the client agreed to the
// current texts; otherwise a "consent_missing" refusal that says what is
// missing and how to record it.
absl::Status CheckConsentForSession(const storage::Reader& reader,
                                    const v1::Client& client,
                                    const domain::ConsentPolicy& policy);

// Records the consents given. NotFound for an unknown client;
// FailedPrecondition ("consent_text_outdated") when a version or digest is
// not the clinic's current one.
absl::StatusOr<Decision> DecideRecordConsent(const DecisionContext& ctx,
                                             const v1::RecordConsentRequest& r);

absl::Status ApplyConsentRecorded(const v1::ConsentRecorded& e, uint64_t seq,
                                  storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CLIENTS_CONSENT_H_
