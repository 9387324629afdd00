#include "service/ledger/recalls/trace_rows.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

// Row layouts (big-endian integers; the last text runs to the end):
//   unit: version:u8=1 state:u8 adjusted_in:u8 received_micros:i64
//         location_len:u16 location reference
//   use:  version:u8=1 client:u64 started_seconds:i64 started_nanos:i32
//         status:u8 uses:u16 voided:u8[uses] location_len:u16 location
//         client_code
constexpr uint8_t kRowVersion = 1;

void AppendFixed(std::string& out, uint64_t v, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void AppendShortText(std::string& out, std::string_view s) {
  const size_t n = std::min<size_t>(s.size(), 0xffff);
  AppendFixed(out, n, 2);
  out.append(s.substr(0, n));
}

// Reads a row front to back; each Read returns false past the end.
class RowReader {
 public:
  explicit RowReader(std::string_view row) : rest_(row) {}
  template <int kBytes>
  bool Fixed(uint64_t* v) {
    if (rest_.size() < static_cast<size_t>(kBytes)) return false;
    *v = keys::LoadBigEndian<kBytes>(rest_.data());
    rest_.remove_prefix(kBytes);
    return true;
  }
  bool Bytes(size_t n, std::string_view* s) {
    if (rest_.size() < n) return false;
    *s = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  bool ShortText(std::string_view* s) {
    uint64_t n = 0;
    return Fixed<2>(&n) && Bytes(n, s);
  }
  std::string_view Rest() {
    std::string_view r = rest_;
    rest_ = {};
    return r;
  }

 private:
  std::string_view rest_;
};

absl::Status BadRow(std::string_view what) {
  return absl::DataLossError(
      absl::StrCat("lookback index: a ", ToAbsl(what), " row does not parse"));
}

}  // namespace

void PutTraceUnit(const v1::Unit& unit, storage::WriteTxn& txn) {
  std::string row;
  row.push_back(static_cast<char>(kRowVersion));
  row.push_back(static_cast<char>(unit.state()));
  row.push_back(static_cast<char>(unit.adjusted_in() ? 1 : 0));
  AppendFixed(
      row,
      static_cast<uint64_t>(absl::ToUnixMicros(FromProto(unit.received_at()))),
      8);
  AppendShortText(row, unit.received_location_id());
  row.append(unit.adjusted_in() ? unit.adjustment_reason()
                                : unit.po_reference());
  txn.Put(Cf::kIndex,
          keys::LotTraceKey(unit.gtin(), unit.lot(), unit.serial(), 0), row);
}

absl::Status PutTraceUses(const v1::Session& s, storage::WriteTxn& txn,
                          std::string_view gtin, std::string_view serial) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t number,
      domain::ParseId(IdKind::kSession, s.session_id(), "session_id"));
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t client,
      domain::ParseId(IdKind::kClient, s.client_id(), "client_id"));
  std::string head;
  head.push_back(static_cast<char>(kRowVersion));
  AppendFixed(head, client, 8);
  AppendFixed(head, static_cast<uint64_t>(s.started_at().seconds()), 8);
  AppendFixed(head, static_cast<uint32_t>(s.started_at().nanos()), 4);
  head.push_back(static_cast<char>(s.status()));
  std::string tail;
  AppendShortText(tail, s.location_id());
  tail.append(s.client_code());
  // Each unit once, with the voided flags of all its uses in scan order.
  const auto& uses = s.consumables();
  for (int i = 0; i < uses.size(); ++i) {
    const v1::ConsumableUse& u = uses[i];
    if (!gtin.empty() && (u.gtin() != gtin || u.serial() != serial)) continue;
    bool seen = false;
    for (int j = 0; j < i && !seen; ++j) {
      seen = uses[j].gtin() == u.gtin() && uses[j].serial() == u.serial();
    }
    if (seen) continue;
    std::string voided;
    for (int j = i; j < uses.size(); ++j) {
      if (uses[j].gtin() == u.gtin() && uses[j].serial() == u.serial()) {
        voided.push_back(uses[j].voided() ? 1 : 0);
      }
    }
    std::string row = head;
    AppendFixed(row, voided.size(), 2);
    row += voided;
    row += tail;
    txn.Put(Cf::kIndex,
            keys::LotTraceKey(u.gtin(), u.lot(), u.serial(), number), row);
  }
  return absl::OkStatus();
}

absl::StatusOr<TraceUnitRow> DecodeTraceUnitRow(std::string_view bytes) {
  RowReader r(bytes);
  uint64_t version = 0, state = 0, adjusted = 0, micros = 0;
  TraceUnitRow row;
  if (!r.Fixed<1>(&version) || version != kRowVersion || !r.Fixed<1>(&state) ||
      !r.Fixed<1>(&adjusted) || !r.Fixed<8>(&micros) ||
      !r.ShortText(&row.received_location_id)) {
    return BadRow("unit");
  }
  row.state = static_cast<v1::UnitState>(state);
  row.adjusted_in = adjusted != 0;
  row.received_micros = static_cast<int64_t>(micros);
  row.reference = r.Rest();
  return row;
}

absl::StatusOr<TraceUseRow> DecodeTraceUseRow(std::string_view bytes) {
  RowReader r(bytes);
  uint64_t version = 0, client = 0, seconds = 0, nanos = 0, status = 0,
           uses = 0;
  TraceUseRow row;
  if (!r.Fixed<1>(&version) || version != kRowVersion || !r.Fixed<8>(&client) ||
      !r.Fixed<8>(&seconds) || !r.Fixed<4>(&nanos) || !r.Fixed<1>(&status) ||
      !r.Fixed<2>(&uses) || !r.Bytes(uses, &row.voided) ||
      !r.ShortText(&row.location_id)) {
    return BadRow("use");
  }
  row.client = client;
  row.started_seconds = static_cast<int64_t>(seconds);
  row.started_nanos = static_cast<int32_t>(static_cast<uint32_t>(nanos));
  row.status = static_cast<v1::SessionStatus>(status);
  row.client_code = r.Rest();
  return row;
}

absl::Status EnsureLotTraceIndex(storage::Store& store, int chunk) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto built, store.live().Get(Cf::kMeta, keys::kLotTraceBuiltKey));
  if (built.has_value()) return absl::OkStatus();
  auto snapshot = store.NewSnapshot();
  std::unique_ptr<storage::WriteTxn> txn = store.BeginWrite();
  auto flush = [&]() -> absl::Status {
    if (txn->Count() < chunk) return absl::OkStatus();
    SMPTRACE_RETURN_IF_ERROR(store.Commit(*txn, /*sync=*/false));
    txn = store.BeginWrite();
    return absl::OkStatus();
  };
  // Rows left by an earlier build of the index (its record removed to have
  // it built again) go first.
  const std::string rows = keys::IndexPrefix(keys::IndexTag::kLotTrace);
  SMPTRACE_RETURN_IF_ERROR(snapshot->Scan(
      Cf::kIndex, rows, keys::PrefixEnd(rows),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        txn->Delete(Cf::kIndex, key);
        SMPTRACE_RETURN_IF_ERROR(flush());
        return true;
      }));
  for (const auto& kind : {std::pair{keys::StateTag::kUnit, "unit"},
                           std::pair{keys::StateTag::kSession, "session"}}) {
    // Named, not a structured binding: C++17 lambdas cannot capture those.
    const keys::StateTag tag = kind.first;
    const char* const what = kind.second;
    const std::string prefix = keys::StatePrefix(tag);
    SMPTRACE_RETURN_IF_ERROR(snapshot->Scan(
        Cf::kState, prefix, keys::PrefixEnd(prefix),
        [&](std::string_view, std::string_view value) -> absl::StatusOr<bool> {
          if (tag == keys::StateTag::kUnit) {
            v1::Unit unit;
            SMPTRACE_RETURN_IF_ERROR(ParseRecord(value, what, &unit));
            PutTraceUnit(unit, *txn);
          } else {
            v1::Session session;
            SMPTRACE_RETURN_IF_ERROR(ParseRecord(value, what, &session));
            SMPTRACE_RETURN_IF_ERROR(PutTraceUses(session, *txn));
          }
          SMPTRACE_RETURN_IF_ERROR(flush());
          return true;
        }));
  }
  txn->Put(Cf::kMeta, keys::kLotTraceBuiltKey, "1");
  return store.Commit(*txn, /*sync=*/true);
}

}  // namespace smptrace::ledger
