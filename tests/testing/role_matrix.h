// What each role may call, as a caller sees it: DESIGN.md §7 and the role
// table (service/api/roles.cc), restated here so that a change to either is
// noticed. One table for every test that calls each RPC as each role: over
// gRPC (tests/e2e/security_e2e_test.cc) and over HTTP
// (tests/service/api/http_gateway_test.cc).
#ifndef SMPTRACE_TESTS_TESTING_ROLE_MATRIX_H_
#define SMPTRACE_TESTS_TESTING_ROLE_MATRIX_H_

#include <map>
#include <string>

namespace smptrace::testing {

// "Service/Method" → the roles that may call it: P = practitioner, M =
// manager, A = auditor, D = admin.
inline const std::map<std::string, std::string>& RolesThatMayCall() {
  static const auto* const table = new std::map<std::string, std::string>{
      {"CatalogService/CreateProduct", "M"},
      {"CatalogService/UpdateProduct", "M"},
      {"CatalogService/GetProduct", "PMAD"},
      {"CatalogService/ListProducts", "PMAD"},
      {"CatalogService/CreateSupplier", "M"},
      {"CatalogService/UpdateSupplier", "M"},
      {"CatalogService/GetSupplier", "MAD"},
      {"CatalogService/ListSuppliers", "MAD"},
      {"CatalogService/CreateLocation", "MD"},
      {"CatalogService/UpdateLocation", "MD"},
      {"CatalogService/GetLocation", "PMAD"},
      {"CatalogService/ListLocations", "PMAD"},
      {"InventoryService/Receive", "M"},
      {"InventoryService/SetLotStatus", "M"},
      {"InventoryService/Discard", "PM"},
      {"InventoryService/AdjustStock", "M"},
      {"InventoryService/Transfer", "PM"},
      {"InventoryService/GetStock", "PMAD"},
      {"InventoryService/ListExpiring", "PMAD"},
      {"InventoryService/GetLot", "PMAD"},
      {"InventoryService/GetUnit", "PMAD"},
      {"InventoryService/PrintLabels", "M"},
      {"InventoryService/SetReorderPolicy", "M"},
      {"InventoryService/ListReorderPolicies", "MA"},
      {"InventoryService/SuggestReorder", "MA"},
      {"InventoryService/CreatePurchaseOrder", "M"},
      {"InventoryService/EditPurchaseOrder", "M"},
      {"InventoryService/SubmitPurchaseOrder", "M"},
      {"InventoryService/CancelPurchaseOrder", "M"},
      {"InventoryService/GetPurchaseOrder", "MA"},
      {"InventoryService/ListPurchaseOrders", "MA"},
      {"InventoryService/GetUsage", "MA"},
      {"SessionService/CreateClient", "PM"},
      {"SessionService/GetClient", "PMA"},
      {"SessionService/ApproveScreeningOverride", "M"},
      {"SessionService/UpdateClientContact", "PM"},
      {"SessionService/ListClients", "PMA"},
      {"SessionService/GetConsent", "PMA"},
      {"SessionService/RecordConsent", "PM"},
      {"SessionService/GetInkDisclosure", "PMA"},
      {"SessionService/RecordInkDisclosure", "PM"},
      {"SessionService/ListSessions", "PMA"},
      {"SessionService/StartSession", "P"},
      {"SessionService/ScanConsumable", "P"},
      {"SessionService/OpenPigmentBottle", "PM"},
      {"SessionService/VoidScan", "P"},
      {"SessionService/CloseSession", "P"},
      {"SessionService/AbortSession", "PM"},
      {"SessionService/GetSession", "PMA"},
      {"SessionService/EraseClient", "M"},
      {"SessionService/PlaceLegalHold", "M"},
      {"SessionService/ReleaseLegalHold", "M"},
      {"SessionService/ListLegalHolds", "MA"},
      {"SessionService/ListRetentionDue", "MA"},
      {"SessionService/RunRetention", "M"},
      {"SessionService/ApproveRetentionErasure", "M"},
      {"DisposalService/OpenContainer", "PM"},
      {"DisposalService/Dispose", "P"},
      {"DisposalService/SealContainer", "PM"},
      {"DisposalService/PickUpContainer", "M"},
      {"DisposalService/GetContainer", "PMA"},
      {"DisposalService/ListContainers", "PMA"},
      {"AuditService/VerifyJournal", "AD"},
      {"AuditService/TraceLot", "MA"},
      {"AuditService/TraceProduct", "MA"},
      {"AuditService/GetSterilityRecord", "PMA"},
      {"AuditService/ClientHistory", "MA"},
      {"AuditService/ExportClientRecord", "M"},
      {"AuditService/ClientAccessReport", "A"},
      {"AuditService/ListExceptions", "MA"},
      {"AuditService/GetCheckpoint", "AD"},
      {"AuditService/CheckCheckpoint", "AD"},
      {"AuditService/GetPublicKey", "PMAD"},
      // Also without sign-in over gRPC (CalledWithoutSignIn below).
      {"AuditService/GetLogCheckpoint", "PMAD"},
      {"AuditService/GetConsistencyProof", "PMAD"},
      {"AuditService/GetInclusionProof", "A"},
      {"AuditService/AddLogCosignature", "AD"},
      {"AuditService/Export", "A"},
      {"AuditService/OpenRecallCase", "M"},
      {"AuditService/RecordNotification", "M"},
      {"AuditService/CloseRecallCase", "M"},
      {"AuditService/GetRecallCase", "MA"},
      {"AuditService/ListRecallCases", "MA"},
      {"AuditService/GetRecallWorksheet", "MA"},
      {"AuditService/GetInspectionRecord", "MA"},
      {"AuditService/ImportRecallNotices", "M"},
      {"AuditService/ListRecallCandidates", "MA"},
      {"AuditService/ConfirmRecallCandidate", "M"},
      {"AuditService/DismissRecallCandidate", "M"},
      {"AdminService/CreatePrincipal", "D"},
      {"AdminService/IssueToken", "D"},
      {"AdminService/RevokeToken", "D"},
      {"AdminService/DisablePrincipal", "D"},
      {"AdminService/ListPrincipals", "D"},
      {"AdminService/GetAuthStats", "D"},
      {"AdminService/RebuildCheck", "AD"},
      {"AdminService/CreateBackup", "D"},
  };
  return *table;
}

// The RPCs anyone may call over gRPC without credentials (roles.cc
// IsUnauthenticated): the transparency log's checkpoint and consistency
// proofs; the same on the HTTP gateway's RPC paths (and its GET
// /checkpoint).
inline bool CalledWithoutSignIn(const std::string& name) {
  return name == "AuditService/GetLogCheckpoint" ||
         name == "AuditService/GetConsistencyProof";
}

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_ROLE_MATRIX_H_
