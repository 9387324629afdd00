// Checks stored journal entries against the layout written in
// proto/smptrace/v1/journal.proto, the way an independent verifier would:
// keys and integers decoded by hand, hashes from OpenSSL's EVP interface and
// from values computed outside this code base (Python hashlib), never from
// storage::JournalEntryHash or keys::AppendUint64.
#include <openssl/evp.h>

#include <string>

#include "gtest/gtest.h"
#include "storage/journal.h"
#include "storage/store.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::storage {
namespace {

// hashlib.sha256(bytes(32) + (1).to_bytes(8, 'big') + b'first event')
constexpr char kFirstHash[] =
    "8591910a1e4367bd508a8787fa4da2b065cc390a73c4a3d4117463ed4a66d100";
// hashlib.sha256(first_hash + (2).to_bytes(8, 'big') + b'second event')
constexpr char kSecondHash[] =
    "92812b7c76a7f0ac0673fb63f79428924bb71a81913b2a1d75966e3fdf6dfb0c";

std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string BigEndian8(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

uint64_t FromBigEndian8(const std::string& bytes) {
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return v;
}

std::string EvpSha256(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(digest), size);
}

TEST(JournalLayout, StoredEntriesAndHeadMatchTheDocumentedBytes) {
  testing::TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  ASSERT_TRUE(store.ok()) << store.status();
  JournalHead head;
  for (const char* event : {"first event", "second event"}) {
    auto txn = (*store)->BeginWrite();
    head = AppendJournalEntry(*txn, head, event).value();
    ASSERT_TRUE((*store)->Commit(*txn, true).ok());
  }

  // Walk the journal column family as raw key/value pairs.
  std::vector<std::pair<std::string, std::string>> entries;
  ASSERT_TRUE((*store)
                  ->live()
                  .Scan(Cf::kJournal, "", "",
                        [&](std::string_view k, std::string_view v) {
                          entries.emplace_back(std::string(k), std::string(v));
                          return true;
                        })
                  .ok());
  ASSERT_EQ(entries.size(), 2u);

  const std::string events[] = {"first event", "second event"};
  const std::string expected[] = {kFirstHash, kSecondHash};
  std::string prev(32, '\0');
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& [key, value] = entries[i];
    SCOPED_TRACE(i);
    ASSERT_EQ(key, BigEndian8(i + 1)) << "key = seq, 8 bytes big-endian";
    ASSERT_EQ(value.size(), 64 + events[i].size());
    EXPECT_EQ(value.substr(0, 32), prev) << "prev_hash first";
    const std::string hash = value.substr(32, 32);
    EXPECT_EQ(value.substr(64), events[i]) << "then the event bytes";
    EXPECT_EQ(hash, EvpSha256(prev + key + events[i]));
    EXPECT_EQ(Hex(hash), expected[i]);
    prev = hash;
  }

  // meta "journal_head" = seq (8 bytes big-endian) || hash of that entry.
  auto head_value = (*store)->live().Get(Cf::kMeta, "journal_head");
  ASSERT_TRUE(head_value.ok() && head_value->has_value());
  const std::string& h = **head_value;
  ASSERT_EQ(h.size(), 40u);
  EXPECT_EQ(FromBigEndian8(h.substr(0, 8)), 2u);
  EXPECT_EQ(Hex(h.substr(8)), kSecondHash);
}

}  // namespace
}  // namespace smptrace::storage
