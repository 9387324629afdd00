#include "service/ledger/clients/retention.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/holds.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

using storage::keys::StateTag;

std::string DayText(absl::CivilDay day) {
  return FormatDate(ledger::ToProto(day));
}

std::string PolicyText(const domain::RetentionPeriod& period,
                       const char* after) {
  if (!period.set()) return "not set: kept for good";
  return absl::StrCat(period.Text(), " after ", after, " (retention.conf line ",
                      period.line, ")");
}

// Sessions whose period has passed: they are by start time, so the count
// stops at the first one still inside it.
absl::StatusOr<int64_t> ProceduresPast(const storage::Reader& reader,
                                       const domain::RetentionPeriod& period,
                                       absl::CivilDay today,
                                       absl::TimeZone zone) {
  int64_t past = 0;
  SMPTRACE_RETURN_IF_ERROR(ForEachSessionStarted(
      reader, absl::InfinitePast(), absl::InfiniteFuture(), 0,
      [&](v1::Session& s) {
        if (period.After(Today(FromProto(s.started_at()), zone)) > today) {
          return false;
        }
        ++past;
        return true;
      }));
  return past;
}

// Lots past the period after the later of their expiry and first receipt.
absl::StatusOr<int64_t> LotsPast(const storage::Reader& reader,
                                 const domain::RetentionPeriod& period,
                                 absl::CivilDay today, absl::TimeZone zone) {
  SMPTRACE_ASSIGN_OR_RETURN(
      std::vector<v1::Lot> lots,
      ReadAllRecords<v1::Lot>(reader, StateTag::kLot, "lot"));
  int64_t past = 0;
  for (const v1::Lot& lot : lots) {
    absl::CivilDay from = Today(FromProto(lot.first_received_at()), zone);
    if (IsSet(lot.expiry())) from = std::max(from, ToCivilDay(lot.expiry()));
    if (period.After(from) <= today) ++past;
  }
  return past;
}

}  // namespace

absl::StatusOr<absl::CivilDay> LastVisitOf(const storage::Reader& reader,
                                           const v1::Client& client,
                                           absl::TimeZone zone) {
  absl::Time last = FromProto(client.created_at());
  if (client.has_updated_at()) {
    last = std::max(last, FromProto(client.updated_at()));
  }
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(domain::IdKind::kClient, client.client_id(),
                                  "client_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto session, LastSessionOfClient(reader, n));
  if (session.has_value()) {
    last = std::max(last, FromProto(session->started_at()));
  }
  return Today(last, zone);
}

absl::StatusOr<v1::ListRetentionDueResponse> ReadRetentionDue(
    const storage::Reader& reader, const PersonalData& personal,
    const domain::RetentionPolicy& policy, absl::CivilDay today,
    absl::TimeZone zone) {
  v1::ListRetentionDueResponse out;
  *out.mutable_today() = ToProto(today);
  if (!policy.configured) return out;
  out.set_configured(true);
  SMPTRACE_ASSIGN_OR_RETURN(ClientHolds held,
                            ReadClientHolds(reader, personal, today));
  SMPTRACE_ASSIGN_OR_RETURN(
      std::vector<v1::Client> clients,
      ReadAllRecords<v1::Client>(reader, StateTag::kClient, "client"));
  for (const v1::Client& client : clients) {
    if (client.has_erased()) continue;
    SMPTRACE_ASSIGN_OR_RETURN(absl::CivilDay last,
                              LastVisitOf(reader, client, zone));
    const absl::CivilDay due = policy.ClientDueOn(last);
    if (due > today) continue;
    v1::RetentionDueClient* line = out.add_clients();
    line->set_client_id(client.client_id());
    line->set_client_code(client.code());
    *line->mutable_last_visit() = ToProto(last);
    *line->mutable_due_since() = ToProto(due);
    const auto holds = held.find(client.client_id());
    if (holds != held.end()) {
      line->set_action(v1::RETENTION_ACTION_HELD);
      for (const std::string& h : holds->second) line->add_held_by(h);
    } else {
      line->set_action(policy.erase_automatically
                           ? v1::RETENTION_ACTION_AUTOMATIC
                           : v1::RETENTION_ACTION_AWAITING_APPROVAL);
    }
  }
  std::stable_sort(
      out.mutable_clients()->begin(), out.mutable_clients()->end(),
      [](const v1::RetentionDueClient& a, const v1::RetentionDueClient& b) {
        return ToCivilDay(a.due_since()) < ToCivilDay(b.due_since());
      });

  v1::RetentionRecordKind* personal_data = out.add_kinds();
  personal_data->set_kind("client_personal_data");
  personal_data->set_policy(
      absl::StrCat(PolicyText(policy.client_personal_data, "the last visit"),
                   policy.erase_automatically ? ", erase = automatic"
                                              : ", erase = approval"));
  personal_data->set_past_period(out.clients_size());
  personal_data->set_outcome(
      policy.erase_automatically
          ? "erased by the daily job (the client's key is destroyed; the "
            "code and sessions stay), unless held"
          : "listed until a manager approves each erasure (smptrace retention "
            "approve CLIENT), unless held");
  v1::RetentionRecordKind* procedures = out.add_kinds();
  procedures->set_kind("procedure_records");
  procedures->set_policy(
      PolicyText(policy.procedure_records, "the session started"));
  if (policy.procedure_records.set()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        int64_t past,
        ProceduresPast(reader, policy.procedure_records, today, zone));
    procedures->set_past_period(past);
  }
  procedures->set_outcome(
      "kept: the traceability record (code, materials, lots, seal) stays in "
      "the journal; the personal data linked to it (screening answers) goes "
      "with the client's, not before this period ends");
  v1::RetentionRecordKind* stock = out.add_kinds();
  stock->set_kind("stock_records");
  stock->set_policy(
      PolicyText(policy.stock_records, "the lot's expiry or receipt"));
  if (policy.stock_records.set()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        int64_t past, LotsPast(reader, policy.stock_records, today, zone));
    stock->set_past_period(past);
  }
  stock->set_outcome(
      "kept: lots, units and their movements hold no personal data");
  return out;
}

absl::StatusOr<std::string> CheckRetentionDue(
    const storage::Reader& reader, const domain::RetentionPolicy* policy,
    const v1::Client& client, absl::CivilDay today, absl::TimeZone zone) {
  if (policy == nullptr || !policy->configured) {
    return Refusal("retention_not_configured",
                   "smptraced runs without a retention policy "
                   "(--retention_policy): nothing is due; erase a client by "
                   "hand with smptrace client erase");
  }
  SMPTRACE_ASSIGN_OR_RETURN(absl::CivilDay last,
                            LastVisitOf(reader, client, zone));
  const absl::CivilDay due = policy->ClientDueOn(last);
  if (due > today) {
    return Refusal(
        "retention_not_due",
        absl::StrCat("client ", client.client_id(), " (", client.code(),
                     ") is not due for erasure: last visit ", DayText(last),
                     ", due on ", DayText(due), " under ",
                     policy->ClientRuleText()));
  }
  return absl::StrCat(policy->ClientRuleText(), "; last visit ", DayText(last),
                      ", due since ", DayText(due));
}

}  // namespace smptrace::ledger
