// Who is calling, decided once per call from that call's own credentials
// (its bearer token and the connection's verified client certificate) and
// then held as an immutable value. Identity never comes from a request
// field, and nothing about a caller is written into gRPC's auth context,
// which is shared by every call of a connection.
#ifndef SMPTRACE_SERVICE_API_CALLER_H_
#define SMPTRACE_SERVICE_API_CALLER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "service/api/auth.h"
#include "service/api/roles.h"

namespace smptrace::api {

// The actor recorded for calls on a server started with --insecure_dev.
inline constexpr char kInsecureDevActor[] = "insecure-dev";

// One call's caller.
struct Caller {
  // The principal's name; kInsecureDevActor without authentication.
  std::string principal;
  // The principal's role; nullopt without authentication (--insecure_dev),
  // where every call is allowed.
  std::optional<Role> role;
};

// MaySeeClientContact(role), or true without authentication.
bool MaySeeClientContact(const Caller& caller);

// Decides the caller of a call. Thread-safe; holds no per-call state.
class Callers {
 public:
  // `authenticator` == nullptr: the server runs without authentication and
  // every caller is kInsecureDevActor.
  // REQUIRES: authenticator, if given, outlives this.
  explicit Callers(const Authenticator* authenticator)
      : authenticator_(authenticator) {}

  // The caller of `context`'s call. The AuthProcessor has already admitted
  // the call (and checked its role for the method); this decides the same
  // credentials again, so a token revoked in between is refused here too.
  // Errors: Unauthenticated (credentials no longer valid), Unavailable (the
  // principals cannot be read).
  absl::StatusOr<Caller> Of(const grpc::ServerContext& context) const;

 private:
  const Authenticator* authenticator_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CALLER_H_
