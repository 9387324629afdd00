#include "service/query/client_reads.h"

#include <utility>

#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/sessions/state.h"

namespace smptrace::query {
namespace {

absl::Status AddContact(const storage::Reader& reader, v1::Client& client) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(domain::IdKind::kClient, client.client_id(),
                                  "client_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto contact, ledger::ReadClientContact(reader, n));
  if (contact.has_value()) *client.mutable_contact() = *std::move(contact);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<v1::Client>> ClientOf(
    const storage::Reader& reader, std::string_view id_or_code,
    bool include_contact) {
  SMPTRACE_ASSIGN_OR_RETURN(auto client,
                            ledger::FindClient(reader, id_or_code));
  if (client.has_value() && include_contact) {
    SMPTRACE_RETURN_IF_ERROR(AddContact(reader, *client));
  }
  return client;
}

absl::StatusOr<ledger::Page<v1::Client>> ClientsOf(
    const storage::Reader& reader, std::string_view code_prefix, uint64_t after,
    int limit, bool include_contact) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto page, ledger::ListClients(reader, code_prefix, after, limit));
  if (include_contact) {
    for (v1::Client& client : page.items) {
      SMPTRACE_RETURN_IF_ERROR(AddContact(reader, client));
    }
  }
  return page;
}

}  // namespace smptrace::query
