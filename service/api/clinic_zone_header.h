// Every answer of smptraced names the clinic's time zone in a response
// header (kClinicTimeZoneHeader, common/clinic_time.h), so that a client
// shows times as the server's certificates and exports do without being
// configured twice.
#ifndef SMPTRACE_SERVICE_API_CLINIC_ZONE_HEADER_H_
#define SMPTRACE_SERVICE_API_CLINIC_ZONE_HEADER_H_

#include <memory>

#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"

namespace smptrace::api {

// For ServerBuilder::experimental().SetInterceptorCreators(): adds
// "smptrace-clinic-time-zone: <zone.name()>" to every call's initial
// metadata.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewClinicZoneHeaderFactory(absl::TimeZone zone);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_CLINIC_ZONE_HEADER_H_
