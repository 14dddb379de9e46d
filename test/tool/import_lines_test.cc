// `wfsend import --format lines`, in process: lines in the proxy's grammar come out canonical, refused
// lines carry the reader's column and code, spans with logs are written once (span, then logs), and
// metric lines feed the aggregator under --aggregate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "import_test_util.h"

namespace wfsend::import {
namespace {

using ::testing::ElementsAre;
using testing::Harness;
using ::testing::StartsWith;

const std::string kSpan =
    R"("getUser" source="api-3" traceId=7b3bf470-9456-11e8-9eb6-529269fb1459 )"
    R"(spanId=0313bafe-9457-11e8-9eb6-529269fb1459 "application"="shop" "_spanLogs"="true" 1700000000123 45)";
const std::string kSpanLogs =
    R"({"traceId":"7b3bf470-9456-11e8-9eb6-529269fb1459","spanId":"0313bafe-9457-11e8-9eb6-529269fb1459",)"
    R"("logs":[{"timestamp":1700000000130000,"fields":{"event":"miss"}}],"span":")" +
    [] {
      std::string escaped;
      for (char c : kSpan) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
      return escaped;
    }() +
    "\"}";

TEST(LinesImport, LinesComeOutCanonical) {
  Harness harness;
  harness.import_lines("cpu.usage 42.5 1700000000 host=web-1 env=prod\r\n\n  \n\"x\" 1 source=\"s\"\n");
  EXPECT_THAT(harness.lines(), ElementsAre(R"("cpu.usage" 42.5 1700000000 source="web-1" "env"="prod")",
                                           R"("x" 1 source="s")"));
  EXPECT_EQ(harness.context.counts().rows, 2u);
}

TEST(LinesImport, RefusedLinesCarryTheReadersColumnAndCode) {
  Harness harness;
  harness.import_lines("ok 1 source=s\nbad value source=s\n\"m\" NaN source=s\n");
  EXPECT_THAT(harness.lines(), ElementsAre(R"("ok" 1 source="s")"));
  EXPECT_THAT(harness.problem_lines(),
              ElementsAre(StartsWith("in:2:5: invalid_number: "), StartsWith("in:3:5: non_finite_value: ")));
  EXPECT_EQ(harness.context.counts().refused, 2u);
}

TEST(LinesImport, ASpanWithLogsIsWrittenOnceFollowedByItsLogs) {
  Harness harness;
  harness.import_lines(kSpan + "\n" + kSpanLogs + "\nm 1 source=s\n");
  const std::vector<std::string> lines = harness.lines();
  ASSERT_EQ(lines.size(), 3u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0], kSpan);
  EXPECT_EQ(lines[1], kSpanLogs);
  EXPECT_EQ(lines[2], R"("m" 1 source="s")");
  EXPECT_EQ(harness.output.text(), "");
}

TEST(LinesImport, ASpanWhoseLogsNeverComeIsStillSent) {
  Harness harness;
  harness.import_lines(kSpan + "\nm 1 source=s\n" + kSpan);
  const std::vector<std::string> lines = harness.lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], StartsWith(R"("getUser" source="api-3")"));
  EXPECT_EQ(lines[1], R"("m" 1 source="s")");
  EXPECT_THAT(lines[2], StartsWith(R"("getUser" source="api-3")"));
}

TEST(LinesImport, AggregateTakesMetricLinesOnly) {
  Harness harness(ValueMode::aggregate);
  harness.import_lines("lat 10 1700000040 source=h\nlat 20 1700000050 source=h\n\"∆jobs\" 1 source=h\n");
  EXPECT_THAT(harness.lines(),
              ElementsAre(R"("∆jobs" 1 source="h")", R"(!M 1700000040 #1 10 #1 20 "lat" source="h")"));
}

}  // namespace
}  // namespace wfsend::import
