#include "service/ledger/clients/holds.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
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

}  // namespace

absl::StatusOr<Decision> DecidePlaceLegalHold(
    const DecisionContext& ctx, const v1::PlaceLegalHoldRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(auto client, FindClient(ctx.state, r.client()));
  if (!client.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "client: no client has the id or code '", r.client(), "'"));
  }
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
  hold->set_hold_id(domain::FormatId(IdKind::kLegalHold, last + 1));
  hold->set_client_id(client->client_id());
  hold->set_client_code(client->code());
  hold->set_reason(r.reason());
  if (IsSet(r.until())) *hold->mutable_until() = r.until();
  *hold->mutable_placed_at() = ToProto(ctx.now);
  hold->set_placed_by(std::string(ctx.actor));
  hold->set_seq(ctx.seq);
  *d.result.mutable_legal_hold() = *hold;
  d.result.mutable_legal_hold()->set_in_force(true);
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
    const storage::Reader& reader, std::string_view client_id,
    absl::CivilDay today, bool include_ended) {
  SMPTRACE_ASSIGN_OR_RETURN(std::vector<v1::LegalHold> all,
                            ReadAllRecords<v1::LegalHold>(
                                reader, StateTag::kLegalHold, "legal hold"));
  std::vector<v1::LegalHold> out;
  for (v1::LegalHold& hold : all) {
    if (!client_id.empty() && hold.client_id() != client_id) continue;
    hold.set_in_force(InForce(hold, today));
    if (hold.in_force() || include_ended) out.push_back(std::move(hold));
  }
  return out;
}

}  // namespace smptrace::ledger
