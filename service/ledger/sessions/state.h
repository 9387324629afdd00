// Typed reads of sessions (and their screening override approvals) from
// any storage::Reader.
#ifndef SMPTRACE_SERVICE_LEDGER_SESSIONS_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_SESSIONS_STATE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/ledger/records.h"
#include "smptrace/v1/inventory.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/keys.h"
#include "storage/store.h"

namespace smptrace::ledger {

inline constexpr NumberedRecord kSessionRecord{
    storage::keys::StateTag::kSession, domain::IdKind::kSession, "session"};
inline constexpr NumberedRecord kOverrideApprovalRecord{
    storage::keys::StateTag::kOverrideApproval,
    domain::IdKind::kOverrideApproval, "screening override approval"};

absl::StatusOr<std::optional<v1::Session>> ReadSession(
    const storage::Reader& reader, uint64_t session);
// The session with id `id` ("SES-000001"); InvalidArgument "session_id: ..."
// for a malformed id, NotFound for an unknown one.
absl::StatusOr<v1::Session> MustReadSession(const storage::Reader& reader,
                                            const std::string& id);
// The session an index entry names (`session`, as decoded from its key);
// the decoding error, or DataLoss if the session is missing.
absl::StatusOr<v1::Session> ReadIndexedSession(
    const storage::Reader& reader, const absl::StatusOr<uint64_t>& session);
// The client's most recent session that was not aborted, nullopt if none.
absl::StatusOr<std::optional<v1::Session>> LastSessionOfClient(
    const storage::Reader& reader, uint64_t client);

// Calls `visit` with each session started in [from, to), by start time,
// after session number `after` (0 = from the first), until it returns
// false. NotFound if `after` is not a session; DataLoss if an indexed
// session is missing.
absl::Status ForEachSessionStarted(
    const storage::Reader& reader, absl::Time from, absl::Time to,
    uint64_t after, const std::function<bool(v1::Session&)>& visit);

// What ListSessions keeps; empty / UNSPECIFIED = any.
struct SessionFilter {
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  std::string location_id;
  std::string practitioner;
  v1::SessionStatus status = v1::SESSION_STATUS_UNSPECIFIED;
};

// Sessions that pass `filter`, by start time, after session number `after`
// (0 = from the first), at most `limit`.
absl::StatusOr<Page<v1::SessionLine>> ListSessions(
    const storage::Reader& reader, const SessionFilter& filter, uint64_t after,
    int limit);

// The session as a list line: counts of what it used, voided and what still
// awaits disposal (AwaitsDisposal). Also a scan's answer
// (ScanConsumableResponse.summary).
v1::SessionLine SessionLineOf(const v1::Session& session);

// The one rule for "awaiting disposal", used by the session's list line,
// by close (which needs each one disposed, or a reason) and by the kiosk
// (web/src/pages/kiosk/disposal.ts says the same): a single-use unit, not a
// pigment draw, not yet in a sharps container, unless a void put it back in
// stock (ReturnedToStock). A use voided as opened is spent and awaits
// disposal like any other, and so does one voided before voids said
// whether the package was opened (VOIDED_PACKAGE_UNSPECIFIED: the unit
// stayed opened).
bool AwaitsDisposal(const v1::ConsumableUse& use);

// Whether a void put the use's unit back in stock: voided as not opened.
bool ReturnedToStock(const v1::ConsumableUse& use);

// A session's verdict: OPEN, ABORTED, or (closed) COMPLIANT when it has no
// exceptions, EXCEPTIONS otherwise.
v1::RecordVerdict VerdictOf(const v1::Session& session);

absl::StatusOr<std::optional<v1::ScreeningOverrideApproval>>
ReadOverrideApproval(const storage::Reader& reader, uint64_t approval);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SESSIONS_STATE_H_
