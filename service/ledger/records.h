// Reading and writing protobuf records in the store: the one place that
// turns stored bytes into messages (and an unparsable record into DataLoss).
#ifndef SMPTRACE_SERVICE_LEDGER_RECORDS_H_
#define SMPTRACE_SERVICE_LEDGER_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "google/protobuf/message_lite.h"
#include "service/domain/ids.h"
#include "smptrace/v1/ledger.pb.h"
#include "storage/keys.h"
#include "storage/store.h"

namespace smptrace::ledger {

// Deterministic serialisation: the same message always gives the same bytes,
// so replayed state compares byte for byte with live state.
std::string Serialize(const google::protobuf::MessageLite& message);

// Parses `bytes` into `message`; DataLoss naming `what` if they do not parse.
absl::Status ParseRecord(std::string_view bytes, std::string_view what,
                         google::protobuf::MessageLite* message);

// The message stored under `key`, nullopt when absent.
template <typename T>
absl::StatusOr<std::optional<T>> ReadRecord(const storage::Reader& reader,
                                            storage::Cf cf,
                                            std::string_view key,
                                            std::string_view what) {
  SMPTRACE_ASSIGN_OR_RETURN(auto bytes, reader.Get(cf, key));
  if (!bytes.has_value()) return std::nullopt;
  T message;
  SMPTRACE_RETURN_IF_ERROR(ParseRecord(*bytes, what, &message));
  return message;
}

// Every state record under `tag`, in key order.
template <typename T>
absl::StatusOr<std::vector<T>> ReadAllRecords(const storage::Reader& reader,
                                              storage::keys::StateTag tag,
                                              std::string_view what) {
  std::vector<T> out;
  const std::string prefix = storage::keys::StatePrefix(tag);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      storage::Cf::kState, prefix, storage::keys::PrefixEnd(prefix),
      [&](std::string_view, std::string_view value) -> absl::StatusOr<bool> {
        T message;
        SMPTRACE_RETURN_IF_ERROR(ParseRecord(value, what, &message));
        out.push_back(std::move(message));
        return true;
      }));
  return out;
}

// One page of a list, in key order.
template <typename T>
struct Page {
  std::vector<T> items;
  // The id of the last item when more may follow; empty at the end.
  std::string next_after;
};

// Reads up to `limit` records of type T from keys in [begin, end) of the
// state CF, keeping those `keep` accepts (it may also adjust the record it
// is given); `id_of` names the last one for the next page.
template <typename T, typename Keep, typename IdOf>
absl::StatusOr<Page<T>> ListRecords(const storage::Reader& reader,
                                    std::string_view begin,
                                    std::string_view end, int limit,
                                    std::string_view what, Keep keep,
                                    IdOf id_of) {
  Page<T> page;
  bool more = false;
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      storage::Cf::kState, begin, end,
      [&](std::string_view, std::string_view value) -> absl::StatusOr<bool> {
        T item;
        SMPTRACE_RETURN_IF_ERROR(ParseRecord(value, what, &item));
        if (!keep(item)) return true;
        if (static_cast<int>(page.items.size()) == limit) {
          more = true;
          return false;
        }
        page.items.push_back(std::move(item));
        return true;
      }));
  if (more) page.next_after = id_of(page.items.back());
  return page;
}

// A kind of numbered state record: one stored under
// keys::NumberedKey(tag, n), n being the number in the record's id
// ("SES-000117" is session 117). Each aggregate names its own (kSessionRecord,
// kContainerRecord, ...) next to its state reads.
struct NumberedRecord {
  storage::keys::StateTag tag;
  domain::IdKind id_kind;
  std::string_view what;  // in messages: "session", "sharps container"
};

// The record numbered `n`, nullopt when absent.
template <typename T>
absl::StatusOr<std::optional<T>> ReadNumbered(const storage::Reader& reader,
                                              const NumberedRecord& kind,
                                              uint64_t n) {
  return ReadRecord<T>(reader, storage::Cf::kState,
                       storage::keys::NumberedKey(kind.tag, n), kind.what);
}

// The number in `id`, a record id of `kind`; InvalidArgument if it is not.
absl::StatusOr<uint64_t> RecordNumber(const NumberedRecord& kind,
                                      std::string_view id);

// For projections, whose events name records that must exist: the record
// whose id is `id`, DataLoss ("session SES-000117 is not recorded") when it
// is absent.
template <typename T>
absl::StatusOr<T> MustReadNumbered(const storage::Reader& reader,
                                   const NumberedRecord& kind,
                                   std::string_view id) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, RecordNumber(kind, id));
  SMPTRACE_ASSIGN_OR_RETURN(std::optional<T> record,
                            ReadNumbered<T>(reader, kind, n));
  if (!record.has_value()) {
    return absl::DataLossError(
        absl::StrCat(ToAbsl(kind.what), " ", ToAbsl(id), " is not recorded"));
  }
  return *std::move(record);
}

// FindNumbered's NotFound: "session_id: session SES-000009 does not exist".
absl::Status NumberedNotFound(const NumberedRecord& kind, std::string_view id,
                              std::string_view field);

// For decisions and reads, where `id` comes from a request's `field`: the
// record, InvalidArgument naming `field` for a malformed id, NotFound
// ("session_id: session SES-000009 does not exist") when there is none.
template <typename T>
absl::StatusOr<T> FindNumbered(const storage::Reader& reader,
                               const NumberedRecord& kind, std::string_view id,
                               std::string_view field) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                            domain::ParseId(kind.id_kind, id, field));
  SMPTRACE_ASSIGN_OR_RETURN(std::optional<T> record,
                            ReadNumbered<T>(reader, kind, n));
  if (!record.has_value()) return NumberedNotFound(kind, id, field);
  return *std::move(record);
}

// FindNumbered's answer without decoding the record, for a decision that
// needs only to know it exists (a disposal naming its session).
absl::Status MustExistNumbered(const storage::Reader& reader,
                               const NumberedRecord& kind, std::string_view id,
                               std::string_view field);

// Writes `record`, whose id is `id`, under its number.
absl::Status PutNumbered(const NumberedRecord& kind, std::string_view id,
                         const google::protobuf::MessageLite& record,
                         storage::WriteTxn& txn);

// The read-modify-write of a projection: reads the record whose id is `id`
// (MustReadNumbered), lets `change` change it, writes it back.
template <typename T, typename Change>
absl::Status UpdateNumbered(const NumberedRecord& kind, std::string_view id,
                            storage::WriteTxn& txn, Change change) {
  SMPTRACE_ASSIGN_OR_RETURN(T record, MustReadNumbered<T>(txn, kind, id));
  change(record);
  return PutNumbered(kind, id, record, txn);
}

// The highest number in use under a state tag whose keys are
// keys::NumberedKey(tag, n) (suppliers, locations, clients, sessions,
// containers); 0 if none.
absl::StatusOr<uint64_t> LastNumber(const storage::Reader& reader,
                                    storage::keys::StateTag tag);

// What an idempotency record is cut down to once its answer must go (the
// retry window ended, or its client was erased): expired, with its seq and
// time, so that a late retry is refused instead of applied again.
v1::IdempotencyRecord ExpiredMarker(const v1::IdempotencyRecord& record);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_RECORDS_H_
