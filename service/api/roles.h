// Who may call what (DESIGN.md §7): the one table of which role may call
// which RPC. The authentication interceptor (issue 7) consults it; the test
// checks that every RPC of every smptrace service has an entry.
//
//   practitioner  the treatment chair: sessions, scans, disposal, reads
//   manager       stock, lots, recalls, purchasing, catalogue, clients
//   auditor       reads, traces, exports, checkpoints: read-only
//   admin         operations: principals and tokens, integrity checks
//
// Outside the smptrace services: grpc.health.v1 needs no credentials (load
// balancers and probes call it); server reflection is open to any
// authenticated principal.
#ifndef SMPTRACE_SERVICE_API_ROLES_H_
#define SMPTRACE_SERVICE_API_ROLES_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace smptrace::api {

// DO NOT CHANGE the values: they will be stored with principals.
enum class Role : uint8_t {
  kPractitioner = 1,
  kManager = 2,
  kAuditor = 3,
  kAdmin = 4,
};

// "PRACTITIONER", "MANAGER", "AUDITOR", "ADMIN".
std::string_view RoleName(Role role);

// True if `role` may call `full_method` ("/smptrace.v1.CatalogService/
// GetProduct"). Unknown methods are allowed to no role.
bool MayCall(Role role, std::string_view full_method);

// True for the RPCs anyone may call without credentials (health checks, the
// transparency log's signed checkpoint and consistency proofs).
bool IsUnauthenticated(std::string_view full_method);

// Client contact details (name, phone, email, address): MANAGER and AUDITOR
// only; practitioners see the pseudonymous code.
bool MaySeeClientContact(Role role);

// Every method the table names (for the completeness test).
std::vector<std::string_view> MethodsInTable();

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_ROLES_H_
