#include "storage/client_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "storage/journal.h"
#include "storage/keys.h"

namespace smptrace::storage {
namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
// The key file: this line, then the key as 64 hex digits.
constexpr char kFileHeader[] = "smptrace data key v1\n";

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                 static_cast<int>(n)) != 1) {
    return absl::InternalError("cannot draw random bytes");
  }
  return out;
}

// What a wrapped client key is bound to: its client, so that one client's
// wrapped key copied under another does not open.
std::string WrapAad(uint64_t client) {
  std::string aad = "smptrace-client-key-v1";
  keys::AppendUint64(&aad, client);
  return aad;
}

// True if `path` is `dir` or lies under it.
bool IsInside(const std::string& path, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path d = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  auto [end, at] = std::mismatch(d.begin(), d.end(), p.begin(), p.end());
  return end == d.end();
}

absl::StatusOr<std::unique_ptr<DataKey>> OpenKeyFile(
    const std::string& path, const std::string& data_dir, bool create,
    std::unique_ptr<DataKey> (*make)(std::string)) {
  if (IsInside(path, data_dir)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--data_key ", path, " is inside the data directory ", data_dir,
        ", where every copy and backup of the data would carry it: keep it "
        "outside (the default is ",
        DefaultDataKeyPath(data_dir), ")"));
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--data_key ", path, ": cannot read (", std::strerror(errno), ")"));
    }
    if (!create) {
      return absl::NotFoundError(
          absl::StrCat("--data_key ", path, " does not exist"));
    }
    auto key = RandomBytes(kKeyBytes);
    if (!key.ok()) return key.status();
    std::string text =
        absl::StrCat(kFileHeader, absl::BytesToHexString(*key), "\n");
    absl::Status written = WritePrivateFile("--data_key", path, text);
    OPENSSL_cleanse(text.data(), text.size());
    if (!written.ok()) return written;
    return make(*std::move(key));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--data_key ", path, " is readable by group or others (mode ",
        absl::StrFormat("%04o", st.st_mode & 0777),
        "); the data key must be 0600: chmod 600 it"));
  }
  auto text = ReadTextFile("--data_key", path);
  if (!text.ok()) return absl::FailedPreconditionError(text.status().message());
  absl::string_view rest = *text;
  absl::string_view hex;
  if (absl::ConsumePrefix(&rest, kFileHeader)) {
    hex = absl::StripAsciiWhitespace(rest);
  }
  if (hex.size() != 2 * kKeyBytes ||
      hex.find_first_not_of("0123456789abcdef") != absl::string_view::npos) {
    OPENSSL_cleanse(text->data(), text->size());
    return absl::FailedPreconditionError(absl::StrCat(
        "--data_key ", path,
        " is not a smptrace data key file (its first line must be \"",
        absl::StripAsciiWhitespace(kFileHeader), "\")"));
  }
  std::string key = absl::HexStringToBytes(hex);
  OPENSSL_cleanse(text->data(), text->size());
  return make(std::move(key));
}

}  // namespace

std::string DefaultDataKeyPath(const std::string& data_dir) {
  std::string dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return absl::StrCat(dir, ".data-key");
}

absl::StatusOr<SealedBytes> AesGcmSeal(std::string_view key,
                                       std::string_view aad,
                                       std::string_view plaintext) {
  if (key.size() != kKeyBytes) return absl::InternalError("bad key size");
  SealedBytes out;
  auto nonce = RandomBytes(kNonceBytes);
  if (!nonce.ok()) return nonce.status();
  out.nonce = *std::move(nonce);
  out.ciphertext.resize(plaintext.size() + kTagBytes);
  auto* ct = reinterpret_cast<unsigned char*>(out.ciphertext.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int final_len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key),
                         Bytes(out.nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ct, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ct + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          ct + plaintext.size()) != 1) {
    return absl::InternalError("AES-256-GCM encryption failed");
  }
  return out;
}

absl::StatusOr<std::string> AesGcmOpen(std::string_view key,
                                       std::string_view aad,
                                       const SealedBytes& sealed) {
  if (key.size() != kKeyBytes || sealed.nonce.size() != kNonceBytes ||
      sealed.ciphertext.size() < kTagBytes) {
    return absl::DataLossError("sealed data is malformed");
  }
  const size_t n = sealed.ciphertext.size() - kTagBytes;
  std::string out(n, '\0');
  auto* pt = reinterpret_cast<unsigned char*>(out.data());
  std::string tag = sealed.ciphertext.substr(n);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int final_len = 0;
  const bool ok =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key),
                         Bytes(sealed.nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad),
                        static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), pt, &len, Bytes(sealed.ciphertext),
                        static_cast<int>(n)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes,
                          tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), pt + len, &final_len) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return absl::DataLossError(
        "sealed data does not open with its key (wrong key, or changed)");
  }
  return out;
}

absl::StatusOr<std::unique_ptr<DataKey>> DataKey::LoadOrCreate(
    const std::string& path, const std::string& data_dir) {
  return OpenKeyFile(path, data_dir, /*create=*/true, [](std::string key) {
    return std::unique_ptr<DataKey>(new DataKey(std::move(key)));
  });
}

absl::StatusOr<std::unique_ptr<DataKey>> DataKey::Load(
    const std::string& path, const std::string& data_dir) {
  return OpenKeyFile(path, data_dir, /*create=*/false, [](std::string key) {
    return std::unique_ptr<DataKey>(new DataKey(std::move(key)));
  });
}

std::unique_ptr<DataKey> DataKey::FromBytesForTesting(std::string key) {
  return std::unique_ptr<DataKey>(new DataKey(std::move(key)));
}

DataKey::DataKey(std::string key)
    : key_(std::move(key)), key_id_(ToHex(Sha256(key_)).substr(0, 16)) {}

DataKey::~DataKey() { OPENSSL_cleanse(key_.data(), key_.size()); }

absl::StatusOr<std::string> DataKey::NewWrappedClientKey(
    uint64_t client) const {
  auto key = RandomBytes(kKeyBytes);
  if (!key.ok()) return key.status();
  auto wrapped = AesGcmSeal(key_, WrapAad(client), *key);
  OPENSSL_cleanse(key->data(), key->size());
  if (!wrapped.ok()) return wrapped.status();
  return absl::StrCat(wrapped->nonce, wrapped->ciphertext);
}

absl::StatusOr<std::string> DataKey::Unwrap(std::string_view wrapped,
                                            uint64_t client) const {
  if (wrapped.size() != kNonceBytes + kKeyBytes + kTagBytes) {
    return absl::DataLossError(
        absl::StrCat("the key of client number ", client, " is malformed"));
  }
  SealedBytes sealed{std::string(wrapped.substr(0, kNonceBytes)),
                     std::string(wrapped.substr(kNonceBytes))};
  auto key = AesGcmOpen(key_, WrapAad(client), sealed);
  if (!key.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the key of client number ", client, " does not open with data key ",
        key_id_, " (is --data_key the key this store was written with?)"));
  }
  return key;
}

absl::StatusOr<SealedBytes> DataKey::Seal(std::string_view wrapped,
                                          uint64_t client, std::string_view aad,
                                          std::string_view plaintext) const {
  auto key = Unwrap(wrapped, client);
  if (!key.ok()) return key.status();
  auto sealed = AesGcmSeal(*key, aad, plaintext);
  OPENSSL_cleanse(key->data(), key->size());
  return sealed;
}

absl::StatusOr<std::string> DataKey::Open(std::string_view wrapped,
                                          uint64_t client, std::string_view aad,
                                          const SealedBytes& sealed) const {
  auto key = Unwrap(wrapped, client);
  if (!key.ok()) return key.status();
  auto plain = AesGcmOpen(*key, aad, sealed);
  OPENSSL_cleanse(key->data(), key->size());
  return plain;
}

}  // namespace smptrace::storage
