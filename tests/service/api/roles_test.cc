// The role table covers every RPC of every smptrace service, names no RPC
// that does not exist, and says what DESIGN.md §7 and §1 say: the auditor is
// read-only, contact details and recalls are not the practitioner's.
#include "service/api/roles.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "smptrace/v1/admin.grpc.pb.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "smptrace/v1/inventory.grpc.pb.h"
#include "smptrace/v1/session.grpc.pb.h"
#include "tests/testing/services.h"

namespace smptrace::api {
namespace {

std::vector<const google::protobuf::ServiceDescriptor*> Services() {
  std::vector<const google::protobuf::ServiceDescriptor*> out;
  for (const auto* s : testing::SmptraceServices()) {
    EXPECT_NE(s, nullptr);
    if (s != nullptr) out.push_back(s);
  }
  return out;
}

std::set<std::string> AllMethods() {
  std::set<std::string> out;
  for (const google::protobuf::ServiceDescriptor* s : Services()) {
    for (int i = 0; i < s->method_count(); ++i) {
      out.insert("/" + s->full_name() + "/" + s->method(i)->name());
    }
  }
  return out;
}

TEST(Roles, EveryRpcHasAnEntryAndEveryEntryIsAnRpc) {
  const std::set<std::string> methods = AllMethods();
  std::set<std::string> table;
  for (auto m : MethodsInTable()) table.insert(std::string(m));
  for (const auto& m : methods)
    EXPECT_TRUE(table.count(m)) << m << " has no roles";
  for (const auto& m : table)
    EXPECT_TRUE(methods.count(m)) << m << " is no RPC";
  EXPECT_GT(methods.size(), 60u);
}

TEST(Roles, EveryRpcIsCallableBySomeone) {
  for (const auto& m : AllMethods()) {
    bool someone = false;
    for (Role r :
         {Role::kPractitioner, Role::kManager, Role::kAuditor, Role::kAdmin}) {
      someone |= MayCall(r, m);
    }
    EXPECT_TRUE(someone) << m;
  }
}

TEST(Roles, TheAuditorOnlyReads) {
  // Mutations carry a request_id; the auditor may call none of them.
  for (const google::protobuf::ServiceDescriptor* s : Services()) {
    for (int i = 0; i < s->method_count(); ++i) {
      const auto* m = s->method(i);
      if (m->input_type()->FindFieldByName("request_id") == nullptr) continue;
      EXPECT_FALSE(
          MayCall(Role::kAuditor, "/" + s->full_name() + "/" + m->name()))
          << m->full_name();
    }
  }
}

TEST(Roles, SpotChecksFromTheDesign) {
  EXPECT_TRUE(MayCall(Role::kPractitioner,
                      "/smptrace.v1.SessionService/ScanConsumable"));
  EXPECT_FALSE(
      MayCall(Role::kManager, "/smptrace.v1.SessionService/ScanConsumable"));
  EXPECT_FALSE(
      MayCall(Role::kPractitioner, "/smptrace.v1.AuditService/ClientHistory"));
  EXPECT_FALSE(
      MayCall(Role::kPractitioner, "/smptrace.v1.AuditService/OpenRecallCase"));
  EXPECT_TRUE(
      MayCall(Role::kManager, "/smptrace.v1.InventoryService/SetLotStatus"));
  EXPECT_TRUE(MayCall(Role::kAuditor, "/smptrace.v1.AuditService/Export"));
  EXPECT_FALSE(MayCall(Role::kAdmin, "/smptrace.v1.InventoryService/Receive"));
  EXPECT_FALSE(MayCall(Role::kManager, "/smptrace.v1.Nope/Nothing"));
  EXPECT_EQ(RoleName(Role::kAuditor), "AUDITOR");
}

}  // namespace
}  // namespace smptrace::api
