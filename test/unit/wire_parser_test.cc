// Tests of the strict wire parser itself (test/support/wire_parser.h) on metric, distribution and span
// lines (wire_parser_lines_test.cc has the rest): it reads the contract's example lines correctly and
// refuses every kind of malformed line, naming the rule and the column, so that a test passing through
// it means something.
#include "support/wire_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/wire_parser_test_util.h"

namespace wavefront::testing {
namespace {

TEST(WireParserMetric, ReadsAllFields) {
  auto parsed =
      parse_metric_line(R"("cpu.usage" 42.5 1700000000 source="host-01" "env"="prod" "region"="us-west")");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->name, "cpu.usage");
  EXPECT_EQ(parsed->value, 42.5);
  EXPECT_EQ(parsed->value_text, "42.5");
  EXPECT_EQ(parsed->timestamp, 1700000000);
  EXPECT_EQ(parsed->source, "host-01");
  EXPECT_EQ(parsed->tags, (KeyValues{{"env", "prod"}, {"region", "us-west"}}));
}

TEST(WireParserMetric, OptionalTimestampAndTags) {
  auto parsed = parse_metric_line(R"("requests" 1 source="host-01")");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_FALSE(parsed->timestamp.has_value());
  EXPECT_TRUE(parsed->tags.empty());
}

TEST(WireParserMetric, ShortestNumbers) {
  for (const char* number : {"42", "0.1", "1e-07", "1e+21", "-0", "-3.25", "1.7976931348623157e+308"}) {
    auto parsed = parse_metric_line(std::string("\"m\" ") + number + " source=\"s\"");
    EXPECT_TRUE(parsed.ok()) << number << ": " << parsed.error();
  }
}

TEST(WireParserMetric, NamePrefixes) {
  for (const char* name :
       {"~sdk.x", "\xE2\x88\x86jobs", "\xCE\x94jobs", "\xE2\x88\x86~sdk.count", "~", "a/b,c_d-e.f"}) {
    auto parsed = parse_metric_line(std::string("\"") + name + "\" 1 source=\"s\"");
    EXPECT_TRUE(parsed.ok()) << name << ": " << parsed.error();
    if (parsed.ok()) {
      EXPECT_EQ(parsed->name, name);
    }
  }
}

TEST(WireParserMetric, ReadsQuotedValuesLikeTheProxy) {
  auto parsed = parse_metric_line(
      R"("m" 1 source="host \"a\"" "msg"="line1\nline2" "path"="C:\temp\x" "t"="a	b" "q"="a\\"b")");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->source, "host \"a\"");
  EXPECT_EQ(parsed->tags[0].second, "line1\\nline2");  // backslash-n stays two characters
  EXPECT_EQ(parsed->tags[1].second, "C:\\temp\\x");
  EXPECT_EQ(parsed->tags[2].second, "a\tb");
  EXPECT_EQ(parsed->tags[3].second, "a\\\"b");
}

TEST(WireParserMetric, AcceptsUtf8Values) {
  auto parsed = parse_metric_line("\"m\" 1 source=\"caf\xC3\xA9\" \"k\"=\"\xF0\x9F\x98\x80 \xE3\x80\x80x\"");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->source, "caf\xC3\xA9");
}

TEST(WireParserMetric, RefusesBadNames) {
  expect_all_refused(parse_metric_line,
                     {
                         {R"(cpu 1 source="s")", "column 1: expected '\"'"},
                         {R"("cpu usage" 1 source="s")", "column 5: metric name: character not allowed"},
                         {R"("a~b" 1 source="s")", "column 3: metric name: character not allowed"},
                         {R"("~~a" 1 source="s")", "column 3:"},
                         {"\"caf\xC3\xA9\" 1 source=\"s\"", "column 5:"},
                         {R"("" 1 source="s")", "empty name"},
                         {"\"\xE2\x88\x86\" 1 source=\"s\"", "only a delta sign"},
                         {R"("a\"b" 1 source="s")", "character not allowed"},
                         {R"("cpu 1 source="s")", "character not allowed"},
                         {R"("cpu)", "column 1: unterminated"},
                     });
}

TEST(WireParserMetric, RefusesBadNumbers) {
  expect_all_refused(parse_metric_line,
                     {
                         {R"("m" 1.0 source="s")", "column 5: value '1.0' is not the shortest form"},
                         {R"("m" +1 source="s")", "not a number"},
                         {R"("m" 1e21 source="s")", "not the shortest form"},
                         {R"("m" 0.10 source="s")", "not the shortest form"},
                         {R"("m" 1E+21 source="s")", "not the shortest form"},
                         {R"("m" nan source="s")", "not finite"},
                         {R"("m" inf source="s")", "not finite"},
                         {R"("m" 1,5 source="s")", "not a number"},
                         {R"("m" 0x10 source="s")", "not a number"},
                         {R"("m" 1e999 source="s")", "not a number"},
                         {R"("m"  1 source="s")", "column 5: more than one space"},
                     });
}

TEST(WireParserMetric, RefusesBadTimestamps) {
  expect_all_refused(parse_metric_line, {
                                            {R"("m" 1 0 source="s")", "column 7: timestamp must be positive"},
                                            {R"("m" 1 -5 source="s")", "expected source="},
                                            {R"("m" 1 0123 source="s")", "leading zeros"},
                                            {R"("m" 1 99999999999999999999 source="s")", "out of range"},
                                            {R"("m" 1 12a source="s")", "column 9: expected a space"},
                                        });
}

TEST(WireParserMetric, RefusesBadSpacing) {
  expect_all_refused(parse_metric_line,
                     {
                         {R"( "m" 1 source="s")", "column 1:"},
                         {R"("m" 1 source="s" )", "column 18: expected '\"' opening tag key"},
                         {R"("m" 1  source="s")", "more than one space"},
                         {"\"m\"\t1 source=\"s\"", "expected a space"},
                         {R"("m" 1 source="s"  "k"="v")", "more than one space"},
                         {R"("m" 1 source="s""k"="v")", "expected a space"},
                     });
}

TEST(WireParserMetric, RefusesBadSources) {
  expect_all_refused(parse_metric_line,
                     {
                         {R"("m" 1)", "column 6: expected a space"},
                         {R"("m" 1 "k"="v")", "expected source="},
                         {R"("m" 1 source=h)", "expected '\"'"},
                         {R"("m" 1 source="")", "empty source"},
                         {R"("m" 1 source=" ")", "source has leading whitespace"},
                         {"\"m\" 1 source=\"\xE3\x80\x80\"", "source is blank"},
                         {"\"m\" 1 source=\"\xE2\x80\xA8\"", "source is blank"},
                         {R"("m" 1 source=" h")", "leading whitespace"},
                         {"\"m\" 1 source=\"h\t\"", "trailing whitespace"},
                         {R"("m" 1 source="h\")", "unterminated quoted source"},
                         {R"("m" 1 source="h\" "k"="v")", "column 18: source has trailing whitespace"},
                     });
}

TEST(WireParserMetric, RefusesRawControlsAndInvalidUtf8) {
  expect_all_refused(parse_metric_line,
                     {
                         {"\"m\" 1 source=\"a\x01\"", "column 16: raw control character"},
                         {"\"m\" 1 source=\"a\x7F\"", "raw control character"},
                         {"\"m\" 1 source=\"a\rb\"", "raw control character"},
                         {"\"m\" 1 source=\"a\x1F\"", "raw control character"},
                         {std::string("\"m\" 1 source=\"a\0b\"", 18), "raw control character"},
                         {"\"m\" 1 source=\"a\nb\"", "column 16: raw newline"},
                         {"\"m\" 1 source=\"\xC3\x28\"", "column 15: invalid UTF-8"},
                         {"\"m\" 1 source=\"\x80\"", "invalid UTF-8"},
                         {"\"m\" 1 source=\"\xC0\xAF\"", "invalid UTF-8"},
                         {"\"m\" 1 source=\"\xE0\x80\xAF\"", "invalid UTF-8"},
                         {"\"m\" 1 source=\"\xED\xA0\x80\"", "invalid UTF-8"},
                         {"\"m\" 1 source=\"\xF4\x90\x80\x80\"", "invalid UTF-8"},
                         {"\"m\" 1 source=\"\xF8\x88\x80\x80\x80\"", "invalid UTF-8"},
                         {"\"m\" 1 source=\"s\" \"k\"=\"\xE2\x88\"", "invalid UTF-8"},
                         {"\"m\" 1 source=\"s\" \"k\"=\"\xF0\x9F\x98\"", "invalid UTF-8"},
                     });
}

TEST(WireParserMetric, RefusesBadTags) {
  expect_all_refused(parse_metric_line,
                     {
                         {R"("m" 1 source="s" "k" "v")", "column 21: expected '='"},
                         {R"("m" 1 source="s" "k"= "v")", "expected '\"'"},
                         {R"("m" 1 source="s" k="v")", "expected '\"'"},
                         {R"("m" 1 source="s" "k"=v)", "expected '\"'"},
                         {R"("m" 1 source="s" "k"="")", "empty tag value"},
                         {R"("m" 1 source="s" ""="v")", "empty name"},
                         {R"("m" 1 source="s" "my key"="v")", "tag key: character not allowed"},
                         {R"("m" 1 source="s" "source"="x")", "reserved tag key 'source'"},
                         {R"("m" 1 source="s" "host"="x")", "reserved tag key 'host'"},
                         {R"("m" 1 source="s" "tag"="x")", "reserved tag key 'tag'"},
                         {R"("m" 1 source="s" "env"="a" "env"="b")", "duplicate point tag key 'env'"},
                         {R"("m" 1 source="s" "k"="v"x)", "expected a space"},
                         {R"("m" 1 source="s" "k"="v)", "unterminated quoted tag value"},
                     });
}

TEST(WireParserDistribution, ReadsAllFields) {
  auto parsed = parse_distribution_line(
      R"(!M 1700000040 #20 30 #10 5.1 "request.latency" source="app-1" "region"="us-west")");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->granularity, 'M');
  EXPECT_EQ(parsed->timestamp, 1700000040);
  ASSERT_EQ(parsed->centroids.size(), 2u);
  EXPECT_EQ(parsed->centroids[0].count, 20);
  EXPECT_EQ(parsed->centroids[0].mean, 30);
  EXPECT_EQ(parsed->centroids[1].count, 10);
  EXPECT_EQ(parsed->centroids[1].mean, 5.1);
  EXPECT_EQ(parsed->name, "request.latency");
  EXPECT_EQ(parsed->source, "app-1");
  EXPECT_EQ(parsed->tags, (KeyValues{{"region", "us-west"}}));
}

TEST(WireParserDistribution, HourDayAndNoTimestamp) {
  EXPECT_TRUE(parse_distribution_line(R"(!H #1 2 "d" source="s")").ok());
  EXPECT_TRUE(parse_distribution_line(R"(!D 5 #2147483647 -1e-07 "d" source="s")").ok());
}

TEST(WireParserDistribution, RefusesBadLines) {
  expect_all_refused(parse_distribution_line,
                     {
                         {R"(!X 5 #1 2 "d" source="s")", "column 2: unknown granularity"},
                         {R"(!m 5 #1 2 "d" source="s")", "unknown granularity"},
                         {R"(M 5 #1 2 "d" source="s")", "column 1: expected '!M'"},
                         {R"(!M 5 1 2 "d" source="s")", "expected '#<count>'"},
                         {R"(!M 5 "d" source="s")", "expected '#<count>'"},
                         {R"(!M 5 #0 2 "d" source="s")", "centroid count must be positive"},
                         {R"(!M 5 #-1 2 "d" source="s")", "expected centroid count"},
                         {R"(!M 5 #2147483648 2 "d" source="s")", "above 2^31-1"},
                         {R"(!M 5 #01 2 "d" source="s")", "leading zeros"},
                         {R"(!M 5 #1 2.50 "d" source="s")", "not the shortest form"},
                         {R"(!M 5 #1 2 d source="s")", "expected '\"'"},
                         {R"(!M 5 #1 2 "d d" source="s")", "distribution name: character not allowed"},
                         {R"(!M 0 #1 2 "d" source="s")", "timestamp must be positive"},
                         {R"(!M 5 #1 2 "d")", "expected a space"},
                         {R"(!M 5 #1 2 "d" source="s" "tag"="x")", "reserved tag key"},
                     });
}

TEST(WireParserSpan, ReadsAllFields) {
  const std::string line =
      std::string(R"("getUser" source="api-3" traceId=)") + kTrace + " spanId=" + kSpan +
      " parent=2f64e538-9457-11e8-9eb6-529269fb1459 parent=00000000-0000-0000-0000-000000000000"
      " followsFrom=ffffffff-ffff-ffff-ffff-ffffffffffff"
      R"( "application"="shop" "db"="a" "db"="b" "_spanLogs"="true" 1700000000123 45)";
  auto parsed = parse_span_line(line);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->name, "getUser");
  EXPECT_EQ(parsed->source, "api-3");
  EXPECT_EQ(parsed->trace_id, kTrace);
  EXPECT_EQ(parsed->span_id, kSpan);
  EXPECT_EQ(parsed->parents, (std::vector<std::string>{"2f64e538-9457-11e8-9eb6-529269fb1459",
                                                       "00000000-0000-0000-0000-000000000000"}));
  EXPECT_EQ(parsed->follows_from, std::vector<std::string>{"ffffffff-ffff-ffff-ffff-ffffffffffff"});
  EXPECT_EQ(parsed->tags,
            (KeyValues{{"application", "shop"}, {"db", "a"}, {"db", "b"}, {"_spanLogs", "true"}}));
  EXPECT_EQ(parsed->start_ms, 1700000000123);
  EXPECT_EQ(parsed->duration_ms, 45);
}

TEST(WireParserSpan, NameIsAValue) {
  auto parsed = parse_span_line(std::string(R"("get \"user\"\nnext" source="s" traceId=)") + kTrace +
                                " spanId=" + kSpan + " 1 0");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->name, "get \"user\"\\nnext");
  EXPECT_EQ(parsed->duration_ms, 0);
}

TEST(WireParserSpan, RefusesBadLines) {
  const std::string head = std::string(R"("s" source="h" traceId=)") + kTrace + " spanId=" + kSpan;
  expect_all_refused(
      parse_span_line,
      {
          {std::string(R"("s" source="h" traceId=)") +
               "7B3BF470-9456-11e8-9eb6-529269fb1459 spanId=" + kSpan + " 1 2",
           "column 25: traceId is not a lower-case canonical UUID"},
          {std::string(R"("s" source="h" traceId=7b3bf470945611e89eb6529269fb1459 spanId=)") + kSpan + " 1 2",
           "not a lower-case canonical UUID"},
          {std::string(R"("s" source="h" traceId={)") + kTrace + "} spanId=" + kSpan + " 1 2",
           "not a lower-case"},
          {std::string(R"("s" source="h" traceId=)") + kTrace + "0 spanId=" + kSpan + " 1 2",
           "longer than a UUID"},
          {std::string(R"("s" source="h" spanId=)") + kSpan + " traceId=" + kTrace + " 1 2",
           "expected traceId="},
          {std::string(R"("s" traceId=)") + kTrace + " spanId=" + kSpan + " 1 2", "expected source="},
          {head + " 1 2 3", "unexpected text at the end"},
          {head + " \"k\"=\"v\" parent=" + kTrace + " 1 2", "parent= after followsFrom= or tags"},
          {head + " followsFrom=" + kTrace + " parent=" + kTrace + " 1 2",
           "parent= after followsFrom= or tags"},
          {head + " \"k\"=\"v\" followsFrom=" + kTrace + " 1 2", "followsFrom= after tags"},
          {head + " \"123\"=\"v\" 1 2", "only of digits"},
          {head + " \"traceId\"=\"v\" 1 2", "reserved span tag key 'traceId'"},
          {head + " \"host\"=\"v\" 1 2", "reserved span tag key 'host'"},
          {head + " \"_spanLogs\"=\"true\" \"k\"=\"v\" 1 2", "tag after \"_spanLogs\""},
          {head + " \"_spanLogs\"=\"false\" 1 2", "must be \"true\""},
          {head + " 1", "expected a space"},
          {head + " 0 2", "start time must be positive"},
          {head + " 1 -2", "expected duration"},
          {head + " 01 2", "leading zeros"},
          {head + " parent=" + kTrace, "column 148: expected a space"},
          {head + " \"k\"=\"\" 1 2", "empty span tag value"},
          {std::string(R"("" source="h" traceId=)") + kTrace + " spanId=" + kSpan + " 1 2",
           "empty span name"},
      });
}

}  // namespace
}  // namespace wavefront::testing
