#include "service/api/clinic_zone_header.h"

#include <string>

#include "common/clinic_time.h"

namespace smptrace::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

class ClinicZoneHeader final : public grpc::experimental::Interceptor {
 public:
  explicit ClinicZoneHeader(const std::string& zone) : zone_(zone) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      m->GetSendInitialMetadata()->emplace(kClinicTimeZoneHeader, zone_);
    }
    m->Proceed();
  }

 private:
  const std::string& zone_;
};

class ClinicZoneHeaderFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ClinicZoneHeaderFactory(absl::TimeZone zone) : zone_(zone.name()) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo*) override {
    return new ClinicZoneHeader(zone_);
  }

 private:
  const std::string zone_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewClinicZoneHeaderFactory(absl::TimeZone zone) {
  return std::make_unique<ClinicZoneHeaderFactory>(zone);
}

}  // namespace smptrace::api
