#include "service/ledger/session_state.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/inventory_state.h"
#include "service/ledger/records.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using keys::StateTag;
using storage::Cf;

template <typename T>
absl::StatusOr<std::optional<T>> ReadNumbered(const storage::Reader& reader,
                                              StateTag tag, uint64_t n,
                                              std::string_view what) {
  return ReadRecord<T>(reader, Cf::kState, keys::NumberedKey(tag, n), what);
}

}  // namespace

absl::StatusOr<std::optional<v1::Client>> ReadClient(
    const storage::Reader& reader, uint64_t client) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto found,
      ReadNumbered<v1::Client>(reader, StateTag::kClient, client, "client"));
  // Registered before clients had versions: that record is version 1.
  if (found.has_value() && found->version() == 0) found->set_version(1);
  return found;
}

absl::StatusOr<std::optional<v1::ClientContact>> ReadClientContact(
    const storage::Reader& reader, uint64_t client) {
  return ReadNumbered<v1::ClientContact>(reader, StateTag::kClientContact,
                                         client, "client contact");
}

absl::StatusOr<std::optional<v1::Client>> FindClient(
    const storage::Reader& reader, std::string_view text) {
  auto id = domain::ParseId(domain::IdKind::kClient, text, "client");
  if (id.ok()) return ReadClient(reader, *id);
  SMPTRACE_ASSIGN_OR_RETURN(
      auto number, reader.Get(Cf::kIndex, keys::ClientByCodeKey(text)));
  if (!number.has_value()) return std::nullopt;
  keys::KeyReader r(*number);
  uint64_t n = 0;
  if (!r.ReadUint64(&n) || !r.done()) {
    return absl::DataLossError(absl::StrCat("client code index entry for '",
                                            ToAbsl(text), "' is damaged"));
  }
  return ReadClient(reader, n);
}

absl::StatusOr<Page<v1::Client>> ListClients(const storage::Reader& reader,
                                             std::string_view code_prefix,
                                             uint64_t after, int limit) {
  const std::string prefix = keys::StatePrefix(StateTag::kClient);
  return ListRecords<v1::Client>(
      reader, keys::NumberedKey(StateTag::kClient, after + 1),
      keys::PrefixEnd(prefix), limit, "client",
      [code_prefix](v1::Client& c) {
        if (c.version() == 0) c.set_version(1);  // as ReadClient
        return absl::StartsWith(c.code(), ToAbsl(code_prefix));
      },
      [](const v1::Client& c) { return c.client_id(); });
}

absl::StatusOr<std::optional<v1::Session>> ReadSession(
    const storage::Reader& reader, uint64_t session) {
  return ReadNumbered<v1::Session>(reader, StateTag::kSession, session,
                                   "session");
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
    if (use.voided()) continue;
    line.set_consumables(line.consumables() + 1);
    if (use.single_use() && !use.pigment_draw() && use.container_id().empty()) {
      line.set_awaiting_disposal(line.awaiting_disposal() + 1);
    }
  }
  line.set_exceptions(s.exceptions_size());
  return line;
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
    default:
      return session.exceptions().empty() ? v1::RECORD_VERDICT_COMPLIANT
                                          : v1::RECORD_VERDICT_EXCEPTIONS;
  }
}

absl::StatusOr<std::optional<v1::ScreeningOverrideApproval>>
ReadOverrideApproval(const storage::Reader& reader, uint64_t approval) {
  return ReadNumbered<v1::ScreeningOverrideApproval>(
      reader, StateTag::kOverrideApproval, approval,
      "screening override approval");
}

absl::StatusOr<std::optional<v1::Container>> ReadContainer(
    const storage::Reader& reader, uint64_t container) {
  return ReadNumbered<v1::Container>(reader, StateTag::kContainer, container,
                                     "sharps container");
}

absl::StatusOr<Page<v1::Container>> ListContainers(
    const storage::Reader& reader, std::string_view location_id,
    v1::ContainerStatus status, uint64_t after, int limit) {
  const std::string prefix = keys::StatePrefix(StateTag::kContainer);
  return ListRecords<v1::Container>(
      reader, keys::NumberedKey(StateTag::kContainer, after + 1),
      keys::PrefixEnd(prefix), limit, "sharps container",
      [&](const v1::Container& c) {
        return (location_id.empty() || c.location_id() == location_id) &&
               (status == v1::CONTAINER_STATUS_UNSPECIFIED ||
                c.status() == status);
      },
      [](const v1::Container& c) { return c.container_id(); });
}

absl::StatusOr<std::vector<v1::Unit>> ContainerUnits(
    const storage::Reader& reader, uint64_t container) {
  std::vector<v1::Unit> units;
  const std::string prefix = keys::UnitInContainerPrefix(container);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view, std::string_view value) -> absl::StatusOr<bool> {
        // value: gtin (14) + serial.
        if (value.size() < 14) {
          return absl::DataLossError("container index entry is damaged");
        }
        SMPTRACE_ASSIGN_OR_RETURN(
            auto unit, ReadUnit(reader, value.substr(0, 14), value.substr(14)));
        if (!unit.has_value()) {
          return absl::DataLossError("indexed unit missing");
        }
        units.push_back(*std::move(unit));
        return true;
      }));
  return units;
}

absl::StatusOr<std::vector<std::string>> AwaitingDisposal(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location, int limit) {
  std::vector<std::string> serials;
  const std::string prefix =
      keys::AwaitingDisposalPrefix(gtin14, lot, location);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(std::string serial,
                                  keys::DecodeAwaitingDisposalKey(key));
        serials.push_back(std::move(serial));
        return static_cast<int>(serials.size()) < limit;
      }));
  return serials;
}

}  // namespace smptrace::ledger
