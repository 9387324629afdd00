// The Connect protocol's unary error mapping (connectrpc.com/docs/protocol),
// in one place for the HTTP door (http_gateway.h): a gRPC status code as
// Connect's code name and HTTP status, and a Connect error body. The message
// is the gRPC status message unchanged, so a browser shows what the CLI
// shows.
#ifndef SMPTRACE_SERVICE_API_CONNECT_PROTOCOL_H_
#define SMPTRACE_SERVICE_API_CONNECT_PROTOCOL_H_

#include <string>
#include <string_view>

#include "grpcpp/support/status.h"

namespace smptrace::api {

// "invalid_argument", "not_found", ... (the gRPC name in lower case).
std::string ConnectCodeName(grpc::StatusCode code);

// The HTTP status the Connect specification gives `code`: 400 for
// invalid_argument, failed_precondition and out_of_range, 401
// unauthenticated, 403 permission_denied, 404 not_found, 409 already_exists
// and aborted, 429 resource_exhausted, 499 canceled, 501 unimplemented, 503
// unavailable, 504 deadline_exceeded, 500 for the rest.
int ConnectHttpStatus(grpc::StatusCode code);

// A Connect error body:
//   {"code":"failed_precondition","message":"…","details":[{"type":
//    "smptrace.v1.Refusal","value":"<base64>","debug":{…}}]}
// `status_details` is the gRPC status's binary details (a
// smptrace.v1.StatusDetails, as ToGrpcStatus writes them); each packed
// message becomes one detail, with its JSON form as "debug" when its type
// is known. Empty or undecodable details: no "details".
std::string ConnectErrorJson(grpc::StatusCode code, std::string_view message,
                             std::string_view status_details = {});

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CONNECT_PROTOCOL_H_
