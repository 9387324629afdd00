#include "storage/cosignature.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/string_view.h"
#include "storage/journal.h"
#include "storage/keys.h"

namespace smptrace::storage {
namespace {

constexpr size_t kKeyIdSize = 4;
constexpr size_t kSignatureSize = 64;

std::string Bytes(const Cosignature& c) {
  std::string bytes = c.key_id;
  keys::AppendUint64(&bytes, c.time);
  bytes.append(c.signature);
  return bytes;
}

}  // namespace

std::string CosignedMessage(std::string_view checkpoint_text, uint64_t time) {
  return absl::StrCat("cosignature/v1\ntime ", time, "\n",
                      ToAbsl(checkpoint_text));
}

std::string Cosignature::Line() const {
  return absl::StrCat("\xe2\x80\x94 ", witness, " ",
                      absl::Base64Escape(Bytes(*this)));
}

absl::Status ValidateWitnessName(std::string_view name) {
  if (name.empty() || std::any_of(name.begin(), name.end(), [](char ch) {
        return absl::ascii_isspace(static_cast<unsigned char>(ch)) || ch == '+';
      })) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: '", ToAbsl(name),
        "' is not a witness name: give one word without spaces or '+', such "
        "as witness.example.org/inspector"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Cosignature> Cosign(const CheckpointKey& key,
                                   std::string_view name,
                                   std::string_view checkpoint_text,
                                   uint64_t time) {
  if (absl::Status valid = ValidateWitnessName(name); !valid.ok()) {
    return valid;
  }
  if (time > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return absl::InvalidArgumentError("time: at most 2^63 - 1");
  }
  Cosignature c;
  c.witness = std::string(name);
  c.key_id = NoteKeyId(name, key.raw_public_key(), NoteKeyType::kCosignatureV1);
  c.time = time;
  auto signature = key.Sign(CosignedMessage(checkpoint_text, time));
  if (!signature.ok()) return signature.status();
  c.signature = *std::move(signature);
  return c;
}

std::optional<Cosignature> CosignatureOf(const NoteSignatureLine& line,
                                         const NoteVerifier& witness) {
  if (line.name != witness.name ||
      line.bytes.size() != kKeyIdSize + 8 + kSignatureSize ||
      line.bytes.substr(0, kKeyIdSize) != witness.key_id) {
    return std::nullopt;
  }
  Cosignature c;
  c.witness = line.name;
  c.key_id = line.bytes.substr(0, kKeyIdSize);
  keys::KeyReader r(std::string_view(line.bytes).substr(kKeyIdSize, 8));
  r.ReadUint64(&c.time);
  c.signature = line.bytes.substr(kKeyIdSize + 8);
  return c;
}

absl::Status VerifyCosignature(const Cosignature& c,
                               const NoteVerifier& witness,
                               std::string_view checkpoint_text) {
  if (c.witness != witness.name || c.key_id != witness.key_id) {
    return absl::FailedPreconditionError(
        absl::StrCat("the cosignature is by ", c.witness, " (key ",
                     ToHex(c.key_id), "), not by witness ", witness.name,
                     " (key ", ToHex(witness.key_id), ")"));
  }
  if (!VerifyRawSignature(witness.raw_public_key,
                          CosignedMessage(checkpoint_text, c.time), c.signature)
           .ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the cosignature by witness ", witness.name,
        " does not match this checkpoint: it was made for another tree, or "
        "altered"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> KeepCosignature(Store& store, uint64_t size,
                                     const Cosignature& c) {
  const std::string key = keys::CosignatureKey(size, c.key_id);
  auto held = store.live().Get(Cf::kMeta, key);
  if (!held.ok()) return held.status();
  if (held->has_value()) return false;
  std::string value;
  keys::AppendUint64(&value, c.time);
  value.append(c.signature);
  value.append(c.witness);
  std::unique_ptr<WriteTxn> txn = store.BeginWrite();
  txn->Put(Cf::kMeta, key, value);
  absl::Status committed = store.Commit(*txn, /*sync=*/true);
  if (!committed.ok()) return committed;
  return true;
}

absl::StatusOr<std::vector<Cosignature>> ReadCosignatures(const Reader& reader,
                                                          uint64_t size) {
  const std::string prefix = keys::CosignaturePrefix(size);
  std::vector<Cosignature> out;
  absl::Status scanned = reader.Scan(
      Cf::kMeta, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view key,
          std::string_view value) -> absl::StatusOr<bool> {
        Cosignature c;
        c.key_id = std::string(key.substr(prefix.size()));
        keys::KeyReader r(value.substr(0, std::min<size_t>(8, value.size())));
        if (c.key_id.size() != kKeyIdSize ||
            value.size() <= 8 + kSignatureSize || !r.ReadUint64(&c.time)) {
          return absl::DataLossError(absl::StrCat(
              "a cosignature record of tree size ", size, " is unreadable"));
        }
        c.signature = std::string(value.substr(8, kSignatureSize));
        c.witness = std::string(value.substr(8 + kSignatureSize));
        out.push_back(std::move(c));
        return true;
      });
  if (!scanned.ok()) return scanned;
  return out;
}

absl::StatusOr<uint64_t> LastCosignedSize(const Reader& reader) {
  const std::string prefix(keys::kCosignaturePrefix);
  uint64_t size = 0;
  absl::Status scanned = reader.ScanReverse(
      Cf::kMeta, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        keys::KeyReader r(key.substr(prefix.size()));
        if (!r.ReadUint64(&size)) {
          return absl::DataLossError(
              "a cosignature record's key is unreadable");
        }
        return false;
      });
  if (!scanned.ok()) return scanned;
  return size;
}

}  // namespace smptrace::storage
