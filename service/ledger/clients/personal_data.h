// The one owner of clients' personal data at rest: contact details,
// screening answers and the reasons of legal holds on a client are sealed here,
// with the client's own key, before they go into an event, and opened here for
// every read (the API, the CLI and the web app through it, recall worksheets,
// sterility records). No other code handles a key. After erasure the client has
// no key: reads say so.
#ifndef SMPTRACE_SERVICE_LEDGER_CLIENTS_PERSONAL_DATA_H_
#define SMPTRACE_SERVICE_LEDGER_CLIENTS_PERSONAL_DATA_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message_lite.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/session.pb.h"
#include "storage/client_keys.h"
#include "storage/store.h"

namespace smptrace::ledger {

// What a sealed record is; part of its associated data, so that a sealed
// contact cannot be passed off as a screening. DO NOT CHANGE: in sealed
// bytes.
enum class PersonalKind { kContact, kScreening, kHoldReason };

class PersonalData {
 public:
  // REQUIRES: `key` outlives this.
  explicit PersonalData(const storage::DataKey* key) : key_(key) {}

  // A new key for client `client_id` (stored by PutClientKey) and
  // `message` sealed with it.
  struct NewClient {
    std::string wrapped_key;
    v1::SealedPersonalData sealed;
  };
  absl::StatusOr<NewClient> SealForNewClient(
      std::string_view client_id, PersonalKind kind,
      const google::protobuf::MessageLite& message) const;

  // `message` sealed with the key `reader` holds for `client_id`.
  // FailedPrecondition when the client has no key (erased).
  absl::StatusOr<v1::SealedPersonalData> Seal(
      const storage::Reader& reader, std::string_view client_id,
      PersonalKind kind, const google::protobuf::MessageLite& message) const;

  // Opens `sealed` into `out`. False (and `out` untouched) when its
  // client's key is gone: the client was erased. DataLoss when the sealed
  // bytes or the key are damaged or from another data key.
  absl::StatusOr<bool> Open(const storage::Reader& reader,
                            const v1::SealedPersonalData& sealed,
                            PersonalKind kind,
                            google::protobuf::MessageLite* out) const;

  // The client's contact details into client.contact (none once erased:
  // client.erased says when and by whom); clears sealed_contact.
  absl::Status OpenContact(const storage::Reader& reader,
                           v1::Client& client) const;
  // The session's screening answers and findings back from
  // screening.sealed (left out once the client was erased); clears it.
  absl::Status OpenScreening(const storage::Reader& reader,
                             v1::Session& session) const;
  // The reason of a hold on a client back from hold.sealed_reason into
  // hold.reason ("(erased with the client's personal data)" once the
  // client was erased); clears sealed_reason. A hold without one (on a lot,
  // a recall case, or placed before reasons were sealed) is left as it is.
  absl::Status OpenHoldReason(const storage::Reader& reader,
                              v1::LegalHold& hold) const;

 private:
  const storage::DataKey* key_;
};

// The context's PersonalData; FailedPrecondition when the ledger has none
// (no data key), so personal data cannot be recorded.
absl::StatusOr<const PersonalData*> RequirePersonalData(
    const DecisionContext& ctx);

// The client_keys records, written by the ledger in a command's batch.
void PutClientKey(storage::WriteTxn& txn, uint64_t client,
                  std::string_view wrapped);
void DeleteClientKey(storage::WriteTxn& txn, uint64_t client);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CLIENTS_PERSONAL_DATA_H_
