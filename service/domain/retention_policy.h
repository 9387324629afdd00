// How long the clinic keeps each kind of record, and what happens after,
// read from the clinic's retention file (deploy/retention.conf, given to
// smptraced with --retention_policy) the way the consent texts are
// (consent_policy.h):
//   # a comment; blank lines are ignored
//   client_personal_data.keep = 3 years
//   client_personal_data.erase = approval      # or: automatic
//   procedure_records.keep = 3 years
//   stock_records.keep = 3 years
//   legal_basis = GDPR Art. 5(1)(e) and 17(1)(a): retention period over
// A period is "N years" or "N days" (1 day to 100 years).
//
// What each kind means on an append-only journal (docs/admin.md,
// Retention): client personal data is erased by destroying the client's key
// (EraseClient), once both it and the procedure-record period have passed
// since the client's last visit; procedure and stock records are the
// traceability record the body-art codes ask to keep: past their period
// they are counted and listed, never removed.
#ifndef SMPTRACE_SERVICE_DOMAIN_RETENTION_POLICY_H_
#define SMPTRACE_SERVICE_DOMAIN_RETENTION_POLICY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace smptrace::domain {

// A retention period and the line of the file that set it.
struct RetentionPeriod {
  int years = 0;
  int days = 0;
  // 0: not set.
  int line = 0;

  bool set() const { return line > 0; }
  // The day the period ends when it starts on `from`: from + years (29
  // February becomes 1 March) + days.
  absl::CivilDay After(absl::CivilDay from) const;
  // "3 years", "730 days", "1 year and 10 days".
  std::string Text() const;
};

struct RetentionPolicy {
  // False without a retention file: nothing is ever due.
  bool configured = false;
  RetentionPeriod client_personal_data;
  RetentionPeriod procedure_records;
  RetentionPeriod stock_records;
  // The daily job erases due clients by itself; otherwise they wait for a
  // manager's approval.
  bool erase_automatically = false;
  int erase_line = 0;
  // Recorded with every retention erasure.
  std::string legal_basis =
      "GDPR Art. 5(1)(e) and 17(1)(a): the retention period is over";

  // The day a client whose last visit was `last_visit` becomes due: the
  // longer of the personal-data and procedure-record periods after it (the
  // procedure record names the client until its period ends).
  // REQUIRES: configured.
  absl::CivilDay ClientDueOn(absl::CivilDay last_visit) const;
  // The client_personal_data rule in words, for the record of an erasure:
  //   "client_personal_data: 3 years after the last visit (procedure_records
  //   3 years), retention.conf line 9, erase = approval"
  std::string ClientRuleText() const;
};

// Parses the text of a retention file.
//
// Returns the policy (configured), or InvalidArgument naming the line, the
// key and why:
//   "line 3: client_personal_data.keep: expected 'N years' or 'N days', got
//    'three years'"
//   "line 5: unknown key 'procedure_record.keep'"
//   "line 7: procedure_records.erase: procedure records are never erased
//    ..."
//   "client_personal_data.keep: not set; add e.g. 'client_personal_data.keep
//    = 3 years'"
absl::StatusOr<RetentionPolicy> ParseRetentionPolicy(std::string_view text);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_RETENTION_POLICY_H_
