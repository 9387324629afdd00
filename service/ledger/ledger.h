// The ledger: the one way in for writes. Callers Submit() commands from any
// thread; one writer thread takes them in arrival order, decides each against
// the current state (including the earlier commands of its own group), turns
// accepted ones into journal events with their state, index and idempotency
// records, and commits the whole group as one synced WriteBatch (group
// commit: many commands, one fsync). A caller is answered only after its
// group is durable.
//
// Commits overlap decisions: while more commands wait, the writer hands a
// decided group to a committer thread and decides the next group against
// the state as the first will leave it (reading through its batch,
// storage::Store::BeginWriteAfter), adding the commands that arrive until
// the first commit ends. At most one group is in its commit
// while the next is decided; groups are committed and answered in journal
// order, and the next group is written only after the one before is
// durable. If a commit fails, the group decided after it read writes that
// never happened: none of it is written, and every caller in it is told
// that nothing was saved (retry with the same request_id). With nothing
// else waiting, the writer commits the group itself (no hand-over).
#ifndef SMPTRACE_SERVICE_LEDGER_LEDGER_H_
#define SMPTRACE_SERVICE_LEDGER_LEDGER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "service/domain/consent_policy.h"
#include "service/domain/retention_policy.h"
#include "service/domain/screening.h"
#include "smptrace/v1/ledger.pb.h"
#include "storage/cosignature.h"
#include "storage/journal.h"
#include "storage/signing.h"
#include "storage/store.h"

namespace smptrace::ledger {

class PersonalData;

// Told of every commit that wrote something, on the thread that made it
// (the writer or the committer; one commit at a time), for metrics. Must be
// quick and must not call the ledger.
class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  // `commands`: the group's size; `write_time`: how long the (synced) write
  // took; `ok`: whether it was written.
  virtual void Committed(size_t commands, absl::Duration write_time,
                         bool ok) = 0;
};

struct LedgerOptions {
  // The most commands one commit takes.
  int max_group_size = 512;
  // fsync every commit. Only benchmarks that measure the cost of durability
  // turn this off.
  bool sync = true;
  // The clinic's time zone: what "today" is for expiry dates.
  absl::TimeZone zone = absl::UTCTimeZone();
  // The clinic's screening rules (deploy/screening.conf).
  domain::ScreeningPolicy screening;
  // The clinic's consent texts (deploy/consent.conf).
  domain::ConsentPolicy consent;
  // The clinic's retention policy (deploy/retention.conf).
  domain::RetentionPolicy retention;
  // If set, told of every commit. REQUIRES: outlives the ledger.
  CommitObserver* observer = nullptr;
  // Seals clients' personal data (clients/personal_data.h). Without it,
  // commands that carry personal data are refused. REQUIRES: outlives the
  // ledger.
  const PersonalData* personal_data = nullptr;
};

// What one ExpireRetries() step did.
struct RetryExpiry {
  uint64_t examined = 0;  // idempotency records looked at
  uint64_t expired = 0;   // cut down to a marker by this step
  // Where the next step starts; empty when the whole column family was
  // covered.
  std::string next_request_id;
};

struct LedgerStats {
  uint64_t commits = 0;          // synced WriteBatches written
  uint64_t commands = 0;         // commands answered
  uint64_t journal_entries = 0;  // entries appended since Open
  uint64_t largest_group = 0;    // most commands in one commit
  // Groups decided while the group before them was still in its commit.
  uint64_t overlapped = 0;
  uint64_t queued = 0;  // commands waiting for the writer now
};

class Ledger {
 public:
  // Starts the writer over `store`. If the journal head record and the last
  // journal entry disagree, the store is damaged: the ledger still opens
  // (reads go on for the investigation) but closes the store's write gate
  // (kDamaged), so every command is refused. REQUIRES: store and clock
  // outlive the Ledger; nothing else writes to `store`.
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(storage::Store* store,
                                                      const Clock* clock,
                                                      LedgerOptions options);
  ~Ledger();  // Stop()s.

  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Applies `command` once and returns its result after it is durable.
  // A command whose request_id was seen before is not applied again: it
  // answers what the first one answered (result or error), and writes
  // nothing. Errors: InvalidArgument for a missing request_id or one reused
  // for a different command; the command's own refusal (NotFound,
  // AlreadyExists, FailedPrecondition, Aborted, ...); Unavailable when the
  // ledger is stopping or the commit failed (nothing of it was written: retry
  // with the same request_id); the store's write gate status while it is
  // closed (ResourceExhausted: disk full; FailedPrecondition: damaged store).
  // A request_id whose record outlived the retry window is refused with
  // FailedPrecondition, never applied again. Thread-safe; blocks.
  absl::StatusOr<v1::CommandResult> Submit(v1::Command command)
      ABSL_LOCKS_EXCLUDED(mu_);

  // One bounded step of the retry window: on the writer thread, between
  // groups, cuts the idempotency records recorded before `cutoff` down to a
  // marker, starting at request id `from` (empty: the first), at most
  // `max_records` examined. Call again with next_request_id until it is
  // empty. Errors: the gate's or the commit's. Thread-safe; blocks.
  absl::StatusOr<RetryExpiry> ExpireRetries(absl::Time cutoff,
                                            const std::string& from,
                                            int max_records)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Liveness for the service manager's watchdog: goes through the writer's
  // queue like a command (so it is answered only after everything queued
  // before it was committed), writes nothing, and returns OK once the
  // writer has taken it. DeadlineExceeded if the writer has not taken it
  // within `timeout` (it is stuck in a commit, or paused): the ping is then
  // withdrawn from the queue. Unavailable when the ledger is stopping.
  // Thread-safe; blocks at most `timeout`.
  absl::Status Ping(absl::Duration timeout) ABSL_LOCKS_EXCLUDED(mu_);

  // Refuses new commands, answers every queued one, and joins the writer.
  // Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // The journal head as of the last commit. Thread-safe.
  storage::JournalHead head() const ABSL_LOCKS_EXCLUDED(mu_);

  // Records that a checkpoint of the journal at `checkpoint.seq` was signed
  // and handed out, so its age (a metric) survives a restart. Not a journal
  // entry: a checkpoint stands without it (storage/signing.h).
  absl::Status RecordIssuedCheckpoint(
      const storage::IssuedCheckpoint& checkpoint);
  // Keeps a witness's verified cosignature of the tree of `size` entries
  // (storage/cosignature.h): true if added, false if that witness's was
  // already kept. Not a journal entry: a cosignature stands on its own
  // signature, and journaling it would grow the log it cosigns.
  absl::StatusOr<bool> RecordCosignature(uint64_t size,
                                         const storage::Cosignature& c);
  // LedgerOptions::personal_data (null without one).
  const PersonalData* personal_data() const { return options_.personal_data; }
  // The options it was opened with (the clinic's policies among them).
  const LedgerOptions& options() const { return options_; }
  LedgerStats stats() const ABSL_LOCKS_EXCLUDED(mu_);

  // Holds the writer before its next group so that a test can queue several
  // commands and see them committed together. Thread-safe.
  void PauseForTesting() ABSL_LOCKS_EXCLUDED(mu_);
  void ResumeForTesting() ABSL_LOCKS_EXCLUDED(mu_);
  // Blocks until at least `n` commands wait in the queue (while paused).
  void WaitForQueuedForTesting(size_t n) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Pending;
  struct Outcome;
  struct Decided;

  Ledger(storage::Store* store, const Clock* clock, LedgerOptions options,
         storage::JournalHead head);
  void WriterLoop() ABSL_LOCKS_EXCLUDED(mu_);
  // Writer: decides `group` (over the group in its commit, if any), then
  // commits it or hands it to the committer.
  void DecideGroup(const std::vector<Pending*>& group) ABSL_LOCKS_EXCLUDED(mu_);
  // Writer: waits for the group handed to the committer, if any, and lets
  // it go; false if its commit failed (the decided head is then the
  // committed one again).
  bool Settle() ABSL_LOCKS_EXCLUDED(mu_);
  void CommitterLoop() ABSL_LOCKS_EXCLUDED(mu_);
  // Commits a decided group and answers its callers (writer or committer).
  void Finish(Decided& decided) ABSL_LOCKS_EXCLUDED(mu_);
  void RunExpiry(Pending& task) ABSL_LOCKS_EXCLUDED(mu_);
  // Decides one command into `txn`, advancing `head` if it is journaled.
  // `fingerprint` is Fingerprint(command), computed before it was queued.
  Outcome Process(storage::WriteTxn& txn, const v1::Command& command,
                  const std::string& fingerprint, uint64_t group_first_seq,
                  storage::JournalHead& head);

  storage::Store* const store_;
  const Clock* const clock_;
  const LedgerOptions options_;

  mutable absl::Mutex mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool paused_ ABSL_GUARDED_BY(mu_) = false;
  // The journal head as of the last commit.
  storage::JournalHead head_ ABSL_GUARDED_BY(mu_);
  LedgerStats stats_ ABSL_GUARDED_BY(mu_);
  // The group the committer is to commit or is committing; null when idle.
  Decided* to_commit_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool stop_committer_ ABSL_GUARDED_BY(mu_) = false;

  // Writer-thread only.
  absl::Time last_time_ = absl::InfinitePast();
  // The journal head after the last group decided (committed or not).
  storage::JournalHead decided_head_;
  // The last group handed to the committer, kept while the next group
  // reads through its batch.
  std::unique_ptr<Decided> committing_;
  std::thread writer_;
  std::thread committer_;
};

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_LEDGER_H_
