#include "service/ledger/clients/state.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/ledger/stock/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using keys::StateTag;
using storage::Cf;

}  // namespace

absl::StatusOr<std::optional<v1::Client>> ReadClient(
    const storage::Reader& reader, uint64_t client) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto found, ReadRecord<v1::Client>(
                      reader, Cf::kState,
                      keys::NumberedKey(StateTag::kClient, client), "client"));
  // Registered before clients had versions: that record is version 1.
  if (found.has_value() && found->version() == 0) found->set_version(1);
  return found;
}

absl::StatusOr<std::optional<v1::ClientContact>> ReadClientContact(
    const storage::Reader& reader, uint64_t client) {
  return ReadRecord<v1::ClientContact>(
      reader, Cf::kState, keys::NumberedKey(StateTag::kClientContact, client),
      "client contact");
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

}  // namespace smptrace::ledger
