#include "service/proof/rebuild_report.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace smptrace::proof {

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

}  // namespace smptrace::proof
