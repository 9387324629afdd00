// Reading small text files named on a command line (certificates, keys,
// tokens, policies), with errors that name the flag and the path.
#ifndef SMPTRACE_COMMON_FILES_H_
#define SMPTRACE_COMMON_FILES_H_

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/string_view.h"

namespace smptrace {

// The whole of `path`. InvalidArgument "--tls_cert /x.pem: cannot read (No
// such file or directory)" naming `what` (the flag) otherwise.
inline absl::StatusOr<std::string> ReadTextFile(std::string_view what,
                                                const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(what), " ", path, ": cannot read (", std::strerror(errno), ")"));
  }
  return text.str();
}

}  // namespace smptrace

#endif  // SMPTRACE_COMMON_FILES_H_
