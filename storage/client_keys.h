// Keys for personal data (DESIGN.md §4): every client has a key of their own
// (AES-256), kept in the client_keys column family wrapped by the data key,
// a master key in a file outside the data directory (smptraced --data_key,
// mode 0600). Personal data is sealed with AES-256-GCM under the client's
// key; erasing a client deletes their key, and the sealed bytes in the
// journal can never be opened again. Nothing here logs a key or a clear
// text.
#ifndef SMPTRACE_STORAGE_CLIENT_KEYS_H_
#define SMPTRACE_STORAGE_CLIENT_KEYS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace smptrace::storage {

// "<data_dir>.data-key": beside the data directory, not in it, so that
// copies and backups of the data never carry the master key.
std::string DefaultDataKeyPath(const std::string& data_dir);

// AES-256-GCM output: a random 96-bit nonce and the ciphertext followed by
// its 16-byte tag.
struct SealedBytes {
  std::string nonce;
  std::string ciphertext;
};

// Seals `plaintext` under the 32-byte `key` with `aad` as associated data.
// Internal on an OpenSSL failure.
absl::StatusOr<SealedBytes> AesGcmSeal(std::string_view key,
                                       std::string_view aad,
                                       std::string_view plaintext);
// The plaintext of `sealed`; DataLoss if it was not sealed under `key` with
// `aad` or was changed since.
absl::StatusOr<std::string> AesGcmOpen(std::string_view key,
                                       std::string_view aad,
                                       const SealedBytes& sealed);

// The master key. Thread-safe (immutable once loaded).
class DataKey {
 public:
  // Loads the key file `path`, creating it (mode 0600, never overwritten)
  // if it does not exist. FailedPrecondition if the file lies inside
  // `data_dir`, is readable by group or others, or is not a data key file.
  static absl::StatusOr<std::unique_ptr<DataKey>> LoadOrCreate(
      const std::string& path, const std::string& data_dir);
  // The same without creating: NotFound when there is no key file.
  static absl::StatusOr<std::unique_ptr<DataKey>> Load(
      const std::string& path, const std::string& data_dir);
  // A key of these 32 bytes (tests).
  static std::unique_ptr<DataKey> FromBytesForTesting(std::string key);
  ~DataKey();

  // Hex SHA-256 of the key's bytes, first 16 characters: names the key in
  // messages without revealing it.
  const std::string& key_id() const { return key_id_; }

  // A new random client key for client number `client`, wrapped (what the
  // client_keys column family holds).
  absl::StatusOr<std::string> NewWrappedClientKey(uint64_t client) const;

  // Seals `plaintext` under client `client`'s key (`wrapped`, as held in
  // client_keys) with `aad`. DataLoss if `wrapped` is not a key of that
  // client under this data key.
  absl::StatusOr<SealedBytes> Seal(std::string_view wrapped, uint64_t client,
                                   std::string_view aad,
                                   std::string_view plaintext) const;
  // Opens what Seal sealed. DataLoss if the key or the sealed bytes do not
  // match.
  absl::StatusOr<std::string> Open(std::string_view wrapped, uint64_t client,
                                   std::string_view aad,
                                   const SealedBytes& sealed) const;

 private:
  explicit DataKey(std::string key);
  absl::StatusOr<std::string> Unwrap(std::string_view wrapped,
                                     uint64_t client) const;
  std::string key_;
  std::string key_id_;
};

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_CLIENT_KEYS_H_
