// TempDir: a fresh directory per test, and a loud failure when it cannot
// be made.
#include "tests/testing/temp_dir.h"

#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Sets TEST_TMPDIR for the scope of one test, then puts back what was there.
class ScopedTestTmpdir {
 public:
  explicit ScopedTestTmpdir(const std::string& value) {
    if (const char* old = std::getenv("TEST_TMPDIR")) old_ = old;
    setenv("TEST_TMPDIR", value.c_str(), 1);
  }
  ~ScopedTestTmpdir() {
    if (old_.has_value()) {
      setenv("TEST_TMPDIR", old_->c_str(), 1);
    } else {
      unsetenv("TEST_TMPDIR");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(TempDir, MakesAFreshDirectoryAndRemovesIt) {
  std::string path;
  {
    TempDir a;
    TempDir b;
    path = a.path();
    EXPECT_TRUE(std::filesystem::is_directory(a.path()));
    EXPECT_NE(a.path(), b.path());
    EXPECT_EQ(a.Sub("x"), a.path() + "/x");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempDir, ThrowsNamingThePathWhenItCannotBeMade) {
  TempDir outer;
  ScopedTestTmpdir missing(outer.Sub("does-not-exist"));
  try {
    TempDir dir;
    ADD_FAILURE() << "made " << dir.path() << " under a missing directory";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(),
                StartsWith("TempDir: cannot create " +
                           outer.Sub("does-not-exist/smptrace-test-XXXXXX: ")));
    EXPECT_THAT(e.what(), HasSubstr("No such file or directory"));
  }
}

}  // namespace
}  // namespace smptrace::testing
