#include "service/ledger/sessions/ink_disclosure.h"

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/refusal.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/state.h"
#include "storage/journal.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;

// The statements REACH Annex XVII entry 75 points 7(e) and 7(f) put on the
// label when the ink holds nickel or chromium (VI) below the limits.
constexpr char kNickelStatement[] =
    "Contains nickel. Can cause allergic reactions.";
constexpr char kChromiumStatement[] =
    "Contains chromium (VI). Can cause allergic reactions.";

std::string LotName(const v1::PigmentLot& lot) {
  return absl::StrCat("lot ", lot.lot(), " of ", lot.gtin());
}

absl::StatusOr<v1::DisclosedInk> InkOf(const storage::Reader& reader,
                                       const v1::PigmentLot& ref,
                                       const std::string& field) {
  SMPTRACE_ASSIGN_OR_RETURN(auto product, ReadProduct(reader, ref.gtin()));
  if (!product.has_value()) {
    return absl::NotFoundError(
        absl::StrCat(field, ": GTIN ", ref.gtin(), " is not in the catalogue"));
  }
  if (product->kind() != v1::PRODUCT_KIND_PIGMENT) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", ref.gtin(), " (", product->name(),
                     ") is not a pigment: only pigments are disclosed"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(auto lot, ReadLot(reader, ref.gtin(), ref.lot()));
  if (!lot.has_value()) {
    return absl::NotFoundError(
        absl::StrCat(field, ": ", LotName(ref), " was never received"));
  }
  v1::DisclosedInk ink;
  ink.set_gtin(product->gtin());
  ink.set_product_version(product->version());
  ink.set_product_name(product->name());
  ink.set_manufacturer(product->manufacturer());
  ink.set_shade(product->shade());
  ink.set_lot(lot->lot());
  *ink.mutable_expiry() = lot->expiry();
  if (product->has_ink_label()) *ink.mutable_label() = product->ink_label();
  return ink;
}

// The text shown and printed. Everything in it comes from the inks (no
// time, no names of people), so the same inks give the same digest.
std::string DisclosureText(const std::string& session_id,
                           const std::vector<v1::DisclosedInk>& inks) {
  std::string text = absl::StrCat(
      "Ink disclosure, session ", session_id,
      "\nThe label information of each pigment to be used (EU REACH, "
      "Annex XVII entry 75).\n");
  int i = 0;
  for (const v1::DisclosedInk& ink : inks) {
    absl::StrAppend(&text, "\n", ++i, ". ", ink.product_name(), " (",
                    ink.manufacturer(), ")");
    if (!ink.shade().empty()) absl::StrAppend(&text, ", shade ", ink.shade());
    absl::StrAppend(&text, "\n   GTIN ", ink.gtin(), ", catalogue version ",
                    ink.product_version(), "\n   Batch (lot) ", ink.lot());
    if (IsSet(ink.expiry())) {
      absl::StrAppend(&text, ", use by ", FormatDate(ink.expiry()));
    }
    if (!ink.has_label()) {
      absl::StrAppend(&text, "\n   Label information: not in the catalogue");
      continue;
    }
    const v1::InkLabel& label = ink.label();
    std::vector<std::string> ingredients;
    for (const v1::InkIngredient& in : label.ingredients()) {
      ingredients.push_back(in.ph_regulator()
                                ? absl::StrCat(in.name(), " (pH regulator)")
                                : in.name());
    }
    absl::StrAppend(&text, "\n   ", label.mixture_statement(),
                    "\n   Ingredients: ", absl::StrJoin(ingredients, ", "));
    if (label.contains_nickel())
      absl::StrAppend(&text, "\n   ", kNickelStatement);
    if (label.contains_chromium_vi()) {
      absl::StrAppend(&text, "\n   ", kChromiumStatement);
    }
    if (!label.safety_instructions().empty()) {
      absl::StrAppend(
          &text, "\n   Safety instructions: ", label.safety_instructions());
    }
  }
  absl::StrAppend(&text, "\n");
  return text;
}

// The pigment lots in stock in room `room` that can be used today.
absl::StatusOr<std::vector<v1::PigmentLot>> UsableInRoom(
    const storage::Reader& reader, uint64_t room, absl::CivilDay today) {
  std::vector<v1::PigmentLot> out;
  std::map<std::string, bool> pigment;  // by GTIN
  const std::string prefix = keys::StockByLocationPrefix(room);
  std::vector<keys::StockByLocation> entries;
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      storage::Cf::kIndex, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(entries.emplace_back(),
                                  keys::DecodeStockByLocationKey(key));
        return true;
      }));
  for (const keys::StockByLocation& entry : entries) {
    auto known = pigment.find(entry.lot.gtin);
    if (known == pigment.end()) {
      SMPTRACE_ASSIGN_OR_RETURN(auto product,
                                ReadProduct(reader, entry.lot.gtin));
      known = pigment
                  .emplace(entry.lot.gtin,
                           product.has_value() &&
                               product->kind() == v1::PRODUCT_KIND_PIGMENT)
                  .first;
    }
    if (!known->second) continue;
    SMPTRACE_ASSIGN_OR_RETURN(auto lot,
                              ReadLot(reader, entry.lot.gtin, entry.lot.lot));
    SMPTRACE_ASSIGN_OR_RETURN(
        auto counts,
        ReadStockCounts(reader, entry.lot.gtin, entry.lot.lot, room));
    if (!lot.has_value() || lot->status() != v1::LOT_STATUS_RELEASED ||
        IsExpired(lot->expiry(), today) || counts.in_stock() <= 0) {
      continue;
    }
    v1::PigmentLot& ref = out.emplace_back();
    ref.set_gtin(entry.lot.gtin);
    ref.set_lot(entry.lot.lot);
  }
  return out;
}

bool Disclosed(const v1::Session& session, const std::string& gtin,
               const std::string& lot) {
  for (const v1::InkDisclosureRecord& record : session.ink_disclosures()) {
    for (const v1::DisclosedInk& ink : record.inks()) {
      if (ink.gtin() == gtin && ink.lot() == lot) return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<v1::InkDisclosure> InkDisclosureOf(const storage::Reader& reader,
                                                  const v1::Session& session,
                                                  const PigmentLots& lots,
                                                  absl::CivilDay today) {
  const uint64_t room =
      domain::ParseId(IdKind::kLocation, session.location_id(), "location_id")
          .value_or(0);
  SMPTRACE_ASSIGN_OR_RETURN(std::vector<v1::PigmentLot> usable,
                            UsableInRoom(reader, room, today));
  std::vector<v1::PigmentLot> asked(lots.begin(), lots.end());
  if (asked.empty()) asked = usable;
  v1::InkDisclosure out;
  out.set_session_id(session.session_id());
  std::vector<v1::DisclosedInk> inks;
  std::set<std::pair<std::string, std::string>> named;
  for (size_t i = 0; i < asked.size(); ++i) {
    const std::string field = absl::StrCat("lots[", i, "]");
    if (!named.emplace(asked[i].gtin(), asked[i].lot()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", LotName(asked[i]), " is named twice"));
    }
    SMPTRACE_ASSIGN_OR_RETURN(inks.emplace_back(),
                              InkOf(reader, asked[i], field));
  }
  out.set_text(DisclosureText(session.session_id(), inks));
  out.set_sha256(storage::ToHex(storage::Sha256(out.text())));
  for (v1::DisclosedInk& ink : inks) *out.add_inks() = std::move(ink);
  for (const v1::PigmentLot& lot : usable) {
    if (named.count({lot.gtin(), lot.lot()}) > 0) continue;
    SMPTRACE_ASSIGN_OR_RETURN(*out.add_also_available(),
                              InkOf(reader, lot, "also_available"));
  }
  return out;
}

absl::StatusOr<Decision> DecideRecordInkDisclosure(
    const DecisionContext& ctx, const v1::RecordInkDisclosureRequest& r) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Session session,
                            MustReadSession(ctx.state, r.session_id()));
  if (session.status() != v1::SESSION_STATUS_OPEN) {
    return Refusal("session_not_open",
                   absl::StrCat("session ", session.session_id(),
                                " is not open; nothing more can be recorded "
                                "on it"));
  }
  SMPTRACE_ASSIGN_OR_RETURN(
      v1::InkDisclosure now,
      InkDisclosureOf(ctx.state, session, r.lots(), Today(ctx.now, ctx.zone)));
  for (int i = 0; i < now.inks_size(); ++i) {
    const v1::DisclosedInk& ink = now.inks(i);
    if (!ink.has_label()) {
      return Refusal(
          "ink_label_missing",
          absl::StrCat("lots[", i,
                       "]: the catalogue holds no label "
                       "information for ",
                       ink.product_name(), " (", ink.gtin(),
                       "), so the client cannot be given it: a manager adds "
                       "it (smptrace product update --gtin ",
                       ink.gtin(),
                       " --ink_statement ... --ink_ingredients ...), then "
                       "show the disclosure again"));
    }
  }
  if (r.sha256() != now.sha256()) {
    return Refusal("ink_disclosure_outdated",
                   absl::StrCat("sha256: the disclosure of these lots is now ",
                                now.sha256(), ", not ", r.sha256(),
                                ": the catalogue changed since it was shown; "
                                "show the client the current one and record "
                                "that again"));
  }
  Decision d;
  v1::InkDisclosureGiven* e = d.event.mutable_ink_disclosure_given();
  e->set_session_id(session.session_id());
  v1::InkDisclosureRecord* record = e->mutable_record();
  record->set_seq(ctx.seq);
  *record->mutable_given_at() = ToProto(ctx.now);
  record->set_given_by(std::string(ctx.actor));
  record->set_medium(r.medium());
  *record->mutable_inks() = now.inks();
  record->set_sha256(now.sha256());
  d.read_back = [id = session.session_id(), seq = ctx.seq](
                    const storage::Reader& written,
                    v1::CommandResult& result) -> absl::Status {
    SMPTRACE_ASSIGN_OR_RETURN(v1::Session s, MustReadSession(written, id));
    for (const v1::InkDisclosureRecord& record : s.ink_disclosures()) {
      if (record.seq() == seq) {
        *result.mutable_ink_disclosure() = record;
        return absl::OkStatus();
      }
    }
    return absl::DataLossError(
        absl::StrCat("session ", id, " does not list its disclosure ", seq));
  };
  return d;
}

absl::Status ApplyInkDisclosureGiven(const v1::InkDisclosureGiven& e,
                                     uint64_t seq, storage::WriteTxn& txn) {
  return UpdateNumbered<v1::Session>(
      kSessionRecord, e.session_id(), txn, [&](v1::Session& session) {
        v1::InkDisclosureRecord* record = session.add_ink_disclosures();
        *record = e.record();
        record->set_seq(seq);
      });
}

absl::Status CheckInkDisclosed(const v1::Session& session,
                               const v1::Product& pigment,
                               const std::string& lot, bool required) {
  if (!required || Disclosed(session, pigment.gtin(), lot)) {
    return absl::OkStatus();
  }
  return Refusal(
      "ink_disclosure_missing",
      absl::StrCat(pigment.name(), " lot ", lot,
                   " is not in the ink disclosure of session ",
                   session.session_id(),
                   ": the client must be given its label information before "
                   "it is used. Show it (the kiosk's Inks step) or print it "
                   "(smptrace session inks ",
                   session.session_id(),
                   " --pdf FILE), record that it was "
                   "given, then scan again"));
}

}  // namespace smptrace::ledger
