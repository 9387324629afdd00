// The exports tell the whole story: a scripted clinic history (receipts,
// transfers, scans, a void, a package damaged at the chair, pigment draws,
// disposals, discards, stock-count adjustments, a hold and its release, a
// recall) is exported as CSV, JSON lines and EPCIS 2.0; each export is read
// back by an independent replay that knows only the documented vocabulary
// (service/query/export.h), and must give the same stock per lot and
// location, the same lot statuses and the same lookback of every lot as the
// API (GetStock, TraceLot).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/testing/clinic_fixture.h"

namespace smptrace::api {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;
using ::smptrace::testing::Gs1Scan;
using ::testing::HasSubstr;

using LotKey = std::pair<std::string, std::string>;  // gtin, lot
using StockKey = std::tuple<std::string, std::string, std::string>;  // + loc

// What a replay of an export knows at its end.
struct Replay {
  std::map<StockKey, int64_t> stock;
  // Every use of a unit by a session, by the id the export gives it (the
  // row's seq, the EPCIS eventID); a void removes it.
  struct Use {
    std::string gtin, lot, session;
  };
  std::map<std::string, Use> uses;
  std::map<LotKey, std::string> status;  // "released" unless changed

  std::map<LotKey, std::set<std::string>> Lookback() const {
    std::map<LotKey, std::set<std::string>> out;
    for (const auto& [id, use] : uses) {
      out[{use.gtin, use.lot}].insert(use.session);
    }
    return out;
  }
  std::map<StockKey, int64_t> NonZeroStock() const {
    std::map<StockKey, int64_t> out;
    for (const auto& [key, n] : stock) {
      if (n != 0) out[key] = n;
    }
    return out;
  }
};

// The one place a replay understands a void: it takes the session off the
// lot's lookback. A unit whose package was not opened is back in stock at
// `back_in_stock`; one opened stays opened (it still has to be disposed).
void ApplyVoid(Replay& replay, const std::string& use_id,
               const std::optional<StockKey>& back_in_stock) {
  ASSERT_TRUE(replay.uses.count(use_id)) << "a void of unknown use " << use_id;
  replay.uses.erase(use_id);
  if (back_in_stock.has_value()) ++replay.stock[*back_in_stock];
}

// ---- CSV and JSON lines --------------------------------------------------

using Row = std::map<std::string, std::string>;

// RFC 4180: quoted fields may hold commas, doubled quotes, CR and LF.
std::vector<Row> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      records.back().push_back(field);
      field.clear();
      records.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  EXPECT_TRUE(records.back().empty() && field.empty()) << "no final CRLF";
  records.pop_back();
  std::vector<Row> rows;
  for (size_t r = 1; r < records.size(); ++r) {
    EXPECT_EQ(records[r].size(), records[0].size()) << "record " << r;
    Row row;
    for (size_t c = 0; c < records[0].size() && c < records[r].size(); ++c) {
      row[records[0][c]] = records[r][c];
    }
    rows.push_back(row);
  }
  return rows;
}

std::vector<Row> ParseJsonLines(const std::string& text) {
  std::vector<Row> rows;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    Struct object;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(std::string(line), &object)
            .ok())
        << line;
    Row row;
    for (const auto& [key, value] : object.fields()) {
      row[key] =
          value.has_number_value()
              ? std::to_string(static_cast<int64_t>(value.number_value()))
              : value.string_value();
    }
    rows.push_back(row);
  }
  return rows;
}

// What each documented row event does to the stock at the row's location.
int StockEffect(const std::string& event) {
  static const std::map<std::string, int> kEffect = {
      {"received", +1},      {"found", +1},           {"transferred_in", +1},
      {"missing", -1},       {"transferred_out", -1}, {"opened", -1},
      {"bottle_opened", -1}, {"discarded", -1},       {"drawn", 0},
      {"voided", 0},         {"returned", 0},         {"disposed", 0},
      {"quarantined", 0},    {"released", 0},         {"recalled", 0}};
  auto it = kEffect.find(event);
  EXPECT_NE(it, kEffect.end()) << "undocumented export event " << event;
  return it == kEffect.end() ? 0 : it->second;
}

Replay ReplayRows(const std::vector<Row>& rows) {
  Replay replay;
  for (const Row& r : rows) {
    const std::string& event = r.at("event");
    EXPECT_THAT(r.at("time"), HasSubstr("+01:00")) << "clinic time, offset";
    if (!r.at("serial").empty()) {
      // Every unit row says which lot, expiry and place.
      EXPECT_FALSE(r.at("lot").empty()) << event << " row " << r.at("seq");
      EXPECT_FALSE(r.at("expiry").empty()) << event << " row " << r.at("seq");
      EXPECT_FALSE(r.at("location_id").empty())
          << event << " row " << r.at("seq");
      replay.stock[{r.at("gtin"), r.at("lot"), r.at("location_id")}] +=
          StockEffect(event);
    }
    if (event == "opened" || event == "drawn") {
      replay.uses[r.at("seq")] = {r.at("gtin"), r.at("lot"),
                                  r.at("session_id")};
    } else if (event == "voided") {
      EXPECT_TRUE(absl::StartsWith(r.at("reference"), "scan "));
      ApplyVoid(replay, r.at("reference").substr(5), std::nullopt);
    } else if (event == "returned") {
      // Follows its voided row; the unit is back where it was opened.
      EXPECT_TRUE(absl::StartsWith(r.at("reference"), "scan "));
      replay.stock[{r.at("gtin"), r.at("lot"), r.at("location_id")}] += 1;
    } else if (event == "quarantined" || event == "released" ||
               event == "recalled") {
      replay.status[{r.at("gtin"), r.at("lot")}] = event;
    }
  }
  return replay;
}

// ---- EPCIS ---------------------------------------------------------------

const Value& Get(const Value& object, const std::string& name) {
  static const Value kNull;
  const auto& fields = object.struct_value().fields();
  auto it = fields.find(name);
  return it == fields.end() ? kNull : it->second;
}

std::string Str(const Value& object, const std::string& name) {
  return Get(object, name).string_value();
}

std::string PlaceId(const std::string& uri) {
  const std::string prefix = "urn:smptrace:location:";
  EXPECT_TRUE(absl::StartsWith(uri, prefix)) << uri;
  return uri.substr(prefix.size());
}

// https://id.gs1.org/01/{gtin}/21/{serial} -> gtin.
std::string GtinOf(const std::string& sgtin) {
  std::vector<std::string> parts = absl::StrSplit(sgtin, '/');
  EXPECT_EQ(parts.size(), 7u) << sgtin;
  EXPECT_EQ(parts[5], "21") << sgtin;
  return parts.size() == 7 ? parts[4] : "";
}

Replay ReplayEpcis(const std::string& text) {
  Replay replay;
  Struct doc;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text, &doc).ok())
      << text;
  struct Unit {
    std::string gtin, lot, location;
    bool in_stock = false;
  };
  std::map<std::string, Unit> units;  // by EPC, from the ADD events' ilmd
  const auto& events = doc.fields()
                           .at("epcisBody")
                           .struct_value()
                           .fields()
                           .at("eventList")
                           .list_value()
                           .values();
  for (const Value& e : events) {
    EXPECT_EQ(Str(e, "type"), "ObjectEvent");
    EXPECT_EQ(Str(e, "eventTimeZoneOffset"), "+01:00");
    EXPECT_THAT(Str(e, "eventTime"), HasSubstr("+01:00"));
    const std::string action = Str(e, "action");
    const std::string step = Str(e, "bizStep");
    const std::string disposition = Str(e, "disposition");
    const std::string id = Str(e, "eventID");
    if (Get(e, "quantityList").has_list_value()) {  // a lot's status
      const std::string lgtin =
          Str(Get(e, "quantityList").list_value().values(0), "epcClass");
      std::vector<std::string> parts = absl::StrSplit(lgtin, '/');
      const LotKey lot{parts[4], parts[6]};
      replay.status[lot] = step == "holding" && disposition == "recalled"
                               ? "recalled"
                           : step == "holding" ? "quarantined"
                           : step == "inspecting" && disposition == "available"
                               ? "released"
                               : "?" + step + "/" + disposition;
      continue;
    }
    if (Get(e, "errorDeclaration").has_struct_value()) {
      // The voided event, repeated with its eventID: did_not_occur puts the
      // unit back in stock where it was; incorrect_data leaves it opened.
      const std::string reason = Str(Get(e, "errorDeclaration"), "reason");
      EXPECT_TRUE(reason == "did_not_occur" || reason == "incorrect_data")
          << reason;
      std::optional<StockKey> back;
      for (const Value& epc : Get(e, "epcList").list_value().values()) {
        Unit& u = units[epc.string_value()];
        if (reason == "did_not_occur") {
          u.in_stock = true;
          back = StockKey{u.gtin, u.lot, u.location};
        }
      }
      ApplyVoid(replay, id, back);
      continue;
    }
    const Value& ilmd = Get(e, "ilmd");
    for (const Value& epc_value : Get(e, "epcList").list_value().values()) {
      const std::string epc = epc_value.string_value();
      Unit& u = units[epc];
      if (action == "ADD") {
        u.gtin = GtinOf(epc);
        u.lot = Str(ilmd, "cbvmda:lotNumber");
        EXPECT_FALSE(Str(ilmd, "cbvmda:itemExpirationDate").empty()) << epc;
        u.location = PlaceId(Str(Get(e, "bizLocation"), "id"));
        u.in_stock = true;
        ++replay.stock[{u.gtin, u.lot, u.location}];
      }
      if (u.lot.empty()) {
        ADD_FAILURE() << epc << " appears before it was added";
        continue;
      }
      // Every unit event also names the unit's lot (LGTIN).
      EXPECT_TRUE(absl::EndsWith(Str(e, "smptrace:lot"), "/10/" + u.lot)) << id;
      if (action == "ADD") continue;
      const bool leaves = (action == "OBSERVE" &&
                           (step == "shipping" || step == "dispensing")) ||
                          action == "DELETE";
      if (leaves && u.in_stock) {
        u.in_stock = false;
        --replay.stock[{u.gtin, u.lot, u.location}];
      }
      if (action == "OBSERVE" && step == "receiving") {
        u.location = PlaceId(Str(Get(e, "bizLocation"), "id"));
        u.in_stock = true;
        ++replay.stock[{u.gtin, u.lot, u.location}];
      }
      if (step == "dispensing" && !Str(e, "smptrace:session").empty()) {
        replay.uses[id] = {u.gtin, u.lot, Str(e, "smptrace:session")};
      }
    }
  }
  return replay;
}

// ---- the clinic's history ------------------------------------------------

class ExportReplayTest : public testing::ClinicServerTest {
 protected:
  ExportReplayTest() {
    // Paris is at +01:00 in November: every export time must say so.
    EXPECT_TRUE(absl::LoadTimeZone("Europe/Paris", &clinic_options_.zone));
    clinic_options_.name = "Crown & Line SMP";
  }

  template <typename Request, typename Response, typename Rpc>
  Response Call(Rpc rpc, Request request) {
    clock_.Advance(absl::Minutes(7));
    Response out;
    grpc::ClientContext ctx;
    grpc::Status s = rpc(&ctx, request, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::ScanConsumableResponse Scan(const std::string& session,
                                  const std::string& barcode,
                                  bool damaged = false) {
    v1::ScanConsumableRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session);
    r.set_barcode(barcode);
    r.set_package_damaged(damaged);
    return Call<v1::ScanConsumableRequest, v1::ScanConsumableResponse>(
        [&](auto* c, auto& q, auto* o) {
          return sessions_->ScanConsumable(c, q, o);
        },
        r);
  }

  void Void(const std::string& session, uint64_t scan_seq,
            const std::string& reason, v1::VoidedPackage package) {
    v1::VoidScanRequest v;
    v.set_request_id(NextId());
    v.set_session_id(session);
    v.set_scan_seq(scan_seq);
    v.set_reason(reason);
    v.set_package(package);
    Call<v1::VoidScanRequest, v1::Session>(
        [&](auto* c, auto& q, auto* o) { return sessions_->VoidScan(c, q, o); },
        v);
  }

  void Dispose(const std::string& container, const std::string& barcode) {
    v1::DisposeRequest r;
    r.set_request_id(NextId());
    r.set_container_id(container);
    r.set_barcode(barcode);
    Call<v1::DisposeRequest, v1::DisposeResponse>(
        [&](auto* c, auto& q, auto* o) { return disposal_->Dispose(c, q, o); },
        r);
  }

  void Close(const std::string& session, const std::string& reason = "") {
    v1::CloseSessionRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session);
    r.set_undisposed_reason(reason);
    Call<v1::CloseSessionRequest, v1::Session>(
        [&](auto* c, auto& q, auto* o) {
          return sessions_->CloseSession(c, q, o);
        },
        r);
  }

  std::string Export(v1::ExportFormat format) {
    v1::ExportRequest r;
    r.set_format(format);
    grpc::ClientContext ctx;
    auto reader = audit_->Export(&ctx, r);
    v1::ExportChunk chunk;
    std::string out;
    while (reader->Read(&chunk)) out += chunk.data();
    EXPECT_TRUE(reader->Finish().ok());
    return out;
  }

  // Scripts the history; returns the lots it used.
  std::vector<LotKey> ClinicHistory() {
    const std::string a = "CT-A", b = "CT-B", ink = "INK-7";
    auto cart = [&](const std::string& lot, const std::string& serial) {
      return Gs1Scan(kCartridge, lot == a ? "271231" : "280630", lot, serial);
    };
    auto bottle = [&](const std::string& serial) {
      return Gs1Scan(kPigment, "280101", ink, serial);
    };
    // Deliveries into the stock room.
    std::vector<std::string> delivery;
    for (int i = 1; i <= 6; ++i)
      delivery.push_back(cart(a, "A" + std::to_string(i)));
    for (int i = 1; i <= 3; ++i)
      delivery.push_back(cart(b, "B" + std::to_string(i)));
    delivery.push_back(bottle("P1"));
    delivery.push_back(bottle("P2"));
    EXPECT_TRUE(ReceiveScans(delivery).ok());
    // Into the treatment room.
    v1::TransferRequest move;
    move.set_request_id(NextId());
    move.set_from_location_id(store_);
    move.set_to_location_id(room_);
    for (const char* s : {"A1", "A2", "A3", "A4", "B1", "B2"}) {
      v1::UnitRef* u = move.add_units();
      u->set_gtin(kCartridge);
      u->set_serial(s);
    }
    v1::UnitRef* p = move.add_units();
    p->set_gtin(kPigment);
    p->set_serial("P1");
    move.set_note("morning restock");
    Call<v1::TransferRequest, v1::TransferResponse>(
        [&](auto* c, auto& q, auto* o) {
          return inventory_->Transfer(c, q, o);
        },
        move);

    RegisterClient("C1");
    RegisterClient("C2");
    v1::OpenContainerRequest open;
    open.set_request_id(NextId());
    open.set_location_id(room_);
    open.set_label("sharps 1");
    const std::string container =
        Call<v1::OpenContainerRequest, v1::Container>(
            [&](auto* c, auto& q, auto* o) {
              return disposal_->OpenContainer(c, q, o);
            },
            open)
            .container_id();

    // C1: A1 used, A2 scanned by mistake and voided (its package not
    // opened: back in stock), the pigment bottle opened and drawn from, A3's
    // package found damaged at the chair.
    s1_ = StartSessionFor("C1").session_id();
    Scan(s1_, cart(a, "A1"));
    Void(s1_, Scan(s1_, cart(a, "A2")).use().seq(), "scanned the wrong box",
         v1::VOIDED_PACKAGE_NOT_OPENED);
    Scan(s1_, bottle("P1"));
    EXPECT_TRUE(Scan(s1_, cart(a, "A3"), /*damaged=*/true).discarded());
    Dispose(container, cart(a, "A1"));
    Close(s1_, "voided unit set aside");

    // C2: B1 and A4, a draw from the open bottle, A2 (back in stock) used
    // after all, and B2 opened by mistake (voided, opened: disposed unused).
    s2_ = StartSessionFor("C2").session_id();
    Scan(s2_, cart(b, "B1"));
    Scan(s2_, bottle("P1"));
    Scan(s2_, cart(a, "A4"));
    Scan(s2_, cart(a, "A2"));
    Void(s2_, Scan(s2_, cart(b, "B2")).use().seq(), "opened the wrong size",
         v1::VOIDED_PACKAGE_OPENED);
    Dispose(container, cart(b, "B1"));
    Dispose(container, cart(a, "A4"));
    Dispose(container, cart(a, "A2"));
    Dispose(container, cart(b, "B2"));
    Close(s2_);

    // The stock room: a dropped cartridge, a damaged box, a stock count.
    v1::DiscardRequest dropped;
    dropped.set_request_id(NextId());
    dropped.add_barcodes(cart(a, "A5"));
    dropped.add_barcodes(cart(b, "B3"));
    dropped.set_reason(v1::DISCARD_REASON_OTHER);
    dropped.set_note("dropped on the floor");
    Call<v1::DiscardRequest, v1::DiscardResponse>(
        [&](auto* c, auto& q, auto* o) { return inventory_->Discard(c, q, o); },
        dropped);
    v1::AdjustStockRequest lost;
    lost.set_request_id(NextId());
    lost.set_gtin(kCartridge);
    lost.set_lot(a);
    lost.set_location_id(store_);
    lost.set_delta(-1);
    lost.set_reason("stock count: one short");
    Call<v1::AdjustStockRequest, v1::AdjustStockResponse>(
        [&](auto* c, auto& q, auto* o) {
          return inventory_->AdjustStock(c, q, o);
        },
        lost);
    v1::AdjustStockRequest found = lost;
    found.set_request_id(NextId());
    found.set_lot(b);
    found.set_location_id(room_);
    found.set_delta(+1);
    found.set_reason("stock count: one behind the chair");
    Call<v1::AdjustStockRequest, v1::AdjustStockResponse>(
        [&](auto* c, auto& q, auto* o) {
          return inventory_->AdjustStock(c, q, o);
        },
        found);

    // A hold and its release; then a recall notice for lot A.
    clock_.Advance(absl::Minutes(3));
    EXPECT_TRUE(SetLotStatus(kCartridge, b, v1::LOT_STATUS_QUARANTINED).ok());
    clock_.Advance(absl::Minutes(3));
    EXPECT_TRUE(SetLotStatus(kCartridge, b, v1::LOT_STATUS_RELEASED).ok());
    v1::OpenRecallCaseRequest recall;
    recall.set_request_id(NextId());
    recall.mutable_notice()->set_reference("FSN-2026-031");
    recall.mutable_notice()->set_text("sterile barrier may be breached");
    v1::LotRef* held = recall.add_lots();
    held->set_gtin(kCartridge);
    held->set_lot(a);
    Call<v1::OpenRecallCaseRequest, v1::RecallCase>(
        [&](auto* c, auto& q, auto* o) {
          return audit_->OpenRecallCase(c, q, o);
        },
        recall);
    return {{kCartridge, a}, {kCartridge, b}, {kPigment, ink}};
  }

  // What the API says: stock per lot and location (non-zero), lot statuses,
  // and each lot's lookback (sessions not voided).
  Replay FromApi(const std::vector<LotKey>& lots) {
    Replay api;
    for (const v1::StockLine& line : Stock("", "", /*include_empty=*/true)) {
      if (line.in_stock() != 0) {
        api.stock[{line.gtin(), line.lot(), line.location_id()}] =
            line.in_stock();
      }
      std::string status = v1::LotStatus_Name(line.lot_status());
      status = status == "LOT_STATUS_RECALLED"      ? "recalled"
               : status == "LOT_STATUS_QUARANTINED" ? "quarantined"
                                                    : "released";
      api.status[{line.gtin(), line.lot()}] = status;
    }
    int n = 0;
    for (const LotKey& lot : lots) {
      v1::TraceLotRequest r;
      r.set_gtin(lot.first);
      r.set_lot(lot.second);
      v1::TraceResponse trace;
      grpc::ClientContext ctx;
      EXPECT_TRUE(audit_->TraceLot(&ctx, r, &trace).ok());
      for (const v1::TracedSession& s : trace.sessions()) {
        if (!s.voided_only()) {
          api.uses[std::to_string(n++)] = {lot.first, lot.second,
                                           s.session_id()};
        }
      }
    }
    return api;
  }

  // A replay's lot statuses, defaulting to released, for the lots `api`
  // lists.
  static std::map<LotKey, std::string> Statuses(const Replay& replay,
                                                const Replay& api) {
    std::map<LotKey, std::string> out;
    for (const auto& [lot, status] : api.status) {
      auto it = replay.status.find(lot);
      out[lot] = it == replay.status.end() ? "released" : it->second;
    }
    return out;
  }

  void ExpectSameAsApi(const Replay& replay, const Replay& api,
                       const std::string& format) {
    SCOPED_TRACE(format);
    EXPECT_EQ(replay.NonZeroStock(), api.stock);
    EXPECT_EQ(replay.Lookback(), api.Lookback());
    EXPECT_EQ(Statuses(replay, api), api.status);
  }

  std::string s1_, s2_;
};

TEST_F(ExportReplayTest, EveryExportReplaysToTheApisStockStatusesAndLookback) {
  const std::vector<LotKey> lots = ClinicHistory();
  const Replay api = FromApi(lots);
  // The history itself, as the API tells it: C1 used lot A (its first use of A2
  // is void; A3 was discarded at the chair) and the ink, C2 lots A, B and ink.
  EXPECT_EQ(api.Lookback().at(lots[0]), (std::set<std::string>{s1_, s2_}));
  EXPECT_EQ(api.Lookback().at(lots[1]), (std::set<std::string>{s2_}));
  EXPECT_EQ(api.Lookback().at(lots[2]), (std::set<std::string>{s1_, s2_}));
  EXPECT_EQ(api.status.at(lots[0]), "recalled");
  EXPECT_EQ(api.status.at(lots[1]), "released");

  const std::string csv = Export(v1::EXPORT_FORMAT_CSV);
  ExpectSameAsApi(ReplayRows(ParseCsv(csv)), api, "CSV");
  ExpectSameAsApi(ReplayRows(ParseJsonLines(Export(v1::EXPORT_FORMAT_JSONL))),
                  api, "JSON lines");
  const std::string epcis = Export(v1::EXPORT_FORMAT_EPCIS);
  ExpectSameAsApi(ReplayEpcis(epcis), api, "EPCIS");

  // The void and the damaged package, as an inspector reads them.
  EXPECT_THAT(csv, HasSubstr(",voided," + kCartridge + ",CT-A,2027-12-31,A2," +
                             room_ + "," + s1_ + ",,scan "));
  EXPECT_THAT(csv, HasSubstr(",discarded," + kCartridge +
                             ",CT-A,2027-12-31,A3," + room_ + "," + s1_ +
                             ",,,DAMAGED: package damaged at the chair\r\n"));
  EXPECT_THAT(csv,
              HasSubstr(",returned," + kCartridge + ",CT-A,2027-12-31,A2," +
                        room_ + "," + s1_ + ",,scan "));
  EXPECT_THAT(epcis, HasSubstr("\"reason\":\"did_not_occur\""));
  EXPECT_THAT(epcis, HasSubstr("\"reason\":\"incorrect_data\""));
  EXPECT_THAT(epcis, HasSubstr("\"cbvmda:lotNumber\":\"CT-B\","
                               "\"cbvmda:itemExpirationDate\":\"2028-06-30\""));
  // No client data, not even the pseudonymous code.
  for (const std::string* text : {&csv, &epcis}) {
    EXPECT_EQ(text->find("Client C"), std::string::npos);
    EXPECT_EQ(text->find(",C1,"), std::string::npos);
  }
}

}  // namespace
}  // namespace smptrace::api
