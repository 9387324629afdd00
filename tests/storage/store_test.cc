#include "storage/store.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

using ::smptrace::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Keys(const Reader& r, Cf cf, std::string_view begin,
                              std::string_view end, bool reverse = false) {
  std::vector<std::string> out;
  auto fn = [&](std::string_view k, std::string_view) {
    out.emplace_back(k);
    return true;
  };
  absl::Status s =
      reverse ? r.ScanReverse(cf, begin, end, fn) : r.Scan(cf, begin, end, fn);
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, CommittedWritesAreReadableAndColumnFamiliesAreSeparate) {
  auto txn = store_->BeginWrite();
  txn->Put(Cf::kState, "k", "state");
  txn->Put(Cf::kIndex, "k", "index");
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  EXPECT_EQ(**store_->live().Get(Cf::kState, "k"), "state");
  EXPECT_EQ(**store_->live().Get(Cf::kIndex, "k"), "index");
  EXPECT_FALSE(store_->live().Get(Cf::kIdem, "k")->has_value());
}

TEST_F(StoreTest, UncommittedWritesAreVisibleOnlyInsideTheTransaction) {
  auto txn = store_->BeginWrite();
  txn->Put(Cf::kState, "a", "1");
  EXPECT_EQ(**txn->Get(Cf::kState, "a"), "1");
  EXPECT_FALSE(store_->live().Get(Cf::kState, "a")->has_value());
}

TEST_F(StoreTest, RollbackToSavePointUndoesOnlyLaterWrites) {
  auto txn = store_->BeginWrite();
  txn->Put(Cf::kState, "kept", "1");
  txn->SetSavePoint();
  txn->Put(Cf::kState, "dropped", "2");
  txn->Put(Cf::kState, "kept", "changed");
  txn->RollbackToSavePoint();
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  EXPECT_EQ(**store_->live().Get(Cf::kState, "kept"), "1");
  EXPECT_FALSE(store_->live().Get(Cf::kState, "dropped")->has_value());
}

TEST_F(StoreTest, ScansAreBoundedAndMergeTransactionWithDatabase) {
  auto txn = store_->BeginWrite();
  for (std::string k : {"a1", "a2", "a3", "b1"}) txn->Put(Cf::kState, k, "");
  ASSERT_TRUE(store_->Commit(*txn, true).ok());

  EXPECT_THAT(Keys(store_->live(), Cf::kState, "a", "b"),
              ElementsAre("a1", "a2", "a3"));
  EXPECT_THAT(Keys(store_->live(), Cf::kState, "a", "b", true),
              ElementsAre("a3", "a2", "a1"));
  EXPECT_THAT(Keys(store_->live(), Cf::kState, "a2", ""),
              ElementsAre("a2", "a3", "b1"));

  auto t2 = store_->BeginWrite();
  t2->Put(Cf::kState, "a25", "");
  t2->Delete(Cf::kState, "a1");
  EXPECT_THAT(Keys(*t2, Cf::kState, "a", "b"), ElementsAre("a2", "a25", "a3"));
  EXPECT_THAT(Keys(*t2, Cf::kState, "a", "b", true),
              ElementsAre("a3", "a25", "a2"));
}

// A transaction begun after another reads through it (its own writes first,
// then the other's, then the store's), before, while and after the other
// is committed, and commits only its own writes.
TEST_F(StoreTest, TransactionAfterAnotherReadsThroughItAndWritesOnlyItsOwn) {
  auto t0 = store_->BeginWrite();
  for (std::string k : {"a1", "a2", "a3", "a4"}) t0->Put(Cf::kState, k, "db");
  ASSERT_TRUE(store_->Commit(*t0, true).ok());

  auto base = store_->BeginWrite();
  base->Put(Cf::kState, "a2", "base");
  base->Delete(Cf::kState, "a3");
  base->Put(Cf::kState, "a5", "base");
  base->Put(Cf::kIndex, "a2", "index");
  auto next = store_->BeginWriteAfter(*base);
  next->Put(Cf::kState, "a4", "next");
  next->Delete(Cf::kState, "a5");
  next->Put(Cf::kState, "a6", "next");

  auto expect_view = [&](const char* when) {
    SCOPED_TRACE(when);
    EXPECT_EQ(**next->Get(Cf::kState, "a1"), "db");
    EXPECT_EQ(**next->Get(Cf::kState, "a2"), "base");
    EXPECT_FALSE(next->Get(Cf::kState, "a3")->has_value());
    EXPECT_EQ(**next->Get(Cf::kState, "a4"), "next");
    EXPECT_FALSE(next->Get(Cf::kState, "a5")->has_value());
    EXPECT_EQ(**next->Get(Cf::kState, "a6"), "next");
    EXPECT_EQ(**next->Get(Cf::kIndex, "a2"), "index");
    EXPECT_FALSE(next->Get(Cf::kIndex, "a1")->has_value());
    EXPECT_THAT(Keys(*next, Cf::kState, "a", "b"),
                ElementsAre("a1", "a2", "a4", "a6"));
    EXPECT_THAT(Keys(*next, Cf::kState, "a", "b", true),
                ElementsAre("a6", "a4", "a2", "a1"));
    EXPECT_THAT(Keys(*next, Cf::kState, "a2", "a5"), ElementsAre("a2", "a4"));
  };
  expect_view("base not committed");
  // The base's own view is untouched by the later transaction.
  EXPECT_EQ(**base->Get(Cf::kState, "a4"), "db");
  EXPECT_EQ(**base->Get(Cf::kState, "a5"), "base");

  ASSERT_TRUE(store_->Commit(*base, true).ok());
  expect_view("base committed");
  next->ForgetBase();
  base.reset();
  expect_view("base forgotten");
  ASSERT_TRUE(store_->Commit(*next, true).ok());
  EXPECT_THAT(Keys(store_->live(), Cf::kState, "a", "b"),
              ElementsAre("a1", "a2", "a4", "a6"));
  EXPECT_EQ(**store_->live().Get(Cf::kState, "a2"), "base");
  EXPECT_EQ(**store_->live().Get(Cf::kState, "a4"), "next");
}

// A transaction reads a key under its own writes once (store.h): a second
// Get answers from what the first found, so a commit made meanwhile by
// another transaction (which the ledger's single writer never makes) is not
// seen; the transaction's own writes, and their rollback, still are.
TEST_F(StoreTest, TransactionKeepsWhatItReadUnderItsOwnWrites) {
  auto t0 = store_->BeginWrite();
  t0->Put(Cf::kState, "k", "first");
  ASSERT_TRUE(store_->Commit(*t0, true).ok());

  auto txn = store_->BeginWrite();
  EXPECT_EQ(**txn->Get(Cf::kState, "k"), "first");
  EXPECT_FALSE(txn->Get(Cf::kState, "absent")->has_value());
  auto other = store_->BeginWrite();
  other->Put(Cf::kState, "k", "second");
  other->Put(Cf::kState, "absent", "now");
  ASSERT_TRUE(store_->Commit(*other, true).ok());
  EXPECT_EQ(**txn->Get(Cf::kState, "k"), "first");
  EXPECT_FALSE(txn->Get(Cf::kState, "absent")->has_value());

  txn->SetSavePoint();
  txn->Put(Cf::kState, "k", "own");
  EXPECT_EQ(**txn->Get(Cf::kState, "k"), "own");
  txn->RollbackToSavePoint();
  EXPECT_EQ(**txn->Get(Cf::kState, "k"), "first");
  EXPECT_EQ(**store_->BeginWrite()->Get(Cf::kState, "k"), "second");
}

// Every read of a transaction (Get, and scans both ways with any bounds,
// stopped early or not) agrees with a plain map of what it should see,
// through random puts, deletes, save points and rollbacks in a transaction
// and in the one it was begun after, before and after either is committed;
// and GetOwn sees only the transaction's own writes.
TEST_F(StoreTest, TransactionReadsAgreeWithAModelThroughRandomWrites) {
  using Model = std::map<std::string, std::string>;
  std::mt19937 rng(20261202);
  auto pick = [&](int n) {
    return static_cast<int>(std::uniform_int_distribution<>(0, n - 1)(rng));
  };
  auto key = [&] { return absl::StrCat("k", pick(24) + 10); };
  // The transaction's own writes (nullopt: a delete), as GetOwn sees them.
  using OwnModel = std::map<std::string, std::optional<std::string>>;
  // Applies one random write to `txn` and to `model` (and `own`) alike.
  auto write = [&](WriteTxn& txn, Model& model, const std::string& tag,
                   OwnModel* own = nullptr) {
    const std::string k = key();
    std::optional<std::string> v;
    if (pick(4) == 0) {
      txn.Delete(Cf::kState, k);
      model.erase(k);
    } else {
      v = absl::StrCat(tag, pick(1000));
      txn.Put(Cf::kState, k, *v);
      model[k] = *v;
    }
    if (own != nullptr) (*own)[k] = v;
  };
  // GetOwn reads neither base's writes nor the store.
  auto expect_own = [&](const WriteTxn& txn, const OwnModel& own) {
    for (int i = 10; i < 34; ++i) {
      const std::string k = absl::StrCat("k", i);
      auto want = own.find(k);
      EXPECT_EQ(txn.GetOwn(Cf::kState, k),
                want == own.end() ? std::nullopt : want->second)
          << k;
    }
  };
  auto expect_agrees = [&](const Reader& r, const Model& model) {
    for (int i = 10; i < 34; ++i) {
      const std::string k = absl::StrCat("k", i);
      auto got = r.Get(Cf::kState, k);
      ASSERT_TRUE(got.ok()) << got.status();
      auto want = model.find(k);
      if (want == model.end()) {
        EXPECT_FALSE(got->has_value()) << k;
      } else {
        EXPECT_EQ(got->value_or("<none>"), want->second) << k;
      }
    }
    for (int round = 0; round < 6; ++round) {
      const std::string begin = pick(5) == 0 ? "" : key();
      const std::string end = pick(4) == 0 ? "" : key();
      const bool reverse = pick(2) == 1;
      const size_t stop_after = pick(3) == 0 ? 1 + pick(4) : SIZE_MAX;
      std::vector<std::pair<std::string, std::string>> want;
      for (const auto& [k, v] : model) {
        if (k >= begin && (end.empty() || k < end)) want.emplace_back(k, v);
      }
      if (reverse) std::reverse(want.begin(), want.end());
      if (want.size() > stop_after) want.resize(stop_after);
      std::vector<std::pair<std::string, std::string>> got;
      auto fn = [&](std::string_view k, std::string_view v) {
        got.emplace_back(k, v);
        return got.size() < stop_after;
      };
      absl::Status s = reverse ? r.ScanReverse(Cf::kState, begin, end, fn)
                               : r.Scan(Cf::kState, begin, end, fn);
      ASSERT_TRUE(s.ok()) << s;
      EXPECT_EQ(got, want) << "[" << begin << ", " << end << ")"
                           << (reverse ? " reversed" : "") << " stop after "
                           << stop_after;
    }
  };

  Model db;
  for (int trial = 0; trial < 40; ++trial) {
    SCOPED_TRACE(absl::StrCat("trial ", trial));
    auto base = store_->BeginWrite();
    Model base_view = db;
    for (int i = pick(12); i > 0; --i) write(*base, base_view, "base");
    auto next = store_->BeginWriteAfter(*base);
    Model next_view = base_view;
    OwnModel next_own;
    // Save points as the ledger sets them (one per command), nested too.
    std::vector<std::pair<Model, OwnModel>> saved;
    for (int step = 0; step < 30; ++step) {
      switch (pick(6)) {
        case 0:
          next->SetSavePoint();
          saved.emplace_back(next_view, next_own);
          break;
        case 1:
          if (saved.empty()) break;
          next->RollbackToSavePoint();
          std::tie(next_view, next_own) = saved.back();
          saved.pop_back();
          break;
        case 2:
          if (saved.empty()) break;
          next->PopSavePoint();
          saved.pop_back();
          break;
        default:
          write(*next, next_view, "next", &next_own);
      }
      if (step % 5 == 0) {
        ASSERT_NO_FATAL_FAILURE(expect_agrees(*next, next_view));
        ASSERT_NO_FATAL_FAILURE(expect_agrees(*base, base_view));
        ASSERT_NO_FATAL_FAILURE(expect_own(*next, next_own));
      }
    }
    while (!saved.empty()) {
      next->PopSavePoint();
      saved.pop_back();
    }
    ASSERT_NO_FATAL_FAILURE(expect_agrees(*next, next_view));
    ASSERT_NO_FATAL_FAILURE(expect_own(*next, next_own));
    ASSERT_TRUE(store_->Commit(*base, true).ok());
    ASSERT_NO_FATAL_FAILURE(expect_agrees(*next, next_view));
    ASSERT_NO_FATAL_FAILURE(expect_own(*next, next_own));
    ASSERT_NO_FATAL_FAILURE(expect_agrees(store_->live(), base_view));
    next->ForgetBase();
    base.reset();
    ASSERT_NO_FATAL_FAILURE(expect_agrees(*next, next_view));
    if (pick(5) == 0) {
      // Abandoned: the store keeps base's writes only.
      db = base_view;
    } else {
      ASSERT_TRUE(store_->Commit(*next, true).ok());
      db = next_view;
    }
    ASSERT_NO_FATAL_FAILURE(expect_agrees(store_->live(), db));
  }
}

// A callback's error stops the scan at that key and is what Scan returns,
// for every kind of reader and in both directions.
TEST_F(StoreTest, ScanStopsAtTheCallbacksErrorAndReturnsIt) {
  auto txn = store_->BeginWrite();
  for (std::string k : {"a1", "a2", "a3"}) txn->Put(Cf::kState, k, "");
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  std::unique_ptr<Reader> snapshot = store_->NewSnapshot();
  std::unique_ptr<WriteTxn> open = store_->BeginWrite();
  // Transactions whose own writes, or whose base's, hold the damaged key
  // and its neighbours.
  std::unique_ptr<WriteTxn> writing = store_->BeginWrite();
  writing->Put(Cf::kState, "a2", "own");
  writing->Put(Cf::kState, "a3", "own");
  std::unique_ptr<WriteTxn> after = store_->BeginWriteAfter(*writing);
  after->Put(Cf::kState, "a1", "after");
  const std::vector<const Reader*> readers = {
      &store_->live(), snapshot.get(), open.get(), writing.get(), after.get()};
  for (const Reader* r : readers) {
    for (bool reverse : {false, true}) {
      std::vector<std::string> seen;
      auto fn = [&](std::string_view k,
                    std::string_view) -> absl::StatusOr<bool> {
        seen.emplace_back(k);
        if (k == "a2") return absl::DataLossError("record a2 is damaged");
        return true;
      };
      absl::Status s = reverse ? r->ScanReverse(Cf::kState, "a", "b", fn)
                               : r->Scan(Cf::kState, "a", "b", fn);
      EXPECT_THAT(s, StatusIs(absl::StatusCode::kDataLoss,
                              HasSubstr("record a2 is damaged")));
      EXPECT_THAT(seen,
                  reverse ? ElementsAre("a3", "a2") : ElementsAre("a1", "a2"));
    }
  }
}

TEST_F(StoreTest, ScanStopsWithoutErrorWhenTheCallbackReturnsFalse) {
  auto txn = store_->BeginWrite();
  for (std::string k : {"a1", "a2", "a3"}) txn->Put(Cf::kState, k, "");
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  std::vector<std::string> seen;
  EXPECT_TRUE(store_->live()
                  .Scan(Cf::kState, "a", "b",
                        [&](std::string_view k,
                            std::string_view) -> absl::StatusOr<bool> {
                          seen.emplace_back(k);
                          return k != "a2";
                        })
                  .ok());
  EXPECT_THAT(seen, ElementsAre("a1", "a2"));
}

TEST_F(StoreTest, SnapshotDoesNotSeeLaterCommits) {
  auto t1 = store_->BeginWrite();
  t1->Put(Cf::kState, "x", "old");
  ASSERT_TRUE(store_->Commit(*t1, true).ok());
  auto snapshot = store_->NewSnapshot();
  auto t2 = store_->BeginWrite();
  t2->Put(Cf::kState, "x", "new");
  ASSERT_TRUE(store_->Commit(*t2, true).ok());
  EXPECT_EQ(**snapshot->Get(Cf::kState, "x"), "old");
  EXPECT_EQ(**store_->live().Get(Cf::kState, "x"), "new");
}

TEST_F(StoreTest, DataSurvivesReopen) {
  auto txn = store_->BeginWrite();
  txn->Put(Cf::kMeta, "m", "v");
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  store_.reset();
  auto again = Store::Open(dir_.Sub("db"), {});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(**(*again)->live().Get(Cf::kMeta, "m"), "v");
}

TEST_F(StoreTest, SecondWriterOnTheSameDirectoryIsRefused) {
  EXPECT_THAT(Store::Open(dir_.Sub("db"), {}),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("in use")));
}

TEST_F(StoreTest, ReadOnlyOpenRefusesCommits) {
  StoreOptions ro;
  ro.read_only = true;
  auto reader = Store::Open(dir_.Sub("db"), ro);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto txn = (*reader)->BeginWrite();
  txn->Put(Cf::kState, "k", "v");
  EXPECT_THAT(
      (*reader)->Commit(*txn, true),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("read-only")));
}

TEST(StoreOpen, MissingDirectoryIsNotFoundWhenNotCreating) {
  testing::TempDir dir;
  StoreOptions ro;
  ro.read_only = true;
  EXPECT_THAT(
      Store::Open(dir.Sub("nothing"), ro),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("no smptrace data")));
}

// Bytes in write-ahead log files (*.log) in `dir`.
uint64_t WalBytes(const std::string& dir) {
  uint64_t bytes = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() == ".log") bytes += f.file_size();
  }
  return bytes;
}

// A clean stop leaves no WAL to replay: what was only in the memtables is
// written to table files at close. (1 MiB stays below the memtable size, so
// nothing would be flushed otherwise.)
TEST(StoreClose, FlushesMemtablesSoTheNextOpenReplaysNoWal) {
  testing::TempDir dir;
  {
    auto store = Store::Open(dir.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    for (int i = 0; i < 64; ++i) {
      auto txn = (*store)->BeginWrite();
      txn->Put(Cf::kJournal, "entry" + std::to_string(i),
               std::string(16 << 10, static_cast<char>('a' + i % 26)));
      ASSERT_TRUE((*store)->Commit(*txn, true).ok());
    }
    ASSERT_GE(WalBytes(dir.Sub("db")), 1u << 20);
  }
  EXPECT_LT(WalBytes(dir.Sub("db")), 64u << 10);
  auto reopened = Store::Open(dir.Sub("db"), {});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->live().Get(Cf::kJournal, "entry63")->value(),
            std::string(16 << 10, 'a' + 63 % 26));
}

}  // namespace
}  // namespace smptrace::storage
