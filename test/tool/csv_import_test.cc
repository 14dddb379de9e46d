// `wfsend import --format csv`, in process: the column plan (names, positions, roles, usage errors),
// metric naming, timestamps in every unit, sources and tags, empty and bad cells, malformed rows, and
// aggregation into distributions binned by the rows' timestamps.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "import_test_util.h"

namespace wfsend::import {
namespace {

using ::testing::ElementsAre;
using testing::Harness;
using ::testing::HasSubstr;
using ::testing::StartsWith;

CsvImportOptions values(std::vector<std::string> columns) {
  CsvImportOptions options;
  options.value_columns = std::move(columns);
  return options;
}

TEST(CsvPlan, ColumnsByNameOrPositionWithRoles) {
  const std::vector<std::string> header = {"time", "host", "region", "cpu", "mem"};
  CsvImportOptions options = values({"cpu", "5"});
  options.timestamp_column = "1";
  options.source_column = "host";
  options.tag_columns = {"region"};
  auto plan = plan_columns(header, options);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  EXPECT_EQ(plan->timestamp_column, 0u);
  EXPECT_EQ(plan->source_column, 1u);
  ASSERT_EQ(plan->values.size(), 2u);
  EXPECT_EQ(plan->values[0].metric_name, "cpu");
  EXPECT_EQ(plan->values[1].metric_name, "mem");
  ASSERT_EQ(plan->tags.size(), 1u);
  EXPECT_EQ(plan->tags[0].key, "region");
}

TEST(CsvPlan, DefaultsAndAllTags) {
  const std::vector<std::string> header = {"time", "host", "region", "cpu"};
  CsvImportOptions options;
  options.timestamp_column = "time";
  options.tag_columns = {"host", "region"};
  auto plan = plan_columns(header, options);  // values: what is left
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->values.size(), 1u);
  EXPECT_EQ(plan->values[0].index, 3u);

  CsvImportOptions all = values({"cpu"});
  all.timestamp_column = "time";
  all.tag_columns = {"*"};
  auto all_plan = plan_columns(header, all);
  ASSERT_TRUE(all_plan.ok());
  ASSERT_EQ(all_plan->tags.size(), 2u);
  EXPECT_EQ(all_plan->tags[1].key, "region");
}

TEST(CsvPlan, UsageErrorsNameTheColumnAndListTheHeader) {
  const std::vector<std::string> header = {"time", "cpu"};
  auto unknown = plan_columns(header, values({"cpux"}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), wavefront::ErrorCode::invalid_argument);
  EXPECT_EQ(unknown.status().message(),
            "--value-column: no column \"cpux\" in the header (1:\"time\", 2:\"cpu\")");
  auto out_of_range = plan_columns(header, values({"3"}));
  EXPECT_FALSE(out_of_range.ok());
  CsvImportOptions twice = values({"cpu"});
  twice.tag_columns = {"cpu"};
  auto both = plan_columns(header, twice);
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(both.status().message(), HasSubstr("already the a value column"));
  CsvImportOptions all_tags;
  all_tags.tag_columns = {"all"};
  EXPECT_FALSE(plan_columns(header, all_tags).ok());
  CsvImportOptions nothing_left;
  nothing_left.timestamp_column = "time";
  nothing_left.source_column = "cpu";
  EXPECT_THAT(plan_columns(header, nothing_left).status().message(), HasSubstr("no value column left"));
  CsvImportOptions name_twice = values({"cpu"});
  name_twice.name = "n";
  name_twice.name_column = "time";
  EXPECT_FALSE(plan_columns(header, name_twice).ok());
}

TEST(CsvImport, NamesFromHeaderNameColumnOrFixedName) {
  Harness from_header;
  CsvImportOptions options = values({"cpu", "mem"});
  options.prefix = "app.";
  options.source = "s";
  ASSERT_TRUE(from_header.import_csv("cpu,mem\n1,2\n", options).ok());
  EXPECT_THAT(from_header.lines(), ElementsAre(R"("app.cpu" 1 source="s")", R"("app.mem" 2 source="s")"));

  Harness fixed;
  options.name = "host";
  ASSERT_TRUE(fixed.import_csv("cpu,mem\n1,2\n", options).ok());
  EXPECT_THAT(fixed.lines(), ElementsAre(R"("app.host.cpu" 1 source="s")", R"("app.host.mem" 2 source="s")"));

  Harness name_column;
  CsvImportOptions by_column = values({"value"});
  by_column.name_column = "metric";
  by_column.source = "s";
  ASSERT_TRUE(name_column.import_csv("metric,value\ndisk.used,5\nnet.in,6\n", by_column).ok());
  EXPECT_THAT(name_column.lines(), ElementsAre(R"("disk.used" 5 source="s")", R"("net.in" 6 source="s")"));
}

TEST(CsvImport, TimestampsInEveryUnitAndRepeatedTimestamps) {
  Harness harness;
  CsvImportOptions options = values({"v"});
  options.timestamp_column = "t";
  options.source = "s";
  ASSERT_TRUE(harness
                  .import_csv("t,v\n1700000000,1\n1700000000500,2\n2023-11-14T22:13:20Z,3\n"
                              "2023-11-14T22:13:20Z,4\n2023-11-15 00:13:20+02:00,5\n1700000000.75,6\n",
                              options)
                  .ok());
  // Whole seconds stay seconds; milliseconds (and fractions of a second) are kept as milliseconds.
  ASSERT_EQ(harness.lines().size(), 6u);
  for (std::size_t index : {0, 2, 3, 4})
    EXPECT_THAT(harness.lines()[index], HasSubstr(" 1700000000 source="));
  EXPECT_THAT(harness.lines()[1], HasSubstr(" 1700000000500 source="));
  EXPECT_THAT(harness.lines()[5], HasSubstr(" 1700000000750 source="));

  Harness seconds_only;
  options.timestamp_unit = TimestampUnit::seconds;
  ASSERT_TRUE(seconds_only.import_csv("t,v\n2023-11-14T22:13:20Z,1\n1700000000,2\n", options).ok());
  EXPECT_THAT(seconds_only.lines(), ElementsAre(R"("v" 2 1700000000 source="s")"));
  EXPECT_THAT(
      seconds_only.problem_lines(),
      ElementsAre("in:2:1: invalid_timestamp: column \"t\": \"2023-11-14T22:13:20Z\" is not epoch seconds; "
                  "row skipped"));
}

TEST(CsvImport, BadTimestampsRefuseTheRow) {
  Harness harness;
  CsvImportOptions options = values({"a", "b"});
  options.timestamp_column = "t";
  options.source = "s";
  ASSERT_TRUE(harness.import_csv("a,t,b\n1,,2\n1,yesterday,2\n1,0.5,2\n", options).ok());
  EXPECT_TRUE(harness.lines().empty());
  EXPECT_THAT(harness.problem_lines(),
              ElementsAre(StartsWith("in:2:3: invalid_timestamp: column \"t\": the timestamp is empty"),
                          StartsWith("in:3:3: invalid_timestamp: column \"t\": \"yesterday\" is not epoch"),
                          StartsWith("in:4:3: invalid_timestamp: column \"t\": \"0.5\" is not after 1970")));
  EXPECT_EQ(harness.context.counts().refused, 3u);
}

TEST(CsvImport, SourcesTagsAndFixedTags) {
  Harness harness;
  CsvImportOptions options = values({"v"});
  options.source_column = "host";
  options.source = "fallback";
  options.tag_columns = {"region", "zone"};
  options.fixed_tags = {{"env", "prod"}, {"zone", "default"}};
  ASSERT_TRUE(harness.import_csv("host,region,zone,v\nweb-1,us,a,1\n,eu,,2\n", options).ok());
  EXPECT_THAT(harness.lines(),
              ElementsAre(R"("v" 1 source="web-1" "env"="prod" "region"="us" "zone"="a")",
                          R"("v" 2 source="fallback" "env"="prod" "zone"="default" "region"="eu")"));
}

TEST(CsvImport, EmptyCellsAreSkippedAndBadNumbersRefusedWithTheirPosition) {
  Harness harness;
  CsvImportOptions options = values({"cpu", "mem"});
  options.source = "s";
  ASSERT_TRUE(harness.import_csv("cpu,mem\n , 7\n12%,+3.5\n\"1\n2\",nan\n1e400,-0\n", options).ok());
  EXPECT_THAT(harness.lines(),
              ElementsAre(R"("mem" 7 source="s")", R"("mem" 3.5 source="s")", R"("mem" -0 source="s")"));
  EXPECT_THAT(harness.problem_lines(),
              ElementsAre("in:3:1: invalid_number: column \"cpu\": \"12%\" is not a number",
                          "in:4:1: invalid_number: column \"cpu\": \"1\\x0A2\" is not a number",
                          // the value's cell starts on the record's second line
                          StartsWith("in:5:4: non_finite_value: "),
                          "in:6:1: invalid_number: column \"cpu\": \"1e400\" is not a number"));
  EXPECT_EQ(harness.context.counts().empty_values, 1u);
  EXPECT_EQ(harness.context.counts().refused, 3u);
  EXPECT_EQ(harness.context.counts().invalid_by_library, 1u);
  EXPECT_EQ(harness.context.counts().rows, 4u);
}

TEST(CsvImport, RowsWithTheWrongNumberOfFields) {
  Harness harness;
  CsvImportOptions options = values({"v"});
  options.source = "s";
  ASSERT_TRUE(harness.import_csv("k,v\na\nb,1,\nc,2,x\nd,3\n", options).ok());
  EXPECT_THAT(harness.lines(), ElementsAre(R"("v" 1 source="s")", R"("v" 3 source="s")"));
  EXPECT_THAT(harness.problem_lines(),
              ElementsAre("in:2:1: malformed_line: row has 1 fields, the header has 2; row skipped",
                          "in:4:5: malformed_line: row has 3 fields, the header has 2; row skipped"));
}

TEST(CsvImport, MalformedCsvIsReportedAndTheImportGoesOn) {
  Harness harness;
  CsvImportOptions options = values({"v"});
  options.source = "s";
  ASSERT_TRUE(harness.import_csv("k,v\n\"a\"b,1\nc,2\nd,\"unterminated\n", options).ok());
  EXPECT_THAT(harness.lines(), ElementsAre(R"("v" 2 source="s")"));
  EXPECT_THAT(harness.problem_lines(),
              ElementsAre(StartsWith("in:2:4: malformed_line: unexpected character after a closing quote"),
                          StartsWith("in:4:3: malformed_line: quoted field starting here is not closed")));
}

TEST(CsvImport, LibraryRefusalsPointAtTheColumnTheyConcern) {
  Harness harness;
  CsvImportOptions options = values({"v"});
  options.name_column = "n";
  options.source_column = "h";
  ASSERT_TRUE(harness.import_csv("h,n,v\nok,,1\nbad\\,m,2\n", options).ok());
  EXPECT_TRUE(harness.lines().empty());
  EXPECT_THAT(harness.problem_lines(),
              ElementsAre(StartsWith("in:2:4: invalid_name: "), StartsWith("in:3:1: invalid_source: ")));
}

TEST(CsvImport, NoHeaderNamesColumnsByPosition) {
  Harness harness;
  CsvImportOptions options = values({"2"});
  options.header = false;
  options.name = "x";
  options.source_column = "1";
  ASSERT_TRUE(harness.import_csv("h1,5\nh2,6\n", options).ok());
  EXPECT_THAT(harness.lines(), ElementsAre(R"("x" 5 source="h1")", R"("x" 6 source="h2")"));
}

TEST(CsvImport, DeltaCounters) {
  Harness harness(ValueMode::delta_counter);
  CsvImportOptions options = values({"jobs"});
  options.source = "s";
  ASSERT_TRUE(harness.import_csv("jobs\n3\n0\n-1\n", options).ok());
  EXPECT_THAT(harness.lines(), ElementsAre(R"("∆jobs" 3 source="s")"));
  EXPECT_THAT(harness.problem_lines(), ElementsAre(StartsWith("in:4:1: negative_delta: ")));
}

TEST(CsvImport, TabSeparated) {
  Harness harness;
  CsvImportOptions options = values({"v"});
  options.source = "s";
  ASSERT_TRUE(harness.import_csv("k\tv\na,b\t1\n", options, '\t').ok());
  EXPECT_THAT(harness.lines(), ElementsAre(R"("v" 1 source="s")"));
}

TEST(CsvImport, EmptyInputIsAUsageError) {
  Harness harness;
  EXPECT_EQ(harness.import_csv("", values({"v"})).code(), wavefront::ErrorCode::invalid_argument);
  Harness unknown;
  EXPECT_THAT(unknown.import_csv("a,b\n1,2\n", values({"c"})).message(), HasSubstr("no column \"c\""));
}

TEST(CsvAggregate, ValuesBecomeDistributionsPerSeriesAndBinFromTheRowTimestamps) {
  AggregatorOptions aggregator_options;
  aggregator_options.granularity = wavefront::Granularity::minute;
  Harness harness(ValueMode::aggregate, 0, aggregator_options);
  CsvImportOptions options = values({"lat"});
  options.timestamp_column = "t";
  options.source_column = "h";
  // Two series (h=a, h=b); minute bins 1700000040 and 1700000100; the b row at 1700000000 is one bin
  // late and still lands in its bin.
  ASSERT_TRUE(harness
                  .import_csv("t,h,lat\n1700000040,a,10\n1700000041,a,10\n1700000050,b,5\n1700000100,a,30\n"
                              "1700000039,b,7\n1700000101,a,inf\n",
                              options)
                  .ok());
  std::vector<std::string> lines = harness.lines();
  std::sort(lines.begin(), lines.end());
  EXPECT_THAT(
      lines,
      ElementsAre(R"(!M 1699999980 #1 7 "lat" source="b")", R"(!M 1700000040 #1 5 "lat" source="b")",
                  R"(!M 1700000040 #2 10 "lat" source="a")", R"(!M 1700000100 #1 30 "lat" source="a")"));
  EXPECT_EQ(harness.context.counts().aggregated_values, 5u);
  EXPECT_THAT(harness.problem_lines(), ElementsAre(StartsWith("in:7:14: non_finite_value: ")));
  EXPECT_EQ(harness.aggregator.distributions_sent(), 4u);
}

// Found by csv_fuzz: a time in the first minute after the epoch has the bin start 0, which no
// distribution may carry; it is refused at its row, not later when its bin is sent.
TEST(CsvAggregate, ATimeInTheBinStartingAtTheEpochIsRefusedAtItsRow) {
  AggregatorOptions aggregator_options;
  aggregator_options.granularity = wavefront::Granularity::minute;
  Harness harness(ValueMode::aggregate, 0, aggregator_options);
  CsvImportOptions options = values({"lat"});
  options.timestamp_column = "t";
  ASSERT_TRUE(harness.import_csv("t,lat\n30,1\n1700000040,2\n", options).ok());
  EXPECT_THAT(harness.lines(), ElementsAre(StartsWith("!M 1700000040 #1 2 ")));
  EXPECT_THAT(harness.problem_lines(), ElementsAre(StartsWith("in:2:4: invalid_timestamp: ")));
}

TEST(CsvAggregate, CompletedBinsAreSentAsTheDataMovesOnAndMemoryStaysBounded) {
  AggregatorOptions aggregator_options;
  aggregator_options.max_open_digests = 3;
  Harness harness(ValueMode::aggregate, 0, aggregator_options);
  CsvImportOptions options = values({"v"});
  options.timestamp_column = "t";
  options.source = "s";
  std::string text = "t,v\n";
  for (int minute = 0; minute < 10; ++minute) text += std::to_string(1700000040 + 60 * minute) + ",1\n";
  input::StringSource source(text);
  CsvReader reader(source);
  CsvImporter importer(options);
  ASSERT_TRUE(importer.start(reader).ok());
  importer.run(harness.context, reader);
  // Before finish(): every bin but the newest two was sent.
  EXPECT_EQ(harness.lines().size(), 8u);
  EXPECT_LE(harness.aggregator.open_digests(), 3u);
  harness.aggregator.finish();
  EXPECT_EQ(harness.lines().size(), 10u);
}

}  // namespace
}  // namespace wfsend::import
