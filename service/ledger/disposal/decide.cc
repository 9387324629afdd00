#include "service/ledger/disposal/decide.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using keys::StateTag;

uint64_t LocationNumber(const std::string& id) {
  auto n = domain::ParseId(IdKind::kLocation, id, "location_id");
  return n.ok() ? *n : 0;
}

// The serial a lot-only dispose takes: an opened unit of the lot awaiting
// disposal at `location_id`, opened in `session_id` when it is given. Never
// another session's unit: without a session, units of several sessions are
// ambiguous, and the refusal names them.
absl::StatusOr<std::string> LotOnlyDisposal(const DecisionContext& ctx,
                                            const v1::ResolvedScan& scan,
                                            const std::string& location_id,
                                            const std::string& session_id) {
  // Enough to name every candidate in a room; more than a room holds open.
  constexpr int kMaxCandidates = 100;
  SMPTRACE_ASSIGN_OR_RETURN(
      auto serials,
      AwaitingDisposal(ctx.state, scan.gtin(), scan.lot(),
                       LocationNumber(location_id), kMaxCandidates));
  std::vector<v1::Unit> candidates;
  for (const std::string& serial : serials) {
    SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                              ReadUnit(ctx.state, scan.gtin(), serial));
    if (!unit.has_value()) {
      return absl::DataLossError(absl::StrCat("index lists ",
                                              UnitLabel(scan.gtin(), serial),
                                              " but it has no record"));
    }
    candidates.push_back(*std::move(unit));
  }
  auto listed = [&] {
    std::vector<std::string> names;
    for (const v1::Unit& u : candidates) {
      names.push_back(absl::StrCat(
          u.serial(), " (",
          u.session_id().empty() ? "no session" : u.session_id(), ")"));
    }
    return absl::StrJoin(names, ", ");
  };
  const std::string what = absl::StrCat("lot ", scan.lot(), " of ", scan.gtin(),
                                        " at ", location_id);
  if (!session_id.empty()) {
    for (const v1::Unit& u : candidates) {
      if (u.session_id() == session_id) return u.serial();
    }
    return Refusal(
        "unit_not_opened",
        absl::StrCat(
            "no opened unit of ", what, " from session ", session_id,
            " awaits disposal",
            candidates.empty()
                ? std::string()
                : absl::StrCat(" (other sessions' units do: ", listed(),
                               "; scan the serial of the one you "
                               "hold)")));
  }
  if (candidates.empty()) {
    return Refusal("unit_not_opened", absl::StrCat("no opened unit of ", what,
                                                   " awaits disposal"));
  }
  for (const v1::Unit& u : candidates) {
    if (u.session_id() != candidates.front().session_id()) {
      return Refusal(
          "unit_ambiguous",
          absl::StrCat(
              "the barcode names only ", what, ", where ", candidates.size(),
              " opened units of several sessions await disposal: ", listed(),
              ". Give the session being cleaned up, or scan the "
              "unit's serial"));
    }
  }
  return candidates.front().serial();
}

absl::StatusOr<v1::Container> MustContainer(const storage::Reader& state,
                                            const std::string& id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(IdKind::kContainer, id, "container_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto container, ReadContainer(state, n));
  if (!container.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("container_id: sharps container ", id, " does not exist"));
  }
  return *std::move(container);
}

absl::StatusOr<v1::Container> MustContainer(const DecisionContext& ctx,
                                            const std::string& id) {
  return MustContainer(ctx.state, id);
}

// A read_back that answers with the container as the event left it.
auto ContainerReply(std::string container_id) {
  return [container_id = std::move(container_id)](
             const storage::Reader& written,
             v1::CommandResult& result) -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(*result.mutable_container(),
                              MustContainer(written, container_id));
    return absl::OkStatus();
  };
}

}  // namespace

absl::StatusOr<Decision> DecideOpenContainer(
    const DecisionContext& ctx, const v1::OpenContainerRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::Location location,
      MustReadLocation(ctx.state, r.location_id(), "location_id"));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last,
                            LastNumber(ctx.state, StateTag::kContainer));
  Decision d;
  v1::Container* c = d.event.mutable_container_opened()->mutable_container();
  c->set_container_id(domain::FormatId(IdKind::kContainer, last + 1));
  c->set_location_id(location.location_id());
  c->set_label(r.label());
  c->set_status(v1::CONTAINER_STATUS_OPEN);
  *c->mutable_opened_at() = ToProto(ctx.now);
  *d.result.mutable_container() = *c;
  return d;
}

absl::StatusOr<Decision> DecideDispose(const DecisionContext& ctx,
                                       const v1::DisposeRequest& r,
                                       const v1::ResolvedScan& scan) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Container container,
                            MustContainer(ctx, r.container_id()));
  if (container.status() != v1::CONTAINER_STATUS_OPEN) {
    return Refusal("container_not_open",
                   absl::StrCat("sharps container ", container.container_id(),
                                " is sealed; open a new one"));
  }
  if (!r.session_id().empty()) {
    SMPTRACE_RETURN_IF_ERROR(MustExistNumbered(ctx.state, kSessionRecord,
                                               r.session_id(), "session_id"));
  }
  std::string serial = scan.serial();
  if (serial.empty()) {
    if (scan.lot().empty()) {
      return absl::InvalidArgumentError(
          "barcode: names no unit (no serial, AI 21, and no lot, AI 10)");
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        serial,
        LotOnlyDisposal(ctx, scan, container.location_id(), r.session_id()));
  }
  SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                            ReadUnit(ctx.state, scan.gtin(), serial));
  const std::string label = UnitLabel(scan.gtin(), serial);
  if (!unit.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("barcode: ", label, " was never received"));
  }
  if (unit->state() == v1::UNIT_STATE_DISPOSED) {
    return Refusal(
        "unit_already_disposed",
        absl::StrCat(
            label, " was already disposed into ", unit->container_id(), " at ",
            absl::FormatTime("%Y-%m-%d %H:%M", FromProto(unit->disposed_at()),
                             ctx.zone)));
  }
  if (unit->state() != v1::UNIT_STATE_OPENED) {
    return Refusal("unit_not_opened",
                   absl::StrCat(label, " is ", UnitStateWord(unit->state()),
                                ", never opened: only opened units go into a "
                                "sharps container"));
  }
  Decision d;
  v1::UnitDisposed* event = d.event.mutable_unit_disposed();
  event->set_container_id(container.container_id());
  event->mutable_unit()->set_gtin(unit->gtin());
  event->mutable_unit()->set_serial(unit->serial());
  event->set_session_id(unit->session_id());
  d.read_back = [ref = event->unit(), container_id = container.container_id()](
                    const storage::Reader& written,
                    v1::CommandResult& result) -> absl::Status {
    v1::DisposeResponse* dispose = result.mutable_dispose();
    SMPTRACE_ASSIGN_OR_RETURN(*dispose->mutable_unit(),
                              MustReadUnit(written, ref));
    SMPTRACE_ASSIGN_OR_RETURN(*dispose->mutable_container(),
                              MustContainer(written, container_id));
    return absl::OkStatus();
  };
  return d;
}

absl::StatusOr<Decision> DecideSealContainer(
    const DecisionContext& ctx, const v1::SealContainerRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Container container,
                            MustContainer(ctx, r.container_id()));
  if (container.status() != v1::CONTAINER_STATUS_OPEN) {
    return Refusal("container_not_open",
                   absl::StrCat("sharps container ", container.container_id(),
                                " is already sealed"));
  }
  Decision d;
  d.event.mutable_container_sealed()->set_container_id(
      container.container_id());
  d.read_back = ContainerReply(container.container_id());
  return d;
}

absl::StatusOr<Decision> DecidePickUpContainer(
    const DecisionContext& ctx, const v1::PickUpContainerRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Container container,
                            MustContainer(ctx, r.container_id()));
  if (container.status() != v1::CONTAINER_STATUS_SEALED) {
    return Refusal(
        "container_not_sealed",
        absl::StrCat("sharps container ", container.container_id(), " is ",
                     container.status() == v1::CONTAINER_STATUS_OPEN
                         ? "still open: seal it before pick-up"
                         : "already picked up"));
  }
  Decision d;
  v1::ContainerPickedUp* event = d.event.mutable_container_picked_up();
  event->set_container_id(container.container_id());
  event->set_manifest_number(r.manifest_number());
  event->set_hauler(r.hauler());
  d.read_back = ContainerReply(container.container_id());
  return d;
}

}  // namespace smptrace::ledger
