// Who is calling, as the server authenticated them. Identity comes from the
// authenticated context only, never from a request field.
#ifndef SMPTRACE_SERVICE_API_CALLER_H_
#define SMPTRACE_SERVICE_API_CALLER_H_

#include <optional>
#include <string>

#include "grpcpp/server_context.h"
#include "service/api/roles.h"

namespace smptrace::api {

// The auth-context property that carries the principal's name.
inline constexpr char kPrincipalProperty[] = "smptrace.principal";
// The auth-context property that carries the principal's role ("MANAGER").
inline constexpr char kRoleProperty[] = "smptrace.role";
// The actor recorded for calls on a server started with --insecure_dev.
inline constexpr char kInsecureDevActor[] = "insecure-dev";

// The authenticated principal of the call, or kInsecureDevActor when the
// server runs without authentication.
std::string CallerOf(const grpc::ServerContext& context);

// The authenticated principal's role; nullopt when the server runs without
// authentication (--insecure_dev), where every call is allowed.
std::optional<Role> RoleOf(const grpc::ServerContext& context);

// MaySeeClientContact(role), or true without authentication.
bool MaySeeClientContact(const grpc::ServerContext& context);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CALLER_H_
