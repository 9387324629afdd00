#include "service/api/inventory_service.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/api/command_call.h"
#include "service/api/inventory_validation.h"
#include "service/api/request_limits.h"
#include "service/api/status.h"
#include "service/api/validation.h"
#include "service/domain/ids.h"
#include "service/domain/label_sheet.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/planning.h"
#include "service/ledger/purchasing/suggestion.h"
#include "service/ledger/stock/state.h"
#include "service/query/planning_reports.h"
#include "service/query/stock_reads.h"

namespace smptrace::api {
namespace {

using domain::IdKind;

absl::StatusOr<uint64_t> OptionalLocation(const std::string& id) {
  if (id.empty()) return uint64_t{0};
  return domain::ParseId(IdKind::kLocation, id, "location_id");
}

}  // namespace

absl::CivilDay InventoryService::Today() const {
  return ledger::Today(clock_.Now(), options_.zone);
}

grpc::Status InventoryService::Receive(grpc::ServerContext* context,
                                       const v1::ReceiveRequest* request,
                                       v1::ReceiveResponse* response) {
  const ScanContext scan =
      MakeScanContext(options_, clock_.Now(), reads_.Latest());
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_receive() = *request;
        return NormalizeReceive(c.mutable_receive(), scan);
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_receive());
      });
}

grpc::Status InventoryService::SetLotStatus(
    grpc::ServerContext* context, const v1::SetLotStatusRequest* request,
    v1::Lot* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_set_lot_status() = *request;
        return NormalizeSetLotStatus(c.mutable_set_lot_status());
      },
      [&](v1::CommandResult& r) { *response = std::move(*r.mutable_lot()); });
}

grpc::Status InventoryService::Discard(grpc::ServerContext* context,
                                       const v1::DiscardRequest* request,
                                       v1::DiscardResponse* response) {
  const ScanContext scan =
      MakeScanContext(options_, clock_.Now(), reads_.Latest());
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_discard() = *request;
        return NormalizeDiscard(c.mutable_discard(), scan);
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_discard());
      });
}

grpc::Status InventoryService::AdjustStock(
    grpc::ServerContext* context, const v1::AdjustStockRequest* request,
    v1::AdjustStockResponse* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_adjust_stock() = *request;
        return NormalizeAdjustStock(c.mutable_adjust_stock());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_adjust_stock());
      });
}

grpc::Status InventoryService::Transfer(grpc::ServerContext* context,
                                        const v1::TransferRequest* request,
                                        v1::TransferResponse* response) {
  const ScanContext scan =
      MakeScanContext(options_, clock_.Now(), reads_.Latest());
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_transfer() = *request;
        return NormalizeTransfer(c.mutable_transfer(), scan);
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_transfer());
      });
}

grpc::Status InventoryService::GetStock(grpc::ServerContext*,
                                        const v1::GetStockRequest* request,
                                        v1::GetStockResponse* response) {
  auto status = [&]() -> absl::Status {
    v1::GetStockRequest r = *request;
    SMPTRACE_RETURN_IF_ERROR(NormalizeGetStock(&r));
    SMPTRACE_ASSIGN_OR_RETURN(int limit, PageSize(r.page()));
    ledger::StockFilter filter;
    filter.gtin = r.gtin();
    filter.lot = r.lot();
    SMPTRACE_ASSIGN_OR_RETURN(filter.location,
                              OptionalLocation(r.location_id()));
    filter.include_empty = r.include_empty();
    SMPTRACE_ASSIGN_OR_RETURN(
        ledger::StockPage page,
        ledger::QueryStock(*reads_.Snapshot(), filter, Today(),
                           r.page().page_token(), limit));
    for (auto& line : page.lines) *response->add_lines() = std::move(line);
    response->set_next_page_token(std::move(page.next_page_token));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status InventoryService::ListExpiring(
    grpc::ServerContext*, const v1::ListExpiringRequest* request,
    v1::ListExpiringResponse* response) {
  auto status = [&]() -> absl::Status {
    if (request->days() < 0 || request->days() > 3650) {
      return absl::InvalidArgumentError(
          absl::StrCat("days: must be 0..3650, got ", request->days()));
    }
    SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                              OptionalLocation(request->location_id()));
    const absl::CivilDay today = Today();
    SMPTRACE_ASSIGN_OR_RETURN(
        auto lines, ledger::QueryExpiring(*reads_.Snapshot(), today,
                                          today + request->days(), location));
    for (auto& line : lines) *response->add_lines() = std::move(line);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status InventoryService::GetLot(grpc::ServerContext*,
                                      const v1::GetLotRequest* request,
                                      v1::GetLotResponse* response) {
  auto status = [&]() -> absl::Status {
    v1::GetLotRequest r = *request;
    SMPTRACE_RETURN_IF_ERROR(NormalizeGetLot(&r));
    SMPTRACE_ASSIGN_OR_RETURN(
        *response, query::LotDetailsOf(*reads_.Snapshot(), r.gtin(), r.lot(),
                                       Today(), r.include_units()));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status InventoryService::GetUnit(grpc::ServerContext*,
                                       const v1::GetUnitRequest* request,
                                       v1::Unit* response) {
  auto status = [&]() -> absl::Status {
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    const ScanContext scan = MakeScanContext(options_, clock_.Now(), *snapshot);
    v1::GetUnitRequest r = *request;
    SMPTRACE_RETURN_IF_ERROR(NormalizeGetUnit(&r, scan));
    SMPTRACE_ASSIGN_OR_RETURN(
        auto unit, ledger::ReadUnit(*snapshot, r.gtin(), r.serial()));
    if (!unit.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "no unit ", r.gtin(), " serial ", r.serial(), " was ever received"));
    }
    *response = *std::move(unit);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status InventoryService::PrintLabels(
    grpc::ServerContext*, const v1::PrintLabelsRequest* request,
    v1::PrintLabelsResponse* response) {
  auto status = [&]() -> absl::Status {
    v1::PrintLabelsRequest r = *request;
    SMPTRACE_RETURN_IF_ERROR(NormalizePrintLabels(&r));
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    std::vector<v1::Unit> units;
    if (r.units_size() > 0) {
      for (int i = 0; i < r.units_size(); ++i) {
        SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                                  ledger::ReadUnit(*snapshot, r.units(i).gtin(),
                                                   r.units(i).serial()));
        if (!unit.has_value()) {
          return absl::NotFoundError(absl::StrCat(
              "units[", i, "]: no unit ", r.units(i).gtin(), " serial ",
              r.units(i).serial(), " was ever received"));
        }
        units.push_back(*std::move(unit));
      }
    } else {
      SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                                OptionalLocation(r.location_id()));
      // One more than a sheet may hold: a larger lot is refused, not cut.
      SMPTRACE_ASSIGN_OR_RETURN(auto all,
                                ledger::UnitsOfLot(*snapshot, r.gtin(), r.lot(),
                                                   kMaxUnitsPerRequest + 1));
      if (all.size() > static_cast<size_t>(kMaxUnitsPerRequest)) {
        return Refusal("too_many_labels",
                       absl::StrCat("lot ", r.lot(), " of ", r.gtin(),
                                    " has more than ", kMaxUnitsPerRequest,
                                    " units: name the units to label (at most ",
                                    kMaxUnitsPerRequest, " at a time)"));
      }
      for (auto& unit : all) {
        if (!unit.serial_minted() || unit.state() != v1::UNIT_STATE_IN_STOCK) {
          continue;
        }
        if (location != 0 &&
            unit.location_id() !=
                domain::FormatId(IdKind::kLocation, location)) {
          continue;
        }
        units.push_back(std::move(unit));
      }
      if (units.empty()) {
        return absl::NotFoundError(absl::StrCat(
            "lot ", r.lot(), " of ", r.gtin(),
            " has no in-stock units with serials smptrace minted",
            location != 0 ? " at that location" : "", ": nothing to label"));
      }
    }
    std::vector<domain::LabelItem> items;
    for (const v1::Unit& unit : units) {
      SMPTRACE_ASSIGN_OR_RETURN(
          auto lot, ledger::ReadLot(*snapshot, unit.gtin(), unit.lot()));
      SMPTRACE_ASSIGN_OR_RETURN(auto product,
                                ledger::ReadProduct(*snapshot, unit.gtin()));
      domain::LabelItem item;
      item.gtin = unit.gtin();
      item.lot = unit.lot();
      item.serial = unit.serial();
      if (lot.has_value() && ledger::IsSet(lot->expiry())) {
        item.expiry = ledger::ToCivilDay(lot->expiry());
      }
      item.caption = product.has_value() ? product->name() : "";
      items.push_back(std::move(item));
    }
    const bool png = r.format() == v1::LABEL_FORMAT_PNG;
    SMPTRACE_ASSIGN_OR_RETURN(std::string content,
                              png ? domain::RenderLabelSheetPng(items)
                                  : domain::RenderLabelSheetPdf(items));
    response->set_content(std::move(content));
    response->set_content_type(png ? "image/png" : "application/pdf");
    response->set_label_count(static_cast<int32_t>(items.size()));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status InventoryService::SetReorderPolicy(
    grpc::ServerContext* context, const v1::SetReorderPolicyRequest* request,
    v1::ReorderPolicy* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_set_reorder_policy() = *request;
        return NormalizeSetReorderPolicy(c.mutable_set_reorder_policy());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_reorder_policy());
      });
}

grpc::Status InventoryService::ListReorderPolicies(
    grpc::ServerContext*, const v1::ListReorderPoliciesRequest*,
    v1::ListReorderPoliciesResponse* response) {
  auto policies = ledger::ListReorderPolicies(*reads_.Snapshot());
  if (policies.ok()) {
    for (auto& p : *policies) *response->add_policies() = std::move(p);
  }
  return ToGrpcStatus(policies.status());
}

grpc::Status InventoryService::SuggestReorder(
    grpc::ServerContext*, const v1::SuggestReorderRequest* request,
    v1::SuggestReorderResponse* response) {
  auto status = [&]() -> absl::Status {
    ledger::ReorderFilter filter;
    SMPTRACE_ASSIGN_OR_RETURN(filter.location,
                              OptionalLocation(request->location_id()));
    if (!request->gtin().empty()) {
      SMPTRACE_ASSIGN_OR_RETURN(filter.gtin,
                                domain::NormalizeGtin(request->gtin()));
    }
    filter.include_all = request->include_all();
    SMPTRACE_ASSIGN_OR_RETURN(
        auto lines, ledger::SuggestReorder(*reads_.Snapshot(), filter,
                                           clock_.Now(), options_.zone));
    for (auto& line : lines) *response->add_lines() = std::move(line);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status InventoryService::CreatePurchaseOrder(
    grpc::ServerContext* context, const v1::CreatePurchaseOrderRequest* request,
    v1::PurchaseOrder* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_create_purchase_order() = *request;
        return NormalizeCreatePurchaseOrder(c.mutable_create_purchase_order());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_purchase_order());
      });
}

grpc::Status InventoryService::EditPurchaseOrder(
    grpc::ServerContext* context, const v1::EditPurchaseOrderRequest* request,
    v1::PurchaseOrder* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_edit_purchase_order() = *request;
        return NormalizeEditPurchaseOrder(c.mutable_edit_purchase_order());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_purchase_order());
      });
}

grpc::Status InventoryService::SubmitPurchaseOrder(
    grpc::ServerContext* context, const v1::SubmitPurchaseOrderRequest* request,
    v1::PurchaseOrder* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_submit_purchase_order() = *request;
        return NormalizeSubmitPurchaseOrder(c.mutable_submit_purchase_order());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_purchase_order());
      });
}

grpc::Status InventoryService::CancelPurchaseOrder(
    grpc::ServerContext* context, const v1::CancelPurchaseOrderRequest* request,
    v1::PurchaseOrder* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_cancel_purchase_order() = *request;
        return NormalizeCancelPurchaseOrder(c.mutable_cancel_purchase_order());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_purchase_order());
      });
}

grpc::Status InventoryService::GetPurchaseOrder(
    grpc::ServerContext*, const v1::GetPurchaseOrderRequest* request,
    v1::PurchaseOrder* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t n,
        domain::ParseId(IdKind::kPurchaseOrder, request->po_id(), "po_id"));
    SMPTRACE_ASSIGN_OR_RETURN(auto po,
                              ledger::ReadPurchaseOrder(reads_.Latest(), n));
    if (!po.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "po_id: purchase order ", request->po_id(), " does not exist"));
    }
    *response = *std::move(po);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status InventoryService::ListPurchaseOrders(
    grpc::ServerContext*, const v1::ListPurchaseOrdersRequest* request,
    v1::ListPurchaseOrdersResponse* response) {
  auto orders =
      ledger::ListPurchaseOrders(*reads_.Snapshot(), request->status());
  if (orders.ok()) {
    for (auto& po : *orders) *response->add_orders() = std::move(po);
  }
  return ToGrpcStatus(orders.status());
}

grpc::Status InventoryService::GetUsage(grpc::ServerContext*,
                                        const v1::GetUsageRequest* request,
                                        v1::GetUsageResponse* response) {
  auto status = [&]() -> absl::Status {
    const int weeks = request->weeks() == 0 ? 12 : request->weeks();
    if (weeks < 1 || weeks > 104) {
      return absl::InvalidArgumentError(
          absl::StrCat("weeks: must be 1..104, got ", request->weeks()));
    }
    std::string gtin;
    if (!request->gtin().empty()) {
      auto normal = domain::NormalizeGtin(request->gtin());
      if (!normal.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("gtin: ", normal.status().message()));
      }
      gtin = *normal;
    }
    SMPTRACE_ASSIGN_OR_RETURN(uint64_t location,
                              OptionalLocation(request->location_id()));
    SMPTRACE_ASSIGN_OR_RETURN(
        *response, query::WeeklyUsage(*reads_.Snapshot(), gtin, location, weeks,
                                      clock_.Now(), options_.zone));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace smptrace::api
