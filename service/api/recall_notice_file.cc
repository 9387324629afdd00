#include "service/api/recall_notice_file.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "google/protobuf/util/json_util.h"
#include "service/api/validation.h"
#include "service/domain/text.h"
#include "service/ledger/dates.h"
#include "smptrace/v1/openfda.pb.h"

namespace smptrace::api {
namespace {

// openFDA's free text may hold line breaks and tabs: spaces here.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return std::string(absl::StripAsciiWhitespace(text));
}

absl::StatusOr<v1::Date> ReportDate(const std::string& text,
                                    const std::string& field) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 8 ||
      !std::all_of(text.begin(), text.end(),
                   [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(4, 2), &month) ||
      !absl::SimpleAtoi(text.substr(6, 2), &day)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", domain::Quote(text), " is not a date (YYYYMMDD)"));
  }
  v1::Date d;
  d.set_year(year);
  d.set_month(month);
  d.set_day(day);
  if (!ledger::ValidateDate(d, field).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", domain::Quote(text), " is not a date (YYYYMMDD)"));
  }
  return d;
}

absl::StatusOr<v1::PublishedRecallNotice> Notice(
    const v1::OpenFdaEnforcementReport& r, int i) {
  const auto field = [i](absl::string_view name) {
    return absl::StrCat("results[", i, "].", name);
  };
  v1::PublishedRecallNotice n;
  n.set_source(v1::RECALL_NOTICE_SOURCE_OPENFDA);
  n.set_notice_id(OneLine(r.recall_number()));
  n.set_recalling_firm(OneLine(r.recalling_firm()));
  n.set_product_description(OneLine(r.product_description()));
  n.set_code_info(
      OneLine(r.more_code_info().empty()
                  ? r.code_info()
                  : absl::StrCat(r.code_info(), " ", r.more_code_info())));
  n.set_reason(OneLine(r.reason_for_recall()));
  n.set_classification(OneLine(r.classification()));
  n.set_status(OneLine(r.status()));
  n.set_product_type(OneLine(r.product_type()));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateIdentifier(field("recall_number"), n.notice_id(), 40));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText(field("recalling_firm"), n.recalling_firm(), 1, 500));
  SMPTRACE_RETURN_IF_ERROR(ValidateText(field("product_description"),
                                        n.product_description(), 1, 4000));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText(field("code_info"), n.code_info(), 0, 20000));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText(field("reason_for_recall"), n.reason(), 0, 4000));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText(field("classification"), n.classification(), 0, 50));
  SMPTRACE_RETURN_IF_ERROR(ValidateText(field("status"), n.status(), 0, 50));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText(field("product_type"), n.product_type(), 0, 50));
  if (r.report_date().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field("report_date"), ": required (YYYYMMDD)"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(*n.mutable_report_date(),
                            ReportDate(r.report_date(), field("report_date")));
  return n;
}

absl::Status InContent(const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat("content: ", s.message()));
}

}  // namespace

absl::StatusOr<v1::ImportRecallNotices> ReadOpenFdaEnforcementFile(
    std::string_view content) {
  v1::OpenFdaEnforcementFile file;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(content.data(), content.size()), &file,
      options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("content: not JSON of an openFDA enforcement file: ",
                     domain::Shorten(std::string(parsed.message()), 300)));
  }
  if (file.results_size() == 0) {
    return absl::InvalidArgumentError(
        "content: no results: an openFDA enforcement file holds "
        "{\"meta\":…,\"results\":[…]}");
  }
  v1::ImportRecallNotices out;
  for (int i = 0; i < file.results_size(); ++i) {
    auto notice = Notice(file.results(i), i);
    if (!notice.ok()) return InContent(notice.status());
    *out.add_notices() = *std::move(notice);
  }
  return out;
}

}  // namespace smptrace::api
