#include "service/api/caller.h"

#include <utility>

namespace smptrace::api {

bool MaySeeClientContact(const Caller& caller) {
  return !caller.role.has_value() || MaySeeClientContact(*caller.role);
}

absl::StatusOr<Caller> Callers::Of(const grpc::ServerContext& context) const {
  if (authenticator_ == nullptr) return Caller{kInsecureDevActor, std::nullopt};
  // Both are read only: the client metadata is the call's own, and the
  // certificate's name was put into the connection's auth context by the
  // TLS handshake, before any call.
  Credentials c;
  for (const auto& [key, value] : context.client_metadata()) {
    if (key == "authorization") {
      c.authorization = std::string_view(value.data(), value.size());
    }
  }
  std::string cn;
  if (auto auth = context.auth_context(); auth != nullptr) {
    auto names = auth->FindPropertyValues(kCertificateCommonName);
    if (!names.empty()) {
      cn.assign(names.front().data(), names.front().size());
      c.certificate_cn = cn;
    }
  }
  AuthOutcome outcome = authenticator_->Identify(c);
  if (!outcome.status.ok()) return AsCallStatus(outcome);
  return Caller{*std::move(outcome.principal), outcome.role};
}

}  // namespace smptrace::api
