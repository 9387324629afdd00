#include "service/ledger/clients/holds.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/clients/personal_data.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/recalls/lookback.h"
#include "service/ledger/recalls/state.h"
#include "service/ledger/records.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using keys::StateTag;
using storage::Cf;

bool InForce(const v1::LegalHold& hold, absl::CivilDay today) {
  if (hold.has_released_at()) return false;
  return !IsSet(hold.until()) || ToCivilDay(hold.until()) >= today;
}

// "legal hold HOLD-000002 on lot L-22 of 0950..., placed by maria: why
// (until 2027-01-31)".
std::string HoldText(const v1::LegalHold& hold) {
  std::string on;
  if (!hold.lot().empty()) {
    on = absl::StrCat(" on lot ", hold.lot(), " of ", hold.lot_gtin());
  } else if (!hold.recall_case_id().empty()) {
    on = absl::StrCat(" on recall case ", hold.recall_case_id());
  }
  return absl::StrCat("legal hold ", hold.hold_id(), on, " placed by ",
                      hold.placed_by(), ": ", hold.reason(), " (",
                      IsSet(hold.until())
                          ? absl::StrCat("until ", FormatDate(hold.until()))
                          : "until released",
                      ")");
}

// Fills the hold's target from the request; NotFound for an unknown one.
absl::Status SetTarget(const DecisionContext& ctx,
                       const v1::PlaceLegalHoldRequest& r,
                       v1::LegalHold* hold) {
  if (!r.recall_case_id().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        v1::RecallCase c,
        FindNumbered<v1::RecallCase>(ctx.state, kRecallCaseRecord,
                                     r.recall_case_id(), "recall_case_id"));
    hold->set_recall_case_id(c.case_id());
    return absl::OkStatus();
  }
  if (!r.lot().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(auto product,
                              ReadProduct(ctx.state, r.lot_gtin()));
    if (!product.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("lot_gtin: no product has GTIN ", r.lot_gtin()));
    }
    SMPTRACE_ASSIGN_OR_RETURN(auto lot,
                              ReadLot(ctx.state, r.lot_gtin(), r.lot()));
    if (!lot.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("lot: no lot ", r.lot(), " of product ", r.lot_gtin()));
    }
    hold->set_lot_gtin(lot->gtin());
    hold->set_lot(lot->lot());
    return absl::OkStatus();
  }
  SMPTRACE_ASSIGN_OR_RETURN(auto client, FindClient(ctx.state, r.client()));
  if (!client.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "client: no client has the id or code '", r.client(), "'"));
  }
  hold->set_client_id(client->client_id());
  hold->set_client_code(client->code());
  return absl::OkStatus();
}

// Fills `hold.covers` for a hold on a lot (the clients its lookback finds
// exposed now) or on a recall case (the clients the case found exposed); a
// hold on a client covers that client and lists none.
absl::Status SetCovers(const storage::Reader& reader, v1::LegalHold& hold) {
  hold.clear_covers();
  if (!hold.lot().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(v1::TraceResponse trace,
                              TraceLot(reader, hold.lot_gtin(), hold.lot()));
    for (const std::string& id : trace.exposed_client_ids()) {
      SMPTRACE_ASSIGN_OR_RETURN(auto client, FindClient(reader, id));
      v1::CoveredClient* covered = hold.add_covers();
      covered->set_client_id(id);
      if (client.has_value()) covered->set_client_code(client->code());
    }
  } else if (!hold.recall_case_id().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        v1::RecallCase c, MustReadRecallCase(reader, hold.recall_case_id()));
    for (const v1::ExposedClient& e : c.exposed()) {
      v1::CoveredClient* covered = hold.add_covers();
      covered->set_client_id(e.client_id());
      covered->set_client_code(e.client_code());
    }
  }
  return absl::OkStatus();
}

bool Covers(const v1::LegalHold& hold, std::string_view client_id) {
  if (hold.client_id() == client_id) return true;
  for (const v1::CoveredClient& c : hold.covers()) {
    if (c.client_id() == client_id) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<Decision> DecidePlaceLegalHold(
    const DecisionContext& ctx, const v1::PlaceLegalHoldRequest& r) {
  v1::LegalHold target;
  SMPTRACE_RETURN_IF_ERROR(SetTarget(ctx, r, &target));
  const absl::CivilDay today = absl::ToCivilDay(ctx.now, ctx.zone);
  if (IsSet(r.until()) && ToCivilDay(r.until()) < today) {
    return absl::FailedPreconditionError(
        absl::StrCat("until: ", FormatDate(r.until()),
                     " has passed; give a later day, or none for a hold "
                     "until released"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last,
                            LastNumber(ctx.state, StateTag::kLegalHold));
  Decision d;
  v1::LegalHoldRecorded* e = d.event.mutable_legal_hold_recorded();
  e->set_change("placed");
  v1::LegalHold* hold = e->mutable_hold();
  *hold = std::move(target);
  hold->set_hold_id(domain::FormatId(IdKind::kLegalHold, last + 1));
  if (!hold->client_id().empty()) {
    // Free text about the client: sealed with their key, so that erasing
    // them (once the hold has ended) makes it unreadable.
    SMPTRACE_ASSIGN_OR_RETURN(const PersonalData* personal,
                              RequirePersonalData(ctx));
    v1::LegalHold reason;
    reason.set_reason(r.reason());
    SMPTRACE_ASSIGN_OR_RETURN(
        *hold->mutable_sealed_reason(),
        personal->Seal(ctx.state, hold->client_id(), PersonalKind::kHoldReason,
                       reason));
  } else {
    hold->set_reason(r.reason());
  }
  if (IsSet(r.until())) *hold->mutable_until() = r.until();
  *hold->mutable_placed_at() = ToProto(ctx.now);
  hold->set_placed_by(std::string(ctx.actor));
  hold->set_seq(ctx.seq);
  *d.result.mutable_legal_hold() = *hold;
  d.result.mutable_legal_hold()->set_in_force(true);
  SMPTRACE_RETURN_IF_ERROR(
      SetCovers(ctx.state, *d.result.mutable_legal_hold()));
  return d;
}

absl::StatusOr<Decision> DecideReleaseLegalHold(
    const DecisionContext& ctx, const v1::ReleaseLegalHoldRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(IdKind::kLegalHold, r.hold_id(), "hold_id"));
  SMPTRACE_ASSIGN_OR_RETURN(
      auto hold, ReadRecord<v1::LegalHold>(
                     ctx.state, Cf::kState,
                     keys::NumberedKey(StateTag::kLegalHold, n), "legal hold"));
  if (!hold.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("hold_id: no legal hold ", r.hold_id()));
  }
  if (!InForce(*hold, absl::ToCivilDay(ctx.now, ctx.zone))) {
    return absl::FailedPreconditionError(absl::StrCat(
        "legal hold ", hold->hold_id(), " has already ended",
        hold->has_released_at()
            ? absl::StrCat(" (released by ", hold->released_by(), ")")
            : absl::StrCat(" (it ran until ", FormatDate(hold->until()), ")")));
  }
  Decision d;
  v1::LegalHoldRecorded* e = d.event.mutable_legal_hold_recorded();
  e->set_change("released");
  v1::LegalHold* released = e->mutable_hold();
  *released = *std::move(hold);
  *released->mutable_released_at() = ToProto(ctx.now);
  released->set_released_by(std::string(ctx.actor));
  released->set_release_reason(r.reason());
  *d.result.mutable_legal_hold() = *released;
  return d;
}

absl::Status ApplyLegalHoldRecorded(const v1::LegalHoldRecorded& e,
                                    storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n,
      domain::ParseId(IdKind::kLegalHold, e.hold().hold_id(), "hold_id"));
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kLegalHold, n),
          Serialize(e.hold()));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::LegalHold>> ReadLegalHolds(
    const storage::Reader& reader, const PersonalData& personal,
    std::string_view client_id, absl::CivilDay today, bool include_ended) {
  SMPTRACE_ASSIGN_OR_RETURN(std::vector<v1::LegalHold> all,
                            ReadAllRecords<v1::LegalHold>(
                                reader, StateTag::kLegalHold, "legal hold"));
  std::vector<v1::LegalHold> out;
  for (v1::LegalHold& hold : all) {
    hold.set_in_force(InForce(hold, today));
    if (!hold.in_force() && !include_ended) continue;
    // Whom an ended hold covered is not kept: only holds in force say.
    if (hold.in_force()) SMPTRACE_RETURN_IF_ERROR(SetCovers(reader, hold));
    if (!client_id.empty() && !Covers(hold, client_id)) continue;
    SMPTRACE_RETURN_IF_ERROR(personal.OpenHoldReason(reader, hold));
    out.push_back(std::move(hold));
  }
  return out;
}

absl::StatusOr<ClientHolds> ReadClientHolds(const storage::Reader& reader,
                                            const PersonalData& personal,
                                            absl::CivilDay today) {
  ClientHolds held;
  SMPTRACE_ASSIGN_OR_RETURN(
      std::vector<v1::LegalHold> holds,
      ReadLegalHolds(reader, personal, "", today, /*include_ended=*/false));
  for (const v1::LegalHold& hold : holds) {
    const std::string text = HoldText(hold);
    if (!hold.client_id().empty()) held[hold.client_id()].push_back(text);
    for (const v1::CoveredClient& c : hold.covers()) {
      held[c.client_id()].push_back(text);
    }
  }
  SMPTRACE_ASSIGN_OR_RETURN(std::vector<v1::RecallCase> cases,
                            ReadAllRecords<v1::RecallCase>(
                                reader, StateTag::kRecallCase, "recall case"));
  for (const v1::RecallCase& c : cases) {
    if (c.drill() || c.status() != v1::RECALL_CASE_STATUS_OPEN) continue;
    for (const v1::ExposedClient& e : c.exposed()) {
      held[e.client_id()].push_back(
          absl::StrCat("open recall case ", c.case_id()));
    }
  }
  return held;
}

}  // namespace smptrace::ledger
