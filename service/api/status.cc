#include "service/api/status.h"

#include <string>

#include "common/refusal.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::api {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
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
