// LineReader: the proxy's grammar in, canonical lines out, refusals with code and column.
#include <gtest/gtest.h>

#include <string>

#include "support/wire_parser.h"
#include "wavefront/line_reader.h"

namespace {

using wavefront::ErrorCode;
using wavefront::LineKind;
using wavefront::LineReader;

LineReader make_reader() {
  wavefront::LineReaderOptions options;
  options.format.default_source = "peer";
  return LineReader(options);
}

std::string canonical(const std::string& line) {
  LineReader reader = make_reader();
  const wavefront::Status status = reader.read(line);
  EXPECT_TRUE(status.ok()) << line << " -> column " << reader.error_column() << ": " << status.to_string();
  return std::string(reader.canonical());
}

struct Refusal {
  ErrorCode code;
  std::size_t column;
  std::string message;
};

Refusal refusal(const std::string& line) {
  LineReader reader = make_reader();
  const wavefront::Status status = reader.read(line);
  EXPECT_FALSE(status.ok()) << line << " was accepted as " << reader.canonical();
  EXPECT_TRUE(reader.canonical().empty());
  return {status.code(), reader.error_column(), std::string(status.message())};
}

TEST(LineReader, MetricsInTheProxyGrammarBecomeCanonical) {
  EXPECT_EQ(canonical("cpu.usage 42.5 1700000000 source=web-1 env=prod"),
            "\"cpu.usage\" 42.5 1700000000 source=\"web-1\" \"env\"=\"prod\"\n");
  // Tags before the source, host= for source=, tabs and doubled blanks, CRLF.
  EXPECT_EQ(canonical("cpu  42\tenv=prod host=web-1\r"), "\"cpu\" 42 source=\"web-1\" \"env\"=\"prod\"\n");
  // Precision is kept: milliseconds stay milliseconds, microseconds and nanoseconds become milliseconds
  // as the proxy stores them, fractional seconds become milliseconds (truncated, as the proxy does).
  EXPECT_EQ(canonical("m 1 1700000000123 source=s"), "\"m\" 1 1700000000123 source=\"s\"\n");
  EXPECT_EQ(canonical("m 1 1700000000123456 source=s"), "\"m\" 1 1700000000123 source=\"s\"\n");
  EXPECT_EQ(canonical("m 1 1700000000123456789 source=s"), "\"m\" 1 1700000000123 source=\"s\"\n");
  EXPECT_EQ(canonical("m 1 1234567890.246 source=s"), "\"m\" 1 1234567890246 source=\"s\"\n");
  EXPECT_EQ(canonical("m 1 1700000000.000 source=s"), "\"m\" 1 1700000000 source=\"s\"\n");
  EXPECT_EQ(canonical("m 1 1700000000000 source=s"), "\"m\" 1 1700000000000 source=\"s\"\n");
  // Numbers in Java's forms, written back shortest.
  EXPECT_EQ(canonical("m +1.50 source=s"), "\"m\" 1.5 source=\"s\"\n");
  EXPECT_EQ(canonical("m 1E3 source=s"), "\"m\" 1000 source=\"s\"\n");
  EXPECT_EQ(canonical("m .5 source=s"), "\"m\" 0.5 source=\"s\"\n");
  // No source: the default (the peer, for a receiver).
  EXPECT_EQ(canonical("m 1"), "\"m\" 1 source=\"peer\"\n");
  // source= wins over host=, which is kept as _host.
  EXPECT_EQ(canonical("m 1 host=h source=s"), "\"m\" 1 source=\"s\" \"_host\"=\"h\"\n");
  // Quoted values keep blanks and escaped quotes.
  EXPECT_EQ(canonical(R"("m" 1 source="a b" "k"="say \"hi\"")"),
            "\"m\" 1 source=\"a b\" \"k\"=\"say \\\"hi\\\"\"\n");
  EXPECT_EQ(canonical(R"(m 1 source=s k="v=w")"), "\"m\" 1 source=\"s\" \"k\"=\"v=w\"\n");
}

TEST(LineReader, DeltaCountersAreMetricsWithADeltaName) {
  LineReader reader = make_reader();
  ASSERT_TRUE(reader.read("\xE2\x88\x86jobs 3 source=s").ok());
  EXPECT_TRUE(reader.parsed().delta);
  EXPECT_EQ(reader.canonical(), "\"\xE2\x88\x86jobs\" 3 source=\"s\"\n");
  EXPECT_EQ(refusal("\xE2\x88\x86jobs -3 source=s").code, ErrorCode::negative_delta);
}

TEST(LineReader, Distributions) {
  EXPECT_EQ(canonical("!M 1700000040 #20 30 #10 5.1 request.latency source=app-1 region=us-west"),
            "!M 1700000040 #20 30 #10 5.1 \"request.latency\" source=\"app-1\" \"region\"=\"us-west\"\n");
  EXPECT_EQ(canonical("!H #1 2 lat"), "!H #1 2 \"lat\" source=\"peer\"\n");
  LineReader reader = make_reader();
  ASSERT_TRUE(reader.read("!D 1700000000 #3 1.5 d source=s").ok());
  EXPECT_EQ(reader.parsed().kind, LineKind::distribution);
  ASSERT_EQ(reader.parsed().centroids.size(), 1u);
  EXPECT_EQ(reader.parsed().centroids[0].count, 3);
  EXPECT_EQ(refusal("!M 1700000000 #x 1 d").code, ErrorCode::invalid_number);
  EXPECT_EQ(refusal("!M 1700000000 d source=s").code, ErrorCode::empty_histogram);
  EXPECT_EQ(refusal("!M #-2 1 d source=s").code, ErrorCode::invalid_centroid);
  EXPECT_EQ(refusal("!M #2 NaN d source=s").code, ErrorCode::non_finite_value);
}

TEST(LineReader, SpansAcceptAnEndTimeInPlaceOfTheDuration) {
  const std::string ids =
      "traceId=7b3bf470-9456-11e8-9eb6-529269fb1459 spanId=0313bafe-9457-11e8-9eb6-529269fb1459";
  EXPECT_EQ(canonical("getUser source=api " + ids + " app=shop 1700000000123 45"),
            "\"getUser\" source=\"api\" " + ids + " \"app\"=\"shop\" 1700000000123 45\n");
  EXPECT_EQ(canonical("getUser source=api " + ids + " 1700000000123 1700000000168"),
            "\"getUser\" source=\"api\" " + ids + " 1700000000123 45\n");
  // Upper-case ids are written lower-case; _spanLogs is kept as the marker.
  EXPECT_EQ(canonical("s source=a traceId=7B3BF470-9456-11E8-9EB6-529269FB1459 "
                      "spanId=0313bafe-9457-11e8-9eb6-529269fb1459 _spanLogs=true 1700000000123 45"),
            "\"s\" source=\"a\" " + ids + " \"_spanLogs\"=\"true\" 1700000000123 45\n");
  // The proxy takes any id (written quoted when it is not a UUID) and times in seconds (the second
  // number, not below the start, is the end time: written back as an end time in seconds).
  EXPECT_EQ(canonical("s source=a traceId=nope spanId=0313bafe-9457-11e8-9eb6-529269fb1459 1 0"),
            "\"s\" source=\"a\" traceId=\"nope\" spanId=0313bafe-9457-11e8-9eb6-529269fb1459 1 1\n");
  // The proxy reads the span's numbers with Java's trim(): the Python SDK's trailing newline.
  EXPECT_EQ(canonical("getUser source=api " + ids + " tag=x 1700000000123 45\n"),
            "\"getUser\" source=\"api\" " + ids + " \"tag\"=\"x\" 1700000000123 45\n");
  const Refusal no_span_id =
      refusal("s source=a traceId=7b3bf470-9456-11e8-9eb6-529269fb1459 1700000000123 4");
  EXPECT_EQ(no_span_id.code, ErrorCode::malformed_line);
  EXPECT_NE(no_span_id.message.find("spanId"), std::string::npos);
  EXPECT_EQ(refusal("s source=a " + ids + " 1700000000123 x").code, ErrorCode::invalid_number);
}

TEST(LineReader, SpanLogsAreReadAndTheirSpanChecked) {
  const std::string span =
      "\\\"getUser\\\" source=\\\"api\\\" traceId=7b3bf470-9456-11e8-9eb6-529269fb1459 "
      "spanId=0313bafe-9457-11e8-9eb6-529269fb1459 \\\"_spanLogs\\\"=\\\"true\\\" 1700000000123 45";
  const std::string line =
      R"({"traceId":"7b3bf470-9456-11e8-9eb6-529269fb1459","spanId":"0313bafe-9457-11e8-9eb6-529269fb1459",)"
      R"("logs":[{"timestamp":1700000000123456,"fields":{"event":"error","msg":"a \"b\"\n"}}],"span":")" +
      span + "\"}";
  LineReader reader = make_reader();
  ASSERT_TRUE(reader.read(line).ok()) << reader.error_column();
  EXPECT_EQ(reader.parsed().kind, LineKind::span_logs);
  ASSERT_EQ(reader.parsed().logs.size(), 1u);
  EXPECT_EQ(reader.parsed().logs[0].fields[1].value, "a \"b\"\n");
  EXPECT_EQ(reader.canonical(), line + "\n");
  // The strict parser of the tests agrees that it is a well-formed span-logs line.
  const auto strict = wavefront::testing::parse_span_logs_line(line);
  EXPECT_TRUE(strict.ok()) << strict.error();

  EXPECT_EQ(refusal(R"({"traceId":"x")").code, ErrorCode::malformed_line);
  const std::string other_span =
      line.substr(0, line.find("7b3bf470")) + "00000000" + line.substr(line.find("7b3bf470") + 8);
  // Ids that differ from the span's are kept as given (the proxy does not compare them): a warning.
  ASSERT_TRUE(reader.read(other_span).ok());
  EXPECT_EQ(reader.canonical(), other_span + "\n");
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_EQ(reader.warnings()[0].rule, "span-logs-ids-differ");
}

TEST(LineReader, Events) {
  EXPECT_EQ(
      canonical(R"(@Event 1700000000000 1700000060000 "deploy v42" severity=info host=ci-1 tag=release)"),
      "@Event 1700000000000 1700000060000 \"deploy v42\" \"severity\"=\"info\" host=\"ci-1\" "
      "tag=\"release\"\n");
  // An instant event: one time only.
  EXPECT_EQ(canonical("@Event 1700000000000 restart host=h"),
            "@Event 1700000000000 1700000000001 \"restart\" host=\"h\"\n");
  // Several hosts, repeated annotation keys and eventTag= are kept, as the proxy keeps them; times in
  // seconds become milliseconds.
  EXPECT_EQ(canonical("@Event 1700000000 x host=a host=b multi=foo multi=bar eventTag=t"),
            "@Event 1700000000000 1700000000001 \"x\" \"multi\"=\"foo\" \"multi\"=\"bar\" host=\"a\" "
            "host=\"b\" tag=\"t\"\n");
  EXPECT_EQ(canonical("@Event 1700000000000 x"), "@Event 1700000000000 1700000000001 \"x\"\n");
  EXPECT_EQ(refusal("@SourceTag action=save source=a").code, ErrorCode::malformed_line);
}

TEST(LineReader, RefusalsNameTheCodeAndTheColumn) {
  Refusal bad_name = refusal("cpu usage 1 source=s");
  EXPECT_EQ(bad_name.code, ErrorCode::invalid_number);  // "usage" is read as the value
  EXPECT_EQ(bad_name.column, 5u);

  Refusal space = refusal(R"("cpu usage" 1 source=s)");
  EXPECT_EQ(space.code, ErrorCode::invalid_name);
  EXPECT_EQ(space.column, 5u);
  EXPECT_NE(space.message.find("U+0020"), std::string::npos) << space.message;

  Refusal key = refusal("m 1 source=s ok=1 b\xC3\xA9=2");
  EXPECT_EQ(key.code, ErrorCode::invalid_tag_key);
  EXPECT_EQ(key.column, 20u);  // the é, counted as one character

  Refusal value = refusal("m 1 source=s a=1 b=\"   \"");
  EXPECT_EQ(value.code, ErrorCode::invalid_tag_value);
  EXPECT_EQ(value.column, 18u);

  Refusal nan = refusal("m NaN source=s");
  EXPECT_EQ(nan.code, ErrorCode::non_finite_value);
  EXPECT_EQ(nan.column, 3u);

  EXPECT_EQ(refusal("m inf source=s").code, ErrorCode::invalid_number);
  EXPECT_EQ(refusal("m 0x10 source=s").code, ErrorCode::invalid_number);
  EXPECT_EQ(refusal("m 1 0 source=s").code, ErrorCode::invalid_timestamp);
  // Found by reader_fuzz: a timestamp past any real date would not read back as itself.
  EXPECT_EQ(refusal("m 1 1700000000000000000000000000000 source=s").code, ErrorCode::invalid_timestamp);
  EXPECT_EQ(refusal("m").code, ErrorCode::malformed_line);
  EXPECT_EQ(refusal("").code, ErrorCode::malformed_line);
  EXPECT_EQ(refusal("m 1 source=\"unterminated").code, ErrorCode::malformed_line);
  EXPECT_EQ(refusal("m 1 source=s stray").code, ErrorCode::malformed_line);
  // The proxy keeps the last source= and stores a point tag "tag" as "_tag"; an explicit empty
  // source is refused (WF-406), not replaced by the default.
  EXPECT_EQ(canonical("m 1 source=s source=t"), "\"m\" 1 source=\"t\"\n");
  EXPECT_EQ(canonical("m 1 source=s tag=x"), "\"m\" 1 source=\"s\" \"_tag\"=\"x\"\n");
  EXPECT_EQ(refusal("m 1 source=\"\"").code, ErrorCode::invalid_source);
  // Single quotes are quotes to the proxy.
  EXPECT_EQ(canonical("'cpu' 1 source=h k='v'"), "\"cpu\" 1 source=\"h\" \"k\"=\"v\"\n");
  EXPECT_EQ(refusal("m 1 source=s k=v\\").code, ErrorCode::invalid_tag_value);

  std::string many = "m 1 source=s";
  for (int index = 0; index < 21; ++index) many += " k" + std::to_string(index) + "=v";
  Refusal too_many = refusal(many);
  EXPECT_EQ(too_many.code, ErrorCode::too_many_tags);
  EXPECT_EQ(too_many.column, many.rfind(" k20") + 2);

  const Refusal long_key = refusal("m 1 source=s ok=1 " + std::string(65, 'k') + "=v");
  EXPECT_EQ(long_key.code, ErrorCode::tag_key_too_long);
  EXPECT_EQ(long_key.column, 19u);
}

TEST(LineReader, ExpectedKindAndLineLengthAreEnforced) {
  wavefront::LineReaderOptions options;
  options.max_line_length = 16;
  LineReader reader(options);
  EXPECT_EQ(reader.read("m 1 source=s").code(), ErrorCode::ok);
  EXPECT_EQ(reader.read("m 1 source=abcdefghijk").code(), ErrorCode::line_too_long);
  EXPECT_EQ(reader.error_column(), 17u);
  EXPECT_EQ(reader.read("m 1 source=s", LineKind::span).code(), ErrorCode::malformed_line);
}

TEST(LineReader, DetectsKindsAsTheProxyDoes) {
  EXPECT_EQ(wavefront::detect_line_kind("!M 1 #1 1 x"), LineKind::distribution);
  EXPECT_EQ(wavefront::detect_line_kind("  @Event 1 x"), LineKind::event);
  EXPECT_EQ(wavefront::detect_line_kind("{\"traceId\":1}"), LineKind::span_logs);
  EXPECT_EQ(wavefront::detect_line_kind("s traceId=1 spanId=2 1 2"), LineKind::span);
  EXPECT_EQ(wavefront::detect_line_kind("s \"traceId\"=1 spanId=2 1 2"), LineKind::span);
  EXPECT_EQ(wavefront::detect_line_kind("m 1 k=\"my traceId\""), LineKind::metric);
  EXPECT_EQ(wavefront::detect_line_kind("m 1 xtraceId=1"), LineKind::metric);
}

TEST(LineReader, SendsThroughTheTypedCalls) {
  // Covered end to end by wfsend import --format lines; here: the views stay valid for the call.
  LineReader reader = make_reader();
  ASSERT_TRUE(reader.read(R"(m 1 source=s "k"="a \"q\"")").ok());
  ASSERT_EQ(reader.parsed().tags.size(), 1u);
  EXPECT_EQ(reader.parsed().tags[0].value, "a \"q\"");
}

}  // namespace
