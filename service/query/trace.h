// Audit read models over the sessions: a session's sterility record with the
// journal entries that prove it, the sterility records and exceptions of a
// period, a client's history. The lot lookback (TraceLot, TraceProduct) is
// the recall aggregate's read, service/ledger/recalls/lookback.h: opening a
// recall case runs it inside the writer.
#ifndef SMPTRACE_SERVICE_QUERY_TRACE_H_
#define SMPTRACE_SERVICE_QUERY_TRACE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/store.h"

namespace smptrace::query {

// The session's record with each consumable's lot and unit as they are now,
// and the journal entries (seq, hash) that prove it. NotFound when the
// session does not exist.
absl::StatusOr<v1::SterilityRecord> SterilityRecordOf(
    const storage::Reader& reader, uint64_t session);

// The sessions an inspection record may hold; a longer period is refused.
inline constexpr int kMaxInspectionSessions = 500;

// The sterility records of the sessions started in [from, to), by start
// time. InvalidArgument ("to: the period holds more than 500 sessions ...")
// when there are more than `max_sessions`.
absl::StatusOr<std::vector<v1::SterilityRecord>> SterilityRecordsBetween(
    const storage::Reader& reader, absl::Time from, absl::Time to,
    int max_sessions);

// The client's sessions, oldest first, and every recorded read of the
// client's record.
absl::StatusOr<v1::ClientHistoryResponse> ClientHistoryOf(
    const storage::Reader& reader, uint64_t client);

// Exceptions of the sessions started in [from, to), from the sessions-by-time
// index.
absl::StatusOr<v1::ListExceptionsResponse> ExceptionsBetween(
    const storage::Reader& reader, absl::Time from, absl::Time to);

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_TRACE_H_
