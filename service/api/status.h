// The one place where an absl::Status becomes a grpc::Status. The codes are
// the same numbers in both; a rule refusal's reason code travels as a
// smptrace.v1.Refusal inside the standard status details.
#ifndef SMPTRACE_SERVICE_API_STATUS_H_
#define SMPTRACE_SERVICE_API_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace smptrace::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_STATUS_H_
