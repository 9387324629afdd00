// Client keys and the data key (storage/client_keys.h): AES-256-GCM sealing
// bound to its associated data, keys wrapped per client, and the key file's
// rules (0600, outside the data directory, never overwritten).
#include "storage/client_keys.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

using ::testing::HasSubstr;
using testing::StatusIs;

const std::string kKey(32, 'k');

TEST(AesGcm, OpensWhatItSealedOnlyWithTheSameKeyAndAssociatedData) {
  auto sealed = AesGcmSeal(kKey, "aad", "Ana Lima");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->nonce.size(), 12u);
  EXPECT_EQ(sealed->ciphertext.size(), std::string("Ana Lima").size() + 16);
  EXPECT_EQ(sealed->ciphertext.find("Ana"), std::string::npos);
  auto opened = AesGcmOpen(kKey, "aad", *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "Ana Lima");
  EXPECT_THAT(
      AesGcmOpen(kKey, "other", *sealed).status(),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not open")));
  EXPECT_THAT(
      AesGcmOpen(std::string(32, 'x'), "aad", *sealed).status(),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not open")));
  SealedBytes changed = *sealed;
  changed.ciphertext[0] ^= 1;
  EXPECT_THAT(
      AesGcmOpen(kKey, "aad", changed).status(),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not open")));
}

TEST(AesGcm, EverySealTakesAFreshNonce) {
  auto a = AesGcmSeal(kKey, "", "same");
  auto b = AesGcmSeal(kKey, "", "same");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->nonce, b->nonce);
  EXPECT_NE(a->ciphertext, b->ciphertext);
}

TEST(DataKey, WrappedClientKeyOpensOnlyForItsClientAndDataKey) {
  auto key = DataKey::FromBytesForTesting(kKey);
  auto other = DataKey::FromBytesForTesting(std::string(32, 'o'));
  auto wrapped = key->NewWrappedClientKey(7);
  ASSERT_TRUE(wrapped.ok());
  auto sealed = key->Seal(*wrapped, 7, "contact", "+351 912 345 678");
  ASSERT_TRUE(sealed.ok());
  auto opened = key->Open(*wrapped, 7, "contact", *sealed);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "+351 912 345 678");
  // Client 8 cannot use client 7's wrapped key; another data key cannot
  // unwrap it.
  EXPECT_THAT(
      key->Open(*wrapped, 8, "contact", *sealed).status(),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("client number 8")));
  EXPECT_THAT(other->Open(*wrapped, 7, "contact", *sealed).status(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("--data_key")));
}

TEST(DataKeyFile, CreatedOnceWithMode0600AndLoadedAgain) {
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  const std::string path = DefaultDataKeyPath(data + "/");
  EXPECT_EQ(path, data + ".data-key");
  auto created = DataKey::LoadOrCreate(path, data);
  ASSERT_TRUE(created.ok()) << created.status();
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto wrapped = (*created)->NewWrappedClientKey(1);
  ASSERT_TRUE(wrapped.ok());
  auto sealed = (*created)->Seal(*wrapped, 1, "a", "x");
  ASSERT_TRUE(sealed.ok());
  auto loaded = DataKey::Load(path, data);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->key_id(), (*created)->key_id());
  auto opened = (*loaded)->Open(*wrapped, 1, "a", *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "x");
}

TEST(DataKeyFile, RefusedInsideTheDataDirectoryReadableByOthersOrDamaged) {
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  EXPECT_THAT(DataKey::LoadOrCreate(data + "/data-key", data).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("inside the data directory")));
  EXPECT_THAT(DataKey::Load(dir.Sub("none"), data).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("none")));
  const std::string open_key = dir.Sub("open.key");
  ASSERT_TRUE(DataKey::LoadOrCreate(open_key, data).ok());
  ASSERT_EQ(::chmod(open_key.c_str(), 0644), 0);
  EXPECT_THAT(
      DataKey::Load(open_key, data).status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("chmod 600")));
  const std::string junk = dir.Sub("junk.key");
  {
    std::ofstream out(junk);
    out << "not a key\n";
  }
  ASSERT_EQ(::chmod(junk.c_str(), 0600), 0);
  EXPECT_THAT(DataKey::Load(junk, data).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not a smptrace data key file")));
}

}  // namespace
}  // namespace smptrace::storage
