#include "service/domain/recall_match.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/domain/text.h"

namespace smptrace::domain {
namespace {

bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}

bool HasDigit(std::string_view w) {
  return std::any_of(w.begin(), w.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

std::string Lower(std::string_view s) {
  return absl::AsciiStrToLower(absl::string_view(s.data(), s.size()));
}

// Company forms and fillers: they say nothing about which firm or product.
const std::set<std::string, std::less<>>& DroppedWords() {
  static const auto* words = new std::set<std::string, std::less<>>{
      "a",    "ab",  "ag",           "an",      "and",         "bv",
      "by",   "co",  "corp",         "company", "corporation", "for",
      "gmbh", "inc", "incorporated", "kg",      "limited",     "llc",
      "ltd",  "nv",  "of",           "oy",      "plc",         "pty",
      "s",    "sa",  "sas",          "spa",     "srl",         "the",
      "with"};
  return *words;
}

// A piece of code_info: a word (letters, digits and the punctuation a lot
// number may hold inside it) or a separator character.
struct Piece {
  std::string text;
  bool separator = false;
};

bool IsLotInnerChar(char c) {
  return c == '-' || c == '/' || c == '.' || c == '_';
}

std::vector<Piece> Pieces(std::string_view text) {
  std::vector<Piece> out;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (IsWordChar(c) || IsLotInnerChar(c)) {
      size_t j = i;
      while (j < text.size() &&
             (IsWordChar(text[j]) || IsLotInnerChar(text[j]))) {
        ++j;
      }
      std::string_view word = text.substr(i, j - i);
      // Punctuation at either end is the sentence's, not the lot's.
      while (!word.empty() && IsLotInnerChar(word.front())) {
        word.remove_prefix(1);
      }
      while (!word.empty() && IsLotInnerChar(word.back())) {
        word.remove_suffix(1);
      }
      if (!word.empty()) out.push_back({std::string(word), false});
      i = j;
    } else if (c == ',' || c == ';' || c == ':' || c == '#' || c == '&' ||
               c == '(' || c == ')') {
      out.push_back({std::string(1, c), true});
      ++i;
    } else {
      ++i;  // white space and other characters separate words
    }
  }
  return out;
}

// Letters and digits only, upper-cased: "AB-12/3" -> "AB123".
std::string Bare(std::string_view lot) {
  std::string out;
  for (char c : lot) {
    if (IsWordChar(c)) {
      out.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// "AB1001" -> {"AB", 1001}; nullopt without trailing digits.
std::optional<std::pair<std::string, uint64_t>> PrefixAndNumber(
    std::string_view lot) {
  const std::string bare = Bare(lot);
  size_t k = bare.size();
  while (k > 0 &&
         absl::ascii_isdigit(static_cast<unsigned char>(bare[k - 1]))) {
    --k;
  }
  if (k == bare.size() || bare.size() - k > 18) return std::nullopt;
  uint64_t n = 0;
  if (!absl::SimpleAtoi(bare.substr(k), &n)) return std::nullopt;
  return std::make_pair(bare.substr(0, k), n);
}

bool IsLotWord(std::string_view lower) {
  return lower == "lot" || lower == "lots" || lower == "batch" ||
         lower == "batches";
}

bool IsSkippedAfterLotWord(std::string_view lower) {
  return lower == "no" || lower == "nos" || lower == "number" ||
         lower == "numbers" || lower == "code" || lower == "codes";
}

// The words of `text` (NameWords) each with the text it came from.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsWordChar(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && IsWordChar(text[j])) ++j;
    std::string w = Lower(text.substr(i, j - i));
    if (!DroppedWords().count(w)) out.push_back(std::move(w));
    i = j;
  }
  return out;
}

// The GTIN as a notice may write it: GTIN-14, and without its leading zeros
// down to 12 digits (GTIN-13, UPC-A).
std::vector<std::string> GtinForms(const std::string& gtin14) {
  std::vector<std::string> forms = {gtin14};
  for (size_t cut = 1; cut <= 2 && cut < gtin14.size(); ++cut) {
    if (gtin14[cut - 1] != '0') break;
    forms.push_back(gtin14.substr(cut));
  }
  return forms;
}

}  // namespace

std::vector<std::string> NameWords(std::string_view text) {
  return Words(text);
}

bool WordsAlike(std::string_view a, std::string_view b, std::string* how) {
  if (a == b) {
    if (how != nullptr) *how = "same word";
    return true;
  }
  if (HasDigit(a) || HasDigit(b)) return false;
  const size_t shorter = std::min(a.size(), b.size());
  const size_t allowed = shorter >= 9 ? 2 : shorter >= 5 ? 1 : 0;
  if (allowed == 0) return false;
  const size_t longer = std::max(a.size(), b.size());
  if (longer - shorter > allowed) return false;
  const size_t d = EditDistance(a, b);
  if (d > allowed) return false;
  if (how != nullptr) {
    *how = absl::StrCat("spelling differs (", d,
                        d == 1 ? " letter)" : " letters)");
  }
  return true;
}

NoticeLots ReadNoticeLots(std::string_view code_info) {
  NoticeLots out;
  const std::vector<Piece> pieces = Pieces(code_info);
  std::set<std::string> seen;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (pieces[i].separator) continue;
    const std::string lower = Lower(pieces[i].text);
    if (lower == "all" && i + 1 < pieces.size() && !pieces[i + 1].separator) {
      const std::string next = Lower(pieces[i + 1].text);
      if (IsLotWord(next) || next == "codes" || next == "lot") {
        out.all_lots = true;
        out.all_lots_words =
            absl::StrCat(pieces[i].text, " ", pieces[i + 1].text);
        if (next == "lot" && i + 2 < pieces.size() &&
            Lower(pieces[i + 2].text) == "numbers") {
          absl::StrAppend(&out.all_lots_words, " ", pieces[i + 2].text);
        }
        continue;
      }
    }
    if (!IsLotWord(lower)) continue;
    size_t j = i + 1;
    while (
        j < pieces.size() &&
        (pieces[j].separator || IsSkippedAfterLotWord(Lower(pieces[j].text)))) {
      if (pieces[j].separator && pieces[j].text != "#" &&
          pieces[j].text != ":") {
        break;
      }
      ++j;
    }
    bool range_pending = false;
    for (; j < pieces.size(); ++j) {
      const Piece& p = pieces[j];
      const std::string word = Lower(p.text);
      if (p.separator) {
        if (p.text == "," || p.text == ";" || p.text == "&") continue;
        break;
      }
      if (word == "and" || word == "or") continue;
      if (word == "through" || word == "thru" || word == "to") {
        if (out.lots.empty()) break;
        range_pending = true;
        continue;
      }
      if (!HasDigit(p.text)) break;
      if (range_pending) {
        // The range's first lot was read as a lot: it becomes the range.
        std::string first = out.lots.back();
        out.lots.pop_back();
        out.ranges.push_back({std::move(first), p.text});
        range_pending = false;
        continue;
      }
      if (seen.insert(p.text).second) out.lots.push_back(p.text);
    }
    i = j > i ? j - 1 : i;
  }
  return out;
}

PreparedNotice PrepareNotice(NoticeWords notice) {
  PreparedNotice out;
  out.firm_words = Words(notice.recalling_firm);
  out.description_words = Words(notice.product_description);
  for (const std::string* text :
       {&notice.product_description, &notice.code_info}) {
    for (const Piece& p : Pieces(*text)) {
      if (!p.separator) out.bare_words.insert(Bare(p.text));
    }
  }
  out.lots = ReadNoticeLots(notice.code_info);
  out.text = std::move(notice);
  return out;
}

std::optional<ProductMatch> MatchNotice(const PreparedNotice& prepared,
                                        const CatalogueProduct& product) {
  const NoticeWords& notice = prepared.text;
  ProductMatch match;

  // The GTIN, written anywhere in the notice.
  bool gtin_written = false;
  for (const std::string& form : GtinForms(product.gtin)) {
    if (prepared.bare_words.count(form)) {
      gtin_written = true;
      match.evidence.push_back({"gtin", form, product.gtin,
                                form.size() == 14
                                    ? "same GTIN"
                                    : "same GTIN, leading zeros left out"});
      break;
    }
  }

  // The firm: every word of the manufacturer.
  bool firm = false;
  const std::vector<std::string> maker = Words(product.manufacturer);
  if (!maker.empty()) {
    std::vector<std::string> hows;
    firm = true;
    for (const std::string& m : maker) {
      bool found = false;
      for (const std::string& f : prepared.firm_words) {
        std::string how;
        if (WordsAlike(f, m, &how)) {
          found = true;
          if (how != "same word") hows.push_back(absl::StrCat(f, ": ", how));
          break;
        }
      }
      if (!found) {
        firm = false;
        break;
      }
    }
    if (firm) {
      match.evidence.push_back(
          {"firm", notice.recalling_firm, product.manufacturer,
           hows.empty() ? "same words" : absl::StrJoin(hows, "; ")});
    }
  }
  if (!gtin_written && !firm) return std::nullopt;

  // The product: its name's words in the description.
  bool named = false;
  {
    std::vector<std::string> name_words;
    for (std::string& w : Words(product.name)) {
      if (w.size() >= 3) name_words.push_back(std::move(w));
    }
    std::vector<std::string> said;
    std::vector<std::string> hows;
    for (const std::string& n : name_words) {
      for (const std::string& d : prepared.description_words) {
        std::string how;
        if (WordsAlike(d, n, &how)) {
          said.push_back(d);
          if (how != "same word") hows.push_back(absl::StrCat(d, ": ", how));
          break;
        }
      }
    }
    const size_t needed = std::min<size_t>(2, name_words.size());
    named = !name_words.empty() && said.size() >= needed &&
            2 * said.size() >= name_words.size();
    if (named) {
      const std::string counted =
          absl::StrCat(said.size(), " of ", name_words.size(), " name words");
      match.evidence.push_back(
          {"product", absl::StrJoin(said, " "), product.name,
           hows.empty()
               ? counted
               : absl::StrCat(counted, "; ", absl::StrJoin(hows, "; "))});
    }
  }

  if (!gtin_written && !(firm && named)) return std::nullopt;

  // The lots.
  const NoticeLots& lots = prepared.lots;
  if (lots.all_lots) {
    match.scope = ProductMatch::Lots::kAll;
    match.evidence.push_back(
        {"all_lots", lots.all_lots_words, "every lot", "the notice says so"});
    return match;
  }
  if (lots.lots.empty() && lots.ranges.empty()) {
    match.scope = ProductMatch::Lots::kUnreadable;
    return match;
  }
  for (const std::string& held : product.lots) {
    bool found = false;
    for (const std::string& written : lots.lots) {
      if (Lower(written) == Lower(held)) {
        match.evidence.push_back({"lot", written, held, "same lot number"});
        found = true;
      } else if (Bare(written) == Bare(held) && !Bare(held).empty()) {
        match.evidence.push_back({"lot", written, held, "punctuation differs"});
        found = true;
      }
      if (found) break;
    }
    if (!found) {
      const auto h = PrefixAndNumber(held);
      for (const NoticeLots::Range& r : lots.ranges) {
        const auto lo = PrefixAndNumber(r.first);
        const auto hi = PrefixAndNumber(r.last);
        if (!h || !lo || !hi || lo->first != h->first ||
            hi->first != h->first || h->second < lo->second ||
            h->second > hi->second) {
          continue;
        }
        match.evidence.push_back({"lot",
                                  absl::StrCat(r.first, " through ", r.last),
                                  held, "in the range"});
        found = true;
        break;
      }
    }
    if (found) match.lots.push_back(held);
  }
  match.scope = match.lots.empty() ? ProductMatch::Lots::kNoneHeld
                                   : ProductMatch::Lots::kNamed;
  return match;
}

}  // namespace smptrace::domain
