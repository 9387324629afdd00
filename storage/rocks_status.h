// The one conversion of rocksdb::Status into absl::Status, for storage/'s
// own files (rocksdb::Status never leaves storage/).
#ifndef SMPTRACE_STORAGE_ROCKS_STATUS_H_
#define SMPTRACE_STORAGE_ROCKS_STATUS_H_

#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace smptrace::storage {

// OK for OK; otherwise "`what`: <rocksdb's message>" as Corruption ->
// DataLoss, NoSpace -> ResourceExhausted, IOError/Busy/TimedOut/TryAgain ->
// Unavailable, NotFound -> NotFound, InvalidArgument -> FailedPrecondition,
// anything else -> Internal.
absl::Status FromRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace smptrace::storage

#endif  // SMPTRACE_STORAGE_ROCKS_STATUS_H_
