#include "service/ledger/recall_intake/decide.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/domain/recall_match.h"
#include "service/domain/text.h"
#include "service/ledger/dates.h"
#include "service/ledger/recall_intake/state.h"
#include "service/ledger/recalls/decide.h"
#include "service/ledger/recalls/state.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

using storage::keys::StateTag;

// The catalogue as matching sees it: every product with the lots received.
absl::StatusOr<std::vector<domain::CatalogueProduct>> Catalogue(
    const storage::Reader& state) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto products,
      ReadAllRecords<v1::Product>(state, StateTag::kProduct, "product"));
  SMPTRACE_ASSIGN_OR_RETURN(
      auto lots, ReadAllRecords<v1::Lot>(state, StateTag::kLot, "lot"));
  std::map<std::string, std::vector<std::string>> lots_of;
  for (const v1::Lot& lot : lots) lots_of[lot.gtin()].push_back(lot.lot());
  std::vector<domain::CatalogueProduct> out;
  for (const v1::Product& p : products) {
    out.push_back({p.gtin(), p.name(), p.manufacturer(), lots_of[p.gtin()]});
  }
  return out;
}

std::string NoticeKey(const v1::PublishedRecallNotice& n) {
  return absl::StrCat(n.source(), "/", n.notice_id());
}

absl::Status MustBeOpen(const v1::RecallCandidate& c) {
  switch (c.status()) {
    case v1::RECALL_CANDIDATE_STATUS_OPEN:
      return absl::OkStatus();
    case v1::RECALL_CANDIDATE_STATUS_CONFIRMED:
      return Refusal("recall_candidate_decided",
                     absl::StrCat("recall candidate ", c.candidate_id(),
                                  " was already confirmed: see recall case ",
                                  c.case_id()));
    case v1::RECALL_CANDIDATE_STATUS_DISMISSED:
      return Refusal("recall_candidate_decided",
                     absl::StrCat("recall candidate ", c.candidate_id(),
                                  " was dismissed (", c.dismiss_reason(),
                                  "): if it does concern the clinic, open "
                                  "a recall case by hand (recall open)"));
    case v1::RECALL_CANDIDATE_STATUS_UNSPECIFIED:
    case v1::RecallCandidateStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::RecallCandidateStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return absl::DataLossError(
      absl::StrCat("recall candidate ", c.candidate_id(), " has no status"));
}

// The notice as the recall case records it.
v1::RecallNotice CaseNotice(const v1::PublishedRecallNotice& n) {
  v1::RecallNotice out;
  out.set_reference(domain::Shorten(n.notice_id(), 100));
  // A Safety Gate alert may name no brand.
  std::string text =
      absl::StrCat(n.recalling_firm(), n.recalling_firm().empty() ? "" : ": ",
                   n.product_description(), ". Lots: ", n.code_info(),
                   ". Reason: ", n.reason());
  if (!n.classification().empty()) {
    absl::StrAppend(&text, " (", n.classification(), ")");
  }
  // Safety Gate's alerts say what was done and who notified it.
  if (!n.measures().empty()) {
    absl::StrAppend(&text, ". Measures: ", n.measures());
  }
  if (!n.notifying_country().empty()) {
    absl::StrAppend(&text, ". Notified by ", n.notifying_country());
  }
  out.set_text(domain::Shorten(text, 3900));
  *out.mutable_notice_date() = n.report_date();
  return out;
}

}  // namespace

absl::StatusOr<Decision> DecideImportRecallNotices(
    const DecisionContext& ctx, const v1::ImportRecallNotices& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto earlier,
      ReadAllRecords<v1::RecallCandidate>(ctx.state, StateTag::kRecallCandidate,
                                          "recall candidate"));
  // Notice -> the candidates made from it, earlier and in this import.
  std::map<std::string, std::vector<std::string>> imported;
  for (const v1::RecallCandidate& c : earlier) {
    imported[NoticeKey(c.notice())].push_back(c.candidate_id());
  }
  SMPTRACE_ASSIGN_OR_RETURN(const auto catalogue, Catalogue(ctx.state));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last,
                            LastNumber(ctx.state, StateTag::kRecallCandidate));

  Decision d;
  v1::ImportRecallNoticesResponse* out = d.result.mutable_recall_import();
  out->set_notices_read(r.notices_size());
  v1::RecallCandidatesImported* event =
      d.event.mutable_recall_candidates_imported();
  for (const v1::PublishedRecallNotice& notice : r.notices()) {
    const std::string key = NoticeKey(notice);
    if (auto it = imported.find(key); it != imported.end()) {
      v1::RecallNoticeReport* report = out->add_notices();
      report->set_notice_id(notice.notice_id());
      report->set_outcome(v1::RECALL_NOTICE_OUTCOME_ALREADY_IMPORTED);
      for (const std::string& id : it->second) report->add_candidate_ids(id);
      report->set_detail(
          absl::StrCat("imported before as ", absl::StrJoin(it->second, ", ")));
      continue;
    }
    const domain::PreparedNotice words = domain::PrepareNotice(
        {notice.recalling_firm(), notice.product_description(),
         notice.code_info()});
    std::vector<std::string> made;
    std::vector<std::string> not_held;
    std::vector<std::string> unreadable;
    for (const domain::CatalogueProduct& product : catalogue) {
      auto match = domain::MatchNotice(words, product);
      if (!match.has_value()) continue;
      using Lots = domain::ProductMatch::Lots;
      const std::string label =
          absl::StrCat(product.name, " (", product.gtin, ")");
      if (match->scope == Lots::kUnreadable) {
        unreadable.push_back(label);
        continue;
      }
      if (match->scope == Lots::kNoneHeld ||
          (match->scope == Lots::kAll && product.lots.empty())) {
        not_held.push_back(label);
        continue;
      }
      v1::RecallCandidate* c = event->add_candidates();
      c->set_candidate_id(
          domain::FormatId(domain::IdKind::kRecallCandidate, ++last));
      *c->mutable_notice() = notice;
      c->set_product_gtin(product.gtin);
      c->set_product_name(product.name);
      c->set_all_lots(match->scope == Lots::kAll);
      for (const std::string& lot : match->lots) {
        v1::LotRef* ref = c->add_lots();
        ref->set_gtin(product.gtin);
        ref->set_lot(lot);
      }
      for (const domain::MatchEvidence& e : match->evidence) {
        v1::RecallEvidence* ev = c->add_evidence();
        ev->set_kind(e.kind);
        ev->set_notice_words(e.notice_words);
        ev->set_clinic_value(e.clinic_value);
        ev->set_how(e.how);
      }
      c->set_status(v1::RECALL_CANDIDATE_STATUS_OPEN);
      c->set_file_name(r.file_name());
      *c->mutable_imported_at() = ToProto(ctx.now);
      c->set_imported_by(std::string(ctx.actor));
      *out->add_candidates() = *c;
      made.push_back(c->candidate_id());
    }
    if (made.empty() && not_held.empty() && unreadable.empty()) continue;
    v1::RecallNoticeReport* report = out->add_notices();
    report->set_notice_id(notice.notice_id());
    if (!made.empty()) {
      report->set_outcome(v1::RECALL_NOTICE_OUTCOME_CANDIDATE);
      for (const std::string& id : made) report->add_candidate_ids(id);
      imported[key] = made;
    } else if (!not_held.empty()) {
      report->set_outcome(v1::RECALL_NOTICE_OUTCOME_LOTS_NOT_HELD);
      report->set_detail(absl::StrCat("names ", absl::StrJoin(not_held, ", "),
                                      " but none of the lots received"));
    } else {
      report->set_outcome(v1::RECALL_NOTICE_OUTCOME_LOTS_UNREADABLE);
      report->set_detail(absl::StrCat(
          "names ", absl::StrJoin(unreadable, ", "),
          " but no lot number could be read from its code_info: check it "
          "by hand"));
    }
  }
  // Nothing to record without a candidate: a notice that matched nothing
  // may match after the catalogue grows, so it is not remembered.
  if (event->candidates_size() == 0) d.event.Clear();
  return d;
}

absl::StatusOr<Decision> DecideConfirmRecallCandidate(
    const DecisionContext& ctx, const v1::ConfirmRecallCandidateRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::RecallCandidate c,
      MustReadRecallCandidate(ctx.state, r.candidate_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeOpen(c));
  v1::OpenRecallCaseRequest open;
  *open.mutable_notice() = CaseNotice(c.notice());
  if (c.all_lots()) {
    open.set_product_gtin(c.product_gtin());
  } else {
    *open.mutable_lots() = c.lots();
  }
  // The recall aggregate decides the case: scope, holds, exposure.
  SMPTRACE_ASSIGN_OR_RETURN(Decision opened, DecideOpenRecallCase(ctx, open));
  const std::string case_id =
      opened.event.recall_case_recorded().recall_case().case_id();
  c.set_status(v1::RECALL_CANDIDATE_STATUS_CONFIRMED);
  c.set_case_id(case_id);
  *c.mutable_decided_at() = ToProto(ctx.now);
  c.set_decided_by(std::string(ctx.actor));
  Decision d;
  // Both read back from what the event stored.
  d.read_back = [candidate_id = c.candidate_id(),
                 case_reply = RecallCaseReply(case_id)](
                    const storage::Reader& written,
                    v1::CommandResult& result) -> absl::Status {
    v1::CommandResult opened_case;
    SMPTRACE_RETURN_IF_ERROR(case_reply(written, opened_case));
    v1::ConfirmRecallCandidateResponse* out = result.mutable_recall_confirm();
    *out->mutable_recall_case() = std::move(*opened_case.mutable_recall_case());
    SMPTRACE_ASSIGN_OR_RETURN(*out->mutable_candidate(),
                              MustReadRecallCandidate(written, candidate_id));
    return absl::OkStatus();
  };
  v1::RecallCandidateDecided* e = d.event.mutable_recall_candidate_decided();
  *e->mutable_candidate() = std::move(c);
  *e->mutable_recall_case() =
      std::move(*opened.event.mutable_recall_case_recorded());
  return d;
}

absl::StatusOr<Decision> DecideDismissRecallCandidate(
    const DecisionContext& ctx, const v1::DismissRecallCandidateRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::RecallCandidate c,
      MustReadRecallCandidate(ctx.state, r.candidate_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeOpen(c));
  c.set_status(v1::RECALL_CANDIDATE_STATUS_DISMISSED);
  c.set_dismiss_reason(r.reason());
  *c.mutable_decided_at() = ToProto(ctx.now);
  c.set_decided_by(std::string(ctx.actor));
  Decision d;
  d.read_back = [candidate_id = c.candidate_id()](
                    const storage::Reader& written,
                    v1::CommandResult& result) -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(*result.mutable_recall_candidate(),
                              MustReadRecallCandidate(written, candidate_id));
    return absl::OkStatus();
  };
  *d.event.mutable_recall_candidate_decided()->mutable_candidate() =
      std::move(c);
  return d;
}

}  // namespace smptrace::ledger
