#include "service/ledger/records.h"

#include "common/string_view.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace smptrace::ledger {

std::string Serialize(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&out);
  }
  return bytes;
}

absl::Status ParseRecord(std::string_view bytes, std::string_view what,
                         google::protobuf::MessageLite* message) {
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat(ToAbsl(what),
                                            ": stored record does not parse (",
                                            bytes.size(), " bytes)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> RecordNumber(const NumberedRecord& kind,
                                      std::string_view id) {
  return domain::ParseId(kind.id_kind, id, "id");
}

absl::Status NumberedNotFound(const NumberedRecord& kind, std::string_view id,
                              std::string_view field) {
  return absl::NotFoundError(absl::StrCat(ToAbsl(field), ": ",
                                          ToAbsl(kind.what), " ", ToAbsl(id),
                                          " does not exist"));
}

absl::Status MustExistNumbered(const storage::Reader& reader,
                               const NumberedRecord& kind, std::string_view id,
                               std::string_view field) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                            domain::ParseId(kind.id_kind, id, field));
  SMPTRACE_ASSIGN_OR_RETURN(
      auto bytes,
      reader.Get(storage::Cf::kState, storage::keys::NumberedKey(kind.tag, n)));
  if (!bytes.has_value()) return NumberedNotFound(kind, id, field);
  return absl::OkStatus();
}

absl::Status PutNumbered(const NumberedRecord& kind, std::string_view id,
                         const google::protobuf::MessageLite& record,
                         storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, RecordNumber(kind, id));
  txn.Put(storage::Cf::kState, storage::keys::NumberedKey(kind.tag, n),
          Serialize(record));
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> LastNumber(const storage::Reader& reader,
                                    storage::keys::StateTag tag) {
  const std::string prefix = storage::keys::StatePrefix(tag);
  uint64_t last = 0;
  SMPTRACE_RETURN_IF_ERROR(reader.ScanReverse(
      storage::Cf::kState, prefix, storage::keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(last,
                                  storage::keys::DecodeNumberedKey(tag, key));
        return false;
      }));
  return last;
}

v1::IdempotencyRecord ExpiredMarker(const v1::IdempotencyRecord& record) {
  v1::IdempotencyRecord marker;
  marker.set_expired(true);
  marker.set_seq(record.seq());
  *marker.mutable_recorded_at() = record.recorded_at();
  return marker;
}

}  // namespace smptrace::ledger
