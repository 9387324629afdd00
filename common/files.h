// Reading small text files named on a command line (certificates, keys,
// tokens, policies), with errors that name the flag and the path.
#ifndef SMPTRACE_COMMON_FILES_H_
#define SMPTRACE_COMMON_FILES_H_

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
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

// Creates `path` with mode 0600 and writes `text` to it, durably (fsync).
// Never overwrites: an existing file (or a symlink) is an error naming `what`
// and the path. Nothing is left behind on failure.
inline absl::Status WritePrivateFile(std::string_view what,
                                     const std::string& path,
                                     std::string_view text) {
  const int fd = open(
      path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(what), " ", path, ": cannot create (", std::strerror(error),
        error == EEXIST
            ? "; it is never overwritten: remove it or name another file"
            : "",
        ")"));
  }
  bool ok = true;
  for (size_t done = 0; ok && done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  const int error = errno;
  ok = close(fd) == 0 && ok;
  if (!ok) {
    unlink(path.c_str());
    return absl::InternalError(absl::StrCat(ToAbsl(what), " ", path,
                                            ": cannot write (",
                                            std::strerror(error), ")"));
  }
  return absl::OkStatus();
}

// Replaces `path` with `text` so that a reader sees the old file or the new
// one, never a part: a new file PATH.new (0600, fsynced) renamed over it,
// then the directory fsynced. Errors name `what` and the path.
inline absl::Status ReplacePrivateFile(std::string_view what,
                                       const std::string& path,
                                       std::string_view text) {
  const std::string fresh = path + ".new";
  unlink(fresh.c_str());  // left by a run that died before its rename
  absl::Status written = WritePrivateFile(what, fresh, text);
  if (!written.ok()) return written;
  if (rename(fresh.c_str(), path.c_str()) != 0) {
    const int error = errno;
    unlink(fresh.c_str());
    return absl::InternalError(absl::StrCat(ToAbsl(what), " ", path,
                                            ": cannot replace (",
                                            std::strerror(error), ")"));
  }
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  return absl::OkStatus();
}

}  // namespace smptrace

#endif  // SMPTRACE_COMMON_FILES_H_
