// Recall case reads for the auditor's desk (service/query: they read, never
// write): the list of cases and a case's notification worksheet. Opening,
// notifying and closing a case are the ledger's (service/ledger/recalls/).
#ifndef SMPTRACE_SERVICE_QUERY_RECALL_READS_H_
#define SMPTRACE_SERVICE_QUERY_RECALL_READS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "service/ledger/clients/personal_data.h"
#include "service/ledger/records.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/store.h"

namespace smptrace::query {

// Cases by id after number `after` (0 = from the first), at most `limit`,
// only in `status` unless it is UNSPECIFIED.
absl::StatusOr<ledger::Page<v1::RecallCase>> ListRecallCases(
    const storage::Reader& reader, v1::RecallCaseStatus status, uint64_t after,
    int limit);

// The notification worksheet of case `case_id` ("RC-000001"): each exposed
// client with their contact details, their sessions (when, where, who) and
// the units in the case's scope each used. Reading it is a read of every
// listed client's record: the caller records that. InvalidArgument for a
// malformed id, NotFound for an unknown case, DataLoss if a named session is
// missing.
absl::StatusOr<v1::RecallWorksheet> RecallWorksheetOf(
    const storage::Reader& reader, const ledger::PersonalData& personal,
    const std::string& case_id);

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_RECALL_READS_H_
