#include "service/ledger/sessions/decide.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/domain/text.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/clients/consent.h"
#include "service/ledger/clients/personal_data.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/principals/state.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/ink_disclosure.h"
#include "service/ledger/sessions/screening_record.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/state.h"
#include "service/ledger/versions.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using keys::StateTag;

absl::StatusOr<v1::Session> MustSession(const DecisionContext& ctx,
                                        const std::string& id) {
  return MustReadSession(ctx.state, id);
}

// A read_back that answers with the session as the event left it.
auto SessionReply(std::string session_id) {
  return [session_id = std::move(session_id)](
             const storage::Reader& written,
             v1::CommandResult& result) -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(*result.mutable_session(),
                              MustReadSession(written, session_id));
    return absl::OkStatus();
  };
}

// A read_back that answers a scan with the session's counts as the event
// left them (SessionLineOf), and the use the scan recorded when `use_seq`
// is not 0: not the whole session, whose every use a scan reply would
// otherwise carry (ScanConsumableResponse.summary).
auto ScanReply(std::string session_id, uint64_t use_seq) {
  return [session_id = std::move(session_id), use_seq](
             const storage::Reader& written,
             v1::CommandResult& result) -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(v1::Session session,
                              MustReadSession(written, session_id));
    v1::ScanConsumableResponse* scan = result.mutable_scan();
    *scan->mutable_summary() = SessionLineOf(session);
    if (use_seq == 0) return absl::OkStatus();
    for (v1::ConsumableUse& use : *session.mutable_consumables()) {
      if (use.seq() == use_seq) *scan->mutable_use() = std::move(use);
    }
    if (!scan->has_use()) {
      return absl::DataLossError(absl::StrCat(
          "session ", session_id, " does not list its scan ", use_seq));
    }
    return absl::OkStatus();
  };
}

absl::Status MustBeOpen(const v1::Session& s) {
  if (s.status() == v1::SESSION_STATUS_OPEN) return absl::OkStatus();
  return Refusal(
      "session_not_open",
      absl::StrCat("session ", s.session_id(), " is ",
                   s.status() == v1::SESSION_STATUS_CLOSED ? "closed and sealed"
                                                           : "aborted",
                   "; nothing more can be recorded on it"));
}

absl::StatusOr<v1::Location> MustLocation(const DecisionContext& ctx,
                                          const std::string& id,
                                          std::string_view field) {
  return MustReadLocation(ctx.state, id, field);
}

uint64_t LocationNumber(const std::string& id) {
  auto n = domain::ParseId(IdKind::kLocation, id, "location_id");
  return n.ok() ? *n : 0;
}

// Where in-stock units of a lot are, other than `here`: "LOC-000002 (Stock
// room): 12".
absl::StatusOr<std::string> StockElsewhere(const DecisionContext& ctx,
                                           const v1::Lot& lot, uint64_t here) {
  std::vector<std::string> places;
  SMPTRACE_ASSIGN_OR_RETURN(
      auto lines,
      LotStock(ctx.state, lot.gtin(), lot.lot(), Today(ctx.now, ctx.zone)));
  for (const v1::StockLine& line : lines) {
    if (line.in_stock() > 0 && LocationNumber(line.location_id()) != here) {
      places.push_back(absl::StrCat(line.location_id(), " (",
                                    line.location_name(),
                                    "): ", line.in_stock()));
    }
  }
  return absl::StrJoin(places, ", ");
}

// What a scan resolved to.
struct ScanTarget {
  v1::Product product;
  v1::Lot lot;
  v1::Unit unit;
};

// Builds the decisions of ScanConsumable: each path ends in Accept, Refuse
// (recorded) or an error (not recorded).
class ScanDecider {
 public:
  ScanDecider(const DecisionContext& ctx, const v1::ScanConsumableRequest& r,
              const v1::ResolvedScan& scan, v1::Session session)
      : ctx_(ctx),
        r_(r),
        scan_(scan),
        session_(std::move(session)),
        today_(Today(ctx.now, ctx.zone)),
        here_(LocationNumber(session_.location_id())) {}

  absl::StatusOr<Decision> Decide() {
    SMPTRACE_ASSIGN_OR_RETURN(auto product,
                              ReadProduct(ctx_.state, scan_.gtin()));
    if (!product.has_value()) {
      return Refuse("unknown_item",
                    absl::StrCat("unknown item: GTIN ", scan_.gtin(),
                                 " is not in the catalogue"));
    }
    target_.product = *std::move(product);
    const bool pigment = target_.product.kind() == v1::PRODUCT_KIND_PIGMENT;
    SMPTRACE_ASSIGN_OR_RETURN(std::optional<Decision> found, FindUnit(pigment));
    if (found.has_value()) return *std::move(found);
    found = CheckEarlierUse(pigment);
    if (found.has_value()) return *std::move(found);
    SMPTRACE_ASSIGN_OR_RETURN(found, CheckLot());
    if (found.has_value()) return *std::move(found);
    SMPTRACE_ASSIGN_OR_RETURN(found, CheckUnit(pigment));
    if (found.has_value()) return *std::move(found);
    if (r_.package_damaged() &&
        target_.unit.state() == v1::UNIT_STATE_IN_STOCK) {
      return Damaged();
    }
    if (pigment && ctx_.consent != nullptr) {
      const absl::Status disclosed =
          CheckInkDisclosed(session_, target_.product, target_.lot.lot(),
                            ctx_.consent->ink_disclosure_required);
      if (!disclosed.ok()) {
        return Refuse("ink_disclosure_missing",
                      std::string(disclosed.message()));
      }
    }
    return Accept(pigment);
  }

 private:
  std::string Name() const {
    return absl::StrCat(target_.product.name(), " lot ", target_.lot.lot());
  }

  // A refusal that is itself journaled on the session.
  Decision Refuse(std::string_view reason, const std::string& message,
                  bool reuse_attempt = false) {
    Decision d;
    v1::ScanRefused* event = d.event.mutable_scan_refused();
    event->set_session_id(session_.session_id());
    event->set_reuse_attempt(reuse_attempt);
    v1::RefusedScan* refused = event->mutable_refused();
    refused->set_seq(ctx_.seq);
    refused->set_barcode(r_.barcode());
    refused->set_gtin(scan_.gtin());
    refused->set_serial(target_.unit.serial().empty() ? scan_.serial()
                                                      : target_.unit.serial());
    refused->set_lot(scan_.lot());
    refused->set_reason(std::string(reason));
    refused->set_message(message);
    *refused->mutable_at() = ToProto(ctx_.now);
    refused->set_by(std::string(ctx_.actor));
    d.refusal = Refusal(ToAbsl(reason), message);
    return d;
  }

  absl::StatusOr<v1::Unit> Unit(const std::string& serial) {
    SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                              ReadUnit(ctx_.state, scan_.gtin(), serial));
    if (!unit.has_value()) {
      return absl::DataLossError(absl::StrCat("index lists ",
                                              UnitLabel(scan_.gtin(), serial),
                                              " but it has no record"));
    }
    return *std::move(unit);
  }

  // Finds the unit: by serial, else an open bottle or an in-stock unit of
  // the lot here.
  absl::StatusOr<std::optional<Decision>> FindUnit(bool pigment) {
    if (!scan_.serial().empty()) {
      SMPTRACE_ASSIGN_OR_RETURN(
          auto unit, ReadUnit(ctx_.state, scan_.gtin(), scan_.serial()));
      if (!unit.has_value()) {
        return Refuse(
            "unknown_item",
            absl::StrCat(
                "unknown item: ", UnitLabel(scan_.gtin(), scan_.serial()), " (",
                target_.product.name(), ") was never received"));
      }
      target_.unit = *std::move(unit);
    } else if (scan_.lot().empty()) {
      return Refuse("unknown_item",
                    absl::StrCat(target_.product.name(),
                                 ": the barcode names no lot or serial; scan "
                                 "the unit's own label"));
    } else {
      SMPTRACE_ASSIGN_OR_RETURN(auto lot,
                                ReadLot(ctx_.state, scan_.gtin(), scan_.lot()));
      if (!lot.has_value()) {
        return Refuse(
            "unknown_item",
            absl::StrCat("unknown item: lot ", scan_.lot(), " of ",
                         target_.product.name(), " was never received"));
      }
      std::vector<std::string> serials;
      if (pigment) {
        SMPTRACE_ASSIGN_OR_RETURN(
            serials,
            AwaitingDisposal(ctx_.state, scan_.gtin(), scan_.lot(), here_, 1));
      }
      if (serials.empty()) {
        SMPTRACE_ASSIGN_OR_RETURN(
            serials,
            InStockSerials(ctx_.state, scan_.gtin(), scan_.lot(), here_, 1));
      }
      if (serials.empty()) {
        target_.lot = *lot;
        SMPTRACE_ASSIGN_OR_RETURN(std::string elsewhere,
                                  StockElsewhere(ctx_, *lot, here_));
        if (!elsewhere.empty()) {
          SMPTRACE_ASSIGN_OR_RETURN(
              const std::string room,
              LocationLabel(ctx_.state, session_.location_id()));
          return Refuse("unit_elsewhere",
                        absl::StrCat(Name(), ": none in stock at ", room,
                                     "; in stock at ", elsewhere,
                                     ": transfer it here first"));
        }
        return Refuse("not_in_stock",
                      absl::StrCat(Name(),
                                   ": no unit is in stock (all opened, "
                                   "disposed or discarded)"));
      }
      SMPTRACE_ASSIGN_OR_RETURN(target_.unit, Unit(serials[0]));
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        auto lot, ReadLot(ctx_.state, target_.unit.gtin(), target_.unit.lot()));
    if (!lot.has_value()) {
      return absl::DataLossError(absl::StrCat(
          UnitLabel(target_.unit.gtin(), target_.unit.serial()),
          " belongs to lot ", target_.unit.lot(), " which has no record"));
    }
    target_.lot = *std::move(lot);
    return std::nullopt;
  }

  absl::StatusOr<std::optional<Decision>> CheckLot() {
    const v1::Lot& lot = target_.lot;
    if (lot.status() == v1::LOT_STATUS_RECALLED) {
      return Refuse("lot_recalled",
                    absl::StrCat(Name(), " is recalled (notice ",
                                 lot.recall().reference(),
                                 "): do not use it; set it aside"));
    }
    if (lot.status() == v1::LOT_STATUS_QUARANTINED) {
      return Refuse(
          "lot_quarantined",
          absl::StrCat(Name(), " is quarantined (", lot.status_reason(),
                       "): do not use it until it is released"));
    }
    if (IsExpired(lot.expiry(), today_)) {
      return Refuse("expired", absl::StrCat(Name(), " expired on ",
                                            FormatDate(lot.expiry()),
                                            ": do not use it; discard it"));
    }
    return std::nullopt;
  }

  // The one place that decides whether a unit was used up before (a
  // single-use unit opened or disposed, a bottle disposed), whatever its
  // lot's status is now. Scanned again into the session that
  // holds it (a scanner's double read, a re-scan after a lost answer): the
  // same use, answered as the first scan was, and nothing is recorded (not
  // even for a new request id: a retry of it is decided again from the same
  // state). Used anywhere else: a reuse attempt, recorded as an exception.
  // A use this session voided does not hold the unit: voided as opened, the
  // unit is spent and scanning it again is a reuse attempt too; voided as not
  // opened, it went back to stock and a scan of it is a new use.
  std::optional<Decision> CheckEarlierUse(bool pigment) {
    const v1::Unit& unit = target_.unit;
    const bool used_up = unit.state() == v1::UNIT_STATE_DISPOSED ||
                         (unit.state() == v1::UNIT_STATE_OPENED && !pigment);
    if (!used_up) return std::nullopt;
    for (const v1::ConsumableUse& use : session_.consumables()) {
      if (use.gtin() == unit.gtin() && use.serial() == unit.serial() &&
          !use.voided()) {
        Decision d;  // no event: nothing to record
        v1::ScanConsumableResponse* result = d.result.mutable_scan();
        *result->mutable_use() = use;
        *result->mutable_summary() = SessionLineOf(session_);
        return d;
      }
    }
    const std::string label = UnitLabel(unit.gtin(), unit.serial());
    if (unit.state() == v1::UNIT_STATE_DISPOSED) {
      return Refuse(
          "unit_already_used",
          absl::StrCat(label, " (", Name(),
                       ") was already used and disposed into ",
                       unit.container_id(), ": single-use, never reuse it"),
          /*reuse_attempt=*/true);
    }
    return Refuse(
        "unit_already_used",
        absl::StrCat(label, " (", Name(), ") was already opened",
                     unit.session_id().empty()
                         ? std::string()
                         : absl::StrCat(" in session ", unit.session_id()),
                     ": single-use, never reuse it"),
        /*reuse_attempt=*/true);
  }

  // The unit's own state once CheckEarlierUse() has passed it: where it is,
  // an open bottle's period after opening, a discard.
  absl::StatusOr<std::optional<Decision>> CheckUnit(bool pigment) {
    const v1::Unit& unit = target_.unit;
    const std::string label = UnitLabel(unit.gtin(), unit.serial());
    switch (unit.state()) {
      case v1::UNIT_STATE_IN_STOCK:
        if (LocationNumber(unit.location_id()) != here_) {
          SMPTRACE_ASSIGN_OR_RETURN(
              const std::string at,
              LocationLabel(ctx_.state, unit.location_id()));
          SMPTRACE_ASSIGN_OR_RETURN(
              const std::string room,
              LocationLabel(ctx_.state, session_.location_id()));
          return Refuse(
              "unit_elsewhere",
              absl::StrCat(label, " (", Name(), ") is in stock at ", at,
                           ", not at ", room, ": transfer it here first"));
        }
        return std::nullopt;
      case v1::UNIT_STATE_OPENED:
        if (pigment) {
          if (IsSet(unit.usable_until()) &&
              ToCivilDay(unit.usable_until()) < today_) {
            return Refuse(
                "pao_exceeded",
                absl::StrCat(
                    label, " (", Name(), ") was opened on ",
                    absl::FormatTime("%Y-%m-%d", FromProto(unit.opened_at()),
                                     ctx_.zone),
                    " and was usable until ", FormatDate(unit.usable_until()),
                    " (period after opening ", target_.product.pao_days(),
                    " days): discard it"));
          }
          return std::nullopt;
        }
        return std::nullopt;  // decided by CheckEarlierUse()
      case v1::UNIT_STATE_DISPOSED:
        return std::nullopt;  // decided by CheckEarlierUse()
      case v1::UNIT_STATE_DISCARDED:
        return Refuse(
            "unit_discarded",
            absl::StrCat(label, " (", Name(), ") was discarded (",
                         v1::DiscardReason_Name(unit.discard_reason()),
                         "): do not use it"));
      case v1::UNIT_STATE_UNSPECIFIED:
      case v1::UnitState_INT_MIN_SENTINEL_DO_NOT_USE_:
      case v1::UnitState_INT_MAX_SENTINEL_DO_NOT_USE_:
        break;
    }
    return absl::DataLossError(absl::StrCat(label, " has no state"));
  }

  Decision Damaged() {
    Decision d;
    v1::PackageDamaged* event = d.event.mutable_package_damaged();
    event->set_session_id(session_.session_id());
    event->mutable_unit()->set_gtin(target_.unit.gtin());
    event->mutable_unit()->set_serial(target_.unit.serial());
    event->set_barcode(r_.barcode());
    v1::ScanConsumableResponse* result = d.result.mutable_scan();
    result->set_discarded(true);
    v1::RefusedScan refused;
    refused.set_seq(ctx_.seq);
    refused.set_barcode(r_.barcode());
    refused.set_gtin(target_.unit.gtin());
    refused.set_serial(target_.unit.serial());
    refused.set_lot(target_.unit.lot());
    refused.set_reason("package_damaged");
    refused.set_message(
        absl::StrCat(UnitLabel(target_.unit.gtin(), target_.unit.serial()),
                     " (", Name(), "): package damaged, discarded unused"));
    *refused.mutable_at() = ToProto(ctx_.now);
    refused.set_by(std::string(ctx_.actor));
    // An exception, not only a refused scan: the sterile barrier failed
    // before use. The auditor sees every such package of a period (and of a
    // lot) and takes it up with the supplier; the record shows that the
    // unit was set aside, not used on the client.
    v1::SessionException* exception = event->mutable_exception();
    exception->set_kind("package_damaged");
    exception->set_detail(refused.message());
    exception->set_seq(ctx_.seq);
    *event->mutable_record() = std::move(refused);
    d.read_back = ScanReply(session_.session_id(), /*use_seq=*/0);
    return d;
  }

  // FEFO: an earlier-expiring usable lot of the product in stock here.
  absl::StatusOr<std::string> FefoAdvice() {
    const v1::Lot& lot = target_.lot;
    if (!IsSet(lot.expiry())) return std::string();
    const uint64_t mine = DateKey(lot.expiry(), keys::kNoExpiry);
    const std::string prefix = keys::StockByLocationPrefix(here_, lot.gtin());
    std::string advice;
    SMPTRACE_RETURN_IF_ERROR(ctx_.state.Scan(
        storage::Cf::kIndex, prefix, keys::PrefixEnd(prefix),
        [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
          SMPTRACE_ASSIGN_OR_RETURN(auto entry,
                                    keys::DecodeStockByLocationKey(key));
          if (entry.expiry >= mine) return false;
          SMPTRACE_ASSIGN_OR_RETURN(
              auto other, ReadLot(ctx_.state, entry.lot.gtin, entry.lot.lot));
          SMPTRACE_ASSIGN_OR_RETURN(auto counts,
                                    ReadStockCounts(ctx_.state, entry.lot.gtin,
                                                    entry.lot.lot, here_));
          if (!other.has_value()) return false;
          const v1::Lot& o = *other;
          if (counts.in_stock() > 0 && o.status() == v1::LOT_STATUS_RELEASED &&
              !IsExpired(o.expiry(), today_)) {
            advice =
                absl::StrCat("FEFO: lot ", o.lot(), " expires sooner (",
                             FormatDate(o.expiry()), ") and has ",
                             counts.in_stock(), " in stock here; use it first");
            return false;
          }
          return true;
        }));
    return advice;
  }

  absl::StatusOr<Decision> Accept(bool pigment) {
    const v1::Unit& unit = target_.unit;
    const v1::Lot& lot = target_.lot;
    Decision d;
    v1::ConsumableScanned* event = d.event.mutable_consumable_scanned();
    event->set_session_id(session_.session_id());
    v1::ConsumableUse* use = event->mutable_use();
    use->set_seq(ctx_.seq);
    use->set_gtin(unit.gtin());
    use->set_serial(unit.serial());
    use->set_product_name(target_.product.name());
    use->set_kind(target_.product.kind());
    use->set_lot(lot.lot());
    *use->mutable_expiry() = lot.expiry();
    *use->mutable_sterilization() = lot.sterilization();
    *use->mutable_scanned_at() = ToProto(ctx_.now);
    use->set_scanned_by(std::string(ctx_.actor));
    use->set_barcode(r_.barcode());
    use->set_single_use(target_.product.single_use() && !pigment);
    use->add_checks("lot released");
    if (IsSet(lot.expiry())) {
      use->add_checks(absl::StrCat("expires ", FormatDate(lot.expiry()), " (",
                                   ToCivilDay(lot.expiry()) - today_,
                                   " days left)"));
    } else {
      use->add_checks("no expiry date");
    }
    if (pigment) {
      use->set_pigment_draw(true);
      if (unit.state() == v1::UNIT_STATE_IN_STOCK) {
        event->set_opened_bottle(true);
        use->set_opened_bottle(true);
        v1::Date until = ToProto(today_ + target_.product.pao_days());
        if (IsSet(lot.expiry()) &&
            DateKey(lot.expiry(), 0) < DateKey(until, 0)) {
          until = lot.expiry();
        }
        *use->mutable_usable_until() = until;
        use->add_checks(absl::StrCat("bottle opened now, usable until ",
                                     FormatDate(until)));
      } else {
        *use->mutable_usable_until() = unit.usable_until();
        use->add_checks(absl::StrCat("bottle open, usable until ",
                                     FormatDate(unit.usable_until())));
      }
    } else {
      use->add_checks(absl::StrCat("unit in stock at ", unit.location_id(),
                                   ", never used"));
    }
    use->add_checks("package intact (attested)");
    SMPTRACE_ASSIGN_OR_RETURN(std::string advice, FefoAdvice());
    use->set_advisory(advice);

    d.result.mutable_scan();  // the use and the counts: read back
    d.read_back = ScanReply(session_.session_id(), ctx_.seq);
    return d;
  }

  const DecisionContext& ctx_;
  const v1::ScanConsumableRequest& r_;
  const v1::ResolvedScan& scan_;
  v1::Session session_;
  const absl::CivilDay today_;
  const uint64_t here_;
  ScanTarget target_;
};

// A person a request names (who performs a session, who approves an
// override): on a secured server (the caller is a principal) always the
// signed-in principal, and a different name given is refused, never
// recorded; without authentication (--insecure_dev) the name given, which
// is then required.
struct Person {
  // The principal's name, or the name given.
  std::string principal;
  // The principal's display name (its name when it has none), or the name
  // given.
  std::string display;
  bool signed_in = false;
};

// `who` says what the name is for ("who performs the procedure");
// `recorded_as` what a signed-in caller is recorded as ("the session is
// recorded as performed by the signed-in practitioner").
absl::StatusOr<Person> PersonOf(const DecisionContext& ctx,
                                const std::string& given,
                                std::string_view field, std::string_view who,
                                std::string_view recorded_as) {
  SMPTRACE_ASSIGN_OR_RETURN(auto principal,
                            ReadPrincipal(ctx.state, ctx.actor));
  if (!principal.has_value()) {
    if (domain::IsBlank(given)) {
      return absl::InvalidArgumentError(
          absl::StrCat(ToAbsl(field), ": required (", ToAbsl(who), ")"));
    }
    return Person{given, given, false};
  }
  const std::string& name = principal->display_name().empty()
                                ? principal->name()
                                : principal->display_name();
  if (!given.empty() && given != name && given != principal->name()) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(field), ": ", ToAbsl(recorded_as), ", ", name, " (",
                     principal->name(), "), not '", given,
                     "': leave it out, or sign in as ", given));
  }
  return Person{principal->name(), name, true};
}

// The manager's approval a BLOCKED screening proceeds with, checked for
// this client and this caller; the override the session records.
absl::StatusOr<v1::ScreeningOverride> UseOverrideApproval(
    const DecisionContext& ctx, const std::string& id, const v1::Client& client,
    bool caller_signed_in) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n,
      domain::ParseId(IdKind::kOverrideApproval, id, "override_approval_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto approval, ReadOverrideApproval(ctx.state, n));
  if (!approval.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("override_approval_id: screening override approval ", id,
                     " does not exist"));
  }
  const std::string& a = approval->approval_id();
  if (approval->client_id() != client.client_id()) {
    return Refusal(
        "override_approval_other_client",
        absl::StrCat("approval ", a, " is for client ", approval->client_code(),
                     ", not ", client.code(),
                     ": ask a manager to approve this client's screening"));
  }
  if (!approval->session_id().empty()) {
    return Refusal("override_approval_used",
                   absl::StrCat("approval ", a, " was already used by session ",
                                approval->session_id(),
                                ": an approval is for one session; ask a "
                                "manager for a new one"));
  }
  if (ctx.now >= FromProto(approval->expires_at())) {
    return Refusal(
        "override_approval_expired",
        absl::StrCat(
            "approval ", a, " expired at ",
            absl::FormatTime("%Y-%m-%d %H:%M %Ez",
                             FromProto(approval->expires_at()), ctx.zone),
            " (an approval is valid for ",
            absl::FormatDuration(kOverrideApprovalValidity),
            "): ask a manager for a new one"));
  }
  if (caller_signed_in && !approval->manager_signed_in()) {
    return Refusal("override_approval_not_signed_in",
                   absl::StrCat("approval ", a,
                                " was given without sign-in (on a development "
                                "server): ask a manager to approve it signed "
                                "in as themselves"));
  }
  v1::ScreeningOverride o;
  o.set_manager(approval->manager());
  o.set_reason(approval->reason());
  o.set_approval_id(a);
  o.set_approval_seq(approval->seq());
  *o.mutable_approved_at() = approval->approved_at();
  o.set_manager_signed_in(approval->manager_signed_in());
  return o;
}

// A procedure happens in a treatment room: the record names where the
// client was treated, and the room's stock is what the scans draw from.
absl::Status MustBeRoom(const v1::Location& location) {
  std::string_view kind = "location of no kind";
  switch (location.kind()) {
    case v1::LOCATION_KIND_ROOM:
      return absl::OkStatus();
    case v1::LOCATION_KIND_STORE:
      kind = "store";
      break;
    case v1::LOCATION_KIND_CLINIC:
      kind = "clinic";
      break;
    case v1::LOCATION_KIND_UNSPECIFIED:
    case v1::LocationKind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::LocationKind_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "location_id: ", location.location_id(), " (", location.name(), ") is a ",
      ToAbsl(kind),
      ", not a treatment room: start the session in the room where the "
      "procedure happens (smptrace location list shows the rooms)"));
}

}  // namespace

absl::StatusOr<Decision> DecideApproveScreeningOverride(
    const DecisionContext& ctx, const v1::ApproveScreeningOverrideRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      Person manager,
      PersonOf(ctx, r.manager(), "manager",
               "the approving manager's name, on a server without sign-in",
               "the approval is recorded as given by the signed-in manager"));
  SMPTRACE_ASSIGN_OR_RETURN(auto client, FindClient(ctx.state, r.client()));
  if (!client.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "client: no client has the id or code '", r.client(), "'"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last,
                            LastNumber(ctx.state, StateTag::kOverrideApproval));
  Decision d;
  v1::ScreeningOverrideApproval* a =
      d.event.mutable_screening_override_approved()->mutable_approval();
  a->set_approval_id(domain::FormatId(IdKind::kOverrideApproval, last + 1));
  a->set_client_id(client->client_id());
  a->set_client_code(client->code());
  a->set_manager(manager.principal);
  a->set_manager_signed_in(manager.signed_in);
  a->set_reason(r.reason());
  *a->mutable_approved_at() = ToProto(ctx.now);
  *a->mutable_expires_at() = ToProto(ctx.now + kOverrideApprovalValidity);
  a->set_seq(ctx.seq);
  *d.result.mutable_screening_override_approval() = *a;
  return d;
}

absl::StatusOr<Decision> DecideStartSession(const DecisionContext& ctx,
                                            const v1::StartSessionRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      Person practitioner,
      PersonOf(ctx, r.practitioner(), "practitioner",
               "who performs the procedure",
               "the session is recorded as performed by the signed-in "
               "practitioner"));
  SMPTRACE_ASSIGN_OR_RETURN(auto client, FindClient(ctx.state, r.client()));
  if (!client.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "client: no client has the id or code '", r.client(), "'"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(v1::Location location,
                            MustLocation(ctx, r.location_id(), "location_id"));
  SMPTRACE_RETURN_IF_ERROR(MustBeRoom(location));
  if (ctx.consent != nullptr) {
    SMPTRACE_RETURN_IF_ERROR(
        CheckConsentForSession(ctx.state, *client, *ctx.consent));
  }
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t client_number,
      domain::ParseId(IdKind::kClient, client->client_id(), "client"));
  SMPTRACE_ASSIGN_OR_RETURN(auto previous,
                            LastSessionOfClient(ctx.state, client_number));
  const absl::CivilDay today = Today(ctx.now, ctx.zone);
  std::optional<absl::CivilDay> previous_day;
  if (previous.has_value()) {
    previous_day =
        absl::ToCivilDay(FromProto(previous->started_at()), ctx.zone);
  }
  const domain::ScreeningPolicy default_policy;
  const domain::ScreeningResult result = domain::EvaluateScreening(
      FromProto(r.answers()),
      ctx.screening != nullptr ? *ctx.screening : default_policy, today,
      previous_day, FromProto(r.plan_step()));
  v1::Screening screening = ToProto(r.answers(), result);
  if (result.verdict == domain::ScreeningVerdict::kBlocked) {
    if (r.override_approval_id().empty()) {
      std::vector<std::string> why;
      for (const auto& f : screening.findings()) {
        if (f.verdict() == v1::SCREENING_VERDICT_BLOCKED)
          why.push_back(f.message());
      }
      return Refusal(
          "screening_blocked",
          absl::StrCat("screening BLOCKED: ", absl::StrJoin(why, "; "),
                       ". Proceed only with a manager's approval: a manager "
                       "approves it signed in as themselves, then start "
                       "again with the approval's id"));
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        *screening.mutable_override(),
        UseOverrideApproval(ctx, r.override_approval_id(), *client,
                            practitioner.signed_in));
  }
  // The answers and findings are health data: sealed with the client's key
  // (the verdict, aftercare and override stay readable for the record).
  SMPTRACE_ASSIGN_OR_RETURN(const PersonalData* personal,
                            RequirePersonalData(ctx));
  v1::Screening health;
  *health.mutable_answers() = screening.answers();
  *health.mutable_findings() = screening.findings();
  SMPTRACE_ASSIGN_OR_RETURN(*screening.mutable_sealed(),
                            personal->Seal(ctx.state, client->client_id(),
                                           PersonalKind::kScreening, health));
  screening.clear_answers();
  screening.clear_findings();
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last,
                            LastNumber(ctx.state, StateTag::kSession));
  Decision d;
  v1::Session* s = d.event.mutable_session_started()->mutable_session();
  s->set_session_id(domain::FormatId(IdKind::kSession, last + 1));
  s->set_client_id(client->client_id());
  s->set_client_code(client->code());
  s->set_practitioner(practitioner.display);
  s->set_location_id(location.location_id());
  s->set_plan_step(r.plan_step());
  s->set_treatment_area(r.treatment_area());
  *s->mutable_screening() = std::move(screening);
  s->set_status(v1::SESSION_STATUS_OPEN);
  *s->mutable_started_at() = ToProto(ctx.now);
  s->set_started_seq(ctx.seq);
  if (s->screening().has_override()) {
    const v1::ScreeningOverride& o = s->screening().override();
    v1::SessionException* e = s->add_exceptions();
    e->set_kind("screening_override");
    e->set_detail(
        absl::StrCat("screening BLOCKED, approved by manager ", o.manager(),
                     o.manager_signed_in() ? " (signed in" : " (not signed in",
                     ", approval ", o.approval_id(), "): ", o.reason()));
    e->set_seq(ctx.seq);
  }
  *d.result.mutable_session() = *s;
  return d;
}

absl::StatusOr<Decision> DecideScanConsumable(
    const DecisionContext& ctx, const v1::ScanConsumableRequest& r,
    const v1::ResolvedScan& scan) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Session session,
                            MustSession(ctx, r.session_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeOpen(session));
  SMPTRACE_ASSIGN_OR_RETURN(
      Decision d, ScanDecider(ctx, r, scan, std::move(session)).Decide());
  if (d.result.has_scan()) {
    *d.result.mutable_scan()->mutable_other_elements() = scan.other_elements();
  }
  return d;
}

absl::StatusOr<Decision> DecideOpenPigmentBottle(
    const DecisionContext& ctx, const v1::OpenPigmentBottleRequest& r,
    const v1::ResolvedScan& scan) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Location location,
                            MustLocation(ctx, r.location_id(), "location_id"));
  const uint64_t here = LocationNumber(location.location_id());
  SMPTRACE_ASSIGN_OR_RETURN(auto product, ReadProduct(ctx.state, scan.gtin()));
  if (!product.has_value()) {
    return absl::NotFoundError(absl::StrCat("barcode: GTIN ", scan.gtin(),
                                            " is not in the catalogue"));
  }
  if (product->kind() != v1::PRODUCT_KIND_PIGMENT) {
    return absl::InvalidArgumentError(
        absl::StrCat("barcode: ", product->name(),
                     " is not a pigment; scan it into a "
                     "session instead"));
  }
  std::string serial = scan.serial();
  if (serial.empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        auto serials,
        InStockSerials(ctx.state, scan.gtin(), scan.lot(), here, 1));
    if (serials.empty()) {
      return Refusal(
          "not_in_stock",
          absl::StrCat(product->name(), " lot ", scan.lot(),
                       ": no bottle in stock at ", location.location_id()));
    }
    serial = serials[0];
  }
  SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                            ReadUnit(ctx.state, scan.gtin(), serial));
  if (!unit.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "barcode: ", UnitLabel(scan.gtin(), serial), " was never received"));
  }
  const std::string label =
      absl::StrCat(UnitLabel(unit->gtin(), unit->serial()), " (",
                   product->name(), " lot ", unit->lot(), ")");
  if (unit->state() != v1::UNIT_STATE_IN_STOCK) {
    return Refusal("bottle_not_in_stock",
                   absl::StrCat(label, " is ", UnitStateWord(unit->state()),
                                ", not in stock: a bottle is opened once"));
  }
  if (LocationNumber(unit->location_id()) != here) {
    return Refusal("unit_elsewhere",
                   absl::StrCat(label, " is in stock at ", unit->location_id(),
                                ", not at ", location.location_id()));
  }
  SMPTRACE_ASSIGN_OR_RETURN(auto lot,
                            ReadLot(ctx.state, unit->gtin(), unit->lot()));
  const absl::CivilDay today = Today(ctx.now, ctx.zone);
  if (lot->status() == v1::LOT_STATUS_RECALLED) {
    return Refusal("lot_recalled",
                   absl::StrCat(label, ": the lot is recalled (notice ",
                                lot->recall().reference(), ")"));
  }
  if (lot->status() == v1::LOT_STATUS_QUARANTINED) {
    return Refusal("lot_quarantined",
                   absl::StrCat(label, ": the lot is quarantined"));
  }
  if (IsExpired(lot->expiry(), today)) {
    return Refusal("expired", absl::StrCat(label, " expired on ",
                                           FormatDate(lot->expiry())));
  }
  v1::Date until = ToProto(today + product->pao_days());
  if (IsSet(lot->expiry()) && DateKey(lot->expiry(), 0) < DateKey(until, 0)) {
    until = lot->expiry();
  }
  Decision d;
  v1::BottleOpened* event = d.event.mutable_bottle_opened();
  event->mutable_unit()->set_gtin(unit->gtin());
  event->mutable_unit()->set_serial(unit->serial());
  *event->mutable_usable_until() = until;
  d.read_back = [ref = event->unit()](const storage::Reader& written,
                                      v1::CommandResult& result) {
    SMPTRACE_ASSIGN_OR_RETURN(*result.mutable_unit(),
                              MustReadUnit(written, ref));
    return absl::OkStatus();
  };
  return d;
}

absl::StatusOr<Decision> DecideVoidScan(const DecisionContext& ctx,
                                        const v1::VoidScanRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Session session,
                            MustSession(ctx, r.session_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeOpen(session));
  auto it = std::find_if(
      session.consumables().begin(), session.consumables().end(),
      [&](const v1::ConsumableUse& u) { return u.seq() == r.scan_seq(); });
  if (it == session.consumables().end()) {
    return absl::NotFoundError(absl::StrCat(
        "scan_seq: session ", r.session_id(), " has no scan ", r.scan_seq()));
  }
  if (it->voided()) {
    return Refusal(
        "scan_already_voided",
        absl::StrCat("scan ", r.scan_seq(), " of session ", r.session_id(),
                     " is already voided (", it->void_reason(), ")"));
  }
  if (r.package() == v1::VOIDED_PACKAGE_NOT_OPENED) {
    const std::string label =
        absl::StrCat("scan ", r.scan_seq(), " (", it->product_name(), " lot ",
                     it->lot(), " serial ", it->serial(), ")");
    if (it->pigment_draw()) {
      return Refusal("void_package_mismatch",
                     absl::StrCat(label,
                                  " drew from a pigment bottle, which stays "
                                  "open once opened: void it with package "
                                  "OPENED"));
    }
    SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                              ReadUnit(ctx.state, it->gtin(), it->serial()));
    if (!unit.has_value() || unit->state() != v1::UNIT_STATE_OPENED) {
      return Refusal(
          "void_package_mismatch",
          absl::StrCat(
              label, " is ",
              unit.has_value() ? UnitStateWord(unit->state()) : "unknown",
              unit.has_value() && !unit->container_id().empty()
                  ? absl::StrCat(" into ", unit->container_id())
                  : std::string(),
              ": it was opened; void it with package OPENED"));
    }
  }
  Decision d;
  v1::ScanVoided* event = d.event.mutable_scan_voided();
  event->set_session_id(session.session_id());
  event->set_scan_seq(r.scan_seq());
  event->set_reason(r.reason());
  event->set_package(r.package());
  d.read_back = SessionReply(session.session_id());
  return d;
}

namespace {

// What the client's certificate will say (certificate.proto): the session's
// uses not voided, one line per product and lot in the order first scanned.
v1::SessionCertificate CertificateOf(const v1::Session& session,
                                     absl::TimeZone zone) {
  v1::SessionCertificate c;
  c.set_client_code(session.client_code());
  c.set_practitioner(session.practitioner());
  c.set_treatment_area(session.treatment_area());
  *c.mutable_started_at() = session.started_at();
  c.set_utc_offset_minutes(zone.At(FromProto(session.started_at())).offset /
                           60);
  for (const v1::ConsumableUse& use : session.consumables()) {
    if (use.voided()) continue;
    auto same = std::find_if(
        c.mutable_materials()->begin(), c.mutable_materials()->end(),
        [&](const v1::CertifiedMaterial& m) {
          return m.gtin() == use.gtin() && m.lot() == use.lot();
        });
    if (same != c.mutable_materials()->end()) {
      same->set_count(std::max<uint32_t>(same->count(), 1) + 1);
      continue;
    }
    v1::CertifiedMaterial* m = c.add_materials();
    m->set_product_name(use.product_name());
    m->set_gtin(use.gtin());
    m->set_lot(use.lot());
    *m->mutable_expiry() = use.expiry();
    m->mutable_sterilization()->set_method(use.sterilization().method());
    m->mutable_sterilization()->set_batch(use.sterilization().batch());
  }
  return c;
}

}  // namespace

absl::StatusOr<Decision> DecideCloseSession(const DecisionContext& ctx,
                                            const v1::CloseSessionRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Session session,
                            MustSession(ctx, r.session_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeOpen(session));
  Decision d;
  v1::SessionClosed* event = d.event.mutable_session_closed();
  event->set_session_id(session.session_id());
  std::vector<std::string> missing;
  for (const v1::ConsumableUse& use : session.consumables()) {
    if (!AwaitsDisposal(use)) continue;
    v1::UnitRef* ref = event->add_undisposed();
    ref->set_gtin(use.gtin());
    ref->set_serial(use.serial());
    missing.push_back(absl::StrCat(use.product_name(), " lot ", use.lot(),
                                   " serial ", use.serial()));
  }
  if (!missing.empty()) {
    if (domain::IsBlank(r.undisposed_reason())) {
      return Refusal(
          "units_not_disposed",
          absl::StrCat("session ", session.session_id(), " has ",
                       missing.size(), " single-use unit(s) not disposed: ",
                       absl::StrJoin(missing, "; "),
                       ". Dispose them into a sharps container, or close with "
                       "a reason (it becomes an exception on the record)"));
    }
    event->set_undisposed_reason(r.undisposed_reason());
  }
  *event->mutable_certificate() = CertificateOf(session, ctx.zone);
  d.read_back = SessionReply(session.session_id());
  return d;
}

absl::StatusOr<Decision> DecideAbortSession(const DecisionContext& ctx,
                                            const v1::AbortSessionRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Session session,
                            MustSession(ctx, r.session_id()));
  SMPTRACE_RETURN_IF_ERROR(MustBeOpen(session));
  Decision d;
  v1::SessionAborted* event = d.event.mutable_session_aborted();
  event->set_session_id(session.session_id());
  event->set_reason(r.reason());
  d.read_back = SessionReply(session.session_id());
  return d;
}

}  // namespace smptrace::ledger
