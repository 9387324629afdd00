#include "service/query/trace.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/state.h"
#include "service/query/client_access.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/journal.h"
#include "storage/keys.h"

namespace smptrace::query {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using ledger::ForEachSessionStarted;
using ledger::FormatDate;
using ledger::ParseRecord;
using ledger::ReadClient;
using ledger::ReadIndexedSession;
using ledger::ReadLot;
using ledger::ReadSession;
using ledger::ReadUnit;
using ledger::VerdictOf;
using storage::Cf;

std::string StatusNow(const v1::Lot& lot) {
  switch (lot.status()) {
    case v1::LOT_STATUS_RECALLED:
      return absl::StrCat("lot recalled since ",
                          FormatDate(lot.recall().notice_date()), " (notice ",
                          lot.recall().reference(), ")");
    case v1::LOT_STATUS_QUARANTINED:
      return absl::StrCat("lot quarantined (", lot.status_reason(), ")");
    case v1::LOT_STATUS_RELEASED:
    case v1::LOT_STATUS_UNSPECIFIED:
    case v1::LotStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::LotStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "lot released";
}

}  // namespace

absl::StatusOr<v1::SterilityRecord> SterilityRecordOf(
    const storage::Reader& reader, uint64_t number) {
  SMPTRACE_ASSIGN_OR_RETURN(auto session, ReadSession(reader, number));
  if (!session.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "session_id: session ", domain::FormatId(IdKind::kSession, number),
        " does not exist"));
  }
  v1::SterilityRecord record;
  std::vector<std::pair<uint64_t, std::string>> proofs;
  if (session->started_seq() != 0) {
    std::string verdict =
        v1::ScreeningVerdict_Name(session->screening().verdict());
    verdict.erase(0, std::string_view("SCREENING_VERDICT_").size());
    proofs.emplace_back(session->started_seq(),
                        "session started, screening " + verdict);
  }
  for (const auto& use : session->consumables()) {
    v1::ConsumableRecord* c = record.add_consumables();
    *c->mutable_use() = use;
    SMPTRACE_ASSIGN_OR_RETURN(auto lot, ReadLot(reader, use.gtin(), use.lot()));
    if (lot.has_value()) {
      c->set_status_now(StatusNow(*lot));
      *c->mutable_lot_now() = *std::move(lot);
    }
    SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                              ReadUnit(reader, use.gtin(), use.serial()));
    if (unit.has_value()) *c->mutable_unit_now() = *std::move(unit);
    proofs.emplace_back(use.seq(),
                        absl::StrCat("scanned ", use.product_name(), " lot ",
                                     use.lot(), " serial ", use.serial()));
    if (use.voided()) proofs.emplace_back(use.void_seq(), "scan voided");
  }
  for (const auto& r : session->refused_scans()) {
    proofs.emplace_back(r.seq(), "refused: " + r.reason());
  }
  if (session->seal().seq() != 0)
    proofs.emplace_back(session->seal().seq(), "closed and sealed");
  std::sort(proofs.begin(), proofs.end());
  proofs.erase(std::unique(proofs.begin(), proofs.end(),
                           [](const auto& a, const auto& b) {
                             return a.first == b.first;
                           }),
               proofs.end());
  for (const auto& [seq, what] : proofs) {
    SMPTRACE_ASSIGN_OR_RETURN(auto bytes,
                              reader.Get(Cf::kJournal, keys::JournalKey(seq)));
    v1::ProofEntry* p = record.add_proof();
    p->set_seq(seq);
    p->set_what(what);
    if (!bytes.has_value() || bytes->size() < 2 * storage::kHashSize) {
      return absl::DataLossError(
          absl::StrCat("journal entry ", seq, " is missing"));
    }
    p->set_hash(storage::ToHex(std::string_view(*bytes).substr(
        storage::kHashSize, storage::kHashSize)));
    v1::Event event;
    if (ParseRecord(std::string_view(*bytes).substr(2 * storage::kHashSize),
                    "journal event", &event)
            .ok()) {
      *p->mutable_time() = event.time();
    }
  }
  record.set_verdict(VerdictOf(*session));
  *record.mutable_session() = *std::move(session);
  return record;
}

absl::StatusOr<v1::ClientHistoryResponse> ClientHistoryOf(
    const storage::Reader& reader, uint64_t client) {
  SMPTRACE_ASSIGN_OR_RETURN(auto record, ReadClient(reader, client));
  if (!record.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("client: ", domain::FormatId(IdKind::kClient, client),
                     " does not exist"));
  }
  v1::ClientHistoryResponse out;
  out.set_client_id(record->client_id());
  out.set_client_code(record->code());
  const std::string sessions = keys::SessionByClientPrefix(client);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, sessions, keys::PrefixEnd(sessions),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(
            const v1::Session s,
            ReadIndexedSession(reader, keys::DecodeSessionByClientKey(key)));
        v1::SessionSummary* sum = out.add_sessions();
        sum->set_session_id(s.session_id());
        *sum->mutable_started_at() = s.started_at();
        sum->set_status(s.status());
        sum->set_verdict(VerdictOf(s));
        sum->set_plan_step(s.plan_step());
        sum->set_treatment_area(s.treatment_area());
        sum->set_location_id(s.location_id());
        std::set<std::string> lots;
        for (const auto& use : s.consumables()) {
          if (!use.voided())
            lots.insert(absl::StrCat(use.gtin(), " ", use.lot()));
        }
        for (const auto& lot : lots) sum->add_lots(lot);
        sum->set_exceptions(s.exceptions_size());
        return true;
      }));
  SMPTRACE_ASSIGN_OR_RETURN(auto accesses, ClientAccessesOf(reader, client));
  for (const v1::ClientAccess& a : accesses) {
    v1::RecordRead* r = out.add_reads();
    r->set_seq(a.seq());
    *r->mutable_at() = a.at();
    r->set_by(a.by());
    r->set_what(a.what());
  }
  return out;
}

absl::StatusOr<std::vector<v1::SterilityRecord>> SterilityRecordsBetween(
    const storage::Reader& reader, absl::Time from, absl::Time to,
    int max_sessions) {
  std::vector<uint64_t> sessions;
  bool too_many = false;
  SMPTRACE_RETURN_IF_ERROR(
      ForEachSessionStarted(reader, from, to, 0, [&](const v1::Session& s) {
        if (static_cast<int>(sessions.size()) == max_sessions) {
          too_many = true;
          return false;
        }
        auto n = domain::ParseId(IdKind::kSession, s.session_id(), "session");
        sessions.push_back(n.ok() ? *n : 0);
        return true;
      }));
  if (too_many) {
    return absl::InvalidArgumentError(
        absl::StrCat("to: the period holds more than ", max_sessions,
                     " sessions: ask for a shorter one"));
  }
  std::vector<v1::SterilityRecord> out;
  for (uint64_t n : sessions) {
    SMPTRACE_ASSIGN_OR_RETURN(v1::SterilityRecord r,
                              SterilityRecordOf(reader, n));
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<v1::ListExceptionsResponse> ExceptionsBetween(
    const storage::Reader& reader, absl::Time from, absl::Time to) {
  v1::ListExceptionsResponse out;
  SMPTRACE_RETURN_IF_ERROR(ForEachSessionStarted(
      reader, from, to, 0, [&](const v1::Session& session) {
        out.set_sessions_examined(out.sessions_examined() + 1);
        for (const auto& e : session.exceptions()) {
          v1::ExceptionLine* line = out.add_exceptions();
          line->set_session_id(session.session_id());
          line->set_client_code(session.client_code());
          *line->mutable_started_at() = session.started_at();
          *line->mutable_exception() = e;
        }
        return true;
      }));
  return out;
}

}  // namespace smptrace::query
