#include "service/ledger/sessions/state.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/ledger/stock/state.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using keys::StateTag;
using storage::Cf;

}  // namespace

absl::StatusOr<std::optional<v1::Session>> ReadSession(
    const storage::Reader& reader, uint64_t session) {
  return ReadNumbered<v1::Session>(reader, kSessionRecord, session);
}

absl::StatusOr<std::optional<v1::Session>> LastSessionOfClient(
    const storage::Reader& reader, uint64_t client) {
  const std::string prefix = keys::SessionByClientPrefix(client);
  std::optional<v1::Session> found;
  SMPTRACE_RETURN_IF_ERROR(reader.ScanReverse(
      Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(
            v1::Session session,
            ReadIndexedSession(reader, keys::DecodeSessionByClientKey(key)));
        if (session.status() == v1::SESSION_STATUS_ABORTED) return true;
        found = std::move(session);
        return false;
      }));
  return found;
}

absl::StatusOr<v1::Session> ReadIndexedSession(
    const storage::Reader& reader, const absl::StatusOr<uint64_t>& session) {
  SMPTRACE_RETURN_IF_ERROR(session.status());
  SMPTRACE_ASSIGN_OR_RETURN(auto found, ReadSession(reader, *session));
  if (!found.has_value()) {
    return absl::DataLossError("indexed session missing");
  }
  return *std::move(found);
}

absl::Status ForEachSessionStarted(
    const storage::Reader& reader, absl::Time from, absl::Time to,
    uint64_t after, const std::function<bool(v1::Session&)>& visit) {
  const auto micros = [](absl::Time t) {
    return static_cast<uint64_t>(std::max<int64_t>(0, absl::ToUnixMicros(t)));
  };
  std::string begin = keys::SessionByTimeFrom(micros(from));
  if (after != 0) {
    SMPTRACE_ASSIGN_OR_RETURN(auto last, ReadSession(reader, after));
    if (!last.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("session ", after, " does not exist"));
    }
    // Just past the last one's own index entry.
    begin = std::max(begin, keys::SessionByTimeKey(
                                micros(FromProto(last->started_at())), after) +
                                std::string(1, '\0'));
  }
  const std::string end =
      to == absl::InfiniteFuture()
          ? keys::PrefixEnd(keys::IndexPrefix(keys::IndexTag::kSessionByTime))
          : keys::SessionByTimeFrom(micros(to));
  if (end <= begin) return absl::OkStatus();
  return reader.Scan(
      Cf::kIndex, begin, end,
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(
            auto session,
            ReadIndexedSession(reader, keys::DecodeSessionByTimeKey(key)));
        return visit(session);
      });
}

v1::SessionLine SessionLineOf(const v1::Session& s) {
  v1::SessionLine line;
  line.set_session_id(s.session_id());
  line.set_client_code(s.client_code());
  line.set_practitioner(s.practitioner());
  line.set_location_id(s.location_id());
  line.set_plan_step(s.plan_step());
  line.set_treatment_area(s.treatment_area());
  line.set_status(s.status());
  line.set_verdict(VerdictOf(s));
  *line.mutable_started_at() = s.started_at();
  if (s.has_ended_at()) *line.mutable_ended_at() = s.ended_at();
  for (const v1::ConsumableUse& use : s.consumables()) {
    if (use.voided()) {
      line.set_voided(line.voided() + 1);
    } else {
      line.set_consumables(line.consumables() + 1);
    }
    if (AwaitsDisposal(use)) {
      line.set_awaiting_disposal(line.awaiting_disposal() + 1);
    }
  }
  line.set_exceptions(s.exceptions_size());
  return line;
}

bool AwaitsDisposal(const v1::ConsumableUse& use) {
  return use.single_use() && !use.pigment_draw() &&
         use.container_id().empty() && !ReturnedToStock(use);
}

bool ReturnedToStock(const v1::ConsumableUse& use) {
  return use.voided() && use.void_package() == v1::VOIDED_PACKAGE_NOT_OPENED;
}

absl::StatusOr<Page<v1::SessionLine>> ListSessions(
    const storage::Reader& reader, const SessionFilter& filter, uint64_t after,
    int limit) {
  Page<v1::SessionLine> page;
  bool more = false;
  SMPTRACE_RETURN_IF_ERROR(ForEachSessionStarted(
      reader, filter.from, filter.to, after, [&](v1::Session& s) {
        if (!filter.location_id.empty() &&
            s.location_id() != filter.location_id) {
          return true;
        }
        if (!filter.practitioner.empty() &&
            s.practitioner() != filter.practitioner) {
          return true;
        }
        if (filter.status != v1::SESSION_STATUS_UNSPECIFIED &&
            s.status() != filter.status) {
          return true;
        }
        if (static_cast<int>(page.items.size()) == limit) {
          more = true;
          return false;
        }
        page.items.push_back(SessionLineOf(s));
        return true;
      }));
  if (more) page.next_after = page.items.back().session_id();
  return page;
}

v1::RecordVerdict VerdictOf(const v1::Session& session) {
  switch (session.status()) {
    case v1::SESSION_STATUS_OPEN:
      return v1::RECORD_VERDICT_OPEN;
    case v1::SESSION_STATUS_ABORTED:
      return v1::RECORD_VERDICT_ABORTED;
    case v1::SESSION_STATUS_CLOSED:
    case v1::SESSION_STATUS_UNSPECIFIED:
    case v1::SessionStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::SessionStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return session.exceptions().empty() ? v1::RECORD_VERDICT_COMPLIANT
                                      : v1::RECORD_VERDICT_EXCEPTIONS;
}

absl::StatusOr<std::optional<v1::ScreeningOverrideApproval>>
ReadOverrideApproval(const storage::Reader& reader, uint64_t approval) {
  return ReadNumbered<v1::ScreeningOverrideApproval>(
      reader, kOverrideApprovalRecord, approval);
}

absl::StatusOr<v1::Session> MustReadSession(const storage::Reader& reader,
                                            const std::string& id) {
  return FindNumbered<v1::Session>(reader, kSessionRecord, id, "session_id");
}

}  // namespace smptrace::ledger
