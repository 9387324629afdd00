// The secrets of recently issued tokens, in memory only, so that a retry of
// CreatePrincipal or IssueToken (same request id, same caller) gets the
// same token as the first answer did: a token is shown once, to the caller
// who asked, and that includes their retry after a lost response. Secrets
// are never written anywhere (the store keeps only their SHA-256); after a
// restart a retry is told which token to revoke instead.
#ifndef SMPTRACE_SERVICE_API_ISSUED_TOKENS_H_
#define SMPTRACE_SERVICE_API_ISSUED_TOKENS_H_

#include <deque>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "service/api/auth.h"

namespace smptrace::api {

// Thread-safe.
class IssuedTokens {
 public:
  // How long a secret is kept for a retry, and how many at most.
  static constexpr absl::Duration kRetryWindow = absl::Minutes(10);
  static constexpr size_t kMaxKept = 256;

  // REQUIRES: clock outlives this.
  explicit IssuedTokens(const Clock* clock) : clock_(*clock) {}

  // The secret for the token-issuing request `request_id`: the one made for
  // its first attempt if that is still kept, otherwise a new one (kept from
  // now on).
  TokenSecret SecretFor(const std::string& request_id);

 private:
  struct Kept {
    TokenSecret secret;
    absl::Time made;
  };
  void ForgetOld(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  absl::Mutex mu_;
  std::map<std::string, Kept> kept_ ABSL_GUARDED_BY(mu_);
  // Request ids, oldest first.
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_ISSUED_TOKENS_H_
