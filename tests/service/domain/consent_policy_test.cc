// Tests of the consent file parser: texts and versions, `required`, each
// way it refuses a file (with line, key and why), and that
// deploy/consent.conf parses.

#include "service/domain/consent_policy.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#ifndef SMPTRACE_SOURCE_DIR
#error "SMPTRACE_SOURCE_DIR must name the source tree (a quoted path)"
#endif

namespace smptrace::domain {
namespace {

using ::testing::HasSubstr;

TEST(ParseConsentPolicy, EmptyTextKeepsTheBuiltInTextsAndDoesNotRequire) {
  auto policy = ParseConsentPolicy("# nothing\n");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_FALSE(policy->required);
  EXPECT_EQ(policy->procedure.version, "builtin-1");
  EXPECT_EQ(policy->data_processing.version, "builtin-1");
  EXPECT_FALSE(policy->procedure.text.empty());
}

TEST(ParseConsentPolicy, RepeatedTextLinesMakeOneText) {
  auto policy = ParseConsentPolicy(
      "required = TRUE\n"
      "procedure.version = 2026-01\n"
      "procedure.text = First line.\n"
      "procedure.text =   Second line.  \n");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(policy->required);
  EXPECT_EQ(policy->procedure.version, "2026-01");
  EXPECT_EQ(policy->procedure.text, "First line.\nSecond line.");
  EXPECT_EQ(policy->data_processing.version, "builtin-1");
}

TEST(ParseConsentPolicy, RefusesWhatItCannotRead) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"required = yes please\n",
       "line 1: required: expected true or false, got 'yes please'"},
      {"\nprocedur.version = 1\n", "line 2: unknown key 'procedur.version'"},
      {"procedure.colour = red\n", "line 1: unknown key 'procedure.colour'"},
      {"required\n", "line 1: expected 'key = value', got 'required'"},
      {"procedure.version = 1\nprocedure.text = a\nprocedure.version = 2\n",
       "line 3: procedure.version: already set on line 1"},
      {"required = true\nrequired = false\n",
       "line 2: required: already set on line 1"},
      {"ink_disclosure.required = sometimes\n",
       "line 1: ink_disclosure.required: expected true or false, got "
       "'sometimes'"},
      {"ink_disclosure.required = true\nink_disclosure.required = true\n",
       "line 2: ink_disclosure.required: already set on line 1"},
      {"ink_disclosure.text = x\n",
       "line 1: unknown key 'ink_disclosure.text'"},
      {"procedure.text =\n", "line 1: procedure.text: blank"},
      {"data_processing.version = 3\n",
       "data_processing: a version is set on line 1 but no text: add "
       "data_processing.text"},
      {"procedure.text = new words\n",
       "procedure: a text is set on line 1 but no version: add "
       "procedure.version"},
      {"procedure.version = 12345678901234567890123456789012345678901\n"
       "procedure.text = x\n",
       "line 1: procedure.version: longer than 40 characters"},
  };
  for (const Case& c : cases) {
    const absl::Status status = ParseConsentPolicy(c.text).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(status.message(), HasSubstr(c.error)) << c.text;
  }
}

TEST(ParseConsentPolicy, InkDisclosureIsRequiredOnlyWhenTheFileSaysSo) {
  auto off = ParseConsentPolicy("required = true\n");
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_FALSE(off->ink_disclosure_required);
  auto on = ParseConsentPolicy("ink_disclosure.required = True\n");
  ASSERT_TRUE(on.ok()) << on.status();
  EXPECT_TRUE(on->ink_disclosure_required);
  EXPECT_FALSE(on->required);
}

TEST(ParseConsentPolicy, RefusesATextLongerThanTheLimit) {
  std::string text = "procedure.version = 1\n";
  const std::string line(1000, 'a');
  for (size_t i = 0; i <= kMaxConsentTextBytes / 1000; ++i) {
    text += "procedure.text = " + line + "\n";
  }
  const absl::Status status = ParseConsentPolicy(text).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("the text is longer than 20000 bytes"));
}

TEST(ParseConsentPolicy, TheExampleFileRequiresConsentToItsOwnTexts) {
  std::ifstream file(std::string(SMPTRACE_SOURCE_DIR) + "/deploy/consent.conf");
  ASSERT_TRUE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  auto policy = ParseConsentPolicy(text.str());
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(policy->required);
  EXPECT_EQ(policy->procedure.version, "2026-01");
  EXPECT_EQ(policy->data_processing.version, "2026-01");
  EXPECT_THAT(policy->procedure.text, HasSubstr("scalp micropigmentation"));
}

}  // namespace
}  // namespace smptrace::domain
