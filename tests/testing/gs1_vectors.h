// The test vectors of GS1's Barcode Syntax Engine, as extracted into
// tests/testdata/gs1-syntax-engine/*.tsv (see the README.md there for the
// columns, the escaping and where each vector comes from). The directory is
// passed in by CMake as SMPTRACE_GS1_VECTORS_DIR.
#ifndef SMPTRACE_TESTS_TESTING_GS1_VECTORS_H_
#define SMPTRACE_TESTS_TESTING_GS1_VECTORS_H_

#include <cctype>
#include <fstream>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "service/domain/gs1.h"

namespace smptrace::testing {

struct Gs1Vector {
  std::string id;      // test name, e.g. "scandata_c_L857", "ai_c_L1372_hri"
  std::string source;  // "src/c-lib/scandata.c:857"
  std::string test;    // the engine's test function
  std::string form;    // scan, hri, gs1 or dl
  std::string input;   // what is fed to ParseBarcode, unescaped
  std::string engine;  // the engine's own verdict and message
  std::string basis;   // test, test+engine or engine
  bool valid = false;  // the verdict our tests assert
  // The GS1 elements a valid vector carries, in order.
  std::vector<domain::Gs1Element> elements;
  // AIs the engine's error message names for an invalid one.
  std::vector<std::string> error_ais;
  // Set instead of the above when the file could not be read.
  std::string load_error;
  // Why a clinic reads this vector although the engine at its defaults
  // refuses it (Gs1ClinicReadings()); "" for the others.
  std::string clinic_reading;

  // The value of the first element with AI `ai`, or "".
  std::string Value(absl::string_view ai) const {
    for (const auto& e : elements) {
      if (e.ai == ai) return e.value;
    }
    return "";
  }

  // A Digital Link URI (after an optional symbology identifier).
  bool IsDigitalLink() const {
    absl::string_view s = input;
    if (s.size() >= 3 && s[0] == ']') s.remove_prefix(3);
    return absl::StartsWithIgnoreCase(s, "http://") ||
           absl::StartsWithIgnoreCase(s, "https://");
  }

  friend void PrintTo(const Gs1Vector& v, std::ostream* os) {
    *os << v.id << " (" << v.source << ", " << v.test << ")";
  }
};

// A vector a clinic reads although the engine at its default settings
// refuses it, and the elements it reads.
struct Gs1ClinicReading {
  std::string why;
  std::vector<domain::Gs1Element> elements;
};

// Vector id -> the clinic's reading, one by one. LoadGs1Vectors() marks
// these valid with these elements, so every suite expects the same.
//
// A GTIN-8, -12 or -13 in a Digital Link's (01), written without the leading
// zeros of its GTIN-14 form: the same product (GS1 General Specifications:
// a GTIN is right-justified in 14 digits), its check digit still verified.
// The engine reads it so when told to (PermitZeroSuppressedGTINinDLuris,
// its tests at dl.c:1449-1499 and 1635-1699 with the elements below); a
// clinic reads it always, since refusing a manufacturer's short GTIN would
// stop a procedure over a notation, not over a wrong product.
inline const std::map<std::string, Gs1ClinicReading>& Gs1ClinicReadings() {
  static const auto* m = [] {
    const std::string why =
        "zero-suppressed GTIN in a Digital Link read as its GTIN-14 (the "
        "engine's PermitZeroSuppressedGTINinDLuris reading)";
    const domain::Gs1Element gtin13{"01", "02112345678900"};
    const domain::Gs1Element gtin12{"01", "00416000336108"};
    const domain::Gs1Element gtin8{"01", "00000002345673"};
    const domain::Gs1Element example{"01", "09520123456788"};
    const domain::Gs1Element giai{"8004", "9520614141234567"};
    const domain::Gs1Element weight{"3103", "000195"};
    const domain::Gs1Element price{"3922", "0299"};
    const domain::Gs1Element expiry{"17", "201225"};
    return new std::map<std::string, Gs1ClinicReading>{
        {"dl_c_L1449", {why, {gtin13}}},
        {"dl_c_L1454", {why, {gtin13}}},
        {"dl_c_L1459", {why, {gtin12}}},
        {"dl_c_L1464", {why, {gtin12}}},
        {"dl_c_L1469", {why, {gtin8}}},
        {"dl_c_L1474", {why, {gtin8}}},
        {"dl_c_L1484", {why, {giai, gtin13}}},
        {"dl_c_L1489", {why, {giai, gtin13}}},
        {"dl_c_L1494", {why, {giai, gtin8}}},
        {"dl_c_L1499", {why, {giai, gtin8}}},
        {"dl_c_L1635", {why, {example}}},
        {"dl_c_L1641", {why, {example}}},
        {"dl_c_L1669", {why, {example, weight, price, expiry}}},
        {"dl_c_L1679", {why, {example, weight, price, expiry}}},
        {"dl_c_L1689", {why, {example, weight, price, expiry}}},
        {"dl_c_L1699", {why, {example, expiry, weight, price}}},
    };
  }();
  return *m;
}

// Undoes the files' escaping: \xHH is a byte, \\ a backslash, "" empty.
inline std::string UnescapeGs1Vector(absl::string_view s) {
  if (s == "\"\"") return "";
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 3]))) {
      out += static_cast<char>(
          std::stoi(std::string(s.substr(i + 2, 2)), nullptr, 16));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The files' escaping, for messages: "]C101...\x1D10AB".
inline std::string EscapeGs1Vector(absl::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\') {
      out += "\\\\";
    } else if (u >= 0x21 && u <= 0x7E) {
      out += c;
    } else {
      absl::StrAppend(
          &out, "\\x",
          absl::AsciiStrToUpper(absl::StrCat(absl::Hex(u, absl::kZeroPad2))));
    }
  }
  return out;
}

// Every vector of `file` ("scandata.tsv", "ai.tsv", "dl.tsv"). On a read
// error, one vector whose load_error says why.
inline std::vector<Gs1Vector> LoadGs1Vectors(const std::string& file) {
  const std::string path = absl::StrCat(SMPTRACE_GS1_VECTORS_DIR, "/", file);
  std::ifstream in(path);
  std::vector<Gs1Vector> out;
  auto fail = [&](const std::string& why) {
    Gs1Vector v;
    v.id = "load_error";
    v.load_error = absl::StrCat(path, ": ", why);
    return std::vector<Gs1Vector>{v};
  };
  if (!in) return fail("cannot open");
  std::vector<std::string> columns;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells = absl::StrSplit(line, '\t');
    if (columns.empty()) {
      columns = cells;
      continue;
    }
    if (cells.size() != columns.size()) {
      return fail(absl::StrCat("a row of ", cells.size(), " cells: ", line));
    }
    auto cell = [&](absl::string_view name) -> std::string {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == name) return cells[i] == "-" ? "" : cells[i];
      }
      return "";
    };
    Gs1Vector v;
    v.id = cell("id");
    v.source = cell("source");
    v.test = cell("test");
    v.form = cell("form");
    v.input = UnescapeGs1Vector(cell("input"));
    v.engine = UnescapeGs1Vector(cell("engine"));
    v.basis = cell("basis");
    v.valid = cell("verdict") == "valid";
    for (absl::string_view pair :
         absl::StrSplit(cell("elements"), ' ', absl::SkipEmpty())) {
      const size_t eq = pair.find('=');
      if (eq == absl::string_view::npos)
        return fail(absl::StrCat("bad ", pair));
      v.elements.push_back({std::string(pair.substr(0, eq)),
                            UnescapeGs1Vector(pair.substr(eq + 1))});
    }
    v.error_ais = absl::StrSplit(cell("error_ais"), ',', absl::SkipEmpty());
    if (auto it = Gs1ClinicReadings().find(v.id);
        it != Gs1ClinicReadings().end()) {
      v.valid = true;
      v.elements = it->second.elements;
      v.clinic_reading = it->second.why;
    }
    out.push_back(std::move(v));
  }
  if (out.empty()) return fail("no vectors");
  return out;
}

// "(01)09506000134352 (10)AB" for messages.
inline std::string Gs1ElementsText(
    const std::vector<domain::Gs1Element>& elements) {
  return absl::StrJoin(elements, " ", [](std::string* out, const auto& e) {
    absl::StrAppend(out, "(", e.ai, ")", e.value);
  });
}

}  // namespace smptrace::testing

#endif  // SMPTRACE_TESTS_TESTING_GS1_VECTORS_H_
