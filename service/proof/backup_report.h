// The API form of a backup. Shared by the server's AdminService.CreateBackup
// and the offline `smptrace admin backup-list|restore`.
#ifndef SMPTRACE_SERVICE_PROOF_BACKUP_REPORT_H_
#define SMPTRACE_SERVICE_PROOF_BACKUP_REPORT_H_

#include "smptrace/v1/admin.pb.h"
#include "storage/backup.h"

namespace smptrace::proof {

// The API form of a backup: its id, time, sizes and the journal head it
// holds.
v1::Backup ToProto(const storage::BackupRecord& backup);

}  // namespace smptrace::proof

#endif  // SMPTRACE_SERVICE_PROOF_BACKUP_REPORT_H_
