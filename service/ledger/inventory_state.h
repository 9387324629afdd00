// Moved to service/ledger/stock/state.h (the ledger by aggregate, issue 16).
// Kept only for the read models and API files that still include this path
// while they move to service/query/; include the new path in new code.
#ifndef SMPTRACE_SERVICE_LEDGER_INVENTORY_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_INVENTORY_STATE_H_

#include "service/ledger/stock/state.h"  // IWYU pragma: export

#endif  // SMPTRACE_SERVICE_LEDGER_INVENTORY_STATE_H_
