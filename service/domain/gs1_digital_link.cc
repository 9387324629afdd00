// Reading GS1 Digital Link URIs. See gs1_digital_link.h for the contract.
//
// Sources (our own reading; no code of any implementation):
//  * GS1 Digital Link Standard: URI Syntax (release 1.4,
//    ref.gs1.org/standards/digital-link/uri-syntax): the URI is a scheme
//    (http or https), any domain, an optional path prefix of the domain
//    owner's, then the primary key as /AI/value, its key qualifiers as
//    further /AI/value pairs in the order the standard lists for that key,
//    and data attributes as AI=value query parameters; other query
//    parameters are not GS1 data and are ignored; values are percent-encoded.
//    The key / qualifier / attribute roles come from the GS1 Barcode Syntax
//    Dictionary (dlpkey=..., flag "?") through gs1_ai_table.h.
//  * RFC 3986 (URI generic syntax): §2.1 percent-encoding, §2.2 reserved and
//    §2.3 unreserved characters, §3.2.2 host, §3.4 query, §3.5 fragment.
//  * The vectors of GS1's Barcode Syntax Engine (tests/testdata/
//    gs1-syntax-engine/dl.tsv) for the choices the standard leaves to a
//    reader: a mixed-case scheme is refused; '+' in the query string is a
//    space (HTML form encoding) but a '+' in the path; a repeated AI is
//    refused even with the same value; a zero-suppressed GTIN-8/12/13 in
//    (01) is read as its GTIN-14 (the engine's PermitZeroSuppressedGTIN-
//    inDLuris reading).

#include "service/domain/gs1_digital_link.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "service/domain/gs1_ai_table.h"
#include "service/domain/gs1_chars.h"

namespace smptrace::domain {
namespace {

// Debian's Abseil has its own string_view type.
absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

absl::Status UriError(std::size_t position, std::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("position ", position, ": ", ToAbsl(reason)));
}

absl::Status UriAiError(std::size_t position, std::string_view ai,
                        std::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(
      "position ", position, ": AI (", ToAbsl(ai), "): ", ToAbsl(reason)));
}

bool IsHexDigit(char c) {
  return IsGs1Digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (IsGs1Digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsGs1Digit(c)) return false;
  }
  return true;
}

// RFC 3986 §2.2-2.3: unreserved, reserved (gen-delims and sub-delims) and
// '%' of an escape. Anything else (space, " < > \ ^ ` { | }, controls,
// bytes above 0x7E) must be percent-encoded.
bool IsUriCharacter(char c) {
  if (IsGs1Digit(c) || IsGs1Upper(c) || IsGs1Lower(c)) return true;
  constexpr std::string_view kOthers = "-._~:/?#[]@!$&'()*+,;=%";
  return kOthers.find(c) != std::string_view::npos;
}

// The characters of a host name, an IPv4 address, or an IPv6 literal in
// brackets, and the ':' of a port (RFC 3986 §3.2.2-3.2.3). No sub-delims and
// no escapes: a scanned product domain never needs them.
bool IsDomainCharacter(char c) {
  if (IsGs1Digit(c) || IsGs1Upper(c) || IsGs1Lower(c)) return true;
  constexpr std::string_view kOthers = "-._~:[]";
  return kOthers.find(c) != std::string_view::npos;
}

// A piece of the URI: its raw text and where it starts in the scan.
struct Piece {
  std::string_view raw;
  std::size_t position = 0;
};

// Splits `piece` at every `separator`.
std::vector<Piece> Split(Piece piece, char separator) {
  std::vector<Piece> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= piece.raw.size(); ++i) {
    if (i == piece.raw.size() || piece.raw[i] == separator) {
      out.push_back(
          {piece.raw.substr(start, i - start), piece.position + start});
      start = i + 1;
    }
  }
  return out;
}

// Percent-decodes the value `piece` of AI `ai` into `element`. In the query
// string a '+' stands for a space (HTML form encoding, as GS1's engine reads
// it); in the path it is itself.
absl::Status DecodeValue(const Piece& piece, std::string_view ai, bool in_query,
                         Gs1DigitalLinkElement& element) {
  for (std::size_t i = 0; i < piece.raw.size(); ++i) {
    const std::size_t at = piece.position + i;
    char c = piece.raw[i];
    if (c == '%') {
      if (i + 2 >= piece.raw.size() || !IsHexDigit(piece.raw[i + 1]) ||
          !IsHexDigit(piece.raw[i + 2])) {
        return UriAiError(at, ai,
                          "'%' must be followed by two hexadecimal digits "
                          "(percent-encoding)");
      }
      c = static_cast<char>(HexValue(piece.raw[i + 1]) * 16 +
                            HexValue(piece.raw[i + 2]));
      if (c == '\0') {
        return UriAiError(at, ai, "%00 (a NUL byte) cannot be part of a value");
      }
      i += 2;
    } else if (c == '+' && in_query) {
      c = ' ';
    }
    element.value.push_back(c);
    element.value_positions.push_back(at);
  }
  element.value_positions.push_back(piece.position + piece.raw.size());
  return absl::OkStatus();
}

// One element from its raw AI and value pieces.
absl::StatusOr<Gs1DigitalLinkElement> ReadElement(const Gs1Ai& ai,
                                                  const Piece& ai_piece,
                                                  const Piece& value,
                                                  bool in_query) {
  Gs1DigitalLinkElement element;
  element.ai = &ai;
  element.ai_position = ai_piece.position;
  if (value.raw.empty()) {
    return UriAiError(value.position, ai.ai, "the value is empty");
  }
  absl::Status decoded = DecodeValue(value, ai.ai, in_query, element);
  if (!decoded.ok()) return decoded;
  // A GTIN-8, -12 or -13 written without its leading zeros is the same
  // GTIN-14 (General Specifications §4.2: GTINs are right-justified in 14
  // digits); read it as GS1's engine does when told to permit it.
  const std::size_t length = element.value.size();
  if (ai.ai == "01" && (length == 8 || length == 12 || length == 13) &&
      AllDigits(element.value)) {
    const std::size_t pad = 14 - length;
    element.value.insert(0, pad, '0');
    element.value_positions.insert(element.value_positions.begin(), pad,
                                   element.value_positions.front());
  }
  return element;
}

// True if `qualifiers` (AIs, in path order) follow one of `key`'s qualifier
// paths in order, each at most once; with `extra`, if that AI also belongs
// to the same path (in its place).
bool FitsQualifierPath(const Gs1Ai& key,
                       const std::vector<std::string_view>& qualifiers,
                       std::optional<std::string_view> extra = std::nullopt) {
  for (const std::vector<std::string>& path : key.dl_qualifier_paths) {
    std::size_t next = 0;
    bool fits = true;
    for (std::string_view q : qualifiers) {
      while (next < path.size() && path[next] != q) ++next;
      if (next == path.size()) {
        fits = false;
        break;
      }
      ++next;
    }
    if (!fits) continue;
    if (!extra.has_value()) return true;
    bool in_path = false;
    for (const std::string& ai : path) in_path = in_path || ai == *extra;
    bool already = false;
    for (std::string_view q : qualifiers) already = already || q == *extra;
    if (in_path && !already) return true;
  }
  return qualifiers.empty() && !extra.has_value();
}

// "22, 10, 21 in that order, or 235" for a message.
std::string DescribeQualifierPaths(const Gs1Ai& key) {
  std::vector<std::string> paths;
  for (const std::vector<std::string>& path : key.dl_qualifier_paths) {
    paths.push_back(absl::StrJoin(path, ", "));
  }
  return absl::StrJoin(paths, " in that order, or ");
}

// The path: the rightmost /AI/value pair whose AI is a primary key, and the
// qualifier pairs after it. Appends them to `elements`; returns the key.
absl::StatusOr<const Gs1Ai*> ReadPath(
    const Piece& path, std::vector<Gs1DigitalLinkElement>& elements,
    std::vector<std::string_view>& qualifiers) {
  // path.raw starts with '/'.
  const std::vector<Piece> segments =
      Split({path.raw.substr(1), path.position + 1}, '/');
  // Walk left pair by pair from the end while the AI segment is an AI.
  std::optional<std::size_t> key_index;
  for (std::size_t n = segments.size(); n >= 2; n -= 2) {
    const std::size_t i = n - 2;
    const Gs1Ai* ai =
        AllDigits(segments[i].raw) ? FindGs1Ai(segments[i].raw) : nullptr;
    if (ai == nullptr) break;
    if (ai->dl_primary_key) {
      key_index = i;
      break;
    }
  }
  if (!key_index.has_value()) {
    return UriError(path.position,
                    "no GS1 Digital Link primary key in the path (e.g. /01/ "
                    "and a GTIN)");
  }
  const Gs1Ai* key = FindGs1Ai(segments[*key_index].raw);
  for (std::size_t i = *key_index; i + 1 < segments.size(); i += 2) {
    const Gs1Ai* ai = FindGs1Ai(segments[i].raw);
    if (i > *key_index) {
      qualifiers.push_back(segments[i].raw);
      if (!FitsQualifierPath(*key, qualifiers)) {
        const std::string allowed =
            key->dl_qualifier_paths.empty()
                ? absl::StrCat("AI (", key->ai, ") takes no key qualifiers")
                : absl::StrCat("the key qualifiers of AI (", key->ai, ") are ",
                               DescribeQualifierPaths(*key), " in that order");
        return UriError(
            segments[i].position,
            absl::StrCat("AI (", ai->ai,
                         ") cannot follow in the path here: ", allowed));
      }
    }
    absl::StatusOr<Gs1DigitalLinkElement> element =
        ReadElement(*ai, segments[i], segments[i + 1], /*in_query=*/false);
    if (!element.ok()) return element.status();
    elements.push_back(*std::move(element));
  }
  return key;
}

// The query string's AI=value parameters, after the path's elements.
absl::Status ReadQuery(const Piece& query, const Gs1Ai& key,
                       const std::vector<std::string_view>& qualifiers,
                       std::vector<Gs1DigitalLinkElement>& elements) {
  for (const Piece& parameter : Split(query, '&')) {
    const std::size_t equals = parameter.raw.find('=');
    // "&&" and a parameter without a value ("?singleton") carry no AI.
    if (equals == std::string_view::npos) continue;
    const Piece name{parameter.raw.substr(0, equals), parameter.position};
    const Piece value{parameter.raw.substr(equals + 1),
                      parameter.position + equals + 1};
    // Only all-digit names are AIs; others (linkType, utm_source, ...) are
    // not GS1 data and are ignored.
    if (!AllDigits(name.raw)) continue;
    const Gs1Ai* ai = FindGs1Ai(name.raw);
    if (ai == nullptr) {
      return UriError(name.position,
                      absl::StrCat("unknown application identifier (",
                                   ToAbsl(name.raw), ") in the query string"));
    }
    if (FitsQualifierPath(key, qualifiers, ai->ai)) {
      return UriError(
          name.position,
          absl::StrCat("AI (", ai->ai, ") is a key qualifier of AI (", key.ai,
                       "): it belongs in the path (/", ai->ai,
                       "/...), not in the query string"));
    }
    if (!ai->dl_data_attribute) {
      return UriError(name.position,
                      absl::StrCat("AI (", ai->ai,
                                   ") is not a GS1 Digital Link data "
                                   "attribute: it cannot be in the query "
                                   "string"));
    }
    absl::StatusOr<Gs1DigitalLinkElement> element =
        ReadElement(*ai, name, value, /*in_query=*/true);
    if (!element.ok()) return element.status();
    elements.push_back(*std::move(element));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsGs1DigitalLinkUri(std::string_view data) {
  const absl::string_view d = ToAbsl(data);
  return absl::StartsWithIgnoreCase(d, "http://") ||
         absl::StartsWithIgnoreCase(d, "https://");
}

absl::StatusOr<std::vector<Gs1DigitalLinkElement>> ReadGs1DigitalLink(
    std::string_view text, std::size_t begin, std::size_t end) {
  const std::string_view uri = text.substr(begin, end - begin);
  std::size_t scheme_length = 0;
  for (std::string_view scheme :
       {"http://", "https://", "HTTP://", "HTTPS://"}) {
    if (uri.substr(0, scheme.size()) == scheme) scheme_length = scheme.size();
  }
  if (scheme_length == 0) {
    return UriError(begin,
                    "a GS1 Digital Link uri starts with http:// or https://, "
                    "in lower or upper case, not mixed");
  }
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (!IsUriCharacter(uri[i])) {
      return UriError(begin + i,
                      BadGs1CharReason(uri[i],
                                       "cannot appear in a uri; it must be "
                                       "percent-encoded"));
    }
  }
  // Authority (the domain), up to the path.
  const std::size_t domain_begin = scheme_length;
  std::size_t domain_end = uri.find_first_of("/?#", domain_begin);
  if (domain_end == std::string_view::npos) domain_end = uri.size();
  if (domain_end == domain_begin) {
    return UriError(begin + domain_begin, "the uri has no domain");
  }
  for (std::size_t i = domain_begin; i < domain_end; ++i) {
    if (!IsDomainCharacter(uri[i])) {
      return UriError(begin + i, BadGs1CharReason(uri[i],
                                                  "is not allowed in the "
                                                  "domain"));
    }
  }
  if (domain_end == uri.size() || uri[domain_end] != '/') {
    return UriError(begin + domain_end,
                    "the uri has no path: a GS1 Digital Link carries its "
                    "key in the path, e.g. /01/ and a GTIN");
  }
  // The fragment is for the browser; it carries no GS1 data.
  const std::size_t fragment = uri.find('#', domain_end);
  const std::size_t data_end =
      fragment == std::string_view::npos ? uri.size() : fragment;
  std::size_t query_begin = uri.find('?', domain_end);
  if (query_begin == std::string_view::npos || query_begin > data_end) {
    query_begin = data_end;
  }
  const Piece path{uri.substr(domain_end, query_begin - domain_end),
                   begin + domain_end};

  std::vector<Gs1DigitalLinkElement> elements;
  std::vector<std::string_view> qualifiers;
  absl::StatusOr<const Gs1Ai*> key = ReadPath(path, elements, qualifiers);
  if (!key.ok()) return key.status();
  if (query_begin < data_end) {
    const Piece query{uri.substr(query_begin + 1, data_end - query_begin - 1),
                      begin + query_begin + 1};
    absl::Status read = ReadQuery(query, **key, qualifiers, elements);
    if (!read.ok()) return read;
  }
  // Each AI once (the engine refuses a repeat even with the same value).
  for (std::size_t i = 0; i < elements.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (elements[j].ai == elements[i].ai) {
        return UriError(elements[i].ai_position,
                        absl::StrCat("AI (", elements[i].ai->ai,
                                     ") appears twice in the digital link "
                                     "uri"));
      }
    }
  }
  return elements;
}

}  // namespace smptrace::domain
