// The ink disclosure: before a pigment is used on a client, the client is
// given the label information of each pigment lot (REACH Annex XVII entry
// 75, point 8; the label itself is catalog.proto's InkLabel). Here: what to
// show (from the catalogue and the lots, with its SHA-256), recording that it
// was given (InkDisclosureGiven, on the session), and the scan's check when
// the clinic requires it (consent.conf: ink_disclosure.required).
#ifndef SMPTRACE_SERVICE_LEDGER_SESSIONS_INK_DISCLOSURE_H_
#define SMPTRACE_SERVICE_LEDGER_SESSIONS_INK_DISCLOSURE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/journal.pb.h"
#include "smptrace/v1/session.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

using PigmentLots = google::protobuf::RepeatedPtrField<v1::PigmentLot>;

// What the client of `session` is to be shown for `lots` (the text, its
// SHA-256 and each ink), and the other pigment lots in stock in the
// session's room (`also_available`). With `lots` empty, every pigment lot in
// stock in the room (released, not expired) is disclosed. Errors: NotFound
// ("lots[1]: lot X of 0950... was never received"), InvalidArgument
// ("lots[0]: 0950... is a needle cartridge, not a pigment").
absl::StatusOr<v1::InkDisclosure> InkDisclosureOf(const storage::Reader& reader,
                                                  const v1::Session& session,
                                                  const PigmentLots& lots,
                                                  absl::CivilDay today);

// Records that the client was given the disclosure of `r.lots`. Refused
// ("ink_disclosure_outdated") when r.sha256 is not the digest of what
// InkDisclosureOf gives now, and ("ink_label_missing") for a pigment whose
// label the catalogue does not hold.
absl::StatusOr<Decision> DecideRecordInkDisclosure(
    const DecisionContext& ctx, const v1::RecordInkDisclosureRequest& r);

absl::Status ApplyInkDisclosureGiven(const v1::InkDisclosureGiven& e,
                                     uint64_t seq, storage::WriteTxn& txn);

// OK when lot `lot` of pigment `gtin` was disclosed in `session`, or the
// clinic does not require it; else the "ink_disclosure_missing" message
// (what was not disclosed and how to do it).
absl::Status CheckInkDisclosed(const v1::Session& session,
                               const v1::Product& pigment,
                               const std::string& lot, bool required);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SESSIONS_INK_DISCLOSURE_H_
