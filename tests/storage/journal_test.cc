#include "storage/journal.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

using ::testing::HasSubstr;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  // Appends `n` entries "event-1".."event-n" in one commit each.
  void Append(int n) {
    for (int i = 0; i < n; ++i) {
      auto txn = store_->BeginWrite();
      head_ = AppendJournalEntry(*txn, head_,
                                 "event-" + std::to_string(head_.seq + 1))
                  .value();
      ASSERT_TRUE(store_->Commit(*txn, true).ok());
    }
  }

  std::string Raw(uint64_t seq) {
    return **store_->live().Get(Cf::kJournal, keys::JournalKey(seq));
  }
  // Writes raw bytes under a journal key, bypassing the journal: tampering.
  void Poke(uint64_t seq, const std::string& value) {
    auto txn = store_->BeginWrite();
    txn->Put(Cf::kJournal, keys::JournalKey(seq), value);
    ASSERT_TRUE(store_->Commit(*txn, true).ok());
  }
  void Remove(uint64_t seq) {
    auto txn = store_->BeginWrite();
    txn->Delete(Cf::kJournal, keys::JournalKey(seq));
    ASSERT_TRUE(store_->Commit(*txn, true).ok());
  }
  JournalVerification Verify() {
    auto v = VerifyJournal(store_->live());
    EXPECT_TRUE(v.ok()) << v.status();
    return *v;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  JournalHead head_;
};

TEST(JournalEntryHash, IsSha256OfPrevHashSeqAndEvent) {
  // SHA-256 of 32 zero bytes || 00 00 00 00 00 00 00 01 || "abc", computed
  // independently (python3 hashlib).
  std::string zero(32, '\0');
  EXPECT_EQ(ToHex(JournalEntryHash(zero, 1, "abc")),
            "328976acf07e9b1c4a8967f2d63902c9a724235b6363ac83087246ad84cd222a");
  // The seq is part of the hash: same bytes at another position differ.
  EXPECT_NE(JournalEntryHash(zero, 1, "abc"), JournalEntryHash(zero, 2, "abc"));
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(JournalTest, EmptyJournalVerifies) {
  JournalVerification v = Verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.entries, 0u);
  EXPECT_EQ(v.good_head.seq, 0u);
}

TEST_F(JournalTest, ChainLinksEachEntryToThePreviousHash) {
  Append(5);
  JournalVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.detail;
  EXPECT_EQ(v.entries, 5u);
  EXPECT_EQ(v.good_head.seq, 5u);
  EXPECT_EQ(v.good_head.hash, head_.hash);
  auto head = ReadJournalHead(store_->live());
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 5u);
  EXPECT_EQ(head->hash, head_.hash);

  int seen = 0;
  std::string prev(kHashSize, '\0');
  ASSERT_TRUE(
      ForEachJournalEntry(store_->live(), 1, [&](const JournalEntryView& e) {
        ++seen;
        EXPECT_EQ(e.seq, static_cast<uint64_t>(seen));
        EXPECT_EQ(e.prev_hash, prev);
        EXPECT_EQ(e.event, "event-" + std::to_string(seen));
        prev = std::string(e.hash);
        return true;
      }).ok());
  EXPECT_EQ(seen, 5);
}

TEST_F(JournalTest, ChangedByteInAnEventIsAHashMismatchAtThatSeq) {
  Append(6);
  std::string raw = Raw(4);
  raw.back() ^= 0x01;  // last byte of the event
  Poke(4, raw);
  JournalVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 4u);
  EXPECT_EQ(v.problem, JournalProblem::kHashMismatch);
  EXPECT_EQ(v.entries, 3u);
  EXPECT_EQ(v.good_head.seq, 3u);
  EXPECT_THAT(v.detail, HasSubstr("seq 4 stores hash"));
}

TEST_F(JournalTest, ChangedStoredHashIsCaught) {
  Append(3);
  std::string raw = Raw(2);
  raw[kHashSize] ^= 0x80;  // first byte of the stored hash
  Poke(2, raw);
  JournalVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2u);
  EXPECT_EQ(v.problem, JournalProblem::kHashMismatch);
}

TEST_F(JournalTest, EventRewrittenWithRecomputedHashBreaksTheNextLink) {
  Append(5);
  // A forger rewrites entry 3 and recomputes its own hash, but cannot fix
  // entry 4's prev_hash without rewriting everything after it.
  std::string raw = Raw(3);
  std::string prev = raw.substr(0, kHashSize);
  std::string forged_event = "event-FORGED";
  Poke(3, prev + JournalEntryHash(prev, 3, forged_event) + forged_event);
  JournalVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 4u);
  EXPECT_EQ(v.problem, JournalProblem::kBrokenLink);
  EXPECT_THAT(v.detail, HasSubstr("seq 4 links to"));
}

TEST_F(JournalTest, DeletedEntryIsAGapNamingTheMissingSeq) {
  Append(6);
  Remove(3);
  JournalVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3u);
  EXPECT_EQ(v.problem, JournalProblem::kGap);
  EXPECT_THAT(v.detail, HasSubstr("seq 3 is missing"));
  EXPECT_EQ(v.entries, 2u);
}

TEST_F(JournalTest, SwappedEntriesAreCaughtAtTheFirstOfThem) {
  Append(6);
  std::string a = Raw(2), b = Raw(3);
  Poke(2, b);
  Poke(3, a);
  JournalVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2u);
  EXPECT_EQ(v.problem, JournalProblem::kBrokenLink);
}

TEST_F(JournalTest, TruncatedTailIsAHeadMismatch) {
  Append(5);
  Remove(5);
  JournalVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.problem, JournalProblem::kHeadMismatch);
  EXPECT_EQ(v.first_bad_seq, 5u);
  EXPECT_THAT(v.detail, HasSubstr("ends at seq 4"));
}

TEST_F(JournalTest, TooShortValueIsUnreadable) {
  Append(3);
  Poke(2, "tiny");
  JournalVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2u);
  EXPECT_EQ(v.problem, JournalProblem::kUnreadable);
}

TEST_F(JournalTest, VerificationRereadsAfterReopen) {
  Append(4);
  store_.reset();
  StoreOptions ro;
  ro.read_only = true;
  auto store = Store::Open(dir_.Sub("db"), ro);
  ASSERT_TRUE(store.ok()) << store.status();
  auto v = VerifyJournal((*store)->live());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok);
  EXPECT_EQ(v->entries, 4u);
}

// Verification in ranges of 4 entries on 3 threads (VerifyOptions): damage
// anywhere, also at the first or last entry of a range, is named at its seq
// as a single sequential pass names it.
class RangedVerifyTest : public JournalTest {
 protected:
  static constexpr int kEntries = 23;
  void SetUp() override {
    JournalTest::SetUp();
    auto txn = store_->BeginWrite();
    for (int i = 1; i <= kEntries; ++i) {
      head_ =
          AppendJournalEntry(*txn, head_, "event-" + std::to_string(i)).value();
    }
    ASSERT_TRUE(store_->Commit(*txn, true).ok());
  }
  // Verification after entry `seq`, trusting it as a mark.
  VerifyOptions Since(uint64_t seq) {
    VerifyOptions since;
    since.from.seq = seq;
    since.from.hash = Raw(seq).substr(kHashSize, kHashSize);
    since.check_tree = false;
    since.range_level = 2;
    return since;
  }
  JournalVerification VerifyInRanges(int range_level = 2, int threads = 3) {
    VerifyOptions options;
    options.range_level = range_level;
    options.threads = threads;
    auto v = VerifyJournal(store_->live(), options);
    EXPECT_TRUE(v.ok()) << v.status();
    return *v;
  }
};

TEST_F(RangedVerifyTest, AnIntactJournalVerifiesWhateverTheRangesAndThreads) {
  for (int level = 1; level <= 6; ++level) {
    for (int threads = 1; threads <= 4; ++threads) {
      JournalVerification v = VerifyInRanges(level, threads);
      EXPECT_TRUE(v.ok) << level << "/" << threads << ": " << v.detail;
      EXPECT_EQ(v.entries, 23u);
      EXPECT_EQ(v.good_head.seq, 23u);
      EXPECT_EQ(v.good_head.hash, head_.hash);
    }
  }
}

TEST_F(RangedVerifyTest, AFlippedByteIsNamedAtItsSeqInWhicheverRange) {
  for (uint64_t seq = 1; seq <= kEntries; ++seq) {
    const std::string original = Raw(seq);
    std::string flipped = original;
    flipped.back() ^= 0x01;
    Poke(seq, flipped);
    JournalVerification v = VerifyInRanges();
    EXPECT_FALSE(v.ok) << seq;
    EXPECT_EQ(v.first_bad_seq, seq);
    EXPECT_EQ(v.problem, JournalProblem::kHashMismatch) << seq;
    EXPECT_EQ(v.entries, seq - 1);
    Poke(seq, original);
  }
  EXPECT_TRUE(VerifyInRanges().ok);
}

TEST_F(RangedVerifyTest, AMissingEntryIsAGapAtItsSeqAlsoAtTheEndsOfRanges) {
  for (uint64_t seq : {1, 4, 5, 8, 9, 12, 22}) {
    const std::string original = Raw(seq);
    Remove(seq);
    JournalVerification v = VerifyInRanges();
    EXPECT_EQ(v.first_bad_seq, seq);
    EXPECT_EQ(v.problem, JournalProblem::kGap) << seq;
    EXPECT_THAT(v.detail,
                HasSubstr("seq " + std::to_string(seq) + " is missing"));
    Poke(seq, original);
  }
  // A whole range gone.
  for (uint64_t seq = 5; seq <= 8; ++seq) Remove(seq);
  JournalVerification v = VerifyInRanges();
  EXPECT_EQ(v.first_bad_seq, 5u);
  EXPECT_THAT(v.detail, HasSubstr("seq 4 is followed by seq 9"));
}

TEST_F(RangedVerifyTest, AnEntryRewrittenWholeBreaksTheLinkIntoTheNextRange) {
  // Seq 4 ends the first range: its successor starts the second.
  const std::string event = "forged";
  const std::string prev = Raw(4).substr(0, kHashSize);
  Poke(4, prev + JournalEntryHash(prev, 4, event) + event);
  JournalVerification v = VerifyInRanges();
  EXPECT_EQ(v.first_bad_seq, 5u);
  EXPECT_EQ(v.problem, JournalProblem::kBrokenLink);
  EXPECT_THAT(v.detail, HasSubstr("seq 5 links to"));
}

TEST_F(RangedVerifyTest, OfTwoDamagesTheFirstIsNamed) {
  std::string late = Raw(19);
  late.back() ^= 0x01;
  Poke(19, late);
  Remove(6);
  JournalVerification v = VerifyInRanges();
  EXPECT_EQ(v.first_bad_seq, 6u);
  EXPECT_EQ(v.problem, JournalProblem::kGap);
}

TEST_F(RangedVerifyTest, FromAMarkOnlyTheLaterEntriesAreChecked) {
  const VerifyOptions since = Since(10);
  std::string early = Raw(3);
  early.back() ^= 0x01;
  Poke(3, early);
  auto v = VerifyJournal(store_->live(), since);
  ASSERT_THAT(v, testing::IsOk());
  EXPECT_TRUE(v->ok) << "seq 3 is before the mark: " << v->detail;
  EXPECT_EQ(v->entries, 13u);
  EXPECT_EQ(v->good_head.seq, 23u);

  std::string late = Raw(15);
  late.back() ^= 0x01;
  Poke(15, late);
  v = VerifyJournal(store_->live(), since);
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 15u);
}

TEST_F(RangedVerifyTest, FromAMarkTheMarkedEntryMustStillHoldItsHash) {
  const VerifyOptions since = Since(10);
  const std::string event = "forged";
  const std::string prev = Raw(10).substr(0, kHashSize);
  Poke(10, prev + JournalEntryHash(prev, 10, event) + event);
  auto v = VerifyJournal(store_->live(), since);
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 10u);
  EXPECT_THAT(v->detail, HasSubstr("no longer holds the hash"));
}

TEST_F(JournalTest, TheVerificationMarkRoundTrips) {
  EXPECT_FALSE(ReadVerifiedMark(store_->live())->has_value());
  Append(3);
  auto txn = store_->BeginWrite();
  PutVerifiedMark(*txn, head_);
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  auto mark = ReadVerifiedMark(store_->live());
  ASSERT_TRUE(mark.ok() && mark->has_value());
  EXPECT_EQ((*mark)->seq, 3u);
  EXPECT_EQ((*mark)->hash, head_.hash);
  txn = store_->BeginWrite();
  ClearVerifiedMark(*txn);
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  EXPECT_FALSE(ReadVerifiedMark(store_->live())->has_value());
}

}  // namespace
}  // namespace smptrace::storage
