#include "service/api/caller.h"

namespace smptrace::api {
namespace {

std::optional<std::string> Property(const grpc::ServerContext& context,
                                    const char* name) {
  auto auth = context.auth_context();
  if (auth == nullptr) return std::nullopt;
  auto values = auth->FindPropertyValues(name);
  if (values.empty()) return std::nullopt;
  return std::string(values.front().data(), values.front().size());
}

}  // namespace

std::string CallerOf(const grpc::ServerContext& context) {
  return Property(context, kPrincipalProperty).value_or(kInsecureDevActor);
}

std::optional<Role> RoleOf(const grpc::ServerContext& context) {
  auto name = Property(context, kRoleProperty);
  if (!name.has_value()) return std::nullopt;
  for (Role r :
       {Role::kPractitioner, Role::kManager, Role::kAuditor, Role::kAdmin}) {
    if (RoleName(r) == *name) return r;
  }
  return std::nullopt;
}

bool MaySeeClientContact(const grpc::ServerContext& context) {
  // No principal: the server runs without authentication.
  if (!Property(context, kPrincipalProperty).has_value()) return true;
  auto role = RoleOf(context);
  return role.has_value() && MaySeeClientContact(*role);
}

}  // namespace smptrace::api
