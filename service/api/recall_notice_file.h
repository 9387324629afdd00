// Reading a published recall-notice file as downloaded: an openFDA device or
// drug enforcement-report JSON page ({"meta":…,"results":[…]}) or a file of
// openFDA's bulk download (the same layout), parsed with protobuf's JSON
// parser against proto/smptrace/v1/openfda.proto. The shape check of
// ImportRecallNotices: a file that does not read is refused whole.
#ifndef SMPTRACE_SERVICE_API_RECALL_NOTICE_FILE_H_
#define SMPTRACE_SERVICE_API_RECALL_NOTICE_FILE_H_

#include <cstddef>
#include <string_view>

#include "absl/status/statusor.h"
#include "smptrace/v1/ledger.pb.h"

namespace smptrace::api {

// The largest file ImportRecallNotices takes (below the server's 4 MiB
// message limit).
inline constexpr size_t kMaxRecallNoticeFileBytes = 3 << 20;

// The notices of an openFDA enforcement file, in file order. Every record
// needs recall_number, recalling_firm, product_description and report_date
// (YYYYMMDD); line breaks in free text become spaces. InvalidArgument
// naming the record and the field:
//   "content: results[2].report_date: '2026-13-01' is not a date (YYYYMMDD)"
//   "content: not JSON of an openFDA enforcement file: …" (protobuf's reason)
//   "content: no results: an openFDA enforcement file holds
//    {"meta":…,"results":[…]}"
absl::StatusOr<v1::ImportRecallNotices> ReadOpenFdaEnforcementFile(
    std::string_view content);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_RECALL_NOTICE_FILE_H_
