// AuditService's witness RPC: a witness's cosignatures of one of the log's
// checkpoints handed in, checked (service/proof/cosigned_checkpoint.h) and
// kept beside the store's meta (storage/cosignature.h); served from then on
// with that checkpoint (GetLogCheckpoint, GET /checkpoint).
#include <string>

#include "absl/strings/str_cat.h"
#include "service/api/audit_service.h"
#include "service/api/status.h"
#include "service/proof/cosigned_checkpoint.h"
#include "service/proof/tlog_proof.h"
#include "spdlog/spdlog.h"
#include "storage/journal.h"

namespace smptrace::api {
namespace {

constexpr size_t kMaxCosignedNoteBytes = 64 * 1024;

}  // namespace

grpc::Status AuditService::AddLogCosignature(
    grpc::ServerContext*, const v1::AddLogCosignatureRequest* request,
    v1::LogCheckpoint* response) {
  if (request->note().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        "note: required: the checkpoint and the witness's cosignature lines "
        "(smptrace witness cosign prints them)"));
  }
  if (request->note().size() > kMaxCosignedNoteBytes) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat("note: ", request->note().size(), " bytes; at most ",
                     kMaxCosignedNoteBytes)));
  }
  auto witnesses = proof::LoadWitnessKeys(witness_keys_file_);
  if (!witnesses.ok()) return ToGrpcStatus(witnesses.status());
  auto snapshot = reads_.Snapshot();
  auto head = storage::ReadJournalHead(*snapshot);
  if (!head.ok()) return ToGrpcStatus(head.status());
  auto checked = proof::CheckCosignedNote(*snapshot, request->note(), head->seq,
                                          key_, *witnesses);
  if (!checked.ok()) return ToGrpcStatus(checked.status());
  for (const storage::Cosignature& c : checked->cosignatures) {
    auto added = commands_.ledger().RecordCosignature(checked->size, c);
    if (!added.ok()) return ToGrpcStatus(added.status());
    if (*added) {
      spdlog::info("witness {} cosigned the log at tree size {}", c.witness,
                   checked->size);
    }
  }
  auto out = proof::SignLogCheckpoint(*reads_.Snapshot(), checked->size, key_);
  if (out.ok()) *response = *std::move(out);
  return ToGrpcStatus(out.status());
}

}  // namespace smptrace::api
