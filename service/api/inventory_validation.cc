#include "service/api/inventory_validation.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/api/request_limits.h"
#include "service/api/validation.h"
#include "service/domain/gs1_ai_table.h"
#include "service/domain/ids.h"
#include "service/domain/text.h"
#include "service/ledger/dates.h"
#include "service/ledger/stock/state.h"

namespace smptrace::api {
namespace {

using domain::IdKind;

constexpr int kMaxLines = kMaxLinesPerRequest;
constexpr int64_t kMaxUnitsPerLine = kMaxUnitsPerReceiveLine;
constexpr int64_t kMaxUnits = kMaxUnitsPerReceive;
constexpr int kMaxQuantity = 10000;
constexpr size_t kMaxLot = kMaxLotLength;
constexpr size_t kMaxSerial = kMaxSerialLength;
constexpr size_t kMaxNote = 500;

absl::Status Invalid(std::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), ": ", why));
}

std::string Field(std::string_view base, int i, std::string_view leaf = {}) {
  std::string f = absl::StrCat(ToAbsl(base), "[", i, "]");
  if (!leaf.empty()) absl::StrAppend(&f, ".", ToAbsl(leaf));
  return f;
}

absl::Status NormalizeGtinField(std::string_view field, std::string* gtin) {
  if (gtin->empty()) return Invalid(field, "required");
  auto normal = domain::NormalizeGtin(*gtin);
  if (!normal.ok()) return Invalid(field, normal.status().message());
  *gtin = *std::move(normal);
  return absl::OkStatus();
}

// A lot or serial as printed: an identifier (validation.h) of 1..max
// characters; no white space at either end (a scanner's stray blank would
// make a second lot), nothing trimmed or changed inside.
absl::Status ValidateCode(std::string_view field, const std::string& value,
                          size_t max, std::string_view missing_hint) {
  if (value.empty()) {
    return Invalid(field, absl::StrCat("required", ToAbsl(missing_hint)));
  }
  return ValidateIdentifier(ToAbsl(field), value, max);
}

absl::Status ValidateLocationId(std::string_view field, const std::string& id,
                                bool required) {
  if (id.empty()) {
    return required ? Invalid(field, "required (e.g. LOC-000002)")
                    : absl::OkStatus();
  }
  return domain::ParseId(IdKind::kLocation, id, field).status();
}

// Typed and scanned values must agree; the scanned one fills a blank.
absl::Status Merge(std::string_view field, std::string* typed,
                   const std::string& scanned) {
  if (scanned.empty()) return absl::OkStatus();
  if (!typed->empty() && *typed != scanned) {
    return Invalid(
        field, absl::StrCat("typed ", domain::Quote(*typed),
                            " but the barcode says ", domain::Quote(scanned)));
  }
  *typed = scanned;
  return absl::OkStatus();
}

absl::Status MergeDate(std::string_view field, v1::Date* typed,
                       const std::optional<absl::CivilDay>& scanned) {
  if (!scanned.has_value()) return absl::OkStatus();
  const v1::Date from_scan = ledger::ToProto(*scanned);
  if (ledger::IsSet(*typed) &&
      ledger::DateKey(*typed, 0) != ledger::DateKey(from_scan, 0)) {
    return Invalid(field, absl::StrCat("typed ", ledger::FormatDate(*typed),
                                       " but the barcode says ",
                                       ledger::FormatDate(from_scan)));
  }
  *typed = from_scan;
  return absl::OkStatus();
}

absl::Status NormalizeReceiveLine(int i, v1::ReceiveLine* line,
                                  const ScanContext& scan) {
  int64_t count = 1;
  line->clear_other_elements();
  if (!line->barcode().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        domain::ScannedItem item,
        ResolveScan(Field("lines", i, "barcode"), line->barcode(),
                    line->secondary_barcode(), scan));
    std::string gtin = item.gtin;
    if (gtin.empty()) gtin = item.content_gtin;
    if (gtin.empty()) {
      return Invalid(Field("lines", i, "barcode"),
                     item.sscc.empty()
                         ? "carries no GTIN: scan the product label"
                         : "an SSCC (AI 00) names a shipment, not a product: "
                           "scan the labels of the items inside");
    }
    if (!line->gtin().empty()) {
      SMPTRACE_RETURN_IF_ERROR(
          NormalizeGtinField(Field("lines", i, "gtin"), line->mutable_gtin()));
    }
    SMPTRACE_RETURN_IF_ERROR(
        Merge(Field("lines", i, "gtin"), line->mutable_gtin(), gtin));
    SMPTRACE_RETURN_IF_ERROR(
        Merge(Field("lines", i, "lot"), line->mutable_lot(), item.lot));
    SMPTRACE_RETURN_IF_ERROR(Merge(Field("lines", i, "serial"),
                                   line->mutable_serial(), item.serial));
    SMPTRACE_RETURN_IF_ERROR(MergeDate(Field("lines", i, "expiry"),
                                       line->mutable_expiry(), item.expiry));
    SMPTRACE_RETURN_IF_ERROR(MergeDate(Field("lines", i, "production_date"),
                                       line->mutable_production_date(),
                                       item.production_date));
    if (item.count.has_value()) {
      count = *item.count;
    } else if (item.variable_count.has_value()) {
      count = *item.variable_count;
    }
    if (count < 1 || count > kMaxUnitsPerLine) {
      return Invalid(Field("lines", i, "barcode"),
                     absl::StrCat("a count of ", count, " items is outside 1..",
                                  kMaxUnitsPerLine));
    }
    AddUnrecordedElements(item,
                          {"01", "02", "10", "11", "17", "21", "30", "37"},
                          line->mutable_other_elements());
  } else {
    if (!line->secondary_barcode().empty()) {
      return Invalid(Field("lines", i, "secondary_barcode"),
                     "only with the primary symbol in barcode");
    }
    SMPTRACE_RETURN_IF_ERROR(
        NormalizeGtinField(Field("lines", i, "gtin"), line->mutable_gtin()));
  }
  SMPTRACE_RETURN_IF_ERROR(
      ValidateCode(Field("lines", i, "lot"), line->lot(), kMaxLot,
                   line->barcode().empty()
                       ? ""
                       : ": the barcode carries no lot (AI 10); type it"));
  if (!line->serial().empty()) {
    SMPTRACE_RETURN_IF_ERROR(ValidateCode(Field("lines", i, "serial"),
                                          line->serial(), kMaxSerial, ""));
  }
  SMPTRACE_RETURN_IF_ERROR(
      ledger::ValidateDate(line->expiry(), Field("lines", i, "expiry")));
  SMPTRACE_RETURN_IF_ERROR(ledger::ValidateDate(
      line->production_date(), Field("lines", i, "production_date")));
  if (line->quantity() < 0 || line->quantity() > kMaxQuantity) {
    return Invalid(
        Field("lines", i, "quantity"),
        absl::StrCat("must be 1..", kMaxQuantity, ", got ", line->quantity()));
  }
  const int64_t units = std::max(line->quantity(), 1) * count;
  if (units > kMaxUnitsPerLine) {
    return Invalid(
        Field("lines", i, "quantity"),
        absl::StrCat(units, " units on one line; at most ", kMaxUnitsPerLine));
  }
  if (!line->serial().empty() && units != 1) {
    return Invalid(Field("lines", i, "quantity"),
                   absl::StrCat("a serialised item is one unit, not ", units));
  }
  line->set_quantity(static_cast<int32_t>(units));
  const v1::Sterilization& s = line->sterilization();
  if (!v1::SterilizationMethod_IsValid(s.method())) {
    return Invalid(Field("lines", i, "sterilization.method"),
                   absl::StrCat("unknown method ", s.method()));
  }
  SMPTRACE_RETURN_IF_ERROR(ValidateText(
      Field("lines", i, "sterilization.batch"), s.batch(), 0, 100));
  return ValidateText(Field("lines", i, "sterilization.certificate"),
                      s.certificate(), 0, 100);
}

// Scanned unit labels -> units, appended to `units` in order; each must
// carry a serial. The barcodes stay in the request, so that the ledger's
// refusal of a unit names the barcode the client sent (barcodes[j]), not a
// units[i] it never sent.
absl::Status ResolveUnitBarcodes(
    std::string_view base,
    google::protobuf::RepeatedPtrField<std::string>* barcodes,
    google::protobuf::RepeatedPtrField<v1::UnitRef>* units,
    const ScanContext& scan) {
  for (int i = 0; i < barcodes->size(); ++i) {
    const std::string field = Field(base, i);
    SMPTRACE_ASSIGN_OR_RETURN(domain::ScannedItem item,
                              ResolveScan(field, (*barcodes)[i], "", scan));
    if (item.gtin.empty() || item.serial.empty()) {
      return Invalid(field,
                     "names no single unit (no GTIN and serial, AI 01 + 21): "
                     "scan the unit's own label, or give the lot, location "
                     "and quantity");
    }
    v1::UnitRef* ref = units->Add();
    ref->set_gtin(item.gtin);
    ref->set_serial(item.serial);
  }
  return absl::OkStatus();
}

absl::Status NormalizeUnitRefs(
    google::protobuf::RepeatedPtrField<v1::UnitRef>* units) {
  for (int i = 0; i < units->size(); ++i) {
    v1::UnitRef& ref = (*units)[i];
    SMPTRACE_RETURN_IF_ERROR(
        NormalizeGtinField(Field("units", i, "gtin"), ref.mutable_gtin()));
    SMPTRACE_RETURN_IF_ERROR(ValidateCode(Field("units", i, "serial"),
                                          ref.serial(), kMaxSerial, ""));
  }
  return absl::OkStatus();
}

// Either named units or gtin + lot + quantity, not both.
absl::Status UnitsOrQuantity(int units, std::string* gtin,
                             const std::string& lot, int quantity) {
  if (units > 0) {
    if (!gtin->empty() || !lot.empty() || quantity != 0) {
      return Invalid("units",
                     "name units or give gtin, lot and quantity, "
                     "not both");
    }
    if (units > kMaxUnitsPerRequest) {
      return Invalid("units", absl::StrCat("at most ", kMaxUnitsPerRequest,
                                           " in one request, got ", units));
    }
    return absl::OkStatus();
  }
  SMPTRACE_RETURN_IF_ERROR(NormalizeGtinField("gtin", gtin));
  SMPTRACE_RETURN_IF_ERROR(ValidateCode("lot", lot, kMaxLot, ""));
  if (quantity < 1 || quantity > kMaxQuantity) {
    return Invalid("quantity", absl::StrCat("must be 1..", kMaxQuantity,
                                            ", got ", quantity));
  }
  return absl::OkStatus();
}

}  // namespace

void AddUnrecordedElements(
    const domain::ScannedItem& item,
    std::initializer_list<std::string_view> recorded,
    google::protobuf::RepeatedPtrField<v1::BarcodeElement>* out) {
  for (const domain::Gs1Element& element : item.elements) {
    if (std::find(recorded.begin(), recorded.end(), element.ai) !=
        recorded.end()) {
      continue;
    }
    v1::BarcodeElement* shown = out->Add();
    shown->set_ai(element.ai);
    if (const domain::Gs1Ai* ai = domain::FindGs1Ai(element.ai)) {
      shown->set_title(ai->title);
    }
    shown->set_value(element.value);
  }
}

ScanContext MakeScanContext(const ClinicOptions& clinic, absl::Time now,
                            const storage::Reader& products) {
  ScanContext scan;
  scan.options.fnc1_substitute = clinic.fnc1_substitute;
  scan.options.reference_year =
      static_cast<int>(absl::ToCivilYear(now, clinic.zone).year());
  scan.products = &products;
  return scan;
}

absl::StatusOr<domain::ScannedItem> ResolveScan(std::string_view field,
                                                std::string_view barcode,
                                                std::string_view secondary,
                                                const ScanContext& scan) {
  for (std::string_view symbol : {barcode, secondary}) {
    if (symbol.size() > kMaxBarcodeLength) {
      return Invalid(field, absl::StrCat("at most ", kMaxBarcodeLength,
                                         " characters, got ", symbol.size()));
    }
  }
  auto item = domain::ParseBarcode(barcode, scan.options);
  if (!item.ok()) return Invalid(field, item.status().message());
  if (!secondary.empty()) {
    auto second = domain::ParseBarcode(secondary, scan.options);
    if (!second.ok()) {
      return Invalid(absl::StrCat(ToAbsl(field), " (secondary)"),
                     second.status().message());
    }
    auto linked = domain::LinkHibcSecondary(*item, *second);
    if (!linked.ok()) return Invalid(field, linked.status().message());
    item = *std::move(linked);
  }
  if (item->gtin.empty() && !item->hibc_labeler.empty()) {
    const std::string hibc_id = item->hibc_id();
    SMPTRACE_ASSIGN_OR_RETURN(
        auto gtin, ledger::FindProductByHibc(*scan.products, hibc_id));
    if (!gtin.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          ToAbsl(field), ": no product has HIBC id ", hibc_id,
          "; set it on the product (smptrace product update --hibc-id ",
          hibc_id, ")"));
    }
    item->gtin = *std::move(gtin);
  }
  return item;
}

absl::Status NormalizeReceive(v1::ReceiveRequest* r, const ScanContext& scan) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateLocationId("location_id", r->location_id(), true));
  if (!r->supplier_id().empty()) {
    SMPTRACE_RETURN_IF_ERROR(
        domain::ParseId(IdKind::kSupplier, r->supplier_id(), "supplier_id")
            .status());
  }
  if (!r->po_reference().empty()) {
    SMPTRACE_RETURN_IF_ERROR(
        ValidateIdentifier("po_reference", r->po_reference(), 100));
  }
  SMPTRACE_RETURN_IF_ERROR(ValidateText("po_note", r->po_note(), 0, kMaxNote));
  if (r->lines_size() < 1 || r->lines_size() > kMaxLines) {
    return Invalid("lines", absl::StrCat("1..", kMaxLines, " lines, got ",
                                         r->lines_size()));
  }
  int64_t units = 0;
  for (int i = 0; i < r->lines_size(); ++i) {
    SMPTRACE_RETURN_IF_ERROR(
        NormalizeReceiveLine(i, r->mutable_lines(i), scan));
    units += r->lines(i).quantity();
  }
  if (units > kMaxUnits) {
    return Invalid("lines",
                   absl::StrCat(units, " units in one delivery; at most ",
                                kMaxUnits, ": split it"));
  }
  return absl::OkStatus();
}

absl::Status NormalizeSetLotStatus(v1::SetLotStatusRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(NormalizeGtinField("gtin", r->mutable_gtin()));
  SMPTRACE_RETURN_IF_ERROR(ValidateCode("lot", r->lot(), kMaxLot, ""));
  switch (r->status()) {
    case v1::LOT_STATUS_QUARANTINED:
    case v1::LOT_STATUS_RELEASED:
      if (r->has_recall()) {
        return Invalid("recall", "only with status RECALLED");
      }
      return ValidateText("reason", r->reason(), 1, kMaxNote);
    case v1::LOT_STATUS_RECALLED:
      SMPTRACE_RETURN_IF_ERROR(
          ValidateText("reason", r->reason(), 0, kMaxNote));
      SMPTRACE_RETURN_IF_ERROR(
          ValidateText("recall.reference", r->recall().reference(), 1, 100));
      SMPTRACE_RETURN_IF_ERROR(
          ValidateText("recall.text", r->recall().text(), 1, 4000));
      return ledger::ValidateDate(r->recall().notice_date(),
                                  "recall.notice_date");
    case v1::LOT_STATUS_UNSPECIFIED:
    case v1::LotStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::LotStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  // Unspecified, or a number no status has.
  return Invalid("status", "required: QUARANTINED, RELEASED or RECALLED");
}

absl::Status NormalizeDiscard(v1::DiscardRequest* r, const ScanContext& scan) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  SMPTRACE_RETURN_IF_ERROR(NormalizeUnitRefs(r->mutable_units()));
  SMPTRACE_RETURN_IF_ERROR(ResolveUnitBarcodes(
      "barcodes", r->mutable_barcodes(), r->mutable_units(), scan));
  SMPTRACE_RETURN_IF_ERROR(UnitsOrQuantity(r->units_size(), r->mutable_gtin(),
                                           r->lot(), r->quantity()));
  if (r->units_size() == 0) {
    SMPTRACE_RETURN_IF_ERROR(
        ValidateLocationId("location_id", r->location_id(), true));
  } else if (!r->location_id().empty()) {
    return Invalid("location_id", "only with gtin, lot and quantity");
  }
  if (r->reason() == v1::DISCARD_REASON_UNSPECIFIED ||
      !v1::DiscardReason_IsValid(r->reason())) {
    return Invalid("reason", "required: DAMAGED, EXPIRED, RECALLED or OTHER");
  }
  if (r->reason() == v1::DISCARD_REASON_MISSING) {
    return Invalid("reason",
                   "MISSING is for stock counts: use AdjustStock with a "
                   "negative delta");
  }
  return ValidateText("note", r->note(),
                      r->reason() == v1::DISCARD_REASON_OTHER ? 1 : 0,
                      kMaxNote);
}

absl::Status NormalizeAdjustStock(v1::AdjustStockRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(NormalizeGtinField("gtin", r->mutable_gtin()));
  SMPTRACE_RETURN_IF_ERROR(ValidateCode("lot", r->lot(), kMaxLot, ""));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateLocationId("location_id", r->location_id(), true));
  if (r->delta() == 0 || r->delta() < -kMaxQuantity ||
      r->delta() > kMaxQuantity) {
    return Invalid("delta",
                   absl::StrCat("must be non-zero and within -", kMaxQuantity,
                                "..", kMaxQuantity, ", got ", r->delta()));
  }
  if (domain::IsBlank(r->reason())) {
    return Invalid("reason",
                   "required: say why the count was wrong (\"stock take: 2 "
                   "not on the shelf\"); it stays on the record with the "
                   "correction, for the auditor");
  }
  return ValidateText("reason", r->reason(), 1, kMaxNote);
}

absl::Status NormalizeTransfer(v1::TransferRequest* r,
                               const ScanContext& scan) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateLocationId("from_location_id", r->from_location_id(), true));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateLocationId("to_location_id", r->to_location_id(), true));
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t from, domain::ParseId(IdKind::kLocation, r->from_location_id(),
                                     "from_location_id"));
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t to, domain::ParseId(IdKind::kLocation, r->to_location_id(),
                                   "to_location_id"));
  if (from == to) {
    return Invalid("to_location_id", "is the same as from_location_id");
  }
  // One spelling, so the journal and the units agree ("loc-2" -> LOC-000002).
  r->set_from_location_id(domain::FormatId(IdKind::kLocation, from));
  r->set_to_location_id(domain::FormatId(IdKind::kLocation, to));
  SMPTRACE_RETURN_IF_ERROR(NormalizeUnitRefs(r->mutable_units()));
  SMPTRACE_RETURN_IF_ERROR(ResolveUnitBarcodes(
      "barcodes", r->mutable_barcodes(), r->mutable_units(), scan));
  SMPTRACE_RETURN_IF_ERROR(UnitsOrQuantity(r->units_size(), r->mutable_gtin(),
                                           r->lot(), r->quantity()));
  return ValidateText("note", r->note(), 0, kMaxNote);
}

absl::Status NormalizeGetStock(v1::GetStockRequest* r) {
  if (!r->gtin().empty()) {
    SMPTRACE_RETURN_IF_ERROR(NormalizeGtinField("gtin", r->mutable_gtin()));
  }
  if (!r->lot().empty() && r->gtin().empty()) {
    return Invalid("lot",
                   "needs gtin: lot numbers are only unique per product");
  }
  SMPTRACE_RETURN_IF_ERROR(
      ValidateLocationId("location_id", r->location_id(), false));
  return PageSize(r->page()).status();
}

absl::Status NormalizeGetLot(v1::GetLotRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(NormalizeGtinField("gtin", r->mutable_gtin()));
  return ValidateCode("lot", r->lot(), kMaxLot, "");
}

absl::Status NormalizeGetUnit(v1::GetUnitRequest* r, const ScanContext& scan) {
  if (!r->barcode().empty()) {
    google::protobuf::RepeatedPtrField<std::string> barcodes;
    barcodes.Add(std::string(r->barcode()));
    google::protobuf::RepeatedPtrField<v1::UnitRef> units;
    auto status = ResolveUnitBarcodes("barcode", &barcodes, &units, scan);
    if (!status.ok()) {
      // "barcode[0]: ..." reads oddly for a single field.
      std::string message(status.message());
      if (message.rfind("barcode[0]", 0) == 0) message.erase(7, 3);
      return absl::Status(status.code(), message);
    }
    r->set_gtin(units[0].gtin());
    r->set_serial(units[0].serial());
    return absl::OkStatus();
  }
  SMPTRACE_RETURN_IF_ERROR(NormalizeGtinField("gtin", r->mutable_gtin()));
  return ValidateCode("serial", r->serial(), kMaxSerial, "");
}

absl::Status NormalizePrintLabels(v1::PrintLabelsRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  SMPTRACE_RETURN_IF_ERROR(NormalizeUnitRefs(r->mutable_units()));
  if (r->units_size() == 0) {
    SMPTRACE_RETURN_IF_ERROR(NormalizeGtinField("gtin", r->mutable_gtin()));
    SMPTRACE_RETURN_IF_ERROR(ValidateCode("lot", r->lot(), kMaxLot, ""));
    SMPTRACE_RETURN_IF_ERROR(
        ValidateLocationId("location_id", r->location_id(), false));
  } else if (!r->gtin().empty() || !r->lot().empty()) {
    return Invalid("units", "name units or give gtin and lot, not both");
  }
  if (r->units_size() > kMaxUnitsPerRequest) {
    return Invalid("units",
                   absl::StrCat("at most ", kMaxUnitsPerRequest, " labels"));
  }
  if (!v1::LabelFormat_IsValid(r->format())) {
    return Invalid("format", "PDF or PNG");
  }
  return absl::OkStatus();
}

namespace {

absl::Status InRange(std::string_view field, int64_t value, int64_t lo,
                     int64_t hi) {
  if (value < lo || value > hi) {
    return Invalid(field,
                   absl::StrCat("must be ", lo, "..", hi, ", got ", value));
  }
  return absl::OkStatus();
}

// A server-assigned id of `kind` in its one spelling; empty allowed unless
// `required`.
absl::Status CanonicalId(IdKind kind, std::string_view field, std::string* id,
                         bool required) {
  if (id->empty()) {
    return required
               ? Invalid(field, absl::StrCat("required (e.g. ",
                                             domain::FormatId(kind, 1), ")"))
               : absl::OkStatus();
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, domain::ParseId(kind, *id, field));
  *id = domain::FormatId(kind, n);
  return absl::OkStatus();
}

absl::Status NormalizeOrderLines(
    google::protobuf::RepeatedPtrField<v1::PurchaseOrderLine>* lines) {
  if (lines->size() > kMaxLines) {
    return Invalid("lines", absl::StrCat("at most ", kMaxLines, " lines"));
  }
  for (int i = 0; i < lines->size(); ++i) {
    v1::PurchaseOrderLine& line = (*lines)[i];
    SMPTRACE_RETURN_IF_ERROR(
        NormalizeGtinField(Field("lines", i, "gtin"), line.mutable_gtin()));
    SMPTRACE_RETURN_IF_ERROR(
        InRange(Field("lines", i, "packs"), line.packs(), 1, kMaxQuantity));
    SMPTRACE_RETURN_IF_ERROR(
        InRange(Field("lines", i, "pack_size"), line.pack_size(), 0, 100000));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status NormalizeSetReorderPolicy(v1::SetReorderPolicyRequest* r) {
  v1::ReorderPolicy* p = r->mutable_policy();
  SMPTRACE_RETURN_IF_ERROR(
      NormalizeGtinField("policy.gtin", p->mutable_gtin()));
  SMPTRACE_RETURN_IF_ERROR(CanonicalId(IdKind::kLocation, "policy.location_id",
                                       p->mutable_location_id(), false));
  SMPTRACE_RETURN_IF_ERROR(CanonicalId(IdKind::kSupplier, "policy.supplier_id",
                                       p->mutable_supplier_id(), false));
  SMPTRACE_RETURN_IF_ERROR(
      InRange("policy.lead_time_days", p->lead_time_days(), 0, 365));
  if (p->review_period_days() == 0) p->set_review_period_days(7);
  SMPTRACE_RETURN_IF_ERROR(
      InRange("policy.review_period_days", p->review_period_days(), 1, 365));
  SMPTRACE_RETURN_IF_ERROR(
      InRange("policy.safety_stock_days", p->safety_stock_days(), 0, 365));
  SMPTRACE_RETURN_IF_ERROR(
      InRange("policy.pack_size", p->pack_size(), 0, 100000));
  SMPTRACE_RETURN_IF_ERROR(InRange("policy.minimum_order_packs",
                                   p->minimum_order_packs(), 0, 10000));
  SMPTRACE_RETURN_IF_ERROR(
      InRange("policy.fixed_min", p->fixed_min(), 0, 100000));
  SMPTRACE_RETURN_IF_ERROR(
      InRange("policy.fixed_max", p->fixed_max(), 0, 100000));
  if ((p->fixed_min() > 0 || p->fixed_max() > 0) &&
      p->fixed_max() <= p->fixed_min()) {
    return Invalid("policy.fixed_max",
                   absl::StrCat("must be above fixed_min (", p->fixed_min(),
                                "), got ", p->fixed_max()));
  }
  if (p->usage_window_days() != 0) {
    SMPTRACE_RETURN_IF_ERROR(
        InRange("policy.usage_window_days", p->usage_window_days(), 7, 365));
  }
  return InRange("policy.shelf_life_days", p->shelf_life_days(), 0, 3650);
}

absl::Status NormalizeCreatePurchaseOrder(v1::CreatePurchaseOrderRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  SMPTRACE_RETURN_IF_ERROR(CanonicalId(IdKind::kSupplier, "supplier_id",
                                       r->mutable_supplier_id(), true));
  SMPTRACE_RETURN_IF_ERROR(CanonicalId(IdKind::kLocation, "location_id",
                                       r->mutable_location_id(), false));
  SMPTRACE_RETURN_IF_ERROR(ValidateText("note", r->note(), 0, kMaxNote));
  if (r->from_suggestion()) {
    if (r->lines_size() > 0) {
      return Invalid("lines", "give lines or from_suggestion, not both");
    }
    return absl::OkStatus();
  }
  if (r->lines_size() == 0) {
    return Invalid("lines", "required: what to order (or from_suggestion)");
  }
  return NormalizeOrderLines(r->mutable_lines());
}

absl::Status NormalizeEditPurchaseOrder(v1::EditPurchaseOrderRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  SMPTRACE_RETURN_IF_ERROR(
      CanonicalId(IdKind::kPurchaseOrder, "po_id", r->mutable_po_id(), true));
  SMPTRACE_RETURN_IF_ERROR(ValidateText("note", r->note(), 0, kMaxNote));
  return NormalizeOrderLines(r->mutable_lines());
}

absl::Status NormalizeSubmitPurchaseOrder(v1::SubmitPurchaseOrderRequest* r) {
  return CanonicalId(IdKind::kPurchaseOrder, "po_id", r->mutable_po_id(), true);
}

absl::Status NormalizeCancelPurchaseOrder(v1::CancelPurchaseOrderRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(
      CanonicalId(IdKind::kPurchaseOrder, "po_id", r->mutable_po_id(), true));
  return ValidateText("reason", r->reason(), 1, kMaxNote);
}

}  // namespace smptrace::api
