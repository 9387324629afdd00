#include "service/ledger/ledger.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "service/ledger/decide.h"
#include "service/ledger/projection.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {

namespace keys = storage::keys;
using storage::Cf;

// A Submit() call waiting for its answer.
struct Ledger::Pending {
  v1::Command command;
  absl::StatusOr<v1::CommandResult> answer;
  absl::Notification done;
};

// What the writer concluded for one command of a group.
struct Ledger::Outcome {
  absl::StatusOr<v1::CommandResult> answer;
  // True if the command put anything in the batch: its answer stands only if
  // the commit succeeds.
  bool wrote = false;
};

namespace {

constexpr size_t kMaxRequestIdLength = 128;

std::string Fingerprint(const v1::Command& command) {
  v1::Command copy = command;
  copy.clear_request_id();
  return storage::Sha256(Serialize(copy));
}

absl::StatusOr<v1::CommandResult> AnswerFromRecord(
    const v1::IdempotencyRecord& record) {
  if (record.code() != 0) {
    return absl::Status(static_cast<absl::StatusCode>(record.code()),
                        record.message());
  }
  return record.result();
}

// The journal's last entry must be the one the head record names; anything
// else means the store was damaged or edited while we were away.
absl::Status CheckHead(const storage::Store& store,
                       const storage::JournalHead& head) {
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalHead tail,
                            storage::ReadJournalTail(store.live()));
  if (tail.seq != head.seq || tail.hash != head.hash) {
    return absl::DataLossError(absl::StrCat(
        "journal head record says seq ", head.seq, " hash ",
        storage::ToHex(head.hash), " but the journal ends at seq ", tail.seq,
        "; run `smptrace admin verify --data_dir ", store.dir(), "`"));
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
  return std::unique_ptr<Ledger>(
      new Ledger(store, clock, options, std::move(head)));
}

Ledger::Ledger(storage::Store* store, const Clock* clock, LedgerOptions options,
               storage::JournalHead head)
    : store_(store), clock_(clock), options_(options), head_(std::move(head)) {
  writer_ = std::thread([this] { WriterLoop(); });
}

Ledger::~Ledger() { Stop(); }

void Ledger::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    paused_ = false;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
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
  Pending pending;
  pending.command = std::move(command);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      return absl::UnavailableError("the server is shutting down; retry");
    }
    queue_.push_back(&pending);
  }
  wake_.notify_one();
  queued_.notify_all();
  pending.done.WaitForNotification();
  return std::move(pending.answer);
}

void Ledger::WriterLoop() {
  std::vector<Pending*> group;
  for (;;) {
    group.clear();
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock,
                 [this] { return stopping_ || (!paused_ && !queue_.empty()); });
      if (queue_.empty()) return;  // stopping, nothing left
      size_t n =
          std::min(queue_.size(), static_cast<size_t>(options_.max_group_size));
      group.assign(queue_.begin(), queue_.begin() + n);
      queue_.erase(queue_.begin(), queue_.begin() + n);
    }
    CommitGroup(group);
  }
}

void Ledger::CommitGroup(const std::vector<Pending*>& group) {
  std::unique_ptr<storage::WriteTxn> txn = store_->BeginWrite();
  storage::JournalHead head;
  {
    std::lock_guard<std::mutex> lock(mu_);
    head = head_;
  }
  const uint64_t first_seq = head.seq;

  std::vector<Outcome> outcomes;
  outcomes.reserve(group.size());
  for (Pending* p : group)
    outcomes.push_back(Process(*txn, p->command, first_seq, head));

  absl::Status commit = absl::OkStatus();
  if (txn->Count() > 0) commit = store_->Commit(*txn, options_.sync);

  {
    std::lock_guard<std::mutex> lock(mu_);
    if (commit.ok()) {
      stats_.journal_entries += head.seq - first_seq;
      head_ = head;
      if (txn->Count() > 0) ++stats_.commits;
    }
    stats_.commands += group.size();
    stats_.largest_group =
        std::max<uint64_t>(stats_.largest_group, group.size());
  }
  for (size_t i = 0; i < group.size(); ++i) {
    if (!commit.ok() && outcomes[i].wrote) {
      group[i]->answer = absl::UnavailableError(
          absl::StrCat("not saved, nothing was written (", commit.message(),
                       "); retry with the same request_id"));
    } else {
      group[i]->answer = std::move(outcomes[i].answer);
    }
    group[i]->done.Notify();
  }
}

Ledger::Outcome Ledger::Process(storage::WriteTxn& txn,
                                const v1::Command& command,
                                uint64_t group_first_seq,
                                storage::JournalHead& head) {
  Outcome out;
  const std::string fingerprint = Fingerprint(command);

  // A retry: answer as the first time, write nothing.
  auto stored = ReadRecord<v1::IdempotencyRecord>(
      txn, Cf::kIdem, command.request_id(), "idempotency record");
  if (!stored.ok()) {
    out.answer = stored.status();
    return out;
  }
  if (stored->has_value()) {
    if ((*stored)->fingerprint() != fingerprint) {
      out.answer = absl::InvalidArgumentError(absl::StrCat(
          "request_id: ", command.request_id(),
          " was already used for a different request; generate a new one"));
    } else {
      out.answer = AnswerFromRecord(**stored);
      // First seen earlier in this same group: it stands or falls with it.
      out.wrote = (*stored)->seq() > group_first_seq;
    }
    return out;
  }

  // Journal time never goes backwards, even if the wall clock does.
  absl::Time now = std::max(clock_->Now(), last_time_);
  const DecisionContext ctx{txn,           now,
                            options_.zone, command.actor(),
                            head.seq + 1,  &options_.screening};
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
  storage::JournalHead entry =
      storage::AppendJournalEntry(txn, head, Serialize(event));
  if (absl::Status applied = ApplyEvent(event, entry, txn); !applied.ok()) {
    txn.RollbackToSavePoint();
    out.answer = absl::InternalError(
        absl::StrCat("could not record the command: ", applied.message()));
    return out;
  }
  head = std::move(entry);

  v1::IdempotencyRecord record;
  record.set_fingerprint(fingerprint);
  record.set_seq(head.seq);
  if (decision->refusal.ok()) {
    *record.mutable_result() = decision->result;
    out.answer = std::move(decision->result);
  } else {
    record.set_code(static_cast<int>(decision->refusal.code()));
    record.set_message(std::string(decision->refusal.message()));
    out.answer = decision->refusal;
  }
  txn.Put(Cf::kIdem, command.request_id(), Serialize(record));
  txn.PopSavePoint();
  last_time_ = now;
  out.wrote = true;
  return out;
}

storage::JournalHead Ledger::head() const {
  std::lock_guard<std::mutex> lock(mu_);
  return head_;
}

LedgerStats Ledger::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void Ledger::PauseForTesting() {
  std::lock_guard<std::mutex> lock(mu_);
  paused_ = true;
}

void Ledger::ResumeForTesting() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    paused_ = false;
  }
  wake_.notify_all();
}

void Ledger::WaitForQueuedForTesting(size_t n) {
  std::unique_lock<std::mutex> lock(mu_);
  queued_.wait(lock, [&] { return queue_.size() >= n; });
}

}  // namespace smptrace::ledger
