// A fresh directory per test, removed when the test ends. Lives under
// $TEST_TMPDIR when set (ctest sets nothing; we default to /tmp).
#ifndef SMPTRACE_TESTS_TESTING_TEMP_DIR_H_
#define SMPTRACE_TESTS_TESTING_TEMP_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <string>

namespace smptrace::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string pattern =
        std::string(base != nullptr ? base : "/tmp") + "/smptrace-test-XXXXXX";
    char* made = mkdtemp(pattern.data());
    path_ = made != nullptr ? made : "";
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
