#include "service/api/calls_in_flight.h"

namespace smptrace::api {

// Alive exactly as long as its call.
class CallCounter final : public grpc::experimental::Interceptor {
 public:
  explicit CallCounter(CallsInFlight* calls) : calls_(*calls) { calls_.Add(1); }
  ~CallCounter() override { calls_.Add(-1); }
  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    m->Proceed();
  }

 private:
  CallsInFlight& calls_;
};

namespace {

class CallCounterFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallCounterFactory(CallsInFlight* calls) : calls_(calls) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo*) override {
    return new CallCounter(calls_);
  }

 private:
  CallsInFlight* const calls_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallsInFlight::NewInterceptorFactory() {
  return std::make_unique<CallCounterFactory>(this);
}

void CallsInFlight::Add(int64_t n) {
  absl::MutexLock lock(&mu_);
  calls_ += n;
}

int64_t CallsInFlight::count() {
  absl::MutexLock lock(&mu_);
  return calls_;
}

bool CallsInFlight::AwaitNone(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto none = [this]()
                  ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return calls_ == 0; };
  return mu_.AwaitWithDeadline(absl::Condition(&none), deadline);
}

}  // namespace smptrace::api
