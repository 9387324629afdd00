#include "service/ledger/rebuild.h"

#include <filesystem>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/ledger/projection.h"
#include "service/ledger/records.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/journal.h"

namespace smptrace::ledger {
namespace {

using storage::Cf;

constexpr int kReplayBatch = 1000;
constexpr int kCompareChunk = 1000;

// Walks one column family in chunks, so two can be compared in lockstep
// through the callback-only Reader interface.
class Cursor {
 public:
  Cursor(const storage::Reader& reader, Cf cf) : reader_(reader), cf_(cf) {}

  // Loads the next chunk when the current one is used up.
  absl::Status Fill() {
    if (pos_ < entries_.size() || exhausted_) return absl::OkStatus();
    entries_.clear();
    pos_ = 0;
    std::string begin = next_;
    SMPTRACE_RETURN_IF_ERROR(reader_.Scan(
        cf_, begin, "", [&](std::string_view k, std::string_view v) {
          entries_.emplace_back(std::string(k), std::string(v));
          return entries_.size() < kCompareChunk;
        }));
    if (entries_.size() < kCompareChunk) exhausted_ = true;
    if (!entries_.empty()) next_ = entries_.back().first + '\0';
    return absl::OkStatus();
  }
  bool done() const { return pos_ >= entries_.size(); }
  const std::pair<std::string, std::string>& current() const {
    return entries_[pos_];
  }
  void Next() { ++pos_; }

 private:
  const storage::Reader& reader_;
  Cf cf_;
  std::vector<std::pair<std::string, std::string>> entries_;
  size_t pos_ = 0;
  std::string next_;
  bool exhausted_ = false;
};

absl::Status Compare(const storage::Reader& live, const storage::Reader& replay,
                     Cf cf, int max_differences, RebuildReport& report) {
  Cursor a(live, cf), b(replay, cf);
  auto note = [&](std::string text) {
    report.ok = false;
    if (static_cast<int>(report.differences.size()) < max_differences) {
      report.differences.push_back(
          absl::StrCat(storage::CfName(cf), ": ", std::move(text)));
    }
  };
  for (;;) {
    SMPTRACE_RETURN_IF_ERROR(a.Fill());
    SMPTRACE_RETURN_IF_ERROR(b.Fill());
    if (a.done() && b.done()) return absl::OkStatus();
    ++report.records_compared;
    if (b.done() || (!a.done() && a.current().first < b.current().first)) {
      note(absl::StrCat("key ", storage::ToHex(a.current().first),
                        " is stored but no event produces it"));
      a.Next();
    } else if (a.done() || b.current().first < a.current().first) {
      note(absl::StrCat("key ", storage::ToHex(b.current().first),
                        " is produced by the journal but missing"));
      b.Next();
    } else {
      if (a.current().second != b.current().second) {
        note(absl::StrCat("key ", storage::ToHex(a.current().first),
                          " holds a value the journal does not produce"));
      }
      a.Next();
      b.Next();
    }
  }
}

}  // namespace

absl::StatusOr<RebuildReport> RebuildCheck(const storage::Reader& source,
                                           const std::string& scratch_dir,
                                           int max_differences) {
  namespace fs = std::filesystem;
  if (fs::exists(scratch_dir)) {
    return absl::FailedPreconditionError(
        absl::StrCat("scratch directory ", scratch_dir, " already exists"));
  }
  RebuildReport report;
  absl::Status result = [&]() -> absl::Status {
    // A throwaway copy: no free-space reserve of its own.
    storage::StoreOptions scratch_options;
    scratch_options.min_free_bytes = 0;
    SMPTRACE_ASSIGN_OR_RETURN(
        auto scratch, storage::Store::Open(scratch_dir, scratch_options));
    auto txn = scratch->BeginWrite();
    absl::Status bad = storage::ForEachJournalEntry(
        source, 1,
        [&](const storage::JournalEntryView& entry) -> absl::StatusOr<bool> {
          v1::Event event;
          absl::Status replayed = ParseRecord(
              entry.event, absl::StrCat("journal seq ", entry.seq), &event);
          if (replayed.ok()) {
            replayed = ApplyEvent(
                event, storage::JournalHead{entry.seq, std::string(entry.hash)},
                *txn);
          }
          if (!replayed.ok()) {
            return absl::DataLossError(absl::StrCat(
                "replay stopped at seq ", entry.seq, ": ", replayed.message()));
          }
          ++report.events_replayed;
          if (txn->Count() >= kReplayBatch) {
            SMPTRACE_RETURN_IF_ERROR(scratch->Commit(*txn, /*sync=*/false));
            txn = scratch->BeginWrite();
          }
          return true;
        });
    if (absl::IsDataLoss(bad)) {
      // A journal that cannot be replayed is a failed check, not a failure
      // to check: the caller reports it like any other difference.
      report.ok = false;
      report.differences.push_back(absl::StrCat("journal: ", bad.message()));
      return absl::OkStatus();
    }
    SMPTRACE_RETURN_IF_ERROR(bad);
    SMPTRACE_RETURN_IF_ERROR(scratch->Commit(*txn, /*sync=*/false));
    for (Cf cf : {Cf::kState, Cf::kIndex}) {
      SMPTRACE_RETURN_IF_ERROR(
          Compare(source, scratch->live(), cf, max_differences, report));
    }
    return absl::OkStatus();
  }();
  std::error_code ec;
  fs::remove_all(scratch_dir, ec);
  SMPTRACE_RETURN_IF_ERROR(result);
  return report;
}

}  // namespace smptrace::ledger
