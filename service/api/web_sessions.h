// The browser's sign-in sessions of the HTTP door (http_gateway.h): a
// person signs in once with their token; the server keeps the token here
// and gives the browser only a random session id in an HttpOnly cookie.
// Each call with the cookie is made with the stored token, so the token is
// checked again on every call (a revoked token ends what the session can
// do at once). A session ends at sign-out, after its idle time without a
// call, or `lifetime` after sign-in, whichever comes first. The idle time
// is short for a practitioner (`kiosk_idle`: the role signs in at the
// chair-side kiosk, a shared screen in a treatment room) and `idle` for
// every other role (a manager's, auditor's or admin's own desk). In memory
// only: a restart signs everyone out.
#ifndef SMPTRACE_SERVICE_API_WEB_SESSIONS_H_
#define SMPTRACE_SERVICE_API_WEB_SESSIONS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace smptrace::api {

struct WebSession {
  // The bearer token the person signed in with ("TOK-000002.<secret>").
  std::string token;
  std::string principal;
  // "MANAGER", ...
  std::string role;
  absl::Time signed_in;
  absl::Time last_used;
  // Set by Create, from the role (WebSessions::IdleFor).
  absl::Duration idle;
};

class WebSessions {
 public:
  // At most this many sessions at once; the oldest is ended for a new one.
  static constexpr size_t kMaxSessions = 10000;

  // REQUIRES: clock outlives this.
  WebSessions(const Clock* clock, absl::Duration idle,
              absl::Duration kiosk_idle, absl::Duration lifetime)
      : clock_(*clock),
        idle_(idle),
        kiosk_idle_(kiosk_idle),
        lifetime_(lifetime) {}

  // How long a session of `role` ("PRACTITIONER", "MANAGER", ...) lasts
  // without a call: kiosk_idle for a practitioner, idle for the others.
  absl::Duration IdleFor(std::string_view role) const;

  // A new session for `session` (its times are set here). Returns its id:
  // 32 random bytes (OpenSSL's CSPRNG) in base64url, for the cookie.
  std::string Create(WebSession session);

  // The session with id `id`, its idle time restarted. Errors:
  // Unauthenticated, naming why (unknown, idle too long, past its
  // lifetime); an expired session is ended. On an error `*reason` (if
  // given) is set to a short, stable reason for counting: "web session
  // unknown" or "web session expired".
  absl::StatusOr<WebSession> Use(std::string_view id,
                                 std::string* reason = nullptr);

  // Ends the session `id`. Returns what it was, if it existed.
  std::optional<WebSession> End(std::string_view id);

  // Sessions open now (expired ones not yet met are counted).
  size_t size() const;

 private:
  // Ends expired sessions. REQUIRES: mu_ held.
  void Prune(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  const absl::Duration idle_;
  const absl::Duration kiosk_idle_;
  const absl::Duration lifetime_;
  mutable absl::Mutex mu_;
  // By the SHA-256 of the id: a lookup's timing says nothing about the ids.
  std::map<std::string, WebSession> sessions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_WEB_SESSIONS_H_
