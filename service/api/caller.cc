#include "service/api/caller.h"

namespace smptrace::api {

std::string CallerOf(const grpc::ServerContext& context) {
  auto auth = context.auth_context();
  if (auth != nullptr) {
    auto values = auth->FindPropertyValues(kPrincipalProperty);
    if (!values.empty())
      return std::string(values.front().data(), values.front().size());
  }
  return kInsecureDevActor;
}

}  // namespace smptrace::api
