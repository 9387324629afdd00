// Requests whose bytes are not a message of the request type (bad UTF-8 in
// a string field, a truncated body), sent as raw bytes with a GenericStub to
// a real in-process server: INVALID_ARGUMENT naming the method and the
// reason, nothing written, a throttled log, and the server serves the next
// call. Also the LogThrottle that bounds such logs.
#include "service/api/request_decoding.h"

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "service/api/log_throttle.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::GrpcStatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(LogThrottle, AdmitsLinesPerMinuteThenCountsTheRest) {
  testing::FakeClock clock;
  LogThrottle throttle(&clock, 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(throttle.Admit(), 0);
  EXPECT_EQ(throttle.Admit(), std::nullopt);
  EXPECT_EQ(throttle.Admit(), std::nullopt);
  clock.Advance(absl::Seconds(59));
  EXPECT_EQ(throttle.Admit(), std::nullopt);
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(throttle.Admit(), 3);  // the three not logged
  EXPECT_EQ(throttle.Admit(), 0);
  EXPECT_EQ(LogThrottle::Suffix(0), "");
  EXPECT_EQ(LogThrottle::Suffix(3), "; 3 not logged before this");
}

constexpr char kCreateProduct[] = "/smptrace.v1.CatalogService/CreateProduct";

class RequestDecodingTest : public testing::ClinicServerTest {
 protected:
  void SetUp() override {
    // Capture the log to count its lines.
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_, true);
    spdlog::default_logger()->sinks().push_back(sink_);
    ClinicServerTest::SetUp();
  }
  void TearDown() override {
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    ClinicServerTest::TearDown();
  }

  // Sends `bytes` as the request body of `method`.
  grpc::Status SendRaw(const std::string& method, const std::string& bytes) {
    grpc::GenericStub stub(server_->InProcessChannel());
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
    grpc::Status status;
    absl::Notification done;
    stub.UnaryCall(&ctx, method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) {
                     status = std::move(s);
                     done.Notify();
                   });
    done.WaitForNotification();
    return status;
  }

  // A call that works: reading the clinic's products.
  grpc::Status ListProducts() {
    grpc::ClientContext ctx;
    v1::ListProductsResponse out;
    return catalog_->ListProducts(&ctx, v1::ListProductsRequest(), &out);
  }

  int LogLinesWith(const std::string& text) {
    std::istringstream in(log_.str());
    int n = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.find(text) != std::string::npos) ++n;
    }
    return n;
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

// Field 1 (request_id, a string) holding 0xC3 0x28: not UTF-8.
const std::string kBadUtf8("\x0a\x02\xc3\x28", 4);
// Field 1 announcing 10 bytes and carrying 3.
const std::string kTruncated(
    "\x0a\x0a"
    "abc",
    5);

TEST_F(RequestDecodingTest, InvalidUtf8IsInvalidArgumentNamingTheField) {
  const uint64_t seq = server_->journal_head().seq;
  EXPECT_THAT(SendRaw(kCreateProduct, kBadUtf8),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           "request to CatalogService/CreateProduct could not "
                           "be decoded: field "
                           "smptrace.v1.CreateProductRequest.request_id is "
                           "not valid UTF-8"));
  EXPECT_EQ(server_->journal_head().seq, seq);
  // The server serves the next call.
  EXPECT_TRUE(ListProducts().ok());
}

TEST_F(RequestDecodingTest, TruncatedBodyIsInvalidArgument) {
  const uint64_t seq = server_->journal_head().seq;
  EXPECT_THAT(SendRaw(kCreateProduct, kTruncated),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           AllOf(HasSubstr("request to "
                                           "CatalogService/CreateProduct "
                                           "could not be decoded"),
                                 HasSubstr("truncated or corrupt"))));
  EXPECT_EQ(server_->journal_head().seq, seq);
  EXPECT_TRUE(ListProducts().ok());
}

TEST_F(RequestDecodingTest, ValidRequestsAndHandlerErrorsAreUntouched) {
  // A decodable request that the handler refuses keeps its own answer.
  EXPECT_THAT(SendRaw(kCreateProduct, ""),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           AllOf(HasSubstr("request_id"),
                                 Not(HasSubstr("could not be decoded")))));
  EXPECT_TRUE(ListProducts().ok());
}

TEST_F(RequestDecodingTest, ManyUndecodableRequestsLogAtMostSixtyLines) {
  constexpr int kRequests = 150;
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_EQ(
        SendRaw(kCreateProduct, i % 2 ? kBadUtf8 : kTruncated).error_code(),
        grpc::StatusCode::INVALID_ARGUMENT);
  }
  spdlog::default_logger()->flush();
  // Nothing from protobuf unthrottled, and the process-wide throttle
  // (shared with earlier tests in this binary) let at most 60 through.
  EXPECT_EQ(LogLinesWith("libprotobuf"), 0) << log_.str();
  EXPECT_LE(LogLinesWith("undecodable request"), 60);
  EXPECT_TRUE(ListProducts().ok());
}

}  // namespace
}  // namespace smptrace::api
