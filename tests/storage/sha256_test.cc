#include "storage/sha256.h"

#include <algorithm>
#include <array>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "storage/journal.h"
#include "storage/merkle.h"

namespace smptrace::storage {
namespace {

std::string Hex(const Sha256Digest& digest) {
  return ToHex(DigestView(digest));
}

// FIPS 180-2's examples (appendix B) and the empty message: one block, two
// blocks (the padding spills into a second), and many.
TEST(Sha256OfTwo, GivesTheStandardsDigests) {
  const std::string million(1000000, 'a');
  const std::string two_blocks =
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  const auto [abc, empty] = Sha256OfTwo({"abc"}, {""});
  EXPECT_EQ(Hex(abc),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(empty),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const auto [longer, shorter] = Sha256OfTwo({million}, {two_blocks});
  EXPECT_EQ(Hex(longer),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Hex(shorter),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // The same messages in the other places, and cut into parts.
  const auto [first, second] =
      Sha256OfTwo({two_blocks.substr(0, 5), "", two_blocks.substr(5)},
                  {million.substr(0, 64), million.substr(64)});
  EXPECT_EQ(first, shorter);
  EXPECT_EQ(second, longer);
}

// Every length around the block and padding boundaries, each message cut
// into four parts at random places (empty parts too), against Sha256Of
// (OpenSSL's code).
TEST(Sha256OfTwo, MatchesTwoSha256OfCallsForAnyLengthsAndParts) {
  std::mt19937 rng(20261203);
  std::string bytes(3000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  using Parts = std::array<std::string_view, 4>;
  auto cut = [&](std::string_view message) {
    std::array<size_t, 5> at = {0, rng() % (message.size() + 1),
                                rng() % (message.size() + 1),
                                rng() % (message.size() + 1), message.size()};
    std::sort(at.begin(), at.end());
    Parts parts;
    for (int i = 0; i < 4; ++i) {
      parts[i] = message.substr(at[i], at[i + 1] - at[i]);
    }
    return parts;
  };
  int checked = 0;
  for (size_t a = 0; a <= 400; ++a) {
    // The second message shorter, longer (by up to 45 blocks) or as long.
    const size_t b = a % 3 == 0 ? 2999 - a * 7 : (a * 37) % 300;
    const std::string_view first(bytes.data() + a % 11, a);
    const std::string_view second(bytes.data() + 1, b);
    const Parts x = cut(first);
    const Parts y = cut(second);
    const auto two =
        Sha256OfTwo({x[0], x[1], x[2], x[3]}, {y[0], y[1], y[2], y[3]});
    ASSERT_EQ(two[0], Sha256Of({first})) << a;
    ASSERT_EQ(two[1], Sha256Of({second})) << a << " / " << b;
    ++checked;
  }
  EXPECT_EQ(checked, 401);
}

TEST(DigestJournalEntry, IsTheEntryHashAndTheLeafHash) {
  const std::string prev(kHashSize, '\x5a');
  for (const std::string& event :
       {std::string(), std::string("abc"), std::string(259, 'e'),
        std::string(5000, '\x01')}) {
    const JournalEntryDigests both = DigestJournalEntry(prev, 77, event);
    EXPECT_EQ(both.entry, JournalEntryDigest(prev, 77, event));
    EXPECT_EQ(both.leaf, TlogEntryLeafDigest(77, event));
    EXPECT_EQ(DigestView(both.leaf), TlogLeafHash(TlogLeafData(77, event)));
  }
}

TEST(TlogNodeDigests, AreTwoNodeHashes) {
  Sha256Digest children[4];
  for (int i = 0; i < 4; ++i) children[i] = Sha256Of({std::to_string(i)});
  const auto two = TlogNodeDigests(children);
  EXPECT_EQ(DigestView(two[0]),
            TlogNodeHash(DigestView(children[0]), DigestView(children[1])));
  EXPECT_EQ(DigestView(two[1]),
            TlogNodeHash(DigestView(children[2]), DigestView(children[3])));
}

}  // namespace
}  // namespace smptrace::storage
