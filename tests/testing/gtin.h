// GS1 check digits for test data, written out here rather than taken from
// service/domain so that tests do not trust the code under test.
#ifndef SMPTRACE_TESTS_TESTING_GTIN_H_
#define SMPTRACE_TESTS_TESTING_GTIN_H_

#include <string>

namespace smptrace::testing {

// `digits` with the GS1 mod-10 check digit appended.
inline std::string WithCheckDigit(const std::string& digits) {
  int sum = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    int digit = digits[digits.size() - 1 - i] - '0';
    sum += digit * (i % 2 == 0 ? 3 : 1);
  }
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// A valid GTIN-14 for test product n (0 <= n < 1000000): 0950600, n in six
// digits, and its check digit.
inline std::string TestGtin(int n) {
  return WithCheckDigit("0950600" + std::to_string(1000000 + n).substr(1));
}

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_GTIN_H_
