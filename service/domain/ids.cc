#include "service/domain/ids.h"

#include <cassert>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/string_view.h"
#include "service/domain/text.h"

namespace smptrace::domain {
namespace {

std::string_view KindName(IdKind kind) {
  switch (kind) {
    case IdKind::kSupplier:
      return "supplier";
    case IdKind::kLocation:
      return "location";
    case IdKind::kClient:
      return "client";
    case IdKind::kSession:
      return "session";
    case IdKind::kContainer:
      return "sharps container";
    case IdKind::kPurchaseOrder:
      return "purchase order";
    case IdKind::kRecallCase:
      return "recall case";
    case IdKind::kToken:
      return "token";
    case IdKind::kOverrideApproval:
      return "screening override approval";
    case IdKind::kLegalHold:
      return "legal hold";
    case IdKind::kRecallCandidate:
      return "recall candidate";
  }
  return "?";
}

}  // namespace

std::string_view IdPrefix(IdKind kind) {
  switch (kind) {
    case IdKind::kSupplier:
      return "SUP";
    case IdKind::kLocation:
      return "LOC";
    case IdKind::kClient:
      return "CLI";
    case IdKind::kSession:
      return "SES";
    case IdKind::kContainer:
      return "SHC";
    case IdKind::kPurchaseOrder:
      return "PO";
    case IdKind::kRecallCase:
      return "RC";
    case IdKind::kToken:
      return "TOK";
    case IdKind::kOverrideApproval:
      return "OVR";
    case IdKind::kLegalHold:
      return "HOLD";
    case IdKind::kRecallCandidate:
      return "RCN";
  }
  return "?";
}

std::string FormatId(IdKind kind, uint64_t n) {
  assert(n >= 1);
  // "%s-%06d" without the format parser: a lookback formats one per session.
  return absl::StrCat(ToAbsl(IdPrefix(kind)), "-",
                      absl::Dec(n, absl::kZeroPad6));
}

absl::StatusOr<uint64_t> ParseId(IdKind kind, std::string_view text,
                                 std::string_view field) {
  auto invalid = [&]() {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(field), ": ", Quote(text), " is not a ", ToAbsl(KindName(kind)),
        " id (expected ", FormatId(kind, 1), ")"));
  };
  if (text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(field), ": required"));
  }
  std::string prefix = absl::StrCat(ToAbsl(IdPrefix(kind)), "-");
  if (!absl::StartsWithIgnoreCase(ToAbsl(text), prefix)) return invalid();
  std::string_view digits = text.substr(prefix.size());
  if (digits.empty() || digits.size() > 19) return invalid();
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return invalid();
  }
  uint64_t n = 0;
  if (!absl::SimpleAtoi(ToAbsl(digits), &n) || n == 0) return invalid();
  return n;
}

std::string MintedSerial(uint64_t n) {
  assert(n >= 1);
  return absl::StrFormat("SMP%09d", n);
}

}  // namespace smptrace::domain
