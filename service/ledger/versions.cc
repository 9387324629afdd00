#include "service/ledger/versions.h"

#include "absl/strings/str_cat.h"
#include "common/string_view.h"

namespace smptrace::ledger {

absl::Status CheckExpectedVersion(std::string_view what, std::string_view id,
                                  int64_t expected, int64_t current) {
  if (expected != 0 && expected != current) {
    return absl::AbortedError(absl::StrCat(
        ToAbsl(what), " ", ToAbsl(id), " is at version ", current, ", not ",
        expected, ": it was changed meanwhile; read it again and retry"));
  }
  return absl::OkStatus();
}

}  // namespace smptrace::ledger
