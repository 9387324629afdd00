// SHA-256 as the journal, its Merkle tree and the idempotency fingerprints
// use it: a digest held by value (no allocation), hashed from several pieces
// without first copying them into one buffer, one message at a time or two
// together.
#ifndef SMPTRACE_STORAGE_SHA256_H_
#define SMPTRACE_STORAGE_SHA256_H_

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace smptrace::storage {

inline constexpr size_t kHashSize = 32;

// 32 raw bytes.
using Sha256Digest = std::array<char, kHashSize>;

inline std::string_view DigestView(const Sha256Digest& digest) {
  return std::string_view(digest.data(), digest.size());
}

// SHA-256 of the concatenation of `parts`: Sha256Of({"ab", "c"}) is the
// digest of "abc". Thread-safe.
Sha256Digest Sha256Of(std::initializer_list<std::string_view> parts);

// Sha256Of(first) and Sha256Of(second), computed together: on a CPU with
// the SHA extensions the two messages' rounds interleave, so each waits on
// its own results while the other's run, ~40 % less time than one after the
// other. Elsewhere, the two calls. Thread-safe.
std::array<Sha256Digest, 2> Sha256OfTwo(
    std::initializer_list<std::string_view> first,
    std::initializer_list<std::string_view> second);

// SHA-256 of `data` (32 raw bytes).
std::string Sha256(std::string_view data);

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_SHA256_H_
