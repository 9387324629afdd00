// How much one request may ask for: the one table of limits on every
// repeated field of every request (also written as comments in
// proto/smptrace/v1/*.proto and as a table in docs/admin.md), and the bounds
// on the work one command may do in the single writer. Over a limit, a
// request is refused with INVALID_ARGUMENT naming the field, its size and the
// limit, before anything else looks at it.
#ifndef SMPTRACE_SERVICE_API_REQUEST_LIMITS_H_
#define SMPTRACE_SERVICE_API_REQUEST_LIMITS_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace smptrace::api {

// Units one Receive may mint, in all and on one line: minting 20,000 units
// holds the writer for about 0.25 s on a quiet 2-core machine (1 s with the
// machine busy); a larger delivery is received in parts.
inline constexpr int64_t kMaxUnitsPerReceive = 20000;
inline constexpr int64_t kMaxUnitsPerReceiveLine = 10000;
// Units one Discard or Transfer may name, and labels one PrintLabels may
// render.
inline constexpr int kMaxUnitsPerRequest = 10000;
// Lines of a Receive or a purchase order.
inline constexpr int kMaxLinesPerRequest = 1000;
// Lots one recall case may name. The units its lookback may visit are
// bounded in the ledger (ledger::kMaxRecallScopeUnits, 100,000): a larger
// scope is refused ("split the case") instead of holding the writer.
inline constexpr int kMaxLotsPerRecallCase = 500;
// GS1 elements of one barcode (a ReceiveLine's other_elements, which the
// server sets from the barcode itself): a barcode of at most
// kMaxBarcodeLength characters holds fewer than 100 elements.
inline constexpr int kMaxElementsPerBarcode = 100;
// Ingredients one ink label may list, and pigment lots one ink disclosure
// may name.
inline constexpr int kMaxInkIngredients = 100;
inline constexpr int kMaxLotsPerDisclosure = 50;

// A limit on one repeated field, by its full name
// ("smptrace.v1.ReceiveRequest.lines").
struct RepeatedLimit {
  std::string_view field;
  int max;
};

// The table: one entry for every repeated field reachable from a request.
const std::vector<RepeatedLimit>& RepeatedLimits();

// The limit of `full_name`, nullopt when the table has none.
std::optional<int> RepeatedLimitOf(std::string_view full_name);

// OK, or InvalidArgument for the first repeated field of `request` (at any
// depth) with more entries than its limit: "lots: 2000 entries; at most 500".
// A repeated field the table does not list is held to
// kMaxLinesPerRequest (the table test keeps that from happening).
absl::Status CheckRepeatedLimits(const google::protobuf::Message& request);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_REQUEST_LIMITS_H_
