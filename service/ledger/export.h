// Exports of what happened to units, read from the journal: one row per unit
// and event (received, opened into a session, disposed, discarded,
// transferred, quarantined, released, recalled) as CSV (RFC 4180) or JSON
// lines, or GS1 EPCIS 2.0 JSON-LD ObjectEvents (bizStep receiving,
// dispensing, destroying, holding; GS1 Digital Link identifiers: SGTIN
// https://id.gs1.org/01/{gtin}/21/{serial}, LGTIN .../01/{gtin}/10/{lot}).
// Sessions appear by their id only; no client data is ever exported.
#ifndef SMPTRACE_SERVICE_LEDGER_EXPORT_H_
#define SMPTRACE_SERVICE_LEDGER_EXPORT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "smptrace/v1/audit.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

// Reads journal entries [from_seq, to_seq] (0 = open) of `reader` and calls
// `emit(chunk, entries_done, entries_total)` with the export in order;
// stops early (Cancelled) when emit returns false. `now` stamps the EPCIS
// document's creationDate.
absl::Status ExportJournal(
    const storage::Reader& reader, v1::ExportFormat format, uint64_t from_seq,
    uint64_t to_seq, absl::Time now,
    const std::function<bool(const std::string&, uint64_t, uint64_t)>& emit);

// One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF,
// with quotes doubled.
std::string CsvField(const std::string& value);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_EXPORT_H_
