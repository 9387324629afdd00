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
    return absl::DataLossError(
        absl::StrCat(ToAbsl(what), ": stored record does not parse (", bytes.size(),
                     " bytes)"));
  }
  return absl::OkStatus();
}

}  // namespace smptrace::ledger
