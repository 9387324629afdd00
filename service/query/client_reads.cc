#include "service/query/client_reads.h"

#include <utility>

#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/sessions/state.h"

namespace smptrace::query {
namespace {

absl::Status AddContact(const storage::Reader& reader,
                        const ledger::PersonalData* personal,
                        v1::Client& client) {
  if (personal != nullptr) return personal->OpenContact(reader, client);
  client.clear_sealed_contact();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<v1::Client>> ClientOf(
    const storage::Reader& reader, std::string_view id_or_code,
    const ledger::PersonalData* personal) {
  SMPTRACE_ASSIGN_OR_RETURN(auto client,
                            ledger::FindClient(reader, id_or_code));
  if (client.has_value()) {
    SMPTRACE_RETURN_IF_ERROR(AddContact(reader, personal, *client));
  }
  return client;
}

absl::StatusOr<ledger::Page<v1::Client>> ClientsOf(
    const storage::Reader& reader, std::string_view code_prefix, uint64_t after,
    int limit, const ledger::PersonalData* personal) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto page, ledger::ListClients(reader, code_prefix, after, limit));
  for (v1::Client& client : page.items) {
    SMPTRACE_RETURN_IF_ERROR(AddContact(reader, personal, client));
  }
  return page;
}

}  // namespace smptrace::query
