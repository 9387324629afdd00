// gMock matchers for absl::Status / absl::StatusOr and grpc::Status:
//   EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("x")));
//   EXPECT_THAT(grpc_status, GrpcStatusIs(grpc::StatusCode::NOT_FOUND, _));
#ifndef SMPTRACE_TESTS_TESTING_STATUS_MATCHERS_H_
#define SMPTRACE_TESTS_TESTING_STATUS_MATCHERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "grpcpp/support/status.h"

namespace smptrace::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(s.message()), result_listener);
}

MATCHER(IsOk, "") {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.ok();
}

MATCHER_P2(GrpcStatusIs, code, message_matcher, "") {
  *result_listener << "status is " << static_cast<int>(arg.error_code()) << ": "
                   << arg.error_message();
  return arg.error_code() == code &&
         ::testing::ExplainMatchResult(message_matcher, arg.error_message(),
                                       result_listener);
}

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_STATUS_MATCHERS_H_
