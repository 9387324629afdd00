#include "service/ledger/clients/apply.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using keys::StateTag;
using storage::Cf;

// Stores a client as registered or updated, its contact sealed as the event
// carries it. Events journaled before contacts were sealed carry it in
// clear: it goes apart (ClientContact record), as it always did, until the
// client is erased. Returns the client's number.
absl::StatusOr<uint64_t> PutClient(const v1::Client& client,
                                   storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n,
      domain::ParseId(IdKind::kClient, client.client_id(), "client_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto before, ReadClient(txn, n));
  v1::Client record = client;
  record.clear_contact();
  if (client.has_contact() ||
      (before.has_value() && before->contact_journaled_in_clear())) {
    record.set_contact_journaled_in_clear(true);
  }
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kClient, n),
          Serialize(record));
  if (client.has_contact()) {
    txn.Put(Cf::kState, keys::NumberedKey(StateTag::kClientContact, n),
            Serialize(client.contact()));
  } else {
    txn.Delete(Cf::kState, keys::NumberedKey(StateTag::kClientContact, n));
  }
  return n;
}

}  // namespace

absl::Status ApplyClientRegistered(const v1::ClientRegistered& e,
                                   storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, PutClient(e.client(), txn));
  std::string value;
  keys::AppendUint64(&value, n);
  txn.Put(Cf::kIndex, keys::ClientByCodeKey(e.client().code()), value);
  return absl::OkStatus();
}

absl::Status ApplyClientContactUpdated(const v1::ClientContactUpdated& e,
                                       storage::WriteTxn& txn) {
  return PutClient(e.client(), txn).status();
}

absl::Status ApplyClientErased(const v1::ClientErased& e, uint64_t seq,
                               storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(IdKind::kClient, e.client_id(), "client_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto client, ReadClient(txn, n));
  if (!client.has_value()) {
    return absl::DataLossError(
        absl::StrCat("erased client ", e.client_id(), " is not in the state"));
  }
  client->clear_sealed_contact();
  *client->mutable_erased() = e.erasure();
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kClient, n),
          Serialize(*client));
  txn.Delete(Cf::kState, keys::NumberedKey(StateTag::kClientContact, n));
  // The erasure is in the client's access log, with the reads and exports.
  txn.Put(Cf::kIndex, keys::ClientReadKey(n, seq), "");
  return absl::OkStatus();
}

absl::Status ApplyClientRecordRead(const v1::ClientRecordRead& e, uint64_t seq,
                                   storage::WriteTxn& txn) {
  for (int i = -1; i < e.also_client_ids_size(); ++i) {
    const std::string& id = i < 0 ? e.client_id() : e.also_client_ids(i);
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t client, domain::ParseId(IdKind::kClient, id, "client_id"));
    txn.Put(Cf::kIndex, keys::ClientReadKey(client, seq), "");
  }
  return absl::OkStatus();
}

}  // namespace smptrace::ledger
