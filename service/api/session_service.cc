#include "service/api/session_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/api/caller.h"
#include "service/api/command_call.h"
#include "service/api/ink_disclosure_pdf.h"
#include "service/api/retention_job.h"
#include "service/api/session_validation.h"
#include "service/api/status.h"
#include "service/api/validation.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/clients/consent.h"
#include "service/ledger/clients/holds.h"
#include "service/ledger/clients/retention.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/sessions/ink_disclosure.h"
#include "service/ledger/sessions/state.h"
#include "service/query/client_reads.h"
#include "service/query/stock_reads.h"

namespace smptrace::api {
namespace {

using domain::IdKind;

absl::StatusOr<v1::Session> FindSession(const storage::Reader& reader,
                                        const std::string& id) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t n, domain::ParseId(IdKind::kSession, id, "session_id"));
  SMPTRACE_ASSIGN_OR_RETURN(auto session, ledger::ReadSession(reader, n));
  if (!session.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("session_id: session ", id, " does not exist"));
  }
  return *std::move(session);
}

// NotFound ("location_id: location LOC-000009 does not exist") unless `id`
// is empty or names a location.
absl::Status MustBeLocation(const storage::Reader& reader,
                            const std::string& id) {
  if (id.empty()) return absl::OkStatus();
  return ledger::MustReadLocation(reader, id, "location_id").status();
}

}  // namespace

grpc::Status SessionService::CreateClient(
    grpc::ServerContext* context, const v1::CreateClientRequest* request,
    v1::Client* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_create_client() = *request;
        return NormalizeCreateClient(c.mutable_create_client());
      },
      [&](v1::CommandResult& r) { return OpenClient(r, response); });
}

grpc::Status SessionService::GetClient(grpc::ServerContext* context,
                                       const v1::GetClientRequest* request,
                                       v1::Client* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_RETURN_IF_ERROR(
        ValidateIdentifier("client", request->client(), 40));
    SMPTRACE_ASSIGN_OR_RETURN(const Caller caller,
                              commands_.callers().Of(*context));
    if (request->include_contact() && !MaySeeClientContact(caller)) {
      return absl::PermissionDeniedError(
          "include_contact: contact details are for managers and auditors; "
          "practitioners see the client's code");
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        auto client,
        query::ClientOf(
            *reads_.Snapshot(), request->client(),
            request->include_contact() ? &commands_.personal_data() : nullptr));
    if (!client.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "client: no client has the id or code '", request->client(), "'"));
    }
    *response = *std::move(client);
    if (request->include_contact()) {
      SMPTRACE_RETURN_IF_ERROR(commands_.RecordClientRead(
          *context, response->client_id(), "contact details"));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status SessionService::ApproveScreeningOverride(
    grpc::ServerContext* context,
    const v1::ApproveScreeningOverrideRequest* request,
    v1::ScreeningOverrideApproval* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_approve_screening_override() = *request;
        return NormalizeApproveScreeningOverride(
            c.mutable_approve_screening_override());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_screening_override_approval());
      });
}

grpc::Status SessionService::UpdateClientContact(
    grpc::ServerContext* context, const v1::UpdateClientContactRequest* request,
    v1::Client* response) {
  auto caller = commands_.callers().Of(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_update_client_contact() = *request;
        return NormalizeUpdateClientContact(c.mutable_update_client_contact());
      },
      [&](v1::CommandResult& r) -> absl::Status {
        SMPTRACE_RETURN_IF_ERROR(OpenClient(r, response));
        // A practitioner may write new details but not read them back.
        if (!MaySeeClientContact(*caller)) response->clear_contact();
        return absl::OkStatus();
      });
}

grpc::Status SessionService::GetConsent(grpc::ServerContext*,
                                        const v1::GetConsentRequest* request,
                                        v1::ConsentStatus* response) {
  auto status = [&]() -> absl::Status {
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    SMPTRACE_ASSIGN_OR_RETURN(const v1::Client client,
                              FindNamedClient(*snapshot, request->client()));
    SMPTRACE_ASSIGN_OR_RETURN(
        *response,
        ledger::ConsentStatusOf(*snapshot, client,
                                commands_.ledger().options().consent));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status SessionService::RecordConsent(
    grpc::ServerContext* context, const v1::RecordConsentRequest* request,
    v1::ConsentStatus* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_record_consent() = *request;
        return NormalizeRecordConsent(c.mutable_record_consent());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_consent_status());
      });
}

grpc::Status SessionService::GetInkDisclosure(
    grpc::ServerContext*, const v1::GetInkDisclosureRequest* request,
    v1::InkDisclosure* response) {
  auto status = [&]() -> absl::Status {
    v1::GetInkDisclosureRequest r = *request;
    SMPTRACE_RETURN_IF_ERROR(NormalizeGetInkDisclosure(&r));
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    SMPTRACE_ASSIGN_OR_RETURN(const v1::Session session,
                              FindSession(*snapshot, r.session_id()));
    SMPTRACE_ASSIGN_OR_RETURN(
        *response,
        ledger::InkDisclosureOf(*snapshot, session, r.lots(),
                                ledger::Today(clock_.Now(), clinic_.zone)));
    response->set_required(
        commands_.ledger().options().consent.ink_disclosure_required);
    if (r.include_pdf()) {
      SMPTRACE_ASSIGN_OR_RETURN(*response->mutable_pdf(),
                                InkDisclosurePdf(*response, clinic_));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status SessionService::RecordInkDisclosure(
    grpc::ServerContext* context, const v1::RecordInkDisclosureRequest* request,
    v1::InkDisclosureRecord* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_record_ink_disclosure() = *request;
        return NormalizeRecordInkDisclosure(c.mutable_record_ink_disclosure());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_ink_disclosure());
      });
}

grpc::Status SessionService::ListClients(grpc::ServerContext* context,
                                         const v1::ListClientsRequest* request,
                                         v1::ListClientsResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_RETURN_IF_ERROR(ValidateListClients(*request));
    SMPTRACE_ASSIGN_OR_RETURN(const IdPage window,
                              PageById(IdKind::kClient, request->page()));
    SMPTRACE_ASSIGN_OR_RETURN(const Caller caller,
                              commands_.callers().Of(*context));
    if (request->include_contact() && !MaySeeClientContact(caller)) {
      return absl::PermissionDeniedError(
          "include_contact: contact details are for managers and auditors; "
          "practitioners see the client's code");
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        auto page,
        query::ClientsOf(
            *reads_.Snapshot(), request->code_prefix(), window.after,
            window.limit,
            request->include_contact() ? &commands_.personal_data() : nullptr));
    std::vector<std::string> read;
    for (v1::Client& client : page.items) {
      if (request->include_contact()) read.push_back(client.client_id());
      *response->add_clients() = std::move(client);
    }
    response->set_next_page_token(page.next_after);
    // Recorded before it is served, like every contact read.
    return commands_.RecordClientReads(*context, read,
                                       "contact details (client list)");
  }();
  if (!status.ok()) response->Clear();
  return ToGrpcStatus(status);
}

grpc::Status SessionService::ListSessions(
    grpc::ServerContext*, const v1::ListSessionsRequest* request,
    v1::ListSessionsResponse* response) {
  auto status = [&]() -> absl::Status {
    v1::ListSessionsRequest r = *request;
    SMPTRACE_RETURN_IF_ERROR(NormalizeListSessions(&r));
    SMPTRACE_ASSIGN_OR_RETURN(const IdPage window,
                              PageById(IdKind::kSession, r.page()));
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    SMPTRACE_RETURN_IF_ERROR(MustBeLocation(*snapshot, r.location_id()));
    ledger::SessionFilter filter;
    if (r.has_from()) filter.from = ledger::FromProto(r.from());
    if (r.has_to()) filter.to = ledger::FromProto(r.to());
    filter.location_id = r.location_id();
    filter.practitioner = r.practitioner();
    filter.status = r.status();
    auto page =
        ledger::ListSessions(*snapshot, filter, window.after, window.limit);
    if (absl::IsNotFound(page.status())) {
      return absl::InvalidArgumentError(
          "page.page_token: not a token this list returned");
    }
    SMPTRACE_RETURN_IF_ERROR(page.status());
    for (auto& line : page->items) *response->add_sessions() = std::move(line);
    response->set_next_page_token(page->next_after);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status SessionService::StartSession(
    grpc::ServerContext* context, const v1::StartSessionRequest* request,
    v1::Session* response) {
  const absl::CivilDay today = ledger::Today(clock_.Now(), clinic_.zone);
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_start_session() = *request;
        return NormalizeStartSession(c.mutable_start_session(), today);
      },
      [&](v1::CommandResult& r) { return OpenSession(r, response); });
}

grpc::Status SessionService::ScanConsumable(
    grpc::ServerContext* context, const v1::ScanConsumableRequest* request,
    v1::ScanConsumableResponse* response) {
  const ScanContext scan =
      MakeScanContext(clinic_, clock_.Now(), reads_.Latest());
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) -> absl::Status {
        *c.mutable_scan_consumable() = *request;
        SMPTRACE_RETURN_IF_ERROR(
            NormalizeScanConsumable(c.mutable_scan_consumable()));
        SMPTRACE_ASSIGN_OR_RETURN(
            *c.mutable_scan(),
            ResolveForLedger("barcode", request->barcode(), scan));
        return absl::OkStatus();
      },
      [&](v1::CommandResult& r) {
        // The answer carries the use and the session's counts, no screening
        // answers to open.
        *response = std::move(*r.mutable_scan());
        return absl::OkStatus();
      });
}

grpc::Status SessionService::OpenPigmentBottle(
    grpc::ServerContext* context, const v1::OpenPigmentBottleRequest* request,
    v1::Unit* response) {
  const ScanContext scan =
      MakeScanContext(clinic_, clock_.Now(), reads_.Latest());
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) -> absl::Status {
        *c.mutable_open_pigment_bottle() = *request;
        SMPTRACE_RETURN_IF_ERROR(
            NormalizeOpenPigmentBottle(c.mutable_open_pigment_bottle()));
        SMPTRACE_ASSIGN_OR_RETURN(
            *c.mutable_scan(),
            ResolveForLedger("barcode", request->barcode(), scan));
        return absl::OkStatus();
      },
      [&](v1::CommandResult& r) { *response = std::move(*r.mutable_unit()); });
}

grpc::Status SessionService::VoidScan(grpc::ServerContext* context,
                                      const v1::VoidScanRequest* request,
                                      v1::Session* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_void_scan() = *request;
        return NormalizeVoidScan(c.mutable_void_scan());
      },
      [&](v1::CommandResult& r) { return OpenSession(r, response); });
}

grpc::Status SessionService::CloseSession(
    grpc::ServerContext* context, const v1::CloseSessionRequest* request,
    v1::Session* response) {
  // The reply is the session as stored, seal hash included (the ledger
  // reads it back after the closing entry is applied).
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_close_session() = *request;
        return NormalizeCloseSession(c.mutable_close_session());
      },
      [&](v1::CommandResult& r) { return OpenSession(r, response); });
}

grpc::Status SessionService::AbortSession(
    grpc::ServerContext* context, const v1::AbortSessionRequest* request,
    v1::Session* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_abort_session() = *request;
        return NormalizeAbortSession(c.mutable_abort_session());
      },
      [&](v1::CommandResult& r) { return OpenSession(r, response); });
}

grpc::Status SessionService::GetSession(grpc::ServerContext*,
                                        const v1::GetSessionRequest* request,
                                        v1::GetSessionResponse* response) {
  auto status = [&]() -> absl::Status {
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    SMPTRACE_ASSIGN_OR_RETURN(v1::Session session,
                              FindSession(*snapshot, request->session_id()));
    SMPTRACE_RETURN_IF_ERROR(
        commands_.personal_data().OpenScreening(*snapshot, session));
    response->set_verdict(ledger::VerdictOf(session));
    *response->mutable_session() = std::move(session);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

absl::Status SessionService::OpenClient(v1::CommandResult& result,
                                        v1::Client* response) const {
  *response = std::move(*result.mutable_client());
  return commands_.personal_data().OpenContact(reads_.Latest(), *response);
}

absl::Status SessionService::OpenHold(v1::CommandResult& result,
                                      v1::LegalHold* response) const {
  *response = std::move(*result.mutable_legal_hold());
  return commands_.personal_data().OpenHoldReason(reads_.Latest(), *response);
}

absl::Status SessionService::OpenSession(v1::CommandResult& result,
                                         v1::Session* response) const {
  *response = std::move(*result.mutable_session());
  return commands_.personal_data().OpenScreening(reads_.Latest(), *response);
}

grpc::Status SessionService::EraseClient(grpc::ServerContext* context,
                                         const v1::EraseClientRequest* request,
                                         v1::Client* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_erase_client() = *request;
        return NormalizeEraseClient(c.mutable_erase_client());
      },
      [&](v1::CommandResult& r) { return OpenClient(r, response); });
}

grpc::Status SessionService::PlaceLegalHold(
    grpc::ServerContext* context, const v1::PlaceLegalHoldRequest* request,
    v1::LegalHold* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_place_legal_hold() = *request;
        return NormalizePlaceLegalHold(c.mutable_place_legal_hold());
      },
      [&](v1::CommandResult& r) { return OpenHold(r, response); });
}

grpc::Status SessionService::ReleaseLegalHold(
    grpc::ServerContext* context, const v1::ReleaseLegalHoldRequest* request,
    v1::LegalHold* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_release_legal_hold() = *request;
        return NormalizeReleaseLegalHold(c.mutable_release_legal_hold());
      },
      [&](v1::CommandResult& r) { return OpenHold(r, response); });
}

grpc::Status SessionService::ListLegalHolds(
    grpc::ServerContext*, const v1::ListLegalHoldsRequest* request,
    v1::ListLegalHoldsResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_RETURN_IF_ERROR(ValidateListLegalHolds(*request));
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    std::string client_id;
    if (!request->client().empty()) {
      SMPTRACE_ASSIGN_OR_RETURN(
          auto client, ledger::FindClient(*snapshot, request->client()));
      if (!client.has_value()) {
        return absl::NotFoundError(absl::StrCat(
            "client: no client has the id or code '", request->client(), "'"));
      }
      client_id = client->client_id();
    }
    SMPTRACE_ASSIGN_OR_RETURN(
        auto holds,
        ledger::ReadLegalHolds(*snapshot, commands_.personal_data(), client_id,
                               ledger::Today(clock_.Now(), clinic_.zone),
                               request->include_ended()));
    for (auto& hold : holds) *response->add_holds() = std::move(hold);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status SessionService::ListRetentionDue(
    grpc::ServerContext*, const v1::ListRetentionDueRequest*,
    v1::ListRetentionDueResponse* response) {
  auto due = ledger::ReadRetentionDue(
      *reads_.Snapshot(), commands_.personal_data(),
      commands_.ledger().options().retention,
      ledger::Today(clock_.Now(), clinic_.zone), clinic_.zone);
  if (due.ok()) *response = *std::move(due);
  return ToGrpcStatus(due.status());
}

grpc::Status SessionService::RunRetention(grpc::ServerContext* context,
                                          const v1::RunRetentionRequest*,
                                          v1::RunRetentionResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(Caller caller, commands_.callers().Of(*context));
    SMPTRACE_ASSIGN_OR_RETURN(
        *response, api::RunRetention(commands_.ledger(), reads_, clock_,
                                     clinic_.zone, caller.principal));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status SessionService::ApproveRetentionErasure(
    grpc::ServerContext* context,
    const v1::ApproveRetentionErasureRequest* request, v1::Client* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        return NormalizeApproveRetentionErasure(*request,
                                                c.mutable_erase_client());
      },
      [&](v1::CommandResult& r) { return OpenClient(r, response); });
}

grpc::Status DisposalService::OpenContainer(
    grpc::ServerContext* context, const v1::OpenContainerRequest* request,
    v1::Container* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_open_container() = *request;
        return NormalizeOpenContainer(c.mutable_open_container());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_container());
      });
}

grpc::Status DisposalService::Dispose(grpc::ServerContext* context,
                                      const v1::DisposeRequest* request,
                                      v1::DisposeResponse* response) {
  const ScanContext scan =
      MakeScanContext(clinic_, clock_.Now(), reads_.Latest());
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) -> absl::Status {
        *c.mutable_dispose() = *request;
        SMPTRACE_RETURN_IF_ERROR(NormalizeDispose(c.mutable_dispose()));
        SMPTRACE_ASSIGN_OR_RETURN(
            *c.mutable_scan(),
            ResolveForLedger("barcode", request->barcode(), scan));
        return absl::OkStatus();
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_dispose());
      });
}

grpc::Status DisposalService::SealContainer(
    grpc::ServerContext* context, const v1::SealContainerRequest* request,
    v1::Container* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_seal_container() = *request;
        return NormalizeSealContainer(c.mutable_seal_container());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_container());
      });
}

grpc::Status DisposalService::PickUpContainer(
    grpc::ServerContext* context, const v1::PickUpContainerRequest* request,
    v1::Container* response) {
  return Mutate(
      commands_, *context, request->request_id(),
      [&](v1::Command& c) {
        *c.mutable_pick_up_container() = *request;
        return NormalizePickUpContainer(c.mutable_pick_up_container());
      },
      [&](v1::CommandResult& r) {
        *response = std::move(*r.mutable_container());
      });
}

grpc::Status DisposalService::ListContainers(
    grpc::ServerContext*, const v1::ListContainersRequest* request,
    v1::ListContainersResponse* response) {
  auto status = [&]() -> absl::Status {
    v1::ListContainersRequest r = *request;
    SMPTRACE_RETURN_IF_ERROR(NormalizeListContainers(&r));
    SMPTRACE_ASSIGN_OR_RETURN(const IdPage window,
                              PageById(IdKind::kContainer, r.page()));
    std::unique_ptr<storage::Reader> snapshot = reads_.Snapshot();
    SMPTRACE_RETURN_IF_ERROR(MustBeLocation(*snapshot, r.location_id()));
    SMPTRACE_ASSIGN_OR_RETURN(
        auto page,
        ledger::ListContainers(*snapshot, r.location_id(), r.status(),
                               window.after, window.limit));
    for (auto& c : page.items) *response->add_containers() = std::move(c);
    response->set_next_page_token(page.next_after);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status DisposalService::GetContainer(
    grpc::ServerContext*, const v1::GetContainerRequest* request,
    v1::GetContainerResponse* response) {
  auto status = [&]() -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(
        *response,
        query::ContainerDetailsOf(*reads_.Snapshot(), request->container_id()));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace smptrace::api
