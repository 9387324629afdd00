#include "service/domain/text.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::domain {
namespace {

TEST(IsBlank, CountsAsciiUnicodeSpacesAndInvisiblesAsNothing) {
  struct Case {
    const char* text;
    bool blank;
  };
  for (const Case& c : {
           Case{"", true}, Case{"   ", true}, Case{"\t \n", true},
           Case{"\u00a0", true},              // no-break space
           Case{"\u3000\u3000", true},        // ideographic space
           Case{"\u2003\u202f\u205f", true},  // em, narrow, math spaces
           Case{"\u200b\ufeff", true},        // zero-width space, BOM
           Case{" \u202e ", true},            // a lone bidi override
           Case{" a ", false}, Case{"\u00a0x", false},
           Case{"\xff", false},  // invalid UTF-8 is not nothing
       }) {
    EXPECT_EQ(IsBlank(c.text), c.blank) << '"' << c.text << '"';
  }
}

TEST(FindIdentifierViolation, NamesTheCharacterAndItsPosition) {
  struct Case {
    const char* text;
    const char* description;  // "" = accepted
  };
  for (const Case& c : {
           Case{"CL-0042", ""},
           Case{"LOT 2026/07", ""},  // inner ASCII space: kept as printed
           Case{"Müller", ""},
           Case{"CL\u202e2400",
                "U+202E (right-to-left override) at position 2"},
           Case{"\u2066abc", "U+2066 (left-to-right isolate) at position 0"},
           Case{"ab\u200e", "U+200E (left-to-right mark) at position 2"},
           Case{"a\u061cb", "U+061C (arabic letter mark) at position 1"},
           Case{"a\u200bb", "U+200B (zero-width space) at position 1"},
           Case{"\ufeffabc",
                "U+FEFF (zero-width no-break space) at position 0"},
           Case{"a\x01", "U+0001 (control character) at position 1"},
           Case{"a\u0085b", "U+0085 (control character) at position 1"},
           Case{"a\u00a0b", "U+00A0 (white space) at position 1"},
           Case{" abc", "U+0020 (white space at either end) at position 0"},
           Case{"abc\u3000",
                "U+3000 (white space at either end) at position 3"},
           Case{"ab\xc3", "invalid UTF-8 byte 0xC3 at position 2"},
       }) {
    auto bad = FindIdentifierViolation(c.text);
    if (*c.description == '\0') {
      EXPECT_FALSE(bad.has_value()) << c.text << ": " << Describe(*bad);
    } else {
      ASSERT_TRUE(bad.has_value()) << c.text;
      EXPECT_EQ(Describe(*bad), c.description);
    }
  }
}

TEST(FindControlCharacter, RefusesC0AndC1ButNotBidiInFreeText) {
  EXPECT_FALSE(
      FindControlCharacter("Dr. Ana L\u00f3pez \u05e9\u05dc\u05d5\u05dd")
          .has_value());
  EXPECT_FALSE(FindControlCharacter("a\u200fb").has_value());
  EXPECT_EQ(Describe(*FindControlCharacter("ab\ncd")),
            "U+000A (control character) at position 2");
  EXPECT_EQ(Describe(*FindControlCharacter("\u00e9\u009b")),
            "U+009B (control character) at position 1");
}

TEST(Quote, KeepsShortInputAndCutsLongInputAtACharacter) {
  EXPECT_EQ(Quote("LOT-1"), "'LOT-1'");
  EXPECT_EQ(Quote(std::string(64, 'a')), "'" + std::string(64, 'a') + "'");
  EXPECT_EQ(Quote(std::string(9000, 'a')),
            "'" + std::string(64, 'a') + "\u2026(9000 bytes)'");
  // 63 ASCII bytes then a 2-byte character: the cut does not split it.
  const std::string mixed = std::string(63, 'a') + "\u00e9" + "zzz";
  EXPECT_EQ(Quote(mixed), "'" + std::string(63, 'a') + "\u2026(68 bytes)'");
}

TEST(Shorten, BoundsAnyMessage) {
  EXPECT_EQ(Shorten("short", 10), "short");
  EXPECT_EQ(Shorten(std::string(2000, 'x'), 1024).size(),
            1024 + std::string("\u2026(2000 bytes)").size());
}

}  // namespace
}  // namespace smptrace::domain
