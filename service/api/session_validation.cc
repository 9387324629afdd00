#include "service/api/session_validation.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/api/request_limits.h"
#include "service/api/validation.h"
#include "service/domain/gs1.h"
#include "service/domain/ids.h"
#include "service/domain/screening.h"
#include "service/domain/text.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/sessions/screening_record.h"

namespace smptrace::api {
namespace {

using domain::IdKind;

absl::Status Invalid(std::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), ": ", why));
}

// A required server-assigned id of `kind`, rewritten in its one spelling.
absl::Status NormalizeId(IdKind kind, std::string_view field, std::string* id) {
  if (id->empty()) {
    return Invalid(
        field, absl::StrCat("required (e.g. ", domain::FormatId(kind, 1), ")"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, domain::ParseId(kind, *id, field));
  *id = domain::FormatId(kind, n);
  return absl::OkStatus();
}

// The parser judges the characters: a scan carries GS (0x1D) separators.
absl::Status RequireBarcode(const std::string& barcode) {
  if (barcode.empty()) return Invalid("barcode", "required: scan the label");
  if (barcode.size() > kMaxBarcodeLength) {
    return Invalid("barcode",
                   absl::StrCat("at most ", kMaxBarcodeLength,
                                " characters, got ", barcode.size()));
  }
  return absl::OkStatus();
}

absl::Status ValidateAnswers(const v1::ScreeningAnswers& a,
                             absl::CivilDay today) {
  struct DateField {
    const char* name;
    const v1::Date& date;
  };
  for (const DateField& f :
       {DateField{"answers.last_topical_hair_loss_treatment",
                  a.last_topical_hair_loss_treatment()},
        DateField{"answers.finasteride_stopped", a.finasteride_stopped()},
        DateField{"answers.last_microneedling", a.last_microneedling()},
        DateField{"answers.hair_restoration_surgery",
                  a.hair_restoration_surgery()},
        DateField{"answers.last_isotretinoin", a.last_isotretinoin()}}) {
    SMPTRACE_RETURN_IF_ERROR(ledger::ValidateDate(f.date, f.name));
  }
  const domain::ScreeningAnswers answers = ledger::FromProto(a);
  // Unset means "no", so a request without answers cannot by itself show
  // that the client was asked: the record must say so explicitly.
  const bool any = domain::AnyAnswerGiven(answers);
  if (!any && !a.none_apply()) {
    return absl::InvalidArgumentError(
        "answers: no screening answer given: ask the client every screening "
        "question; if none applies, say so (answers.none_apply; smptrace "
        "session start --none-apply)");
  }
  if (any && a.none_apply()) {
    return absl::InvalidArgumentError(
        "answers.none_apply: set together with answers that apply; give "
        "either the answers or none_apply");
  }
  absl::Status status = domain::ValidateScreeningAnswers(answers, today);
  if (!status.ok()) {
    // The domain names fields "screening.x"; on the wire they are "answers.x".
    std::string message(status.message());
    if (message.rfind("screening.", 0) == 0) message.replace(0, 10, "answers.");
    return absl::InvalidArgumentError(message);
  }
  return absl::OkStatus();
}

// An optional text filter, given: blank is not a value (leave the filter
// out to list everything), and otherwise an identifier.
absl::Status ValidateFilter(const char* field, const std::string& value,
                            size_t max) {
  if (domain::IsBlank(value)) {
    return Invalid(field,
                   "only blank characters given: leave the filter out to "
                   "list them all");
  }
  return ValidateIdentifier(field, value, max);
}

}  // namespace

absl::StatusOr<v1::ResolvedScan> ResolveForLedger(std::string_view field,
                                                  std::string_view barcode,
                                                  const ScanContext& scan) {
  SMPTRACE_ASSIGN_OR_RETURN(domain::ScannedItem item,
                            ResolveScan(field, barcode, "", scan));
  if (item.gtin.empty()) {
    return Invalid(field, item.sscc.empty()
                              ? "carries no GTIN: scan the item's own label"
                              : "an SSCC (AI 00) names a shipment, not an "
                                "item: scan the item's own label");
  }
  v1::ResolvedScan out;
  out.set_gtin(item.gtin);
  out.set_lot(item.lot);
  out.set_serial(item.serial);
  if (item.expiry.has_value())
    *out.mutable_expiry() = ledger::ToProto(*item.expiry);
  AddUnrecordedElements(item, {"01", "10", "17", "21"},
                        out.mutable_other_elements());
  return out;
}

absl::StatusOr<v1::Client> FindNamedClient(const storage::Reader& reader,
                                           const std::string& client) {
  if (client.empty()) {
    return absl::InvalidArgumentError("client: required (an id or code)");
  }
  SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("client", client, 40));
  SMPTRACE_ASSIGN_OR_RETURN(auto found, ledger::FindClient(reader, client));
  if (!found.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("client: no client has the id or code '", client, "'"));
  }
  return *std::move(found);
}

absl::Status NormalizeCreateClient(v1::CreateClientRequest* r) {
  if (!r->code().empty()) {
    SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("code", r->code(), 40));
  }
  return ValidateContact(r->contact());
}

absl::Status NormalizeUpdateClientContact(v1::UpdateClientContactRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("client", r->client(), 40));
  if (r->expected_version() < 0) {
    return Invalid("expected_version",
                   absl::StrCat("must be 0 (any) or positive, got ",
                                r->expected_version()));
  }
  return ValidateContact(r->contact());
}

absl::Status NormalizeEraseClient(v1::EraseClientRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("client", r->client(), 40));
  if (r->retention()) {
    return Invalid("retention",
                   "set by the server only; to erase a client the retention "
                   "list shows awaiting approval, use ApproveRetentionErasure "
                   "(smptrace retention approve CLIENT)");
  }
  SMPTRACE_RETURN_IF_ERROR(ValidateText("reason", r->reason(), 1, 500));
  return ValidateText("legal_basis", r->legal_basis(), 1, 200);
}

absl::Status NormalizePlaceLegalHold(v1::PlaceLegalHoldRequest* r) {
  const int targets = !r->client().empty() +
                      (!r->lot_gtin().empty() || !r->lot().empty()) +
                      !r->recall_case_id().empty();
  if (targets != 1) {
    return Invalid("client",
                   targets == 0
                       ? "required: a hold is on a client, a lot (lot_gtin "
                         "and lot) or a recall case (recall_case_id)"
                       : "give one of client, lot (lot_gtin and lot) or "
                         "recall_case_id, not several: place one hold each");
  }
  if (!r->recall_case_id().empty()) {
    SMPTRACE_RETURN_IF_ERROR(domain::ParseId(domain::IdKind::kRecallCase,
                                             r->recall_case_id(),
                                             "recall_case_id")
                                 .status());
  } else if (r->client().empty()) {
    if (r->lot_gtin().empty()) return Invalid("lot_gtin", "required with lot");
    absl::StatusOr<std::string> gtin = domain::NormalizeGtin(r->lot_gtin());
    if (!gtin.ok()) return Invalid("lot_gtin", gtin.status().message());
    *r->mutable_lot_gtin() = *std::move(gtin);
    if (r->lot().empty()) return Invalid("lot", "required with lot_gtin");
    SMPTRACE_RETURN_IF_ERROR(
        ValidateIdentifier("lot", r->lot(), kMaxLotLength));
  } else {
    SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("client", r->client(), 40));
  }
  SMPTRACE_RETURN_IF_ERROR(ValidateText("reason", r->reason(), 1, 500));
  if (ledger::IsSet(r->until())) {
    SMPTRACE_RETURN_IF_ERROR(ledger::ValidateDate(r->until(), "until"));
  }
  return absl::OkStatus();
}

absl::Status NormalizeReleaseLegalHold(v1::ReleaseLegalHoldRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(
      domain::ParseId(domain::IdKind::kLegalHold, r->hold_id(), "hold_id")
          .status());
  return ValidateText("reason", r->reason(), 1, 500);
}

absl::Status NormalizeApproveRetentionErasure(
    const v1::ApproveRetentionErasureRequest& r, v1::EraseClientRequest* out) {
  SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("client", r.client(), 40));
  out->set_request_id(r.request_id());
  out->set_client(r.client());
  out->set_retention(true);
  out->set_reason("retention period over: erasure approved by a manager");
  return absl::OkStatus();
}

absl::Status ValidateListLegalHolds(const v1::ListLegalHoldsRequest& r) {
  if (r.client().empty()) return absl::OkStatus();
  return ValidateIdentifier("client", r.client(), 40);
}

absl::Status ValidateListClients(const v1::ListClientsRequest& r) {
  if (!r.code_prefix().empty()) {
    SMPTRACE_RETURN_IF_ERROR(
        ValidateFilter("code_prefix", r.code_prefix(), 40));
  }
  return PageSize(r.page()).status();
}

absl::Status NormalizeRecordConsent(v1::RecordConsentRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("client", r->client(), 40));
  if (r->given().empty()) {
    return Invalid("given",
                   "required: the consent the client gave (the procedure, "
                   "data processing, or both), each with its text version");
  }
  bool seen[3] = {false, false, false};
  for (int i = 0; i < r->given_size(); ++i) {
    v1::ConsentGiven* g = r->mutable_given(i);
    const std::string field = absl::StrCat("given[", i, "]");
    if (g->subject() != v1::CONSENT_SUBJECT_PROCEDURE &&
        g->subject() != v1::CONSENT_SUBJECT_DATA_PROCESSING) {
      return Invalid(field + ".subject", "PROCEDURE or DATA_PROCESSING");
    }
    if (seen[g->subject()]) {
      return Invalid(field + ".subject", "given twice: give each subject once");
    }
    seen[g->subject()] = true;
    SMPTRACE_RETURN_IF_ERROR(
        ValidateIdentifier(field + ".version", g->version(), 40));
    if (!g->text_sha256().empty()) {
      std::string digest = absl::AsciiStrToLower(g->text_sha256());
      if (digest.size() != 64 ||
          digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return Invalid(field + ".text_sha256",
                       "64 hexadecimal digits (the SHA-256 of the text shown), "
                       "or empty");
      }
      g->set_text_sha256(std::move(digest));
    }
  }
  return absl::OkStatus();
}

namespace {

// The session id and the pigment lots of a disclosure: each GTIN to 14
// digits, each lot as printed.
absl::Status NormalizeDisclosureLots(
    std::string* session_id,
    google::protobuf::RepeatedPtrField<v1::PigmentLot>* lots) {
  SMPTRACE_ASSIGN_OR_RETURN(
      const uint64_t session,
      domain::ParseId(IdKind::kSession, *session_id, "session_id"));
  *session_id = domain::FormatId(IdKind::kSession, session);
  for (int i = 0; i < lots->size(); ++i) {
    v1::PigmentLot* lot = lots->Mutable(i);
    const std::string field = absl::StrCat("lots[", i, "]");
    if (lot->gtin().empty()) return Invalid(field + ".gtin", "required");
    auto gtin = domain::NormalizeGtin(lot->gtin());
    if (!gtin.ok()) return Invalid(field + ".gtin", gtin.status().message());
    lot->set_gtin(*std::move(gtin));
    if (lot->lot().empty()) {
      return Invalid(field + ".lot", "required: the lot number as printed");
    }
    SMPTRACE_RETURN_IF_ERROR(
        ValidateIdentifier(field + ".lot", lot->lot(), kMaxLotLength));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status NormalizeGetInkDisclosure(v1::GetInkDisclosureRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  return NormalizeDisclosureLots(r->mutable_session_id(), r->mutable_lots());
}

absl::Status NormalizeRecordInkDisclosure(v1::RecordInkDisclosureRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(CheckRepeatedLimits(*r));
  SMPTRACE_RETURN_IF_ERROR(
      NormalizeDisclosureLots(r->mutable_session_id(), r->mutable_lots()));
  if (r->lots().empty()) {
    return Invalid("lots",
                   "required: the pigment lots the client was shown, as "
                   "GetInkDisclosure listed them");
  }
  std::string digest = absl::AsciiStrToLower(r->sha256());
  if (digest.size() != 64 ||
      digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Invalid("sha256",
                   "64 hexadecimal digits: the sha256 GetInkDisclosure gave "
                   "for the text shown");
  }
  r->set_sha256(std::move(digest));
  if (r->medium() != v1::INK_DISCLOSURE_MEDIUM_SHOWN &&
      r->medium() != v1::INK_DISCLOSURE_MEDIUM_PRINTED) {
    return Invalid("medium",
                   "SHOWN (on the kiosk) or PRINTED (the PDF handed over)");
  }
  return absl::OkStatus();
}

absl::Status NormalizeListSessions(v1::ListSessionsRequest* r) {
  if (r->has_from() && r->has_to() &&
      ledger::FromProto(r->to()) <= ledger::FromProto(r->from())) {
    return Invalid("to", "is not after from: no session can start in between");
  }
  if (!r->location_id().empty()) {
    SMPTRACE_RETURN_IF_ERROR(NormalizeId(IdKind::kLocation, "location_id",
                                         r->mutable_location_id()));
  }
  if (!r->practitioner().empty()) {
    SMPTRACE_RETURN_IF_ERROR(
        ValidateFilter("practitioner", r->practitioner(), 100));
  }
  if (!v1::SessionStatus_IsValid(r->status())) {
    return Invalid("status", "OPEN, CLOSED, ABORTED or unset (any)");
  }
  return PageSize(r->page()).status();
}

absl::Status NormalizeListContainers(v1::ListContainersRequest* r) {
  if (!r->location_id().empty()) {
    SMPTRACE_RETURN_IF_ERROR(NormalizeId(IdKind::kLocation, "location_id",
                                         r->mutable_location_id()));
  }
  if (!v1::ContainerStatus_IsValid(r->status())) {
    return Invalid("status", "OPEN, SEALED, PICKED_UP or unset (any)");
  }
  return PageSize(r->page()).status();
}

absl::Status ValidateContact(const v1::ClientContact& c) {
  SMPTRACE_RETURN_IF_ERROR(ValidateText("contact.name", c.name(), 1, 200));
  SMPTRACE_RETURN_IF_ERROR(ValidateText("contact.phone", c.phone(), 0, 40));
  SMPTRACE_RETURN_IF_ERROR(ValidateText("contact.email", c.email(), 0, 200));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText("contact.postal_address", c.postal_address(), 0, 500));
  if (domain::IsBlank(c.phone()) && domain::IsBlank(c.email()) &&
      domain::IsBlank(c.postal_address())) {
    return Invalid("contact",
                   "give a phone, an email or a postal address: a recall "
                   "notice must be able to reach the client");
  }
  return absl::OkStatus();
}

absl::Status NormalizeApproveScreeningOverride(
    v1::ApproveScreeningOverrideRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("client", r->client(), 40));
  SMPTRACE_RETURN_IF_ERROR(ValidateText("reason", r->reason(), 1, 500));
  // Optional here: with authentication the manager is the caller (the
  // ledger decides).
  if (!r->manager().empty()) {
    SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("manager", r->manager(), 100));
  }
  return absl::OkStatus();
}

absl::Status NormalizeStartSession(v1::StartSessionRequest* r,
                                   absl::CivilDay today) {
  SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("client", r->client(), 40));
  // Optional here: with authentication the practitioner is the caller (the
  // ledger decides). Given, it is a name the record is kept under.
  if (!r->practitioner().empty()) {
    SMPTRACE_RETURN_IF_ERROR(
        ValidateIdentifier("practitioner", r->practitioner(), 100));
  }
  SMPTRACE_RETURN_IF_ERROR(
      NormalizeId(IdKind::kLocation, "location_id", r->mutable_location_id()));
  if (r->plan_step() == v1::PLAN_STEP_UNSPECIFIED ||
      !v1::PlanStep_IsValid(r->plan_step())) {
    return Invalid("plan_step", "required: FIRST, SECOND, THIRD or TOUCH_UP");
  }
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText("treatment_area", r->treatment_area(), 1, 100));
  SMPTRACE_RETURN_IF_ERROR(ValidateAnswers(r->answers(), today));
  if (r->has_override()) {
    return Invalid("override",
                   "a practitioner cannot override a BLOCKED screening by "
                   "naming a manager: a manager approves it signed in as "
                   "themselves (ApproveScreeningOverride), and the session "
                   "gives that approval's id in override_approval_id");
  }
  if (!r->override_approval_id().empty()) {
    SMPTRACE_RETURN_IF_ERROR(NormalizeId(IdKind::kOverrideApproval,
                                         "override_approval_id",
                                         r->mutable_override_approval_id()));
  }
  return absl::OkStatus();
}

absl::Status NormalizeScanConsumable(v1::ScanConsumableRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(
      NormalizeId(IdKind::kSession, "session_id", r->mutable_session_id()));
  return RequireBarcode(r->barcode());
}

absl::Status NormalizeOpenPigmentBottle(v1::OpenPigmentBottleRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(
      NormalizeId(IdKind::kLocation, "location_id", r->mutable_location_id()));
  return RequireBarcode(r->barcode());
}

absl::Status NormalizeVoidScan(v1::VoidScanRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(
      NormalizeId(IdKind::kSession, "session_id", r->mutable_session_id()));
  if (r->scan_seq() == 0) {
    return Invalid("scan_seq", "required: the seq of the scan to void");
  }
  SMPTRACE_RETURN_IF_ERROR(ValidateText("reason", r->reason(), 1, 500));
  if (r->package() != v1::VOIDED_PACKAGE_NOT_OPENED &&
      r->package() != v1::VOIDED_PACKAGE_OPENED) {
    return Invalid("package",
                   "required: NOT_OPENED (the package is still sealed: the "
                   "unit goes back to stock) or OPENED (it was opened: "
                   "dispose of it like any opened unit)");
  }
  return absl::OkStatus();
}

absl::Status NormalizeCloseSession(v1::CloseSessionRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(
      NormalizeId(IdKind::kSession, "session_id", r->mutable_session_id()));
  return ValidateText("undisposed_reason", r->undisposed_reason(), 0, 500);
}

absl::Status NormalizeAbortSession(v1::AbortSessionRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(
      NormalizeId(IdKind::kSession, "session_id", r->mutable_session_id()));
  return ValidateText("reason", r->reason(), 1, 500);
}

absl::Status NormalizeOpenContainer(v1::OpenContainerRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(
      NormalizeId(IdKind::kLocation, "location_id", r->mutable_location_id()));
  return ValidateText("label", r->label(), 0, 100);
}

absl::Status NormalizeDispose(v1::DisposeRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(NormalizeId(IdKind::kContainer, "container_id",
                                       r->mutable_container_id()));
  if (!r->session_id().empty()) {
    SMPTRACE_RETURN_IF_ERROR(
        NormalizeId(IdKind::kSession, "session_id", r->mutable_session_id()));
  }
  return RequireBarcode(r->barcode());
}

absl::Status NormalizeSealContainer(v1::SealContainerRequest* r) {
  return NormalizeId(IdKind::kContainer, "container_id",
                     r->mutable_container_id());
}

absl::Status NormalizePickUpContainer(v1::PickUpContainerRequest* r) {
  SMPTRACE_RETURN_IF_ERROR(NormalizeId(IdKind::kContainer, "container_id",
                                       r->mutable_container_id()));
  SMPTRACE_RETURN_IF_ERROR(
      ValidateIdentifier("manifest_number", r->manifest_number(), 100));
  return ValidateText("hauler", r->hauler(), 0, 100);
}

}  // namespace smptrace::api
