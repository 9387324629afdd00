#include "service/ledger/ledger.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/integrity_monitor.h"
#include "service/ledger/rebuild.h"
#include "service/ledger/records.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/keys.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/gtin.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::ledger {
namespace {

using ::smptrace::testing::IsOk;
using ::smptrace::testing::StatusIs;
using ::smptrace::testing::TestGtin;
using storage::Cf;
using storage::WriteBlock;
using ::testing::HasSubstr;

v1::Command CreateProduct(const std::string& request_id,
                          const std::string& gtin,
                          const std::string& name = "Cartridge 1RL") {
  v1::Command c;
  c.set_request_id(request_id);
  c.set_actor("tester");
  v1::Product* p = c.mutable_create_product()->mutable_product();
  p->set_gtin(gtin);
  p->set_name(name);
  p->set_kind(v1::PRODUCT_KIND_NEEDLE_CARTRIDGE);
  p->set_manufacturer("Acme");
  p->set_units_per_pack(20);
  p->set_single_use(true);
  p->set_sterile(true);
  p->set_cartridge_configuration("1RL 0.25mm");
  return c;
}

v1::Command UpdateProduct(const std::string& request_id,
                          const std::string& gtin, const std::string& name,
                          int64_t expected_version = 0) {
  v1::Command c = CreateProduct(request_id, gtin, name);
  v1::UpdateProductRequest update;
  *update.mutable_product() = c.create_product().product();
  update.set_expected_version(expected_version);
  *c.mutable_update_product() = update;
  return c;
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open(LedgerOptions options = {}) {
    auto store = storage::Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    auto ledger = Ledger::Open(store_.get(), &clock_, options);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ledger_ = std::move(*ledger);
  }
  void Close() {
    ledger_.reset();
    store_.reset();
  }

 public:
  // Reopens with `observer` and at most `max_group_size` commands a group.
  void ReopenWith(CommitObserver* observer, int max_group_size) {
    Close();
    LedgerOptions options;
    options.observer = observer;
    options.max_group_size = max_group_size;
    Open(options);
  }
  Ledger& ledger() { return *ledger_; }

 protected:
  uint64_t JournalLength() {
    auto v = storage::VerifyJournal(store_->live());
    EXPECT_TRUE(v.ok() && v->ok);
    return v->entries;
  }

  // Submits each command from its own thread while the writer is paused, so
  // all of them are decided in one group, in queue order.
  std::vector<absl::StatusOr<v1::CommandResult>> SubmitAsOneGroup(
      const std::vector<v1::Command>& commands) {
    ledger_->PauseForTesting();
    std::vector<absl::StatusOr<v1::CommandResult>> results(
        commands.size(), absl::UnknownError("not run"));
    std::vector<std::thread> threads;
    for (size_t i = 0; i < commands.size(); ++i) {
      // Queue them one at a time to fix their order.
      threads.emplace_back(
          [&, i] { results[i] = ledger_->Submit(commands[i]); });
      ledger_->WaitForQueuedForTesting(i + 1);
    }
    ledger_->ResumeForTesting();
    for (auto& t : threads) t.join();
    return results;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(LedgerTest, AcceptedCommandLandsWithJournalStateAndIdempotencyRecord) {
  auto result = ledger_->Submit(CreateProduct("r1", TestGtin(1)));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->product().version(), 1);
  EXPECT_EQ(result->product().updated_by(), "tester");

  EXPECT_EQ(ledger_->head().seq, 1u);
  EXPECT_EQ(JournalLength(), 1u);
  auto stored = ReadProduct(store_->live(), TestGtin(1));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->name(), "Cartridge 1RL");
  EXPECT_TRUE(store_->live().Get(Cf::kIdem, "r1")->has_value());

  // The journal event carries who, when and which request.
  v1::Event event;
  ASSERT_TRUE(storage::ForEachJournalEntry(
                  store_->live(), 1,
                  [&](const storage::JournalEntryView& e) {
                    EXPECT_TRUE(ParseRecord(e.event, "event", &event).ok());
                    return false;
                  })
                  .ok());
  EXPECT_EQ(event.actor(), "tester");
  EXPECT_EQ(event.request_id(), "r1");
  EXPECT_EQ(event.time().seconds(), absl::ToUnixSeconds(clock_.Now()));
  EXPECT_EQ(event.product_recorded().product().gtin(), TestGtin(1));
}

TEST_F(LedgerTest, RetriedRequestIdAnswersTheSameAndWritesNothing) {
  auto first = ledger_->Submit(CreateProduct("r1", TestGtin(1)));
  ASSERT_THAT(first, IsOk());
  clock_.Advance(absl::Minutes(5));
  auto again = ledger_->Submit(CreateProduct("r1", TestGtin(1)));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(JournalLength(), 1u);
}

TEST_F(LedgerTest, RetryAfterRestartStillAnswersFromTheRecord) {
  auto first = ledger_->Submit(CreateProduct("r1", TestGtin(1)));
  ASSERT_THAT(first, IsOk());
  Close();
  Open();
  auto again = ledger_->Submit(CreateProduct("r1", TestGtin(1)));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->product().version(), 1);
  EXPECT_EQ(JournalLength(), 1u);
}

TEST_F(LedgerTest, RequestIdReusedForAnotherCommandIsRefused) {
  ASSERT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(1))), IsOk());
  EXPECT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(2))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("request_id: r1 was already used for a "
                                 "different request")));
  EXPECT_EQ(JournalLength(), 1u);
}

TEST_F(LedgerTest, MissingRequestIdIsRefused) {
  EXPECT_THAT(ledger_->Submit(CreateProduct("", TestGtin(1))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("request_id: required")));
  EXPECT_EQ(JournalLength(), 0u);
}

TEST_F(LedgerTest, RefusedCommandWritesNothing) {
  ASSERT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(1))), IsOk());
  EXPECT_THAT(
      ledger_->Submit(CreateProduct("r2", TestGtin(1), "Other")),
      StatusIs(absl::StatusCode::kAlreadyExists,
               HasSubstr("product " + TestGtin(1) + " already exists")));
  EXPECT_THAT(
      ledger_->Submit(UpdateProduct("r3", TestGtin(9), "Nope")),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("does not exist")));
  EXPECT_EQ(JournalLength(), 1u);
  EXPECT_FALSE(store_->live().Get(Cf::kIdem, "r2")->has_value());
}

TEST_F(LedgerTest, StaleExpectedVersionIsAborted) {
  ASSERT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(1))), IsOk());
  ASSERT_THAT(ledger_->Submit(UpdateProduct("r2", TestGtin(1), "New name", 1)),
              IsOk());
  EXPECT_THAT(
      ledger_->Submit(UpdateProduct("r3", TestGtin(1), "Lost update", 1)),
      StatusIs(absl::StatusCode::kAborted,
               HasSubstr("is at version 2, not 1")));
  auto v1_record = ReadProduct(store_->live(), TestGtin(1), 1);
  ASSERT_TRUE(v1_record.ok() && v1_record->has_value());
  EXPECT_EQ((*v1_record)->name(), "Cartridge 1RL");  // old version kept
}

TEST_F(LedgerTest, GroupIsDecidedInArrivalOrderAndSeesEarlierCommands) {
  auto results = SubmitAsOneGroup({
      UpdateProduct("u0", TestGtin(1),
                    "Too early"),  // before the create: refused
      CreateProduct("c1", TestGtin(1)),
      UpdateProduct("u1", TestGtin(1), "Renamed"),    // sees the create
      CreateProduct("c2", TestGtin(1), "Duplicate"),  // sees the create
  });
  EXPECT_THAT(results[0], StatusIs(absl::StatusCode::kNotFound,
                                   HasSubstr("product " + TestGtin(1) +
                                             " does not exist")));
  ASSERT_THAT(results[1], IsOk());
  ASSERT_THAT(results[2], IsOk());
  EXPECT_EQ(results[2]->product().version(), 2);
  EXPECT_THAT(results[3],
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("product " + TestGtin(1) +
                                 " already exists (Renamed, version 2)")))
      << "the duplicate sees the rename decided before it in the group";
  EXPECT_EQ(JournalLength(), 2u);
}

TEST_F(LedgerTest, OneCommitCarriesAWholeGroup) {
  const uint64_t commits_before = ledger_->stats().commits;
  std::vector<v1::Command> commands;
  for (int i = 0; i < 16; ++i) {
    commands.push_back(CreateProduct("g" + std::to_string(i), TestGtin(i)));
  }
  auto results = SubmitAsOneGroup(commands);
  for (const auto& r : results) EXPECT_THAT(r, IsOk());
  EXPECT_EQ(ledger_->stats().commits, commits_before + 1);
  EXPECT_EQ(ledger_->stats().largest_group, 16u);
  EXPECT_EQ(JournalLength(), 16u);
}

TEST_F(LedgerTest, SameRequestTwiceInOneGroupIsAppliedOnce) {
  auto results = SubmitAsOneGroup(
      {CreateProduct("same", TestGtin(1)), CreateProduct("same", TestGtin(1))});
  ASSERT_THAT(results[0], IsOk());
  ASSERT_THAT(results[1], IsOk());
  EXPECT_EQ(results[0]->SerializeAsString(), results[1]->SerializeAsString());
  EXPECT_EQ(JournalLength(), 1u);
}

TEST_F(LedgerTest, ConcurrentSubmittersEachLandOnce) {
  constexpr int kThreads = 64;
  std::vector<std::thread> threads;
  std::vector<absl::Status> statuses(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      statuses[i] =
          ledger_->Submit(CreateProduct("c" + std::to_string(i), TestGtin(i)))
              .status();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& s : statuses) EXPECT_THAT(s, IsOk());
  EXPECT_EQ(JournalLength(), static_cast<uint64_t>(kThreads));
  auto page =
      ListProducts(store_->live(), "", 1000, v1::PRODUCT_KIND_UNSPECIFIED);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), static_cast<size_t>(kThreads));
}

TEST_F(LedgerTest, JournalTimeNeverGoesBackwards) {
  ASSERT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(1))), IsOk());
  const absl::Time first = clock_.Now();
  clock_.Advance(-absl::Hours(1));  // the wall clock is set back
  auto second = ledger_->Submit(CreateProduct("r2", TestGtin(2)));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->product().updated_at().seconds(),
            absl::ToUnixSeconds(first));
}

TEST_F(LedgerTest, StoppedLedgerRefusesNewCommands) {
  ledger_->Stop();
  EXPECT_THAT(
      ledger_->Submit(CreateProduct("r1", TestGtin(1))),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("shutting down")));
}

TEST_F(LedgerTest, AJournalThatEndsBeforeItsHeadOpensButRefusesWrites) {
  ASSERT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(1))), IsOk());
  ASSERT_THAT(ledger_->Submit(CreateProduct("r2", TestGtin(2))), IsOk());
  ledger_.reset();
  auto txn = store_->BeginWrite();
  txn->Delete(Cf::kJournal, storage::keys::JournalKey(2));
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  auto reopened = Ledger::Open(store_.get(), &clock_, {});
  ASSERT_THAT(reopened, IsOk());
  EXPECT_THAT((*reopened)->Submit(CreateProduct("r3", TestGtin(3))),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("the journal ends at seq 1")));
  EXPECT_EQ(storage::ReadJournalTail(store_->live())->seq, 1u)
      << "nothing appended after the damage";
}

TEST_F(LedgerTest, RebuildFromTheJournalMatchesTheStoredState) {
  ASSERT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(1))), IsOk());
  ASSERT_THAT(ledger_->Submit(UpdateProduct("r2", TestGtin(1), "Renamed")),
              IsOk());
  v1::Command clinic;
  clinic.set_request_id("r3");
  clinic.mutable_create_location()->mutable_location()->set_name("Clinic");
  clinic.mutable_create_location()->mutable_location()->set_kind(
      v1::LOCATION_KIND_CLINIC);
  ASSERT_THAT(ledger_->Submit(clinic), IsOk());
  v1::Command room;
  room.set_request_id("r4");
  room.mutable_create_location()->mutable_location()->set_name("Room 1");
  room.mutable_create_location()->mutable_location()->set_kind(
      v1::LOCATION_KIND_ROOM);
  room.mutable_create_location()->mutable_location()->set_parent_id(
      "LOC-000001");
  ASSERT_THAT(ledger_->Submit(room), IsOk());

  auto report = RebuildCheck(store_->live(), dir_.Sub("scratch"), 10);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok) << ::testing::PrintToString(report->differences);
  EXPECT_EQ(report->events_replayed, 4u);
  EXPECT_GT(report->records_compared, 5u);
}

TEST_F(LedgerTest, RebuildCheckFindsStateThatNoEventExplains) {
  ASSERT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(1))), IsOk());
  ledger_.reset();
  // Edit a state record behind the journal's back.
  v1::Product forged = **ReadProduct(store_->live(), TestGtin(1));
  forged.set_name("Edited in place");
  auto txn = store_->BeginWrite();
  txn->Put(Cf::kState, storage::keys::ProductKey(TestGtin(1)),
           Serialize(forged));
  txn->Put(Cf::kState, storage::keys::ProductKey(TestGtin(2)), "orphan");
  ASSERT_TRUE(store_->Commit(*txn, true).ok());

  auto report = RebuildCheck(store_->live(), dir_.Sub("scratch"), 10);
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->ok);
  ASSERT_EQ(report->differences.size(), 2u);
  EXPECT_THAT(report->differences[0],
              HasSubstr("holds a value the journal does not produce"));
  EXPECT_THAT(report->differences[1],
              HasSubstr("is stored but no event produces it"));
}

// The journal checked at start and in the background, and the retry window
// (service/ledger/integrity_monitor.h), over five recorded products.
class IntegrityMonitorTest : public LedgerTest {
 protected:
  void SetUp() override {
    clock_.Set(absl::FromUnixSeconds(1795000000));
    LedgerTest::SetUp();
    for (int i = 1; i <= 5; ++i) {
      ASSERT_THAT(
          ledger_->Submit(CreateProduct("r" + std::to_string(i), TestGtin(i))),
          IsOk());
    }
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
};

TEST_F(IntegrityMonitorTest, AnIntactJournalKeepsTheGateOpen) {
  auto monitor = StartMonitor();
  EXPECT_TRUE(store_->write_gate().state().open());
  EXPECT_EQ(monitor->stats().passes, 1u);
  EXPECT_EQ(monitor->stats().entries_last_pass, 5u);
  EXPECT_THAT(ledger_->Submit(CreateProduct("r6", TestGtin(6))), IsOk());
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
  EXPECT_THAT(ledger_->Submit(CreateProduct("r6", TestGtin(6))),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("failed verification")));
  // Reads go on.
  auto product =
      store_->live().Get(Cf::kState, storage::keys::ProductKey(TestGtin(1)));
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
  EXPECT_THAT(ledger_->Submit(CreateProduct("r6", TestGtin(6))), IsOk())
      << "not noticed before the next pass";

  auto v = monitor->CheckNow();
  ASSERT_THAT(v, IsOk());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 2u);
  EXPECT_FALSE(store_->write_gate().state().open());
  EXPECT_EQ(monitor->stats().damaged_passes, 1u);
  EXPECT_THAT(ledger_->Submit(CreateProduct("r7", TestGtin(7))),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("writes are refused: the stored record failed "
                                 "verification (journal damaged at seq 2")));
}

TEST_F(IntegrityMonitorTest, ADeletedEntryIsFound) {
  auto txn = store_->BeginWrite();
  txn->Delete(Cf::kJournal, storage::keys::JournalKey(2));
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  auto monitor = StartMonitor();
  EXPECT_THAT(store_->write_gate().state().of(WriteBlock::kDamaged).detail,
              HasSubstr("seq 2 is missing"));
}

// A complete pass leaves a mark; the next start re-hashes only what came
// after it (so a restart does not wait for the whole journal) and leaves
// older damage to the complete pass that follows at once in the background.
TEST_F(IntegrityMonitorTest,
       AStartAfterACompletePassChecksOnlyTheEntriesSince) {
  StartMonitor().reset();  // no mark yet: the whole journal, then a mark
  auto mark = storage::ReadVerifiedMark(store_->live());
  ASSERT_TRUE(mark.ok() && mark->has_value());
  EXPECT_EQ((*mark)->seq, 5u);
  ASSERT_THAT(ledger_->Submit(CreateProduct("r6", TestGtin(6))), IsOk());
  ASSERT_THAT(ledger_->Submit(CreateProduct("r7", TestGtin(7))), IsOk());
  std::string entry = Raw(Cf::kJournal, storage::keys::JournalKey(3));
  entry.back() ^= 0x01;
  Poke(Cf::kJournal, storage::keys::JournalKey(3), entry);

  auto monitor = StartMonitor();
  IntegrityStats stats = monitor->stats();
  EXPECT_TRUE(stats.full_pass_pending);
  EXPECT_EQ(stats.start_check_entries, 2u);
  EXPECT_EQ(stats.verified_through, 5u);
  EXPECT_TRUE(store_->write_gate().state().open())
      << "seq 3 was verified before the mark";

  auto v = monitor->CheckNow();  // the background's complete pass
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->first_bad_seq, 3u);
  EXPECT_THAT(store_->write_gate().state().of(WriteBlock::kDamaged).detail,
              HasSubstr("journal damaged at seq 3"));
}

TEST_F(IntegrityMonitorTest, DamageAfterTheMarkIsFoundAtStart) {
  StartMonitor().reset();
  ASSERT_THAT(ledger_->Submit(CreateProduct("r6", TestGtin(6))), IsOk());
  std::string entry = Raw(Cf::kJournal, storage::keys::JournalKey(6));
  entry.back() ^= 0x01;
  Poke(Cf::kJournal, storage::keys::JournalKey(6), entry);
  auto monitor = StartMonitor();
  EXPECT_THAT(store_->write_gate().state().of(WriteBlock::kDamaged).detail,
              HasSubstr("journal damaged at seq 6"));
}

TEST_F(IntegrityMonitorTest, TheMarkedEntryRewrittenWholeIsFoundAtStart) {
  StartMonitor().reset();
  const std::string prev =
      Raw(Cf::kJournal, storage::keys::JournalKey(5)).substr(0, 32);
  const std::string event = "forged";
  Poke(Cf::kJournal, storage::keys::JournalKey(5),
       prev + storage::JournalEntryHash(prev, 5, event) + event);
  auto monitor = StartMonitor();
  EXPECT_THAT(store_->write_gate().state().of(WriteBlock::kDamaged).detail,
              HasSubstr("journal damaged at seq 5"));
}

TEST_F(IntegrityMonitorTest, ARetryInsideTheWindowGetsTheFirstAnswer) {
  auto monitor = StartMonitor();
  auto first = ledger_->Submit(CreateProduct("r1", TestGtin(1)));
  ASSERT_THAT(first, IsOk());
  clock_.Advance(absl::Hours(6 * 24));
  ASSERT_THAT(monitor->ExpireNow(), IsOk());
  EXPECT_EQ(*monitor->ExpireNow(), 0u);
  auto retry = ledger_->Submit(CreateProduct("r1", TestGtin(1)));
  ASSERT_THAT(retry, IsOk());
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
}

TEST_F(IntegrityMonitorTest, ARetryAfterTheWindowIsRefusedNotAppliedTwice) {
  auto monitor = StartMonitor();
  const size_t before = Raw(Cf::kIdem, "r1").size();
  clock_.Advance(absl::Hours(7 * 24 + 1));
  ASSERT_THAT(ledger_->Submit(CreateProduct("fresh", TestGtin(9))), IsOk());
  auto expired = monitor->ExpireNow();
  ASSERT_THAT(expired, IsOk());
  EXPECT_EQ(*expired, 5u) << "r1..r5, not the fresh one";
  EXPECT_EQ(monitor->stats().retries_expired, 5u);
  EXPECT_LT(Raw(Cf::kIdem, "r1").size(), before / 2) << "the answer is gone";

  const uint64_t head = ledger_->head().seq;
  EXPECT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(1))),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("before the retry window")));
  EXPECT_EQ(ledger_->head().seq, head) << "nothing applied";
  // The fresh one still answers as the first time.
  EXPECT_THAT(ledger_->Submit(CreateProduct("fresh", TestGtin(9))), IsOk());
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

TEST_F(LedgerTest, RebuildCheckReportsAJournalThatCannotBeReplayed) {
  ASSERT_THAT(ledger_->Submit(CreateProduct("r1", TestGtin(1))), IsOk());
  // An entry whose event bytes do not parse.
  auto txn = store_->BeginWrite();
  txn->Put(Cf::kJournal, storage::keys::JournalKey(1),
           std::string(64, '\0') + "\xff\xff\xff");
  ASSERT_TRUE(store_->Commit(*txn, true).ok());
  auto report = RebuildCheck(store_->live(), dir_.Sub("scratch"), 10);
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->ok);
  ASSERT_FALSE(report->differences.empty());
  EXPECT_THAT(report->differences[0], HasSubstr("replay stopped at seq 1"));
}

// Records what the ledger tells of each commit (for metrics).
class RecordingObserver final : public CommitObserver {
 public:
  void Committed(size_t commands, absl::Duration write_time, bool ok) override {
    absl::MutexLock lock(&mu_);
    groups_.emplace_back(commands, ok);
    EXPECT_GE(write_time, absl::ZeroDuration());
  }
  std::vector<std::pair<size_t, bool>> groups() {
    absl::MutexLock lock(&mu_);
    return groups_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::pair<size_t, bool>> groups_ ABSL_GUARDED_BY(mu_);
};

TEST_F(LedgerTest, TellsItsObserverEachCommitGroupAndCountsTheQueue) {
  RecordingObserver observer;
  Close();
  LedgerOptions options;
  options.observer = &observer;
  Open(options);

  ledger_->PauseForTesting();
  std::vector<std::thread> threads;
  for (int i = 1; i <= 3; ++i) {
    threads.emplace_back([this, i] {
      EXPECT_THAT(
          ledger_->Submit(CreateProduct(absl::StrCat("q", i), TestGtin(i))),
          IsOk());
    });
    ledger_->WaitForQueuedForTesting(static_cast<size_t>(i));
  }
  EXPECT_EQ(ledger_->stats().queued, 3u);
  ledger_->ResumeForTesting();
  for (auto& t : threads) t.join();
  EXPECT_EQ(ledger_->stats().queued, 0u);
  EXPECT_THAT(observer.groups(),
              ::testing::ElementsAre(::testing::Pair(3u, true)));

  // A retry writes nothing: there is no commit to tell of.
  EXPECT_THAT(ledger_->Submit(CreateProduct("q1", TestGtin(1))), IsOk());
  EXPECT_EQ(observer.groups().size(), 1u);
  Close();  // before the observer goes
}

// Holds the writer inside its commit until released: a stuck fsync.
class StuckCommitObserver final : public CommitObserver {
 public:
  void Committed(size_t, absl::Duration, bool) override {
    if (!entered_.HasBeenNotified()) entered_.Notify();
    released_.WaitForNotification();
  }
  absl::Notification entered_;
  absl::Notification released_;
};

// Waits (bounded) until the writer has decided `n` groups while the group
// before each was still in its commit.
void WaitForOverlapped(const Ledger& ledger, uint64_t n) {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (ledger.stats().overlapped < n && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  ASSERT_EQ(ledger.stats().overlapped, n);
}

// Opens the ledger with `observer` and one command per group, and queues,
// while paused, a create (c1) and a rename of it (u1): two groups, sent
// from two threads whose answers land in `results`. Resume to run them.
std::vector<std::thread> QueueCreateThenRename(
    LedgerTest* test, CommitObserver* observer,
    std::vector<absl::StatusOr<v1::CommandResult>>& results) {
  test->ReopenWith(observer, 1);
  Ledger& ledger = test->ledger();
  ledger.PauseForTesting();
  results.assign(2, absl::UnknownError("not answered"));
  std::vector<std::thread> threads;
  threads.emplace_back([&ledger, &results] {
    results[0] = ledger.Submit(CreateProduct("c1", TestGtin(1)));
  });
  ledger.WaitForQueuedForTesting(1);
  threads.emplace_back([&ledger, &results] {
    results[1] = ledger.Submit(UpdateProduct("u1", TestGtin(1), "Renamed"));
  });
  ledger.WaitForQueuedForTesting(2);
  return threads;
}

// Two commands queued as two groups: the second is decided while the first
// is held in its commit, and sees the first's writes.
TEST_F(LedgerTest, TheNextGroupIsDecidedWhileTheOneBeforeCommits) {
  StuckCommitObserver observer;
  std::vector<absl::StatusOr<v1::CommandResult>> results;
  std::vector<std::thread> threads =
      QueueCreateThenRename(this, &observer, results);
  ledger_->ResumeForTesting();

  observer.entered_.WaitForNotification();  // the create is in its commit
  WaitForOverlapped(*ledger_, 1);           // and the rename was decided
  EXPECT_EQ(ledger_->head().seq, 0u) << "the create's commit is not over";
  observer.released_.Notify();
  for (auto& t : threads) t.join();
  ASSERT_THAT(results[0], IsOk());
  ASSERT_THAT(results[1], IsOk());
  EXPECT_EQ(results[1]->product().version(), 2) << "it saw the create";
  EXPECT_EQ(ledger_->head().seq, 2u);
  EXPECT_EQ(JournalLength(), 2u);
  EXPECT_EQ(ledger_->stats().commits, 2u);
  Close();  // before the observer goes
}

// A command that arrives while a group commits joins the group being
// decided behind it, instead of waiting for one more commit.
TEST_F(LedgerTest, CommandsArrivingDuringACommitJoinTheNextGroup) {
  StuckCommitObserver observer;
  RecordingObserver sizes;
  struct Both final : CommitObserver {
    CommitObserver* first;
    CommitObserver* second;
    void Committed(size_t n, absl::Duration d, bool ok) override {
      second->Committed(n, d, ok);
      first->Committed(n, d, ok);
    }
  } both;
  both.first = &observer;
  both.second = &sizes;
  ReopenWith(&both, 2);

  ledger_->PauseForTesting();
  std::vector<std::thread> threads;
  auto submit = [&](int i) {
    threads.emplace_back([this, i] {
      EXPECT_THAT(
          ledger_->Submit(CreateProduct(absl::StrCat("c", i), TestGtin(i))),
          IsOk());
    });
  };
  for (int i = 1; i <= 3; ++i) {
    submit(i);
    ledger_->WaitForQueuedForTesting(static_cast<size_t>(i));
  }
  ledger_->ResumeForTesting();
  observer.entered_.WaitForNotification();  // c1 and c2 in their commit
  // c3 is decided behind them; c4 arrives while they still commit.
  ledger_->PauseForTesting();
  submit(4);
  ledger_->WaitForQueuedForTesting(1);
  ledger_->ResumeForTesting();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (ledger_->stats().queued > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  ASSERT_EQ(ledger_->stats().queued, 0u) << "c4 was taken during the commit";
  observer.released_.Notify();
  for (auto& t : threads) t.join();
  EXPECT_THAT(sizes.groups(),
              ::testing::ElementsAre(::testing::Pair(2u, true),
                                     ::testing::Pair(2u, true)));
  EXPECT_EQ(ledger_->stats().overlapped, 1u);
  EXPECT_EQ(JournalLength(), 4u);
  Close();  // before the observers go
}

// The second group was decided on the first one's writes; when the first
// is not saved, neither is the second, and both can be retried.
TEST_F(LedgerTest, AFailedCommitTakesTheGroupDecidedOverItWithIt) {
  StuckCommitObserver observer;
  std::vector<absl::StatusOr<v1::CommandResult>> results;
  std::vector<std::thread> threads =
      QueueCreateThenRename(this, &observer, results);
  // The create's commit will fail: the store refuses writes for a moment.
  store_->write_gate().Close(WriteBlock::kStorageFault, "test: I/O error");
  ledger_->ResumeForTesting();

  observer.entered_.WaitForNotification();
  WaitForOverlapped(*ledger_, 1);
  store_->write_gate().Reopen(WriteBlock::kStorageFault);
  observer.released_.Notify();
  for (auto& t : threads) t.join();
  EXPECT_THAT(results[0],
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("not saved, nothing was written")));
  EXPECT_THAT(results[1],
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("the commit before it failed); retry with "
                                 "the same request_id")));
  EXPECT_EQ(ledger_->head().seq, 0u);
  EXPECT_EQ(JournalLength(), 0u);
  EXPECT_FALSE(store_->live().Get(Cf::kIdem, "u1")->has_value());

  // Retried alone, the rename finds no product: it was decided again.
  EXPECT_THAT(
      ledger_->Submit(UpdateProduct("u1", TestGtin(1), "Renamed")),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("does not exist")));
  ASSERT_THAT(ledger_->Submit(CreateProduct("c1", TestGtin(1))), IsOk());
  auto renamed = ledger_->Submit(UpdateProduct("u2", TestGtin(1), "Renamed"));
  ASSERT_THAT(renamed, IsOk());
  EXPECT_EQ(renamed->product().version(), 2);
  EXPECT_EQ(JournalLength(), 2u);
  Close();  // before the observer goes
}

TEST_F(LedgerTest, PingIsAnsweredByAnIdleWriterAndWritesNothing) {
  ASSERT_THAT(ledger_->Submit(CreateProduct("p1", TestGtin(1))), IsOk());
  const LedgerStats before = ledger_->stats();

  EXPECT_THAT(ledger_->Ping(absl::Seconds(30)), IsOk());
  EXPECT_THAT(ledger_->Ping(absl::Seconds(30)), IsOk());

  EXPECT_EQ(ledger_->head().seq, 1u);
  EXPECT_EQ(JournalLength(), 1u);
  EXPECT_EQ(ledger_->stats().commits, before.commits);
  EXPECT_EQ(ledger_->stats().commands, before.commands);
  EXPECT_EQ(ledger_->stats().queued, 0u);

  ledger_->Stop();
  EXPECT_THAT(ledger_->Ping(absl::Seconds(30)),
              StatusIs(absl::StatusCode::kUnavailable, ::testing::_));
}

TEST_F(LedgerTest, PingTimesOutWhileTheWriterIsStuckInACommit) {
  StuckCommitObserver observer;
  Close();
  LedgerOptions options;
  options.observer = &observer;
  Open(options);

  std::thread stuck([this] {
    EXPECT_THAT(ledger_->Submit(CreateProduct("s1", TestGtin(1))), IsOk());
  });
  observer.entered_.WaitForNotification();
  // Another command waits behind the stuck commit, then the ping.
  std::thread behind([this] {
    EXPECT_THAT(ledger_->Submit(CreateProduct("s2", TestGtin(2))), IsOk());
  });
  ledger_->WaitForQueuedForTesting(1);

  EXPECT_THAT(ledger_->Ping(absl::Milliseconds(20)),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       HasSubstr("a commit is stuck")));
  EXPECT_EQ(ledger_->stats().queued, 1u) << "the ping was withdrawn";

  observer.released_.Notify();
  stuck.join();
  behind.join();
  EXPECT_THAT(ledger_->Ping(absl::Seconds(30)), IsOk());
  EXPECT_EQ(ledger_->head().seq, 2u);
  Close();  // before the observer goes
}

}  // namespace
}  // namespace smptrace::ledger
