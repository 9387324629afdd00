#include "service/api/status.h"

#include <string>
#include <string_view>

#include "common/refusal.h"
#include "service/domain/text.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::api {
namespace {

constexpr size_t kMaxStatusMessage = 1024;

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  auto code = static_cast<grpc::StatusCode>(status.code());
  // A final guard: whatever a message quotes, it fits in the response
  // metadata (gRPC's default limit is 8 KiB for all of it).
  std::string message = domain::Shorten(
      std::string_view(status.message().data(), status.message().size()),
      kMaxStatusMessage);
  std::optional<std::string> reason = RefusalReason(status);
  if (!reason.has_value()) return grpc::Status(code, message);

  v1::Refusal refusal;
  refusal.set_reason(*reason);
  refusal.set_message(message);
  v1::StatusDetails details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  details.add_details()->PackFrom(refusal);
  return grpc::Status(code, message, details.SerializeAsString());
}

}  // namespace smptrace::api
