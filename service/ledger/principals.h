// Moved to service/ledger/principals/decide.h (the ledger by aggregate, issue
// 16). Kept only for the read models and API files that still include this path
// while they move to service/query/; include the new path in new code.
#ifndef SMPTRACE_SERVICE_LEDGER_PRINCIPALS_H_
#define SMPTRACE_SERVICE_LEDGER_PRINCIPALS_H_

#include "service/ledger/principals/decide.h"  // IWYU pragma: export

#endif  // SMPTRACE_SERVICE_LEDGER_PRINCIPALS_H_
