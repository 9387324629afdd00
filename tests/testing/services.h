// The gRPC services smptraced serves, from the generated descriptors: for
// tests that go through every RPC (the role table, the security matrix).
#ifndef SMPTRACE_TESTS_TESTING_SERVICES_H_
#define SMPTRACE_TESTS_TESTING_SERVICES_H_

#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "smptrace/v1/admin.pb.h"
#include "smptrace/v1/audit.pb.h"
#include "smptrace/v1/catalog.pb.h"
#include "smptrace/v1/inventory.pb.h"
#include "smptrace/v1/session.pb.h"

namespace smptrace::testing {

// Every smptrace service (reached through a message of each file, so the
// file's descriptor is linked in). A missing one is a null entry.
inline std::vector<const google::protobuf::ServiceDescriptor*>
SmptraceServices() {
  const std::pair<const google::protobuf::FileDescriptor*, const char*>
      files[] = {
          {v1::Product::descriptor()->file(), "CatalogService"},
          {v1::ReceiveRequest::descriptor()->file(), "InventoryService"},
          {v1::Session::descriptor()->file(), "SessionService"},
          {v1::Session::descriptor()->file(), "DisposalService"},
          {v1::TraceLotRequest::descriptor()->file(), "AuditService"},
          {v1::RebuildCheckRequest::descriptor()->file(), "AdminService"},
      };
  std::vector<const google::protobuf::ServiceDescriptor*> out;
  for (const auto& [file, name] : files) {
    out.push_back(file->FindServiceByName(name));
  }
  return out;
}

// Every RPC of every smptrace service.
inline std::vector<const google::protobuf::MethodDescriptor*> SmptraceRpcs() {
  std::vector<const google::protobuf::MethodDescriptor*> out;
  for (const auto* s : SmptraceServices()) {
    for (int i = 0; s != nullptr && i < s->method_count(); ++i) {
      out.push_back(s->method(i));
    }
  }
  return out;
}

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_SERVICES_H_
