#include "service/api/request_limits.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/string_view.h"
#include "google/protobuf/descriptor.h"

namespace smptrace::api {

const std::vector<RepeatedLimit>& RepeatedLimits() {
  static const auto* const table = new std::vector<RepeatedLimit>{
      {"smptrace.v1.ReceiveRequest.lines", kMaxLinesPerRequest},
      {"smptrace.v1.DiscardRequest.units", kMaxUnitsPerRequest},
      {"smptrace.v1.DiscardRequest.barcodes", kMaxUnitsPerRequest},
      {"smptrace.v1.TransferRequest.units", kMaxUnitsPerRequest},
      {"smptrace.v1.TransferRequest.barcodes", kMaxUnitsPerRequest},
      {"smptrace.v1.PrintLabelsRequest.units", kMaxUnitsPerRequest},
      {"smptrace.v1.CreatePurchaseOrderRequest.lines", kMaxLinesPerRequest},
      {"smptrace.v1.EditPurchaseOrderRequest.lines", kMaxLinesPerRequest},
      {"smptrace.v1.OpenRecallCaseRequest.lots", kMaxLotsPerRecallCase},
      // One consent per subject: the procedure and data processing.
      {"smptrace.v1.RecordConsentRequest.given", 2},
      {"smptrace.v1.ReceiveLine.other_elements", kMaxElementsPerBarcode},
      {"smptrace.v1.InkLabel.ingredients", kMaxInkIngredients},
      {"smptrace.v1.GetInkDisclosureRequest.lots", kMaxLotsPerDisclosure},
      {"smptrace.v1.RecordInkDisclosureRequest.lots", kMaxLotsPerDisclosure},
  };
  return *table;
}

std::optional<int> RepeatedLimitOf(std::string_view full_name) {
  for (const RepeatedLimit& limit : RepeatedLimits()) {
    if (limit.field == full_name) return limit.max;
  }
  return std::nullopt;
}

namespace {

absl::Status Check(const google::protobuf::Message& message,
                   const std::string& path) {
  const google::protobuf::Descriptor* d = message.GetDescriptor();
  const google::protobuf::Reflection* r = message.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    const std::string name =
        path.empty() ? f->name() : absl::StrCat(path, ".", f->name());
    if (f->is_repeated()) {
      const int size = r->FieldSize(message, f);
      const int max =
          RepeatedLimitOf(f->full_name()).value_or(kMaxLinesPerRequest);
      if (size > max) {
        return absl::InvalidArgumentError(absl::StrCat(
            name, ": ", size, " entries; at most ", max, " in one request"));
      }
      if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
        for (int k = 0; k < size; ++k) {
          absl::Status s = Check(r->GetRepeatedMessage(message, f, k),
                                 absl::StrCat(name, "[", k, "]"));
          if (!s.ok()) return s;
        }
      }
    } else if (f->cpp_type() ==
                   google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
               r->HasField(message, f)) {
      absl::Status s = Check(r->GetMessage(message, f), name);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckRepeatedLimits(const google::protobuf::Message& request) {
  return Check(request, "");
}

}  // namespace smptrace::api
