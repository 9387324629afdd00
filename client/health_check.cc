#include "client/health_check.h"

#include <vector>

#include "absl/synchronization/notification.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace smptrace::client {
namespace {

// HealthCheckRequest{service = 1 (string)}.
std::string EncodeRequest(const std::string& service) {
  std::string out;
  if (service.empty()) return out;
  out.push_back(0x0a);  // field 1, length-delimited
  size_t n = service.size();
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
  return out + service;
}

// HealthCheckResponse{status = 1 (enum)}: field 1 varint; unknown fields
// skipped only in the simple forms a server sends.
bool DecodeResponse(const std::string& bytes, ServingStatus* status) {
  *status = ServingStatus::kUnknown;
  for (size_t i = 0; i < bytes.size();) {
    uint8_t tag = static_cast<uint8_t>(bytes[i++]);
    if (tag != 0x08) return false;
    uint64_t value = 0;
    int shift = 0;
    while (i < bytes.size()) {
      uint8_t b = static_cast<uint8_t>(bytes[i++]);
      value |= static_cast<uint64_t>(b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) break;
    }
    *status = static_cast<ServingStatus>(value);
  }
  return true;
}

}  // namespace

grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         grpc::ClientContext* context,
                         const std::string& service, ServingStatus* serving) {
  grpc::GenericStub stub(channel);
  std::string request_bytes = EncodeRequest(service);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (response.Dump(&slices).ok()) {
    for (const auto& s : slices) {
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  if (!DecodeResponse(bytes, serving)) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "health response does not parse");
  }
  return grpc::Status::OK;
}

const char* ServingStatusName(ServingStatus status) {
  switch (status) {
    case ServingStatus::kServing:
      return "SERVING";
    case ServingStatus::kNotServing:
      return "NOT_SERVING";
    case ServingStatus::kServiceUnknown:
      return "SERVICE_UNKNOWN";
    case ServingStatus::kUnknown:
      break;
  }
  return "UNKNOWN";
}

}  // namespace smptrace::client
