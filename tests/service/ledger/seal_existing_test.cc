// The personal-data re-chain (service/ledger/seal_existing.h) on a store as
// an earlier build wrote it: contacts in clear inside hashed journal entries.
#include "service/ledger/seal_existing.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/projection.h"
#include "service/ledger/rebuild.h"
#include "service/ledger/records.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/keys.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::ledger {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool AnyFileHolds(const std::string& dir, const std::string& needle) {
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() &&
        ReadAll(e.path().string()).find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Journals `payload` as the earlier build did: the event bytes as they are,
// state applied, and (for a client) the reply kept for retries.
void Record(storage::Store& store, v1::Event event,
            const std::string& request_id) {
  auto txn = store.BeginWrite();
  auto head = storage::ReadJournalHead(store.live());
  ASSERT_TRUE(head.ok());
  *event.mutable_time() = ToProto(absl::FromUnixSeconds(1764000000));
  event.set_actor("maria");
  event.set_request_id(request_id);
  auto appended = storage::AppendJournalEntry(*txn, *head, Serialize(event));
  ASSERT_TRUE(appended.ok()) << appended.status();
  const storage::JournalHead entry = *appended;
  ASSERT_TRUE(ApplyEvent(event, entry, *txn).ok());
  v1::IdempotencyRecord idem;
  idem.set_seq(entry.seq);
  if (event.has_client_registered()) {
    *idem.mutable_result()->mutable_client() =
        event.client_registered().client();
  }
  txn->Put(storage::Cf::kIdem, request_id, Serialize(idem));
  ASSERT_TRUE(store.Commit(*txn, true).ok());
}

TEST(SealExistingPersonalData, SealsReChainsSignsAndLeavesNoClearText) {
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  auto store = storage::Store::Open(data, {});
  ASSERT_TRUE(store.ok()) << store.status();

  v1::Event registered;
  v1::Client* c = registered.mutable_client_registered()->mutable_client();
  c->set_client_id("CLI-000001");
  c->set_code("OLD-1");
  c->set_version(1);
  c->mutable_contact()->set_name("Philippa Legacyworth");
  c->mutable_contact()->set_phone("+44 7700 900999");
  Record(**store, registered, "r1");
  v1::Event updated;
  v1::Client* u = updated.mutable_client_contact_updated()->mutable_client();
  *u = *c;
  u->set_version(2);
  u->mutable_contact()->set_phone("+44 7700 900111");
  Record(**store, updated, "r2");
  v1::Event read;
  read.mutable_client_record_read()->set_client_id("CLI-000001");
  read.mutable_client_record_read()->set_what("contact details");
  Record(**store, read, "r3");
  ASSERT_TRUE(AnyFileHolds(data, "Philippa Legacyworth"));

  auto client = ReadClient((*store)->live(), 1);
  ASSERT_TRUE(client.ok() && client->has_value());
  EXPECT_TRUE((*client)->contact_journaled_in_clear());

  auto data_key = storage::DataKey::FromBytesForTesting(std::string(32, 'd'));
  PersonalData personal(data_key.get());
  auto signing = storage::CheckpointKey::LoadOrCreate(dir.Sub("sign.pem"));
  ASSERT_TRUE(signing.ok());
  auto report = SealExistingPersonalData(**store, personal, **signing,
                                         absl::FromUnixSeconds(1764100000));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->entries, 3u);
  EXPECT_THAT(report->changed, ElementsAre(1, 2));
  EXPECT_EQ(report->new_head.seq, 3u);
  EXPECT_NE(report->new_head.hash, report->old_head.hash);

  // The new chain verifies, state equals its replay, the statement is
  // signed by the checkpoint key and names the old and new heads.
  auto verified = storage::VerifyJournal((*store)->live());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->detail;
  auto rebuilt = RebuildCheck((*store)->live(), dir.Sub("scratch"), 10);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_TRUE(rebuilt->ok) << ::testing::PrintToString(rebuilt->differences);
  EXPECT_THAT(report->statement,
              HasSubstr("old head 3 " + storage::ToHex(report->old_head.hash)));
  EXPECT_THAT(report->statement, HasSubstr("sealed seq 1 old "));
  EXPECT_TRUE(
      storage::VerifySignature((*signing)->public_key_pem(), report->statement,
                               absl::HexStringToBytes(report->signature_hex))
          .ok());
  auto kept = (*store)->live().Get(storage::Cf::kMeta,
                                   storage::keys::kRechainStatementKey);
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_THAT(**kept, HasSubstr(report->signature_hex));

  // The contact reads as the latest version, opened with the client's key;
  // erasure is no longer refused for it.
  client = ReadClient((*store)->live(), 1);
  ASSERT_TRUE(client.ok() && client->has_value());
  EXPECT_FALSE((*client)->contact_journaled_in_clear());
  ASSERT_TRUE(personal.OpenContact((*store)->live(), **client).ok());
  EXPECT_EQ((*client)->contact().phone(), "+44 7700 900111");

  // Nothing in clear is left in any file, also after a clean close.
  store->reset();
  EXPECT_FALSE(AnyFileHolds(data, "Philippa Legacyworth"));
  EXPECT_FALSE(AnyFileHolds(data, "+44 7700 900999"));

  // Run again: nothing left to seal, nothing written.
  store = storage::Store::Open(data, {});
  ASSERT_TRUE(store.ok());
  auto again = SealExistingPersonalData(**store, personal, **signing,
                                        absl::FromUnixSeconds(1764200000));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->changed.empty());
}

}  // namespace
}  // namespace smptrace::ledger
