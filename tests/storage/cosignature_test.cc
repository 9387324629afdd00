// Witness cosignatures (c2sp.org/tlog-cosignature, Ed25519 cosignature/v1)
// against a vector built in the test from the spec's definitions with
// OpenSSL directly: the key ID, the timestamped message and the signature
// line, byte for byte.
#include "storage/cosignature.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/checkpoint_note.h"
#include "storage/signing.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

using ::smptrace::testing::IsOk;
using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;

// The spec's example checkpoint (c2sp.org/tlog-cosignature).
constexpr char kCheckpointText[] =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr char kWitness[] = "witness.example.com/w1";
constexpr uint64_t kTime = 1679315147;

std::string Sha256Of(const std::string& data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

class CosignatureTest : public ::testing::Test {
 protected:
  // A fixed Ed25519 key (seed 0x01..0x20), written as the PEM file a
  // witness keeps: Ed25519 is deterministic, so its signatures are too.
  void SetUp() override {
    unsigned char seed[32];
    for (int i = 0; i < 32; ++i) seed[i] = static_cast<unsigned char>(i + 1);
    pkey_ = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed, 32);
    ASSERT_NE(pkey_, nullptr);
    const std::string path = dir_.Sub("witness.pem");
    FILE* f = fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(
        PEM_write_PrivateKey(f, pkey_, nullptr, nullptr, 0, nullptr, nullptr),
        1);
    fclose(f);
    chmod(path.c_str(), 0600);
    auto key = CheckpointKey::Load(path);
    ASSERT_TRUE(key.ok()) << key.status();
    key_ = *std::move(key);
    unsigned char pub[32];
    size_t len = sizeof pub;
    ASSERT_EQ(EVP_PKEY_get_raw_public_key(pkey_, pub, &len), 1);
    raw_public_ = std::string(reinterpret_cast<char*>(pub), len);
  }
  void TearDown() override { EVP_PKEY_free(pkey_); }

  std::string OpensslSign(const std::string& message) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned char sig[64];
    size_t len = sizeof sig;
    EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey_), 1);
    EXPECT_EQ(
        EVP_DigestSign(ctx, sig, &len,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()),
        1);
    EVP_MD_CTX_free(ctx);
    return std::string(reinterpret_cast<char*>(sig), len);
  }

  testing::TempDir dir_;
  EVP_PKEY* pkey_ = nullptr;
  std::unique_ptr<CheckpointKey> key_;
  std::string raw_public_;
};

TEST_F(CosignatureTest, TheLineIsTheSpecsKeyIdTimestampAndSignature) {
  // The spec: key ID = SHA-256(<name> || "\n" || 0x04 || public key)[:4];
  // the signed message = "cosignature/v1\n" "time <decimal>\n" and the
  // checkpoint's text; the line = "— <name> " base64(key ID || u64 time
  // big-endian || signature).
  const std::string key_id =
      Sha256Of(std::string(kWitness) + "\n\x04" + raw_public_).substr(0, 4);
  const std::string message =
      std::string("cosignature/v1\ntime 1679315147\n") + kCheckpointText;
  std::string bytes = key_id;
  for (int shift = 56; shift >= 0; shift -= 8) {
    bytes.push_back(static_cast<char>((kTime >> shift) & 0xFF));
  }
  bytes += OpensslSign(message);
  const std::string expected =
      "\xe2\x80\x94 witness.example.com/w1 " + absl::Base64Escape(bytes);

  auto c = Cosign(*key_, kWitness, kCheckpointText, kTime);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->Line(), expected);
  EXPECT_EQ(CosignedMessage(kCheckpointText, kTime), message);
  EXPECT_EQ(c->key_id, key_id);
}

TEST_F(CosignatureTest, AWitnessKeyIsTypeFourAndNotTheLogsType) {
  const std::string vkey =
      NoteVerifierKey(kWitness, raw_public_, NoteKeyType::kCosignatureV1);
  std::string typed;
  // name+keyid+base64: the base64 may itself hold '+'.
  const size_t key_at = vkey.find('+', vkey.find('+') + 1) + 1;
  ASSERT_TRUE(absl::Base64Unescape(vkey.substr(key_at), &typed));
  EXPECT_EQ(typed[0], '\x04');
  auto witness = ParseNoteVerifierKey(vkey, NoteKeyType::kCosignatureV1);
  ASSERT_TRUE(witness.ok()) << witness.status();
  EXPECT_EQ(
      witness->key_id,
      Sha256Of(std::string(kWitness) + "\n\x04" + raw_public_).substr(0, 4));
  // A witness key given where a log's key is expected, and the reverse.
  EXPECT_THAT(ParseNoteVerifierKey(vkey),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a log's Ed25519 signing key")));
  EXPECT_THAT(ParseNoteVerifierKey(NoteVerifierKey(kWitness, raw_public_),
                                   NoteKeyType::kCosignatureV1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a witness's cosignature key")));
}

TEST_F(CosignatureTest, ItVerifiesOnlyOverTheCheckpointItCosigned) {
  auto witness = ParseNoteVerifierKey(
      NoteVerifierKey(kWitness, raw_public_, NoteKeyType::kCosignatureV1),
      NoteKeyType::kCosignatureV1);
  ASSERT_TRUE(witness.ok());
  auto c = Cosign(*key_, kWitness, kCheckpointText, kTime);
  ASSERT_TRUE(c.ok());
  const std::string note =
      std::string(kCheckpointText) + "\n" + c->Line() + "\n";
  auto split = SplitSignedNote(note);
  ASSERT_TRUE(split.ok()) << split.status();
  ASSERT_EQ(split->signatures.size(), 1u);
  auto read = CosignatureOf(split->signatures[0], *witness);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->time, kTime);
  EXPECT_THAT(VerifyCosignature(*read, *witness, kCheckpointText), IsOk());

  std::string other = kCheckpointText;
  other.replace(other.find("20852163"), 8, "20852164");
  EXPECT_THAT(VerifyCosignature(*read, *witness, other),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not match this checkpoint")));
  // Another time than the one signed.
  Cosignature later = *read;
  later.time += 1;
  EXPECT_THAT(VerifyCosignature(later, *witness, kCheckpointText),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  // A line by another name is not this witness's.
  NoteSignatureLine renamed = split->signatures[0];
  renamed.name = "witness.example.com/w2";
  EXPECT_FALSE(CosignatureOf(renamed, *witness).has_value());
}

TEST_F(CosignatureTest, AWitnessNameWithSpacesIsRefused) {
  EXPECT_THAT(Cosign(*key_, "my witness", kCheckpointText, kTime),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not a witness name")));
}

}  // namespace
}  // namespace smptrace::storage
