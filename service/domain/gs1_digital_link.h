// GS1 Digital Link URIs as a QR Code, Data Matrix or DotCode carries them
// (GS1 Digital Link Standard: URI Syntax, release 1.4): reads
// "https://id.gs1.org/01/09506000134352/10/AB-12?17=261231" into the GS1
// elements it carries, each with where it stands in the scanned text, so that
// ParseBarcode() (gs1.h) checks and keeps them exactly like the elements of a
// GS1 element string.
//
// Pure domain: no I/O and no clock.

#ifndef SMPTRACE_SERVICE_DOMAIN_GS1_DIGITAL_LINK_H_
#define SMPTRACE_SERVICE_DOMAIN_GS1_DIGITAL_LINK_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/domain/gs1_ai_table.h"

namespace smptrace::domain {

// True if `data` starts with "http://" or "https://" in any mix of case: it
// is then read as a Digital Link URI (a mixed-case scheme is refused by
// ReadGs1DigitalLink with that reason).
bool IsGs1DigitalLinkUri(std::string_view data);

// One GS1 element of a Digital Link URI.
struct Gs1DigitalLinkElement {
  const Gs1Ai* ai = nullptr;  // never null
  // Percent-decoded ("%2F" -> '/', and '+' -> ' ' in the query string); a
  // GTIN-8/12/13 in AI (01) left-padded with zeros to 14 digits.
  std::string value;
  // Byte offset of the AI in the scanned text.
  std::size_t ai_position = 0;
  // value_positions[i] is the byte offset in the scanned text of the
  // character value[i] was read from (its '%' for an escape; a padding zero
  // points at the value's first digit); one more entry for the value's end.
  std::vector<std::size_t> value_positions;
};

// Reads the Digital Link URI text[begin, end): the primary key and its key
// qualifiers from the path, the data attributes from the query string, in
// that order. The path may start with a prefix of the domain owner's own
// ("https://example.com/products/01/..."); the key is the rightmost path
// pair whose AI is a Digital Link primary key. Query parameters whose name is
// not all digits ("linkType", "utm_source") and ones without '=' are
// ignored, and so is a fragment ("#...").
//
// Checks the URI rules only; the values against their AIs' formats and
// linters, and the pairing rules, are left to the caller (CheckGs1Value,
// CheckGs1Pairing). Returns InvalidArgument, the message naming the byte
// offset in `text` like ParseBarcode()'s, when:
//   * the scheme is not http:// or https:// (lower or upper case), the
//     domain or the path is missing, or the domain holds a character other
//     than letters, digits and - . _ ~ : [ ];
//   * a character is not allowed in a URI, or a '%' is not followed by two
//     hexadecimal digits, or an escape decodes to NUL;
//   * the path holds no primary key, or its key qualifiers are not in an
//     order the key allows (dlpkey in the dictionary), or a value is empty;
//   * a query parameter with an all-digit name is no known AI, has an empty
//     value, is a key qualifier that belongs in the path, or is an AI that
//     is not permitted as a data attribute;
//   * an AI appears twice in the URI (even with the same value).
// Examples of messages:
//   "position 26: AI (10) appears twice in the digital link uri"
//   "position 8: no GS1 Digital Link primary key in the path (e.g. /01/ and
//    a GTIN)"
// REQUIRES: begin <= end <= text.size().
absl::StatusOr<std::vector<Gs1DigitalLinkElement>> ReadGs1DigitalLink(
    std::string_view text, std::size_t begin, std::size_t end);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_GS1_DIGITAL_LINK_H_
