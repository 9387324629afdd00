#include "service/proof/journal_proof.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/signing.h"

namespace smptrace::proof {

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

absl::StatusOr<v1::CheckCheckpointResponse> CheckCheckpoint(
    const storage::Reader& reader, const v1::Checkpoint& checkpoint,
    std::string_view server_key_id) {
  v1::CheckCheckpointResponse out;
  auto is_hex = [](const std::string& s) {
    return s.size() % 2 == 0 && std::all_of(s.begin(), s.end(), [](char c) {
             return absl::ascii_isxdigit(static_cast<unsigned char>(c));
           });
  };
  if (checkpoint.hash().size() != 2 * storage::kHashSize ||
      !is_hex(checkpoint.hash())) {
    return absl::InvalidArgumentError("checkpoint.hash: not 64 hex digits");
  }
  if (checkpoint.signature().empty() || !is_hex(checkpoint.signature())) {
    return absl::InvalidArgumentError("checkpoint.signature: not hex");
  }
  const std::string hash = absl::HexStringToBytes(checkpoint.hash());
  const std::string signature = absl::HexStringToBytes(checkpoint.signature());
  std::vector<std::string> why;
  const absl::Status signed_ok = storage::VerifySignature(
      checkpoint.public_key_pem(),
      storage::CheckpointMessage(checkpoint.seq(), hash), signature);
  if (signed_ok.code() == absl::StatusCode::kInvalidArgument) return signed_ok;
  out.set_signature_valid(signed_ok.ok());
  if (!signed_ok.ok()) why.emplace_back(signed_ok.message());
  auto key_id = storage::KeyIdOf(checkpoint.public_key_pem());
  if (!key_id.ok()) return key_id.status();
  out.set_signed_by_this_server(server_key_id.empty() ||
                                *key_id == server_key_id);
  if (!out.signed_by_this_server()) {
    why.push_back(absl::StrCat("signed by key ", key_id->substr(0, 16),
                               "…, not by this server's key ",
                               std::string(server_key_id.substr(0, 16)), "…"));
  }
  const absl::Status extends =
      storage::CheckJournalExtends(reader, {checkpoint.seq(), hash});
  if (extends.code() != absl::StatusCode::kOk &&
      extends.code() != absl::StatusCode::kFailedPrecondition) {
    return extends;
  }
  out.set_journal_extends(extends.ok());
  if (!extends.ok()) why.emplace_back(extends.message());
  auto head = storage::ReadJournalHead(reader);
  if (head.ok()) out.set_current_seq(head->seq);
  out.set_ok(out.signature_valid() && out.signed_by_this_server() &&
             out.journal_extends());
  out.set_detail(out.ok()
                     ? absl::StrCat("the journal (now ", out.current_seq(),
                                    " entries) extends the checkpoint at seq ",
                                    checkpoint.seq())
                     : absl::StrJoin(why, "; "));
  return out;
}

}  // namespace smptrace::proof
