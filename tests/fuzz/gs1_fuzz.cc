// libFuzzer target for the barcode parser (service/domain/gs1.h): any bytes a
// scanner could type must give either an InvalidArgument or a ScannedItem
// that keeps the parser's promises (checked below), our own labels must read
// back as what was written, HIBC symbols must link only when their link
// characters match, and a GS1 Digital Link URI and an element string must
// carry the same elements whichever form they are read from. Build and run:
// tests/fuzz/README.md.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "service/domain/gs1.h"
#include "service/domain/gs1_ai_table.h"

namespace smptrace::domain {
namespace {

// Stops the run with a message; libFuzzer saves the input as a crash.
#define GS1_FUZZ_CHECK(condition)                                           \
  do {                                                                      \
    if (!(condition)) {                                                     \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                   #condition);                                             \
      std::abort();                                                         \
    }                                                                       \
  } while (false)

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHibcAlphanumeric(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z'); }
bool IsCset82(char c) {
  if (IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
    return true;
  }
  return std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) !=
         std::string_view::npos;
}

bool IsCheckedDigits(const std::string& s, size_t length) {
  return s.size() == length && HasValidGs1CheckDigit(s);
}

bool IsGs1Text(const std::string& s, size_t max_length) {
  return !s.empty() && s.size() <= max_length && AllOf(s, IsCset82);
}

// Two-digit years land in reference_year-49 .. reference_year+50.
bool InCenturyWindow(const std::optional<absl::CivilDay>& day, int year) {
  return !day || (day->year() >= year - 49 && day->year() <= year + 50);
}

void CheckGs1Item(const ScannedItem& item, const BarcodeOptions& options) {
  GS1_FUZZ_CHECK(item.gtin.empty() || IsCheckedDigits(item.gtin, 14));
  GS1_FUZZ_CHECK(item.sscc.empty() || IsCheckedDigits(item.sscc, 18));
  GS1_FUZZ_CHECK(item.content_gtin.empty() ||
                 IsCheckedDigits(item.content_gtin, 14));
  GS1_FUZZ_CHECK(item.gtin.empty() || item.content_gtin.empty());
  GS1_FUZZ_CHECK(item.lot.empty() || IsGs1Text(item.lot, 20));
  GS1_FUZZ_CHECK(item.serial.empty() || IsGs1Text(item.serial, 20));
  GS1_FUZZ_CHECK(item.additional_id.empty() ||
                 IsGs1Text(item.additional_id, 30));
  GS1_FUZZ_CHECK(item.customer_part_number.empty() ||
                 IsGs1Text(item.customer_part_number, 30));
  for (const auto& n : {item.variable_count, item.count}) {
    GS1_FUZZ_CHECK(!n || (*n >= 0 && *n <= 99999999));
  }
  const int year = options.reference_year;
  GS1_FUZZ_CHECK(InCenturyWindow(item.production_date, year));
  GS1_FUZZ_CHECK(InCenturyWindow(item.best_before, year));
  GS1_FUZZ_CHECK(InCenturyWindow(item.expiry, year));
  GS1_FUZZ_CHECK(item.hibc_labeler.empty() && item.hibc_product.empty() &&
                 item.hibc_unit_of_measure == 0 &&
                 item.hibc_link_character == '\0' && item.hibc_id().empty());
  if (item.format == BarcodeFormat::kPlainGtin) {
    GS1_FUZZ_CHECK(!item.gtin.empty() && item.lot.empty() &&
                   item.serial.empty() && !item.expiry);
  }
}

void CheckHibcItem(const ScannedItem& item) {
  GS1_FUZZ_CHECK(item.gtin.empty() && item.sscc.empty() &&
                 item.content_gtin.empty() && !item.best_before &&
                 !item.count && item.additional_id.empty() &&
                 item.customer_part_number.empty());
  GS1_FUZZ_CHECK(item.lot.size() <= 18 && AllOf(item.lot, IsHibcAlphanumeric));
  GS1_FUZZ_CHECK(item.serial.size() <= 18 &&
                 AllOf(item.serial, IsHibcAlphanumeric));
  GS1_FUZZ_CHECK(!item.variable_count ||
                 (*item.variable_count >= 0 && *item.variable_count <= 99999));
  if (!item.hibc_labeler.empty()) {
    GS1_FUZZ_CHECK(item.hibc_labeler.size() == 4 &&
                   item.hibc_labeler[0] >= 'A' && item.hibc_labeler[0] <= 'Z' &&
                   AllOf(item.hibc_labeler, IsHibcAlphanumeric));
    GS1_FUZZ_CHECK(!item.hibc_product.empty() &&
                   item.hibc_product.size() <= 18 &&
                   AllOf(item.hibc_product, IsHibcAlphanumeric));
    GS1_FUZZ_CHECK(item.hibc_unit_of_measure >= 0 &&
                   item.hibc_unit_of_measure <= 9);
    GS1_FUZZ_CHECK(item.hibc_id() ==
                   item.hibc_labeler + item.hibc_product +
                       static_cast<char>('0' + item.hibc_unit_of_measure));
  } else {
    // A separate secondary symbol: no product, but always a link character.
    GS1_FUZZ_CHECK(item.hibc_product.empty() &&
                   item.hibc_unit_of_measure == 0 && item.hibc_id().empty() &&
                   item.hibc_link_character != '\0');
  }
  if (item.hibc_link_character != '\0') {
    GS1_FUZZ_CHECK(
        HibcCheckCharacter(std::string(1, item.hibc_link_character)) != '\0');
  }
}

// Our label format must read back as what it was built from.
void CheckRoundTrip(const ScannedItem& item, const BarcodeOptions& options) {
  if (item.gtin.empty()) return;  // "01" + 14 digits is never a plain GTIN
  BarcodeOptions read_options;
  read_options.reference_year = options.reference_year;
  const absl::StatusOr<ScannedItem> again =
      ParseBarcode(FormatGs1ElementString(item), read_options);
  GS1_FUZZ_CHECK(again.ok());
  GS1_FUZZ_CHECK(again->format == BarcodeFormat::kGs1ElementString);
  GS1_FUZZ_CHECK(again->gtin == item.gtin && again->lot == item.lot &&
                 again->serial == item.serial && again->expiry == item.expiry);
  const bool parenthesis_in_data = item.lot.find('(') != std::string::npos ||
                                   item.serial.find('(') != std::string::npos;
  if (!parenthesis_in_data) {
    const absl::StatusOr<ScannedItem> human =
        ParseBarcode(FormatGs1HumanReadable(item), read_options);
    GS1_FUZZ_CHECK(human.ok());
    GS1_FUZZ_CHECK(human->gtin == item.gtin && human->lot == item.lot &&
                   human->serial == item.serial &&
                   human->expiry == item.expiry);
  }
}

// Every element of `item`, sorted: the same GS1 data read from a Digital
// Link and from an element string, whose orders differ.
std::vector<std::pair<std::string, std::string>> SortedElements(
    const ScannedItem& item) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Gs1Element& e : item.elements) out.emplace_back(e.ai, e.value);
  std::sort(out.begin(), out.end());
  return out;
}

// The elements as a GS1 DataMatrix element string: FNC1 (GS) after every
// value of an AI that needs one, except the last.
std::string AsElementString(const ScannedItem& item) {
  std::string out = "]d2";
  for (size_t i = 0; i < item.elements.size(); ++i) {
    const Gs1Element& e = item.elements[i];
    absl::StrAppend(&out, e.ai, e.value);
    const Gs1Ai* ai = FindGs1Ai(e.ai);
    GS1_FUZZ_CHECK(ai != nullptr);
    if (ai->fnc1_required && i + 1 < item.elements.size()) out += '\x1d';
  }
  return out;
}

// Every character but letters and digits percent-encoded: the Digital Link
// reader must decode any GS1 character from its escape.
std::string PercentEncoded(std::string_view value) {
  std::string out;
  for (char c : value) {
    const bool plain =
        IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (plain) {
      out += c;
    } else {
      absl::StrAppend(&out, absl::StrFormat("%%%02X", static_cast<uint8_t>(c)));
    }
  }
  return out;
}

// The Digital Link of an element string's item with a GTIN: (01) and its
// qualifiers (22) (10) (21) in the path, every other element a query
// attribute; nullopt if one of them cannot be an attribute.
std::optional<std::string> AsDigitalLink(const ScannedItem& item) {
  std::string path = absl::StrCat("https://id.example/p/01/", item.gtin);
  std::string query;
  for (const char* qualifier : {"22", "10", "21"}) {
    for (const Gs1Element& e : item.elements) {
      if (e.ai == qualifier) {
        absl::StrAppend(&path, "/", e.ai, "/", PercentEncoded(e.value));
      }
    }
  }
  for (const Gs1Element& e : item.elements) {
    if (e.ai == "01" || e.ai == "22" || e.ai == "10" || e.ai == "21") continue;
    const Gs1Ai* ai = FindGs1Ai(e.ai);
    if (ai == nullptr || !ai->dl_data_attribute) return std::nullopt;
    absl::StrAppend(&query, query.empty() ? "?" : "&", e.ai, "=",
                    PercentEncoded(e.value));
  }
  return absl::StrCat(path, query, query.empty() ? "?" : "&",
                      "linkType=all#fragment");
}

// A Digital Link's elements read the same as an element string, and an
// element string's with a GTIN the same as a Digital Link (each element once,
// its AI and value unchanged; the named fields the same).
void CheckDigitalLinkRoundTrip(const ScannedItem& item,
                               const BarcodeOptions& options) {
  BarcodeOptions read_options;
  read_options.reference_year = options.reference_year;
  if (item.format == BarcodeFormat::kGs1DigitalLink) {
    GS1_FUZZ_CHECK(!item.elements.empty());
    const absl::StatusOr<ScannedItem> again =
        ParseBarcode(AsElementString(item), read_options);
    GS1_FUZZ_CHECK(again.ok());
    GS1_FUZZ_CHECK(again->elements == item.elements);
    GS1_FUZZ_CHECK(again->gtin == item.gtin && again->lot == item.lot &&
                   again->serial == item.serial &&
                   again->expiry == item.expiry);
    return;
  }
  if (item.format != BarcodeFormat::kGs1ElementString || item.gtin.empty()) {
    return;
  }
  const std::optional<std::string> link = AsDigitalLink(item);
  if (!link.has_value()) return;
  const absl::StatusOr<ScannedItem> read = ParseBarcode(*link, read_options);
  GS1_FUZZ_CHECK(read.ok());
  GS1_FUZZ_CHECK(read->format == BarcodeFormat::kGs1DigitalLink);
  GS1_FUZZ_CHECK(SortedElements(*read) == SortedElements(item));
  GS1_FUZZ_CHECK(read->gtin == item.gtin && read->lot == item.lot &&
                 read->serial == item.serial && read->expiry == item.expiry);
}

void CheckOne(std::string_view text, const BarcodeOptions& options) {
  const absl::StatusOr<ScannedItem> item = ParseBarcode(text, options);
  if (!item.ok()) {
    GS1_FUZZ_CHECK(item.status().code() == absl::StatusCode::kInvalidArgument);
    GS1_FUZZ_CHECK(!item.status().message().empty());
    return;
  }
  if (item->format == BarcodeFormat::kHibc) {
    CheckHibcItem(*item);
  } else {
    CheckGs1Item(*item, options);
    CheckRoundTrip(*item, options);
    CheckDigitalLinkRoundTrip(*item, options);
  }
}

// Two scans in one input, split at the first '\n': an HIBC primary symbol
// and its separate secondary symbol must link only on a matching link
// character, and then carry both.
void CheckLink(std::string_view text) {
  const size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return;
  const absl::StatusOr<ScannedItem> first =
      ParseBarcode(text.substr(0, newline));
  const absl::StatusOr<ScannedItem> second =
      ParseBarcode(text.substr(newline + 1));
  if (!first.ok() || !second.ok()) return;
  const absl::StatusOr<ScannedItem> linked = LinkHibcSecondary(*first, *second);
  if (!linked.ok()) {
    GS1_FUZZ_CHECK(linked.status().code() ==
                   absl::StatusCode::kInvalidArgument);
    return;
  }
  GS1_FUZZ_CHECK(first->format == BarcodeFormat::kHibc &&
                 second->format == BarcodeFormat::kHibc);
  GS1_FUZZ_CHECK(first->hibc_link_character == second->hibc_link_character);
  GS1_FUZZ_CHECK(linked->hibc_id() == first->hibc_id() &&
                 !linked->hibc_id().empty());
  GS1_FUZZ_CHECK(
      linked->lot == second->lot && linked->serial == second->serial &&
      linked->expiry == second->expiry && linked->hibc_link_character == '\0');
}

}  // namespace
}  // namespace smptrace::domain

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using smptrace::domain::BarcodeOptions;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  BarcodeOptions plain;
  smptrace::domain::CheckOne(text, plain);
  BarcodeOptions substitute;  // a scanner sending '|' for FNC1, years later
  substitute.fnc1_substitute = '|';
  substitute.reference_year = 2075;
  smptrace::domain::CheckOne(text, substitute);
  smptrace::domain::CheckLink(text);

  const absl::StatusOr<std::string> gtin =
      smptrace::domain::NormalizeGtin(text);
  if (gtin.ok()) {
    GS1_FUZZ_CHECK(gtin->size() == 14 &&
                   smptrace::domain::HasValidGs1CheckDigit(*gtin));
  }
  const char check = smptrace::domain::Gs1CheckDigit(text);
  GS1_FUZZ_CHECK(check == '\0' || (check >= '0' && check <= '9'));
  return 0;
}
