// Typed reads of clients, sessions and sharps containers from any
// storage::Reader.
#ifndef SMPTRACE_SERVICE_LEDGER_SESSION_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_SESSION_STATE_H_

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

absl::StatusOr<std::optional<v1::Client>> ReadClient(
    const storage::Reader& reader, uint64_t client);
absl::StatusOr<std::optional<v1::ClientContact>> ReadClientContact(
    const storage::Reader& reader, uint64_t client);
// The client whose id ("CLI-000001") or code is `text`; nullopt if none.
absl::StatusOr<std::optional<v1::Client>> FindClient(
    const storage::Reader& reader, std::string_view text);

// Clients by id after client number `after` (0 = from the first), at most
// `limit`, only those whose code starts with `code_prefix`; no contact.
absl::StatusOr<Page<v1::Client>> ListClients(const storage::Reader& reader,
                                             std::string_view code_prefix,
                                             uint64_t after, int limit);

absl::StatusOr<std::optional<v1::Session>> ReadSession(
    const storage::Reader& reader, uint64_t session);
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

// The session as a list line: counts of what it used and what still awaits
// disposal.
v1::SessionLine SessionLineOf(const v1::Session& session);

// A session's verdict: OPEN, ABORTED, or (closed) COMPLIANT when it has no
// exceptions, EXCEPTIONS otherwise.
v1::RecordVerdict VerdictOf(const v1::Session& session);

absl::StatusOr<std::optional<v1::ScreeningOverrideApproval>>
ReadOverrideApproval(const storage::Reader& reader, uint64_t approval);

absl::StatusOr<std::optional<v1::Container>> ReadContainer(
    const storage::Reader& reader, uint64_t container);
// Containers by id after number `after` (0 = from the first), at most
// `limit`, only at `location_id` / in `status` when those are set.
absl::StatusOr<Page<v1::Container>> ListContainers(
    const storage::Reader& reader, std::string_view location_id,
    v1::ContainerStatus status, uint64_t after, int limit);

// The units put into a container, in disposal order.
absl::StatusOr<std::vector<v1::Unit>> ContainerUnits(
    const storage::Reader& reader, uint64_t container);

// Up to `limit` serials of opened single-use units of a lot, opened at
// `location` and not yet disposed.
absl::StatusOr<std::vector<std::string>> AwaitingDisposal(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location, int limit);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SESSION_STATE_H_
