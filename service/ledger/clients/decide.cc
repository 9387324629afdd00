#include "service/ledger/clients/decide.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/ledger/versions.h"
#include "storage/keys.h"

namespace smptrace::ledger {

using domain::IdKind;
using storage::keys::StateTag;

absl::StatusOr<Decision> DecideCreateClient(const DecisionContext& ctx,
                                            const v1::CreateClientRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t last,
                            LastNumber(ctx.state, StateTag::kClient));
  const std::string id = domain::FormatId(IdKind::kClient, last + 1);
  const std::string code = r.code().empty() ? id : r.code();
  SMPTRACE_ASSIGN_OR_RETURN(auto taken, FindClient(ctx.state, code));
  if (taken.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat("code: client code '", code,
                                                 "' is already used by ",
                                                 taken->client_id()));
  }
  Decision d;
  v1::Client* client = d.event.mutable_client_registered()->mutable_client();
  client->set_client_id(id);
  client->set_code(code);
  *client->mutable_created_at() = ToProto(ctx.now);
  client->set_created_by(std::string(ctx.actor));
  client->set_version(1);
  *client->mutable_contact() = r.contact();
  *d.result.mutable_client() = *client;
  return d;
}

absl::StatusOr<Decision> DecideUpdateClientContact(
    const DecisionContext& ctx, const v1::UpdateClientContactRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(auto current, FindClient(ctx.state, r.client()));
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "client: no client has the id or code '", r.client(), "'"));
  }
  const int64_t version = current->version();
  SMPTRACE_RETURN_IF_ERROR(CheckExpectedVersion("client", current->client_id(),
                                                r.expected_version(), version));
  Decision d;
  v1::Client* client =
      d.event.mutable_client_contact_updated()->mutable_client();
  *client = *std::move(current);
  Stamp(ctx, version + 1, client);
  *client->mutable_contact() = r.contact();
  *d.result.mutable_client() = *client;
  return d;
}

absl::StatusOr<Decision> DecideRecordClientRead(const DecisionContext& ctx,
                                                const v1::RecordClientRead& r) {
  SMPTRACE_ASSIGN_OR_RETURN(auto client, FindClient(ctx.state, r.client_id()));
  if (!client.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("client: no client has the id ", r.client_id()));
  }
  Decision d;
  v1::ClientRecordRead* e = d.event.mutable_client_record_read();
  e->set_client_id(client->client_id());
  e->set_what(r.what());
  e->set_kind(r.kind());
  for (const std::string& also : r.also_client_ids()) {
    SMPTRACE_ASSIGN_OR_RETURN(auto other, FindClient(ctx.state, also));
    if (!other.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("client: no client has the id ", also));
    }
    e->add_also_client_ids(other->client_id());
  }
  return d;
}

}  // namespace smptrace::ledger
