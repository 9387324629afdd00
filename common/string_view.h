// Debian 12's Abseil is built with ABSL_OPTION_USE_STD_STRING_VIEW 0: its
// absl::string_view is a class of its own, not std::string_view, so
// absl::StrCat and friends do not take a std::string_view. Our code speaks
// std::string_view and converts here, at the call.
#ifndef SMPTRACE_COMMON_STRING_VIEW_H_
#define SMPTRACE_COMMON_STRING_VIEW_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace smptrace {

inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

}  // namespace smptrace

#endif  // SMPTRACE_COMMON_STRING_VIEW_H_
