#include "service/api/audit_service.h"

#include "service/api/status.h"

namespace smptrace::api {

v1::VerifyJournalResponse ToProto(const storage::JournalVerification& v) {
  v1::VerifyJournalResponse r;
  r.set_ok(v.ok);
  r.set_entries(v.entries);
  r.set_head_seq(v.good_head.seq);
  r.set_head_hash(storage::ToHex(v.good_head.hash));
  r.set_first_bad_seq(v.first_bad_seq);
  r.set_problem(static_cast<v1::JournalProblem>(v.problem));
  r.set_detail(v.detail);
  return r;
}

grpc::Status AuditService::VerifyJournal(grpc::ServerContext*,
                                         const v1::VerifyJournalRequest*,
                                         v1::VerifyJournalResponse* response) {
  // A snapshot: verification runs beside live writes and sees one instant.
  auto verification = storage::VerifyJournal(*store_.NewSnapshot());
  if (!verification.ok()) return ToGrpcStatus(verification.status());
  *response = ToProto(*verification);
  return grpc::Status::OK;
}

}  // namespace smptrace::api
