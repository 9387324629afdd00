#include "service/api/validation.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/api/request_limits.h"
#include "service/domain/gs1.h"
#include "service/domain/ids.h"
#include "service/domain/text.h"

namespace smptrace::api {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
constexpr size_t kMaxName = 200;

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

absl::Status ValidateOptionalText(absl::string_view field,
                                  absl::string_view value, size_t max) {
  return ValidateText(field, value, 0, max);
}

}  // namespace

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.empty()) {
    return Invalid("request_id",
                   "required (a client-generated unique id, reused on retry)");
  }
  return ValidateIdentifier("request_id", request_id, 128);
}

absl::Status ValidateText(absl::string_view field, absl::string_view value,
                          size_t min, size_t max) {
  // Length first: nothing longer than `max` is looked at, or quoted.
  if (value.size() > max) {
    return Invalid(field, absl::StrCat("at most ", max, " characters, got ",
                                       value.size()));
  }
  const std::string_view text(value.data(), value.size());
  if (min > 0 && domain::IsBlank(text)) {
    return Invalid(field, value.empty()
                              ? "required"
                              : "required (only blank characters given)");
  }
  if (value.size() < min) {
    return Invalid(field, absl::StrCat("at least ", min, " characters"));
  }
  if (auto bad = domain::FindControlCharacter(text); bad.has_value()) {
    return Invalid(field, domain::Describe(*bad));
  }
  return absl::OkStatus();
}

absl::Status ValidateIdentifier(absl::string_view field,
                                absl::string_view value, size_t max) {
  SMPTRACE_RETURN_IF_ERROR(ValidateText(field, value, 1, max));
  const std::string_view text(value.data(), value.size());
  if (auto bad = domain::FindIdentifierViolation(text); bad.has_value()) {
    return Invalid(field, domain::Describe(*bad));
  }
  return absl::OkStatus();
}

absl::StatusOr<IdPage> PageById(domain::IdKind kind,
                                const v1::PageRequest& page) {
  IdPage out;
  SMPTRACE_ASSIGN_OR_RETURN(out.limit, PageSize(page));
  if (page.page_token().empty()) return out;
  auto after = domain::ParseId(kind, page.page_token(), "page.page_token");
  if (!after.ok()) {
    return Invalid("page.page_token", "not a token this list returned");
  }
  out.after = *after;
  return out;
}

absl::StatusOr<int> PageSize(const v1::PageRequest& page) {
  if (page.page_size() < 0 || page.page_size() > kMaxPageSize) {
    return Invalid("page.page_size", absl::StrCat("must be 0..", kMaxPageSize,
                                                  ", got ", page.page_size()));
  }
  return page.page_size() == 0 ? kDefaultPageSize : page.page_size();
}

absl::Status ValidateInkLabel(const v1::InkLabel& label) {
  SMPTRACE_RETURN_IF_ERROR(ValidateText("product.ink_label.mixture_statement",
                                        label.mixture_statement(), 1,
                                        kMaxName));
  if (label.ingredients_size() < 1 ||
      label.ingredients_size() > kMaxInkIngredients) {
    return Invalid(
        "product.ink_label.ingredients",
        absl::StrCat("the label lists 1..", kMaxInkIngredients,
                     " ingredients (INCI names, in the label's order), got ",
                     label.ingredients_size()));
  }
  for (int i = 0; i < label.ingredients_size(); ++i) {
    SMPTRACE_RETURN_IF_ERROR(ValidateText(
        absl::StrCat("product.ink_label.ingredients[", i, "].name"),
        label.ingredients(i).name(), 1, kMaxName));
  }
  return ValidateOptionalText("product.ink_label.safety_instructions",
                              label.safety_instructions(), 2000);
}

absl::Status NormalizeProduct(v1::Product* p) {
  auto gtin = domain::NormalizeGtin(p->gtin());
  if (!gtin.ok()) return Invalid("product.gtin", gtin.status().message());
  p->set_gtin(*gtin);
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText("product.name", p->name(), 1, kMaxName));
  if (p->kind() == v1::PRODUCT_KIND_UNSPECIFIED ||
      !v1::ProductKind_IsValid(p->kind())) {
    return Invalid("product.kind",
                   "required: NEEDLE_CARTRIDGE, PIGMENT or CONSUMABLE");
  }
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText("product.manufacturer", p->manufacturer(), 1, kMaxName));
  if (p->units_per_pack() < 1 || p->units_per_pack() > 100000) {
    return Invalid(
        "product.units_per_pack",
        absl::StrCat("must be 1..100000, got ", p->units_per_pack()));
  }
  const bool pigment = p->kind() == v1::PRODUCT_KIND_PIGMENT;
  const bool cartridge = p->kind() == v1::PRODUCT_KIND_NEEDLE_CARTRIDGE;
  if (pigment && (p->pao_days() < 1 || p->pao_days() > 3650)) {
    return Invalid("product.pao_days",
                   absl::StrCat("pigments need a period after opening of "
                                "1..3650 days, got ",
                                p->pao_days()));
  }
  if (!pigment && p->pao_days() != 0) {
    return Invalid("product.pao_days",
                   "only pigments have a period after opening");
  }
  if (!pigment && !p->shade().empty()) {
    return Invalid("product.shade", "only pigments have a shade");
  }
  SMPTRACE_RETURN_IF_ERROR(
      ValidateOptionalText("product.shade", p->shade(), 100));
  if (cartridge) {
    SMPTRACE_RETURN_IF_ERROR(ValidateText("product.cartridge_configuration",
                                          p->cartridge_configuration(), 1,
                                          100));
    if (!p->single_use()) {
      return Invalid("product.single_use",
                     "needle cartridges are always single-use");
    }
  } else if (!p->cartridge_configuration().empty()) {
    return Invalid("product.cartridge_configuration",
                   "only needle cartridges have a configuration");
  }
  SMPTRACE_RETURN_IF_ERROR(
      ValidateOptionalText("product.hibc_id", p->hibc_id(), 25));
  if (p->has_ink_label()) {
    if (!pigment) {
      return Invalid("product.ink_label",
                     "only pigments carry an ink label (REACH Annex XVII "
                     "entry 75)");
    }
    SMPTRACE_RETURN_IF_ERROR(ValidateInkLabel(p->ink_label()));
  }
  if (!v1::SterilizationMethod_IsValid(p->sterilization_method())) {
    return Invalid("product.sterilization_method",
                   absl::StrCat("unknown method ", p->sterilization_method()));
  }
  return absl::OkStatus();
}

absl::Status NormalizeSupplier(v1::Supplier* s) {
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText("supplier.name", s->name(), 1, kMaxName));
  return ValidateOptionalText("supplier.contact", s->contact(), 500);
}

absl::Status NormalizeLocation(v1::Location* l) {
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText("location.name", l->name(), 1, kMaxName));
  if (l->kind() == v1::LOCATION_KIND_UNSPECIFIED ||
      !v1::LocationKind_IsValid(l->kind())) {
    return Invalid("location.kind", "required: CLINIC, ROOM or STORE");
  }
  if (l->kind() == v1::LOCATION_KIND_CLINIC) {
    if (!l->parent_id().empty()) {
      return Invalid("location.parent_id", "a clinic has no parent location");
    }
    return absl::OkStatus();
  }
  if (l->parent_id().empty()) {
    return Invalid("location.parent_id",
                   "required: the clinic this room or store belongs to");
  }
  return domain::ParseId(domain::IdKind::kLocation, l->parent_id(),
                         "location.parent_id")
      .status();
}

absl::Status ValidatePrincipalName(absl::string_view field,
                                   absl::string_view name) {
  if (name.empty()) return Invalid(field, "required");
  if (name.size() > 64) {
    return Invalid(field,
                   absl::StrCat("at most 64 characters, got ", name.size()));
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    (i > 0 && (c == '.' || c == '_' || c == '-'));
    if (!ok) {
      return Invalid(field, absl::StrCat(domain::Quote(std::string_view(
                                             name.data(), name.size())),
                                         ": lower-case letters, digits and "
                                         ". _ - (not first) only"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCreatePrincipal(const v1::CreatePrincipalRequest& r) {
  SMPTRACE_RETURN_IF_ERROR(ValidateRequestId(r.request_id()));
  SMPTRACE_RETURN_IF_ERROR(ValidatePrincipalName("name", r.name()));
  if (r.role() == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(r.role())) {
    return Invalid("role", "PRACTITIONER, MANAGER, AUDITOR or ADMIN");
  }
  SMPTRACE_RETURN_IF_ERROR(
      ValidateText("display_name", r.display_name(), 0, 200));
  if (!r.certificate_cn().empty()) {
    SMPTRACE_RETURN_IF_ERROR(
        ValidateIdentifier("certificate_cn", r.certificate_cn(), 200));
  }
  if (r.no_token() && r.certificate_cn().empty()) {
    return Invalid("no_token",
                   "a principal without a token needs a certificate_cn, or it "
                   "could never authenticate");
  }
  return ValidateText("token_note", r.token_note(), 0, 200);
}

absl::Status ValidateIssueToken(const v1::IssueTokenRequest& r) {
  SMPTRACE_RETURN_IF_ERROR(ValidateRequestId(r.request_id()));
  SMPTRACE_RETURN_IF_ERROR(ValidatePrincipalName("principal", r.principal()));
  return ValidateText("note", r.note(), 0, 200);
}

absl::Status ValidateRevokeToken(const v1::RevokeTokenRequest& r) {
  SMPTRACE_RETURN_IF_ERROR(ValidateRequestId(r.request_id()));
  SMPTRACE_RETURN_IF_ERROR(ValidateIdentifier("token_id", r.token_id(), 40));
  return ValidateText("reason", r.reason(), 1, 500);
}

absl::Status ValidateDisablePrincipal(const v1::DisablePrincipalRequest& r) {
  SMPTRACE_RETURN_IF_ERROR(ValidateRequestId(r.request_id()));
  SMPTRACE_RETURN_IF_ERROR(ValidatePrincipalName("name", r.name()));
  return ValidateText("reason", r.reason(), 1, 500);
}

}  // namespace smptrace::api
