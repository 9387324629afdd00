#include "storage/signing.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "storage/keys.h"

namespace smptrace::storage {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

absl::StatusOr<std::string> PublicPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    return absl::InternalError("cannot write the public key");
  }
  return BioText(bio.get());
}

absl::StatusOr<std::string> RawPublic(EVP_PKEY* key) {
  std::string raw(32, '\0');
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(
          key, reinterpret_cast<unsigned char*>(raw.data()), &len) != 1 ||
      len != 32) {
    return absl::InvalidArgumentError("not an Ed25519 public key");
  }
  return raw;
}

absl::StatusOr<std::string> RawKeyId(EVP_PKEY* key) {
  unsigned char raw[32];
  size_t len = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1 || len != 32) {
    return absl::InvalidArgumentError("not an Ed25519 public key");
  }
  return ToHex(Sha256(std::string_view(reinterpret_cast<char*>(raw), len)));
}

// Writes `text` to `path` with mode 0600, atomically (temp file, fsync,
// rename).
absl::Status WritePrivate(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", tmp, ": ", std::strerror(errno)));
  }
  const bool ok = ::write(fd, text.data(), text.size()) ==
                      static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

std::string DefaultSigningKeyPath(const std::string& data_dir) {
  std::string dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return absl::StrCat(dir, ".", ToAbsl(kCheckpointKeyFile));
}

absl::Status CheckNoKeyInDataDir(const std::string& data_dir,
                                 const std::string& key_path) {
  const std::string legacy =
      absl::StrCat(data_dir, "/", ToAbsl(kCheckpointKeyFile));
  struct stat st;
  if (::stat(legacy.c_str(), &st) != 0) return absl::OkStatus();
  struct stat target;
  const bool target_exists = ::stat(key_path.c_str(), &target) == 0;
  return absl::FailedPreconditionError(absl::StrCat(
      "the checkpoint-signing key is inside the data directory (", legacy,
      "), where every copy and backup of the data would carry it; it now "
      "lives outside (--signing_key, here ",
      key_path, "). ",
      target_exists
          ? absl::StrCat(
                "But ", key_path,
                " exists already. With smptraced stopped, find which of the "
                "two signed the checkpoints you saved (a saved checkpoint "
                "holds its key's public key): move the other one to a safe "
                "place outside the data directory (do not delete it: "
                "checkpoints it signed need it), leave the one you keep at ",
                key_path,
                " (mv it there from the data directory if it is that "
                "one), then start smptraced again with --signing_key ",
                key_path)
          : absl::StrCat("With smptraced stopped, move the key out: mv ",
                         legacy, " ", key_path,
                         " then start smptraced again with --signing_key ",
                         key_path)));
}

absl::StatusOr<std::unique_ptr<CheckpointKey>> CheckpointKey::LoadOrCreate(
    const std::string& path) {
  return Open(path, /*create=*/true);
}

absl::StatusOr<std::unique_ptr<CheckpointKey>> CheckpointKey::Load(
    const std::string& path) {
  return Open(path, /*create=*/false);
}

absl::StatusOr<std::unique_ptr<CheckpointKey>> CheckpointKey::Open(
    const std::string& path, bool create) {
  Pkey key;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if ((st.st_mode & 077) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, " is readable by group or others (mode ",
                       absl::StrFormat("%04o", st.st_mode & 0777),
                       "); the checkpoint key must be 0600: "
                       "chmod 600 it"));
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
    }
    const std::string pem = text.str();
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, " does not hold an Ed25519 private key"));
    }
  } else if (errno != ENOENT) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  } else if (!create) {
    return absl::NotFoundError(absl::StrCat(path, " does not exist"));
  } else {
    std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(
        EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr), EVP_PKEY_CTX_free);
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
      return absl::InternalError("cannot generate an Ed25519 key");
    }
    key.reset(raw);
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr,
                                         0, nullptr, nullptr) != 1) {
      return absl::InternalError("cannot write the private key");
    }
    if (absl::Status s = WritePrivate(path, BioText(bio.get())); !s.ok())
      return s;
  }
  std::unique_ptr<CheckpointKey> out(new CheckpointKey);
  auto pem = PublicPem(key.get());
  if (!pem.ok()) return pem.status();
  auto id = RawKeyId(key.get());
  if (!id.ok()) return id.status();
  out->public_pem_ = *std::move(pem);
  out->key_id_ = *std::move(id);
  auto raw_public = RawPublic(key.get());
  if (!raw_public.ok()) return raw_public.status();
  out->raw_public_ = *std::move(raw_public);
  out->key_ = key.release();
  return out;
}

CheckpointKey::~CheckpointKey() { EVP_PKEY_free(static_cast<EVP_PKEY*>(key_)); }

absl::StatusOr<std::string> CheckpointKey::Sign(
    std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::string sig(64, '\0');
  size_t len = sig.size();
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr,
                         static_cast<EVP_PKEY*>(key_)) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()),
                     &len,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    return absl::InternalError("cannot sign");
  }
  sig.resize(len);
  return sig;
}

absl::Status RecordIssuedCheckpoint(Store& store,
                                    const IssuedCheckpoint& checkpoint) {
  std::string value;
  keys::AppendUint64(&value, checkpoint.seq);
  keys::AppendUint64(&value, static_cast<uint64_t>(std::max<int64_t>(
                                 0, absl::ToUnixMicros(checkpoint.signed_at))));
  std::unique_ptr<WriteTxn> txn = store.BeginWrite();
  txn->Put(Cf::kMeta, keys::kLastCheckpointKey, value);
  return store.Commit(*txn, /*sync=*/true);
}

absl::StatusOr<std::optional<IssuedCheckpoint>> ReadIssuedCheckpoint(
    const Reader& reader) {
  auto stored = reader.Get(Cf::kMeta, keys::kLastCheckpointKey);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  keys::KeyReader r(**stored);
  IssuedCheckpoint checkpoint;
  uint64_t micros = 0;
  if (!r.ReadUint64(&checkpoint.seq) || !r.ReadUint64(&micros) || !r.done()) {
    return absl::DataLossError("last_checkpoint record is unreadable");
  }
  checkpoint.signed_at = absl::FromUnixMicros(static_cast<int64_t>(micros));
  return checkpoint;
}

std::string CheckpointMessage(uint64_t seq, std::string_view hash) {
  std::string m = "smptrace-checkpoint-v1";
  keys::AppendUint64(&m, seq);
  m.append(hash);
  return m;
}

absl::Status VerifySignature(std::string_view public_key_pem,
                             std::string_view message,
                             std::string_view signature) {
  SMPTRACE_ASSIGN_OR_RETURN(const std::string raw,
                            RawPublicKeyOf(public_key_pem));
  return VerifyRawSignature(raw, message, signature);
}

absl::StatusOr<std::string> KeyIdOf(std::string_view public_key_pem) {
  Bio bio(BIO_new_mem_buf(public_key_pem.data(),
                          static_cast<int>(public_key_pem.size())));
  Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key)
    return absl::InvalidArgumentError("public_key: not a PEM public key");
  return RawKeyId(key.get());
}

absl::Status CheckJournalExtends(const Reader& reader,
                                 const JournalHead& checkpoint) {
  if (checkpoint.seq == 0) {
    // The empty journal: every journal extends it, if it verifies.
    auto verification = VerifyJournal(reader);
    if (!verification.ok()) return verification.status();
    if (!verification->ok) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the journal does not verify: seq ", verification->first_bad_seq,
          ": ", verification->detail));
    }
    return absl::OkStatus();
  }
  auto verification = VerifyJournal(reader);
  if (!verification.ok()) return verification.status();
  if (!verification->ok) {
    return absl::FailedPreconditionError(
        absl::StrCat("the journal does not verify: seq ",
                     verification->first_bad_seq, ": ", verification->detail));
  }
  if (verification->good_head.seq < checkpoint.seq) {
    return absl::FailedPreconditionError(
        absl::StrCat("the journal ends at seq ", verification->good_head.seq,
                     ", before the checkpoint's seq ", checkpoint.seq,
                     ": entries were removed"));
  }
  auto bytes = reader.Get(Cf::kJournal, keys::JournalKey(checkpoint.seq));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value() || (*bytes)->size() < 2 * kHashSize) {
    return absl::FailedPreconditionError(
        absl::StrCat("journal entry ", checkpoint.seq, " is missing"));
  }
  const std::string_view stored =
      std::string_view(**bytes).substr(kHashSize, kHashSize);
  if (stored != checkpoint.hash) {
    return absl::FailedPreconditionError(absl::StrCat(
        "entry ", checkpoint.seq, " has hash ", ToHex(stored).substr(0, 16),
        "…, the checkpoint says ", ToHex(checkpoint.hash).substr(0, 16),
        "…: the history up to the checkpoint was rewritten"));
  }
  return absl::OkStatus();
}

absl::Status VerifyRawSignature(std::string_view raw_public_key,
                                std::string_view message,
                                std::string_view signature) {
  Pkey key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr,
      reinterpret_cast<const unsigned char*>(raw_public_key.data()),
      raw_public_key.size()));
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!key || !ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) !=
          1 ||
      EVP_DigestVerify(ctx.get(),
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
    return absl::FailedPreconditionError(
        "the signature does not match: the checkpoint was altered, or signed "
        "by another key");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RawPublicKeyOf(std::string_view public_key_pem) {
  Bio bio(BIO_new_mem_buf(public_key_pem.data(),
                          static_cast<int>(public_key_pem.size())));
  Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("public_key: not an Ed25519 public key");
  }
  return RawPublic(key.get());
}

}  // namespace smptrace::storage
