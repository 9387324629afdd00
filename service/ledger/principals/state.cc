#include "service/ledger/principals/state.h"

#include <map>
#include <utility>

#include "common/status_macros.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

}  // namespace

absl::StatusOr<std::optional<v1::Principal>> ReadPrincipal(
    const storage::Reader& reader, std::string_view name) {
  return ReadRecord<v1::Principal>(reader, Cf::kState, keys::PrincipalKey(name),
                                   "principal");
}

absl::StatusOr<std::optional<v1::StoredToken>> ReadStoredToken(
    const storage::Reader& reader, uint64_t n) {
  return ReadNumbered<v1::StoredToken>(reader, kTokenRecord, n);
}

absl::StatusOr<std::optional<std::string>> PrincipalOfCertificate(
    const storage::Reader& reader, std::string_view cn) {
  return reader.Get(Cf::kIndex, keys::PrincipalByCertificateKey(cn));
}

absl::StatusOr<std::vector<v1::Principal>> ListPrincipals(
    const storage::Reader& reader) {
  SMPTRACE_ASSIGN_OR_RETURN(
      auto out, ReadAllRecords<v1::Principal>(
                    reader, keys::StateTag::kPrincipal, "principal"));
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < out.size(); ++i) index[out[i].name()] = i;
  SMPTRACE_ASSIGN_OR_RETURN(auto tokens, ReadAllTokens(reader));
  for (auto& t : tokens) {
    auto it = index.find(t.info().principal());
    if (it != index.end()) *out[it->second].add_tokens() = t.info();
  }
  return out;
}

absl::StatusOr<std::vector<v1::StoredToken>> ReadAllTokens(
    const storage::Reader& reader) {
  return ReadAllRecords<v1::StoredToken>(reader, keys::StateTag::kToken,
                                         "token");
}

}  // namespace smptrace::ledger
