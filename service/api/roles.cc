#include "service/api/roles.h"

#include <initializer_list>
#include <map>
#include <string>

namespace smptrace::api {
namespace {

constexpr uint8_t Bit(Role r) {
  return static_cast<uint8_t>(1u << static_cast<uint8_t>(r));
}

constexpr uint8_t kP = Bit(Role::kPractitioner);
constexpr uint8_t kM = Bit(Role::kManager);
constexpr uint8_t kA = Bit(Role::kAuditor);
constexpr uint8_t kD = Bit(Role::kAdmin);
constexpr uint8_t kEveryone = kP | kM | kA | kD;

struct Entry {
  const char* service;
  std::initializer_list<std::pair<const char*, uint8_t>> methods;
};

// THE table. One line per RPC; keep it in the services' order.
const std::map<std::string, uint8_t>& Table() {
  static const auto* table = [] {
    const Entry entries[] = {
        {"CatalogService",
         {{"CreateProduct", kM},
          {"UpdateProduct", kM},
          {"GetProduct", kEveryone},
          {"ListProducts", kEveryone},
          {"CreateSupplier", kM},
          {"UpdateSupplier", kM},
          {"GetSupplier", kM | kA | kD},
          {"ListSuppliers", kM | kA | kD},
          {"CreateLocation", kM | kD},
          {"UpdateLocation", kM | kD},
          {"GetLocation", kEveryone},
          {"ListLocations", kEveryone}}},
        {"InventoryService",
         {{"Receive", kM},
          {"SetLotStatus", kM},
          {"Discard", kP | kM},
          {"AdjustStock", kM},
          {"Transfer", kP | kM},
          {"GetStock", kEveryone},
          {"ListExpiring", kEveryone},
          {"GetLot", kEveryone},
          {"GetUnit", kEveryone},
          {"PrintLabels", kM},
          {"SetReorderPolicy", kM},
          {"ListReorderPolicies", kM | kA},
          {"SuggestReorder", kM | kA},
          {"CreatePurchaseOrder", kM},
          {"EditPurchaseOrder", kM},
          {"SubmitPurchaseOrder", kM},
          {"CancelPurchaseOrder", kM},
          {"GetPurchaseOrder", kM | kA},
          {"ListPurchaseOrders", kM | kA},
          {"GetUsage", kM | kA}}},
        {"SessionService",
         {{"CreateClient", kP | kM},
          // Contact details only to MANAGER and AUDITOR (the service filters).
          {"GetClient", kP | kM | kA},
          // A manager's own approval of a BLOCKED screening: never a
          // practitioner's.
          {"ApproveScreeningOverride", kM},
          // Practitioners may write new details, not read them back.
          {"UpdateClientContact", kP | kM},
          {"ListClients", kP | kM | kA},
          // Consent is recorded at the chair or the desk; read by all.
          {"GetConsent", kP | kM | kA},
          {"RecordConsent", kP | kM},
          {"GetInkDisclosure", kP | kM | kA},
          {"RecordInkDisclosure", kP | kM},
          {"ListSessions", kP | kM | kA},
          {"StartSession", kP},
          {"ScanConsumable", kP},
          {"OpenPigmentBottle", kP | kM},
          {"VoidScan", kP},
          {"CloseSession", kP},
          {"AbortSession", kP | kM},
          {"GetSession", kP | kM | kA},
          // Erasure and legal holds: the manager's; the auditor sees holds.
          {"EraseClient", kM},
          {"PlaceLegalHold", kM},
          {"ReleaseLegalHold", kM},
          {"ListLegalHolds", kM | kA},
          // Retention: the manager runs and approves; the auditor sees it.
          {"ListRetentionDue", kM | kA},
          {"RunRetention", kM},
          {"ApproveRetentionErasure", kM}}},
        {"DisposalService",
         {{"OpenContainer", kP | kM},
          {"Dispose", kP},
          {"SealContainer", kP | kM},
          {"PickUpContainer", kM},
          {"GetContainer", kP | kM | kA},
          {"ListContainers", kP | kM | kA}}},
        {"AuditService",
         {{"VerifyJournal", kA | kD},
          {"TraceLot", kM | kA},
          {"TraceProduct", kM | kA},
          {"GetSterilityRecord", kP | kM | kA},
          {"ClientHistory", kM | kA},
          // A subject access request is the manager's to answer; who read
          // or exported which client is the auditor's to review.
          {"ExportClientRecord", kM},
          {"ClientAccessReport", kA},
          {"ListExceptions", kM | kA},
          {"GetCheckpoint", kA | kD},
          {"CheckCheckpoint", kA | kD},
          {"GetPublicKey", kEveryone},
          // The transparency log: the signed checkpoint and consistency
          // proofs (sizes and hashes only) to anyone, also without sign-in
          // (IsUnauthenticated); an inclusion proof carries the entry.
          {"GetLogCheckpoint", kEveryone},
          {"GetConsistencyProof", kEveryone},
          {"GetInclusionProof", kA},
          // A witness's cosignatures, handed in by the auditor or the admin
          // who runs the witness (checked against the server's own tree).
          {"AddLogCosignature", kA | kD},
          {"Export", kA},
          // Recalls are the manager's to run; the auditor reads them.
          {"OpenRecallCase", kM},
          {"RecordNotification", kM},
          {"CloseRecallCase", kM},
          {"GetRecallCase", kM | kA},
          {"ListRecallCases", kM | kA},
          // Contact details: managers and auditors only.
          {"GetRecallWorksheet", kM | kA},
          {"GetInspectionRecord", kM | kA},
          // Recall intake: the manager imports and decides; the auditor
          // may see the candidates.
          {"ImportRecallNotices", kM},
          {"ListRecallCandidates", kM | kA},
          {"ConfirmRecallCandidate", kM},
          {"DismissRecallCandidate", kM}}},
        {"AdminService",
         {{"CreatePrincipal", kD},
          {"IssueToken", kD},
          {"RevokeToken", kD},
          {"DisablePrincipal", kD},
          {"ListPrincipals", kD},
          {"GetAuthStats", kD},
          {"RebuildCheck", kA | kD},
          {"CreateBackup", kD}}},
    };
    auto* t = new std::map<std::string, uint8_t>;
    for (const Entry& e : entries) {
      for (const auto& [method, roles] : e.methods) {
        (*t)[std::string("/smptrace.v1.") + e.service + "/" + method] = roles;
      }
    }
    return t;
  }();
  return *table;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPractitioner:
      return "PRACTITIONER";
    case Role::kManager:
      return "MANAGER";
    case Role::kAuditor:
      return "AUDITOR";
    case Role::kAdmin:
      return "ADMIN";
  }
  return "?";
}

constexpr std::string_view kHealth = "/grpc.health.v1.Health/";
constexpr std::string_view kReflection =
    "/grpc.reflection.v1alpha.ServerReflection/";

bool MayCall(Role role, std::string_view full_method) {
  if (full_method.substr(0, kReflection.size()) == kReflection) return true;
  const auto it = Table().find(std::string(full_method));
  return it != Table().end() && (it->second & Bit(role)) != 0;
}

bool IsUnauthenticated(std::string_view full_method) {
  return full_method.substr(0, kHealth.size()) == kHealth ||
         full_method == "/smptrace.v1.AuditService/GetLogCheckpoint" ||
         full_method == "/smptrace.v1.AuditService/GetConsistencyProof";
}

bool MaySeeClientContact(Role role) {
  return role == Role::kManager || role == Role::kAuditor;
}

std::vector<std::string_view> MethodsInTable() {
  std::vector<std::string_view> out;
  for (const auto& [method, roles] : Table()) out.push_back(method);
  return out;
}

}  // namespace smptrace::api
