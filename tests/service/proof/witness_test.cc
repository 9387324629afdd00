// The witness (c2sp.org/tlog-witness) against real logs: two stores that
// share a prefix and diverge (a fork), a log rolled back, a log that grew.
// The witness trusts the first checkpoint it sees, cosigns only a tree that
// extends the last one it cosigned, and otherwise refuses without advancing
// its state. Then the server's side: a cosigned note checked against the
// journal, kept, and served with the checkpoint.
#include "service/proof/witness.h"

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/proof/cosigned_checkpoint.h"
#include "service/proof/tlog_proof.h"
#include "storage/checkpoint_note.h"
#include "storage/cosignature.h"
#include "storage/journal.h"
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

constexpr char kWitness[] = "inspector.example.org/witness";
const absl::Time kNow = absl::FromUnixSeconds(1795000000);

class WitnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log_key = storage::CheckpointKey::LoadOrCreate(dir_.Sub("log.pem"));
    ASSERT_TRUE(log_key.ok()) << log_key.status();
    log_key_ = *std::move(log_key);
    auto witness_key =
        storage::CheckpointKey::LoadOrCreate(dir_.Sub("witness.pem"));
    ASSERT_TRUE(witness_key.ok()) << witness_key.status();
    witness_key_ = *std::move(witness_key);
    auto w = storage::ParseNoteVerifierKey(
        storage::NoteVerifierKey(kWitness, witness_key_->raw_public_key(),
                                 storage::NoteKeyType::kCosignatureV1),
        storage::NoteKeyType::kCosignatureV1);
    ASSERT_TRUE(w.ok()) << w.status();
    witness_ = *std::move(w);
    log_ = storage::VerifierOf(*log_key_);
    main_ = Journal("main", 10);
    // Shares entries 1..6 with main; entry 7 on differ.
    fork_ = Journal("fork", 10, /*diverge_at=*/7);
  }

  // A log of n entries, entries from `diverge_at` on written differently.
  std::unique_ptr<storage::Store> Journal(const std::string& name, int n,
                                          int diverge_at = 0) {
    auto store = storage::Store::Open(dir_.Sub(name), {});
    EXPECT_TRUE(store.ok()) << store.status();
    storage::JournalHead head;
    for (int i = 1; i <= n; ++i) {
      auto txn = (*store)->BeginWrite();
      const std::string event = (diverge_at > 0 && i >= diverge_at)
                                    ? "other-" + std::to_string(i)
                                    : "event-" + std::to_string(i);
      head = storage::AppendJournalEntry(*txn, head, event).value();
      EXPECT_TRUE((*store)->Commit(*txn, true).ok());
    }
    return *std::move(store);
  }

  std::string Note(const storage::Store& store, uint64_t size) {
    auto c = SignLogCheckpoint(store.live(), size, *log_key_);
    EXPECT_TRUE(c.ok()) << c.status();
    return c->note();
  }

  // The add-checkpoint request for `store` at `size`, proved from
  // `old_size` by that store's own tree.
  AddCheckpoint Request(const storage::Store& store, uint64_t old_size,
                        uint64_t size) {
    AddCheckpoint r;
    r.old_size = old_size;
    if (old_size > 0 && old_size < size) {
      r.proof = storage::ReadTlogConsistencyProof(store.live(), old_size, size)
                    .value();
    }
    r.note = Note(store, size);
    return r;
  }

  absl::StatusOr<WitnessVerdict> Witness(const AddCheckpoint& r,
                                         bool give_log_key = true) {
    std::optional<storage::NoteVerifier> key;
    if (give_log_key) key = log_;
    return WitnessCheckpoint(state_, r, key, *witness_key_, kWitness, kNow);
  }

  // Trusts main at `size` first.
  void SeeMainAt(uint64_t size) {
    auto first = Witness(Request(*main_, 0, size));
    ASSERT_TRUE(first.ok()) << first.status();
  }

  uint64_t HeldSize() {
    const WitnessedLog* held = state_.Find(log_.name);
    return held == nullptr ? 0 : held->size;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::CheckpointKey> log_key_;
  std::unique_ptr<storage::CheckpointKey> witness_key_;
  storage::NoteVerifier log_;
  storage::NoteVerifier witness_;
  std::unique_ptr<storage::Store> main_;
  std::unique_ptr<storage::Store> fork_;
  WitnessState state_;
};

TEST_F(WitnessTest, TheFirstCheckpointIsTrustedOnFirstUseAndCosigned) {
  const AddCheckpoint r = Request(*main_, 0, 6);
  auto verdict = Witness(r);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  EXPECT_TRUE(verdict->first_seen);
  EXPECT_THAT(verdict->detail, HasSubstr("trusted on first use"));
  EXPECT_EQ(HeldSize(), 6u);
  EXPECT_EQ(verdict->cosignature.time, 1795000000u);
  // The cosignature verifies over the checkpoint's text.
  auto split = storage::SplitSignedNote(r.note);
  ASSERT_TRUE(split.ok());
  EXPECT_THAT(
      storage::VerifyCosignature(verdict->cosignature, witness_, split->text),
      IsOk());
}

TEST_F(WitnessTest, ALogItHasNotSeenNeedsTheLogsKey) {
  EXPECT_THAT(Witness(Request(*main_, 0, 6), /*give_log_key=*/false),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("the witness has never seen log")));
  EXPECT_EQ(HeldSize(), 0u);
}

TEST_F(WitnessTest, ItAdvancesOnAConsistentLargerCheckpoint) {
  ASSERT_NO_FATAL_FAILURE(SeeMainAt(6));
  auto verdict = Witness(Request(*main_, 6, 10), /*give_log_key=*/false);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  EXPECT_FALSE(verdict->first_seen);
  EXPECT_THAT(verdict->detail,
              HasSubstr("it extends the tree of size 6 this witness "
                        "cosigned before"));
  EXPECT_EQ(HeldSize(), 10u);
}

TEST_F(WitnessTest, AForkThatDivergedBeforeTheHeldTreeIsRefused) {
  ASSERT_NO_FATAL_FAILURE(SeeMainAt(8));
  // The fork's own proof from 8 to 10: consistent within the fork, but its
  // tree of 8 is not the one the witness cosigned.
  EXPECT_THAT(Witness(Request(*fork_, 8, 10)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not extend the tree of 8 entries this "
                                 "witness cosigned before")));
  EXPECT_EQ(HeldSize(), 8u);
  EXPECT_EQ(state_.Find(log_.name)->root,
            *storage::ReadTlogRoot(main_->live(), 8));
  // Main goes on being cosigned.
  EXPECT_THAT(Witness(Request(*main_, 8, 10)).status(), IsOk());
}

TEST_F(WitnessTest, AForkOfTheSameSizeIsRefused) {
  ASSERT_NO_FATAL_FAILURE(SeeMainAt(8));
  auto refused = Witness(Request(*fork_, 8, 8));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("the log forked (two different "
                                          "histories of the same length)")));
  EXPECT_THAT(refused.status().message(),
              HasSubstr("refused, nothing cosigned"));
  EXPECT_EQ(state_.Find(log_.name)->root,
            *storage::ReadTlogRoot(main_->live(), 8));
}

TEST_F(WitnessTest, AForkThatDivergedAfterTheHeldTreeIsAnExtension) {
  // Both logs hold the same first 6 entries: what the witness saw at 6 is
  // extended by either; the first it cosigns past 6 then decides.
  ASSERT_NO_FATAL_FAILURE(SeeMainAt(6));
  ASSERT_THAT(Witness(Request(*fork_, 6, 9)).status(), IsOk());
  EXPECT_THAT(Witness(Request(*main_, 9, 10)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not extend the tree of 9 entries")));
  EXPECT_EQ(HeldSize(), 9u);
}

TEST_F(WitnessTest, ARolledBackLogIsRefused) {
  ASSERT_NO_FATAL_FAILURE(SeeMainAt(10));
  AddCheckpoint r = Request(*main_, 0, 8);
  r.old_size = 10;
  EXPECT_THAT(Witness(r),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("now shows 8 entries, fewer than the 10 this "
                                 "witness already cosigned: the log was "
                                 "rolled back")));
  EXPECT_EQ(HeldSize(), 10u);
}

TEST_F(WitnessTest, AProofFromAnotherSizeIsRefused) {
  ASSERT_NO_FATAL_FAILURE(SeeMainAt(6));
  EXPECT_THAT(Witness(Request(*main_, 4, 10)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("ask for a consistency proof from 6")));
  EXPECT_EQ(HeldSize(), 6u);
}

TEST_F(WitnessTest, AnotherKeyForAKnownLogIsRefused) {
  ASSERT_NO_FATAL_FAILURE(SeeMainAt(6));
  auto other = storage::CheckpointKey::LoadOrCreate(dir_.Sub("other.pem"));
  ASSERT_TRUE(other.ok());
  storage::NoteVerifier wrong = log_;
  wrong.raw_public_key = (*other)->raw_public_key();
  EXPECT_THAT(WitnessCheckpoint(state_, Request(*main_, 6, 10), wrong,
                                *witness_key_, kWitness, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is not the one the witness has trusted")));
}

TEST_F(WitnessTest, AnUnsignedOrAlteredCheckpointIsRefused) {
  AddCheckpoint r = Request(*main_, 0, 6);
  r.note[r.note.find("\n6\n") + 1] = '5';
  EXPECT_THAT(Witness(r), StatusIs(absl::StatusCode::kFailedPrecondition,
                                   HasSubstr("the checkpoint was altered")));
  EXPECT_EQ(HeldSize(), 0u);
}

TEST_F(WitnessTest, TheRequestIsTheTlogWitnessAddCheckpointBody) {
  const AddCheckpoint r = Request(*main_, 6, 10);
  const std::string text = FormatAddCheckpoint(r);
  EXPECT_THAT(text, ::testing::StartsWith("old 6\n"));
  auto parsed = ParseAddCheckpoint(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->old_size, 6u);
  EXPECT_EQ(parsed->proof, r.proof);
  EXPECT_EQ(parsed->note, r.note);
  EXPECT_THAT(ParseAddCheckpoint("old six\n\n" + r.note),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'old <tree size>'")));
}

TEST_F(WitnessTest, TheStateFileIsPrivateReplacedWholeAndLocked) {
  const std::string path = dir_.Sub("witness.state");
  {
    auto file = WitnessStateFile::Open(path);
    ASSERT_TRUE(file.ok()) << file.status();
    auto verdict = WitnessCheckpoint((*file)->state(), Request(*main_, 0, 6),
                                     log_, *witness_key_, kWitness, kNow);
    ASSERT_TRUE(verdict.ok()) << verdict.status();
    // A second run waits its turn.
    EXPECT_THAT(WitnessStateFile::Open(path),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("another witness run is using it")));
    ASSERT_THAT((*file)->Save(), IsOk());
  }
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto reopened = WitnessStateFile::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  const WitnessedLog* held = (*reopened)->state().Find(log_.name);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->size, 6u);
  EXPECT_EQ(held->root, *storage::ReadTlogRoot(main_->live(), 6));
  reopened->reset();
  chmod(path.c_str(), 0644);
  EXPECT_THAT(
      WitnessStateFile::Open(path),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("chmod 600")));
}

// ---- the server's side ------------------------------------------------------

TEST_F(WitnessTest, TheServerKeepsAValidCosignatureAndServesIt) {
  const AddCheckpoint r = Request(*main_, 0, 8);
  auto verdict = Witness(r);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  const std::string cosigned = r.note + verdict->cosignature.Line() + "\n";
  auto checked =
      CheckCosignedNote(main_->live(), cosigned, 10, *log_key_, {witness_});
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->size, 8u);
  ASSERT_EQ(checked->cosignatures.size(), 1u);
  EXPECT_EQ(*storage::KeepCosignature(*main_, 8, checked->cosignatures[0]),
            true);
  // Again (a retry): kept once.
  EXPECT_EQ(*storage::KeepCosignature(*main_, 8, checked->cosignatures[0]),
            false);
  EXPECT_EQ(*storage::LastCosignedSize(main_->live()), 8u);

  auto served = SignLogCheckpoint(main_->live(), 8, *log_key_);
  ASSERT_TRUE(served.ok()) << served.status();
  ASSERT_EQ(served->cosignatures_size(), 1);
  EXPECT_EQ(served->cosignatures(0).witness(), kWitness);
  EXPECT_EQ(served->cosignatures(0).time().seconds(), 1795000000);
  EXPECT_EQ(served->note(), cosigned);
  auto opened = OpenCosignedCheckpoint(served->note(), log_, {witness_});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->cosignatures.size(), 1u);
  EXPECT_TRUE(opened->missing.empty());
  // Another size carries none.
  EXPECT_EQ(SignLogCheckpoint(main_->live(), 9, *log_key_)->cosignatures_size(),
            0);
}

TEST_F(WitnessTest, TheServerRefusesWhatItCannotCheck) {
  const AddCheckpoint r = Request(*main_, 0, 8);
  auto verdict = Witness(r);
  ASSERT_TRUE(verdict.ok());
  const std::string line = verdict->cosignature.Line() + "\n";
  // A witness the server does not know.
  auto stranger = storage::CheckpointKey::LoadOrCreate(dir_.Sub("s.pem"));
  ASSERT_TRUE(stranger.ok());
  storage::NoteVerifier other = witness_;
  other.name = "someone.example/else";
  other.key_id = storage::NoteKeyId(other.name, (*stranger)->raw_public_key(),
                                    storage::NoteKeyType::kCosignatureV1);
  EXPECT_THAT(
      CheckCosignedNote(main_->live(), r.note + line, 10, *log_key_, {other}),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("no cosignature by a witness this server knows")));
  EXPECT_THAT(
      CheckCosignedNote(main_->live(), r.note + line, 10, *log_key_, {}),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("this server knows no witness")));
  // The fork's checkpoint of 8: not this log's tree.
  EXPECT_THAT(CheckCosignedNote(main_->live(), Note(*fork_, 8) + line, 10,
                                *log_key_, {witness_}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("it is not a checkpoint this log signed")));
  // The cosignature of 8 moved onto the checkpoint of 9.
  EXPECT_THAT(CheckCosignedNote(main_->live(), Note(*main_, 9) + line, 10,
                                *log_key_, {witness_}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not match this checkpoint")));
  // Larger than the log.
  EXPECT_THAT(
      CheckCosignedNote(main_->live(), r.note + line, 7, *log_key_, {witness_}),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("more than this log holds")));
}

TEST(WitnessKeys, AFileOfKeysSkipsCommentsAndNamesABadLine) {
  auto keys = ParseWitnessKeys(
      "# the inspector's witness\n\n"
      "w.example/1+aabbccdd+BA==\n");
  EXPECT_THAT(
      keys, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 3")));
  EXPECT_TRUE(ParseWitnessKeys("# none yet\n")->empty());
}

}  // namespace
}  // namespace smptrace::proof
