// Reading a published recall-notice file as downloaded, in either format
// the recall intake takes: an openFDA device or drug enforcement-report
// JSON page ({"meta":…,"results":[…]}) or a file of openFDA's bulk download
// (the same layout), parsed with protobuf's JSON parser against
// proto/smptrace/v1/openfda.proto; or an EU Safety Gate weekly report XML
// export (<Safety-Gate><notifications>…), parsed with Expat. Both become
// the same PublishedRecallNotice, matched by the same rule
// (service/domain/recall_match.h). The shape check of ImportRecallNotices:
// a file that does not read is refused whole.
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

// The notices of a recall-notice file, in file order. The format is told
// from the content, not the file's name: after an optional UTF-8 byte-order
// mark and white space, "{" is openFDA JSON (ReadOpenFdaEnforcementFile)
// and "<" Safety Gate XML (ReadSafetyGateFile). InvalidArgument otherwise:
//   "content: empty: an openFDA enforcement JSON file or a Safety Gate XML
//    export is expected"
//   "content: neither JSON nor XML (starts with 'Recall'): …"
absl::StatusOr<v1::ImportRecallNotices> ReadRecallNoticeFile(
    std::string_view content);

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

// The alerts of a Safety Gate weekly report export, in file order: the
// root <Safety-Gate> holds <report_date> (DD/MM/YYYY, every alert's
// report_date) and one <notifications> element per alert with caseNumber,
// category, product, name, brand, type_numberOfModel, batchNumber, barcode
// (or the older combined batchNumber_barcode), riskType, danger,
// description, measures, notifyingCountry, level; other elements are
// ignored. Every alert needs caseNumber and a product or a name. Mapped as
// proto/smptrace/v1/audit.proto's PublishedRecallNotice says (brand as the
// firm, "Batch number: …; Barcode: …" as code_info). InvalidArgument
// naming the alert and the element:
//   "content: not XML of a Safety Gate export: line 7, column 12:
//    mismatched tag"
//   "content: root element <alerts>: a Safety Gate export's is
//    <Safety-Gate>"
//   "content: notifications[1].caseNumber: required (e.g. SR/01234/26)"
//   "content: report_date: '2026-11-27' is not a date (DD/MM/YYYY)"
// A DOCTYPE is refused (a Safety Gate export has none, and no entity of
// the file is expanded).
absl::StatusOr<v1::ImportRecallNotices> ReadSafetyGateFile(
    std::string_view content);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_RECALL_NOTICE_FILE_H_
