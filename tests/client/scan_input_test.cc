// Scan input: what ends a scan (CR, LF, CR+LF, Tab) and what ends the loop
// (end of input, or "done"; never a blank line).
#include "client/scan_input.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Scans(const std::string& typed) {
  std::istringstream in(typed);
  std::vector<std::string> scans;
  std::string scan;
  while (ReadScan(in, &scan)) scans.push_back(scan);
  return scans;
}

TEST(ReadScan, EachOfCrLfCrLfAndTabEndsOneScan) {
  EXPECT_THAT(Scans("A\nB\rC\r\nD\tE"), ElementsAre("A", "B", "C", "D", "E"));
}

TEST(ReadScan, MakesNoEmptyScansBetweenEndings) {
  EXPECT_THAT(Scans("A\r\n\r\nB\t\r\n\n"), ElementsAre("A", "B"));
  EXPECT_THAT(Scans("\r\n\t"), IsEmpty());
  EXPECT_THAT(Scans(""), IsEmpty());
}

TEST(ReadScan, KeepsGroupSeparatorsAndSpacesInsideAScan) {
  EXPECT_THAT(Scans(" ]d2010950600013435210AB\x1d"
                    "21SN1\r\n"),
              ElementsAre(" ]d2010950600013435210AB\x1d"
                          "21SN1"));
}

TEST(IsEndOfScans, IsTheWordDoneInAnyCase) {
  EXPECT_TRUE(IsEndOfScans("done"));
  EXPECT_TRUE(IsEndOfScans(" DONE "));
  EXPECT_FALSE(IsEndOfScans("done1"));
  EXPECT_FALSE(IsEndOfScans("0109506000134352"));
}

// The loop's scans, as `handle` saw them, with what it prompted.
struct Loop {
  std::vector<std::string> handled;
  std::string prompted;
  ScanTally tally;
};

Loop RunLoop(const std::string& typed, bool person_at_terminal) {
  std::istringstream in(typed);
  std::ostringstream prompt;
  Loop loop;
  ScanLoopOptions options;
  options.person_at_terminal = person_at_terminal;
  options.prompt = &prompt;
  loop.tally = ForEachScan(
      in,
      [&](const std::string& scan) -> ScanResult {
        loop.handled.push_back(scan);
        return ScanOutcome::kAccepted;
      },
      options);
  loop.prompted = prompt.str();
  return loop;
}

// A scanner that sends CR+LF made an empty line that ended the loop after
// the first item; the next barcode went to the shell.
TEST(ForEachScan, AtATerminalABlankLineDoesNotEndTheLoop) {
  const Loop loop = RunLoop("A\r\n\r\nB\n\nC\t", /*person_at_terminal=*/true);
  EXPECT_THAT(loop.handled, ElementsAre("A", "B", "C"));
  EXPECT_EQ(loop.tally.accepted, 3);
}

TEST(ForEachScan, AtATerminalDoneEndsTheLoopWithAVisiblePrompt) {
  const Loop loop = RunLoop("A\ndone\nB\n", /*person_at_terminal=*/true);
  EXPECT_THAT(loop.handled, ElementsAre("A"));
  EXPECT_THAT(loop.prompted,
              HasSubstr("type done (or press Ctrl-D) to finish"));
  EXPECT_THAT(loop.prompted, HasSubstr("scan> "));
}

TEST(ForEachScan, FromAFileReadsToTheEndWithoutPrompting) {
  const Loop loop = RunLoop("A\r\n\r\nB\r\n", /*person_at_terminal=*/false);
  EXPECT_THAT(loop.handled, ElementsAre("A", "B"));
  EXPECT_EQ(loop.prompted, "");
}

}  // namespace
}  // namespace smptrace::client
