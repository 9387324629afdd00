// A grpc.health.v1.Health/Check client. Debian ships no health.proto, and
// the protocol is two tiny messages, so the request and response are encoded
// by hand here and sent through a generic stub.
#ifndef SMPTRACE_CLIENT_HEALTH_CHECK_H_
#define SMPTRACE_CLIENT_HEALTH_CHECK_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace smptrace::client {

// DO NOT CHANGE: grpc.health.v1.HealthCheckResponse.ServingStatus values.
enum class ServingStatus {
  kUnknown = 0,
  kServing = 1,
  kNotServing = 2,
  kServiceUnknown = 3,
};

// Calls Health/Check for `service` ("" = the whole server). On an OK status
// `*serving` holds the answer.
grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         grpc::ClientContext* context,
                         const std::string& service, ServingStatus* serving);

const char* ServingStatusName(ServingStatus status);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_HEALTH_CHECK_H_
