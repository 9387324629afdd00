// What this build is: smptrace's version (CMake's project version), the git
// commit it was built from, for `--version` and the start-up log line. The
// values come from a file generated at build time (cmake/build_info.cmake).
#ifndef SMPTRACE_COMMON_BUILD_INFO_H_
#define SMPTRACE_COMMON_BUILD_INFO_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace smptrace {

// "0.1.0": the project() version of the top CMakeLists.txt.
const char* BuildVersion();
// The full git commit hash of the source tree the build was made from;
// "unknown" when it was not built from a git checkout.
const char* BuildCommit();

// One line for `PROGRAM --version`:
//   smptraced 0.1.0 (commit 3f2a…, data format 2)
// `data_format` is the store layout the program reads and writes
// (storage::kSchemaVersion).
std::string VersionText(std::string_view program, uint64_t data_format);

}  // namespace smptrace

#endif  // SMPTRACE_COMMON_BUILD_INFO_H_
