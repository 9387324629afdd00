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

}  // namespace
}  // namespace smptrace::storage
