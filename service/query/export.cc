#include "service/query/export.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/clinic_time.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/disposal/state.h"
#include "service/ledger/records.h"
#include "service/ledger/sessions/state.h"
#include "service/ledger/stock/state.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/journal.h"

namespace smptrace::query {
namespace {

using ledger::FormatDate;
using ledger::FromProto;
using ledger::IsSet;
using ledger::ParseRecord;
using ledger::ReadLot;
using ledger::ReadSession;
using ledger::ReadUnit;

// One unit (or lot) and one thing that happened to it (export.h lists the
// events and what each does to stock).
struct Row {
  uint64_t seq = 0;
  std::string time;
  std::string event;
  std::string gtin, lot, expiry, serial;
  std::string location_id, session_id, container_id;
  std::string reference, reason;
};

constexpr const char* kColumns[] = {"seq",          "time",        "event",
                                    "gtin",         "lot",         "expiry",
                                    "serial",       "location_id", "session_id",
                                    "container_id", "reference",   "reason"};

std::vector<const std::string*> Fields(const Row& r, const std::string& seq) {
  return {&seq,          &r.time,         &r.event,     &r.gtin,
          &r.lot,        &r.expiry,       &r.serial,    &r.location_id,
          &r.session_id, &r.container_id, &r.reference, &r.reason};
}

// A JSON object, members in the order added.
class JsonObject {
 public:
  JsonObject& Raw(const std::string& key, const std::string& json) {
    absl::StrAppend(&text_, text_.empty() ? "{" : ",", JsonString(key), ":",
                    json);
    return *this;
  }
  JsonObject& Str(const std::string& key, const std::string& value) {
    return Raw(key, JsonString(value));
  }
  std::string Done() const { return text_.empty() ? "{}" : text_ + "}"; }

 private:
  std::string text_;
};

std::string JsonArray(const std::vector<std::string>& json_values) {
  return "[" + absl::StrJoin(json_values, ",") + "]";
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
std::string ExpiryText(const v1::Date& expiry) {
  return IsSet(expiry) ? FormatDate(expiry) : "";
}

// One EPCIS 2.0 ObjectEvent about units of one lot (or about the lot).
struct EpcisEvent {
  std::string event_id;
  absl::Time time;
  std::string action, biz_step, disposition;
  std::string gtin, lot, expiry;
  std::vector<std::string> serials;
  // Lot-level events (status changes): the lot's units, as a quantity.
  int64_t lot_quantity = -1;
  std::string read_point, biz_location;
  // Transfers.
  std::string source, destination;
  // Instance/lot master data: only on ADD (EPCIS 2.0 §7.3.6).
  bool ilmd = false;
  std::string po_reference;
  std::vector<std::pair<std::string, std::string>> extensions;
};

// A void: the voided event repeated with an errorDeclaration.
struct ErrorDeclaration {
  absl::Time declared;
  std::string reason;  // CBV 2.0 error reason
  std::vector<std::pair<std::string, std::string>> extensions;
};

std::string Render(const EpcisEvent& e, absl::TimeZone zone,
                   const std::optional<ErrorDeclaration>& error) {
  JsonObject o;
  o.Str("type", "ObjectEvent")
      .Str("eventTime", FormatClinicTimeRfc3339(e.time, zone))
      .Str("eventTimeZoneOffset", ClinicUtcOffset(e.time, zone))
      .Str("eventID", e.event_id);
  if (error.has_value()) {
    JsonObject d;
    d.Str("declarationTime", FormatClinicTimeRfc3339(error->declared, zone))
        .Str("reason", error->reason);
    for (const auto& [key, value] : error->extensions) d.Str(key, value);
    o.Raw("errorDeclaration", d.Done());
  }
  std::vector<std::string> epcs;
  for (const auto& serial : e.serials) {
    epcs.push_back(JsonString(Sgtin(e.gtin, serial)));
  }
  o.Raw("epcList", JsonArray(epcs));
  if (e.lot_quantity >= 0) {
    o.Raw("quantityList",
          JsonArray({JsonObject()
                         .Str("epcClass", Lgtin(e.gtin, e.lot))
                         .Raw("quantity", absl::StrCat(e.lot_quantity))
                         .Done()}));
  }
  o.Str("action", e.action)
      .Str("bizStep", e.biz_step)
      .Str("disposition", e.disposition);
  if (!e.read_point.empty()) {
    o.Raw("readPoint", JsonObject().Str("id", Place(e.read_point)).Done());
  }
  if (!e.biz_location.empty()) {
    o.Raw("bizLocation", JsonObject().Str("id", Place(e.biz_location)).Done());
  }
  if (!e.po_reference.empty()) {
    o.Raw("bizTransactionList",
          JsonArray({JsonObject()
                         .Str("type", "po")
                         .Str("bizTransaction",
                              absl::StrCat("urn:smptrace:po:",
                                           PercentEncode(e.po_reference)))
                         .Done()}));
  }
  if (!e.source.empty()) {
    o.Raw("sourceList", JsonArray({JsonObject()
                                       .Str("type", "location")
                                       .Str("source", Place(e.source))
                                       .Done()}));
    o.Raw("destinationList",
          JsonArray({JsonObject()
                         .Str("type", "location")
                         .Str("destination", Place(e.destination))
                         .Done()}));
  }
  if (e.ilmd) {
    JsonObject ilmd;
    ilmd.Str("cbvmda:lotNumber", e.lot);
    if (!e.expiry.empty()) ilmd.Str("cbvmda:itemExpirationDate", e.expiry);
    o.Raw("ilmd", ilmd.Done());
  }
  if (e.lot_quantity < 0) o.Str("smptrace:lot", Lgtin(e.gtin, e.lot));
  for (const auto& [key, value] : e.extensions) o.Str(key, value);
  return o.Done();
}

// Reads what the journal events name by reference: a unit's lot and where
// it is, a lot's expiry, a session's room. Lots, expiry and the location of
// a unit that was opened, disposed or discarded never change afterwards, so
// the current record answers for the past.
class Record {
 public:
  explicit Record(const storage::Reader& reader) : reader_(reader) {}

  absl::StatusOr<v1::Unit> Unit(const v1::UnitRef& ref) {
    SMPTRACE_ASSIGN_OR_RETURN(auto unit,
                              ReadUnit(reader_, ref.gtin(), ref.serial()));
    if (!unit.has_value()) {
      return absl::DataLossError(absl::StrCat(
          "unit ", ref.gtin(), " serial ", ref.serial(), " is not recorded"));
    }
    return *std::move(unit);
  }

  absl::StatusOr<std::string> Expiry(const std::string& gtin,
                                     const std::string& lot) {
    auto key = std::make_pair(gtin, lot);
    auto it = expiry_.find(key);
    if (it != expiry_.end()) return it->second;
    SMPTRACE_ASSIGN_OR_RETURN(auto read, ReadLot(reader_, gtin, lot));
    if (!read.has_value()) {
      return absl::DataLossError(
          absl::StrCat("lot ", lot, " of ", gtin, " is not recorded"));
    }
    return expiry_[key] = ExpiryText(read->expiry());
  }

  absl::StatusOr<std::string> SessionLocation(const std::string& session_id) {
    SMPTRACE_ASSIGN_OR_RETURN(
        uint64_t n,
        domain::ParseId(domain::IdKind::kSession, session_id, "session"));
    SMPTRACE_ASSIGN_OR_RETURN(auto session, ReadSession(reader_, n));
    if (!session.has_value()) {
      return absl::DataLossError(
          absl::StrCat("session ", session_id, " is not recorded"));
    }
    return session->location_id();
  }

  // The event journal entry `seq` recorded.
  absl::StatusOr<v1::Event> Event(uint64_t seq) {
    v1::Event event;
    bool found = false;
    SMPTRACE_RETURN_IF_ERROR(storage::ForEachJournalEntry(
        reader_, seq,
        [&](const storage::JournalEntryView& entry) -> absl::StatusOr<bool> {
          found = entry.seq == seq;
          if (found) {
            SMPTRACE_RETURN_IF_ERROR(
                ParseRecord(entry.event, "journal event", &event));
          }
          return false;
        }));
    if (!found) {
      return absl::DataLossError(
          absl::StrCat("journal entry ", seq, " is missing"));
    }
    return event;
  }

  const storage::Reader& reader() const { return reader_; }

 private:
  const storage::Reader& reader_;
  std::map<std::pair<std::string, std::string>, std::string> expiry_;
};

// What one journal event becomes: rows, and EPCIS events describing the
// same thing.
struct Mapped {
  std::vector<Row> rows;
  std::vector<std::string> epcis;
};

class Mapper {
 public:
  Mapper(const storage::Reader& reader, absl::TimeZone zone)
      : record_(reader), zone_(zone) {}

  absl::StatusOr<Mapped> Map(uint64_t seq, const v1::Event& event) {
    Mapped m;
    SMPTRACE_RETURN_IF_ERROR(MapInto(seq, event, m));
    return m;
  }

 private:
  Row NewRow(uint64_t seq, const v1::Event& event, std::string what) const {
    Row r;
    r.seq = seq;
    r.time = FormatClinicTimeRfc3339(FromProto(event.time()), zone_);
    r.event = std::move(what);
    return r;
  }

  EpcisEvent NewEpcis(uint64_t seq, const v1::Event& event, int part) const {
    EpcisEvent e;
    e.event_id = absl::StrCat("urn:smptrace:event:", seq,
                              part == 0 ? "" : absl::StrCat(".", part));
    e.time = FromProto(event.time());
    return e;
  }

  void Emit(Mapped& m, const EpcisEvent& e,
            const std::optional<ErrorDeclaration>& error = std::nullopt) {
    m.epcis.push_back(Render(e, zone_, error));
  }

  // Units named by reference, grouped by lot and location (one EPCIS event
  // each), with one row per unit.
  struct Group {
    std::string gtin, lot, expiry, location_id;
    std::vector<std::string> serials;
  };
  absl::StatusOr<std::vector<Group>> GroupUnits(
      const google::protobuf::RepeatedPtrField<v1::UnitRef>& refs,
      const std::string& location_override) {
    std::vector<Group> groups;
    for (const v1::UnitRef& ref : refs) {
      SMPTRACE_ASSIGN_OR_RETURN(v1::Unit unit, record_.Unit(ref));
      const std::string& location =
          location_override.empty() ? unit.location_id() : location_override;
      auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
        return g.gtin == unit.gtin() && g.lot == unit.lot() &&
               g.location_id == location;
      });
      if (it == groups.end()) {
        Group g{unit.gtin(), unit.lot(), "", location, {}};
        SMPTRACE_ASSIGN_OR_RETURN(g.expiry,
                                  record_.Expiry(unit.gtin(), unit.lot()));
        groups.push_back(std::move(g));
        it = groups.end() - 1;
      }
      it->serials.push_back(unit.serial());
    }
    return groups;
  }

  Row UnitRow(uint64_t seq, const v1::Event& event, std::string what,
              const Group& g, const std::string& serial) const {
    Row r = NewRow(seq, event, std::move(what));
    r.gtin = g.gtin;
    r.lot = g.lot;
    r.expiry = g.expiry;
    r.serial = serial;
    r.location_id = g.location_id;
    return r;
  }

  EpcisEvent GroupEvent(uint64_t seq, const v1::Event& event, int part,
                        const Group& g) const {
    EpcisEvent e = NewEpcis(seq, event, part);
    e.gtin = g.gtin;
    e.lot = g.lot;
    e.expiry = g.expiry;
    e.serials = g.serials;
    e.read_point = e.biz_location = g.location_id;
    return e;
  }

  // A scan: the unit opened (or the bottle opened and drawn from) into the
  // session. Also what a void repeats.
  absl::StatusOr<EpcisEvent> UseEvent(uint64_t seq, const v1::Event& event,
                                      std::vector<Row>* rows) {
    const auto& e = event.consumable_scanned();
    const auto& use = e.use();
    SMPTRACE_ASSIGN_OR_RETURN(std::string location,
                              record_.SessionLocation(e.session_id()));
    const Group g{use.gtin(),
                  use.lot(),
                  ExpiryText(use.expiry()),
                  location,
                  {use.serial()}};
    if (rows != nullptr) {
      if (use.pigment_draw() && e.opened_bottle()) {
        Row r = UnitRow(seq, event, "bottle_opened", g, use.serial());
        r.session_id = e.session_id();
        rows->push_back(std::move(r));
      }
      Row r = UnitRow(seq, event, use.pigment_draw() ? "drawn" : "opened", g,
                      use.serial());
      r.session_id = e.session_id();
      rows->push_back(std::move(r));
    }
    EpcisEvent x = GroupEvent(seq, event, 0, g);
    x.action = "OBSERVE";
    x.biz_step = "dispensing";
    x.disposition = use.pigment_draw() ? "partially_dispensed" : "dispensed";
    x.extensions.emplace_back("smptrace:session", e.session_id());
    return x;
  }

  // A void: the row and the error declaration say which use is void. A
  // package not opened puts the unit back in stock (a "returned" row; the
  // dispensing did_not_occur); one opened (or a void recorded before voids
  // said) leaves it opened, to be disposed (incorrect_data).
  absl::Status MapVoid(uint64_t seq, const v1::Event& event, Mapped& m) {
    const auto& e = event.scan_voided();
    SMPTRACE_ASSIGN_OR_RETURN(v1::Event scanned, record_.Event(e.scan_seq()));
    if (scanned.payload_case() != v1::Event::kConsumableScanned) {
      return absl::DataLossError(absl::StrCat("void ", seq, " names entry ",
                                              e.scan_seq(),
                                              ", which is not a scan"));
    }
    std::vector<Row> original;
    SMPTRACE_ASSIGN_OR_RETURN(EpcisEvent voided,
                              UseEvent(e.scan_seq(), scanned, &original));
    Row r = original.back();  // the use: opened or drawn
    r.seq = seq;
    r.time = NewRow(seq, event, "").time;
    r.event = "voided";
    r.reference = absl::StrCat("scan ", e.scan_seq());
    r.reason = e.reason();
    const bool returned = e.package() == v1::VOIDED_PACKAGE_NOT_OPENED;
    if (returned) {
      Row back = r;
      back.event = "returned";
      back.reason = "package not opened";
      m.rows.push_back(std::move(r));
      m.rows.push_back(std::move(back));
    } else {
      m.rows.push_back(std::move(r));
    }
    ErrorDeclaration error;
    error.declared = FromProto(event.time());
    error.reason = returned ? "did_not_occur" : "incorrect_data";
    error.extensions = {{"smptrace:voidSeq", absl::StrCat(seq)},
                        {"smptrace:voidReason", e.reason()}};
    Emit(m, voided, error);
    return absl::OkStatus();
  }

  // Units taken out of stock unused.
  absl::Status MapDiscard(
      uint64_t seq, const v1::Event& event,
      const google::protobuf::RepeatedPtrField<v1::UnitRef>& units,
      v1::DiscardReason reason, const std::string& note,
      const std::string& session_id, Mapped& m) {
    std::string why = v1::DiscardReason_Name(reason);
    why.erase(0, std::string("DISCARD_REASON_").size());
    SMPTRACE_ASSIGN_OR_RETURN(auto groups, GroupUnits(units, ""));
    int part = 0;
    for (const Group& g : groups) {
      for (const auto& serial : g.serials) {
        Row r = UnitRow(seq, event, "discarded", g, serial);
        r.session_id = session_id;
        r.reason = absl::StrCat(why, note.empty() ? "" : ": ", note);
        m.rows.push_back(std::move(r));
      }
      EpcisEvent x = GroupEvent(seq, event, part++, g);
      x.action = "DELETE";
      x.biz_step = "destroying";
      x.disposition = "destroyed";
      switch (reason) {
        case v1::DISCARD_REASON_DAMAGED:
          x.disposition = "damaged";
          break;
        case v1::DISCARD_REASON_EXPIRED:
          x.disposition = "expired";
          break;
        case v1::DISCARD_REASON_RECALLED:
          x.disposition = "recalled";
          break;
        case v1::DISCARD_REASON_MISSING:
        case v1::DISCARD_REASON_OTHER:
        case v1::DISCARD_REASON_UNSPECIFIED:
        case v1::DiscardReason_INT_MIN_SENTINEL_DO_NOT_USE_:
        case v1::DiscardReason_INT_MAX_SENTINEL_DO_NOT_USE_:
          break;
      }
      if (!session_id.empty()) {
        x.extensions.emplace_back("smptrace:session", session_id);
      }
      x.extensions.emplace_back("smptrace:reason", m.rows.back().reason);
      Emit(m, x);
    }
    return absl::OkStatus();
  }

  // A lot's status: quarantined, released or recalled (by SetLotStatus or
  // by a recall case's hold).
  // Opening a case (not a drill) recalls the lots it holds.
  absl::Status MapRecallCase(uint64_t seq, const v1::Event& event,
                             const v1::RecallCaseRecorded& e, Mapped& m) {
    if (e.change() != "opened") return absl::OkStatus();
    int part = 0;
    for (const v1::LotRef& hold : e.recall_case().holds()) {
      SMPTRACE_ASSIGN_OR_RETURN(auto lot,
                                ReadLot(reader(), hold.gtin(), hold.lot()));
      if (!lot.has_value()) {
        return absl::DataLossError(
            absl::StrCat("held lot ", hold.lot(), " is missing"));
      }
      lot->set_status(v1::LOT_STATUS_RECALLED);
      *lot->mutable_recall() = e.recall_case().notice();
      MapLotStatus(seq, event, part++, *lot, m);
      m.rows.back().reference = absl::StrCat(
          e.recall_case().case_id(), " ", e.recall_case().notice().reference());
    }
    return absl::OkStatus();
  }

  void MapLotStatus(uint64_t seq, const v1::Event& event, int part,
                    const v1::Lot& lot, Mapped& m) {
    const bool recalled = lot.status() == v1::LOT_STATUS_RECALLED;
    const bool held = recalled || lot.status() == v1::LOT_STATUS_QUARANTINED;
    Row r = NewRow(seq, event,
                   recalled ? "recalled"
                   : held   ? "quarantined"
                            : "released");
    r.gtin = lot.gtin();
    r.lot = lot.lot();
    r.expiry = ExpiryText(lot.expiry());
    r.reference = recalled ? lot.recall().reference() : "";
    r.reason = recalled ? lot.recall().text() : lot.status_reason();
    EpcisEvent x = NewEpcis(seq, event, part);
    x.gtin = lot.gtin();
    x.lot = lot.lot();
    x.lot_quantity = lot.received_quantity();
    x.action = "OBSERVE";
    x.biz_step = held ? "holding" : "inspecting";
    x.disposition = recalled ? "recalled"
                    : held   ? "non_sellable_other"
                             : "available";
    if (!r.reference.empty()) {
      x.extensions.emplace_back("smptrace:recallReference", r.reference);
    }
    x.extensions.emplace_back("smptrace:reason", r.reason);
    m.rows.push_back(std::move(r));
    Emit(m, x);
  }

  absl::Status MapInto(uint64_t seq, const v1::Event& event, Mapped& m) {
    switch (event.payload_case()) {
      case v1::Event::kStockReceived: {
        // One row per unit; one EPCIS event per lot (a delivery's lines
        // are one per scan).
        const auto& e = event.stock_received();
        std::vector<Group> groups;
        for (const auto& line : e.lines()) {
          const v1::Lot& lot = line.lot();
          auto it =
              std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
                return g.gtin == lot.gtin() && g.lot == lot.lot();
              });
          if (it == groups.end()) {
            groups.push_back(Group{lot.gtin(),
                                   lot.lot(),
                                   ExpiryText(lot.expiry()),
                                   e.location_id(),
                                   {}});
            it = groups.end() - 1;
          }
          for (const auto& serial : line.serials()) {
            Row r = UnitRow(seq, event, "received", *it, serial);
            r.reference = e.po_reference();
            m.rows.push_back(std::move(r));
            it->serials.push_back(serial);
          }
        }
        int part = 0;
        for (const Group& g : groups) {
          if (g.serials.empty()) continue;
          EpcisEvent x = GroupEvent(seq, event, part++, g);
          x.action = "ADD";
          x.biz_step = "receiving";
          x.disposition = "in_progress";
          x.ilmd = true;
          x.po_reference = e.po_reference();
          Emit(m, x);
        }
        return absl::OkStatus();
      }
      case v1::Event::kConsumableScanned: {
        SMPTRACE_ASSIGN_OR_RETURN(EpcisEvent x, UseEvent(seq, event, &m.rows));
        Emit(m, x);
        return absl::OkStatus();
      }
      case v1::Event::kBottleOpened: {
        const auto& e = event.bottle_opened();
        SMPTRACE_ASSIGN_OR_RETURN(v1::Unit unit, record_.Unit(e.unit()));
        Group g{
            unit.gtin(), unit.lot(), "", unit.location_id(), {unit.serial()}};
        SMPTRACE_ASSIGN_OR_RETURN(g.expiry,
                                  record_.Expiry(unit.gtin(), unit.lot()));
        m.rows.push_back(
            UnitRow(seq, event, "bottle_opened", g, unit.serial()));
        EpcisEvent x = GroupEvent(seq, event, 0, g);
        x.action = "OBSERVE";
        x.biz_step = "dispensing";
        x.disposition = "partially_dispensed";
        Emit(m, x);
        return absl::OkStatus();
      }
      case v1::Event::kScanVoided:
        return MapVoid(seq, event, m);
      case v1::Event::kPackageDamaged: {
        const auto& e = event.package_damaged();
        google::protobuf::RepeatedPtrField<v1::UnitRef> units;
        *units.Add() = e.unit();
        return MapDiscard(seq, event, units, v1::DISCARD_REASON_DAMAGED,
                          "package damaged at the chair", e.session_id(), m);
      }
      case v1::Event::kUnitDisposed: {
        const auto& e = event.unit_disposed();
        google::protobuf::RepeatedPtrField<v1::UnitRef> units;
        *units.Add() = e.unit();
        SMPTRACE_ASSIGN_OR_RETURN(auto groups, GroupUnits(units, ""));
        for (const Group& g : groups) {
          Row r = UnitRow(seq, event, "disposed", g, g.serials[0]);
          r.session_id = e.session_id();
          r.container_id = e.container_id();
          m.rows.push_back(std::move(r));
          EpcisEvent x = GroupEvent(seq, event, 0, g);
          x.action = "DELETE";
          x.biz_step = "destroying";
          x.disposition = "destroyed";
          if (!e.session_id().empty()) {
            x.extensions.emplace_back("smptrace:session", e.session_id());
          }
          x.extensions.emplace_back("smptrace:container", e.container_id());
          Emit(m, x);
        }
        return absl::OkStatus();
      }
      case v1::Event::kUnitsDiscarded: {
        const auto& e = event.units_discarded();
        return MapDiscard(seq, event, e.units(), e.reason(), e.note(), "", m);
      }
      case v1::Event::kStockAdjusted: {
        const auto& e = event.stock_adjusted();
        Group g{e.gtin(),
                e.lot(),
                "",
                e.location_id(),
                {e.serials().begin(), e.serials().end()}};
        SMPTRACE_ASSIGN_OR_RETURN(g.expiry, record_.Expiry(e.gtin(), e.lot()));
        const bool found = e.delta() > 0;
        for (const auto& serial : e.serials()) {
          Row r = UnitRow(seq, event, found ? "found" : "missing", g, serial);
          r.reason = e.reason();
          m.rows.push_back(std::move(r));
        }
        if (g.serials.empty()) return absl::OkStatus();
        EpcisEvent x = GroupEvent(seq, event, 0, g);
        x.action = found ? "ADD" : "DELETE";
        x.biz_step = "stock_taking";
        x.disposition = found ? "in_progress" : "unknown";
        x.ilmd = found;
        x.extensions.emplace_back("smptrace:reason", e.reason());
        Emit(m, x);
        return absl::OkStatus();
      }
      case v1::Event::kUnitsTransferred: {
        const auto& e = event.units_transferred();
        SMPTRACE_ASSIGN_OR_RETURN(auto groups,
                                  GroupUnits(e.units(), e.from_location_id()));
        int part = 0;
        for (Group& g : groups) {
          for (const auto& serial : g.serials) {
            Row out = UnitRow(seq, event, "transferred_out", g, serial);
            out.reference = absl::StrCat("to ", e.to_location_id());
            out.reason = e.note();
            Row in = out;
            in.event = "transferred_in";
            in.location_id = e.to_location_id();
            in.reference = absl::StrCat("from ", e.from_location_id());
            m.rows.push_back(std::move(out));
            m.rows.push_back(std::move(in));
          }
          EpcisEvent ship = GroupEvent(seq, event, part++, g);
          ship.action = "OBSERVE";
          ship.biz_step = "shipping";
          ship.disposition = "in_transit";
          ship.biz_location.clear();
          ship.source = e.from_location_id();
          ship.destination = e.to_location_id();
          EpcisEvent receive = ship;
          receive.event_id = NewEpcis(seq, event, part++).event_id;
          receive.biz_step = "receiving";
          receive.disposition = "in_progress";
          receive.read_point = receive.biz_location = e.to_location_id();
          if (!e.note().empty()) {
            ship.extensions.emplace_back("smptrace:note", e.note());
            receive.extensions.emplace_back("smptrace:note", e.note());
          }
          Emit(m, ship);
          Emit(m, receive);
        }
        return absl::OkStatus();
      }
      case v1::Event::kLotStatusChanged:
        MapLotStatus(seq, event, 0, event.lot_status_changed().lot(), m);
        return absl::OkStatus();
      case v1::Event::kRecallCaseRecorded:
        return MapRecallCase(seq, event, event.recall_case_recorded(), m);
      // A confirmed recall candidate opened its case in the same entry.
      case v1::Event::kRecallCandidateDecided: {
        const auto& e = event.recall_candidate_decided();
        if (!e.has_recall_case()) return absl::OkStatus();
        return MapRecallCase(seq, event, e.recall_case(), m);
      }
      // Nothing happens to a unit or a lot's status in these.
      case v1::Event::kProductRecorded:
      case v1::Event::kSupplierRecorded:
      case v1::Event::kLocationRecorded:
      case v1::Event::kReorderPolicySet:
      case v1::Event::kPurchaseOrderRecorded:
      case v1::Event::kClientRegistered:
      case v1::Event::kSessionStarted:
      case v1::Event::kScanRefused:
      case v1::Event::kSessionClosed:
      case v1::Event::kSessionAborted:
      case v1::Event::kContainerOpened:
      case v1::Event::kContainerSealed:
      case v1::Event::kContainerPickedUp:
      case v1::Event::kClientRecordRead:
      case v1::Event::kPrincipalRecorded:
      case v1::Event::kScreeningOverrideApproved:
      case v1::Event::kClientContactUpdated:
      case v1::Event::kClientErased:
      case v1::Event::kLegalHoldRecorded:
      case v1::Event::kConsentRecorded:
      case v1::Event::kInkDisclosureGiven:
      case v1::Event::kRecallCandidatesImported:
      case v1::Event::PAYLOAD_NOT_SET:
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  const storage::Reader& reader() const { return record_.reader(); }

  Record record_;
  absl::TimeZone zone_;
};

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
    uint64_t to_seq, absl::Time now, absl::TimeZone zone,
    const std::function<bool(const std::string&, uint64_t, uint64_t)>& emit) {
  SMPTRACE_ASSIGN_OR_RETURN(storage::JournalHead head,
                            storage::ReadJournalHead(reader));
  const uint64_t first = std::max<uint64_t>(1, from_seq);
  const uint64_t last = to_seq == 0 ? head.seq : std::min(to_seq, head.seq);
  const uint64_t total = last >= first ? last - first + 1 : 0;
  std::string chunk;
  bool first_event = true;
  // A number no format has is refused as unspecified is, below.
  if (!v1::ExportFormat_IsValid(format)) format = v1::EXPORT_FORMAT_UNSPECIFIED;
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
          JsonString(FormatClinicTimeRfc3339(now, zone)),
          ",\"epcisBody\":{\"eventList\":[");
      break;
    case v1::EXPORT_FORMAT_JSONL:
      break;
    case v1::EXPORT_FORMAT_UNSPECIFIED:
    case v1::ExportFormat_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::ExportFormat_INT_MAX_SENTINEL_DO_NOT_USE_:
      return absl::InvalidArgumentError("format: CSV, JSONL or EPCIS");
  }
  Mapper mapper(reader, zone);
  uint64_t done = 0;
  const auto cancelled = [] {
    return absl::CancelledError("export cancelled by the caller");
  };
  if (total > 0) {
    SMPTRACE_RETURN_IF_ERROR(storage::ForEachJournalEntry(
        reader, first,
        [&](const storage::JournalEntryView& entry) -> absl::StatusOr<bool> {
          if (entry.seq > last) return false;
          v1::Event event;
          SMPTRACE_RETURN_IF_ERROR(
              ParseRecord(entry.event, "journal event", &event));
          SMPTRACE_ASSIGN_OR_RETURN(const auto mapped,
                                    mapper.Map(entry.seq, event));
          if (format == v1::EXPORT_FORMAT_EPCIS) {
            for (const std::string& e : mapped.epcis) {
              absl::StrAppend(&chunk, first_event ? "" : ",", e);
              first_event = false;
            }
          } else {
            for (const Row& r : mapped.rows) {
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
            if (!emit(chunk, done, total)) return cancelled();
            chunk.clear();
          }
          return true;
        }));
  }
  if (format == v1::EXPORT_FORMAT_EPCIS) chunk += "]}}\n";
  if (!emit(chunk, done, total)) return cancelled();
  return absl::OkStatus();
}

}  // namespace smptrace::query
