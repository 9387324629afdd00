// The clinic's consent texts and whether a client must have agreed to the
// current ones before a session starts, read from the clinic's consent file
// (deploy/consent.conf) the way the screening rules are (screening_policy.h).
//
// The format is line-oriented, for editing by hand:
//   # a comment; blank lines are ignored
//   required = true
//   ink_disclosure.required = true
//   procedure.version = 2026-01
//   procedure.text = I understand that scalp micropigmentation ...
//   procedure.text = (a second line of the same text)
//   data_processing.version = 2026-01
//   data_processing.text = ...
// `*.text` may repeat: its lines make one text, joined with "\n". A subject
// given a version needs a text and the other way round.

#ifndef SMPTRACE_SERVICE_DOMAIN_CONSENT_POLICY_H_
#define SMPTRACE_SERVICE_DOMAIN_CONSENT_POLICY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace smptrace::domain {

// One consent text of the clinic.
struct ConsentTextVersion {
  // The clinic's name for this wording, e.g. "2026-01"; a new wording gets
  // a new version, and clients are asked again.
  std::string version;
  std::string text;
};

struct ConsentPolicy {
  // A session may start only when the client agreed to the current version
  // of both texts. Off when the clinic has no consent file.
  bool required = false;
  // A pigment may be scanned into a session only after the client was given
  // its label information (REACH Annex XVII entry 75, point 8): the
  // session's ink disclosure lists its product and lot. Off by default.
  bool ink_disclosure_required = false;
  // The built-in texts, used until the clinic configures its own.
  ConsentTextVersion procedure{
      "builtin-1",
      "I consent to scalp micropigmentation by this clinic. The practitioner "
      "has explained the procedure, its risks (redness, swelling, infection, "
      "allergic reaction to the pigment, fading or colour change) and the "
      "aftercare, and I have answered the screening questions truthfully."};
  ConsentTextVersion data_processing{
      "builtin-1",
      "I consent to the clinic keeping my contact details and my screening "
      "answers to treat me safely and to reach me if a material used on me "
      "is recalled. They are kept for the period the law requires, shown "
      "only to staff who need them, and I may ask for a copy at any time."};
};

// The longest a consent text may be, in bytes.
inline constexpr size_t kMaxConsentTextBytes = 20000;

// Parses the text of a consent file. Keys not in `text` keep the defaults of
// ConsentPolicy.
//
// Returns the policy, or InvalidArgument naming the line, the key and why:
//   "line 3: required: expected true or false, got 'yes please'"
//   "line 5: unknown key 'procedur.version'"
//   "line 9: procedure.version: already set on line 4"
//   "line 6: expected 'key = value', got 'required'"
//   "line 2: procedure.text: blank; write the text after '='"
//   "procedure: a version is set on line 4 but no text: add procedure.text"
absl::StatusOr<ConsentPolicy> ParseConsentPolicy(std::string_view text);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_CONSENT_POLICY_H_
