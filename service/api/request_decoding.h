// Requests whose bytes are not a message of the method's request type (a
// string field that is not UTF-8, a truncated body) are the client's fault.
// gRPC decodes a request before any handler runs; when that fails it answers
// INTERNAL with an empty message (grpcpp/impl/codegen/proto_utils.h,
// GenericDeserialize) and protobuf logs an ERROR line for bad UTF-8, once per
// request, unthrottled. This file
//  - routes protobuf's log lines to spdlog, at most 60 a minute (the rest
//    counted: LogThrottle);
//  - adds a server interceptor that answers such a request
//    INVALID_ARGUMENT "request to CatalogService/CreateProduct could not be
//    decoded: field smptrace.v1.CreateProductRequest.name is not valid
//    UTF-8" instead, and logs one throttled line for it.
// Bytes gRPC refuses before decoding (a frame cut short, an unknown
// compression, a message over --max_message_bytes) keep gRPC's answer; see
// docs/admin.md.
#ifndef SMPTRACE_SERVICE_API_REQUEST_DECODING_H_
#define SMPTRACE_SERVICE_API_REQUEST_DECODING_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace smptrace::api {

// Sends libprotobuf's log lines to spdlog, throttled. Process-wide;
// idempotent, thread-safe.
void RouteProtobufLog();

// The interceptor above, for ServerBuilder::experimental()
// .SetInterceptorCreators(). Calls RouteProtobufLog().
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRequestDecodingInterceptorFactory();

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_REQUEST_DECODING_H_
