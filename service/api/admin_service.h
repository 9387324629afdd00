// AdminService: operations on the store itself.
#ifndef SMPTRACE_SERVICE_API_ADMIN_SERVICE_H_
#define SMPTRACE_SERVICE_API_ADMIN_SERVICE_H_

#include "service/ledger/rebuild.h"
#include "smptrace/v1/admin.grpc.pb.h"
#include "storage/store.h"

namespace smptrace::api {

// The API form of a rebuild report (shared with the offline CLI).
v1::RebuildCheckResponse ToProto(const ledger::RebuildReport& report);

// Where a rebuild check of the store in `data_dir` replays: a fresh sibling
// directory, so it never lands inside RocksDB's own directory.
std::string RebuildScratchDir(const std::string& data_dir);

class AdminService final : public v1::AdminService::Service {
 public:
  // REQUIRES: store outlives the service.
  explicit AdminService(const storage::Store* store) : store_(*store) {}

  grpc::Status RebuildCheck(grpc::ServerContext* context,
                            const v1::RebuildCheckRequest* request,
                            v1::RebuildCheckResponse* response) override;

 private:
  const storage::Store& store_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_ADMIN_SERVICE_H_
