#include "service/api/web_sessions.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/api/roles.h"
#include "spdlog/spdlog.h"
#include "storage/journal.h"

namespace smptrace::api {
namespace {

std::string RandomId() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    spdlog::critical("RAND_bytes failed: cannot make a web session id");
    std::abort();
  }
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string Minutes(absl::Duration d) {
  return absl::StrCat(absl::ToInt64Minutes(d), " min");
}

}  // namespace

absl::Duration WebSessions::IdleFor(std::string_view role) const {
  return role == RoleName(Role::kPractitioner) ? kiosk_idle_ : idle_;
}

std::string WebSessions::Create(WebSession session) {
  const absl::Time now = clock_.Now();
  session.signed_in = now;
  session.last_used = now;
  session.idle = IdleFor(session.role);
  std::string id = RandomId();
  absl::MutexLock lock(&mu_);
  Prune(now);
  if (sessions_.size() >= kMaxSessions) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second.last_used < oldest->second.last_used) oldest = it;
    }
    sessions_.erase(oldest);
  }
  sessions_[storage::Sha256(id)] = std::move(session);
  return id;
}

absl::StatusOr<WebSession> WebSessions::Use(std::string_view id,
                                            std::string* reason) {
  std::string ignored;
  if (reason == nullptr) reason = &ignored;
  *reason = "web session expired";
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(storage::Sha256(id));
  if (it == sessions_.end()) {
    *reason = "web session unknown";
    return absl::UnauthenticatedError(
        "web session unknown or ended (signed out, or the server restarted): "
        "sign in again");
  }
  WebSession& s = it->second;
  if (now - s.last_used >= s.idle) {
    const absl::Duration idle = s.idle;
    sessions_.erase(it);
    return absl::UnauthenticatedError(
        absl::StrCat("web session expired after ", Minutes(idle),
                     " without activity: sign in again"));
  }
  if (now - s.signed_in >= lifetime_) {
    sessions_.erase(it);
    return absl::UnauthenticatedError(
        absl::StrCat("web session ended ", absl::ToInt64Hours(lifetime_),
                     " h after sign-in: sign in again"));
  }
  s.last_used = now;
  return s;
}

std::optional<WebSession> WebSessions::End(std::string_view id) {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(storage::Sha256(id));
  if (it == sessions_.end()) return std::nullopt;
  WebSession s = std::move(it->second);
  sessions_.erase(it);
  return s;
}

size_t WebSessions::size() const {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

void WebSessions::Prune(absl::Time now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (now - it->second.last_used >= it->second.idle ||
        now - it->second.signed_in >= lifetime_) {
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace smptrace::api
