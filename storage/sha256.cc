#include "storage/sha256.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace smptrace::storage {

// OpenSSL's SHA256_Init/Update/Final, deprecated in OpenSSL 3 in favour of
// EVP. They are the same code (SHA-NI where the CPU has it) without EVP's
// provider dispatch: a 300-byte hash takes ~205 ns, against 240-320 ns on a
// reused EVP_MD_CTX and ~300 ns for EVP_Digest, what `openssl speed` times
// (docs/BENCHMARKS.md, "Verification without allocations"). The context
// lives on the stack: nothing is allocated or looked up per hash.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
Sha256Digest Sha256Of(std::initializer_list<std::string_view> parts) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  for (std::string_view part : parts) {
    SHA256_Update(&ctx, part.data(), part.size());
  }
  Sha256Digest digest;
  SHA256_Final(reinterpret_cast<unsigned char*>(digest.data()), &ctx);
  return digest;
}
#pragma GCC diagnostic pop

std::string Sha256(std::string_view data) {
  const Sha256Digest digest = Sha256Of({data});
  return std::string(digest.data(), digest.size());
}

namespace {

constexpr size_t kBlock = 64;

// A message given as parts, handed out as the 64-byte blocks of its padded
// form (FIPS 180-4, 5.1.1: the bytes, 0x80, zeros, the length in bits as
// 64 bits big-endian). A block that lies inside one part is handed out in
// place; only the blocks that straddle parts or hold the padding are
// assembled in a buffer.
class PaddedBlocks {
 public:
  // The parts [begin, end), which must outlive this.
  PaddedBlocks(const std::string_view* begin, const std::string_view* end)
      : part_(begin), end_(end) {
    for (const std::string_view* part = begin; part != end; ++part) {
      bytes_ += part->size();
    }
    blocks_ = (bytes_ + 1 + 8 + kBlock - 1) / kBlock;
  }

  size_t blocks() const { return blocks_; }

  // The next block; valid until the next call. At most blocks() calls.
  const unsigned char* Next() {
    while (part_ != end_ && offset_ == part_->size()) Advance();
    ++handed_;
    if (part_ != end_ && part_->size() - offset_ >= kBlock) {
      const char* in_place = part_->data() + offset_;
      offset_ += kBlock;
      return reinterpret_cast<const unsigned char*>(in_place);
    }
    size_t filled = 0;
    while (filled < kBlock && part_ != end_) {
      const size_t take = std::min(kBlock - filled, part_->size() - offset_);
      std::memcpy(buffer_ + filled, part_->data() + offset_, take);
      filled += take;
      offset_ += take;
      if (offset_ == part_->size()) Advance();
    }
    if (filled < kBlock) {
      std::memset(buffer_ + filled, 0, kBlock - filled);
      if (!marked_) {
        buffer_[filled] = 0x80;
        marked_ = true;
      }
      // The block count leaves the last block room for the length.
      if (handed_ == blocks_) {
        const uint64_t bits = uint64_t{bytes_} * 8;
        for (int i = 0; i < 8; ++i) {
          buffer_[kBlock - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
        }
      }
    }
    return buffer_;
  }

 private:
  void Advance() {
    ++part_;
    offset_ = 0;
  }

  const std::string_view* part_;
  const std::string_view* end_;
  size_t offset_ = 0;
  size_t bytes_ = 0;
  size_t blocks_ = 0;
  size_t handed_ = 0;
  bool marked_ = false;
  unsigned char buffer_[kBlock];
};

#if defined(__x86_64__)

bool CpuHasShaExtensions() {
  unsigned a, b, c, d;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
  if ((c & bit_SSSE3) == 0 || (c & bit_SSE4_1) == 0) return false;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
  return (b & bit_SHA) != 0;
}

#define SMPTRACE_SHA_NI __attribute__((target("sha,sse4.1,ssse3")))

alignas(16) constexpr uint32_t kRoundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
alignas(16) constexpr uint32_t kInitialHash[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// The eight state words as SHA256RNDS2 takes them: (A, B, E, F) and
// (C, D, G, H).
struct ShaNiState {
  __m128i abef;
  __m128i cdgh;
};

SMPTRACE_SHA_NI __m128i ByteSwapWords(__m128i words) {
  return _mm_shuffle_epi8(
      words, _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL));
}

SMPTRACE_SHA_NI ShaNiState InitialState() {
  const __m128i abcd =
      _mm_load_si128(reinterpret_cast<const __m128i*>(kInitialHash));
  const __m128i efgh =
      _mm_load_si128(reinterpret_cast<const __m128i*>(kInitialHash + 4));
  const __m128i cdab = _mm_shuffle_epi32(abcd, 0xB1);
  const __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
  return {_mm_alignr_epi8(cdab, hgfe, 8), _mm_blend_epi16(hgfe, cdab, 0xF0)};
}

SMPTRACE_SHA_NI Sha256Digest Finish(const ShaNiState& state) {
  const __m128i feba = _mm_shuffle_epi32(state.abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(state.cdgh, 0xB1);
  Sha256Digest digest;
  _mm_storeu_si128(reinterpret_cast<__m128i*>(digest.data()),
                   ByteSwapWords(_mm_blend_epi16(feba, dchg, 0xF0)));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(digest.data() + 16),
                   ByteSwapWords(_mm_alignr_epi8(dchg, feba, 8)));
  return digest;
}

// One block into each of N states, the N computations interleaved round by
// round. Each step takes four rounds; w[s & 3] holds the message words of
// step s, w[(s + 1) & 3] gets step s + 1's finished (SHA256MSG2) once step
// s's words are known, and w[(s + 3) & 3] step s + 3's first half
// (SHA256MSG1).
template <int N>
SMPTRACE_SHA_NI void CompressBlocks(ShaNiState* states,
                                    const unsigned char* const* blocks) {
  __m128i w[N][4];
  __m128i abef[N];
  __m128i cdgh[N];
  for (int j = 0; j < N; ++j) {
    abef[j] = states[j].abef;
    cdgh[j] = states[j].cdgh;
  }
#pragma GCC unroll 16
  for (int step = 0; step < 16; ++step) {
    const __m128i k = _mm_load_si128(
        reinterpret_cast<const __m128i*>(kRoundConstants + 4 * step));
#pragma GCC unroll 4
    for (int j = 0; j < N; ++j) {
      if (step < 4) {
        w[j][step] = ByteSwapWords(_mm_loadu_si128(
            reinterpret_cast<const __m128i*>(blocks[j] + 16 * step)));
      }
      const __m128i words = w[j][step & 3];
      __m128i rounds = _mm_add_epi32(words, k);
      cdgh[j] = _mm_sha256rnds2_epu32(cdgh[j], abef[j], rounds);
      if (step >= 3 && step < 15) {
        __m128i& next = w[j][(step + 1) & 3];
        next = _mm_add_epi32(next,
                             _mm_alignr_epi8(words, w[j][(step + 3) & 3], 4));
        next = _mm_sha256msg2_epu32(next, words);
      }
      rounds = _mm_shuffle_epi32(rounds, 0x0E);
      abef[j] = _mm_sha256rnds2_epu32(abef[j], cdgh[j], rounds);
      if (step >= 1 && step < 13) {
        __m128i& later = w[j][(step + 3) & 3];
        later = _mm_sha256msg1_epu32(later, words);
      }
    }
  }
  for (int j = 0; j < N; ++j) {
    states[j].abef = _mm_add_epi32(states[j].abef, abef[j]);
    states[j].cdgh = _mm_add_epi32(states[j].cdgh, cdgh[j]);
  }
}

SMPTRACE_SHA_NI std::array<Sha256Digest, 2> ShaNiTwo(
    std::initializer_list<std::string_view> first,
    std::initializer_list<std::string_view> second) {
  PaddedBlocks messages[2] = {PaddedBlocks(first.begin(), first.end()),
                              PaddedBlocks(second.begin(), second.end())};
  ShaNiState states[2] = {InitialState(), InitialState()};
  const size_t together = std::min(messages[0].blocks(), messages[1].blocks());
  for (size_t i = 0; i < together; ++i) {
    const unsigned char* blocks[2] = {messages[0].Next(), messages[1].Next()};
    CompressBlocks<2>(states, blocks);
  }
  for (int j = 0; j < 2; ++j) {
    for (size_t i = together; i < messages[j].blocks(); ++i) {
      const unsigned char* block = messages[j].Next();
      CompressBlocks<1>(&states[j], &block);
    }
  }
  return {Finish(states[0]), Finish(states[1])};
}

#undef SMPTRACE_SHA_NI

#endif  // __x86_64__

}  // namespace

std::array<Sha256Digest, 2> Sha256OfTwo(
    std::initializer_list<std::string_view> first,
    std::initializer_list<std::string_view> second) {
#if defined(__x86_64__)
  static const bool sha_ni = CpuHasShaExtensions();
  if (sha_ni) return ShaNiTwo(first, second);
#endif
  return {Sha256Of(first), Sha256Of(second)};
}

}  // namespace smptrace::storage
