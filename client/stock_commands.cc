#include "client/stock_commands.h"

#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/catalog_commands.h"
#include "client/output.h"
#include "client/scan_input.h"
#include "smptrace/v1/inventory.grpc.pb.h"

namespace smptrace::client {
namespace {

using Stub = v1::InventoryService::Stub;

std::string StatusName(v1::LotStatus s) {
  return ShortEnumName(v1::LotStatus_Name(s), "LOT_STATUS_");
}

const std::map<std::string, v1::DiscardReason>& DiscardReasons() {
  static const auto* m = new std::map<std::string, v1::DiscardReason>{
      {"damaged", v1::DISCARD_REASON_DAMAGED},
      {"expired", v1::DISCARD_REASON_EXPIRED},
      {"recalled", v1::DISCARD_REASON_RECALLED},
      {"other", v1::DISCARD_REASON_OTHER},
  };
  return *m;
}

// "GTIN:SERIAL" -> UnitRef; false if malformed.
bool ParseUnitRef(const std::string& text, v1::UnitRef* out) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return false;
  }
  out->set_gtin(text.substr(0, colon));
  out->set_serial(text.substr(colon + 1));
  return true;
}

// Writes `bytes` to `path`; reports failure.
bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out.flush()) {
    std::cerr << "error: cannot write " << path << "\n";
    return false;
  }
  return true;
}

v1::LabelFormat FormatFor(const std::string& path, const std::string& format) {
  const std::string f = absl::AsciiStrToLower(format.empty() ? path : format);
  return absl::EndsWith(f, "png") ? v1::LABEL_FORMAT_PNG : v1::LABEL_FORMAT_PDF;
}

// Fetches labels for `request` and writes them to `path`; exit code.
int WriteLabels(const Connection& conn, Stub& stub,
                v1::PrintLabelsRequest request, const std::string& path,
                const std::string& format) {
  request.set_format(FormatFor(path, format));
  v1::PrintLabelsResponse out;
  grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
    return stub.PrintLabels(ctx, request, &out);
  });
  if (!s.ok()) return ReportError(s);
  if (!WriteFile(path, out.content())) return 1;
  if (conn.options().json) {
    std::cout << "{\"labels\":{\"count\":" << out.label_count()
              << ",\"path\":" << JsonString(path)
              << ",\"content_type\":" << JsonString(out.content_type())
              << "}}\n";
  } else {
    std::cout << out.label_count() << " labels written to " << path << " ("
              << out.content_type() << ")\n";
  }
  return 0;
}

void PrintStockTable(const std::vector<v1::StockLine>& lines,
                     bool with_totals) {
  Table table({"GTIN", "PRODUCT", "LOT", "EXPIRES", "LOCATION", "STATUS",
               "IN STOCK", "USABLE", "EXPIRED", "QUARANTINED", "RECALLED"});
  v1::StockLine total;
  for (const auto& l : lines) {
    table.AddRow({l.gtin(), l.product_name(), l.lot(), FormatDay(l.expiry()),
                  l.location_id().empty()
                      ? "-"
                      : absl::StrCat(l.location_id(), " ", l.location_name()),
                  l.lot_status() == v1::LOT_STATUS_UNSPECIFIED
                      ? "-"
                      : StatusName(l.lot_status()),
                  absl::StrCat(l.in_stock()), absl::StrCat(l.usable()),
                  absl::StrCat(l.expired()), absl::StrCat(l.quarantined()),
                  absl::StrCat(l.recalled())});
    total.set_in_stock(total.in_stock() + l.in_stock());
    total.set_usable(total.usable() + l.usable());
    total.set_expired(total.expired() + l.expired());
    total.set_quarantined(total.quarantined() + l.quarantined());
    total.set_recalled(total.recalled() + l.recalled());
  }
  if (with_totals) {
    table.AddRow({"TOTAL", "", "", "", "", "", absl::StrCat(total.in_stock()),
                  absl::StrCat(total.usable()), absl::StrCat(total.expired()),
                  absl::StrCat(total.quarantined()),
                  absl::StrCat(total.recalled())});
  }
  table.Print(std::cout);
}

// Sums lines by product, lot or location.
std::vector<v1::StockLine> Aggregate(const std::vector<v1::StockLine>& lines,
                                     const std::string& by) {
  std::map<std::string, v1::StockLine> groups;
  for (const auto& l : lines) {
    std::string key = by == "product" ? l.gtin()
                      : by == "lot"   ? l.gtin() + "\x1f" + l.lot()
                                      : l.location_id();
    v1::StockLine& g = groups[key];
    if (g.gtin().empty() && g.location_id().empty()) {
      if (by != "location") {
        g.set_gtin(l.gtin());
        g.set_product_name(l.product_name());
      }
      if (by == "lot") {
        g.set_lot(l.lot());
        *g.mutable_expiry() = l.expiry();
        g.set_lot_status(l.lot_status());
      }
      if (by == "location") {
        g.set_location_id(l.location_id());
        g.set_location_name(l.location_name());
      }
    }
    g.set_in_stock(g.in_stock() + l.in_stock());
    g.set_usable(g.usable() + l.usable());
    g.set_expired(g.expired() + l.expired());
    g.set_quarantined(g.quarantined() + l.quarantined());
    g.set_recalled(g.recalled() + l.recalled());
  }
  std::vector<v1::StockLine> out;
  for (auto& [key, line] : groups) out.push_back(line);
  return out;
}

// ---- receive ---------------------------------------------------------------

struct ReceiveFlags {
  std::string location, po, po_note, supplier, expiry, production_date;
  std::string method, batch, labels;
  bool accept_expired = false;
};

// A line typed instead of scanned: "GTIN LOT [QTY]".
bool ParseTypedLine(const std::string& line, v1::ReceiveLine* out) {
  std::vector<std::string> parts =
      absl::StrSplit(line, ' ', absl::SkipWhitespace());
  if (parts.size() < 2 || parts.size() > 3) return false;
  const std::string& gtin = parts[0];
  if (gtin.size() != 8 && gtin.size() != 12 && gtin.size() != 13 &&
      gtin.size() != 14) {
    return false;
  }
  for (char c : gtin) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  int qty = 1;
  if (parts.size() == 3 && !absl::SimpleAtoi(parts[2], &qty)) return false;
  out->set_gtin(gtin);
  out->set_lot(parts[1]);
  out->set_quantity(qty);
  return true;
}

// The end of a receive loop for a person: the tally, then units received per
// product and lot.
void PrintReceiveTally(const ScanTally& tally,
                       const std::map<std::string, int64_t>& units) {
  std::cout << "\n"
            << tally.accepted + tally.refused + tally.unknown + tally.not_sent
            << " scans: " << tally.accepted << " received, " << tally.refused
            << " refused";
  if (tally.unknown > 0) {
    std::cout << ", " << tally.unknown
              << " outcome unknown (see above: do not scan it again)";
  }
  if (tally.not_sent > 0) {
    std::cout << ", " << tally.not_sent
              << " not sent (server unreachable: scan them again)";
  }
  std::cout << "\n";
  if (!units.empty()) {
    Table table({"PRODUCT · LOT", "UNITS"});
    for (const auto& [what, n] : units) table.AddRow({what, absl::StrCat(n)});
    table.Print(std::cout);
  }
}

void AddReceive(CLI::App& app, const std::function<Connection()>& connect,
                int* exit_code) {
  auto* cmd = app.add_subcommand(
      "receive",
      "receive a delivery: scan each label (one line per barcode on stdin; "
      "EOF or an empty line ends). Typed lines 'GTIN LOT [QTY]' work too. "
      "After an HIBC primary symbol, scan its secondary symbol.");
  auto f = std::make_shared<ReceiveFlags>();
  cmd->add_option("--location", f->location, "where the stock goes (LOC-...)")
      ->required();
  cmd->add_option("--po", f->po, "purchase order (PO-...) or other reference");
  cmd->add_option("--po-note", f->po_note,
                  "why this delivery differs from the order");
  cmd->add_option("--supplier", f->supplier, "supplier (SUP-...)");
  cmd->add_option("--expiry", f->expiry,
                  "YYYY-MM-DD for labels that carry no expiry");
  cmd->add_option("--production-date", f->production_date, "YYYY-MM-DD");
  cmd->add_option("--sterilization", f->method, "eo | gamma | e_beam | steam")
      ->transform(CLI::IsMember(SterilizationMethods(), CLI::ignore_case));
  cmd->add_option("--sterilization-batch", f->batch, "sterilisation batch");
  cmd->add_option("--labels", f->labels,
                  "write labels for the units smptrace serialised (.pdf/.png)");
  cmd->add_flag("--accept-expired", f->accept_expired,
                "receive lots that have already expired, to hold them "
                "(quarantined, never usable) for return to the supplier");
  cmd->callback([=] {
    v1::ReceiveLine defaults;
    std::string error;
    if (!f->expiry.empty() &&
        !ParseDate(f->expiry, "--expiry", defaults.mutable_expiry(), &error)) {
      std::cerr << "error: " << error << "\n";
      *exit_code = 2;
      return;
    }
    if (!f->production_date.empty() &&
        !ParseDate(f->production_date, "--production-date",
                   defaults.mutable_production_date(), &error)) {
      std::cerr << "error: " << error << "\n";
      *exit_code = 2;
      return;
    }
    if (!f->method.empty()) {
      defaults.mutable_sterilization()->set_method(
          SterilizationMethods().at(absl::AsciiStrToLower(f->method)));
    }
    defaults.mutable_sterilization()->set_batch(f->batch);

    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    std::map<std::string, int64_t> units;  // "product · lot" -> units
    std::vector<v1::UnitRef> minted;
    std::optional<std::string> held;  // an HIBC primary awaiting its secondary

    const ScanLoopOptions loop = StdinScanLoop(conn.options().json);
    const bool at_terminal = loop.person_at_terminal;
    auto send = [&](const std::string& barcode, const std::string& secondary) {
      v1::ReceiveRequest r;
      r.set_request_id(NewRequestId());
      r.set_location_id(f->location);
      r.set_po_reference(f->po);
      r.set_po_note(f->po_note);
      r.set_supplier_id(f->supplier);
      r.set_accept_expired(f->accept_expired);
      v1::ReceiveLine* line = r.add_lines();
      *line = defaults;
      if (!ParseTypedLine(barcode, line)) {
        line->set_barcode(barcode);
        line->set_secondary_barcode(secondary);
      }
      const std::string advice = UnknownOutcomeAdvice(
          at_terminal,
          absl::StrCat("do not scan it again (it would be received twice): "
                       "receive that barcode alone with --request_id ",
                       r.request_id(),
                       ", which answers as the first if it was recorded"));
      return SendScanRequest(
          conn, *stub, &v1::InventoryService::Stub::Receive, std::move(r),
          secondary.empty() ? barcode : barcode + "\n" + secondary, advice,
          [&](const v1::ReceiveResponse& out) {
            for (const auto& got : out.lines()) {
              units[got.product().name() + " · lot " + got.lot().lot()] +=
                  got.serials_size();
              if (got.serials_minted()) {
                for (const auto& serial : got.serials()) {
                  v1::UnitRef ref;
                  ref.set_gtin(got.lot().gtin());
                  ref.set_serial(serial);
                  minted.push_back(ref);
                }
              }
              if (!conn.options().json) {
                std::cout << "✔ " << got.serials_size() << " × "
                          << got.product().name() << " · lot "
                          << got.lot().lot() << " · exp "
                          << FormatDay(got.lot().expiry())
                          << (got.new_lot() ? " · new lot" : "")
                          << (got.serials_minted() ? " · needs labels" : "")
                          << (got.lot().status() == v1::LOT_STATUS_QUARANTINED
                                  ? " · quarantined: " +
                                        got.lot().status_reason()
                                  : "")
                          << std::endl;
                PrintOtherElements(got.other_elements());
              }
            }
          });
    };

    // ForEachScan's own tally counts lines; a held HIBC primary and its
    // secondary are one scan, so count the sends here (and their re-sends).
    ScanTally tally;
    std::function<ScanResult(ScanResult)> count = [&](ScanResult result) {
      if (result.outcome == ScanOutcome::kAccepted) ++tally.accepted;
      if (result.outcome == ScanOutcome::kRefused) ++tally.refused;
      if (result.resend) {
        result.resend = [&count, again = result.resend] {
          return count(again()).outcome;
        };
      }
      return result;
    };
    ScanTally lines = ForEachScan(
        std::cin,
        [&](const std::string& line) -> ScanResult {
          if (held.has_value()) {
            const std::string primary = *held;
            held.reset();
            if (absl::StartsWith(line, "+$")) return count(send(primary, line));
            ScanResult alone = count(send(primary, ""));
            if (alone.outcome == ScanOutcome::kUnknown ||
                alone.outcome == ScanOutcome::kNotSent) {
              return alone;
            }
          }
          if (absl::StartsWith(line, "+") && !absl::StartsWith(line, "+$")) {
            held = line;
            return ScanOutcome::kAccepted;
          }
          return count(send(line, ""));
        },
        loop);
    tally.not_sent = lines.not_sent;
    tally.unknown = lines.unknown;
    if (held.has_value() && tally.not_sent == 0 && tally.unknown == 0) {
      const ScanOutcome last = count(send(*held, "")).outcome;
      if (last == ScanOutcome::kUnknown) ++tally.unknown;
      if (last == ScanOutcome::kNotSent) ++tally.not_sent;
    }
    const bool unreachable = tally.not_sent > 0 || tally.unknown > 0;
    if (loop.json) {
      PrintTallyJson(tally);
    } else {
      PrintReceiveTally(tally, units);
    }
    int code = unreachable ? 3 : (tally.refused > 0 ? 1 : 0);
    if (!f->labels.empty() && !minted.empty()) {
      v1::PrintLabelsRequest labels;
      for (const auto& ref : minted) *labels.add_units() = ref;
      const int written = WriteLabels(conn, *stub, labels, f->labels, "");
      if (written != 0 && code == 0) code = written;
    }
    *exit_code = code;
  });
}

// ---- lot -------------------------------------------------------------------

void AddLot(CLI::App& app, const std::function<Connection()>& connect,
            int* exit_code) {
  auto* lot =
      app.add_subcommand("lot", "a lot: show, quarantine, release, recall");
  lot->require_subcommand(1);

  auto* show =
      lot->add_subcommand("show", "a lot, its stock and (--units) units");
  auto g = std::make_shared<v1::GetLotRequest>();
  show->add_option("gtin", *g->mutable_gtin(), "GTIN")->required();
  show->add_option("lot", *g->mutable_lot(), "lot as printed")->required();
  show->add_flag(
      "--units", [g](int64_t n) { g->set_include_units(n > 0); },
      "list the units");
  show->callback([=] {
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::GetLotResponse out;
    grpc::Status s = conn.Call(
        [&](grpc::ClientContext* ctx) { return stub->GetLot(ctx, *g, &out); });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
      *exit_code = 0;
      return;
    }
    const v1::Lot& l = out.lot();
    std::cout << out.product().name() << " · lot " << l.lot() << " · GTIN "
              << l.gtin() << "\n"
              << "status     " << StatusName(l.status())
              << (l.status_reason().empty() ? ""
                                            : " (" + l.status_reason() + ")")
              << "\n"
              << "expiry     " << FormatDay(l.expiry()) << " · produced "
              << FormatDay(l.production_date()) << "\n"
              << "sterile    "
              << ShortEnumName(
                     v1::SterilizationMethod_Name(l.sterilization().method()),
                     "STERILIZATION_METHOD_")
              << (l.sterilization().batch().empty()
                      ? ""
                      : " batch " + l.sterilization().batch())
              << "\n"
              << "received   " << l.received_quantity() << " units, first on "
              << FormatTime(l.first_received_at()) << "\n";
    if (l.status() == v1::LOT_STATUS_RECALLED) {
      std::cout << "recall     " << l.recall().reference() << " of "
                << FormatDay(l.recall().notice_date()) << ": "
                << l.recall().text() << "\n";
    }
    std::cout << "\n";
    PrintStockTable({out.stock().begin(), out.stock().end()}, false);
    if (!out.units().empty()) {
      Table units({"SERIAL", "STATE", "LOCATION", "SESSION", "CONTAINER"});
      for (const auto& u : out.units()) {
        units.AddRow(
            {u.serial() + (u.serial_minted() ? " (minted)" : ""),
             ShortEnumName(v1::UnitState_Name(u.state()), "UNIT_STATE_"),
             u.location_id(), u.session_id().empty() ? "-" : u.session_id(),
             u.container_id().empty() ? "-" : u.container_id()});
      }
      std::cout << "\n";
      units.Print(std::cout);
    }
    *exit_code = 0;
  });

  auto status_command = [&](const std::string& name, const std::string& help,
                            v1::LotStatus status) {
    auto* cmd = lot->add_subcommand(name, help);
    auto r = std::make_shared<v1::SetLotStatusRequest>();
    r->set_status(status);
    cmd->add_option("gtin", *r->mutable_gtin(), "GTIN")->required();
    cmd->add_option("lot", *r->mutable_lot(), "lot as printed")->required();
    auto notice_date = std::make_shared<std::string>();
    if (status == v1::LOT_STATUS_RECALLED) {
      cmd->add_option("--notice", *r->mutable_recall()->mutable_reference(),
                      "the notice's reference")
          ->required();
      cmd->add_option("--text", *r->mutable_recall()->mutable_text(),
                      "the notice's text")
          ->required();
      cmd->add_option("--notice-date", *notice_date,
                      "YYYY-MM-DD (default today)");
      cmd->add_option("--reason", *r->mutable_reason(), "a note");
    } else {
      cmd->add_option("--reason", *r->mutable_reason(), "why")->required();
    }
    // One callback: CLI11's callback() and final_callback() set the same
    // hook, so a second one would silently drop the date check.
    cmd->callback([=] {
      std::string error;
      if (!notice_date->empty() &&
          !ParseDate(*notice_date, "--notice-date",
                     r->mutable_recall()->mutable_notice_date(), &error)) {
        std::cerr << "error: " << error << "\n";
        *exit_code = 2;
        return;
      }
      r->set_request_id(NewRequestId());
      Connection conn = connect();
      auto stub = v1::InventoryService::NewStub(conn.channel());
      v1::Lot out;
      grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
        return stub->SetLotStatus(ctx, *r, &out);
      });
      if (!s.ok()) {
        *exit_code = ReportError(s);
        return;
      }
      if (conn.options().json) {
        std::cout << ToJson(out) << "\n";
      } else {
        std::cout << "lot " << out.lot() << " of " << out.gtin() << " is now "
                  << StatusName(out.status()) << "\n";
      }
      *exit_code = 0;
    });
  };
  status_command("quarantine", "put a lot on hold", v1::LOT_STATUS_QUARANTINED);
  status_command("release", "release a quarantined lot",
                 v1::LOT_STATUS_RELEASED);
  status_command("recall", "record a recall notice for a lot (final)",
                 v1::LOT_STATUS_RECALLED);
}

// ---- stock / expiring
// --------------------------------------------------------

void AddStockQueries(CLI::App& app, const std::function<Connection()>& connect,
                     int* exit_code) {
  auto* stock =
      app.add_subcommand("stock", "what is in stock, where, and usable");
  auto r = std::make_shared<v1::GetStockRequest>();
  auto by = std::make_shared<std::string>();
  stock->add_option("--gtin", *r->mutable_gtin(), "only this product");
  stock->add_option("--lot", *r->mutable_lot(), "only this lot (with --gtin)");
  stock->add_option("--location", *r->mutable_location_id(),
                    "only this location");
  stock->add_flag(
      "--all", [r](int64_t n) { r->set_include_empty(n > 0); },
      "also lots with nothing left");
  stock->add_option("--by", *by, "product | lot | location: sum by")
      ->check(CLI::IsMember({"product", "lot", "location"}));
  stock->callback([=] {
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    std::vector<v1::StockLine> lines;
    v1::GetStockRequest page = *r;
    page.mutable_page()->set_page_size(1000);
    do {
      v1::GetStockResponse out;
      grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
        return stub->GetStock(ctx, page, &out);
      });
      if (!s.ok()) {
        *exit_code = ReportError(s);
        return;
      }
      for (const auto& l : out.lines()) lines.push_back(l);
      page.mutable_page()->set_page_token(out.next_page_token());
    } while (!page.page().page_token().empty());
    if (!by->empty()) lines = Aggregate(lines, *by);
    if (conn.options().json) {
      for (const auto& l : lines) std::cout << ToJson(l) << "\n";
    } else {
      PrintStockTable(lines, true);
    }
    *exit_code = 0;
  });

  AddExpiringCommand(app, "expiring", connect, exit_code);
}

// ---- discard / adjust / transfer / unit / labels ---------------------------

void PrintUnits(const Connection& conn,
                const google::protobuf::RepeatedPtrField<v1::Unit>& units,
                const std::string& verb) {
  if (conn.options().json) {
    for (const auto& u : units) std::cout << ToJson(u) << "\n";
    return;
  }
  std::cout << units.size() << " unit(s) " << verb << "\n";
  Table table({"GTIN", "SERIAL", "LOT", "LOCATION", "STATE"});
  for (const auto& u : units) {
    table.AddRow({u.gtin(), u.serial(), u.lot(), u.location_id(),
                  ShortEnumName(v1::UnitState_Name(u.state()), "UNIT_STATE_")});
  }
  table.Print(std::cout);
}

void AddMovements(CLI::App& app, const std::function<Connection()>& connect,
                  int* exit_code) {
  // discard
  auto* discard = app.add_subcommand(
      "discard", "take units out of stock unused (damaged, expired, recalled)");
  auto d = std::make_shared<v1::DiscardRequest>();
  auto d_units = std::make_shared<std::vector<std::string>>();
  auto d_scan = std::make_shared<bool>(false);
  auto d_reason = std::make_shared<std::string>();
  discard->add_option("--unit", *d_units, "GTIN:SERIAL (repeatable)");
  discard->add_flag("--scan", *d_scan, "read unit barcodes from stdin");
  discard->add_option("--gtin", *d->mutable_gtin(), "or: GTIN ...");
  discard->add_option("--lot", *d->mutable_lot(), "... lot ...");
  discard->add_option("--location", *d->mutable_location_id(),
                      "... location ...");
  auto d_quantity = std::make_shared<int>(0);
  discard->add_option("--quantity", *d_quantity, "... and how many");
  discard
      ->add_option("--reason", *d_reason,
                   "damaged | expired | recalled | other")
      ->required()
      ->transform(CLI::IsMember(DiscardReasons(), CLI::ignore_case));
  discard->add_option("--note", *d->mutable_note(),
                      "details (required for other)");
  discard->callback([=] {
    for (const auto& text : *d_units) {
      if (!ParseUnitRef(text, d->add_units())) {
        std::cerr << "error: --unit: '" << text << "' is not GTIN:SERIAL\n";
        *exit_code = 2;
        return;
      }
    }
    if (*d_scan) {
      ForEachScan(
          std::cin,
          [&](const std::string& line) {
            d->add_barcodes(line);
            return ScanOutcome::kAccepted;
          },
          StdinScanLoop(false));
    }
    d->set_quantity(*d_quantity);
    d->set_reason(DiscardReasons().at(absl::AsciiStrToLower(*d_reason)));
    d->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::DiscardResponse out;
    grpc::Status s = conn.Call(
        [&](grpc::ClientContext* ctx) { return stub->Discard(ctx, *d, &out); });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    PrintUnits(conn, out.units(), "discarded");
    *exit_code = 0;
  });

  // adjust
  auto* adjust = app.add_subcommand(
      "adjust", "correct a lot's count at a location after a stock take");
  auto a = std::make_shared<v1::AdjustStockRequest>();
  auto a_labels = std::make_shared<std::string>();
  adjust->add_option("--gtin", *a->mutable_gtin(), "GTIN")->required();
  adjust->add_option("--lot", *a->mutable_lot(), "lot as printed")->required();
  adjust->add_option("--location", *a->mutable_location_id(), "LOC-...")
      ->required();
  auto delta = std::make_shared<int>(0);
  adjust->add_option("--delta", *delta, "units found (+) or missing (-)")
      ->required();
  adjust
      ->add_option("--reason", *a->mutable_reason(), "why the count was wrong")
      ->required();
  adjust->add_option("--labels", *a_labels,
                     "labels for added units (.pdf/.png)");
  adjust->callback([=] {
    a->set_delta(*delta);
    a->set_request_id(NewRequestId());
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::AdjustStockResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->AdjustStock(ctx, *a, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    PrintUnits(conn, out.units(),
               a->delta() > 0 ? "added" : "taken out as missing");
    if (!conn.options().json) {
      std::cout << "now " << out.stock().in_stock() << " in stock\n";
    }
    *exit_code = 0;
    if (!a_labels->empty() && a->delta() > 0) {
      v1::PrintLabelsRequest labels;
      for (const auto& u : out.units()) {
        v1::UnitRef* ref = labels.add_units();
        ref->set_gtin(u.gtin());
        ref->set_serial(u.serial());
      }
      *exit_code = WriteLabels(conn, *stub, labels, *a_labels, "");
    }
  });

  // transfer
  auto* transfer = app.add_subcommand(
      "transfer",
      "move units between locations: --scan the units that move (one "
      "barcode per line on stdin), name them (--barcode, --unit), or give "
      "--gtin --lot --quantity and let smptrace pick which units");
  auto t = std::make_shared<v1::TransferRequest>();
  auto t_units = std::make_shared<std::vector<std::string>>();
  auto t_barcodes = std::make_shared<std::vector<std::string>>();
  auto t_scan = std::make_shared<bool>(false);
  transfer->add_option("--from", *t->mutable_from_location_id(), "LOC-...")
      ->required();
  transfer->add_option("--to", *t->mutable_to_location_id(), "LOC-...")
      ->required();
  transfer->add_flag("--scan", *t_scan,
                     "scan each unit that moves: one barcode per line on "
                     "stdin, each moved at once");
  transfer->add_option("--barcode", *t_barcodes,
                       "a unit's barcode (repeatable; all move together)");
  transfer->add_option("--unit", *t_units, "GTIN:SERIAL (repeatable)");
  transfer->add_option("--gtin", *t->mutable_gtin(),
                       "or by count: GTIN ... (smptrace picks the units)");
  transfer->add_option("--lot", *t->mutable_lot(), "... lot ...");
  auto t_quantity = std::make_shared<int>(0);
  transfer->add_option("--quantity", *t_quantity, "... and how many");
  transfer->add_option("--note", *t->mutable_note(), "a note");
  transfer->callback([=] {
    for (const auto& text : *t_units) {
      if (!ParseUnitRef(text, t->add_units())) {
        std::cerr << "error: --unit: '" << text << "' is not GTIN:SERIAL\n";
        *exit_code = 2;
        return;
      }
    }
    for (const auto& barcode : *t_barcodes) t->add_barcodes(barcode);
    t->set_quantity(*t_quantity);
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    if (*t_scan) {
      if (t->units_size() > 0 || t->barcodes_size() > 0 || !t->gtin().empty() ||
          !t->lot().empty() || t->quantity() != 0) {
        std::cerr << "error: --scan: the scanned units are the ones that "
                     "move; leave out --barcode, --unit, --gtin, --lot and "
                     "--quantity\n";
        *exit_code = 2;
        return;
      }
      const ScanLoopOptions loop = StdinScanLoop(conn.options().json);
      const bool at_terminal = loop.person_at_terminal;
      auto send = [&](const std::string& line) {
        v1::TransferRequest r = *t;
        r.set_request_id(NewRequestId());
        r.add_barcodes(line);
        const std::string advice = UnknownOutcomeAdvice(
            at_terminal,
            absl::StrCat("transfer that barcode alone with --barcode and "
                         "--request_id ",
                         r.request_id(),
                         ": a repeat with the same request id answers as the "
                         "first"));
        return SendScanRequest(
            conn, *stub, &v1::InventoryService::Stub::Transfer, std::move(r),
            line, advice, [&conn](const v1::TransferResponse& out) {
              if (conn.options().json) {
                return;  // SendScanRequest printed it
              }
              for (const auto& u : out.units()) {
                std::cout << "✔ " << u.gtin() << " serial " << u.serial()
                          << " · lot " << u.lot() << " → " << u.location_id()
                          << std::endl;
              }
            });
      };
      *exit_code = ScanExitCode(ForEachScan(std::cin, send, loop), loop);
      return;
    }
    t->set_request_id(NewRequestId());
    v1::TransferResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->Transfer(ctx, *t, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    PrintUnits(conn, out.units(),
               t->quantity() != 0
                   ? "picked by smptrace and moved to " + t->to_location_id()
                   : "moved to " + t->to_location_id());
    *exit_code = 0;
  });

  // unit show
  auto* unit = app.add_subcommand("unit", "one unit");
  unit->require_subcommand(1);
  auto* show =
      unit->add_subcommand("show", "a unit by barcode or GTIN + serial");
  auto u = std::make_shared<v1::GetUnitRequest>();
  show->add_option("barcode", *u->mutable_barcode(), "its barcode");
  show->add_option("--gtin", *u->mutable_gtin(), "or: GTIN ...");
  show->add_option("--serial", *u->mutable_serial(), "... and serial");
  show->callback([=] {
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::Unit out;
    grpc::Status s = conn.Call(
        [&](grpc::ClientContext* ctx) { return stub->GetUnit(ctx, *u, &out); });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (conn.options().json) {
      std::cout << ToJson(out) << "\n";
    } else {
      std::cout << out.gtin() << " serial " << out.serial()
                << (out.serial_minted() ? " (minted)" : "") << " · lot "
                << out.lot() << " · "
                << ShortEnumName(v1::UnitState_Name(out.state()), "UNIT_STATE_")
                << " · " << out.location_id() << "\n";
      if (!out.session_id().empty()) {
        std::cout << "  opened " << FormatTime(out.opened_at()) << " in "
                  << out.session_id() << "\n";
      }
      if (!out.container_id().empty()) {
        std::cout << "  disposed " << FormatTime(out.disposed_at()) << " into "
                  << out.container_id() << "\n";
      }
    }
    *exit_code = 0;
  });

  // labels
  auto* labels = app.add_subcommand(
      "labels",
      "GS1 DataMatrix labels for a lot's units that smptrace serialised");
  auto l = std::make_shared<v1::PrintLabelsRequest>();
  auto out_path = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>();
  labels->add_option("--gtin", *l->mutable_gtin(), "GTIN")->required();
  labels->add_option("--lot", *l->mutable_lot(), "lot as printed")->required();
  labels->add_option("--location", *l->mutable_location_id(),
                     "only units here");
  labels->add_option("--format", *format, "pdf | png (default: from --out)")
      ->check(CLI::IsMember({"pdf", "png"}));
  labels->add_option("--out", *out_path, "file to write")->required();
  labels->callback([=] {
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    *exit_code = WriteLabels(conn, *stub, *l, *out_path, *format);
  });
}

}  // namespace

void AddExpiringCommand(CLI::App& parent, const std::string& name,
                        const std::function<Connection()>& connect,
                        int* exit_code) {
  auto* expiring = parent.add_subcommand(
      name, "lots in stock that expire within N days (and expired ones)");
  auto e = std::make_shared<v1::ListExpiringRequest>();
  auto days = std::make_shared<int>(30);
  expiring->add_option("--days", *days, "how far ahead")->capture_default_str();
  expiring->add_option("--location", *e->mutable_location_id(), "only here");
  expiring->callback([=] {
    e->set_days(*days);
    Connection conn = connect();
    auto stub = v1::InventoryService::NewStub(conn.channel());
    v1::ListExpiringResponse out;
    grpc::Status s = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->ListExpiring(ctx, *e, &out);
    });
    if (!s.ok()) {
      *exit_code = ReportError(s);
      return;
    }
    if (conn.options().json) {
      for (const auto& l : out.lines()) std::cout << ToJson(l) << "\n";
    } else {
      PrintStockTable({out.lines().begin(), out.lines().end()}, true);
    }
    *exit_code = 0;
  });
}

void AddStockCommands(CLI::App& app, const std::function<Connection()>& connect,
                      int* exit_code) {
  AddReceive(app, connect, exit_code);
  AddLot(app, connect, exit_code);
  AddStockQueries(app, connect, exit_code);
  AddMovements(app, connect, exit_code);
}

}  // namespace smptrace::client
