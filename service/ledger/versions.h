// Records kept as versions (products, suppliers, locations, clients): each
// change is a new version, stamped with when and by whom, and an update may
// name the version it was based on.
#ifndef SMPTRACE_SERVICE_LEDGER_VERSIONS_H_
#define SMPTRACE_SERVICE_LEDGER_VERSIONS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "service/ledger/dates.h"
#include "service/ledger/decide.h"

namespace smptrace::ledger {

// Stamps `record` as `version`, changed now by the command's actor.
template <typename T>
void Stamp(const DecisionContext& ctx, int64_t version, T* record) {
  record->set_version(version);
  *record->mutable_updated_at() = ToProto(ctx.now);
  record->set_updated_by(std::string(ctx.actor));
}

// Aborted ("product 0950... is at version 3, not 2: it was changed
// meanwhile; read it again and retry") when `expected` is set and is not
// `current`.
absl::Status CheckExpectedVersion(std::string_view what, std::string_view id,
                                  int64_t expected, int64_t current);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_VERSIONS_H_
