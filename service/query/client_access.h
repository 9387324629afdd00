// A client's access log and the auditor's access report: every recorded
// read or subject-access export of a client's record (ClientRecordRead
// journal entries) and the erasure of their personal data (ClientErased),
// found through the client-read index; and the whole record a
// subject-access request gives the client.
#ifndef SMPTRACE_SERVICE_QUERY_CLIENT_ACCESS_H_
#define SMPTRACE_SERVICE_QUERY_CLIENT_ACCESS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/ledger/clients/personal_data.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/store.h"

namespace smptrace::query {

// Every recorded access to client `client`'s record, oldest first.
// DataLoss when a recorded entry is unreadable.
absl::StatusOr<std::vector<v1::ClientAccess>> ClientAccessesOf(
    const storage::Reader& reader, uint64_t client);

// The accesses a report may list; a longer period is refused.
inline constexpr int kMaxAccessReportLines = 10000;

struct AccessReportFilter {
  absl::Time from = absl::InfinitePast();  // recorded at or after
  absl::Time to = absl::InfiniteFuture();  // recorded before
  uint64_t client = 0;                     // 0: every client
  std::string by;                          // empty: every principal
};

// Who read or exported which client's record: one line per client per
// access, oldest first, and a tally per principal. InvalidArgument ("to:
// the period holds more than 10000 accesses ...") when there are more than
// `max_lines`.
absl::StatusOr<v1::ClientAccessReportResponse> ClientAccessReportOf(
    const storage::Reader& reader, const AccessReportFilter& filter,
    int max_lines = kMaxAccessReportLines);

// The journal seq of the access to client `client` that was recorded under
// `request_id` (Commands::RecordClientExport's), looked for from the newest
// back; NotFound if there is none.
absl::StatusOr<uint64_t> SeqOfRecordedAccess(const storage::Reader& reader,
                                             uint64_t client,
                                             std::string_view request_id);

// Everything held about client `client`: the client with their current
// contact details, consents, every session's sterility record, and the
// accesses recorded so far; contact details and screening answers opened
// by `personal` (none once the client was erased). NotFound when there is no
// such client.
absl::StatusOr<v1::ClientRecordExport> ClientRecordExportOf(
    const storage::Reader& reader, const ledger::PersonalData& personal,
    uint64_t client);

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_CLIENT_ACCESS_H_
