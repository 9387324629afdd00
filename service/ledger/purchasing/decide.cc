#include "service/ledger/purchasing/decide.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/domain/text.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/planning.h"
#include "service/ledger/purchasing/suggestion.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

absl::StatusOr<uint64_t> OptionalLocation(const DecisionContext& ctx,
                                          const std::string& id) {
  if (id.empty()) return uint64_t{0};
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(IdKind::kLocation, id, "location_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto location, ReadLocation(ctx.state, n));
  if (!location.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("location_id: location ", id, " does not exist"));
  }
  return n;
}

absl::Status SupplierExists(const DecisionContext& ctx, const std::string& id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(IdKind::kSupplier, id, "supplier_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto supplier, ReadSupplier(ctx.state, n));
  if (!supplier.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("supplier_id: supplier ", id, " does not exist"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::PurchaseOrder> MustOrder(const storage::Reader& state,
                                            const std::string& id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(IdKind::kPurchaseOrder, id, "po_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto po, ReadPurchaseOrder(state, n));
  if (!po.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("po_id: purchase order ", id, " does not exist"));
  }
  return *std::move(po);
}

std::string StatusWord(v1::PurchaseOrderStatus s) {
  switch (s) {
    case v1::PURCHASE_ORDER_STATUS_DRAFT:
      return "a draft";
    case v1::PURCHASE_ORDER_STATUS_SUBMITTED:
      return "submitted";
    case v1::PURCHASE_ORDER_STATUS_PARTLY_RECEIVED:
      return "partly received";
    case v1::PURCHASE_ORDER_STATUS_RECEIVED:
      return "received";
    case v1::PURCHASE_ORDER_STATUS_CANCELLED:
      return "cancelled";
    case v1::PURCHASE_ORDER_STATUS_UNSPECIFIED:
    case v1::PurchaseOrderStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::PurchaseOrderStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "unknown";
}

// The pack size to order a product in: its policy's, else the product's.
absl::StatusOr<int> PackSize(const DecisionContext& ctx, const v1::Product& p,
                             uint64_t location) {
  for (uint64_t where : {location, uint64_t{0}}) {
    SMPTRACE_ASSIGN_OR_RETURN(auto policy,
                              ReadReorderPolicy(ctx.state, p.gtin(), where));
    if (policy.has_value() && policy->pack_size() > 0)
      return policy->pack_size();
  }
  return std::max(1, p.units_per_pack());
}

// Fills names, pack sizes and quantities of hand-written lines.
absl::Status CompleteLines(
    const DecisionContext& ctx, uint64_t location,
    google::protobuf::RepeatedPtrField<v1::PurchaseOrderLine>* lines) {
  std::map<std::string, int> seen;
  for (int i = 0; i < lines->size(); ++i) {
    v1::PurchaseOrderLine& line = (*lines)[i];
    SMPTRACE_ASSIGN_OR_RETURN(auto product,
                              ReadProduct(ctx.state, line.gtin()));
    if (!product.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "lines[", i, "].gtin: no product has GTIN ", line.gtin()));
    }
    if (!seen.emplace(line.gtin(), i).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "lines[", i, "].gtin: ", product->name(), " is already on line ",
          seen[line.gtin()], "; one line per product"));
    }
    line.set_product_name(product->name());
    if (line.pack_size() == 0) {
      SMPTRACE_ASSIGN_OR_RETURN(int pack, PackSize(ctx, *product, location));
      line.set_pack_size(pack);
    }
    line.set_quantity(static_cast<int64_t>(line.packs()) * line.pack_size());
    line.set_received(0);
  }
  return absl::OkStatus();
}

Decision Record(v1::PurchaseOrder po, const std::string& change) {
  Decision d;
  v1::PurchaseOrderRecorded* e = d.event.mutable_purchase_order_recorded();
  e->set_change(change);
  *d.result.mutable_purchase_order() = po;
  *e->mutable_order() = std::move(po);
  return d;
}

absl::Status MustBeDraft(const v1::PurchaseOrder& po, std::string_view verb) {
  if (po.status() == v1::PURCHASE_ORDER_STATUS_DRAFT) return absl::OkStatus();
  return Refusal("po_not_draft",
                 absl::StrCat("purchase order ", po.po_id(), " is ",
                              StatusWord(po.status()), "; only a draft can be ",
                              std::string(verb)));
}

}  // namespace

absl::StatusOr<Decision> DecideSetReorderPolicy(
    const DecisionContext& ctx, const v1::SetReorderPolicyRequest& r) {
  v1::ReorderPolicy policy = r.policy();
  SMPTRACE_ASSIGN_OR_RETURN(auto product,
                            ReadProduct(ctx.state, policy.gtin()));
  if (!product.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("policy.gtin: no product has GTIN ", policy.gtin()));
  }
  SMPTRACE_RETURN_IF_ERROR(
      OptionalLocation(ctx, policy.location_id()).status());
  if (!policy.supplier_id().empty()) {
    SMPTRACE_RETURN_IF_ERROR(SupplierExists(ctx, policy.supplier_id()));
  }
  *policy.mutable_updated_at() = ToProto(ctx.now);
  policy.set_updated_by(std::string(ctx.actor));
  Decision d;
  *d.event.mutable_reorder_policy_set()->mutable_policy() = policy;
  *d.result.mutable_reorder_policy() = std::move(policy);
  return d;
}

absl::StatusOr<Decision> DecideCreatePurchaseOrder(
    const DecisionContext& ctx, const v1::CreatePurchaseOrderRequest& r) {
  SMPTRACE_RETURN_IF_ERROR(SupplierExists(ctx, r.supplier_id()));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                            OptionalLocation(ctx, r.location_id()));
  v1::PurchaseOrder po;
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t last, LastNumber(ctx.state, keys::StateTag::kPurchaseOrder));
  po.set_po_id(domain::FormatId(IdKind::kPurchaseOrder, last + 1));
  po.set_supplier_id(r.supplier_id());
  po.set_location_id(r.location_id());
  po.set_status(v1::PURCHASE_ORDER_STATUS_DRAFT);
  *po.mutable_created_at() = ToProto(ctx.now);
  po.set_created_by(std::string(ctx.actor));
  po.set_note(r.note());
  po.set_version(1);
  if (r.from_suggestion()) {
    // The delivery location's own policies, then the clinic-wide ones for
    // products it has none for.
    std::vector<v1::ReorderLine> lines;
    std::set<std::string> covered;
    for (uint64_t where : {location, uint64_t{0}}) {
      ReorderFilter filter;
      filter.location = where;
      filter.include_all = true;
      SMPTRACE_ASSIGN_OR_RETURN(
          auto found, SuggestReorder(ctx.state, filter, ctx.now, ctx.zone));
      for (auto& line : found) {
        if (covered.insert(line.gtin()).second)
          lines.push_back(std::move(line));
      }
      if (location == 0) break;
    }
    for (const v1::ReorderLine& s : lines) {
      if (s.packs() == 0 || s.supplier_id() != r.supplier_id()) continue;
      v1::PurchaseOrderLine* line = po.add_lines();
      line->set_gtin(s.gtin());
      line->set_product_name(s.product_name());
      line->set_packs(s.packs());
      line->set_pack_size(s.pack_size());
      line->set_quantity(s.quantity());
    }
    if (po.lines().empty()) {
      return Refusal("nothing_to_order",
                     absl::StrCat("no suggested line is to be ordered from ",
                                  r.supplier_id(), " now"));
    }
  } else {
    *po.mutable_lines() = r.lines();
    SMPTRACE_RETURN_IF_ERROR(CompleteLines(ctx, location, po.mutable_lines()));
  }
  return Record(std::move(po), "created");
}

absl::StatusOr<Decision> DecideEditPurchaseOrder(
    const DecisionContext& ctx, const v1::EditPurchaseOrderRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::PurchaseOrder po,
                            MustOrder(ctx.state, r.po_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeDraft(po, "edited"));
  if (r.expected_version() != 0 && r.expected_version() != po.version()) {
    return absl::AbortedError(
        absl::StrCat("purchase order ", po.po_id(), " is at version ",
                     po.version(), ", not ", r.expected_version(),
                     ": it was changed meanwhile; read it again"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                            OptionalLocation(ctx, po.location_id()));
  *po.mutable_lines() = r.lines();
  SMPTRACE_RETURN_IF_ERROR(CompleteLines(ctx, location, po.mutable_lines()));
  if (!r.note().empty()) po.set_note(r.note());
  po.set_version(po.version() + 1);
  return Record(std::move(po), "edited");
}

absl::StatusOr<Decision> DecideSubmitPurchaseOrder(
    const DecisionContext& ctx, const v1::SubmitPurchaseOrderRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::PurchaseOrder po,
                            MustOrder(ctx.state, r.po_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeDraft(po, "submitted"));
  if (po.lines().empty()) {
    return Refusal("po_empty", absl::StrCat("purchase order ", po.po_id(),
                                            " has no lines; add some first"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                            OptionalLocation(ctx, po.location_id()));
  int lead = 0;
  for (const auto& line : po.lines()) {
    for (uint64_t where : {location, uint64_t{0}}) {
      SMPTRACE_ASSIGN_OR_RETURN(
          auto policy, ReadReorderPolicy(ctx.state, line.gtin(), where));
      if (policy.has_value()) {
        lead = std::max(lead, policy->lead_time_days());
        break;
      }
    }
  }
  po.set_status(v1::PURCHASE_ORDER_STATUS_SUBMITTED);
  *po.mutable_submitted_at() = ToProto(ctx.now);
  *po.mutable_expected_on() = ToProto(Today(ctx.now, ctx.zone) + lead);
  po.set_version(po.version() + 1);
  return Record(std::move(po), "submitted");
}

absl::StatusOr<Decision> DecideCancelPurchaseOrder(
    const DecisionContext& ctx, const v1::CancelPurchaseOrderRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::PurchaseOrder po,
                            MustOrder(ctx.state, r.po_id()));
  std::string change;
  switch (po.status()) {
    case v1::PURCHASE_ORDER_STATUS_DRAFT:
    case v1::PURCHASE_ORDER_STATUS_SUBMITTED:
      po.set_status(v1::PURCHASE_ORDER_STATUS_CANCELLED);
      change = "cancelled";
      break;
    case v1::PURCHASE_ORDER_STATUS_PARTLY_RECEIVED:
      po.set_status(v1::PURCHASE_ORDER_STATUS_RECEIVED);
      change = "closed_short";
      break;
    case v1::PURCHASE_ORDER_STATUS_RECEIVED:
    case v1::PURCHASE_ORDER_STATUS_CANCELLED:
    case v1::PURCHASE_ORDER_STATUS_UNSPECIFIED:
    case v1::PurchaseOrderStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::PurchaseOrderStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      return Refusal("po_closed",
                     absl::StrCat("purchase order ", po.po_id(), " is already ",
                                  StatusWord(po.status())));
  }
  po.set_end_reason(change == "closed_short"
                        ? absl::StrCat("closed short: ", r.reason())
                        : r.reason());
  po.set_version(po.version() + 1);
  return Record(std::move(po), change);
}

absl::Status CheckDeliveryAgainstOrder(const DecisionContext& ctx,
                                       const v1::ReceiveRequest& r) {
  auto number = domain::ParseId(IdKind::kPurchaseOrder, r.po_reference(), "po");
  if (!number.ok()) return absl::OkStatus();  // a free-text reference
  SMPTRACE_ASSIGN_OR_RETURN(auto po, ReadPurchaseOrder(ctx.state, *number));
  if (!po.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "po_reference: purchase order ", r.po_reference(), " does not exist"));
  }
  if (po->status() != v1::PURCHASE_ORDER_STATUS_SUBMITTED &&
      po->status() != v1::PURCHASE_ORDER_STATUS_PARTLY_RECEIVED) {
    return Refusal("po_not_open",
                   absl::StrCat("purchase order ", po->po_id(), " is ",
                                StatusWord(po->status()),
                                po->status() == v1::PURCHASE_ORDER_STATUS_DRAFT
                                    ? ": submit it before receiving against it"
                                    : ": nothing more is expected on it"));
  }
  std::map<std::string, int64_t> units;
  for (const auto& line : r.lines()) units[line.gtin()] += line.quantity();
  for (const auto& [gtin, n] : units) {
    int64_t outstanding = -1;
    for (const auto& line : po->lines()) {
      if (line.gtin() == gtin) {
        outstanding = std::max<int64_t>(0, line.quantity() - line.received());
      }
    }
    if (n <= outstanding || !domain::IsBlank(r.po_note())) continue;
    return Refusal(
        "po_discrepancy",
        outstanding < 0
            ? absl::StrCat(po->po_id(), " does not order ", gtin,
                           ": give a note saying why it came (po_note)")
            : absl::StrCat(po->po_id(), " has ", outstanding, " of ", gtin,
                           " outstanding and this delivery brings ", n,
                           ": give a note saying why (po_note)"));
  }
  return absl::OkStatus();
}

}  // namespace smptrace::ledger
