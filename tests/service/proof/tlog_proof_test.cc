// Signed checkpoints (C2SP notes) and the proofs' file forms, as the server
// and the offline CLI use them: a grown log extends a checkpoint; a
// rewritten entry, a forked log and a rolled-back log are each caught.
#include "service/proof/tlog_proof.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/proof/journal_proof.h"
#include "storage/checkpoint_note.h"
#include "storage/journal.h"
#include "storage/merkle.h"
#include "storage/signing.h"
#include "storage/store.h"
#include "storage/tlog.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::proof {
namespace {

using ::smptrace::testing::IsOk;
using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class TlogProofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = storage::CheckpointKey::LoadOrCreate(dir_.Sub("key.pem"));
    ASSERT_TRUE(key.ok()) << key.status();
    key_ = *std::move(key);
  }

  // A store of n entries "event-1".. (entry k replaced by `changed`), each
  // appended with every hash recomputed: what a rewriter with write access
  // would build.
  std::unique_ptr<storage::Store> Journal(const std::string& name, int n,
                                          int k = 0,
                                          const std::string& changed = "") {
    auto store = storage::Store::Open(dir_.Sub(name), {});
    EXPECT_TRUE(store.ok()) << store.status();
    storage::JournalHead head;
    for (int i = 1; i <= n; ++i) {
      auto txn = (*store)->BeginWrite();
      head = storage::AppendJournalEntry(
                 *txn, head, i == k ? changed : "event-" + std::to_string(i))
                 .value();
      EXPECT_TRUE((*store)->Commit(*txn, true).ok());
    }
    return *std::move(store);
  }

  std::string Note(const storage::Store& store, uint64_t size) {
    auto c = SignLogCheckpoint(store.live(), size, *key_);
    EXPECT_TRUE(c.ok()) << c.status();
    return c->note();
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::CheckpointKey> key_;
};

TEST_F(TlogProofTest, TheCheckpointIsAC2spSignedNote) {
  auto store = Journal("j", 5);
  auto c = SignLogCheckpoint(store->live(), 5, *key_);
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string origin = storage::DefaultLogOrigin(*key_);
  std::vector<std::string> lines = absl::StrSplit(c->note(), '\n');
  ASSERT_EQ(lines.size(), 6u) << c->note();
  EXPECT_EQ(lines[0], origin);
  EXPECT_EQ(lines[1], "5");
  EXPECT_EQ(lines[2],
            absl::Base64Escape(*storage::ReadTlogRoot(store->live(), 5)));
  EXPECT_EQ(lines[3], "");
  EXPECT_THAT(lines[4], StartsWith("\xe2\x80\x94 " + origin + " "));
  EXPECT_EQ(lines[5], "");
  // The signature: key ID = SHA-256(name || 0x0A || 0x01 || key)[:4], then
  // Ed25519 over the text up to and including the root's newline.
  std::string sig;
  ASSERT_TRUE(
      absl::Base64Unescape(lines[4].substr(lines[4].rfind(' ') + 1), &sig));
  ASSERT_EQ(sig.size(), 68u);
  EXPECT_EQ(
      sig.substr(0, 4),
      storage::Sha256(origin + "\n\x01" + key_->raw_public_key()).substr(0, 4));
  EXPECT_THAT(
      storage::VerifyRawSignature(
          key_->raw_public_key(),
          lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n", sig.substr(4)),
      IsOk());
  // The verifier key names the same.
  auto verifier = storage::ParseNoteVerifierKey(c->verifier_key());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(verifier->key_id, sig.substr(0, 4));
  auto opened = storage::OpenCheckpointNote(c->note(), *verifier);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->size, 5u);
}

TEST_F(TlogProofTest, AnAlteredOrForeignCheckpointIsRefused) {
  auto store = Journal("j", 5);
  const std::string note = Note(*store, 5);
  const storage::NoteVerifier verifier = storage::VerifierOf(*key_);
  std::string altered = note;
  altered[altered.find("\n5\n") + 1] = '4';
  EXPECT_THAT(storage::OpenCheckpointNote(altered, verifier),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("the checkpoint was altered")));
  auto other = storage::CheckpointKey::LoadOrCreate(dir_.Sub("other.pem"));
  ASSERT_TRUE(other.ok());
  EXPECT_THAT(storage::OpenCheckpointNote(note, storage::VerifierOf(**other)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("carries no signature by key")));
  EXPECT_THAT(storage::OpenCheckpointNote("hello\n", verifier),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a signed checkpoint note")));
}

TEST_F(TlogProofTest, AGrownJournalExtendsTheCheckpoint) {
  auto at20 = Journal("at20", 20);
  const std::string note = Note(*at20, 20);
  auto longer = Journal("longer", 35);
  auto r =
      CheckCheckpointNote(longer->live(), note, storage::VerifierOf(*key_));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->ok()) << r->detail();
  EXPECT_EQ(r->current_seq(), 35u);
}

TEST_F(TlogProofTest, ARewrittenEntryIsCaughtEvenWithEveryHashRecomputed) {
  auto honest = Journal("honest", 20);
  const std::string note = Note(*honest, 20);
  auto rewritten = Journal("rewritten", 25, 7, "event-7 changed");
  auto r =
      CheckCheckpointNote(rewritten->live(), note, storage::VerifierOf(*key_));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->ok());
  EXPECT_THAT(r->detail(), HasSubstr("the history was rewritten"));
}

TEST_F(TlogProofTest, ARolledBackJournalIsCaught) {
  auto full = Journal("full", 30);
  const std::string note = Note(*full, 30);
  auto rolled_back = Journal("rolled_back", 25);
  auto r = CheckCheckpointNote(rolled_back->live(), note,
                               storage::VerifierOf(*key_));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->ok());
  EXPECT_THAT(r->detail(), HasSubstr("rolled back"));
  // Offline, between two checkpoints: the newer one is smaller.
  const std::string note25 = Note(*rolled_back, 25);
  v1::ConsistencyProof empty;
  empty.set_old_size(30);
  empty.set_new_size(25);
  EXPECT_THAT(VerifyConsistencyText(note, note25, FormatConsistencyProof(empty),
                                    storage::VerifierOf(*key_))
                  .status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("rolled back")));
}

TEST_F(TlogProofTest, EveryEntryProvesItsInclusionOffline) {
  auto store = Journal("j", 30);
  const storage::NoteVerifier verifier = storage::VerifierOf(*key_);
  const std::string note17 = Note(*store, 17);
  for (uint64_t seq = 1; seq <= 30; ++seq) {
    // Against the current tree: the proof carries its checkpoint.
    auto p = ProveInclusion(store->live(), seq, 0, 30, *key_);
    ASSERT_TRUE(p.ok()) << p.status();
    auto v = VerifyTlogProofText(p->tlog_proof(), "", verifier);
    ASSERT_TRUE(v.ok()) << seq << ": " << v.status();
    EXPECT_EQ(v->seq, seq);
    EXPECT_EQ(v->event, "event-" + std::to_string(seq));
    EXPECT_EQ(v->checkpoint.size, 30u);
    // Against an older checkpoint the verifier has.
    if (seq <= 17) {
      auto old = ProveInclusion(store->live(), seq, 17, 30, *key_);
      ASSERT_TRUE(old.ok()) << old.status();
      EXPECT_THAT(
          VerifyTlogProofText(old->tlog_proof(), note17, verifier).status(),
          IsOk());
    }
  }
  EXPECT_THAT(ProveInclusion(store->live(), 31, 0, 30, *key_).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("seq: 31 is not an entry")));
}

TEST_F(TlogProofTest, AChangedByteOfTheEntryFailsItsProof) {
  auto store = Journal("j", 12);
  auto p = ProveInclusion(store->live(), 5, 0, 12, *key_);
  ASSERT_TRUE(p.ok());
  std::string leaf = p->leaf_data();
  leaf.back() ^= 1;
  const std::string forged = FormatTlogProof(
      4, leaf, std::vector<std::string>(p->hashes().begin(), p->hashes().end()),
      Note(*store, 12));
  EXPECT_THAT(
      VerifyTlogProofText(forged, "", storage::VerifierOf(*key_)).status(),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("differs from what the log holds at index 4")));
}

TEST_F(TlogProofTest, AForkedLogGetsNoConsistencyProofFromTheHonestOne) {
  // Two stores equal to seq 9 and diverging at seq 10.
  auto honest = Journal("honest", 20);
  auto fork = Journal("fork", 30, 10, "event-10 of the fork");
  const storage::NoteVerifier verifier = storage::VerifierOf(*key_);
  const std::string honest20 = Note(*honest, 20);
  const std::string fork30 = Note(*fork, 30);
  auto proof = ProveConsistency(fork->live(), 20, 30, 30);
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_THAT(VerifyConsistencyText(honest20, fork30,
                                    FormatConsistencyProof(*proof), verifier)
                  .status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("the log forked or was rewritten")));
  // Before the fork they agree, and the honest log grows consistently.
  const std::string honest9 = Note(*honest, 9);
  auto before = ProveConsistency(fork->live(), 9, 30, 30);
  EXPECT_THAT(VerifyConsistencyText(honest9, fork30,
                                    FormatConsistencyProof(*before), verifier)
                  .status(),
              IsOk());
  auto grown = Journal("grown", 26);
  auto ok = ProveConsistency(grown->live(), 20, 0, 26);
  ASSERT_TRUE(ok.ok());
  EXPECT_THAT(VerifyConsistencyText(honest20, Note(*grown, 26),
                                    FormatConsistencyProof(*ok), verifier)
                  .status(),
              IsOk());
}

// A checkpoint in the old (v1) form, signed over "smptrace-checkpoint-v1" ||
// seq || head hash, is still checked as before.
TEST_F(TlogProofTest, AnOldFormCheckpointStaysCheckable) {
  auto store = Journal("j", 8);
  const storage::JournalHead head = *storage::ReadJournalHead(store->live());
  v1::Checkpoint old;
  old.set_seq(head.seq);
  old.set_hash(storage::ToHex(head.hash));
  old.set_signature(storage::ToHex(
      *key_->Sign(storage::CheckpointMessage(head.seq, head.hash))));
  old.set_public_key_pem(key_->public_key_pem());
  old.set_key_id(key_->key_id());
  auto grown = Journal("grown", 12);
  auto r = CheckCheckpoint(grown->live(), old, key_->key_id());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->ok()) << r->detail();
}

TEST(ConsistencyProofFile, RoundTripsAndRefusesOtherText) {
  v1::ConsistencyProof p;
  p.set_old_size(3);
  p.set_new_size(7);
  p.add_hashes(std::string(32, 'a'));
  auto back = ParseConsistencyProof(FormatConsistencyProof(p));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->SerializeAsString(), p.SerializeAsString());
  EXPECT_THAT(ParseConsistencyProof("hello").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a consistency proof")));
}

}  // namespace
}  // namespace smptrace::proof
