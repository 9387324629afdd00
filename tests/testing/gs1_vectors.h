// The test vectors of GS1's Barcode Syntax Engine, as extracted into
// tests/testdata/gs1-syntax-engine/*.tsv (see the README.md there for the
// columns, the escaping and where each vector comes from). The directory is
// passed in by CMake as SMPTRACE_GS1_VECTORS_DIR.
#ifndef SMPTRACE_TESTS_TESTING_GS1_VECTORS_H_
#define SMPTRACE_TESTS_TESTING_GS1_VECTORS_H_

#include <cctype>
#include <fstream>
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
