// Unit tests for span lines and span-logs lines: ids, annotations, limits, JSON escaping.
#include <gtest/gtest.h>

#include "unit/format_test_util.h"

namespace wavefront {
namespace {

using testing_util::options_with_default;
using testing_util::OwnedTags;
using testing_util::repeat;

constexpr std::string_view kTrace = "11111111-2222-3333-4444-555555555555";
constexpr std::string_view kSpan = "11111111-0000-0001-0002-123456789012";
constexpr std::string_view kIds =
    "traceId=11111111-2222-3333-4444-555555555555 spanId=11111111-0000-0001-0002-123456789012";

struct SpanResult {
  Status status;
  std::string span;
  std::string logs;
  std::string code() const { return std::string(error_code_name(status.code())); }
};

SpanResult span(TagList tags = {}, SpanLogs logs = {}, std::string_view name = "op",
                std::string_view trace = kTrace, Strings parents = {}, Strings follows = {},
                std::int64_t start = 1700000000000, std::int64_t duration = 5,
                const FormatOptions& options = options_with_default()) {
  SpanResult result;
  result.status = format_span(result.span, result.logs, name, start, duration, "src", trace, kSpan, parents,
                              follows, tags, logs, options);
  return result;
}

TEST(FormatSpan, IdsAreCanonicalUuidsWrittenLowerCase) {
  EXPECT_EQ(span({}, {}, "op", "ABCDEF01-2222-3333-4444-55555555AAAA").span,
            "\"op\" source=\"src\" traceId=abcdef01-2222-3333-4444-55555555aaaa spanId=" +
                std::string(kSpan) + " 1700000000000 5\n");
  for (std::string_view bad :
       {"not-a-uuid", "111111112222333344445555555555555555", "{11111111-2222-3333-4444-555555555555}",
        "11111111-2222-3333-4444-55555555555", "11111111-2222-3333-4444-55555555555g",
        "11111111_2222-3333-4444-555555555555", ""}) {
    EXPECT_EQ(span({}, {}, "op", bad).code(), "invalid_id") << bad;
  }
  EXPECT_EQ(span({}, {}, "op", kTrace, {"bad"}).code(), "invalid_id");
  EXPECT_EQ(span({}, {}, "op", kTrace, {}, {"bad"}).code(), "invalid_id");
}

TEST(FormatSpan, ParentsThenFollowsFromThenTags) {
  EXPECT_EQ(span({{"db", "a"}, {"db", "b"}}, {}, "op", kTrace, {kTrace, kSpan}, {kTrace}).span,
            "\"op\" source=\"src\" " + std::string(kIds) + " parent=" + std::string(kTrace) +
                " parent=" + std::string(kSpan) + " followsFrom=" + std::string(kTrace) +
                " \"db\"=\"a\" \"db\"=\"b\" 1700000000000 5\n");
}

TEST(FormatSpan, NameIsAnEscapedValueWithItsOwnLimit) {
  EXPECT_EQ(span({}, {}, " get \"user\"\nnext ").span,
            "\"get \\\"user\\\"\\nnext\" source=\"src\" " + std::string(kIds) + " 1700000000000 5\n");
  EXPECT_TRUE(span({}, {}, repeat("n", 128)).status.ok());
  EXPECT_EQ(span({}, {}, repeat("n", 129)).code(), "span_name_too_long");
  EXPECT_EQ(span({}, {}, "  ").code(), "invalid_name");
  EXPECT_EQ(span({}, {}, "x\\").code(), "invalid_name");
}

TEST(FormatSpan, TagKeyRules) {
  EXPECT_EQ(span({{"123", "x"}}).code(), "invalid_tag_key");
  EXPECT_TRUE(span({{"1a", "x"}}).status.ok());
  for (const char* reserved : {"source", "host", "traceId", "spanId", "parent", "followsFrom", "_spanLogs"}) {
    EXPECT_EQ(span({{reserved, "x"}}).code(), "invalid_tag_key") << reserved;
  }
  EXPECT_TRUE(span({{repeat("k", 128), "v"}}).status.ok());
  EXPECT_EQ(span({{repeat("k", 129), "v"}}).code(), "tag_key_too_long");
  EXPECT_TRUE(span({{"k", repeat("v", 128)}}).status.ok());
  EXPECT_EQ(span({{"k", repeat("v", 129)}}).code(), "tag_value_too_long");
}

TEST(FormatSpan, AtMostFiftyAnnotationsInAll) {
  OwnedTags tags;
  for (int index = 0; index < 48; ++index) tags.emplace_back("k" + std::to_string(index), "v");
  const std::vector<Tag> fields = {{"a", "b"}};  // a SpanLog views its fields: keep them alive
  const SpanLog log(1, fields);
  EXPECT_TRUE(span(tags, {log}, "op", kTrace, {kTrace}).status.ok());  // 48 + parent + _spanLogs = 50
  EXPECT_EQ(span(tags, {log}, "op", kTrace, {kTrace}, {kTrace}).code(), "too_many_tags");
  tags.emplace_back("k48", "v");
  tags.emplace_back("k49", "v");
  EXPECT_TRUE(span(tags).status.ok());
  EXPECT_EQ(span(tags, {log}).code(), "too_many_tags");
}

TEST(FormatSpan, TimesMustMakeSense) {
  EXPECT_EQ(span({}, {}, "op", kTrace, {}, {}, 0, 5).code(), "invalid_timestamp");
  EXPECT_EQ(span({}, {}, "op", kTrace, {}, {}, 1700000000000, -1).code(), "invalid_timestamp");
  EXPECT_TRUE(span({}, {}, "op", kTrace, {}, {}, 1700000000000, 0).status.ok());
  EXPECT_EQ(span({}, {}, "op", kTrace, {}, {}, 5, 10).code(), "invalid_timestamp");  // would read as an end
  EXPECT_EQ(span({}, {}, "op", kTrace, {}, {}, 5, 5).code(), "invalid_timestamp");
}

TEST(FormatSpan, SpanLogsLineEscapesFieldsAsJson) {
  const auto result = span({}, {{1700000000000001, {{"k\"1", std::string_view("a\x01\b\\\n", 5)}}}, {2, {}}});
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  const std::string span_line =
      "\"op\" source=\"src\" " + std::string(kIds) + " \"_spanLogs\"=\"true\" 1700000000000 5";
  EXPECT_EQ(result.span, span_line + "\n");
  EXPECT_EQ(
      result.logs,
      "{\"traceId\":\"" + std::string(kTrace) + "\",\"spanId\":\"" + std::string(kSpan) +
          "\",\"logs\":[{\"timestamp\":1700000000000001,\"fields\":{\"k\\\"1\":\"a\\u0001\\u0008\\\\\\n\"}},"
          "{\"timestamp\":2,\"fields\":{}}],\"span\":\"\\\"op\\\" source=\\\"src\\\" " +
          std::string(kIds) + " \\\"_spanLogs\\\"=\\\"true\\\" 1700000000000 5\"}\n");
}

TEST(FormatSpan, SpanLogsRefusals) {
  EXPECT_EQ(span({}, {{0, {{"a", "b"}}}}).code(), "invalid_timestamp");
  EXPECT_EQ(span({}, {{1, {{"a", "\xFF"}}}}).code(), "invalid_tag_value");
  EXPECT_EQ(span({}, {{1, {{"\xFF", "b"}}}}).code(), "invalid_tag_key");
  FormatOptions tight = options_with_default();
  tight.limits.max_span_logs_line_length = 300;
  const std::string big(200, 'x');
  const auto too_long = span({}, {{1, {{"a", big}}}}, "op", kTrace, {}, {}, 1700000000000, 5, tight);
  EXPECT_EQ(too_long.code(), "span_logs_too_long");
  EXPECT_EQ(too_long.span, "") << "a refused span writes neither line";
  EXPECT_EQ(too_long.logs, "");
}

TEST(FormatSpan, OneBufferCanHoldBothLines) {
  std::string out;
  const Status status = format_span(out, out, "op", 1700000000000, 5, "src", kTrace, kSpan, {}, {}, {},
                                    {{1, {{"a", "b"}}}}, options_with_default());
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
  EXPECT_EQ(out.rfind("{\"traceId\"", 0), std::string::npos);
  EXPECT_NE(out.find("\n{\"traceId\""), std::string::npos);
}

}  // namespace
}  // namespace wavefront
