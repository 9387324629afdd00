// Exports of what happened to every unit, read from the journal, as CSV
// (RFC 4180), JSON lines, or GS1 EPCIS 2.0 JSON-LD. Each export alone
// replays to the stock per lot and location and to every lot's lookback
// (tests/service/api/export_replay_test.cc does exactly that).
//
// CSV / JSON lines: one row per unit (or lot) and happening, columns
//   seq,time,event,gtin,lot,expiry,serial,location_id,session_id,
//   container_id,reference,reason
// with `event` one of (stock effect at location_id in brackets)
//   received [+1]        a delivery; reference = the purchase order
//   found [+1]           a stock count found it (AdjustStock +)
//   missing [-1]         a stock count did not (AdjustStock -)
//   transferred_out [-1] / transferred_in [+1]: one of each per unit moved;
//                        reference = "to LOC-…" / "from LOC-…"
//   opened [-1]          a single-use unit opened into session_id
//   bottle_opened [-1]   a pigment bottle opened (session_id if by a scan)
//   drawn [0]            session_id drew pigment from the (opened) bottle
//   voided [0]           the use recorded by row seq N of session_id is void
//                        (reference = "scan N"): not an exposure; the unit
//                        stays opened (to be disposed) unless a returned
//                        row follows
//   returned [+1]        a voided unit whose package was not opened, back
//                        in stock in the room (reference = "scan N")
//   disposed [0]         an opened unit into sharps container_id
//   discarded [-1]       taken out unused; reason = DAMAGED / EXPIRED /
//                        RECALLED / OTHER [: note]; session_id when the
//                        package was found damaged at the chair
//   quarantined / released / recalled [0]: the lot's status (no serial)
// Every unit row carries the unit's lot, expiry and location.
//
// EPCIS: ObjectEvents, one per lot and happening, in the CBV 2.0
// vocabulary: receiving (ADD, with ilmd cbvmda:lotNumber and
// cbvmda:itemExpirationDate), stock_taking (ADD / DELETE), shipping +
// receiving for a transfer (sourceList / destinationList), dispensing,
// destroying (DELETE; disposition destroyed, damaged, expired, recalled),
// holding / inspecting for lot status. A void repeats the voided dispensing
// event (same eventID) with an errorDeclaration: reason did_not_occur when
// the package was not opened (the unit is back in stock), incorrect_data
// when it was (the unit stays opened, not used on the client). Identifiers are
// GS1 Digital Link URIs: SGTIN https://id.gs1.org/01/{gtin}/21/{serial}, LGTIN
// .../01/{gtin}/10/{lot} (also on every unit event as smptrace:lot).
// Times are the clinic's, with its UTC offset. Sessions appear by their id
// only; no client data is ever exported.
#ifndef SMPTRACE_SERVICE_QUERY_EXPORT_H_
#define SMPTRACE_SERVICE_QUERY_EXPORT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/store.h"

namespace smptrace::query {

// Reads journal entries [from_seq, to_seq] (0 = open) of `reader` and calls
// `emit(chunk, entries_done, entries_total)` with the export in order;
// stops early (Cancelled) when emit returns false. `now` stamps the EPCIS
// document's creationDate; times are written in `zone`, the clinic's.
absl::Status ExportJournal(
    const storage::Reader& reader, v1::ExportFormat format, uint64_t from_seq,
    uint64_t to_seq, absl::Time now, absl::TimeZone zone,
    const std::function<bool(const std::string&, uint64_t, uint64_t)>& emit);

// One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF,
// with quotes doubled.
std::string CsvField(const std::string& value);

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_EXPORT_H_
