#include "storage/keys.h"

#include <cassert>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/string_view.h"

namespace smptrace::storage::keys {
namespace {

constexpr char kEscape = '\x00';
constexpr char kEscapedZero = '\xff';
constexpr char kTerminator = '\x01';

std::string Tagged(uint8_t tag) {
  return std::string(1, static_cast<char>(tag));
}

absl::StatusOr<uint64_t> DecodeTaggedId(std::string_view key, uint8_t want,
                                        std::string_view what) {
  KeyReader r(key);
  uint8_t tag = 0;
  uint64_t id = 0;
  if (!r.ReadTag(&tag) || tag != want || !r.ReadUint64(&id) || !r.done()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a ", ToAbsl(what), " key"));
  }
  return id;
}

}  // namespace

void AppendUint64(std::string* out, uint64_t v) {
  const std::array<char, 8> bytes = EncodeUint64(v);
  out->append(bytes.data(), bytes.size());
}

std::array<char, 8> EncodeUint64(uint64_t v) {
  std::array<char, 8> bytes;
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<char>((v >> (56 - 8 * i)) & 0xff);
  }
  return bytes;
}

void AppendText(std::string* out, std::string_view s) {
  for (char c : s) {
    out->push_back(c);
    if (c == kEscape) out->push_back(kEscapedZero);
  }
  out->push_back(kEscape);
  out->push_back(kTerminator);
}

bool KeyReader::ReadTag(uint8_t* tag) {
  if (rest_.empty()) return false;
  *tag = static_cast<uint8_t>(rest_[0]);
  rest_.remove_prefix(1);
  return true;
}

bool KeyReader::ReadText(std::string* s) {
  std::string_view text;
  if (!ReadTextView(&text, s)) return false;
  if (text.data() != s->data()) s->assign(text.data(), text.size());
  return true;
}

bool KeyReader::ReadTextView(std::string_view* s, std::string* scratch) {
  size_t at = rest_.find(kEscape);
  if (at == std::string_view::npos || at + 1 >= rest_.size()) return false;
  if (rest_[at + 1] == kTerminator) {  // nothing escaped: the usual case
    *s = rest_.substr(0, at);
    rest_.remove_prefix(at + 2);
    return true;
  }
  scratch->clear();
  size_t from = 0;
  for (;;) {
    scratch->append(rest_.data() + from, at - from);
    if (rest_[at + 1] == kTerminator) break;
    if (rest_[at + 1] != kEscapedZero) return false;
    scratch->push_back(kEscape);
    from = at + 2;
    at = rest_.find(kEscape, from);
    if (at == std::string_view::npos || at + 1 >= rest_.size()) return false;
  }
  rest_.remove_prefix(at + 2);
  *s = *scratch;
  return true;
}

bool KeyReader::ReadFixed(size_t n, std::string* s) {
  if (rest_.size() < n) return false;
  s->assign(rest_.substr(0, n));
  rest_.remove_prefix(n);
  return true;
}

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    unsigned char last = static_cast<unsigned char>(end.back());
    if (last != 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

std::string FormatHistoryKey(uint64_t version) {
  std::string key(kFormatHistoryPrefix);
  AppendUint64(&key, version);
  return key;
}

std::string CosignaturePrefix(uint64_t size) {
  std::string key(kCosignaturePrefix);
  AppendUint64(&key, size);
  return key;
}

std::string CosignatureKey(uint64_t size, std::string_view key_id) {
  std::string key = CosignaturePrefix(size);
  key.append(key_id);
  return key;
}

std::string JournalKey(uint64_t seq) {
  std::string key;
  AppendUint64(&key, seq);
  return key;
}

absl::StatusOr<uint64_t> DecodeJournalKey(std::string_view key) {
  KeyReader r(key);
  uint64_t seq = 0;
  if (!r.ReadUint64(&seq) || !r.done()) {
    return absl::InvalidArgumentError(
        absl::StrCat("journal key has ", key.size(), " bytes, expected 8"));
  }
  return seq;
}

std::string ClientKeyKey(uint64_t client) {
  std::string key;
  AppendUint64(&key, client);
  return key;
}

std::string StatePrefix(StateTag tag) {
  return Tagged(static_cast<uint8_t>(tag));
}

std::string ProductKey(std::string_view gtin14) {
  assert(gtin14.size() == 14);
  std::string key = StatePrefix(StateTag::kProduct);
  key.append(gtin14);
  return key;
}

std::string ProductVersionKey(std::string_view gtin14, uint64_t version) {
  assert(gtin14.size() == 14);
  std::string key = StatePrefix(StateTag::kProductVersion);
  key.append(gtin14);
  AppendUint64(&key, version);
  return key;
}

absl::StatusOr<std::string> DecodeProductKey(std::string_view key) {
  KeyReader r(key);
  uint8_t tag = 0;
  std::string gtin;
  if (!r.ReadTag(&tag) || tag != static_cast<uint8_t>(StateTag::kProduct) ||
      !r.ReadFixed(14, &gtin) || !r.done()) {
    return absl::InvalidArgumentError("not a product key");
  }
  return gtin;
}

std::string SupplierKey(uint64_t supplier) {
  std::string key = StatePrefix(StateTag::kSupplier);
  AppendUint64(&key, supplier);
  return key;
}

std::string SupplierVersionKey(uint64_t supplier, uint64_t version) {
  std::string key = StatePrefix(StateTag::kSupplierVersion);
  AppendUint64(&key, supplier);
  AppendUint64(&key, version);
  return key;
}

absl::StatusOr<uint64_t> DecodeSupplierKey(std::string_view key) {
  return DecodeTaggedId(key, static_cast<uint8_t>(StateTag::kSupplier),
                        "supplier");
}

std::string LocationKey(uint64_t location) {
  std::string key = StatePrefix(StateTag::kLocation);
  AppendUint64(&key, location);
  return key;
}

std::string LocationVersionKey(uint64_t location, uint64_t version) {
  std::string key = StatePrefix(StateTag::kLocationVersion);
  AppendUint64(&key, location);
  AppendUint64(&key, version);
  return key;
}

absl::StatusOr<uint64_t> DecodeLocationKey(std::string_view key) {
  return DecodeTaggedId(key, static_cast<uint8_t>(StateTag::kLocation),
                        "location");
}

std::string IndexPrefix(IndexTag tag) {
  return Tagged(static_cast<uint8_t>(tag));
}

std::string LocationByParentPrefix(uint64_t parent) {
  std::string key = IndexPrefix(IndexTag::kLocationByParent);
  AppendUint64(&key, parent);
  return key;
}

std::string LocationByParentKey(uint64_t parent, uint64_t location) {
  std::string key = LocationByParentPrefix(parent);
  AppendUint64(&key, location);
  return key;
}

absl::StatusOr<uint64_t> DecodeLocationByParentKey(std::string_view key) {
  KeyReader r(key);
  uint8_t tag = 0;
  uint64_t parent = 0;
  uint64_t location = 0;
  if (!r.ReadTag(&tag) ||
      tag != static_cast<uint8_t>(IndexTag::kLocationByParent) ||
      !r.ReadUint64(&parent) || !r.ReadUint64(&location) || !r.done()) {
    return absl::InvalidArgumentError("not a location-by-parent key");
  }
  return location;
}

namespace {

std::string GtinTextKey(uint8_t tag, std::string_view gtin14,
                        std::string_view text) {
  assert(gtin14.size() == 14);
  std::string key = Tagged(tag);
  key.append(gtin14);
  AppendText(&key, text);
  return key;
}

// Reads the tag, checks it, then the GTIN-14.
bool ReadTagAndGtin(KeyReader& r, uint8_t want, std::string* gtin) {
  uint8_t tag = 0;
  return r.ReadTag(&tag) && tag == want && r.ReadFixed(14, gtin);
}

constexpr uint8_t Tag(StateTag t) { return static_cast<uint8_t>(t); }
constexpr uint8_t Tag(IndexTag t) { return static_cast<uint8_t>(t); }

}  // namespace

std::string LotKey(std::string_view gtin14, std::string_view lot) {
  return GtinTextKey(Tag(StateTag::kLot), gtin14, lot);
}

std::string LotPrefix(std::string_view gtin14) {
  assert(gtin14.size() == 14);
  std::string key = StatePrefix(StateTag::kLot);
  key.append(gtin14);
  return key;
}

absl::StatusOr<LotId> DecodeLotKey(std::string_view key) {
  KeyReader r(key);
  LotId id;
  if (!ReadTagAndGtin(r, Tag(StateTag::kLot), &id.gtin) ||
      !r.ReadText(&id.lot) || !r.done()) {
    return absl::InvalidArgumentError("not a lot key");
  }
  return id;
}

std::string UnitKey(std::string_view gtin14, std::string_view serial) {
  return GtinTextKey(Tag(StateTag::kUnit), gtin14, serial);
}

std::string StockKey(std::string_view gtin14, std::string_view lot,
                     uint64_t location) {
  std::string key = StockPrefix(gtin14, lot);
  AppendUint64(&key, location);
  return key;
}

std::string StockPrefix(std::string_view gtin14) {
  assert(gtin14.size() == 14);
  std::string key = StatePrefix(StateTag::kStock);
  key.append(gtin14);
  return key;
}

std::string StockPrefix(std::string_view gtin14, std::string_view lot) {
  return GtinTextKey(Tag(StateTag::kStock), gtin14, lot);
}

absl::StatusOr<StockId> DecodeStockKey(std::string_view key) {
  KeyReader r(key);
  StockId id;
  if (!ReadTagAndGtin(r, Tag(StateTag::kStock), &id.gtin) ||
      !r.ReadText(&id.lot) || !r.ReadUint64(&id.location) || !r.done()) {
    return absl::InvalidArgumentError("not a stock key");
  }
  return id;
}

std::string MintedSerialKey() { return StatePrefix(StateTag::kMintedSerial); }

std::string ProductByHibcKey(std::string_view hibc_id) {
  std::string key = IndexPrefix(IndexTag::kProductByHibc);
  AppendText(&key, hibc_id);
  return key;
}

std::string UnitByLotKey(std::string_view gtin14, std::string_view lot,
                         std::string_view serial) {
  std::string key = UnitByLotPrefix(gtin14, lot);
  AppendText(&key, serial);
  return key;
}

std::string UnitByLotPrefix(std::string_view gtin14, std::string_view lot) {
  return GtinTextKey(Tag(IndexTag::kUnitByLot), gtin14, lot);
}

absl::StatusOr<std::string> DecodeUnitByLotKey(std::string_view key) {
  KeyReader r(key);
  std::string gtin, lot, serial;
  if (!ReadTagAndGtin(r, Tag(IndexTag::kUnitByLot), &gtin) ||
      !r.ReadText(&lot) || !r.ReadText(&serial) || !r.done()) {
    return absl::InvalidArgumentError("not a unit-by-lot key");
  }
  return serial;
}

std::string InStockKey(std::string_view gtin14, std::string_view lot,
                       uint64_t location, std::string_view serial) {
  std::string key = InStockPrefix(gtin14, lot, location);
  AppendText(&key, serial);
  return key;
}

std::string InStockPrefix(std::string_view gtin14, std::string_view lot,
                          uint64_t location) {
  std::string key = GtinTextKey(Tag(IndexTag::kInStock), gtin14, lot);
  AppendUint64(&key, location);
  return key;
}

std::string FirstInStockKey(std::string_view gtin14, std::string_view lot,
                            uint64_t location) {
  std::string key = GtinTextKey(Tag(IndexTag::kFirstInStock), gtin14, lot);
  AppendUint64(&key, location);
  return key;
}

absl::StatusOr<std::string> DecodeInStockKey(std::string_view key) {
  absl::StatusOr<InStockEntry> entry = DecodeInStockEntry(key);
  if (!entry.ok()) return entry.status();
  return std::move(entry->serial);
}

absl::StatusOr<InStockEntry> DecodeInStockEntry(std::string_view key) {
  KeyReader r(key);
  InStockEntry e;
  if (!ReadTagAndGtin(r, Tag(IndexTag::kInStock), &e.lot.gtin) ||
      !r.ReadText(&e.lot.lot) || !r.ReadUint64(&e.location) ||
      !r.ReadText(&e.serial) || !r.done()) {
    return absl::InvalidArgumentError("not an in-stock key");
  }
  return e;
}

std::string LotByExpiryKey(uint64_t expiry, std::string_view gtin14,
                           std::string_view lot) {
  assert(gtin14.size() == 14);
  std::string key = LotByExpiryFrom(expiry);
  key.append(gtin14);
  AppendText(&key, lot);
  return key;
}

std::string LotByExpiryFrom(uint64_t expiry) {
  std::string key = IndexPrefix(IndexTag::kLotByExpiry);
  AppendUint64(&key, expiry);
  return key;
}

absl::StatusOr<LotByExpiry> DecodeLotByExpiryKey(std::string_view key) {
  KeyReader r(key);
  uint8_t tag = 0;
  LotByExpiry out;
  if (!r.ReadTag(&tag) || tag != Tag(IndexTag::kLotByExpiry) ||
      !r.ReadUint64(&out.expiry) || !r.ReadFixed(14, &out.lot.gtin) ||
      !r.ReadText(&out.lot.lot) || !r.done()) {
    return absl::InvalidArgumentError("not a lot-by-expiry key");
  }
  return out;
}

std::string StockByLocationKey(uint64_t location, std::string_view gtin14,
                               uint64_t expiry, std::string_view lot) {
  std::string key = StockByLocationPrefix(location, gtin14);
  AppendUint64(&key, expiry);
  AppendText(&key, lot);
  return key;
}

std::string StockByLocationPrefix(uint64_t location) {
  std::string key = IndexPrefix(IndexTag::kStockByLocation);
  AppendUint64(&key, location);
  return key;
}

std::string StockByLocationPrefix(uint64_t location, std::string_view gtin14) {
  assert(gtin14.size() == 14);
  std::string key = StockByLocationPrefix(location);
  key.append(gtin14);
  return key;
}

absl::StatusOr<StockByLocation> DecodeStockByLocationKey(std::string_view key) {
  KeyReader r(key);
  uint8_t tag = 0;
  StockByLocation out;
  if (!r.ReadTag(&tag) || tag != Tag(IndexTag::kStockByLocation) ||
      !r.ReadUint64(&out.location) || !r.ReadFixed(14, &out.lot.gtin) ||
      !r.ReadUint64(&out.expiry) || !r.ReadText(&out.lot.lot) || !r.done()) {
    return absl::InvalidArgumentError("not a stock-by-location key");
  }
  return out;
}

std::string NumberedKey(StateTag tag, uint64_t n) {
  std::string key = StatePrefix(tag);
  AppendUint64(&key, n);
  return key;
}

absl::StatusOr<uint64_t> DecodeNumberedKey(StateTag tag, std::string_view key) {
  KeyReader r(key);
  uint8_t got = 0;
  uint64_t n = 0;
  if (!r.ReadTag(&got) || got != Tag(tag) || !r.ReadUint64(&n) || !r.done()) {
    return absl::InvalidArgumentError("not a numbered key of this tag");
  }
  return n;
}

std::string PrincipalKey(std::string_view name) {
  std::string key = StatePrefix(StateTag::kPrincipal);
  AppendText(&key, name);
  return key;
}

absl::StatusOr<std::string> DecodePrincipalKey(std::string_view key) {
  KeyReader r(key);
  uint8_t tag = 0;
  std::string name;
  if (!r.ReadTag(&tag) || tag != Tag(StateTag::kPrincipal) ||
      !r.ReadText(&name) || !r.done()) {
    return absl::InvalidArgumentError("not a principal key");
  }
  return name;
}

std::string PrincipalByCertificateKey(std::string_view common_name) {
  std::string key = IndexPrefix(IndexTag::kPrincipalByCertificate);
  AppendText(&key, common_name);
  return key;
}

std::string ClientByCodeKey(std::string_view code) {
  std::string key = IndexPrefix(IndexTag::kClientByCode);
  AppendText(&key, code);
  return key;
}

std::string SessionByClientPrefix(uint64_t client) {
  std::string key = IndexPrefix(IndexTag::kSessionByClient);
  AppendUint64(&key, client);
  return key;
}

std::string SessionByClientKey(uint64_t client, uint64_t session) {
  std::string key = SessionByClientPrefix(client);
  AppendUint64(&key, session);
  return key;
}

absl::StatusOr<uint64_t> DecodeSessionByClientKey(std::string_view key) {
  KeyReader r(key);
  uint8_t tag = 0;
  uint64_t client = 0, session = 0;
  if (!r.ReadTag(&tag) || tag != Tag(IndexTag::kSessionByClient) ||
      !r.ReadUint64(&client) || !r.ReadUint64(&session) || !r.done()) {
    return absl::InvalidArgumentError("not a session-by-client key");
  }
  return session;
}

std::string SessionByTimeKey(uint64_t started_micros, uint64_t session) {
  std::string key = SessionByTimeFrom(started_micros);
  AppendUint64(&key, session);
  return key;
}

std::string UnitInContainerPrefix(uint64_t container) {
  std::string key = IndexPrefix(IndexTag::kUnitInContainer);
  AppendUint64(&key, container);
  return key;
}

std::string UnitInContainerKey(uint64_t container, uint64_t seq) {
  std::string key = UnitInContainerPrefix(container);
  AppendUint64(&key, seq);
  return key;
}

std::string AwaitingDisposalPrefix(std::string_view gtin14,
                                   std::string_view lot, uint64_t location) {
  std::string key = GtinTextKey(Tag(IndexTag::kAwaitingDisposal), gtin14, lot);
  AppendUint64(&key, location);
  return key;
}

std::string AwaitingDisposalKey(std::string_view gtin14, std::string_view lot,
                                uint64_t location, std::string_view serial) {
  std::string key = AwaitingDisposalPrefix(gtin14, lot, location);
  AppendText(&key, serial);
  return key;
}

absl::StatusOr<std::string> DecodeAwaitingDisposalKey(std::string_view key) {
  KeyReader r(key);
  std::string gtin, lot, serial;
  uint64_t location = 0;
  if (!ReadTagAndGtin(r, Tag(IndexTag::kAwaitingDisposal), &gtin) ||
      !r.ReadText(&lot) || !r.ReadUint64(&location) || !r.ReadText(&serial) ||
      !r.done()) {
    return absl::InvalidArgumentError("not an awaiting-disposal key");
  }
  return serial;
}

std::string TimedKey(IndexTag tag, const TimedEntry& e) {
  std::string key = TimedFrom(tag, e.gtin, e.micros);
  AppendUint64(&key, e.seq);
  AppendUint64(&key, e.location);
  return key;
}

std::string TimedFrom(IndexTag tag, std::string_view gtin14, uint64_t micros) {
  assert(gtin14.size() == 14);
  std::string key = IndexPrefix(tag);
  key.append(gtin14);
  AppendUint64(&key, micros);
  return key;
}

absl::StatusOr<TimedEntry> DecodeTimedKey(IndexTag tag, std::string_view key) {
  KeyReader r(key);
  TimedEntry e;
  if (!ReadTagAndGtin(r, Tag(tag), &e.gtin) || !r.ReadUint64(&e.micros) ||
      !r.ReadUint64(&e.seq) || !r.ReadUint64(&e.location) || !r.done()) {
    return absl::InvalidArgumentError("not a timed index key");
  }
  return e;
}

std::string ReorderPolicyKey(std::string_view gtin14, uint64_t location) {
  assert(gtin14.size() == 14);
  std::string key = StatePrefix(StateTag::kReorderPolicy);
  key.append(gtin14);
  AppendUint64(&key, location);
  return key;
}

std::string SessionByUnitPrefix(std::string_view gtin14,
                                std::string_view serial) {
  return GtinTextKey(Tag(IndexTag::kSessionByUnit), gtin14, serial);
}

std::string SessionByUnitKey(std::string_view gtin14, std::string_view serial,
                             uint64_t session) {
  std::string key = SessionByUnitPrefix(gtin14, serial);
  AppendUint64(&key, session);
  return key;
}

absl::StatusOr<uint64_t> DecodeSessionByUnitKey(std::string_view key) {
  KeyReader r(key);
  std::string gtin, serial;
  uint64_t session = 0;
  if (!ReadTagAndGtin(r, Tag(IndexTag::kSessionByUnit), &gtin) ||
      !r.ReadText(&serial) || !r.ReadUint64(&session) || !r.done()) {
    return absl::InvalidArgumentError("not a session-by-unit key");
  }
  return session;
}

std::string LotTracePrefix(std::string_view gtin14, std::string_view lot) {
  return GtinTextKey(Tag(IndexTag::kLotTrace), gtin14, lot);
}

std::string LotTraceKey(std::string_view gtin14, std::string_view lot,
                        std::string_view serial, uint64_t session) {
  std::string key = LotTracePrefix(gtin14, lot);
  AppendText(&key, serial);
  AppendUint64(&key, session);
  return key;
}

absl::StatusOr<LotTraceEntry> DecodeLotTraceKey(std::string_view prefix,
                                                std::string_view key,
                                                std::string* scratch) {
  LotTraceEntry entry;
  if (key.substr(0, prefix.size()) != prefix || prefix.empty() ||
      static_cast<uint8_t>(prefix[0]) != Tag(IndexTag::kLotTrace)) {
    return absl::InvalidArgumentError("not a lot-trace key of this lot");
  }
  KeyReader r(key.substr(prefix.size()));
  if (!r.ReadTextView(&entry.serial, scratch) ||
      !r.ReadUint64(&entry.session) || !r.done()) {
    return absl::InvalidArgumentError("not a lot-trace key");
  }
  return entry;
}

std::string ClientReadPrefix(uint64_t client) {
  std::string key = IndexPrefix(IndexTag::kClientRead);
  AppendUint64(&key, client);
  return key;
}

std::string ClientReadKey(uint64_t client, uint64_t seq) {
  std::string key = ClientReadPrefix(client);
  AppendUint64(&key, seq);
  return key;
}

absl::StatusOr<ClientReadEntry> DecodeClientReadEntry(std::string_view key) {
  KeyReader r(key);
  uint8_t tag = 0;
  ClientReadEntry entry;
  if (!r.ReadTag(&tag) || tag != Tag(IndexTag::kClientRead) ||
      !r.ReadUint64(&entry.client) || !r.ReadUint64(&entry.seq) || !r.done()) {
    return absl::InvalidArgumentError("not a client-read key");
  }
  return entry;
}

absl::StatusOr<uint64_t> DecodeClientReadKey(std::string_view key) {
  auto entry = DecodeClientReadEntry(key);
  if (!entry.ok()) return entry.status();
  return entry->seq;
}

std::string SessionByTimeFrom(uint64_t micros) {
  std::string key = IndexPrefix(IndexTag::kSessionByTime);
  AppendUint64(&key, micros);
  return key;
}

absl::StatusOr<uint64_t> DecodeSessionByTimeKey(std::string_view key) {
  KeyReader r(key);
  uint8_t tag = 0;
  uint64_t micros = 0, session = 0;
  if (!r.ReadTag(&tag) || tag != Tag(IndexTag::kSessionByTime) ||
      !r.ReadUint64(&micros) || !r.ReadUint64(&session) || !r.done()) {
    return absl::InvalidArgumentError("not a session-by-time key");
  }
  return session;
}

}  // namespace smptrace::storage::keys
