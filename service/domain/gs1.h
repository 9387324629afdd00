// Barcode scans (DESIGN.md §6): turns what a scanner typed into a ScannedItem
// (GS1 element strings, GS1 human-readable text, plain GTIN-8/12/13/14 and HIBC
// LIC), and builds the GS1 element strings our own serial labels carry.
//
// Pure domain: no I/O and no clock. The current year, which GS1 needs to pick
// the century of a two-digit year, comes in through BarcodeOptions.

#ifndef SMPTRACE_SERVICE_DOMAIN_GS1_H_
#define SMPTRACE_SERVICE_DOMAIN_GS1_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace smptrace::domain {

// Which kind of barcode content a scan was.
enum class BarcodeFormat {
  kGs1ElementString,  // raw AIs, FNC1 sent as GS: "0109506000134352\x1d10AB"
  kGs1HumanReadable,  // "(01)09506000134352(17)261231(10)AB-12"
  kPlainGtin,         // EAN/UPC/ITF-14 digits only: "9506000134352"
  kHibc,              // HIBC LIC: "+A123BJC5D6E71G"
  // GS1 Digital Link URI from a QR Code / DataMatrix / DotCode:
  // "https://id.gs1.org/01/09506000134352/10/AB-12?17=261231"
  kGs1DigitalLink,
};

// One GS1 Application Identifier and its value, exactly as the barcode
// carried it (e.g. {"17", "261200"}: a day 00 stays 00 here).
struct Gs1Element {
  std::string ai;
  std::string value;

  friend bool operator==(const Gs1Element& a, const Gs1Element& b) {
    return a.ai == b.ai && a.value == b.value;
  }
};

// One parsed scan. Fields the barcode does not carry stay empty / nullopt.
struct ScannedItem {
  BarcodeFormat format = BarcodeFormat::kGs1ElementString;

  // AI (01). Always 14 digits (GTIN-8/12/13 left-padded with zeros), check
  // digit verified. Also set for kPlainGtin.
  std::string gtin;
  // AI (00) SSCC: 18 digits, check digit verified.
  std::string sscc;
  // AI (02) GTIN of the trade items contained in a logistic unit: 14 digits,
  // check digit verified.
  std::string content_gtin;
  // AI (10), or the HIBC lot/batch. Exactly as printed: case and characters
  // are preserved, since a recall notice quotes the lot as printed.
  std::string lot;
  // AI (11). A day 00 in the barcode means the last day of that month.
  std::optional<absl::CivilDay> production_date;
  // AI (15). A day 00 in the barcode means the last day of that month.
  std::optional<absl::CivilDay> best_before;
  // AI (17), or the HIBC expiry date. A GS1 day 00, or an HIBC month-only date
  // (MMYY), means the last day of that month. An HIBC hour is dropped.
  std::optional<absl::CivilDay> expiry;
  // AI (21), or the HIBC serial number.
  std::string serial;
  // AI (30) variable count of items, or the HIBC quantity ($$8/$$9, /Q).
  std::optional<int64_t> variable_count;
  // AI (37) count of trade items contained in a logistic unit.
  std::optional<int64_t> count;
  // AI (240) additional product identification assigned by the manufacturer.
  std::string additional_id;
  // AI (241) customer part number.
  std::string customer_part_number;

  // Every GS1 element of the scan in the order the barcode carried them (a
  // repeated AI once), those named above and all others: a valid AI smptrace
  // does not use is kept here and shown, never refused. A plain GTIN (also
  // the linear part of an EAN/UPC composite) is one (01) element, padded to
  // 14 digits. Empty for HIBC.
  std::vector<Gs1Element> elements;

  // HIBC LIC only.
  // Labeler Identification Code: 4 characters, the first a letter.
  std::string hibc_labeler;
  // Product or catalogue number (PCN): 1-18 letters or digits.
  std::string hibc_product;
  // Unit of measure, 0-9 (0 = the unit of use).
  int hibc_unit_of_measure = 0;
  // Ties a primary symbol to a separate secondary symbol. For a primary-only
  // symbol it is the primary's check character, which the secondary symbol
  // must repeat; for a secondary-only symbol ("+$..."), the link character it
  // carries. '\0' otherwise (GS1, or primary and secondary in one symbol).
  // See LinkHibcSecondary().
  char hibc_link_character = '\0';

  // The catalogue key of an HIBC item: labeler + product + unit-of-measure
  // digit, e.g. "A123PROD1231". Empty unless hibc_labeler is set.
  std::string hibc_id() const;
};

struct BarcodeOptions {
  // The character the scanner sends for FNC1 instead of ASCII GS (0x1D), e.g.
  // '~' or '|'; '\0' if it sends GS. GS is always accepted as well. It should
  // not be a character that can occur in the data (GS1 character set 82).
  char fnc1_substitute = '\0';
  // The current year in the clinic's time zone. Two-digit years (YYMMDD) are
  // placed in reference_year-49 .. reference_year+50 (GS1 General
  // Specifications §7.12). Callers should pass their clock's year; the default
  // is only right during 2026.
  int reference_year = 2026;
};

// Parses what a barcode scanner typed.
//
// Accepts, between optional leading and trailing CR/LF/spaces/tabs from the
// scanner, after an optional symbology identifier:
//   * a GS1 element string, FNC1 as ASCII GS or options.fnc1_substitute; a
//     leading FNC1 is ignored and the last field needs no separator after it;
//   * GS1 human-readable text "(01)...(17)...(10)...";
//   * a plain GTIN-8/12/13/14 (all digits, one of those lengths; an
//     all-digit input of such a length is always read as a GTIN, never as an
//     element string, unless a GS1 symbology identifier or FNC1 precedes it);
//   * HIBC LIC data starting with '+' (primary, primary/secondary, or a
//     separate secondary symbol "+$..." with its link character);
//   * a GS1 Digital Link URI ("http://" or "https://", any domain, the key
//     and its qualifiers in the path, data attributes in the query string;
//     see gs1_digital_link.h), from a QR Code, DataMatrix or DotCode: its
//     elements are checked with the same format, linter and pairing rules as
//     an element string's, and kept in `elements` and the named fields.
//     Positions in its messages are byte offsets in the URI as scanned
//     (before percent-decoding).
// Symbology identifiers: ]d2 ]C1 ]Q3 ]e0 ]J1 (GS1 DataMatrix, GS1-128, GS1
// QR Code, GS1 DataBar and composites, GS1 DotCode: element string only),
// ]E0 (EAN-13/UPC: exactly 13 digits) and ]E4 (EAN-8: exactly 8 digits),
// each optionally followed by "|]e0" and the element string of a composite
// 2D component; ]A0 ]A1 ]C0 (non-GS1 carriers: HIBC only); ]d1 ]Q1 ]J0
// (non-GS1 QR Code, DataMatrix, DotCode: HIBC or a GS1 Digital Link URI).
// Every AI of the GS1 AI table (gs1_ai_table.h) is read: its value is
// checked against its components and linters, an AI outside GS1's
// predefined-length table must be followed by FNC1 unless it is last, and
// the GS1 pairing rules (req= / ex=) must hold over the whole scan. An AI
// may repeat with the same value (GS1 allows it), not with another, except
// in a Digital Link URI, where each AI appears once.
//
// Returns InvalidArgument when the input is not one of these. The message is
// lower-case and names the 0-based byte offset in `text`, the AI (if any) and
// the reason, e.g.
//   "position 20: AI (17): month 13 is not a valid month"
//   "position 15: AI (01): check digit is 3, expected 7"
//   "position 0: unknown application identifier (14)"
//   "position 0: AI (01) and AI (37) cannot appear together"
//   "position 12: AI (10): unexpected line feed (0x0A) inside the data"
//   "position 14: AI (10) appears twice with different values (A1, then B2)"
absl::StatusOr<ScannedItem> ParseBarcode(std::string_view text,
                                         const BarcodeOptions& options = {});

// True if `digits` is non-empty, all digits, and its last digit is the GS1
// mod-10 check digit of the others (GTIN, SSCC, GLN, ...).
bool HasValidGs1CheckDigit(std::string_view digits);

// The GS1 mod-10 check digit ('0'-'9') for `digits_without_check`, e.g.
// Gs1CheckDigit("950600013435") == '2'. Returns '\0' if the input holds a
// non-digit.
char Gs1CheckDigit(std::string_view digits_without_check);

// Validates a GTIN-8/12/13/14 and returns it as 14 digits (left-padded with
// zeros). Returns InvalidArgument naming the reason: wrong length, a
// non-digit, or a wrong check digit.
absl::StatusOr<std::string> NormalizeGtin(std::string_view gtin);

// The HIBC modulo-43 check character of `data` (which starts with the '+'
// flag), e.g. HibcCheckCharacter("+A123BJC5D6E71") == 'G'. Returns '\0' if
// `data` holds a character outside the HIBC set (0-9 A-Z - . space $ / + %).
char HibcCheckCharacter(std::string_view data);

// Joins a primary-only HIBC scan and the scan of its separate secondary
// symbol into one item (the secondary's lot, serial, expiry and quantity are
// added to the primary). Returns InvalidArgument if `primary` is not a
// primary-only HIBC scan, `secondary` is not a secondary-only HIBC scan, or
// the secondary's link character differs from the primary's check character
// (the two symbols belong to different products).
absl::StatusOr<ScannedItem> LinkHibcSecondary(const ScannedItem& primary,
                                              const ScannedItem& secondary);

// Builds the GS1 element string our serial labels carry: AI (01), (17), (10),
// (21), in that order, each only if set, with `separator` after the lot when a
// serial follows. There is no leading FNC1 (the DataMatrix encoder adds it)
// and no trailing separator. Other fields are not written.
// REQUIRES: the fields hold valid values, as ParseBarcode() produces them
// (gtin 14 digits, lot and serial 1-20 characters of GS1 set 82, expiry year
// within the century window of the reader's reference_year).
// Example: "0109506000134352" "17261231" "10AB-12" "\x1d" "21SN0042".
std::string FormatGs1ElementString(const ScannedItem& item,
                                   char separator = '\x1d');

// The same fields as FormatGs1ElementString() in human-readable form:
// "(01)09506000134352(17)261231(10)AB-12(21)SN0042".
// REQUIRES: as for FormatGs1ElementString().
std::string FormatGs1HumanReadable(const ScannedItem& item);

// The GS1 YYMMDD form of `day`, e.g. 2026-12-31 -> "261231". Never writes
// day 00.
std::string FormatGs1Date(absl::CivilDay day);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_GS1_H_
