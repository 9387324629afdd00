#include "service/api/connect_protocol.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "smptrace/v1/common.pb.h"

namespace smptrace::api {
namespace {

// A JSON string literal (RFC 8259), UTF-8 passed through.
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, "\\u00",
                          absl::BytesToHexString(absl::string_view(&c, 1)));
        } else {
          out += c;
        }
    }
  }
  out += "\"";
  return out;
}

// One Connect error detail for a packed message.
std::string DetailJson(const google::protobuf::Any& any) {
  const std::string_view url = any.type_url();
  const size_t slash = url.rfind('/');
  const std::string type(
      slash == std::string_view::npos ? url : url.substr(slash + 1));
  std::string value;
  absl::Base64Escape(any.value(), &value);
  while (!value.empty() && value.back() == '=') value.pop_back();
  std::string out = absl::StrCat("{\"type\":", JsonString(type),
                                 ",\"value\":", JsonString(value));
  const google::protobuf::Descriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          type);
  if (descriptor != nullptr) {
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            descriptor);
    std::unique_ptr<google::protobuf::Message> message(prototype->New());
    std::string debug;
    if (message->ParseFromString(any.value()) &&
        google::protobuf::util::MessageToJsonString(*message, &debug).ok()) {
      absl::StrAppend(&out, ",\"debug\":", debug);
    }
  }
  out += "}";
  return out;
}

}  // namespace

std::string ConnectCodeName(grpc::StatusCode code) {
  // The same numbers as absl's codes; Connect spells them in lower case,
  // and "canceled" the American way.
  if (code == grpc::StatusCode::CANCELLED) return "canceled";
  return absl::AsciiStrToLower(
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code)));
}

int ConnectHttpStatus(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::DO_NOT_USE:
      break;
  }
  return 500;
}

std::string ConnectErrorJson(grpc::StatusCode code, std::string_view message,
                             std::string_view status_details) {
  std::string out = absl::StrCat("{\"code\":\"", ConnectCodeName(code),
                                 "\",\"message\":", JsonString(message));
  v1::StatusDetails details;
  if (!status_details.empty() &&
      details.ParseFromArray(status_details.data(),
                             static_cast<int>(status_details.size())) &&
      details.details_size() > 0) {
    out += ",\"details\":[";
    for (int i = 0; i < details.details_size(); ++i) {
      if (i > 0) out += ",";
      out += DetailJson(details.details(i));
    }
    out += "]";
  }
  out += "}";
  return out;
}

}  // namespace smptrace::api
