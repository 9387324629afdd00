#include "storage/sha256.h"

#include <openssl/sha.h>

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

}  // namespace smptrace::storage
