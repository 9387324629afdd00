#include "service/ledger/export.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/ledger/session_state.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/journal.h"

namespace smptrace::ledger {
namespace {

// One unit (or lot) and what happened to it.
struct Row {
  uint64_t seq = 0;
  std::string time;
  std::string event;
  std::string gtin, lot, serial;
  std::string location_id, session_id, container_id;
  std::string reference, reason;
};

constexpr const char* kColumns[] = {
    "seq",         "time",       "event",        "gtin",      "lot",   "serial",
    "location_id", "session_id", "container_id", "reference", "reason"};

std::vector<const std::string*> Fields(const Row& r, const std::string& seq) {
  return {&seq,           &r.time,       &r.event,
          &r.gtin,        &r.lot,        &r.serial,
          &r.location_id, &r.session_id, &r.container_id,
          &r.reference,   &r.reason};
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

// A path segment of a GS1 Digital Link URI: RFC 3986 unreserved characters
// stay, everything else (GS1 set 82 allows ! " % & ' ( ) * + , / : ; < = >
// ?) is percent-encoded.
std::string PercentEncode(const std::string& value) {
  std::string out;
  for (unsigned char c : value) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "%%%02X", c);
    }
  }
  return out;
}

std::string Sgtin(const std::string& gtin, const std::string& serial) {
  return absl::StrCat("https://id.gs1.org/01/", gtin, "/21/",
                      PercentEncode(serial));
}
std::string Lgtin(const std::string& gtin, const std::string& lot) {
  return absl::StrCat("https://id.gs1.org/01/", gtin, "/10/",
                      PercentEncode(lot));
}
std::string Place(const std::string& location_id) {
  return absl::StrCat("urn:smptrace:location:", location_id);
}

// What one journal event becomes: rows, and at most one EPCIS ObjectEvent
// (JSON) describing the same thing.
struct Mapped {
  std::vector<Row> rows;
  std::string epcis;
};

std::string ObjectEvent(
    const std::string& time, const std::string& action,
    const std::string& biz_step, const std::string& disposition,
    const std::vector<std::string>& epcs, const std::string& lgtin,
    int64_t quantity, const std::string& location,
    const std::vector<std::pair<std::string, std::string>>& extensions) {
  std::string e =
      absl::StrCat("{\"type\":\"ObjectEvent\",\"eventTime\":", JsonString(time),
                   ",\"eventTimeZoneOffset\":\"+00:00\"");
  std::vector<std::string> quoted;
  for (const auto& epc : epcs) quoted.push_back(JsonString(epc));
  absl::StrAppend(&e, ",\"epcList\":[", absl::StrJoin(quoted, ","), "]");
  if (!lgtin.empty()) {
    absl::StrAppend(&e, ",\"quantityList\":[{\"epcClass\":", JsonString(lgtin),
                    ",\"quantity\":", quantity, "}]");
  }
  absl::StrAppend(&e, ",\"action\":", JsonString(action),
                  ",\"bizStep\":", JsonString(biz_step),
                  ",\"disposition\":", JsonString(disposition));
  if (!location.empty()) {
    absl::StrAppend(&e, ",\"readPoint\":{\"id\":", JsonString(Place(location)),
                    "},\"bizLocation\":{\"id\":", JsonString(Place(location)),
                    "}");
  }
  for (const auto& [key, value] : extensions) {
    absl::StrAppend(&e, ",", JsonString(key), ":", JsonString(value));
  }
  return e + "}";
}

absl::StatusOr<Mapped> Map(const storage::Reader& reader, uint64_t seq,
                           const v1::Event& event) {
  Mapped m;
  const std::string time = Rfc3339(FromProto(event.time()));
  auto row = [&](std::string what) {
    Row r;
    r.seq = seq;
    r.time = time;
    r.event = std::move(what);
    return r;
  };
  switch (event.payload_case()) {
    case v1::Event::kStockReceived: {
      const auto& e = event.stock_received();
      std::vector<std::string> epcs;
      for (const auto& line : e.lines()) {
        for (const auto& serial : line.serials()) {
          Row r = row("received");
          r.gtin = line.lot().gtin();
          r.lot = line.lot().lot();
          r.serial = serial;
          r.location_id = e.location_id();
          r.reference = e.po_reference();
          m.rows.push_back(std::move(r));
          epcs.push_back(Sgtin(line.lot().gtin(), serial));
        }
      }
      m.epcis = ObjectEvent(time, "ADD", "receiving", "in_progress", epcs, "",
                            0, e.location_id(), {});
      break;
    }
    case v1::Event::kConsumableScanned: {
      const auto& e = event.consumable_scanned();
      const auto& use = e.use();
      std::string location;
      SMPTRACE_ASSIGN_OR_RETURN(
          uint64_t n,
          domain::ParseId(domain::IdKind::kSession, e.session_id(), "session"));
      SMPTRACE_ASSIGN_OR_RETURN(auto session, ReadSession(reader, n));
      if (session.has_value()) location = session->location_id();
      Row r = row(use.pigment_draw() ? "drawn" : "opened");
      r.gtin = use.gtin();
      r.lot = use.lot();
      r.serial = use.serial();
      r.location_id = location;
      r.session_id = e.session_id();
      m.rows.push_back(r);
      m.epcis = ObjectEvent(time, "OBSERVE", "dispensing", "dispensed",
                            {Sgtin(use.gtin(), use.serial())}, "", 0, location,
                            {{"smptrace:session", e.session_id()}});
      break;
    }
    case v1::Event::kUnitDisposed: {
      const auto& e = event.unit_disposed();
      Row r = row("disposed");
      r.gtin = e.unit().gtin();
      r.serial = e.unit().serial();
      r.session_id = e.session_id();
      r.container_id = e.container_id();
      m.rows.push_back(r);
      m.epcis = ObjectEvent(time, "DELETE", "destroying", "destroyed",
                            {Sgtin(e.unit().gtin(), e.unit().serial())}, "", 0,
                            "", {{"smptrace:container", e.container_id()}});
      break;
    }
    case v1::Event::kUnitsDiscarded: {
      const auto& e = event.units_discarded();
      std::vector<std::string> epcs;
      std::string reason = v1::DiscardReason_Name(e.reason());
      reason.erase(0, std::string("DISCARD_REASON_").size());
      for (const auto& u : e.units()) {
        Row r = row("discarded");
        r.gtin = u.gtin();
        r.serial = u.serial();
        r.reason = absl::StrCat(reason, e.note().empty() ? "" : ": ", e.note());
        m.rows.push_back(r);
        epcs.push_back(Sgtin(u.gtin(), u.serial()));
      }
      m.epcis = ObjectEvent(time, "DELETE", "destroying", "destroyed", epcs, "",
                            0, "", {});
      break;
    }
    case v1::Event::kStockAdjusted: {
      const auto& e = event.stock_adjusted();
      for (const auto& serial : e.serials()) {
        Row r = row(e.delta() > 0 ? "found" : "missing");
        r.gtin = e.gtin();
        r.lot = e.lot();
        r.serial = serial;
        r.location_id = e.location_id();
        r.reason = e.reason();
        m.rows.push_back(r);
      }
      break;
    }
    case v1::Event::kUnitsTransferred: {
      const auto& e = event.units_transferred();
      for (const auto& u : e.units()) {
        Row r = row("transferred");
        r.gtin = u.gtin();
        r.serial = u.serial();
        r.location_id = e.to_location_id();
        r.reference = absl::StrCat("from ", e.from_location_id());
        m.rows.push_back(r);
      }
      break;
    }
    case v1::Event::kLotStatusChanged: {
      const auto& lot = event.lot_status_changed().lot();
      const bool recalled = lot.status() == v1::LOT_STATUS_RECALLED;
      const bool held = recalled || lot.status() == v1::LOT_STATUS_QUARANTINED;
      Row r = row(recalled ? "recalled" : held ? "quarantined" : "released");
      r.gtin = lot.gtin();
      r.lot = lot.lot();
      r.reference = lot.recall().reference();
      r.reason = recalled ? lot.recall().text() : lot.status_reason();
      m.rows.push_back(r);
      if (held) {
        m.epcis = ObjectEvent(time, "OBSERVE", "holding",
                              recalled ? "recalled" : "non_sellable_other", {},
                              Lgtin(lot.gtin(), lot.lot()),
                              lot.received_quantity(), "", {});
      }
      break;
    }
    default:
      break;
  }
  return m;
}

}  // namespace

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

absl::Status ExportJournal(
    const storage::Reader& reader, v1::ExportFormat format, uint64_t from_seq,
    uint64_t to_seq, absl::Time now,
    const std::function<bool(const std::string&, uint64_t, uint64_t)>& emit) {
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalHead head,
                            storage::ReadJournalHead(reader));
  const uint64_t first = std::max<uint64_t>(1, from_seq);
  const uint64_t last = to_seq == 0 ? head.seq : std::min(to_seq, head.seq);
  const uint64_t total = last >= first ? last - first + 1 : 0;
  std::string chunk;
  bool first_event = true;
  switch (format) {
    case v1::EXPORT_FORMAT_CSV:
      chunk = absl::StrJoin(kColumns, ",") + "\r\n";
      break;
    case v1::EXPORT_FORMAT_EPCIS:
      chunk = absl::StrCat(
          "{\"@context\":[\"https://ref.gs1.org/standards/epcis/2.0.0/"
          "epcis-context.jsonld\",{\"smptrace\":\"urn:smptrace:epcis:\"}],"
          "\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\","
          "\"creationDate\":",
          JsonString(Rfc3339(now)), ",\"epcisBody\":{\"eventList\":[");
      break;
    case v1::EXPORT_FORMAT_JSONL:
      break;
    default:
      return absl::InvalidArgumentError("format: CSV, JSONL or EPCIS");
  }
  uint64_t done = 0;
  absl::Status status;
  bool cancelled = false;
  if (total > 0) {
    SMPTRACE_RETURN_IF_ERROR(storage::ForEachJournalEntry(
        reader, first, [&](const storage::JournalEntryView& entry) {
          if (entry.seq > last) return false;
          v1::Event event;
          status = ParseRecord(entry.event, "journal event", &event);
          if (!status.ok()) return false;
          auto mapped = Map(reader, entry.seq, event);
          if (!mapped.ok()) {
            status = mapped.status();
            return false;
          }
          if (format == v1::EXPORT_FORMAT_EPCIS) {
            if (!mapped->epcis.empty()) {
              absl::StrAppend(&chunk, first_event ? "" : ",", mapped->epcis);
              first_event = false;
            }
          } else {
            for (const Row& r : mapped->rows) {
              const std::string seq = absl::StrCat(r.seq);
              const auto fields = Fields(r, seq);
              std::vector<std::string> parts;
              for (size_t i = 0; i < fields.size(); ++i) {
                parts.push_back(
                    format == v1::EXPORT_FORMAT_CSV
                        ? CsvField(*fields[i])
                        : absl::StrCat(
                              JsonString(kColumns[i]), ":",
                              i == 0 ? *fields[i] : JsonString(*fields[i])));
              }
              absl::StrAppend(&chunk,
                              format == v1::EXPORT_FORMAT_CSV
                                  ? absl::StrJoin(parts, ",") + "\r\n"
                                  : "{" + absl::StrJoin(parts, ",") + "}\n");
            }
          }
          ++done;
          if (chunk.size() >= 64 * 1024) {
            if (!emit(chunk, done, total)) {
              cancelled = true;
              return false;
            }
            chunk.clear();
          }
          return true;
        }));
  }
  SMPTRACE_RETURN_IF_ERROR(status);
  if (cancelled) return absl::CancelledError("export cancelled by the caller");
  if (format == v1::EXPORT_FORMAT_EPCIS) chunk += "]}}\n";
  if (!emit(chunk, done, total)) {
    return absl::CancelledError("export cancelled by the caller");
  }
  return absl::OkStatus();
}

}  // namespace smptrace::ledger
