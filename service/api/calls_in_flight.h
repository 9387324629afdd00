// Counts the calls the server is running, so that a graceful stop can tell
// when every call has finished and only idle connections are left (gRPC's
// own shutdown waits for those until the grace period ends). A server
// interceptor is created as a call starts and destroyed when it ends.
#ifndef SMPTRACE_SERVICE_API_CALLS_IN_FLIGHT_H_
#define SMPTRACE_SERVICE_API_CALLS_IN_FLIGHT_H_

#include <cstdint>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"

namespace smptrace::api {

// Thread-safe.
class CallsInFlight {
 public:
  // For ServerBuilder::experimental().SetInterceptorCreators(): counts every
  // call of the server. REQUIRES: this outlives the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  NewInterceptorFactory();

  // Blocks until no call is running or `deadline` passes; returns whether
  // none is.
  bool AwaitNone(absl::Time deadline);

  int64_t count();

 private:
  friend class CallCounter;
  void Add(int64_t n);

  absl::Mutex mu_;
  int64_t calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CALLS_IN_FLIGHT_H_
