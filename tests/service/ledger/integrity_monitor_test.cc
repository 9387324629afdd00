#include "service/ledger/integrity_monitor.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/gs1.h"
#include "service/ledger/rebuild.h"
#include "storage/keys.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::ledger {
namespace {

using ::smptrace::testing::IsOk;
using ::smptrace::testing::StatusIs;
using storage::Cf;
using storage::WriteBlock;
using ::testing::HasSubstr;

std::string Gtin(int n) {
  std::string body = "0950600" + std::to_string(1000000 + n).substr(1);
  return body + domain::Gs1CheckDigit(body);
}

v1::Command CreateProduct(const std::string& request_id, int n) {
  v1::Command c;
  c.set_request_id(request_id);
  c.set_actor("tester");
  v1::Product* p = c.mutable_create_product()->mutable_product();
  p->set_gtin(Gtin(n));
  p->set_name("Gloves " + std::to_string(n));
  p->set_kind(v1::PRODUCT_KIND_CONSUMABLE);
  p->set_manufacturer("GloveCo");
  p->set_units_per_pack(100);
  return c;
}

class IntegrityMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(absl::FromUnixSeconds(1795000000));
    Open();
    for (int i = 1; i <= 5; ++i) {
      ASSERT_THAT(ledger_->Submit(CreateProduct("r" + std::to_string(i), i)),
                  IsOk());
    }
  }
  void Open() {
    auto store = storage::Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    auto ledger = Ledger::Open(store_.get(), &clock_, {});
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ledger_ = std::move(*ledger);
  }
  std::unique_ptr<IntegrityMonitor> StartMonitor() {
    IntegrityOptions options;
    options.background = false;
    options.retry_window = absl::Hours(7 * 24);
    return IntegrityMonitor::Start(store_.get(), ledger_.get(), &clock_,
                                   options);
  }
  std::string Raw(Cf cf, const std::string& key) {
    return **store_->live().Get(cf, key);
  }
  // Tampering: raw writes that bypass the ledger.
  void Poke(Cf cf, const std::string& key, const std::string& value) {
    auto txn = store_->BeginWrite();
    txn->Put(cf, key, value);
    ASSERT_TRUE(store_->Commit(*txn, true).ok());
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(IntegrityMonitorTest, AnIntactJournalKeepsTheGateOpen) {
  auto monitor = StartMonitor();
  EXPECT_TRUE(store_->write_gate().state().open());
  EXPECT_EQ(monitor->stats().passes, 1u);
  EXPECT_EQ(monitor->stats().entries_last_pass, 5u);
  EXPECT_THAT(ledger_->Submit(CreateProduct("r6", 6)), IsOk());
}

TEST_F(IntegrityMonitorTest, AFlippedByteFoundAtStartRefusesWritesKeepsReads) {
  std::string entry = Raw(Cf::kJournal, storage::keys::JournalKey(3));
  entry.back() ^= 0x01;
  Poke(Cf::kJournal, storage::keys::JournalKey(3), entry);

  auto monitor = StartMonitor();
  const auto state = store_->write_gate().state();
  EXPECT_TRUE(state.of(WriteBlock::kDamaged).active);
  EXPECT_THAT(state.of(WriteBlock::kDamaged).detail,
              HasSubstr("journal damaged at seq 3"));
  EXPECT_EQ(monitor->stats().damaged_passes, 1u);
  EXPECT_THAT(ledger_->Submit(CreateProduct("r6", 6)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("failed verification")));
  // Reads go on.
  auto product =
      store_->live().Get(Cf::kState, storage::keys::ProductKey(Gtin(1)));
  EXPECT_TRUE(product.ok() && product->has_value());
}

TEST_F(IntegrityMonitorTest, DamageWhileServingIsFoundByTheNextPass) {
  auto monitor = StartMonitor();
  ASSERT_TRUE(store_->write_gate().state().open());
  // Swap two entries.
  std::string two = Raw(Cf::kJournal, storage::keys::JournalKey(2));
  std::string four = Raw(Cf::kJournal, storage::keys::JournalKey(4));
  Poke(Cf::kJournal, storage::keys::JournalKey(2), four);
  Poke(Cf::kJournal, storage::keys::JournalKey(4), two);
  EXPECT_THAT(ledger_->Submit(CreateProduct("r6", 6)), IsOk())
      << "not noticed before the next pass";

  auto v = monitor->CheckNow();
  ASSERT_THAT(v, IsOk());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 2u);
  EXPECT_FALSE(store_->write_gate().state().open());
  EXPECT_EQ(monitor->stats().damaged_passes, 1u);
  EXPECT_THAT(ledger_->Submit(CreateProduct("r7", 7)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("")));
}

TEST_F(IntegrityMonitorTest, ADeletedEntryIsFound) {
  auto txn = store_->BeginWrite();
  txn->Delete(Cf::kJournal, storage::keys::JournalKey(2));
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  auto monitor = StartMonitor();
  EXPECT_THAT(store_->write_gate().state().of(WriteBlock::kDamaged).detail,
              HasSubstr("seq 2 is missing"));
}

TEST_F(IntegrityMonitorTest, ARetryInsideTheWindowGetsTheFirstAnswer) {
  auto monitor = StartMonitor();
  auto first = ledger_->Submit(CreateProduct("r1", 1));
  ASSERT_THAT(first, IsOk());
  clock_.Advance(absl::Hours(6 * 24));
  ASSERT_THAT(monitor->ExpireNow(), IsOk());
  EXPECT_EQ(*monitor->ExpireNow(), 0u);
  auto retry = ledger_->Submit(CreateProduct("r1", 1));
  ASSERT_THAT(retry, IsOk());
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
}

TEST_F(IntegrityMonitorTest, ARetryAfterTheWindowIsRefusedNotAppliedTwice) {
  auto monitor = StartMonitor();
  const size_t before = Raw(Cf::kIdem, "r1").size();
  clock_.Advance(absl::Hours(7 * 24 + 1));
  ASSERT_THAT(ledger_->Submit(CreateProduct("fresh", 9)), IsOk());
  auto expired = monitor->ExpireNow();
  ASSERT_THAT(expired, IsOk());
  EXPECT_EQ(*expired, 5u) << "r1..r5, not the fresh one";
  EXPECT_EQ(monitor->stats().retries_expired, 5u);
  EXPECT_LT(Raw(Cf::kIdem, "r1").size(), before / 2) << "the answer is gone";

  const uint64_t head = ledger_->head().seq;
  EXPECT_THAT(ledger_->Submit(CreateProduct("r1", 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("before the retry window")));
  EXPECT_EQ(ledger_->head().seq, head) << "nothing applied";
  // The fresh one still answers as the first time.
  EXPECT_THAT(ledger_->Submit(CreateProduct("fresh", 9)), IsOk());
  EXPECT_EQ(ledger_->head().seq, head);
}

TEST_F(IntegrityMonitorTest, RecordsWithoutATimeUseTheirJournalEntrysTime) {
  // A record as written before recorded_at existed.
  v1::IdempotencyRecord old;
  ASSERT_TRUE(old.ParseFromString(Raw(Cf::kIdem, "r2")));
  old.clear_recorded_at();
  Poke(Cf::kIdem, "r2", old.SerializeAsString());
  auto monitor = StartMonitor();
  EXPECT_EQ(*monitor->ExpireNow(), 0u);
  clock_.Advance(absl::Hours(8 * 24));
  EXPECT_EQ(*monitor->ExpireNow(), 5u);
}

TEST(RebuildCheck, AJournalThatCannotBeReplayedIsAFailedCheckNotAnError) {
  testing::TempDir dir;
  testing::FakeClock clock;
  auto store = storage::Store::Open(dir.Sub("db"), {});
  ASSERT_TRUE(store.ok());
  {
    auto ledger = Ledger::Open(store->get(), &clock, {});
    ASSERT_THAT((*ledger)->Submit(CreateProduct("r1", 1)), IsOk());
  }
  // An entry whose event bytes do not parse.
  auto txn = (*store)->BeginWrite();
  txn->Put(Cf::kJournal, storage::keys::JournalKey(1),
           std::string(64, '\0') + "\xff\xff\xff");
  ASSERT_TRUE((*store)->Commit(*txn, true).ok());
  auto report = RebuildCheck((*store)->live(), dir.Sub("scratch"), 10);
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->ok);
  ASSERT_FALSE(report->differences.empty());
  EXPECT_THAT(report->differences[0], HasSubstr("replay stopped at seq 1"));
}

}  // namespace
}  // namespace smptrace::ledger
