// Moved to service/ledger/catalog/state.h (the ledger by aggregate, issue 16).
// Kept only for the read models and API files that still include this path
// while they move to service/query/; include the new path in new code.
#ifndef SMPTRACE_SERVICE_LEDGER_CATALOG_STATE_FORWARDING_H_
#define SMPTRACE_SERVICE_LEDGER_CATALOG_STATE_FORWARDING_H_

#include "service/ledger/catalog/state.h"  // IWYU pragma: export

#endif  // SMPTRACE_SERVICE_LEDGER_CATALOG_STATE_FORWARDING_H_
