#include "service/api/admin_service.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "service/api/status.h"

namespace smptrace::api {

v1::RebuildCheckResponse ToProto(const ledger::RebuildReport& report) {
  v1::RebuildCheckResponse r;
  r.set_ok(report.ok);
  r.set_events_replayed(report.events_replayed);
  r.set_records_compared(report.records_compared);
  for (const auto& d : report.differences) r.add_differences(d);
  return r;
}

std::string RebuildScratchDir(const std::string& data_dir) {
  static std::atomic<int> counter{0};
  std::filesystem::path dir =
      std::filesystem::absolute(data_dir).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();
  return absl::StrCat(dir.string(), ".rebuild-check-", getpid(), "-",
                      counter.fetch_add(1));
}

grpc::Status AdminService::RebuildCheck(grpc::ServerContext*,
                                        const v1::RebuildCheckRequest* request,
                                        v1::RebuildCheckResponse* response) {
  if (request->max_differences() < 0) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        "max_differences: must be 0 (default 20) or positive"));
  }
  int max = request->max_differences() == 0 ? 20 : request->max_differences();
  auto report = ledger::RebuildCheck(*store_.NewSnapshot(),
                                     RebuildScratchDir(store_.dir()), max);
  if (!report.ok()) return ToGrpcStatus(report.status());
  *response = ToProto(*report);
  return grpc::Status::OK;
}

}  // namespace smptrace::api
