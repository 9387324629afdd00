// gMock matcher for a rule refusal over gRPC: FAILED_PRECONDITION carrying a
// smptrace.v1.Refusal with the given reason code.
//   EXPECT_THAT(status, IsRefusal("lot_recalled", HasSubstr("FSN-1")));
#ifndef SMPTRACE_TESTS_TESTING_REFUSAL_MATCHERS_H_
#define SMPTRACE_TESTS_TESTING_REFUSAL_MATCHERS_H_

#include <string>

#include "gmock/gmock.h"
#include "grpcpp/support/status.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::testing {

// The refusal reason a status carries, "" if none.
inline std::string RefusalReasonOf(const grpc::Status& status) {
  v1::StatusDetails details;
  v1::Refusal refusal;
  if (!details.ParseFromString(status.error_details()) ||
      details.details_size() != 1 || !details.details(0).UnpackTo(&refusal)) {
    return "";
  }
  return refusal.reason();
}

MATCHER_P2(IsRefusal, reason, message_matcher, "") {
  const std::string got = RefusalReasonOf(arg);
  *result_listener << "status is " << static_cast<int>(arg.error_code()) << " ["
                   << got << "]: " << arg.error_message();
  return arg.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
         got == reason &&
         ::testing::ExplainMatchResult(message_matcher, arg.error_message(),
                                       result_listener);
}

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_REFUSAL_MATCHERS_H_
