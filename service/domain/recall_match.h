// Matching a published recall notice (an openFDA enforcement report or an
// EU Safety Gate alert) against one product of the clinic's catalogue and
// the lots received of it: which words of the notice name the manufacturer,
// the product and the lots. Pure: the ledger's recall intake
// (service/ledger/recall_intake/) calls it with the catalogue it reads, and
// records what it finds as evidence.
//
// The rule (docs/manager.md, "Recall notices"):
// - Words: letters and digits, lower-cased; company forms ("Inc", "LLC",
//   "GmbH", …) and fillers ("the", "and", "of", …) are dropped.
// - Two words are alike when equal, or, both without digits, one edit apart
//   at 5 letters or more and two edits apart at 9 or more ("pigmnets" is
//   "pigments"). Words with digits ("10ml", "1RL") must be equal.
// - The firm matches when every word of the product's manufacturer is alike
//   a word of the recalling firm. The product matches when at least two of
//   its name's words of 3 or more characters (its only one, for a one-word
//   name) and at least half of them are alike words of the notice's product
//   description. The product's GTIN written in the notice (14 digits, or
//   without its leading zeros: GTIN-13, UPC-A) is a match by itself.
// - A notice concerns a product when its GTIN is written, or the firm and
//   the product both match.
// - Lots (ReadNoticeLots): after the word "lot", "lots", "batch" or
//   "batches" (then "#", ":", "no", "number(s)" are skipped), each word with
//   a digit is a lot number, up to the first word without a digit;
//   "A through B" (or "thru", "to") is a range. "All lots", "all lot
//   numbers", "all batches", "all codes" cover every lot. A received lot
//   matches a lot number written exactly (any case), or the same letters
//   and digits without the punctuation ("AB-12/3" and "AB123"), or lies in
//   a range (same letters before the digits, the number in between).
//   Not read: hyphen ranges ("1001-1010": a lot may have a hyphen), lot
//   numbers without a lot/batch word before them, expiry-date or
//   serial-number scopes.
#ifndef SMPTRACE_SERVICE_DOMAIN_RECALL_MATCH_H_
#define SMPTRACE_SERVICE_DOMAIN_RECALL_MATCH_H_

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace smptrace::domain {

// The lots a notice's free text (openFDA code_info) names.
struct NoticeLots {
  struct Range {
    std::string first;
    std::string last;
  };
  bool all_lots = false;
  // As written, in order, each once.
  std::vector<std::string> lots;
  std::vector<Range> ranges;
  // The words that said "all lots", when all_lots.
  std::string all_lots_words;
};

// Reads the lot numbers of `code_info` (the rule above).
//   "Lot 12345, 12346"        -> lots {12345, 12346}
//   "Lot #: AB-12/3"          -> lots {AB-12/3}
//   "Lots 1001 through 1010"  -> ranges {1001..1010}
//   "All lots"                -> all_lots
NoticeLots ReadNoticeLots(std::string_view code_info);

// Letters and digits, lower-cased, without company forms and fillers.
std::vector<std::string> NameWords(std::string_view text);

// The rule's "alike"; `how` (when given) says "same word" or "spelling
// differs (N letters)".
bool WordsAlike(std::string_view a, std::string_view b,
                std::string* how = nullptr);

// One product of the catalogue and the lots received of it.
struct CatalogueProduct {
  std::string gtin;  // GTIN-14
  std::string name;
  std::string manufacturer;
  // Lot numbers as printed.
  std::vector<std::string> lots;
};

// The notice's words that matching reads.
struct NoticeWords {
  std::string recalling_firm;
  std::string product_description;
  // code_info and more_code_info.
  std::string code_info;
};

struct MatchEvidence {
  // "firm", "product", "gtin", "lot", "all_lots".
  std::string kind;
  std::string notice_words;
  std::string clinic_value;
  std::string how;
};

struct ProductMatch {
  enum class Lots {
    // `lots` holds the received lots the notice names.
    kNamed,
    // The notice covers every lot.
    kAll,
    // The notice names lots, none of them received.
    kNoneHeld,
    // No lot number could be read from code_info.
    kUnreadable,
  };
  Lots scope = Lots::kUnreadable;
  // Received lots named by the notice, as printed, in the product's order.
  std::vector<std::string> lots;
  std::vector<MatchEvidence> evidence;
};

// A notice read once (its words, its lots) to be matched against every
// product of the catalogue: an import matches each notice of a file
// against each product, inside the single writer.
struct PreparedNotice {
  NoticeWords text;
  std::vector<std::string> firm_words;
  std::vector<std::string> description_words;
  // Every word of the description and code_info as letters and digits
  // only, upper-cased: where a GTIN is looked for.
  std::set<std::string, std::less<>> bare_words;
  NoticeLots lots;
};
PreparedNotice PrepareNotice(NoticeWords notice);

// nullopt when the notice does not concern `product` (the rule above).
std::optional<ProductMatch> MatchNotice(const PreparedNotice& notice,
                                        const CatalogueProduct& product);

}  // namespace smptrace::domain

#endif  // SMPTRACE_SERVICE_DOMAIN_RECALL_MATCH_H_
