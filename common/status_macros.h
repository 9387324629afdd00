// Early-return helpers for absl::Status / absl::StatusOr. Debian's Abseil
// (20220623) has no ABSL_RETURN_IF_ERROR; these are the project's only ones.
#ifndef SMPTRACE_COMMON_STATUS_MACROS_H_
#define SMPTRACE_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function if it is not OK.
#define SMPTRACE_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::absl::Status smptrace_status_ = (expr);            \
    if (!smptrace_status_.ok()) return smptrace_status_; \
  } while (false)

#define SMPTRACE_STATUS_CONCAT_INNER_(a, b) a##b
#define SMPTRACE_STATUS_CONCAT_(a, b) SMPTRACE_STATUS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise moves the value into `lhs`, which may be a declaration:
//   SMPTRACE_ASSIGN_OR_RETURN(auto product, ReadProduct(reader, gtin));
#define SMPTRACE_ASSIGN_OR_RETURN(lhs, rexpr)                            \
  SMPTRACE_ASSIGN_OR_RETURN_IMPL_(                                       \
      SMPTRACE_STATUS_CONCAT_(smptrace_statusor_, __LINE__), lhs, rexpr)

#define SMPTRACE_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();    \
  lhs = std::move(statusor).value()

#endif  // SMPTRACE_COMMON_STATUS_MACROS_H_
