// The API form of a rebuild check (replay the journal into a scratch store
// and compare), and where that scratch store goes. Shared by the server's
// AdminService.RebuildCheck and `smptrace admin rebuild-check --data_dir`.
#ifndef SMPTRACE_SERVICE_PROOF_REBUILD_REPORT_H_
#define SMPTRACE_SERVICE_PROOF_REBUILD_REPORT_H_

#include <string>

#include "service/ledger/rebuild.h"
#include "smptrace/v1/admin.pb.h"

namespace smptrace::proof {

// The API form of a rebuild report.
v1::RebuildCheckResponse ToProto(const ledger::RebuildReport& report);

// Where a rebuild check of the store in `data_dir` replays: a fresh sibling
// directory, so it never lands inside RocksDB's own directory.
std::string RebuildScratchDir(const std::string& data_dir);

}  // namespace smptrace::proof

#endif  // SMPTRACE_SERVICE_PROOF_REBUILD_REPORT_H_
