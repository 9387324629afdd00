#include "storage/keys.h"

#include <cassert>

#include "absl/status/status.h"
#include "common/string_view.h"
#include "absl/strings/str_cat.h"

namespace smptrace::storage::keys {
namespace {

constexpr char kEscape = '\x00';
constexpr char kEscapedZero = '\xff';
constexpr char kTerminator = '\x01';

std::string Tagged(uint8_t tag) { return std::string(1, static_cast<char>(tag)); }

absl::StatusOr<uint64_t> DecodeTaggedId(std::string_view key, uint8_t want,
                                        std::string_view what) {
  KeyReader r(key);
  uint8_t tag = 0;
  uint64_t id = 0;
  if (!r.ReadTag(&tag) || tag != want || !r.ReadUint64(&id) || !r.done()) {
    return absl::InvalidArgumentError(absl::StrCat("not a ", ToAbsl(what), " key"));
  }
  return id;
}

}  // namespace

void AppendUint64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
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

bool KeyReader::ReadUint64(uint64_t* v) {
  if (rest_.size() < 8) return false;
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x = (x << 8) | static_cast<uint8_t>(rest_[i]);
  *v = x;
  rest_.remove_prefix(8);
  return true;
}

bool KeyReader::ReadText(std::string* s) {
  s->clear();
  for (size_t i = 0; i < rest_.size(); ++i) {
    if (rest_[i] != kEscape) {
      s->push_back(rest_[i]);
      continue;
    }
    if (i + 1 >= rest_.size()) return false;
    if (rest_[i + 1] == kTerminator) {
      rest_.remove_prefix(i + 2);
      return true;
    }
    if (rest_[i + 1] != kEscapedZero) return false;
    s->push_back(kEscape);
    ++i;
  }
  return false;
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

}  // namespace smptrace::storage::keys
