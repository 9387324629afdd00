#include "service/ledger/clients/decide.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/holds.h"
#include "service/ledger/clients/personal_data.h"
#include "service/ledger/clients/retention.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/ledger/versions.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

using domain::IdKind;
using storage::keys::StateTag;

absl::Status RefuseIfErased(const v1::Client& client) {
  if (!client.has_erased()) return absl::OkStatus();
  return Refusal(
      "client_erased",
      absl::StrCat(
          "client ", client.client_id(), " (", client.code(),
          ") was erased on ",
          absl::FormatTime("%Y-%m-%d", FromProto(client.erased().erased_at()),
                           absl::UTCTimeZone()),
          " by ", client.erased().erased_by(),
          ": their personal data is gone for good"));
}

// Cuts every idempotency record whose answer names client `id` down to a
// marker (a late retry is refused, never applied again).
absl::Status ExpireRetriesOfClient(storage::WriteTxn& txn,
                                   const std::string& id) {
  std::vector<std::pair<std::string, v1::IdempotencyRecord>> found;
  SMPTRACE_RETURN_IF_ERROR(txn.Scan(
      storage::Cf::kIdem, "", "",
      [&](std::string_view key,
          std::string_view value) -> absl::StatusOr<bool> {
        v1::IdempotencyRecord record;
        SMPTRACE_RETURN_IF_ERROR(
            ParseRecord(value, "idempotency record", &record));
        const v1::CommandResult& r = record.result();
        if (r.client().client_id() == id || r.session().client_id() == id ||
            r.screening_override_approval().client_id() == id ||
            r.legal_hold().client_id() == id) {
          found.emplace_back(std::string(key), std::move(record));
        }
        return true;
      }));
  for (const auto& [key, record] : found) {
    txn.Put(storage::Cf::kIdem, key, Serialize(ExpiredMarker(record)));
  }
  return absl::OkStatus();
}

}  // namespace

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
  client->add_contact_seqs(ctx.seq);
  SMPTRACE_ASSIGN_OR_RETURN(const PersonalData* personal,
                            RequirePersonalData(ctx));
  SMPTRACE_ASSIGN_OR_RETURN(
      PersonalData::NewClient sealed,
      personal->SealForNewClient(id, PersonalKind::kContact, r.contact()));
  *client->mutable_sealed_contact() = std::move(sealed.sealed);
  // The reply holds the sealed contact too (the idempotency record keeps no
  // clear personal data); the API opens it.
  *d.result.mutable_client() = *client;
  d.outside_journal = [n = last + 1, key = std::move(sealed.wrapped_key)](
                          storage::WriteTxn& txn) {
    PutClientKey(txn, n, key);
    return absl::OkStatus();
  };
  return d;
}

absl::StatusOr<Decision> DecideUpdateClientContact(
    const DecisionContext& ctx, const v1::UpdateClientContactRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(auto current, FindClient(ctx.state, r.client()));
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "client: no client has the id or code '", r.client(), "'"));
  }
  SMPTRACE_RETURN_IF_ERROR(RefuseIfErased(*current));
  const int64_t version = current->version();
  SMPTRACE_RETURN_IF_ERROR(CheckExpectedVersion("client", current->client_id(),
                                                r.expected_version(), version));
  Decision d;
  v1::Client* client =
      d.event.mutable_client_contact_updated()->mutable_client();
  *client = *std::move(current);
  client->clear_contact_journaled_in_clear();  // state, not event
  Stamp(ctx, version + 1, client);
  client->add_contact_seqs(ctx.seq);
  SMPTRACE_ASSIGN_OR_RETURN(const PersonalData* personal,
                            RequirePersonalData(ctx));
  SMPTRACE_ASSIGN_OR_RETURN(
      *client->mutable_sealed_contact(),
      personal->Seal(ctx.state, client->client_id(), PersonalKind::kContact,
                     r.contact()));
  *d.result.mutable_client() = *client;
  return d;
}

absl::StatusOr<Decision> DecideEraseClient(const DecisionContext& ctx,
                                           const v1::EraseClientRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(auto client, FindClient(ctx.state, r.client()));
  if (!client.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "client: no client has the id or code '", r.client(), "'"));
  }
  SMPTRACE_RETURN_IF_ERROR(RefuseIfErased(*client));
  if (client->contact_journaled_in_clear()) {
    // Registered by a build before contacts were sealed: the clear contact
    // is inside hashed journal entries, which destroying a key cannot reach.
    return Refusal(
        "client_contact_not_sealed",
        absl::StrCat(
            "client ", client->client_id(), " (", client->code(),
            ") was registered before personal data was sealed: their contact "
            "details are in clear in the journal, and erasing would leave "
            "them there. Ask the administrator to seal this store's personal "
            "data (docs/admin.md, Personal data), then erase"));
  }
  const absl::CivilDay today = absl::ToCivilDay(ctx.now, ctx.zone);
  SMPTRACE_ASSIGN_OR_RETURN(const PersonalData* personal,
                            RequirePersonalData(ctx));
  SMPTRACE_ASSIGN_OR_RETURN(ClientHolds held,
                            ReadClientHolds(ctx.state, *personal, today));
  if (const auto it = held.find(client->client_id()); it != held.end()) {
    return Refusal(
        "client_under_legal_hold",
        absl::StrCat("client ", client->client_id(), " (", client->code(),
                     ") is under ", absl::StrJoin(it->second, "; and "),
                     "; it cannot be erased until that ends (a hold is "
                     "released, or its last day passes; a recall case is "
                     "closed)"));
  }
  std::string retention_policy;
  if (r.retention()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        retention_policy,
        CheckRetentionDue(ctx.state, ctx.retention, *client, today, ctx.zone));
  }
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n,
      domain::ParseId(IdKind::kClient, client->client_id(), "client_id"));
  Decision d;
  v1::ClientErased* e = d.event.mutable_client_erased();
  e->set_client_id(client->client_id());
  e->set_client_code(client->code());
  v1::ClientErasure* erasure = e->mutable_erasure();
  *erasure->mutable_erased_at() = ToProto(ctx.now);
  erasure->set_erased_by(std::string(ctx.actor));
  erasure->set_reason(r.reason());
  erasure->set_legal_basis(r.legal_basis());
  erasure->set_seq(ctx.seq);
  if (r.retention()) {
    erasure->set_reason(r.reason().empty() ? "retention period over"
                                           : r.reason());
    erasure->set_legal_basis(ctx.retention->legal_basis);
    erasure->set_retention_policy(std::move(retention_policy));
  }
  d.read_back = [n](const storage::Reader& written,
                    v1::CommandResult& result) -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(auto erased, ReadClient(written, n));
    if (!erased.has_value()) return absl::InternalError("client vanished");
    *result.mutable_client() = *std::move(erased);
    return absl::OkStatus();
  };
  // The key goes, and with it every sealed record of the client; so do the
  // answers kept for retries that hold their personal data (sealed, or as
  // the fingerprint of a request that carried it).
  d.outside_journal = [n, id = client->client_id()](storage::WriteTxn& txn) {
    DeleteClientKey(txn, n);
    return ExpireRetriesOfClient(txn, id);
  };
  d.purge_deleted = true;
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
