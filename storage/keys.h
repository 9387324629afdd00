// Every RocksDB key smptrace writes is built and taken apart here, and only
// here. Byte order of the encoded keys is the order scans return, so:
//   - integers are fixed-width big-endian (byte order == numeric order);
//   - free text (lot numbers exactly as printed, request ids) is escaped and
//     terminated, so "LOT1" never prefix-matches "LOT12" and text sorts
//     byte-wise: 0x00 -> 0x00 0xFF, end -> 0x00 0x01;
//   - fixed-width text (GTIN-14) is stored as is.
//
// Column families and their keys (tags are on disk: DO NOT CHANGE values):
//
//   cf       key                                         value
//   -------  ------------------------------------------  -------------------
//   journal  seq:u64                                     journal entry bytes
//   meta     "journal_head"                              head seq + hash
//   meta     "schema_version"                            u64
//   meta     "format_history/" version:u64               text (upgrades.h)
//   meta     "last_checkpoint"                           seq:u64 signed_at:u64
//                                                        (unix micros;
//                                                        signing.h)
//   meta     "rechain_statement"                         signed text
//   meta     "index_built/lot_trace"                     "1" once every
//                                                        unit and session
//                                                        has its index 0x11
//                                                        rows
//   meta     "index_built/first_in_stock"                "1" once index 0x12
//                                                        is complete
//   meta     "verified_through"                          seq:u64 hash (the
//                                                        last complete
//                                                        verification;
//                                                        journal.h)
//   meta     "cosignature/" size:u64 key_id:4             a witness's
//                                                        cosignature: time:u64
//                                                        signature:64, name
//                                                        (cosignature.h)
//   idem     request_id (raw bytes, the whole key)       IdempotencyRecord
//   client_keys client:u64                               the client's key,
//                                                        wrapped (client_
//                                                        keys.h)
//   state    0x01 gtin:14                                Product (current)
//   state    0x02 gtin:14 version:u64                    Product (that version)
//   state    0x03 supplier:u64                           Supplier (current)
//   state    0x04 supplier:u64 version:u64               Supplier (version)
//   state    0x05 location:u64                           Location (current)
//   state    0x06 location:u64 version:u64               Location (version)
//   state    0x07 gtin:14 lot:text                       Lot
//   state    0x08 gtin:14 serial:text                    Unit
//   state    0x09 gtin:14 lot:text location:u64          StockCounts
//   state    0x0A                                        last minted serial:u64
//   state    0x0B client:u64                             Client (no contact)
//   state    0x0C client:u64                             ClientContact
//   state    0x0D session:u64                            Session
//   state    0x0E container:u64                          Container
//   state    0x0F gtin:14 location:u64                   ReorderPolicy
//   state    0x10 po:u64                                 PurchaseOrder
//   state    0x11 case:u64                               RecallCase
//   state    0x12 name:text                              Principal
//   state    0x13 token:u64                              StoredToken
//   state    0x15 hold:u64                               LegalHold
//   state    0x16 client:u64                             ConsentRecorded (all
//                                                        the client's consents)
//   state    0x14 approval:u64 ScreeningOverrideApproval index    0x01
//   parent_location:u64 location:u64       "" (rooms of a clinic) index    0x02
//   hibc_id:text                           gtin (HIBC -> product) index    0x03
//   gtin:14 lot:text serial:text           "" (units of a lot) index    0x04
//   gtin:14 lot:text location:u64 serial:text
//                                                        "" (in-stock units)
//   index    0x05 expiry:u64 gtin:14 lot:text            "" (lots by expiry)
//   index    0x06 location:u64 gtin:14 expiry:u64 lot:text
//                                                        "" (stock at a
//                                                        location, FEFO)
//   index    0x07 code:text                              client:u64
//   index    0x08 client:u64 session:u64                 "" (a client's
//                                                        sessions)
//   index    0x09 started:u64 (unix micros) session:u64  "" (sessions by time)
//   index    0x0A container:u64 seq:u64                  gtin:14 serial
//                                                        (what is inside)
//   index    0x0B gtin:14 lot:text location:u64 serial:text
//                                                        "" (opened, not yet
//                                                        disposed)
//   index    0x0C gtin:14 micros:u64 seq:u64 location:u64
//                                                        "" (one unit used)
//   index    0x0D gtin:14 micros:u64 seq:u64 location:u64
//                                                        in-stock change:i64
//   index    0x0E gtin:14 serial:text session:u64        "" (sessions that
//                                                        used a unit)
//   index    0x0F client:u64 seq:u64                     "" (reads,
//                                                        exports and the
//                                                        erasure of a
//                                                        client's record)
//   index    0x10 certificate_cn:text                    principal name
//   index    0x11 gtin:14 lot:text serial:text session:u64
//                                                        the lookback's row:
//                                                        session 0 the unit
//                                                        (state, arrival),
//                                                        else one session's
//                                                        use of it
//                                                        (recalls/trace_rows.h)
//   index    0x12 gtin:14 lot:text location:u64          serial (raw): the
//                                                        first in-stock unit
//                                                        there (0x04 order)
//
// Dates in keys are yyyymmdd as a u64 (byte order == date order); a lot
// without expiry uses kNoExpiry so it sorts last.
#ifndef SMPTRACE_STORAGE_KEYS_H_
#define SMPTRACE_STORAGE_KEYS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace smptrace::storage::keys {

// ---- primitives ----------------------------------------------------------

// Appends `v` as 8 bytes big-endian.
void AppendUint64(std::string* out, uint64_t v);
// The same 8 bytes by value, for hot paths that hash or compare them
// without building a string.
std::array<char, 8> EncodeUint64(uint64_t v);

// The `kBytes` (1 to 8) bytes at `p` as a big-endian unsigned integer, in
// a few instructions (a lookback reads thousands). REQUIRES: `p` has
// kBytes readable bytes.
template <int kBytes>
uint64_t LoadBigEndian(const char* p) {
  static_assert(kBytes >= 1 && kBytes <= 8);
  uint64_t x = 0;
  // Unrolled, the compiler turns this into one load and a byte swap.
#pragma GCC unroll 8
  for (int i = 0; i < kBytes; ++i) x = (x << 8) | static_cast<uint8_t>(p[i]);
  return x;
}

// Appends `s` escaped and terminated (order-preserving, prefix-free).
void AppendText(std::string* out, std::string_view s);

// Reads a key front to back. Each Read* returns false (and consumes nothing
// useful) when the remaining bytes are not a well-formed field.
class KeyReader {
 public:
  explicit KeyReader(std::string_view key) : rest_(key) {}
  bool ReadTag(uint8_t* tag);
  bool ReadUint64(uint64_t* v) {
    if (rest_.size() < 8) return false;
    *v = LoadBigEndian<8>(rest_.data());
    rest_.remove_prefix(8);
    return true;
  }
  bool ReadText(std::string* s);
  // Like ReadText, without a copy: `*s` views the key when the text holds no
  // 0x00 byte (nothing to unescape), else `*scratch`, which it overwrites
  // with the text. Valid while the key's bytes and `*scratch` are.
  bool ReadTextView(std::string_view* s, std::string* scratch);
  bool ReadFixed(size_t n, std::string* s);
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// The smallest key greater than every key that starts with `prefix`; the
// empty string when there is none (prefix is all 0xFF). Use as a scan's
// exclusive upper bound.
std::string PrefixEnd(std::string_view prefix);

// ---- journal CF ----------------------------------------------------------

std::string JournalKey(uint64_t seq);
// InvalidArgument if `key` is not 8 bytes.
absl::StatusOr<uint64_t> DecodeJournalKey(std::string_view key);

// ---- meta CF -------------------------------------------------------------

inline constexpr std::string_view kJournalHeadKey = "journal_head";
inline constexpr std::string_view kSchemaVersionKey = "schema_version";
// The store's format history (format 2 on, storage/upgrades.h).
inline constexpr std::string_view kFormatHistoryPrefix = "format_history/";
std::string FormatHistoryKey(uint64_t version);
// The last checkpoint signed and handed out (storage/signing.h).
inline constexpr std::string_view kLastCheckpointKey = "last_checkpoint";
// The signed statement of the personal-data re-chain, once it ran
// (service/ledger/seal_existing.h).
inline constexpr std::string_view kRechainStatementKey = "rechain_statement";
// Present once the lookback's index (IndexTag::kLotTrace) covers every unit
// and session: stores written before it had none
// (service/ledger/recalls/trace_rows.h builds them on open).
inline constexpr std::string_view kLotTraceBuiltKey = "index_built/lot_trace";
// Present once IndexTag::kFirstInStock covers every lot and location with a
// unit in stock (service/ledger/stock/apply.h builds it on open).
inline constexpr std::string_view kFirstInStockBuiltKey =
    "index_built/first_in_stock";
// How far the last complete verification of the journal reached
// (storage/journal.h, ReadVerifiedMark).
inline constexpr std::string_view kVerifiedThroughKey = "verified_through";
// Witnesses' cosignatures of the log's checkpoints (storage/cosignature.h).
inline constexpr std::string_view kCosignaturePrefix = "cosignature/";
std::string CosignatureKey(uint64_t size, std::string_view key_id);
// The prefix of the cosignatures of the tree of `size` entries.
std::string CosignaturePrefix(uint64_t size);

// ---- client_keys CF ------------------------------------------------------

// The key of client number `client`'s wrapped key.
std::string ClientKeyKey(uint64_t client);

// ---- state CF ------------------------------------------------------------

// DO NOT CHANGE: on-disk values.
enum class StateTag : uint8_t {
  kProduct = 0x01,
  kProductVersion = 0x02,
  kSupplier = 0x03,
  kSupplierVersion = 0x04,
  kLocation = 0x05,
  kLocationVersion = 0x06,
  kLot = 0x07,
  kUnit = 0x08,
  kStock = 0x09,
  kMintedSerial = 0x0A,
  kClient = 0x0B,
  kClientContact = 0x0C,
  kSession = 0x0D,
  kContainer = 0x0E,
  kReorderPolicy = 0x0F,
  kPurchaseOrder = 0x10,
  kRecallCase = 0x11,
  kPrincipal = 0x12,
  kToken = 0x13,
  kOverrideApproval = 0x14,
  kLegalHold = 0x15,
  kClientConsent = 0x16,
  kRecallCandidate = 0x17,
};

// The prefix of every key of one tag.
std::string StatePrefix(StateTag tag);

// REQUIRES: gtin14 is exactly 14 characters.
std::string ProductKey(std::string_view gtin14);
std::string ProductVersionKey(std::string_view gtin14, uint64_t version);
// The GTIN of a ProductKey; InvalidArgument if it is not one.
absl::StatusOr<std::string> DecodeProductKey(std::string_view key);

std::string SupplierKey(uint64_t supplier);
std::string SupplierVersionKey(uint64_t supplier, uint64_t version);
absl::StatusOr<uint64_t> DecodeSupplierKey(std::string_view key);

std::string LocationKey(uint64_t location);
std::string LocationVersionKey(uint64_t location, uint64_t version);
absl::StatusOr<uint64_t> DecodeLocationKey(std::string_view key);

// A lot: GTIN + lot number exactly as printed.
struct LotId {
  std::string gtin;
  std::string lot;
  bool operator==(const LotId& o) const {
    return gtin == o.gtin && lot == o.lot;
  }
};

std::string LotKey(std::string_view gtin14, std::string_view lot);
// Every lot of one product.
std::string LotPrefix(std::string_view gtin14);
absl::StatusOr<LotId> DecodeLotKey(std::string_view key);

std::string UnitKey(std::string_view gtin14, std::string_view serial);

// Stock counts of one lot at one location.
std::string StockKey(std::string_view gtin14, std::string_view lot,
                     uint64_t location);
// Every stock record of one product, or (with a lot) of one lot.
std::string StockPrefix(std::string_view gtin14);
std::string StockPrefix(std::string_view gtin14, std::string_view lot);
struct StockId {
  std::string gtin;
  std::string lot;
  uint64_t location = 0;
};
absl::StatusOr<StockId> DecodeStockKey(std::string_view key);

std::string MintedSerialKey();

// A principal, by its name.
std::string PrincipalKey(std::string_view name);
absl::StatusOr<std::string> DecodePrincipalKey(std::string_view key);

// Records keyed by a server-assigned number under one tag.
std::string NumberedKey(StateTag tag, uint64_t n);
// The number of a NumberedKey of `tag`; InvalidArgument if it is not one.
absl::StatusOr<uint64_t> DecodeNumberedKey(StateTag tag, std::string_view key);

// ---- index CF ------------------------------------------------------------

// DO NOT CHANGE: on-disk values.
enum class IndexTag : uint8_t {
  kLocationByParent = 0x01,
  kProductByHibc = 0x02,
  kUnitByLot = 0x03,
  kInStock = 0x04,
  kLotByExpiry = 0x05,
  kStockByLocation = 0x06,
  kClientByCode = 0x07,
  kSessionByClient = 0x08,
  kSessionByTime = 0x09,
  kUnitInContainer = 0x0A,
  kAwaitingDisposal = 0x0B,
  kUsage = 0x0C,
  kMovement = 0x0D,
  kSessionByUnit = 0x0E,
  kClientRead = 0x0F,
  kPrincipalByCertificate = 0x10,
  kLotTrace = 0x11,
  kFirstInStock = 0x12,
};

std::string IndexPrefix(IndexTag tag);

std::string LocationByParentKey(uint64_t parent, uint64_t location);
std::string LocationByParentPrefix(uint64_t parent);
// The child location id of a LocationByParentKey.
absl::StatusOr<uint64_t> DecodeLocationByParentKey(std::string_view key);

inline constexpr uint64_t kNoExpiry = 99991231;

std::string ProductByHibcKey(std::string_view hibc_id);

std::string UnitByLotKey(std::string_view gtin14, std::string_view lot,
                         std::string_view serial);
std::string UnitByLotPrefix(std::string_view gtin14, std::string_view lot);
// The serial of a UnitByLotKey.
absl::StatusOr<std::string> DecodeUnitByLotKey(std::string_view key);

std::string InStockKey(std::string_view gtin14, std::string_view lot,
                       uint64_t location, std::string_view serial);
std::string InStockPrefix(std::string_view gtin14, std::string_view lot,
                          uint64_t location);
// Where the first InStockKey of (gtin, lot, location) is kept, so that a
// lot-only scan seeks straight to it instead of stepping over the deleted
// keys of the units already taken out of stock before it.
std::string FirstInStockKey(std::string_view gtin14, std::string_view lot,
                            uint64_t location);
// The serial of an InStockKey.
absl::StatusOr<std::string> DecodeInStockKey(std::string_view key);
// Every part of an InStockKey.
struct InStockEntry {
  LotId lot;
  uint64_t location = 0;
  std::string serial;
};
absl::StatusOr<InStockEntry> DecodeInStockEntry(std::string_view key);

std::string LotByExpiryKey(uint64_t expiry, std::string_view gtin14,
                           std::string_view lot);
// From this expiry on (a scan's lower bound).
std::string LotByExpiryFrom(uint64_t expiry);
struct LotByExpiry {
  uint64_t expiry = 0;
  LotId lot;
};
absl::StatusOr<LotByExpiry> DecodeLotByExpiryKey(std::string_view key);

std::string StockByLocationKey(uint64_t location, std::string_view gtin14,
                               uint64_t expiry, std::string_view lot);
// Every lot in stock at a location, or only those of one product.
std::string StockByLocationPrefix(uint64_t location);
std::string StockByLocationPrefix(uint64_t location, std::string_view gtin14);
struct StockByLocation {
  uint64_t location = 0;
  uint64_t expiry = 0;
  LotId lot;
};
absl::StatusOr<StockByLocation> DecodeStockByLocationKey(std::string_view key);

std::string ClientByCodeKey(std::string_view code);

// The principal a client certificate's common name authenticates as.
std::string PrincipalByCertificateKey(std::string_view common_name);

std::string SessionByClientKey(uint64_t client, uint64_t session);
std::string SessionByClientPrefix(uint64_t client);
// The session number of a SessionByClientKey.
absl::StatusOr<uint64_t> DecodeSessionByClientKey(std::string_view key);

std::string SessionByTimeKey(uint64_t started_micros, uint64_t session);

std::string UnitInContainerKey(uint64_t container, uint64_t seq);
std::string UnitInContainerPrefix(uint64_t container);

std::string AwaitingDisposalKey(std::string_view gtin14, std::string_view lot,
                                uint64_t location, std::string_view serial);
std::string AwaitingDisposalPrefix(std::string_view gtin14,
                                   std::string_view lot, uint64_t location);
// The serial of an AwaitingDisposalKey.
absl::StatusOr<std::string> DecodeAwaitingDisposalKey(std::string_view key);

// Events over time per product (kUsage, kMovement): product, then when,
// then which journal entry, then where.
struct TimedEntry {
  std::string gtin;
  uint64_t micros = 0;
  uint64_t seq = 0;
  uint64_t location = 0;
};
// REQUIRES: tag is kUsage or kMovement.
std::string TimedKey(IndexTag tag, const TimedEntry& e);
// Every entry of `gtin14` from `micros` on.
std::string TimedFrom(IndexTag tag, std::string_view gtin14, uint64_t micros);
absl::StatusOr<TimedEntry> DecodeTimedKey(IndexTag tag, std::string_view key);

std::string ReorderPolicyKey(std::string_view gtin14, uint64_t location);

std::string SessionByUnitKey(std::string_view gtin14, std::string_view serial,
                             uint64_t session);
std::string SessionByUnitPrefix(std::string_view gtin14,
                                std::string_view serial);
// The session number of a SessionByUnitKey.
absl::StatusOr<uint64_t> DecodeSessionByUnitKey(std::string_view key);

// The lookback's covering index (service/ledger/recalls/trace_rows.h): a
// lot's units in serial order, each followed by the sessions that used it,
// so that one range read answers a lot's trace. Session 0 is the unit's own
// row (session numbers start at 1).
std::string LotTraceKey(std::string_view gtin14, std::string_view lot,
                        std::string_view serial, uint64_t session);
// Every row of one lot.
std::string LotTracePrefix(std::string_view gtin14, std::string_view lot);
struct LotTraceEntry {
  // Views `key`, or `*scratch` when the serial holds a 0x00 byte
  // (KeyReader::ReadTextView): a lookback decodes thousands of these.
  std::string_view serial;
  uint64_t session = 0;  // 0: the unit's own row
};
// The serial and session of a LotTraceKey whose lot prefix is `prefix`
// (LotTracePrefix); InvalidArgument if it is not one.
absl::StatusOr<LotTraceEntry> DecodeLotTraceKey(std::string_view prefix,
                                                std::string_view key,
                                                std::string* scratch);

// Reads and exports of a client's record, and its erasure, by journal seq.
std::string ClientReadKey(uint64_t client, uint64_t seq);
std::string ClientReadPrefix(uint64_t client);
absl::StatusOr<uint64_t> DecodeClientReadKey(std::string_view key);  // seq
// Both parts of a ClientReadKey (a scan over every client's reads needs the
// client too).
struct ClientReadEntry {
  uint64_t client = 0;
  uint64_t seq = 0;
};
absl::StatusOr<ClientReadEntry> DecodeClientReadEntry(std::string_view key);

// Sessions by start time, from `micros` on.
std::string SessionByTimeFrom(uint64_t micros);
// The session number of a SessionByTimeKey.
absl::StatusOr<uint64_t> DecodeSessionByTimeKey(std::string_view key);

}  // namespace smptrace::storage::keys

#endif  // SMPTRACE_STORAGE_KEYS_H_
