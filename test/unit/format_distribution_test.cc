// Unit tests for distribution lines: granularities, centroid merging and limits.
#include <gtest/gtest.h>

#include <cmath>

#include "unit/format_test_util.h"

namespace wavefront {
namespace {

using testing_util::options_with_default;
using testing_util::Result;

Result distribution(Centroids centroids, GranularitySet granularities = Granularity::minute,
                    Timestamp timestamp = 1700000040, TagList tags = {}, std::string_view name = "d") {
  Result result;
  result.status = format_distribution(result.out, name, centroids, granularities, timestamp, "s", tags,
                                      options_with_default());
  return result;
}

TEST(FormatDistribution, OneLinePerGranularityInMinuteHourDayOrder) {
  EXPECT_EQ(distribution({{1.5, 2}}, {Granularity::day, Granularity::minute}).out,
            "!M 1700000040 #2 1.5 \"d\" source=\"s\"\n!D 1700000040 #2 1.5 \"d\" source=\"s\"\n");
  EXPECT_EQ(distribution({{1.5, 2}}, Granularity::hour).out, "!H 1700000040 #2 1.5 \"d\" source=\"s\"\n");
  EXPECT_EQ(distribution({{1.5, 2}}, GranularitySet()).code(), "empty_histogram");
}

TEST(FormatDistribution, MergesOnlyAdjacentEqualMeans) {
  EXPECT_EQ(distribution({{1, 1}, {1, 2}, {2, 1}, {1, 1}}).out,
            "!M 1700000040 #3 1 #1 2 #1 1 \"d\" source=\"s\"\n");
  // A zero count between two equal means is skipped, so they become adjacent.
  EXPECT_EQ(distribution({{1, 1}, {5, 0}, {1, 2}}).out, "!M 1700000040 #3 1 \"d\" source=\"s\"\n");
}

TEST(FormatDistribution, MergedCountsStayWithin32Bits) {
  EXPECT_EQ(distribution({{1, 2147483647}}).out, "!M 1700000040 #2147483647 1 \"d\" source=\"s\"\n");
  EXPECT_EQ(distribution({{1, 2147483647}, {1, 1}}).out,
            "!M 1700000040 #2147483647 1 #1 1 \"d\" source=\"s\"\n");
  EXPECT_EQ(distribution({{1, 2147483648}}).code(), "invalid_centroid");
  EXPECT_EQ(distribution({{1, -1}}).code(), "invalid_centroid");
}

TEST(FormatDistribution, RefusesEmptyAndNonFinite) {
  EXPECT_EQ(distribution({}).code(), "empty_histogram");
  EXPECT_EQ(distribution({{1, 0}, {2, 0}}).code(), "empty_histogram");
  EXPECT_EQ(distribution({{std::nan(""), 1}}).code(), "non_finite_value");
  EXPECT_EQ(distribution({{1, 0}, {INFINITY, 0}}).code(), "non_finite_value");
}

TEST(FormatDistribution, TimestampOptionalButPositive) {
  EXPECT_EQ(distribution({{0.25, 7}}, Granularity::minute, std::nullopt).out,
            "!M #7 0.25 \"d\" source=\"s\"\n");
  EXPECT_EQ(distribution({{0.25, 7}}, Granularity::minute, 0).code(), "invalid_timestamp");
}

TEST(FormatDistribution, NameAndTagsFollowPointRules) {
  EXPECT_EQ(distribution({{1, 1}}, Granularity::minute, 1, {{"k", "v\"q"}, {"k", "w"}}, "lat ms").out,
            "!M 1 #1 1 \"lat-ms\" source=\"s\" \"k\"=\"w\"\n");
  EXPECT_EQ(distribution({{1, 1}}, Granularity::minute, 1, {}, std::string(257, 'a')).code(),
            "name_too_long");
  EXPECT_EQ(distribution({{1, 1}}, Granularity::minute, 1, {{"host", "x"}}).code(), "invalid_tag_key");
}

}  // namespace
}  // namespace wavefront
