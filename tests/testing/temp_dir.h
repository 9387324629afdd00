// A fresh directory per test, removed when the test ends. Lives under
// $TEST_TMPDIR when set (ctest sets nothing; we default to /tmp). When it
// cannot be made, the constructor throws std::runtime_error naming the path
// and the reason (the test fails there).
#ifndef SMPTRACE_TESTS_TESTING_TEMP_DIR_H_
#define SMPTRACE_TESTS_TESTING_TEMP_DIR_H_

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace smptrace::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    const std::string wanted =
        std::string(base != nullptr ? base : "/tmp") + "/smptrace-test-XXXXXX";
    std::string pattern = wanted;
    if (mkdtemp(pattern.data()) == nullptr) {
      // Fail loudly: a test that went on without its directory would write
      // somewhere else, or fail later for a reason that is not its own.
      // GoogleTest reports the exception as the test's failure.
      throw std::runtime_error("TempDir: cannot create " + wanted + ": " +
                               std::strerror(errno));
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // A path inside the directory (not created).
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_TEMP_DIR_H_
