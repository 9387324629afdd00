#include "service/ledger/clients/apply.h"

#include <string>

#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using keys::StateTag;
using storage::Cf;

// Stores a client as registered or updated: the record without its
// contact, and the contact apart. Returns the client's number.
absl::StatusOr<uint64_t> PutClient(const v1::Client& client,
                                   storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n,
      domain::ParseId(IdKind::kClient, client.client_id(), "client_id"));
  v1::Client record = client;
  record.clear_contact();
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kClient, n),
          Serialize(record));
  txn.Put(Cf::kState, keys::NumberedKey(StateTag::kClientContact, n),
          Serialize(client.contact()));
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
