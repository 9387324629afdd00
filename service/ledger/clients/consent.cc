#include "service/ledger/clients/consent.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "storage/journal.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using keys::StateTag;
using storage::Cf;

// The subjects, in the order they are shown and reported.
constexpr v1::ConsentSubject kSubjects[] = {
    v1::CONSENT_SUBJECT_PROCEDURE, v1::CONSENT_SUBJECT_DATA_PROCESSING};

// How a practitioner names a subject, and the CLI flag that records it.
struct SubjectWords {
  const char* name;
  const char* flag;
};

SubjectWords WordsOf(v1::ConsentSubject subject) {
  switch (subject) {
    case v1::CONSENT_SUBJECT_PROCEDURE:
      return {"the procedure", "--procedure"};
    case v1::CONSENT_SUBJECT_DATA_PROCESSING:
      return {"data processing", "--data-processing"};
    case v1::CONSENT_SUBJECT_UNSPECIFIED:
    case v1::ConsentSubject_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::ConsentSubject_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return {"an unknown subject", "?"};
}

std::string ConsentKey(uint64_t client) {
  return keys::NumberedKey(StateTag::kClientConsent, client);
}

absl::StatusOr<uint64_t> ClientNumber(const std::string& client_id) {
  return domain::ParseId(IdKind::kClient, client_id, "client");
}

std::optional<v1::ConsentText> TextOf(const domain::ConsentPolicy& policy,
                                      v1::ConsentSubject subject) {
  for (v1::ConsentText& text : ConsentTextsOf(policy)) {
    if (text.subject() == subject) return std::move(text);
  }
  return std::nullopt;
}

}  // namespace

std::vector<v1::ConsentText> ConsentTextsOf(const domain::ConsentPolicy& p) {
  std::vector<v1::ConsentText> out;
  for (v1::ConsentSubject subject : kSubjects) {
    const domain::ConsentTextVersion& source =
        subject == v1::CONSENT_SUBJECT_PROCEDURE ? p.procedure
                                                 : p.data_processing;
    v1::ConsentText& text = out.emplace_back();
    text.set_subject(subject);
    text.set_version(source.version);
    text.set_sha256(storage::ToHex(storage::Sha256(source.text)));
    text.set_text(source.text);
  }
  return out;
}

absl::StatusOr<std::vector<v1::ClientConsent>> ReadClientConsents(
    const storage::Reader& reader, uint64_t client) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto stored, ReadRecord<v1::ConsentRecorded>(
                       reader, Cf::kState, ConsentKey(client), "consents"));
  std::vector<v1::ClientConsent> out;
  if (stored.has_value()) {
    out.assign(stored->consents().begin(), stored->consents().end());
  }
  return out;
}

absl::StatusOr<v1::ConsentStatus> ConsentStatusOf(
    const storage::Reader& reader, const v1::Client& client,
    const domain::ConsentPolicy& policy) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n, ClientNumber(client.client_id()));
  SMPTRACE_ASSIGN_OR_RETURN(auto consents, ReadClientConsents(reader, n));
  v1::ConsentStatus status;
  status.set_client_id(client.client_id());
  status.set_client_code(client.code());
  status.set_required(policy.required);
  for (v1::ConsentText& text : ConsentTextsOf(policy)) {
    const v1::ClientConsent* latest = nullptr;
    for (const v1::ClientConsent& c : consents) {
      if (c.subject() == text.subject()) latest = &c;
    }
    if (latest != nullptr) *status.add_consents() = *latest;
    if (latest == nullptr || latest->version() != text.version() ||
        latest->text_sha256() != text.sha256()) {
      status.add_missing(text.subject());
    }
    *status.add_texts() = std::move(text);
  }
  return status;
}

absl::Status CheckConsentForSession(const storage::Reader& reader,
                                    const v1::Client& client,
                                    const domain::ConsentPolicy& policy) {
  if (!policy.required) return absl::OkStatus();
  SMPTRACE_ASSIGN_OR_RETURN(v1::ConsentStatus status,
                            ConsentStatusOf(reader, client, policy));
  if (status.missing().empty()) return absl::OkStatus();
  std::vector<std::string> what;
  std::vector<std::string> flags;
  for (int subject : status.missing()) {
    const auto s = static_cast<v1::ConsentSubject>(subject);
    const std::optional<v1::ConsentText> text = TextOf(policy, s);
    const std::string version = text.has_value() ? text->version() : "";
    what.push_back(
        absl::StrCat(WordsOf(s).name, " (text version ", version, ")"));
    flags.push_back(absl::StrCat(WordsOf(s).flag, " ", version));
  }
  return Refusal(
      "consent_missing",
      absl::StrCat("client ", client.code(), " has not consented to ",
                   absl::StrJoin(what, " and to "),
                   ": show the client the text (the kiosk's consent step) and "
                   "record their agreement, e.g. smptrace client consent ",
                   client.code(), " ", absl::StrJoin(flags, " "),
                   "; then start the session again"));
}

absl::StatusOr<Decision> DecideRecordConsent(
    const DecisionContext& ctx, const v1::RecordConsentRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(auto client, FindClient(ctx.state, r.client()));
  if (!client.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "client: no client has the id or code '", r.client(), "'"));
  }
  const domain::ConsentPolicy default_policy;
  const domain::ConsentPolicy& policy =
      ctx.consent != nullptr ? *ctx.consent : default_policy;
  Decision d;
  v1::ConsentRecorded* e = d.event.mutable_consent_recorded();
  for (int i = 0; i < r.given_size(); ++i) {
    const v1::ConsentGiven& given = r.given(i);
    const std::optional<v1::ConsentText> current =
        TextOf(policy, given.subject());
    // The API checked the subject; a current text exists for each.
    if (!current.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("given[", i, "].subject: not a consent subject"));
    }
    if (given.version() != current->version() ||
        (!given.text_sha256().empty() &&
         given.text_sha256() != current->sha256())) {
      return Refusal(
          "consent_text_outdated",
          absl::StrCat("given[", i, "]: the clinic's current text for ",
                       WordsOf(given.subject()).name, " is version ",
                       current->version(), " (SHA-256 ", current->sha256(),
                       "), not the one given (version ", given.version(),
                       given.text_sha256().empty() ? "" : ", SHA-256 ",
                       given.text_sha256(),
                       "): show the client the current text and record "
                       "their agreement to it"));
    }
    v1::ClientConsent* c = e->add_consents();
    c->set_client_id(client->client_id());
    c->set_subject(given.subject());
    c->set_version(current->version());
    c->set_text_sha256(current->sha256());
    *c->mutable_recorded_at() = ToProto(ctx.now);
    c->set_recorded_by(std::string(ctx.actor));
    c->set_seq(ctx.seq);
  }
  d.read_back = [client = *client, policy](const storage::Reader& written,
                                           v1::CommandResult& result) {
    SMPTRACE_ASSIGN_OR_RETURN(*result.mutable_consent_status(),
                              ConsentStatusOf(written, client, policy));
    return absl::OkStatus();
  };
  return d;
}

absl::Status ApplyConsentRecorded(const v1::ConsentRecorded& e, uint64_t seq,
                                  storage::WriteTxn& txn) {
  if (e.consents().empty()) return absl::OkStatus();
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                            ClientNumber(e.consents(0).client_id()));
  SMPTRACE_ASSIGN_OR_RETURN(auto consents, ReadClientConsents(txn, n));
  v1::ConsentRecorded all;
  for (v1::ClientConsent& c : consents) *all.add_consents() = std::move(c);
  for (const v1::ClientConsent& c : e.consents()) {
    v1::ClientConsent* added = all.add_consents();
    *added = c;
    added->set_seq(seq);
  }
  txn.Put(Cf::kState, ConsentKey(n), Serialize(all));
  return absl::OkStatus();
}

}  // namespace smptrace::ledger
