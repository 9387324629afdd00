#include "service/ledger/recalls/decide.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/domain/text.h"
#include "service/ledger/dates.h"
#include "service/ledger/recalls/lookback.h"
#include "service/ledger/recalls/state.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;

absl::Status MustBeOpen(const v1::RecallCase& c) {
  if (c.status() == v1::RECALL_CASE_STATUS_OPEN) return absl::OkStatus();
  return Refusal("recall_case_closed",
                 absl::StrCat("recall case ", c.case_id(), " is closed (",
                              c.close_reason(), ")"));
}

// The case's new state, journaled whole; the reply is read back from what
// the event stored.
Decision Record(v1::RecallCase c, std::string change) {
  Decision d;
  d.read_back = RecallCaseReply(c.case_id());
  v1::RecallCaseRecorded* e = d.event.mutable_recall_case_recorded();
  e->set_change(std::move(change));
  *e->mutable_recall_case() = std::move(c);
  return d;
}

}  // namespace

std::function<absl::Status(const storage::Reader&, v1::CommandResult&)>
RecallCaseReply(std::string case_id) {
  return [case_id = std::move(case_id)](
             const storage::Reader& written,
             v1::CommandResult& result) -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(*result.mutable_recall_case(),
                              MustReadRecallCase(written, case_id));
    return absl::OkStatus();
  };
}

absl::StatusOr<Decision> DecideOpenRecallCase(
    const DecisionContext& ctx, const v1::OpenRecallCaseRequest& r) {
  v1::RecallCase c;
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last,
                            LastNumber(ctx.state, keys::StateTag::kRecallCase));
  c.set_case_id(domain::FormatId(IdKind::kRecallCase, last + 1));
  *c.mutable_notice() = r.notice();
  if (!IsSet(r.notice().notice_date())) {
    *c.mutable_notice()->mutable_notice_date() =
        ToProto(Today(ctx.now, ctx.zone));
  }
  *c.mutable_lots() = r.lots();
  c.set_product_gtin(r.product_gtin());
  c.set_drill(r.drill());
  c.set_status(v1::RECALL_CASE_STATUS_OPEN);
  *c.mutable_opened_at() = ToProto(ctx.now);
  c.set_opened_by(std::string(ctx.actor));

  // The lookback, timed: the same whether drill or not. Bounded: the writer
  // visits at most kMaxRecallScopeUnits units for one case.
  const absl::Time start = absl::Now();
  const auto too_large = [&](absl::string_view what) {
    return Refusal(
        "recall_scope_too_large",
        absl::StrCat(what, " more than ", kMaxRecallScopeUnits,
                     " units: split the case into several, by lots"));
  };
  std::vector<v1::TraceResponse> traces;
  int64_t visited = 0;
  if (!r.product_gtin().empty()) {
    auto t = TraceProduct(ctx.state, r.product_gtin(), kMaxRecallScopeUnits);
    if (absl::IsResourceExhausted(t.status())) {
      return too_large(absl::StrCat("product ", r.product_gtin(), " has"));
    }
    if (!t.ok()) return t.status();
    traces.push_back(*std::move(t));
  } else {
    std::set<std::pair<std::string, std::string>> seen;
    for (int i = 0; i < r.lots_size(); ++i) {
      if (!seen.emplace(r.lots(i).gtin(), r.lots(i).lot()).second) continue;
      auto t = TraceLot(ctx.state, r.lots(i).gtin(), r.lots(i).lot(),
                        kMaxRecallScopeUnits - visited);
      if (absl::IsResourceExhausted(t.status())) {
        return too_large(absl::StrCat("lots[0..", i, "] hold"));
      }
      if (!t.ok()) {
        return absl::Status(
            t.status().code(),
            absl::StrCat("lots[", i, "]: ", t.status().message()));
      }
      visited += t->units_examined();
      traces.push_back(*std::move(t));
    }
  }
  std::map<std::string, v1::ExposedClient> exposed;
  std::set<std::pair<std::string, std::string>> listed;  // client, session
  for (const v1::TraceResponse& t : traces) {
    std::set<std::string> exposed_ids(t.exposed_client_ids().begin(),
                                      t.exposed_client_ids().end());
    for (const v1::TracedSession& s : t.sessions()) {
      if (!exposed_ids.count(s.client_id()) || s.voided_only()) continue;
      v1::ExposedClient& e = exposed[s.client_id()];
      e.set_client_id(s.client_id());
      e.set_client_code(s.client_code());
      // A session that used two of the lots is listed once.
      if (listed.emplace(s.client_id(), s.session_id()).second) {
        e.add_sessions(s.session_id());
      }
    }
    for (const v1::TracedLot& lot : t.lots()) {
      c.set_units_in_scope(c.units_in_scope() + lot.units());
      c.set_units_in_stock(c.units_in_stock() + lot.in_stock());
      if (!r.drill() && lot.lot().status() != v1::LOT_STATUS_RECALLED) {
        v1::LotRef* hold = c.add_holds();
        hold->set_gtin(lot.lot().gtin());
        hold->set_lot(lot.lot().lot());
      }
    }
  }
  c.set_lookback_ms(absl::ToDoubleMilliseconds(absl::Now() - start));
  for (auto& [id, e] : exposed) *c.add_exposed() = std::move(e);
  return Record(std::move(c), r.drill() ? "drill" : "opened");
}

absl::StatusOr<Decision> DecideRecordNotification(
    const DecisionContext& ctx, const v1::RecordNotificationRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::RecallCase c,
                            MustReadRecallCase(ctx.state, r.case_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeOpen(c));
  for (v1::ExposedClient& e : *c.mutable_exposed()) {
    if (e.client_id() != r.client_id()) continue;
    e.set_notified(true);
    *e.mutable_notified_at() = ToProto(ctx.now);
    e.set_notified_by(std::string(ctx.actor));
    e.set_channel(r.channel());
    e.set_note(r.note());
    return Record(std::move(c), absl::StrCat("notified ", r.client_id()));
  }
  return absl::NotFoundError(
      absl::StrCat("client_id: ", r.client_id(),
                   " is not among the clients exposed by ", c.case_id()));
}

absl::StatusOr<Decision> DecideCloseRecallCase(
    const DecisionContext& ctx, const v1::CloseRecallCaseRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::RecallCase c,
                            MustReadRecallCase(ctx.state, r.case_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeOpen(c));
  std::vector<std::string> waiting;
  for (const v1::ExposedClient& e : c.exposed()) {
    if (!e.notified()) waiting.push_back(e.client_id());
  }
  if (!waiting.empty() && domain::IsBlank(r.reason())) {
    return Refusal(
        "clients_not_notified",
        absl::StrCat(waiting.size(), " exposed client(s) not notified (",
                     absl::StrJoin(waiting, ", "),
                     "): record their notification, or close with "
                     "a reason"));
  }
  c.set_status(v1::RECALL_CASE_STATUS_CLOSED);
  *c.mutable_closed_at() = ToProto(ctx.now);
  c.set_close_reason(domain::IsBlank(r.reason())
                         ? "every exposed client notified"
                         : r.reason());
  return Record(std::move(c), "closed");
}

}  // namespace smptrace::ledger
