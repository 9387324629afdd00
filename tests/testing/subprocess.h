// Child processes for end-to-end tests: start a program (posix_spawn), keep
// its stdout and stderr (in memory files or files named by the test), signal
// it, wait for it, and wait for a file it writes when it is ready. FreeServer
// starts a real smptraced on 127.0.0.1 with a free port.
//
//   TempDir data;
//   auto server = FreeServer::Start(data.path());
//   ASSERT_TRUE(server.ok()) << server.status();
//   ProcessResult r = RunProcess({SmptraceCliPath(), "--server",
//                                 (*server)->address(), "product", "list"});
//   EXPECT_EQ(r.exit.code, 0) << r.err;
//   EXPECT_TRUE((*server)->Stop().ok()) << (*server)->Log();
//
// Linux only (memfd_create). Thread-safe in the sense that separate
// Subprocess objects may be used from separate threads at once.
#ifndef SMPTRACE_TESTS_TESTING_SUBPROCESS_H_
#define SMPTRACE_TESTS_TESTING_SUBPROCESS_H_

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "tests/testing/temp_dir.h"

extern char** environ;

namespace smptrace::testing {

// How a child ended.
struct ExitStatus {
  // True if it called exit(); false if a signal ended it.
  bool exited = false;
  // exit() code when `exited`, else -1.
  int code = -1;
  // The signal that ended it when !`exited`, else 0.
  int signal = 0;

  bool ok() const { return exited && code == 0; }
  std::string ToString() const {
    return exited ? absl::StrCat("exit code ", code)
                  : absl::StrCat("killed by signal ", signal, " (",
                                 strsignal(signal), ")");
  }
};

// Where a child's stdout/stderr go. Empty: an anonymous in-memory file that
// Subprocess::Stdout()/Stderr() read back. Otherwise a file, created or
// truncated.
struct OutputFiles {
  std::string stdout_path;
  std::string stderr_path;
  // What the child reads as stdin; empty: /dev/null.
  std::string stdin_path;
};

class Subprocess {
 public:
  // Starts argv[0] (a path; PATH is not searched) with `argv`, stdin from
  // output.stdin_path (or /dev/null), the default disposition for every signal
  // and none blocked. Errors: Internal if the program cannot be started
  // (missing, not executable) or an output file cannot be opened.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv, const OutputFiles& output = {}) {
    std::unique_ptr<Subprocess> p(new Subprocess);
    p->out_fd_ = OpenOutput(output.stdout_path, "stdout");
    p->err_fd_ = OpenOutput(output.stderr_path, "stderr");
    if (p->out_fd_ < 0 || p->err_fd_ < 0) {
      return absl::InternalError(absl::StrCat("cannot open the output of ",
                                              argv.at(0), ": ",
                                              std::strerror(errno)));
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string in =
        output.stdin_path.empty() ? "/dev/null" : output.stdin_path;
    posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, p->out_fd_, 1);
    posix_spawn_file_actions_adddup2(&actions, p->err_fd_, 2);

    // The child gets a clean signal state whatever this thread has blocked
    // or ignored (smptraced relies on sigwait for SIGTERM).
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigfillset(&defaults);
    sigdelset(&defaults, SIGKILL);
    sigdelset(&defaults, SIGSTOP);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int rc =
        posix_spawn(&p->pid_, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
      p->pid_ = -1;
      return absl::InternalError(
          absl::StrCat("cannot start ", argv[0], ": ", std::strerror(rc)));
    }
    return p;
  }

  // Kills (SIGKILL) and reaps the child if it is still running.
  ~Subprocess() {
    if (pid_ > 0 && !exit_.has_value()) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
    if (out_fd_ >= 0) close(out_fd_);
    if (err_fd_ >= 0) close(err_fd_);
  }
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }

  // Sends `signal_number` (SIGTERM, SIGKILL, ...). Returns false if the
  // child was already reaped or the signal could not be sent.
  bool Signal(int signal_number) {
    if (exit_.has_value()) return false;
    return ::kill(pid_, signal_number) == 0;
  }

  // Blocks until the child ends; returns how. Repeated calls return the
  // same answer.
  ExitStatus Wait() {
    if (exit_.has_value()) return *exit_;
    int status = 0;
    pid_t r;
    do {
      r = waitpid(pid_, &status, 0);
    } while (r < 0 && errno == EINTR);
    exit_ = Decode(status);
    return *exit_;
  }

  // How the child ended, or nullopt if it is still running. Does not block.
  std::optional<ExitStatus> Poll() {
    if (exit_.has_value()) return exit_;
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) exit_ = Decode(status);
    return exit_;
  }

  // What the child wrote so far (in-memory or named output alike).
  std::string Stdout() const { return ReadAll(out_fd_); }
  std::string Stderr() const { return ReadAll(err_fd_); }

 private:
  Subprocess() = default;

  static int OpenOutput(const std::string& path, const char* name) {
    if (path.empty()) return memfd_create(name, MFD_CLOEXEC);
    return open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }

  static std::string ReadAll(int fd) {
    std::string text;
    char buffer[8192];
    off_t offset = 0;
    for (;;) {
      ssize_t n = pread(fd, buffer, sizeof(buffer), offset);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      text.append(buffer, static_cast<size_t>(n));
      offset += n;
    }
    return text;
  }

  static ExitStatus Decode(int status) {
    ExitStatus e;
    if (WIFEXITED(status)) {
      e.exited = true;
      e.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      e.signal = WTERMSIG(status);
    }
    return e;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::optional<ExitStatus> exit_;
};

// A finished run: how it ended and everything it printed.
struct ProcessResult {
  ExitStatus exit;
  std::string out;
  std::string err;
};

// Runs `argv` to completion, with `stdin_text` as its standard input (as a
// file, not a terminal). A program that cannot be started reports exit code
// 127 and the reason in `err`, as a shell would.
inline ProcessResult RunProcess(const std::vector<std::string>& argv,
                                const std::string& stdin_text = "") {
  ProcessResult result;
  OutputFiles files;
  TempDir scratch;
  if (!stdin_text.empty()) {
    files.stdin_path = scratch.Sub("stdin");
    std::ofstream(files.stdin_path, std::ios::binary) << stdin_text;
  }
  auto p = Subprocess::Start(argv, files);
  if (!p.ok()) {
    result.exit.exited = true;
    result.exit.code = 127;
    result.err = std::string(p.status().message());
    return result;
  }
  result.exit = (*p)->Wait();
  result.out = (*p)->Stdout();
  result.err = (*p)->Stderr();
  return result;
}

// Waits until `path` exists and returns its contents. Gives up with
// DeadlineExceeded after `limit`, or with FailedPrecondition as soon as
// `writer` (if given) has exited, since then the file will never come. The
// writer must create the file atomically (write elsewhere, then rename).
// This polls: it waits for a condition; `limit` only bounds a hang.
inline absl::StatusOr<std::string> WaitForFile(
    const std::string& path, Subprocess* writer = nullptr,
    std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  for (;;) {
    std::ifstream in(path);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      return text.str();
    }
    if (writer != nullptr) {
      if (auto ended = writer->Poll(); ended.has_value()) {
        return absl::FailedPreconditionError(
            absl::StrCat("the process that should write ", path,
                         " ended first (", ended->ToString(), "); stderr:\n",
                         writer->Stderr(), "stdout:\n", writer->Stdout()));
      }
    }
    if (std::chrono::steady_clock::now() > give_up) {
      return absl::DeadlineExceededError(
          absl::StrCat(path, " did not appear within ", limit.count(), " ms"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

#ifdef SMPTRACE_BINARY_DIR
// The binaries under test, from this build tree.
inline std::string SmptracedPath() {
  return std::string(SMPTRACE_BINARY_DIR) + "/service/api/smptraced";
}
inline std::string SmptraceCliPath() {
  return std::string(SMPTRACE_BINARY_DIR) + "/client/smptrace";
}

// Runs this build's smptrace CLI against `server` with `args` (a 30 s
// deadline per call) and `stdin_text` as its input.
inline ProcessResult RunCli(const std::string& server,
                            const std::vector<std::string>& args,
                            const std::string& stdin_text = "") {
  std::vector<std::string> argv = {SmptraceCliPath(), "--server", server,
                                   "--timeout", "30"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, stdin_text);
}
#endif

// A real smptraced listening on 127.0.0.1 with a port the kernel picked,
// started with --insecure_dev (or, with StartSecured, with the TLS and auth
// flags the test gives). Its log is kept in memory (Log()). The destructor
// kills it (SIGKILL) if it is still running.
class FreeServer {
 public:
  // Starts `smptraced_path` --insecure_dev on `data_dir` (created if
  // missing) with `extra_args` appended, and returns once it is serving.
  // Errors: Internal if it cannot be started; FailedPrecondition (with its
  // log) if it exits before it is ready; DeadlineExceeded if it is not ready
  // within 30 s.
  static absl::StatusOr<std::unique_ptr<FreeServer>> Start(
      const std::string& smptraced_path, const std::string& data_dir,
      const std::vector<std::string>& extra_args = {}) {
    std::vector<std::string> args = {"--insecure_dev"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return StartWith(smptraced_path, data_dir, args);
  }

  // The same without --insecure_dev: `args` say how it is secured.
  // `listen`: the address to listen on; the default picks a free port, an
  // earlier server's address() restarts a server where clients expect it.
  static absl::StatusOr<std::unique_ptr<FreeServer>> StartWith(
      const std::string& smptraced_path, const std::string& data_dir,
      const std::vector<std::string>& args,
      const std::string& listen = "127.0.0.1:0") {
    std::unique_ptr<FreeServer> server(new FreeServer);
    const std::string ready_file = server->scratch_.Sub("ready");
    std::vector<std::string> argv = {
        smptraced_path, "--data_dir",   data_dir,  "--listen",
        listen,         "--ready_file", ready_file};
    argv.insert(argv.end(), args.begin(), args.end());
    auto process = Subprocess::Start(argv);
    if (!process.ok()) return process.status();
    server->process_ = std::move(*process);
    auto ready = WaitForFile(ready_file, server->process_.get());
    if (!ready.ok()) return ready.status();
    std::string address = *ready;
    while (!address.empty() &&
           (address.back() == '\n' || address.back() == '\r')) {
      address.pop_back();
    }
    server->address_ = address;
    return server;
  }

#ifdef SMPTRACE_BINARY_DIR
  // The same, with this build tree's smptraced.
  static absl::StatusOr<std::unique_ptr<FreeServer>> Start(
      const std::string& data_dir) {
    return Start(SmptracedPath(), data_dir);
  }
#endif

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }
  Subprocess& process() { return *process_; }

  // SIGTERM (graceful shutdown) and wait.
  ExitStatus Stop() {
    process_->Signal(SIGTERM);
    return process_->Wait();
  }
  // SIGKILL (a crash, as far as the server can tell) and wait.
  ExitStatus Kill() {
    process_->Signal(SIGKILL);
    return process_->Wait();
  }
  // Everything the server logged so far (stdout, then stderr).
  std::string Log() const { return process_->Stdout() + process_->Stderr(); }

 private:
  FreeServer() = default;

  TempDir scratch_;  // holds the ready file
  std::string address_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_SUBPROCESS_H_
