// Tests of the strict wire parser on span-logs JSON lines, event lines and whole buffers (kind
// detection, splitting); see wire_parser_test.cc for metric, distribution and span lines.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/wire_parser.h"
#include "support/wire_parser_test_util.h"

namespace wavefront::testing {
namespace {

TEST(WireParserSpanLogs, ReadsAllFields) {
  const std::string span = std::string(R"("op" source="h" traceId=)") + kTrace + " spanId=" + kSpan +
                           R"( "_spanLogs"="true" 1700000000123 45)";
  const std::string line = std::string(R"({"traceId":")") + kTrace + R"(","spanId":")" + kSpan +
                           R"(","logs":[{"timestamp":1700000000123456,"fields":{"a":"1","b":"caf\u00e9"}},)"
                           R"({"timestamp":-2,"fields":{}}],"span":")" +
                           R"(\"op\" source=\"h\" traceId=)" + kTrace + " spanId=" + kSpan +
                           R"( \"_spanLogs\"=\"true\" 1700000000123 45"})";
  // \u00e9 is not allowed (only controls may use \u), so first check the refusal, then a good line.
  EXPECT_FALSE(parse_span_logs_line(line).ok());
  std::string good = line;
  good.replace(good.find("caf\\u00e9"), 9, "caf\xC3\xA9 \\\"\\\\\\n\\r\\t\\u0001\x7F");
  auto parsed = parse_span_logs_line(good);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->trace_id, kTrace);
  EXPECT_EQ(parsed->span_id, kSpan);
  ASSERT_EQ(parsed->logs.size(), 2u);
  EXPECT_EQ(parsed->logs[0].timestamp, 1700000000123456);
  EXPECT_EQ(parsed->logs[0].fields, (KeyValues{{"a", "1"}, {"b", "caf\xC3\xA9 \"\\\n\r\t\x01\x7F"}}));
  EXPECT_EQ(parsed->logs[1].timestamp, -2);
  EXPECT_TRUE(parsed->logs[1].fields.empty());
  EXPECT_EQ(parsed->span_text, span);
  EXPECT_EQ(parsed->span.start_ms, 1700000000123);
}

TEST(WireParserSpanLogs, RefusesBadLines) {
  const std::string ids = std::string(R"({"traceId":")") + kTrace + R"(","spanId":")" + kSpan + R"(",)";
  const std::string span = std::string(R"("span":"\"op\" source=\"h\" traceId=)") + kTrace +
                           " spanId=" + kSpan + R"( \"_spanLogs\"=\"true\" 1 45"})";
  const std::string log = R"("logs":[{"timestamp":1,"fields":{"k":"v"}}],)";
  expect_all_refused(
      parse_span_logs_line,
      {
          {ids + log + span + " ", "unexpected text at the end"},
          {ids + R"("logs": [{"timestamp":1,"fields":{}}],)" + span, "expected ',\"logs\":['"},
          {ids + R"("logs":[],)" + span, "expected '{\"timestamp\":'"},
          {ids + R"("logs":[{"fields":{},"timestamp":1}],)" + span, "expected '{\"timestamp\":'"},
          {ids + R"("logs":[{"timestamp":1,"fields":{"k":"a\/b"}}],)" + span, "JSON escape not allowed"},
          {ids + R"("logs":[{"timestamp":1,"fields":{"k":"\u000a"}}],)" + span,
           "must not be escaped that way"},
          {ids + R"("logs":[{"timestamp":1,"fields":{"k":"\u001F"}}],)" + span, "four lower-case hex digits"},
          {ids + "\"logs\":[{\"timestamp\":1,\"fields\":{\"k\":\"a\tb\"}}]," + span,
           "raw control character in a JSON"},
          {ids + R"("logs":[{"timestamp":1,"fields":{"k":"v}}],)" + span, "expected '}' closing the fields"},
          {ids + R"("logs":[{"timestamp":1.5,"fields":{}}],)" + span, "expected ',\"fields\":{'"},
          {ids + log + R"("span":"x"})", "embedded span line: column 1"},
          {ids + log + R"("span":"\"op\" source=\"h\" traceId=)" + kSpan + " spanId=" + kSpan +
               R"( \"_spanLogs\"=\"true\" 1 45"})",
           "embedded span has other ids"},
          {ids + log + R"("span":"\"op\" source=\"h\" traceId=)" + kTrace + " spanId=" + kSpan + R"( 1 45"})",
           "lacks \"_spanLogs\""},
          {std::string(R"({"traceId":"7B3BF470-9456-11e8-9eb6-529269fb1459","spanId":")") + kSpan + "\"," +
               log + span,
           "column 12: traceId is not a lower-case"},
          {std::string(R"({"spanId":")") + kSpan + "\"," + log + span, "column 1: expected '{\"traceId\":'"},
          {ids + log + span.substr(0, span.size() - 1), "expected '}' closing the object"},
      });
}

TEST(WireParserEvent, ReadsAllFields) {
  auto parsed = parse_event_line(
      R"(@Event 1700000000000 1700000060000 "deploy \"v42\"" "severity"="info" "type"="deploy" host="ci-1" tag="release" tag="b")");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->start_ms, 1700000000000);
  EXPECT_EQ(parsed->end_ms, 1700000060000);
  EXPECT_EQ(parsed->name, "deploy \"v42\"");
  EXPECT_EQ(parsed->annotations, (KeyValues{{"severity", "info"}, {"type", "deploy"}}));
  EXPECT_EQ(parsed->host, "ci-1");
  EXPECT_EQ(parsed->tags, (std::vector<std::string>{"release", "b"}));
  EXPECT_TRUE(parse_event_line(R"(@Event 1 2 "e" host="h")").ok());
}

TEST(WireParserEvent, RefusesBadLines) {
  expect_all_refused(parse_event_line,
                     {
                         {R"(@Event 5 5 "e" host="h")", "column 10: end time not after the start time"},
                         {R"(@Event 5 4 "e" host="h")", "end time not after"},
                         {R"(@Event 0 4 "e" host="h")", "start time must be positive"},
                         {R"(@Event 5 "e" host="h")", "expected end time"},
                         {R"(@Event 1 2 "e")", "column 15: missing host="},
                         {R"(@Event 1 2 "e" "k"="v")", "missing host="},
                         {R"(@Event 1 2 "e" "host"="x" host="h")", "reserved annotation key 'host'"},
                         {R"(@Event 1 2 "e" "tag"="x" host="h")", "reserved annotation key 'tag'"},
                         {R"(@Event 1 2 "e" "a b"="x" host="h")", "annotation key: character not allowed"},
                         {R"(@Event 1 2 "e" host="h" "k"="v")", "expected tag="},
                         {R"(@Event 1 2 "e" host="h" tag=x)", "expected '\"'"},
                         {R"(@Event 1 2 "e" host="h" tag="")", "empty event tag"},
                         {R"(@Event 1 2 e host="h")", "expected '\"'"},
                         {R"(@event 1 2 "e" host="h")", "expected '@Event'"},
                         {R"(@Event 1 2 "e" host="")", "empty source"},
                     });
}

TEST(WireParserLines, DetectsKinds) {
  EXPECT_EQ(detect_line_kind(R"("m" 1 source="s")"), LineKind::metric);
  EXPECT_EQ(detect_line_kind(R"("m" 1 source="s" "k"=" traceId=x")"), LineKind::metric);
  EXPECT_EQ(detect_line_kind(R"("m" 1 source="a\" traceId=x")"), LineKind::metric);
  EXPECT_EQ(detect_line_kind(R"("s" source="h" traceId=x)"), LineKind::span);
  EXPECT_EQ(detect_line_kind("!H 1 #1 2 \"d\""), LineKind::distribution);
  EXPECT_EQ(detect_line_kind("@Event 1 2"), LineKind::event);
  EXPECT_EQ(detect_line_kind("{\"traceId\""), LineKind::span_logs);
}

TEST(WireParserLines, SplitsABuffer) {
  const std::string text = std::string("\"m\" 1 source=\"s\"\n!M 5 #1 2 \"d\" source=\"s\"\n") +
                           R"("s" source="h" traceId=)" + kTrace + " spanId=" + kSpan + " 1 2\n" +
                           "@Event 1 2 \"e\" host=\"h\"\n";
  auto parsed = parse_wire_lines(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_EQ(parsed->size(), 4u);
  EXPECT_EQ((*parsed)[0].metric().name, "m");
  EXPECT_EQ((*parsed)[1].distribution().granularity, 'M');
  EXPECT_EQ((*parsed)[2].span().trace_id, kTrace);
  EXPECT_EQ((*parsed)[3].event().host, "h");
  EXPECT_TRUE(parse_wire_lines("").ok());
}

TEST(WireParserLines, RefusesBadBuffers) {
  const std::string good = "\"m\" 1 source=\"s\"\n";
  EXPECT_NE(parse_wire_lines("\"m\" 1 source=\"s\"").error().find("does not end with a newline"),
            std::string::npos);
  EXPECT_NE(parse_wire_lines(good + "\n").error().find("line 2: empty line"), std::string::npos);
  EXPECT_NE(parse_wire_lines(good + "\"m\" 1.50 source=\"s\"\n").error().find("line 2: column 5"),
            std::string::npos);
  EXPECT_NE(parse_wire_lines(good, LineKind::span).error().find("expected a span line"), std::string::npos);
  EXPECT_TRUE(parse_wire_lines(good, LineKind::metric).ok());
  // A tag value carrying a raw newline splits into a second line that does not parse.
  EXPECT_FALSE(parse_wire_lines("\"m\" 1 source=\"s\" \"k\"=\"a\n\"m\" 2 source=\"s\"\"\n").ok());
}

}  // namespace
}  // namespace wavefront::testing
