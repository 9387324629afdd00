// Moved to service/ledger/{sessions,clients,disposal}/state.h (the ledger by
// aggregate, issue 16). Kept only for the read models and API files that still
// include this path while they move to service/query/; include the new path in
// new code.
#ifndef SMPTRACE_SERVICE_LEDGER_SESSION_STATE_H_
#define SMPTRACE_SERVICE_LEDGER_SESSION_STATE_H_

#include "service/ledger/clients/state.h"   // IWYU pragma: export
#include "service/ledger/disposal/state.h"  // IWYU pragma: export
#include "service/ledger/sessions/state.h"  // IWYU pragma: export

#endif  // SMPTRACE_SERVICE_LEDGER_SESSION_STATE_H_
