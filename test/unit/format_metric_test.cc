// Unit tests for metric and delta-counter lines: every rule and each limit exactly at and one over.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "unit/format_test_util.h"

namespace wavefront {
namespace {

using testing_util::delta;
using testing_util::metric;
using testing_util::options_with_default;
using testing_util::OwnedTags;
using testing_util::repeat;

const std::string kEmoji = "\xF0\x9F\x98\x80";  // 2 UTF-16 units
const std::string kDelta = "\xE2\x88\x86";      // ∆

TEST(FormatMetric, WritesSourceRightAfterValueAndTimestamp) {
  EXPECT_EQ(metric("cpu", 1.5, {{"1k", "v"}}, "h", 1700000000).out,
            "\"cpu\" 1.5 1700000000 source=\"h\" \"1k\"=\"v\"\n");
  EXPECT_EQ(metric("cpu", 1.5, {{"1k", "v"}}, "h").out, "\"cpu\" 1.5 source=\"h\" \"1k\"=\"v\"\n");
}

TEST(FormatMetric, NumbersAreShortestRoundTrip) {
  EXPECT_EQ(metric("m", 42).out, "\"m\" 42 source=\"s\"\n");
  EXPECT_EQ(metric("m", 0.1).out, "\"m\" 0.1 source=\"s\"\n");
  EXPECT_EQ(metric("m", 1e-7).out, "\"m\" 1e-07 source=\"s\"\n");
  EXPECT_EQ(metric("m", 1e21).out, "\"m\" 1e+21 source=\"s\"\n");
  EXPECT_EQ(metric("m", -0.0).out, "\"m\" -0 source=\"s\"\n");
  EXPECT_EQ(metric("m", 123456789.125).out, "\"m\" 123456789.125 source=\"s\"\n");
  EXPECT_EQ(metric("m", std::numeric_limits<double>::max()).out,
            "\"m\" 1.7976931348623157e+308 source=\"s\"\n");
  EXPECT_EQ(metric("m", std::numeric_limits<double>::denorm_min()).out, "\"m\" 5e-324 source=\"s\"\n");
}

TEST(FormatMetric, RefusesNonFiniteValues) {
  for (double bad :
       {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    const auto result = metric("m", bad);
    EXPECT_EQ(result.code(), "non_finite_value");
    EXPECT_NE(result.status.message().find("metric value"), std::string::npos) << result.status.message();
    EXPECT_EQ(result.out, "");
  }
}

TEST(FormatMetric, TimestampMustBePositive) {
  EXPECT_EQ(metric("m", 1, {}, "s", 0).code(), "invalid_timestamp");
  EXPECT_EQ(metric("m", 1, {}, "s", -5).code(), "invalid_timestamp");
  EXPECT_TRUE(metric("m", 1, {}, "s", 1).status.ok());
}

TEST(FormatMetric, NameLimitCountsSanitizedUtf16Units) {
  EXPECT_TRUE(metric(repeat("a", 256), 1).status.ok());
  EXPECT_EQ(metric(repeat("a", 257), 1).code(), "name_too_long");
  // Each non-ASCII character becomes one '-', so 256 é fit.
  EXPECT_EQ(metric(repeat("\xC3\xA9", 256), 1).out, "\"" + repeat("-", 256) + "\" 1 source=\"s\"\n");
  EXPECT_EQ(metric(repeat(kEmoji, 257), 1).code(), "name_too_long");
}

TEST(FormatMetric, RefusedCallLeavesExistingOutputAlone) {
  std::string out = "earlier line\n";
  const Status status =
      format_metric(out, "m", 1, std::nullopt, "s", {{"k", "bad\\"}}, options_with_default());
  EXPECT_EQ(status.code(), ErrorCode::invalid_tag_value);
  EXPECT_EQ(out, "earlier line\n");
}

TEST(FormatMetric, ErrorMessageNamesFieldRuleAndValue) {
  const auto result = metric("m", 1, {{"path", "C:\\temp\\"}});
  EXPECT_EQ(
      result.status.message(),
      "point tag value for key \"path\" must not end with a backslash (the proxy would read the closing "
      "quote as escaped): \"C:\\\\temp\\\\\"");
  const auto long_name = metric(repeat("n", 300), 1);
  EXPECT_NE(long_name.status.message().find("metric name is 300"), std::string::npos);
  EXPECT_NE(long_name.status.message().find("limit is 256"), std::string::npos);
  EXPECT_LT(long_name.status.message().size(), 200u) << "the offending value is shortened";
}

TEST(FormatMetric, SourceFallsBackToDefault) {
  EXPECT_EQ(metric("m", 1, {}, "").out, "\"m\" 1 source=\"default-src\"\n");
  EXPECT_EQ(metric("m", 1, {}, " \n").out, "\"m\" 1 source=\"default-src\"\n");
  EXPECT_EQ(metric("m", 1, {}, "\xE3\x80\x80").out, "\"m\" 1 source=\"default-src\"\n");
  EXPECT_EQ(metric("m", 1, {}, "", std::nullopt, options_with_default("")).code(), "invalid_source");
  EXPECT_EQ(metric("m", 1, {}, "\xFF").code(), "invalid_source");
  EXPECT_EQ(metric("m", 1, {}, "x\\").code(), "invalid_source");
  EXPECT_EQ(metric("m", 1, {}, "  web 1 \r\n").out, "\"m\" 1 source=\"web 1\"\n");
  // The default options use the host name.
  std::string out;
  ASSERT_TRUE(format_metric(out, "m", 1, std::nullopt, "", {}).ok());
  EXPECT_EQ(out, "\"m\" 1 source=\"" + local_host_name() + "\"\n");
}

TEST(FormatMetric, SourceLimit) {
  EXPECT_TRUE(metric("m", 1, {}, repeat("s", 128)).status.ok());
  EXPECT_EQ(metric("m", 1, {}, repeat("s", 129)).code(), "source_too_long");
  EXPECT_TRUE(metric("m", 1, {}, repeat(kEmoji, 64)).status.ok());
  EXPECT_EQ(metric("m", 1, {}, repeat(kEmoji, 64) + "x").code(), "source_too_long");
  EXPECT_TRUE(metric("m", 1, {}, repeat("\"", 128)).status.ok());             // \" counts one
  EXPECT_TRUE(metric("m", 1, {}, "x" + repeat("\n", 63) + "x").status.ok());  // \n counts two: 128
  EXPECT_EQ(metric("m", 1, {}, "x" + repeat("\n", 64) + "x").code(), "source_too_long");
}

TEST(FormatMetric, TagKeyRules) {
  EXPECT_EQ(metric("m", 1, {{"my key!", "v"}}).out, "\"m\" 1 source=\"s\" \"my-key-\"=\"v\"\n");
  EXPECT_TRUE(metric("m", 1, {{repeat("k", 64), "v"}}).status.ok());
  EXPECT_EQ(metric("m", 1, {{repeat("k", 65), "v"}}).code(), "tag_key_too_long");
  EXPECT_EQ(metric("m", 1, {{"", "v"}}).code(), "invalid_tag_key");
  EXPECT_EQ(metric("m", 1, {{kDelta, "v"}}).code(), "invalid_tag_key");
  EXPECT_EQ(metric("m", 1, {{"k\xFF", "v"}}).code(), "invalid_tag_key");
  for (const char* reserved : {"source", "host", "tag"}) {
    const auto result = metric("m", 1, {{reserved, "v"}});
    EXPECT_EQ(result.code(), "invalid_tag_key") << reserved;
    EXPECT_NE(result.status.message().find("dedicated argument"), std::string::npos);
  }
  EXPECT_TRUE(metric("m", 1, {{"Source", "v"}}).status.ok());
  EXPECT_TRUE(
      metric("m", 1, {{"123", "v"}}).status.ok());  // digit keys are fine on points: source comes first
}

TEST(FormatMetric, TagValueRules) {
  EXPECT_EQ(metric("m", 1, {{"k", ""}}).code(), "invalid_tag_value");
  EXPECT_EQ(metric("m", 1, {{"k", "   "}}).code(), "invalid_tag_value");
  EXPECT_EQ(metric("m", 1, {{"k", "\xE2\x80\xA8"}}).code(), "invalid_tag_value");
  EXPECT_EQ(metric("m", 1, {{"k", "x\\"}}).code(), "invalid_tag_value");
  EXPECT_EQ(metric("m", 1, {{"k", "\xC3"}}).code(), "invalid_tag_value");
  EXPECT_EQ(metric("m", 1, {{"k", "a\nb"}}).out, "\"m\" 1 source=\"s\" \"k\"=\"a\\nb\"\n");
}

TEST(FormatMetric, TagValueAndCombinedLimits) {
  FormatOptions wide = options_with_default();
  wide.limits.max_tag_length = 10000;  // isolate the value limit
  EXPECT_TRUE(metric("m", 1, {{"k", repeat("v", 255)}}, "s", std::nullopt, wide).status.ok());
  EXPECT_EQ(metric("m", 1, {{"k", repeat("v", 256)}}, "s", std::nullopt, wide).code(), "tag_value_too_long");
  // With default limits: key + value <= 254.
  EXPECT_TRUE(metric("m", 1, {{repeat("k", 60), repeat("v", 194)}}).status.ok());
  EXPECT_EQ(metric("m", 1, {{repeat("k", 60), repeat("v", 195)}}).code(), "tag_too_long");
  EXPECT_TRUE(metric("m", 1, {{"k", repeat(kEmoji, 126) + "x"}}).status.ok());  // 1 + 253
  EXPECT_EQ(metric("m", 1, {{"k", repeat(kEmoji, 127)}}).code(), "tag_too_long");
  EXPECT_EQ(metric("m", 1, {{"k", repeat("v", 256)}}).code(), "tag_value_too_long");
  EXPECT_TRUE(metric("m", 1, {{"k", repeat("\"", 253)}}).status.ok());
  EXPECT_EQ(metric("m", 1, {{"k", "x" + repeat("\n", 126) + "x"}}).code(), "tag_too_long");  // 1 + 254
}

TEST(FormatMetric, TagCountLimitAppliesAfterMergingRepeats) {
  OwnedTags tags;
  for (int index = 0; index < 20; ++index) tags.emplace_back("k" + std::to_string(index), "v");
  EXPECT_TRUE(metric("m", 1, tags).status.ok());
  tags.emplace_back("k0", "again");  // 21 given, 20 distinct
  const auto merged = metric("m", 1, tags);
  ASSERT_TRUE(merged.status.ok()) << merged.status.to_string();
  EXPECT_EQ(merged.out.find("\"k0\"=\"v\""), std::string::npos);
  EXPECT_NE(merged.out.find("\"k0\"=\"again\""), std::string::npos);
  tags.emplace_back("k20", "v");
  EXPECT_EQ(metric("m", 1, tags).code(), "too_many_tags");
}

TEST(FormatMetric, RepeatedKeysKeepTheLastValue) {
  EXPECT_EQ(metric("m", 1, {{"env", "dev"}, {"a", "1"}, {"env", "prod"}}).out,
            "\"m\" 1 source=\"s\" \"a\"=\"1\" \"env\"=\"prod\"\n");
  // Keys that become equal after sanitizing are repeats too.
  EXPECT_EQ(metric("m", 1, {{"a b", "1"}, {"a-b", "2"}, {"a:b", "3"}}).out,
            "\"m\" 1 source=\"s\" \"a-b\"=\"3\"\n");
  // Many tags take the sorting path; the result is the same rule.
  OwnedTags many;
  for (int index = 0; index < 100; ++index) many.emplace_back("same", "v" + std::to_string(index));
  EXPECT_EQ(metric("m", 1, many).out, "\"m\" 1 source=\"s\" \"same\"=\"v99\"\n");
}

TEST(FormatMetric, LimitsAreConfigurable) {
  FormatOptions tight = options_with_default();
  tight.limits.max_name_length = 3;
  tight.limits.max_point_tags = 1;
  EXPECT_TRUE(metric("abc", 1, {{"k", "v"}}, "s", std::nullopt, tight).status.ok());
  EXPECT_EQ(metric("abcd", 1, {}, "s", std::nullopt, tight).code(), "name_too_long");
  EXPECT_EQ(metric("abc", 1, {{"k", "v"}, {"l", "v"}}, "s", std::nullopt, tight).code(), "too_many_tags");
}

TEST(FormatMetric, NameStartingWithDeltaIsADeltaCounter) {
  EXPECT_EQ(metric(kDelta + "jobs", -2).code(), "negative_delta");
  EXPECT_EQ(metric(kDelta + "jobs", 0).code(), "negative_delta");
  EXPECT_EQ(metric("\xCE\x94jobs", 0).code(), "negative_delta");
  EXPECT_EQ(metric(kDelta + "jobs", 2).out, "\"" + kDelta + "jobs\" 2 source=\"s\"\n");
  EXPECT_TRUE(metric("jobs", -2).status.ok());
}

TEST(FormatDelta, PrefixRules) {
  EXPECT_EQ(delta("jobs", 3).out, "\"" + kDelta + "jobs\" 3 source=\"s\"\n");
  EXPECT_EQ(delta(kDelta + "jobs", 3).out, "\"" + kDelta + "jobs\" 3 source=\"s\"\n");
  EXPECT_EQ(delta("\xCE\x94jobs", 3).out, "\"\xCE\x94jobs\" 3 source=\"s\"\n");
  EXPECT_EQ(delta("~sdk.count", 4).out, "\"" + kDelta + "~sdk.count\" 4 source=\"s\"\n");
}

TEST(FormatDelta, ZeroSendsNothingNegativeIsRefused) {
  const auto zero = delta("jobs", 0);
  EXPECT_TRUE(zero.status.ok());
  EXPECT_EQ(zero.out, "");
  EXPECT_EQ(delta("jobs", -0.0).out, "");
  EXPECT_EQ(delta("jobs", -1).code(), "negative_delta");
  EXPECT_EQ(delta("jobs", std::nan("")).code(), "non_finite_value");
  EXPECT_EQ(delta("", 1).code(), "invalid_name");
}

TEST(FormatDelta, PrefixCountsTowardTheNameLimit) {
  EXPECT_TRUE(delta(repeat("a", 255), 1).status.ok());
  EXPECT_EQ(delta(repeat("a", 256), 1).code(), "name_too_long");
  EXPECT_TRUE(delta(kDelta + repeat("a", 255), 1).status.ok());
}

}  // namespace
}  // namespace wavefront
