#include "service/ledger/seal_existing.h"

#include <memory>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/projection.h"
#include "service/ledger/records.h"
#include "smptrace/v1/journal.pb.h"
#include "smptrace/v1/ledger.pb.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

using storage::Cf;

absl::StatusOr<uint64_t> ClientNumber(const std::string& id) {
  return domain::ParseId(domain::IdKind::kClient, id, "client_id");
}

// `contact` sealed with the client's key, made (and kept in `txn`) if the
// client has none yet.
absl::StatusOr<v1::SealedPersonalData> SealContact(
    storage::WriteTxn& txn, const PersonalData& personal,
    const std::string& client_id, const v1::ClientContact& contact) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, ClientNumber(client_id));
  SMPTRACE_ASSIGN_OR_RETURN(
      auto key, txn.Get(Cf::kClientKeys, storage::keys::ClientKeyKey(n)));
  if (key.has_value()) {
    return personal.Seal(txn, client_id, PersonalKind::kContact, contact);
  }
  SMPTRACE_ASSIGN_OR_RETURN(
      PersonalData::NewClient sealed,
      personal.SealForNewClient(client_id, PersonalKind::kContact, contact));
  PutClientKey(txn, n, sealed.wrapped_key);
  return std::move(sealed.sealed);
}

// Seals what `event` holds in clear; false when it holds nothing personal
// in clear.
absl::StatusOr<bool> SealEvent(storage::WriteTxn& txn,
                               const PersonalData& personal, v1::Event& event) {
  v1::Client* client = nullptr;
  if (event.has_client_registered()) {
    client = event.mutable_client_registered()->mutable_client();
  } else if (event.has_client_contact_updated()) {
    client = event.mutable_client_contact_updated()->mutable_client();
  }
  if (client != nullptr && client->has_contact()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        *client->mutable_sealed_contact(),
        SealContact(txn, personal, client->client_id(), client->contact()));
    client->clear_contact();
    return true;
  }
  if (event.has_session_started()) {
    v1::Session* session = event.mutable_session_started()->mutable_session();
    v1::Screening* screening = session->mutable_screening();
    if (screening->has_sealed() ||
        (!screening->has_answers() && screening->findings().empty())) {
      return false;
    }
    v1::Screening health;
    *health.mutable_answers() = screening->answers();
    *health.mutable_findings() = screening->findings();
    SMPTRACE_ASSIGN_OR_RETURN(*screening->mutable_sealed(),
                              personal.Seal(txn, session->client_id(),
                                            PersonalKind::kScreening, health));
    screening->clear_answers();
    screening->clear_findings();
    return true;
  }
  return false;
}

// Deletes every record of `cf` (state, index: replayed afterwards; idem:
// cut to markers).
absl::Status ClearForReplay(const storage::Reader& reader,
                            storage::WriteTxn& txn, Cf cf) {
  std::vector<std::pair<std::string, std::string>> records;
  SMPTRACE_RETURN_IF_ERROR(
      reader.Scan(cf, "", "", [&](std::string_view k, std::string_view v) {
        records.emplace_back(std::string(k), std::string(v));
        return true;
      }));
  for (const auto& [key, value] : records) {
    if (cf != Cf::kIdem) {
      txn.Delete(cf, key);
      continue;
    }
    v1::IdempotencyRecord record;
    SMPTRACE_RETURN_IF_ERROR(ParseRecord(value, "idempotency record", &record));
    txn.Put(cf, key, Serialize(ExpiredMarker(record)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SealReport> SealExistingPersonalData(
    storage::Store& store, const PersonalData& personal,
    const storage::CheckpointKey& key, absl::Time now) {
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalVerification verified,
                            storage::VerifyJournal(store.live()));
  if (!verified.ok) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the journal does not verify (first bad entry ", verified.first_bad_seq,
        ": ", verified.detail,
        "); nothing was changed: investigate it first (smptrace admin "
        "verify)"));
  }
  SealReport report;
  report.old_head = verified.good_head;
  report.entries = verified.entries;
  std::vector<v1::Event> events;
  std::vector<std::string> bytes;
  std::vector<std::string> old_hashes;
  SMPTRACE_RETURN_IF_ERROR(storage::ForEachJournalEntry(
      store.live(), 1,
      [&](const storage::JournalEntryView& e) -> absl::StatusOr<bool> {
        events.emplace_back();
        SMPTRACE_RETURN_IF_ERROR(
            ParseRecord(e.event, "journal event", &events.back()));
        bytes.emplace_back(e.event);
        old_hashes.emplace_back(e.hash);
        return true;
      }));

  std::unique_ptr<storage::WriteTxn> txn = store.BeginWrite();
  for (size_t i = 0; i < events.size(); ++i) {
    SMPTRACE_ASSIGN_OR_RETURN(bool sealed,
                              SealEvent(*txn, personal, events[i]));
    if (!sealed) continue;
    bytes[i] = Serialize(events[i]);
    report.changed.push_back(i + 1);
  }
  report.new_head = report.old_head;
  if (report.changed.empty()) return report;

  // The chain from the first changed entry on: each hash covers the one
  // before it, so every later entry is re-hashed too.
  const uint64_t first = report.changed.front();
  storage::JournalHead head;
  head.seq = first - 1;
  if (first > 1) head.hash = old_hashes[first - 2];
  std::vector<std::string> new_hashes = old_hashes;
  for (uint64_t seq = first; seq <= events.size(); ++seq) {
    // The Merkle tree's nodes over the re-hashed entries are rewritten with
    // them (each append writes the nodes it completes).
    SMPTRACE_ASSIGN_OR_RETURN(
        head, storage::AppendJournalEntry(*txn, head, bytes[seq - 1]));
    new_hashes[seq - 1] = head.hash;
  }
  report.new_head = head;

  // State and indexes as the new journal makes them; retry answers (which
  // may hold a contact in clear) cut to markers.
  for (Cf cf : {Cf::kState, Cf::kIndex, Cf::kIdem}) {
    SMPTRACE_RETURN_IF_ERROR(ClearForReplay(store.live(), *txn, cf));
  }
  for (uint64_t seq = 1; seq <= events.size(); ++seq) {
    storage::JournalHead entry;
    entry.seq = seq;
    entry.hash = new_hashes[seq - 1];
    SMPTRACE_RETURN_IF_ERROR(ApplyEvent(events[seq - 1], entry, *txn));
  }

  report.statement = absl::StrCat(
      "smptrace personal-data re-chain v1\n", "at ",
      absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone()), "\n",
      "sealed contact details and screening answers journaled in clear by an "
      "earlier build; every entry from seq ",
      first, " on is re-hashed\n", "old head ", report.old_head.seq, " ",
      storage::ToHex(report.old_head.hash), "\n", "new head ",
      report.new_head.seq, " ", storage::ToHex(report.new_head.hash), "\n");
  for (uint64_t seq : report.changed) {
    absl::StrAppend(&report.statement, "sealed seq ", seq, " old ",
                    storage::ToHex(old_hashes[seq - 1]), " new ",
                    storage::ToHex(new_hashes[seq - 1]), "\n");
  }
  SMPTRACE_ASSIGN_OR_RETURN(std::string signature, key.Sign(report.statement));
  report.signature_hex = storage::ToHex(signature);
  // The entries changed: the next start verifies them all again.
  storage::ClearVerifiedMark(*txn);
  txn->Put(Cf::kMeta, storage::keys::kRechainStatementKey,
           absl::StrCat(report.statement, "signature ", report.signature_hex,
                        "\nkey_id ", key.key_id(), "\n"));
  SMPTRACE_RETURN_IF_ERROR(store.Commit(*txn, /*sync=*/true));
  // The entries as they were are deleted values now: out of every file.
  SMPTRACE_RETURN_IF_ERROR(
      store.PurgeDeleted({Cf::kJournal, Cf::kState, Cf::kIndex, Cf::kIdem,
                          Cf::kMeta, Cf::kClientKeys}));
  return report;
}

}  // namespace smptrace::ledger
