#include "service/proof/backup_report.h"

#include "service/ledger/dates.h"
#include "storage/journal.h"

namespace smptrace::proof {

v1::Backup ToProto(const storage::BackupRecord& backup) {
  v1::Backup b;
  b.set_backup_id(backup.id);
  *b.mutable_taken_at() = ledger::ToProto(backup.time);
  b.set_size_bytes(backup.size_bytes);
  b.set_new_bytes(backup.new_bytes);
  b.set_files(backup.files);
  b.set_journal_seq(backup.head.seq);
  b.set_journal_hash(storage::ToHex(backup.head.hash));
  b.set_request_id(backup.request_id);
  return b;
}

}  // namespace smptrace::proof
