#include "service/ledger/clients/personal_data.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

using storage::Cf;

std::string Aad(PersonalKind kind, std::string_view client_id) {
  std::string aad = "smptrace-personal-v1";
  switch (kind) {
    case PersonalKind::kContact:
      aad += "/contact/";
      break;
    case PersonalKind::kScreening:
      aad += "/screening/";
      break;
    case PersonalKind::kHoldReason:
      aad += "/hold-reason/";
      break;
  }
  aad.append(client_id);
  return aad;
}

absl::StatusOr<uint64_t> ClientNumber(std::string_view client_id) {
  return domain::ParseId(domain::IdKind::kClient, client_id, "client_id");
}

v1::SealedPersonalData ToProto(std::string_view client_id,
                               storage::SealedBytes sealed) {
  v1::SealedPersonalData out;
  out.set_nonce(std::move(sealed.nonce));
  out.set_ciphertext(std::move(sealed.ciphertext));
  out.set_key_id(std::string(client_id));
  return out;
}

}  // namespace

absl::StatusOr<PersonalData::NewClient> PersonalData::SealForNewClient(
    std::string_view client_id, PersonalKind kind,
    const google::protobuf::MessageLite& message) const {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, ClientNumber(client_id));
  NewClient out;
  SMPTRACE_ASSIGN_OR_RETURN(out.wrapped_key, key_->NewWrappedClientKey(n));
  SMPTRACE_ASSIGN_OR_RETURN(storage::SealedBytes sealed,
                            key_->Seal(out.wrapped_key, n, Aad(kind, client_id),
                                       message.SerializeAsString()));
  out.sealed = ToProto(client_id, std::move(sealed));
  return out;
}

absl::StatusOr<v1::SealedPersonalData> PersonalData::Seal(
    const storage::Reader& reader, std::string_view client_id,
    PersonalKind kind, const google::protobuf::MessageLite& message) const {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, ClientNumber(client_id));
  SMPTRACE_ASSIGN_OR_RETURN(
      auto wrapped,
      reader.Get(Cf::kClientKeys, storage::keys::ClientKeyKey(n)));
  if (!wrapped.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "client ", ToAbsl(client_id),
        " was erased: their personal data can no longer be recorded"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(storage::SealedBytes sealed,
                            key_->Seal(*wrapped, n, Aad(kind, client_id),
                                       message.SerializeAsString()));
  return ToProto(client_id, std::move(sealed));
}

absl::StatusOr<bool> PersonalData::Open(
    const storage::Reader& reader, const v1::SealedPersonalData& sealed,
    PersonalKind kind, google::protobuf::MessageLite* out) const {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, ClientNumber(sealed.key_id()));
  SMPTRACE_ASSIGN_OR_RETURN(
      auto wrapped,
      reader.Get(Cf::kClientKeys, storage::keys::ClientKeyKey(n)));
  if (!wrapped.has_value()) return false;
  SMPTRACE_ASSIGN_OR_RETURN(
      std::string plain,
      key_->Open(*wrapped, n, Aad(kind, sealed.key_id()),
                 storage::SealedBytes{sealed.nonce(), sealed.ciphertext()}));
  if (!out->ParseFromString(plain)) {
    return absl::DataLossError(absl::StrCat(
        "personal data of ", sealed.key_id(), " opened but does not parse"));
  }
  return true;
}

absl::Status PersonalData::OpenContact(const storage::Reader& reader,
                                       v1::Client& client) const {
  if (client.has_erased()) {
    client.clear_contact();
    client.clear_sealed_contact();
    return absl::OkStatus();
  }
  if (!client.has_sealed_contact()) {
    // Registered before contacts were sealed: kept apart, in clear.
    SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, ClientNumber(client.client_id()));
    SMPTRACE_ASSIGN_OR_RETURN(auto contact, ReadClientContact(reader, n));
    if (contact.has_value()) *client.mutable_contact() = *std::move(contact);
    return absl::OkStatus();
  }
  v1::SealedPersonalData sealed = std::move(*client.mutable_sealed_contact());
  client.clear_sealed_contact();
  client.clear_contact();
  return Open(reader, sealed, PersonalKind::kContact, client.mutable_contact())
      .status();
}

absl::Status PersonalData::OpenScreening(const storage::Reader& reader,
                                         v1::Session& session) const {
  v1::Screening* screening = session.mutable_screening();
  if (!screening->has_sealed()) return absl::OkStatus();
  v1::SealedPersonalData sealed = std::move(*screening->mutable_sealed());
  screening->clear_sealed();
  v1::Screening opened;
  SMPTRACE_ASSIGN_OR_RETURN(
      bool open, Open(reader, sealed, PersonalKind::kScreening, &opened));
  if (open) {
    *screening->mutable_answers() = std::move(*opened.mutable_answers());
    *screening->mutable_findings() = std::move(*opened.mutable_findings());
  }
  return absl::OkStatus();
}

absl::Status PersonalData::OpenHoldReason(const storage::Reader& reader,
                                          v1::LegalHold& hold) const {
  if (!hold.has_sealed_reason()) return absl::OkStatus();
  v1::SealedPersonalData sealed = std::move(*hold.mutable_sealed_reason());
  hold.clear_sealed_reason();
  v1::LegalHold opened;
  SMPTRACE_ASSIGN_OR_RETURN(
      bool open, Open(reader, sealed, PersonalKind::kHoldReason, &opened));
  hold.set_reason(open ? opened.reason()
                       : "(erased with the client's personal data)");
  return absl::OkStatus();
}

absl::StatusOr<const PersonalData*> RequirePersonalData(
    const DecisionContext& ctx) {
  if (ctx.personal == nullptr) {
    return absl::FailedPreconditionError(
        "this ledger has no data key (smptraced --data_key): a client's "
        "personal data cannot be recorded");
  }
  return ctx.personal;
}

void PutClientKey(storage::WriteTxn& txn, uint64_t client,
                  std::string_view wrapped) {
  txn.Put(Cf::kClientKeys, storage::keys::ClientKeyKey(client), wrapped);
}

void DeleteClientKey(storage::WriteTxn& txn, uint64_t client) {
  txn.Delete(Cf::kClientKeys, storage::keys::ClientKeyKey(client));
}

}  // namespace smptrace::ledger
