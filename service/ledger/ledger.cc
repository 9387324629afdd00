#include "service/ledger/ledger.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "service/ledger/decide.h"
#include "service/ledger/projection.h"
#include "service/ledger/recalls/trace_rows.h"
#include "service/ledger/records.h"
#include "service/ledger/stock/apply.h"
#include "smptrace/v1/journal.pb.h"
#include "spdlog/spdlog.h"
#include "storage/keys.h"
#include "storage/signing.h"

namespace smptrace::ledger {

namespace keys = storage::keys;
using storage::Cf;

// A Submit() call waiting for its answer, an ExpireRetries() step, or a
// Ping().
struct Ledger::Pending {
  v1::Command command;
  // Fingerprint(command), computed by the submitting thread.
  std::string fingerprint;
  absl::StatusOr<v1::CommandResult> answer;
  absl::Notification done;
  // A Ping(): answered by the writer as it takes it, under mu_.
  bool ping = false;
  // An ExpireRetries() step: runs alone, not in a group.
  bool expiry = false;
  absl::Time cutoff;
  std::string from;
  int max_records = 0;
  absl::StatusOr<RetryExpiry> expiry_result;
};

// What the writer concluded for one command of a group.
struct Ledger::Outcome {
  absl::StatusOr<v1::CommandResult> answer;
  // True if the command put anything in the batch: its answer stands only if
  // the commit succeeds.
  bool wrote = false;
  // An erasure: purge deleted data once the group is committed.
  bool purge_deleted = false;
};

// A group the writer decided, on its way to the store.
struct Ledger::Decided {
  std::unique_ptr<storage::WriteTxn> txn;
  std::vector<Pending*> group;
  std::vector<Outcome> outcomes;  // one per command of the group
  uint64_t first_seq = 0;         // the journal's last seq before the group
  storage::JournalHead head;      // the journal head after it
  bool ok = false;  // set by Finish(): committed (or nothing to write)
};

namespace {

constexpr size_t kMaxRequestIdLength = 128;

// What makes a retry the same request: everything the client sent and who
// sent it, but not the hash of a token secret the API generated for it (a
// retry may come with another; the API decides whether it can still show
// the first, see service/api/issued_tokens.h). The same bytes as hashing a
// copy without those two fields (stored records compare with it), but
// without the copy: they are set aside and put back.
std::string Fingerprint(v1::Command& command) {
  std::string request_id = std::move(*command.mutable_request_id());
  std::string token_secret = std::move(*command.mutable_token_secret_sha256());
  command.clear_request_id();
  command.clear_token_secret_sha256();
  std::string fingerprint = storage::Sha256(Serialize(command));
  command.set_request_id(std::move(request_id));
  command.set_token_secret_sha256(std::move(token_secret));
  return fingerprint;
}

absl::Time RecordedAt(const v1::IdempotencyRecord& record) {
  return absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(
          record.recorded_at()));
}

absl::StatusOr<v1::CommandResult> AnswerFromRecord(
    const std::string& request_id, const v1::IdempotencyRecord& record) {
  if (record.expired()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "request_id: ", request_id, " was first used at ",
        absl::FormatTime(absl::RFC3339_sec, RecordedAt(record),
                         absl::UTCTimeZone()),
        " (journal seq ", record.seq(),
        "), before the retry window; its answer is no longer kept and it is "
        "not applied again: look the outcome up in the record, or use a new "
        "request_id for a new request"));
  }
  if (record.code() != 0) {
    absl::Status status(static_cast<absl::StatusCode>(record.code()),
                        record.message());
    for (const google::protobuf::Any& detail : record.details()) {
      status.SetPayload(detail.type_url(), absl::Cord(detail.value()));
    }
    return status;
  }
  return record.result();
}

// What AnswerFromRecord() gives back: the refusal's code, message and every
// payload (its reason code among them).
void RecordRefusal(const absl::Status& refusal, v1::IdempotencyRecord& record) {
  record.set_code(static_cast<int>(refusal.code()));
  record.set_message(std::string(refusal.message()));
  refusal.ForEachPayload([&](absl::string_view url, const absl::Cord& value) {
    google::protobuf::Any* detail = record.add_details();
    detail->set_type_url(std::string(url));
    detail->set_value(std::string(value));
  });
}

// The journal's last entry must be the one the head record names; anything
// else means the store was damaged or edited while we were away: writes
// stop (appending after it would bury the damage), reads go on.
absl::Status CheckHead(storage::Store& store,
                       const storage::JournalHead& head) {
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalHead tail,
                            storage::ReadJournalTail(store.live()));
  if (tail.seq != head.seq || tail.hash != head.hash) {
    std::string detail = absl::StrCat(
        "journal head record says seq ", head.seq, " hash ",
        storage::ToHex(head.hash), " but the journal ends at seq ", tail.seq);
    spdlog::critical(
        "STORE DAMAGED, writes refused: {}; run `smptrace admin "
        "verify`",
        detail);
    store.write_gate().Close(storage::WriteBlock::kDamaged, std::move(detail));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Open(storage::Store* store,
                                                     const Clock* clock,
                                                     LedgerOptions options) {
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalHead head,
                            storage::ReadJournalHead(store->live()));
  SMPTRACE_RETURN_IF_ERROR(CheckHead(*store, head));
  // A store written before the lookback's index and the first-in-stock
  // index gets them now, before the writer starts (a damaged store, whose
  // gate is closed, is left as it is).
  if (store->write_gate().Check().ok()) {
    SMPTRACE_RETURN_IF_ERROR(EnsureLotTraceIndex(*store));
    SMPTRACE_RETURN_IF_ERROR(EnsureFirstInStockIndex(*store));
  }
  // The tree's right edge in memory: appends then read no stored node. A
  // damaged tree is left to the verification; appends read it as before.
  if (absl::Status edge = storage::LoadTlogEdge(store->live(), &head);
      !edge.ok()) {
    spdlog::error("the Merkle tree's right edge could not be read: {}",
                  std::string(edge.message()));
  }
  return std::unique_ptr<Ledger>(
      new Ledger(store, clock, options, std::move(head)));
}

Ledger::Ledger(storage::Store* store, const Clock* clock, LedgerOptions options,
               storage::JournalHead head)
    : store_(store),
      clock_(clock),
      options_(options),
      head_(head),
      decided_head_(std::move(head)) {
  committer_ = std::thread([this] { CommitterLoop(); });
  writer_ = std::thread([this] { WriterLoop(); });
}

Ledger::~Ledger() { Stop(); }

void Ledger::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    paused_ = false;
  }
  if (writer_.joinable()) writer_.join();
  {
    absl::MutexLock lock(&mu_);
    stop_committer_ = true;
  }
  if (committer_.joinable()) committer_.join();
}

absl::StatusOr<v1::CommandResult> Ledger::Submit(v1::Command command) {
  if (command.request_id().empty()) {
    return absl::InvalidArgumentError(
        "request_id: required (a client-generated unique id, reused on retry)");
  }
  if (command.request_id().size() > kMaxRequestIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_id: at most ", kMaxRequestIdLength,
                     " characters, got ", command.request_id().size()));
  }
  SMPTRACE_RETURN_IF_ERROR(store_->write_gate().Check());
  Pending pending;
  pending.command = std::move(command);
  // On the caller's thread: the writer's time is the ledger's throughput.
  pending.fingerprint = Fingerprint(pending.command);
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      return absl::UnavailableError("the server is shutting down; retry");
    }
    queue_.push_back(&pending);
  }
  pending.done.WaitForNotification();
  return std::move(pending.answer);
}

void Ledger::WriterLoop() {
  std::vector<Pending*> group;
  for (;;) {
    group.clear();
    {
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || (!paused_ && !queue_.empty());
      };
      auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return to_commit_ == nullptr;
      };
      absl::MutexLock lock(&mu_, absl::Condition(&ready));
      // Pings at the front: everything queued before them is done, the
      // commit in flight included (a stuck commit leaves them unanswered).
      while (!queue_.empty() && queue_.front()->ping) {
        if (!idle()) {
          // Waiting lets go of mu_: a ping may time out and leave meanwhile.
          mu_.Await(absl::Condition(&idle));
          continue;
        }
        queue_.front()->done.Notify();
        queue_.pop_front();
      }
      if (queue_.empty()) {
        if (stopping_) break;  // nothing left
        continue;
      }
      size_t n =
          std::min(queue_.size(), static_cast<size_t>(options_.max_group_size));
      // An expiry step runs alone; a group ends before a ping.
      size_t take = 0;
      while (take < n && !queue_[take]->expiry && !queue_[take]->ping) ++take;
      if (take == 0) take = 1;
      group.assign(queue_.begin(), queue_.begin() + take);
      queue_.erase(queue_.begin(), queue_.begin() + take);
    }
    if (group.front()->expiry) {
      Settle();  // its own callers hear how it went
      RunExpiry(*group.front());
      continue;
    }
    DecideGroup(group);
  }
  Settle();
}

void Ledger::DecideGroup(const std::vector<Pending*>& group) {
  // A commit that already ended need not be read through.
  if (committing_ != nullptr) {
    bool ended;
    {
      absl::MutexLock lock(&mu_);
      ended = to_commit_ == nullptr;
    }
    if (ended) Settle();
  }
  const bool overlapped = committing_ != nullptr;
  auto decided = std::make_unique<Decided>();
  decided->txn = overlapped ? store_->BeginWriteAfter(*committing_->txn)
                            : store_->BeginWrite();
  decided->first_seq = decided_head_.seq;
  decided->head = decided_head_;
  auto decide = [&](Pending* p) {
    decided->group.push_back(p);
    decided->outcomes.push_back(Process(*decided->txn, p->command,
                                        p->fingerprint, decided->first_seq,
                                        decided->head));
  };
  for (Pending* p : group) decide(p);
  // While the group before commits, commands that arrive join this group
  // (taken only after the commit, they would wait for one more).
  const size_t max_group = static_cast<size_t>(options_.max_group_size);
  std::vector<Pending*> more;
  while (overlapped && decided->group.size() < max_group) {
    more.clear();
    {
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return to_commit_ == nullptr || (!paused_ && !queue_.empty());
      };
      absl::MutexLock lock(&mu_, absl::Condition(&ready));
      if (to_commit_ == nullptr) break;
      // A group ends before a ping or an expiry step.
      while (decided->group.size() + more.size() < max_group &&
             !queue_.empty() && !queue_.front()->ping &&
             !queue_.front()->expiry) {
        more.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    if (more.empty()) break;
    for (Pending* p : more) decide(p);
  }
  if (overlapped) {
    absl::MutexLock lock(&mu_);
    ++stats_.overlapped;
  }

  // The group before must be durable before this one is written or
  // answered. If it was not saved, this one was decided on its writes.
  const bool before_saved = Settle();
  if (overlapped && before_saved) decided->txn->ForgetBase();
  if (!before_saved) {
    absl::Status gate = store_->write_gate().Check();
    for (Pending* p : decided->group) {
      p->answer = !gate.ok() ? gate
                             : absl::UnavailableError(
                                   "not saved, nothing was written (the commit "
                                   "before it failed); retry with the same "
                                   "request_id");
      p->done.Notify();
    }
    absl::MutexLock lock(&mu_);
    stats_.commands += decided->group.size();
    return;
  }
  decided_head_ = decided->head;
  bool here;
  {
    absl::MutexLock lock(&mu_);
    // Nothing waits to be decided: no decision to overlap the commit with.
    here = queue_.empty();
    if (!here) to_commit_ = decided.get();
  }
  if (here) {
    Finish(*decided);
    if (!decided->ok) decided_head_ = head();
    return;
  }
  committing_ = std::move(decided);
}

bool Ledger::Settle() {
  if (committing_ == nullptr) return true;
  {
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return to_commit_ == nullptr;
    };
    absl::MutexLock lock(&mu_, absl::Condition(&idle));
  }
  const bool ok = committing_->ok;
  committing_.reset();
  if (!ok) decided_head_ = head();
  return ok;
}

void Ledger::CommitterLoop() {
  for (;;) {
    Decided* decided;
    {
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return to_commit_ != nullptr || stop_committer_;
      };
      absl::MutexLock lock(&mu_, absl::Condition(&ready));
      if (to_commit_ == nullptr) return;
      decided = to_commit_;
    }
    Finish(*decided);
    absl::MutexLock lock(&mu_);
    to_commit_ = nullptr;
  }
}

void Ledger::Finish(Decided& decided) {
  storage::WriteTxn& txn = *decided.txn;
  const std::vector<Pending*>& group = decided.group;
  std::vector<Outcome>& outcomes = decided.outcomes;

  absl::Status commit = absl::OkStatus();
  if (txn.Count() > 0) {
    const auto start = std::chrono::steady_clock::now();
    commit = store_->Commit(txn, options_.sync);
    if (options_.observer != nullptr) {
      options_.observer->Committed(
          group.size(),
          absl::FromChrono(std::chrono::steady_clock::now() - start),
          commit.ok());
    }
  }
  decided.ok = commit.ok();

  const bool purge =
      commit.ok() &&
      std::any_of(outcomes.begin(), outcomes.end(),
                  [](const Outcome& o) { return o.purge_deleted; });
  if (purge) {
    // An erasure: the deleted client key must not stay readable in a WAL or
    // an SST. Committed already: a failure here is logged, not answered.
    absl::Status purged =
        store_->PurgeDeleted({storage::Cf::kClientKeys, storage::Cf::kIdem});
    if (!purged.ok()) {
      spdlog::error(
          "erasure recorded, but purging deleted data from the store's files "
          "failed: {}; it runs again with the next erasure",
          std::string(purged.message()));
    }
  }

  {
    absl::MutexLock lock(&mu_);
    if (commit.ok()) {
      stats_.journal_entries += decided.head.seq - decided.first_seq;
      head_ = decided.head;
      if (txn.Count() > 0) ++stats_.commits;
    }
    stats_.commands += group.size();
    stats_.largest_group =
        std::max<uint64_t>(stats_.largest_group, group.size());
  }
  // A closed write gate (disk full, damage) says itself why and what to do.
  absl::Status gate =
      commit.ok() ? absl::OkStatus() : store_->write_gate().Check();
  for (size_t i = 0; i < group.size(); ++i) {
    if (!commit.ok() && outcomes[i].wrote) {
      group[i]->answer =
          !gate.ok() ? gate
                     : absl::UnavailableError(absl::StrCat(
                           "not saved, nothing was written (", commit.message(),
                           "); retry with the same request_id"));
    } else {
      group[i]->answer = std::move(outcomes[i].answer);
    }
    group[i]->done.Notify();
  }
}

Ledger::Outcome Ledger::Process(storage::WriteTxn& txn,
                                const v1::Command& command,
                                const std::string& fingerprint,
                                uint64_t group_first_seq,
                                storage::JournalHead& head) {
  Outcome out;

  // A retry: answer as the first time, write nothing.
  auto stored = ReadRecord<v1::IdempotencyRecord>(
      txn, Cf::kIdem, command.request_id(), "idempotency record");
  if (!stored.ok()) {
    out.answer = stored.status();
    return out;
  }
  if (stored->has_value()) {
    if (!(*stored)->expired() && (*stored)->fingerprint() != fingerprint) {
      out.answer = absl::InvalidArgumentError(absl::StrCat(
          "request_id: ", command.request_id(),
          " was already used for a different request; generate a new one"));
    } else {
      out.answer = AnswerFromRecord(command.request_id(), **stored);
      // First seen earlier in this same group: it stands or falls with it.
      out.wrote = (*stored)->seq() > group_first_seq;
    }
    return out;
  }

  // Journal time never goes backwards, even if the wall clock does.
  absl::Time now = std::max(clock_->Now(), last_time_);
  const DecisionContext ctx{txn,
                            now,
                            options_.zone,
                            command.actor(),
                            head.seq + 1,
                            &options_.screening,
                            options_.personal_data,
                            &options_.consent,
                            &options_.retention};
  auto decision = Decide(command, ctx);
  if (!decision.ok()) {
    out.answer = decision.status();
    return out;
  }
  if (decision->event.payload_case() == v1::Event::PAYLOAD_NOT_SET) {
    // Nothing new to record: answered from the state, and so decided again
    // (the same way) on a retry. That state may come from a command earlier
    // in this group, so the answer stands or falls with the group.
    out.answer = std::move(decision->result);
    out.wrote = true;
    return out;
  }

  v1::Event& event = decision->event;
  *event.mutable_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(now));
  event.set_actor(command.actor());
  event.set_request_id(command.request_id());

  txn.SetSavePoint();
  absl::StatusOr<storage::JournalHead> appended =
      storage::AppendJournalEntry(txn, head, Serialize(event));
  if (!appended.ok()) {
    txn.RollbackToSavePoint();
    out.answer = absl::InternalError(absl::StrCat(
        "could not record the command: ", appended.status().message()));
    return out;
  }
  storage::JournalHead entry = *std::move(appended);
  if (absl::Status applied = ApplyEvent(event, entry, txn); !applied.ok()) {
    txn.RollbackToSavePoint();
    out.answer = absl::InternalError(
        absl::StrCat("could not record the command: ", applied.message()));
    return out;
  }
  if (decision->refusal.ok() && decision->read_back) {
    if (absl::Status read = decision->read_back(txn, decision->result);
        !read.ok()) {
      txn.RollbackToSavePoint();
      out.answer = absl::InternalError(absl::StrCat(
          "could not read back the command's result: ", read.message()));
      return out;
    }
  }
  if (decision->refusal.ok() && decision->outside_journal) {
    if (absl::Status written = decision->outside_journal(txn); !written.ok()) {
      txn.RollbackToSavePoint();
      out.answer = absl::InternalError(
          absl::StrCat("could not record the command: ", written.message()));
      return out;
    }
    out.purge_deleted = decision->purge_deleted;
  }
  head = std::move(entry);

  v1::IdempotencyRecord record;
  record.set_fingerprint(fingerprint);
  record.set_seq(head.seq);
  *record.mutable_recorded_at() = event.time();
  if (decision->refusal.ok()) {
    // Lent to the record while it is serialized, not copied.
    record.mutable_result()->Swap(&decision->result);
  } else {
    RecordRefusal(decision->refusal, record);
  }
  txn.Put(Cf::kIdem, command.request_id(), Serialize(record));
  if (decision->refusal.ok()) {
    out.answer = std::move(*record.mutable_result());
  } else {
    out.answer = decision->refusal;
  }
  txn.PopSavePoint();
  last_time_ = now;
  out.wrote = true;
  return out;
}

absl::StatusOr<RetryExpiry> Ledger::ExpireRetries(absl::Time cutoff,
                                                  const std::string& from,
                                                  int max_records) {
  Pending pending;
  pending.expiry = true;
  pending.cutoff = cutoff;
  pending.from = from;
  pending.max_records = max_records;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      return absl::UnavailableError("the server is shutting down; retry");
    }
    queue_.push_back(&pending);
  }
  pending.done.WaitForNotification();
  return std::move(pending.expiry_result);
}

absl::Status Ledger::RecordIssuedCheckpoint(
    const storage::IssuedCheckpoint& checkpoint) {
  return storage::RecordIssuedCheckpoint(*store_, checkpoint);
}

absl::StatusOr<bool> Ledger::RecordCosignature(uint64_t size,
                                               const storage::Cosignature& c) {
  return storage::KeepCosignature(*store_, size, c);
}

absl::Status Ledger::Ping(absl::Duration timeout) {
  Pending pending;
  pending.ping = true;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      return absl::UnavailableError("the server is shutting down");
    }
    queue_.push_back(&pending);
  }
  if (pending.done.WaitForNotificationWithTimeout(timeout)) {
    return absl::OkStatus();
  }
  absl::MutexLock lock(&mu_);
  // The writer answers a ping under mu_ as it takes it: if it is no longer
  // queued, it was answered (just now).
  auto it = std::find(queue_.begin(), queue_.end(), &pending);
  if (it == queue_.end()) return absl::OkStatus();
  queue_.erase(it);
  return absl::DeadlineExceededError(absl::StrCat(
      "the ledger's writer took no work for ", absl::FormatDuration(timeout),
      " (", queue_.size(), " commands waiting): a commit is stuck"));
}

void Ledger::RunExpiry(Pending& task) {
  task.expiry_result = [&]() -> absl::StatusOr<RetryExpiry> {
    SMPTRACE_RETURN_IF_ERROR(store_->write_gate().Check());
    std::unique_ptr<storage::WriteTxn> txn = store_->BeginWrite();
    RetryExpiry step;
    SMPTRACE_RETURN_IF_ERROR(txn->Scan(
        Cf::kIdem, task.from, "",
        [&](std::string_view key,
            std::string_view value) -> absl::StatusOr<bool> {
          if (step.examined >= static_cast<uint64_t>(task.max_records)) {
            step.next_request_id = std::string(key);
            return false;
          }
          ++step.examined;
          v1::IdempotencyRecord record;
          SMPTRACE_RETURN_IF_ERROR(
              ParseRecord(value, "idempotency record", &record));
          if (record.expired()) return true;
          if (!record.has_recorded_at()) {
            // Written before recorded_at existed: its journal entry's time.
            SMPTRACE_RETURN_IF_ERROR(storage::ForEachJournalEntry(
                *txn, record.seq(), [&](const storage::JournalEntryView& e) {
                  v1::Event event;
                  if (e.seq == record.seq() &&
                      ParseRecord(e.event, "journal entry", &event).ok()) {
                    *record.mutable_recorded_at() = event.time();
                  }
                  return false;
                }));
          }
          if (RecordedAt(record) >= task.cutoff) return true;
          txn->Put(Cf::kIdem, key, Serialize(ExpiredMarker(record)));
          ++step.expired;
          return true;
        }));
    if (txn->Count() > 0) {
      SMPTRACE_RETURN_IF_ERROR(store_->Commit(*txn, options_.sync));
    }
    return step;
  }();
  task.done.Notify();
}

storage::JournalHead Ledger::head() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

LedgerStats Ledger::stats() const {
  absl::MutexLock lock(&mu_);
  LedgerStats stats = stats_;
  stats.queued = queue_.size();
  return stats;
}

void Ledger::PauseForTesting() {
  absl::MutexLock lock(&mu_);
  paused_ = true;
}

void Ledger::ResumeForTesting() {
  absl::MutexLock lock(&mu_);
  paused_ = false;
}

void Ledger::WaitForQueuedForTesting(size_t n) {
  auto queued = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.size() >= n;
  };
  absl::MutexLock lock(&mu_, absl::Condition(&queued));
}

}  // namespace smptrace::ledger
