#include "service/ledger/principals/apply.h"

#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/principals/state.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

}  // namespace

absl::Status ApplyPrincipalRecorded(const v1::PrincipalRecorded& e,
                                    storage::WriteTxn& txn) {
  const v1::Principal& p = e.principal();
  SMPTRACE_ASSIGN_OR_RETURN(auto previous, ReadPrincipal(txn, p.name()));
  if (previous.has_value() && !previous->certificate_cn().empty()) {
    txn.Delete(Cf::kIndex,
               keys::PrincipalByCertificateKey(previous->certificate_cn()));
  }
  if (!p.disabled() && !p.certificate_cn().empty()) {
    txn.Put(Cf::kIndex, keys::PrincipalByCertificateKey(p.certificate_cn()),
            p.name());
  }
  v1::Principal stored = p;
  stored.clear_tokens();
  txn.Put(Cf::kState, keys::PrincipalKey(p.name()), Serialize(stored));
  for (const auto& t : e.tokens()) {
    SMPTRACE_RETURN_IF_ERROR(
        PutNumbered(kTokenRecord, t.info().token_id(), t, txn));
  }
  return absl::OkStatus();
}

}  // namespace smptrace::ledger
