#include "service/query/recall_reads.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/recalls/state.h"
#include "service/ledger/sessions/state.h"
#include "storage/keys.h"

namespace smptrace::query {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using ledger::ListRecords;
using ledger::Page;
using ledger::ReadSession;

}  // namespace

absl::StatusOr<Page<v1::RecallCase>> ListRecallCases(
    const storage::Reader& reader, v1::RecallCaseStatus status, uint64_t after,
    int limit) {
  const std::string prefix = keys::StatePrefix(keys::StateTag::kRecallCase);
  return ListRecords<v1::RecallCase>(
      reader, keys::NumberedKey(keys::StateTag::kRecallCase, after + 1),
      keys::PrefixEnd(prefix), limit, "recall case",
      [status](const v1::RecallCase& c) {
        return status == v1::RECALL_CASE_STATUS_UNSPECIFIED ||
               c.status() == status;
      },
      [](const v1::RecallCase& c) { return c.case_id(); });
}

absl::StatusOr<v1::RecallWorksheet> RecallWorksheetOf(
    const storage::Reader& reader, const ledger::PersonalData& personal,
    const std::string& case_id) {
  SMPTRACE_ASSIGN_OR_RETURN(const v1::RecallCase c,
                            ledger::MustReadRecallCase(reader, case_id));
  std::set<std::pair<std::string, std::string>> scope;  // gtin, lot
  for (const v1::LotRef& l : c.lots()) scope.emplace(l.gtin(), l.lot());
  const auto in_scope = [&](const v1::ConsumableUse& use) {
    return !use.voided() &&
           (c.product_gtin().empty() ? scope.count({use.gtin(), use.lot()}) > 0
                                     : use.gtin() == c.product_gtin());
  };
  v1::RecallWorksheet out;
  *out.mutable_recall_case() = c;
  out.mutable_recall_case()->clear_exposed();
  for (const v1::ExposedClient& e : c.exposed()) {
    v1::WorksheetClient* client = out.add_clients();
    *client->mutable_exposed() = e;
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t n, domain::ParseId(IdKind::kClient, e.client_id(), "client"));
    SMPTRACE_ASSIGN_OR_RETURN(auto record, ledger::ReadClient(reader, n));
    if (record.has_value()) {
      SMPTRACE_RETURN_IF_ERROR(personal.OpenContact(reader, *record));
      *client->mutable_contact() = std::move(*record->mutable_contact());
      if (record->has_erased()) *client->mutable_erased() = record->erased();
    }
    for (const std::string& id : e.sessions()) {
      SMPTRACE_ASSIGN_OR_RETURN(
          uint64_t s, domain::ParseId(IdKind::kSession, id, "session"));
      SMPTRACE_ASSIGN_OR_RETURN(auto session, ReadSession(reader, s));
      if (!session.has_value()) {
        return absl::DataLossError(absl::StrCat("recall case ", c.case_id(),
                                                " names session ", id,
                                                ", which is not recorded"));
      }
      v1::WorksheetSession* w = client->add_sessions();
      w->set_session_id(session->session_id());
      *w->mutable_started_at() = session->started_at();
      w->set_location_id(session->location_id());
      w->set_practitioner(session->practitioner());
      for (const v1::ConsumableUse& use : session->consumables()) {
        if (in_scope(use)) {
          w->add_units(
              absl::StrCat(use.gtin(), " ", use.lot(), " ", use.serial()));
        }
      }
    }
    if (e.notified()) {
      out.set_notified(out.notified() + 1);
    } else {
      out.set_not_notified(out.not_notified() + 1);
    }
  }
  return out;
}

}  // namespace smptrace::query
