#include "service/api/recall_notice_file.h"

#include <expat.h>

#include <algorithm>
#include <climits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
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

// `year`-`month`-`day` as a Date, when it is one; else InvalidArgument
// quoting `text` and naming `format`.
absl::StatusOr<v1::Date> CheckedDate(int year, int month, int day,
                                     const std::string& text,
                                     const std::string& field,
                                     const char* format) {
  v1::Date d;
  d.set_year(year);
  d.set_month(month);
  d.set_day(day);
  if (!ledger::ValidateDate(d, field).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", domain::Quote(text), " is not a date (", format, ")"));
  }
  return d;
}

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

// openFDA's dates: YYYYMMDD.
absl::StatusOr<v1::Date> ReportDate(const std::string& text,
                                    const std::string& field) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 8 || !AllDigits(text) ||
      !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(4, 2), &month) ||
      !absl::SimpleAtoi(text.substr(6, 2), &day)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", domain::Quote(text), " is not a date (YYYYMMDD)"));
  }
  return CheckedDate(year, month, day, text, field, "YYYYMMDD");
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

// ---- Safety Gate ---------------------------------------------------------

// A Safety Gate alert as the export writes it: element name -> its text.
using SafetyGateAlert = std::map<std::string, std::string, std::less<>>;

// What Expat's callbacks gather from a weekly report export: the root's
// report_date and, per <notifications> element, its child elements' text
// (the text of deeper elements, such as pictures, joins its child's).
struct SafetyGateExport {
  XML_Parser parser = nullptr;
  int depth = 0;
  std::string root;
  std::string report_date;
  bool has_report_date = false;
  std::vector<SafetyGateAlert> alerts;
  bool in_alert = false;
  bool reading = false;
  std::string element;
  std::string text;
  // Why the callbacks stopped the parser.
  std::string refusal;

  void Refuse(std::string why) {
    if (refusal.empty()) refusal = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
};

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char**) {
  auto* x = static_cast<SafetyGateExport*>(data);
  ++x->depth;
  if (x->depth == 1) {
    x->root = name;
    if (x->root != "Safety-Gate") {
      x->Refuse(absl::StrCat("root element <", domain::Shorten(x->root, 64),
                             ">: a Safety Gate export's is <Safety-Gate>"));
    }
  } else if (x->depth == 2) {
    x->in_alert = absl::string_view(name) == "notifications";
    if (x->in_alert) x->alerts.emplace_back();
    x->reading = absl::string_view(name) == "report_date";
    x->text.clear();
  } else if (x->depth == 3 && x->in_alert) {
    x->element = name;
    x->reading = true;
    x->text.clear();
  }
}

void XMLCALL OnEnd(void* data, const XML_Char* name) {
  auto* x = static_cast<SafetyGateExport*>(data);
  if (x->depth == 3 && x->in_alert) {
    std::string& value = x->alerts.back()[x->element];
    // An element written twice: both texts.
    if (!value.empty() && !x->text.empty()) value += "; ";
    value += x->text;
    x->reading = false;
  } else if (x->depth == 2) {
    if (absl::string_view(name) == "report_date") {
      x->report_date = x->text;
      x->has_report_date = true;
    }
    x->in_alert = false;
    x->reading = false;
  }
  --x->depth;
}

void XMLCALL OnText(void* data, const XML_Char* s, int len) {
  auto* x = static_cast<SafetyGateExport*>(data);
  if (x->reading) x->text.append(s, static_cast<size_t>(len));
}

// Entities declared in a DOCTYPE could expand without bound; a Safety Gate
// export declares none.
void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*,
                       const XML_Char*, int) {
  static_cast<SafetyGateExport*>(data)->Refuse(
      "a DOCTYPE is not read (a Safety Gate export has none)");
}

// The weekly report's date: DD/MM/YYYY (the day and month may have one
// digit).
absl::StatusOr<v1::Date> SafetyGateDate(const std::string& text) {
  const std::string kField = "report_date";
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  int year = 0, month = 0, day = 0;
  if (parts.size() != 3 || parts[0].size() > 2 || parts[1].size() > 2 ||
      parts[2].size() != 4 || !AllDigits(parts[0]) || !AllDigits(parts[1]) ||
      !AllDigits(parts[2]) || !absl::SimpleAtoi(parts[0], &day) ||
      !absl::SimpleAtoi(parts[1], &month) ||
      !absl::SimpleAtoi(parts[2], &year)) {
    return absl::InvalidArgumentError(absl::StrCat(
        kField, ": ", domain::Quote(text), " is not a date (DD/MM/YYYY)"));
  }
  return CheckedDate(year, month, day, text, kField, "DD/MM/YYYY");
}

// `parts` joined by `separator`, the empty ones left out.
std::string JoinPresent(std::initializer_list<std::string> parts,
                        absl::string_view separator) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) absl::StrAppend(&out, separator);
    absl::StrAppend(&out, p);
  }
  return out;
}

absl::StatusOr<v1::PublishedRecallNotice> SafetyGateNotice(
    const SafetyGateAlert& alert, int i, const v1::Date& report_date) {
  const auto field = [i](absl::string_view name) {
    return absl::StrCat("notifications[", i, "].", name);
  };
  // Each element's text on one line, its length checked.
  std::map<absl::string_view, std::string> v;
  for (const auto& [element, max] :
       std::initializer_list<std::pair<absl::string_view, size_t>>{
           {"caseNumber", 40},
           {"category", 100},
           {"product", 500},
           {"name", 500},
           {"brand", 500},
           {"type_numberOfModel", 500},
           {"batchNumber", 8000},
           {"barcode", 2000},
           {"batchNumber_barcode", 8000},
           {"riskType", 200},
           {"danger", 3500},
           {"description", 2500},
           {"measures", 2000},
           {"notifyingCountry", 100},
           {"level", 50}}) {
    auto it = alert.find(element);
    std::string text = it == alert.end() ? "" : OneLine(it->second);
    SMPTRACE_RETURN_IF_ERROR(ValidateText(field(element), text, 0, max));
    v[element] = std::move(text);
  }
  if (v["caseNumber"].empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field("caseNumber"), ": required (e.g. SR/01234/26)"));
  }
  SMPTRACE_RETURN_IF_ERROR(
      ValidateIdentifier(field("caseNumber"), v["caseNumber"], 40));
  if (v["product"].empty() && v["name"].empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field("product"), ": required (the product, or its name)"));
  }
  v1::PublishedRecallNotice n;
  n.set_source(v1::RECALL_NOTICE_SOURCE_SAFETY_GATE);
  n.set_notice_id(v["caseNumber"]);
  n.set_recalling_firm(v["brand"]);
  n.set_product_description(
      JoinPresent({JoinPresent({v["product"], v["name"]}, ": "),
                   v["type_numberOfModel"].empty()
                       ? ""
                       : absl::StrCat("type/model ", v["type_numberOfModel"]),
                   v["description"]},
                  "; "));
  // Labelled so that the matcher reads the batch numbers (after "Batch
  // number:") as it reads openFDA's "Lot …".
  n.set_code_info(JoinPresent(
      {v["batchNumber"].empty()
           ? ""
           : absl::StrCat("Batch number: ", v["batchNumber"]),
       v["barcode"].empty() ? "" : absl::StrCat("Barcode: ", v["barcode"]),
       v["batchNumber_barcode"].empty()
           ? ""
           : absl::StrCat("Batch number / barcode: ",
                          v["batchNumber_barcode"])},
      "; "));
  n.set_reason(JoinPresent({v["riskType"], v["danger"]}, ": "));
  n.set_classification(v["level"]);
  n.set_product_type(v["category"]);
  n.set_measures(v["measures"]);
  n.set_notifying_country(v["notifyingCountry"]);
  *n.mutable_report_date() = report_date;
  return n;
}

}  // namespace

absl::StatusOr<v1::ImportRecallNotices> ReadRecallNoticeFile(
    std::string_view content) {
  absl::string_view rest(content.data(), content.size());
  absl::ConsumePrefix(&rest, "\xEF\xBB\xBF");  // UTF-8 byte-order mark
  rest = absl::StripLeadingAsciiWhitespace(rest);
  if (rest.empty()) {
    return absl::InvalidArgumentError(
        "content: empty: an openFDA enforcement JSON file or a Safety Gate "
        "XML export is expected");
  }
  if (rest.front() == '{') {
    return ReadOpenFdaEnforcementFile(
        std::string_view(rest.data(), rest.size()));
  }
  if (rest.front() == '<') {
    return ReadSafetyGateFile(std::string_view(rest.data(), rest.size()));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "content: neither JSON nor XML (starts with ",
      domain::Quote(std::string(rest.substr(0, 16))),
      "): an openFDA enforcement file is JSON ({\"meta\":…,\"results\":"
      "[…]}), a Safety Gate export XML (<Safety-Gate>…)"));
}

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

absl::StatusOr<v1::ImportRecallNotices> ReadSafetyGateFile(
    std::string_view content) {
  if (content.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError("content: too large");
  }
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(
      XML_ParserCreate(nullptr), &XML_ParserFree);
  if (parser == nullptr) {
    return absl::ResourceExhaustedError("no memory to parse the export");
  }
  SafetyGateExport x;
  x.parser = parser.get();
  XML_SetUserData(parser.get(), &x);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
  if (XML_Parse(parser.get(), content.data(), static_cast<int>(content.size()),
                XML_TRUE) != XML_STATUS_OK) {
    if (!x.refusal.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("content: ", x.refusal));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("content: not XML of a Safety Gate export: line ",
                     XML_GetCurrentLineNumber(parser.get()), ", column ",
                     XML_GetCurrentColumnNumber(parser.get()) + 1, ": ",
                     XML_ErrorString(XML_GetErrorCode(parser.get()))));
  }
  if (x.alerts.empty()) {
    return absl::InvalidArgumentError(
        "content: no notifications: a Safety Gate export holds "
        "<Safety-Gate><report_date>…</report_date><notifications>…"
        "</notifications></Safety-Gate>");
  }
  if (!x.has_report_date || OneLine(x.report_date).empty()) {
    return absl::InvalidArgumentError(
        "content: report_date: required (DD/MM/YYYY, the weekly report's "
        "date)");
  }
  auto date = SafetyGateDate(OneLine(x.report_date));
  if (!date.ok()) return InContent(date.status());
  v1::ImportRecallNotices out;
  for (size_t i = 0; i < x.alerts.size(); ++i) {
    auto notice = SafetyGateNotice(x.alerts[i], static_cast<int>(i), *date);
    if (!notice.ok()) return InContent(notice.status());
    *out.add_notices() = *std::move(notice);
  }
  return out;
}

}  // namespace smptrace::api
