#include "service/ledger/session_state.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
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
  return ReadNumbered<v1::Client>(reader, StateTag::kClient, client, "client");
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

absl::StatusOr<std::optional<v1::Session>> ReadSession(
    const storage::Reader& reader, uint64_t session) {
  return ReadNumbered<v1::Session>(reader, StateTag::kSession, session,
                                   "session");
}

absl::StatusOr<std::optional<v1::Session>> LastSessionOfClient(
    const storage::Reader& reader, uint64_t client) {
  const std::string prefix = keys::SessionByClientPrefix(client);
  std::optional<v1::Session> found;
  absl::Status status;
  SMPTRACE_RETURN_IF_ERROR(reader.ScanReverse(
      Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) {
        auto n = keys::DecodeSessionByClientKey(key);
        if (!n.ok()) {
          status = n.status();
          return false;
        }
        auto session = ReadSession(reader, *n);
        if (!session.ok() || !session->has_value()) {
          status = session.ok() ? absl::DataLossError("indexed session missing")
                                : session.status();
          return false;
        }
        if ((*session)->status() == v1::SESSION_STATUS_ABORTED) return true;
        found = **std::move(session);
        return false;
      }));
  SMPTRACE_RETURN_IF_ERROR(status);
  return found;
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

absl::StatusOr<std::vector<v1::Unit>> ContainerUnits(
    const storage::Reader& reader, uint64_t container) {
  std::vector<v1::Unit> units;
  const std::string prefix = keys::UnitInContainerPrefix(container);
  absl::Status status;
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view, std::string_view value) {
        // value: gtin (14) + serial.
        if (value.size() < 14) {
          status = absl::DataLossError("container index entry is damaged");
          return false;
        }
        auto unit = ReadUnit(reader, value.substr(0, 14), value.substr(14));
        if (!unit.ok() || !unit->has_value()) {
          status = unit.ok() ? absl::DataLossError("indexed unit missing")
                             : unit.status();
          return false;
        }
        units.push_back(**std::move(unit));
        return true;
      }));
  SMPTRACE_RETURN_IF_ERROR(status);
  return units;
}

absl::StatusOr<std::vector<std::string>> AwaitingDisposal(
    const storage::Reader& reader, std::string_view gtin14,
    std::string_view lot, uint64_t location, int limit) {
  std::vector<std::string> serials;
  const std::string prefix =
      keys::AwaitingDisposalPrefix(gtin14, lot, location);
  absl::Status status;
  SMPTRACE_RETURN_IF_ERROR(
      reader.Scan(Cf::kIndex, prefix, keys::PrefixEnd(prefix),
                  [&](std::string_view key, std::string_view) {
                    auto serial = keys::DecodeAwaitingDisposalKey(key);
                    if (!serial.ok()) {
                      status = serial.status();
                      return false;
                    }
                    serials.push_back(*std::move(serial));
                    return static_cast<int>(serials.size()) < limit;
                  }));
  SMPTRACE_RETURN_IF_ERROR(status);
  return serials;
}

}  // namespace smptrace::ledger
