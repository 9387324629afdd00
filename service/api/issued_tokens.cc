#include "service/api/issued_tokens.h"

namespace smptrace::api {

TokenSecret IssuedTokens::SecretFor(const std::string& request_id) {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  ForgetOld(now);
  auto it = kept_.find(request_id);
  if (it != kept_.end()) return it->second.secret;
  if (kept_.size() >= kMaxKept) {
    kept_.erase(order_.front());
    order_.pop_front();
  }
  order_.push_back(request_id);
  return kept_.emplace(request_id, Kept{NewTokenSecret(), now})
      .first->second.secret;
}

void IssuedTokens::ForgetOld(absl::Time now) {
  while (!order_.empty() &&
         now - kept_.at(order_.front()).made >= kRetryWindow) {
    kept_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace smptrace::api
