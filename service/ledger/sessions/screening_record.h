// Screening between the wire (smptrace.v1.ScreeningAnswers / Screening) and
// the pure rules of domain/screening.h.
#ifndef SMPTRACE_SERVICE_LEDGER_SESSIONS_SCREENING_RECORD_H_
#define SMPTRACE_SERVICE_LEDGER_SESSIONS_SCREENING_RECORD_H_

#include "service/domain/screening.h"
#include "smptrace/v1/session.pb.h"

namespace smptrace::ledger {

// REQUIRES: every date in `answers` passed ValidateDate.
domain::ScreeningAnswers FromProto(const v1::ScreeningAnswers& answers);
v1::ScreeningVerdict ToProto(domain::ScreeningVerdict verdict);
domain::PlanStep FromProto(v1::PlanStep step);
// The evaluated screening as recorded on a session.
v1::Screening ToProto(const v1::ScreeningAnswers& answers,
                      const domain::ScreeningResult& result);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SESSIONS_SCREENING_RECORD_H_
