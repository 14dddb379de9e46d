// Unit tests of the t-digest: exact statistics, edge cases, weights, merging, centroid invariants and
// the compression bound. Accuracy on large inputs is in t_digest_accuracy_test.cc.
#include "wavefront/histogram/t_digest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

namespace wavefront::histogram {
namespace {

std::vector<double> log_normal_samples(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::lognormal_distribution<double> distribution(0, 1);
  std::vector<double> samples(count);
  for (double& value : samples) value = distribution(random);
  return samples;
}

std::int64_t total_count(const std::vector<Centroid>& centroids) {
  std::int64_t total = 0;
  for (const Centroid& centroid : centroids) total += centroid.count;
  return total;
}

TEST(TDigest, EmptyDigestHasNoStatistics) {
  const TDigest digest;
  EXPECT_EQ(digest.count(), 0);
  EXPECT_EQ(digest.sum(), 0);
  EXPECT_TRUE(std::isnan(digest.min()));
  EXPECT_TRUE(std::isnan(digest.max()));
  EXPECT_TRUE(std::isnan(digest.mean()));
  EXPECT_TRUE(std::isnan(digest.quantile(0.5)));
  EXPECT_TRUE(std::isnan(digest.cdf(0)));
  EXPECT_TRUE(digest.centroids().empty());
  EXPECT_EQ(digest.centroid_count(), 0u);
}

TEST(TDigest, OneSample) {
  TDigest digest;
  digest.add(3.5);
  EXPECT_EQ(digest.count(), 1);
  EXPECT_EQ(digest.min(), 3.5);
  EXPECT_EQ(digest.max(), 3.5);
  EXPECT_EQ(digest.sum(), 3.5);
  EXPECT_EQ(digest.mean(), 3.5);
  for (double q : {0.0, 0.001, 0.5, 0.999, 1.0}) EXPECT_EQ(digest.quantile(q), 3.5) << q;
  EXPECT_EQ(digest.cdf(3), 0);
  EXPECT_EQ(digest.cdf(3.5), 0.5);
  EXPECT_EQ(digest.cdf(4), 1);
  const std::vector<Centroid> centroids = digest.centroids();
  ASSERT_EQ(centroids.size(), 1u);
  EXPECT_EQ(centroids[0].mean, 3.5);
  EXPECT_EQ(centroids[0].count, 1);
}

TEST(TDigest, TwoSamplesAreAnsweredExactly) {
  TDigest digest;
  digest.add(2);
  digest.add(1);
  // Sample i occupies ranks [i, i + 1) of [0, 2).
  EXPECT_EQ(digest.quantile(0), 1);
  EXPECT_EQ(digest.quantile(0.25), 1);
  EXPECT_EQ(digest.quantile(0.49), 1);
  EXPECT_EQ(digest.quantile(0.5), 2);
  EXPECT_EQ(digest.quantile(1), 2);
  EXPECT_DOUBLE_EQ(digest.cdf(1), 0.25);
  EXPECT_DOUBLE_EQ(digest.cdf(2), 0.75);
  EXPECT_DOUBLE_EQ(digest.cdf(1.5), 0.5);
  EXPECT_EQ(digest.centroids().size(), 2u);
}

TEST(TDigest, CountSumMinMaxAreExact) {
  std::vector<double> samples;
  for (int i = 1; i <= 100'000; ++i) samples.push_back(i);
  std::shuffle(samples.begin(), samples.end(), std::mt19937_64(7));
  TDigest digest;
  for (double value : samples) digest.add(value);
  EXPECT_EQ(digest.count(), 100'000);
  EXPECT_EQ(digest.sum(), 5'000'050'000.0);
  EXPECT_EQ(digest.mean(), 50'000.5);
  EXPECT_EQ(digest.min(), 1);
  EXPECT_EQ(digest.max(), 100'000);
  EXPECT_EQ(digest.quantile(0), 1);
  EXPECT_EQ(digest.quantile(1), 100'000);
  EXPECT_NEAR(digest.quantile(0.5), 50'000, 200);
}

TEST(TDigest, WeightsCountAsRepeatedSamples) {
  TDigest weighted;
  weighted.add(5, 3);
  weighted.add(10);
  EXPECT_EQ(weighted.count(), 4);
  EXPECT_EQ(weighted.sum(), 25);
  EXPECT_EQ(weighted.quantile(0.5), 5);
  EXPECT_EQ(weighted.quantile(0.74), 5);
  EXPECT_EQ(weighted.quantile(0.75), 10);
  const std::vector<Centroid> centroids = weighted.centroids();
  ASSERT_EQ(centroids.size(), 2u);
  EXPECT_EQ(centroids[0].mean, 5);
  EXPECT_EQ(centroids[0].count, 3);

  TDigest repeated;
  for (int i = 0; i < 3; ++i) repeated.add(5);
  repeated.add(10);
  for (double q = 0; q <= 1; q += 0.05) EXPECT_EQ(weighted.quantile(q), repeated.quantile(q)) << q;
}

TEST(TDigest, RepeatedValuesAreExact) {
  std::vector<double> samples;
  for (auto [value, copies] : {std::pair{1.0, 10'000}, {2.0, 20'000}, {3.0, 70'000}}) {
    samples.insert(samples.end(), copies, value);
  }
  std::shuffle(samples.begin(), samples.end(), std::mt19937_64(3));
  TDigest digest;
  for (double value : samples) digest.add(value);
  EXPECT_EQ(digest.quantile(0.05), 1);
  EXPECT_EQ(digest.quantile(0.0999), 1);
  EXPECT_EQ(digest.quantile(0.1), 2);
  EXPECT_EQ(digest.quantile(0.2999), 2);
  EXPECT_EQ(digest.quantile(0.3), 3);
  EXPECT_DOUBLE_EQ(digest.cdf(2), 0.2);
  EXPECT_LE(digest.centroid_count(), 3u);
}

TEST(TDigest, QuantileClampsQAndAnswersTheEdgesExactly) {
  TDigest digest;
  for (double value : log_normal_samples(50'000, 1)) digest.add(value);
  EXPECT_EQ(digest.quantile(0), digest.min());
  EXPECT_EQ(digest.quantile(1), digest.max());
  EXPECT_EQ(digest.quantile(-1), digest.min());
  EXPECT_EQ(digest.quantile(2), digest.max());
  EXPECT_TRUE(std::isnan(digest.quantile(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_EQ(digest.cdf(digest.min() - 1), 0);
  EXPECT_EQ(digest.cdf(digest.max() + 1), 1);
  EXPECT_TRUE(std::isnan(digest.cdf(std::numeric_limits<double>::quiet_NaN())));
}

TEST(TDigest, QuantilesAndCdfAreMonotonicAndInverse) {
  TDigest digest;
  for (double value : log_normal_samples(200'000, 2)) digest.add(value);
  TDigest other;
  for (double value : log_normal_samples(50'000, 3)) other.add(value);
  digest.merge(other);
  double previous_value = -std::numeric_limits<double>::infinity();
  double previous_fraction = 0;
  for (int step = 0; step <= 10'000; ++step) {
    const double q = step / 10'000.0;
    const double value = digest.quantile(q);
    ASSERT_GE(value, previous_value) << q;
    const double fraction = digest.cdf(value);
    ASSERT_GE(fraction, previous_fraction) << q;
    if (q >= 0.001 && q <= 0.999) {
      EXPECT_NEAR(fraction, q, 0.002) << q;
    }
    previous_value = value;
    previous_fraction = fraction;
  }
}

TEST(TDigest, CentroidsAreSortedSumToCountAndKeepExtremesAlone) {
  for (double compression : {20.0, 100.0, 500.0}) {
    TDigest digest(compression);
    for (double value : log_normal_samples(300'000, 4)) digest.add(value);
    const std::vector<Centroid> centroids = digest.centroids();
    EXPECT_EQ(total_count(centroids), digest.count());
    EXPECT_TRUE(
        std::is_sorted(centroids.begin(), centroids.end(),
                       [](const Centroid& left, const Centroid& right) { return left.mean < right.mean; }));
    ASSERT_GE(centroids.size(), 2u);
    EXPECT_EQ(centroids.front().mean, digest.min());
    EXPECT_EQ(centroids.front().count, 1);
    EXPECT_EQ(centroids.back().mean, digest.max());
    EXPECT_EQ(centroids.back().count, 1);
  }
}

TEST(TDigest, CompressionBoundsTheNumberOfCentroids) {
  for (double compression : {10.0, 50.0, 100.0, 200.0, 1000.0}) {
    TDigest digest(compression);
    TDigest merged(compression);
    for (std::uint64_t part = 0; part < 5; ++part) {
      TDigest piece(compression);
      for (double value : log_normal_samples(100'000, 10 + part)) {
        digest.add(value);
        piece.add(value);
      }
      merged.merge(piece);
    }
    EXPECT_LE(digest.centroid_count(), static_cast<std::size_t>(2 * compression)) << compression;
    EXPECT_GE(digest.centroid_count(), static_cast<std::size_t>(compression / 2)) << compression;
    EXPECT_LE(merged.centroid_count(), static_cast<std::size_t>(2 * compression)) << compression;
  }
}

TEST(TDigest, CompressionIsClamped) {
  EXPECT_EQ(TDigest().compression(), 100);
  EXPECT_EQ(TDigest(1).compression(), TDigest::kMinCompression);
  EXPECT_EQ(TDigest(1e9).compression(), TDigest::kMaxCompression);
  EXPECT_EQ(TDigest(std::numeric_limits<double>::quiet_NaN()).compression(), 100);
}

TEST(TDigest, MergeOfEmptiesAndIntoEmpty) {
  TDigest first;
  TDigest second;
  first.merge(second);
  EXPECT_EQ(first.count(), 0);
  EXPECT_TRUE(first.centroids().empty());

  TDigest filled;
  for (double value : log_normal_samples(10'000, 6)) filled.add(value);
  first.merge(filled);
  filled.merge(second);
  EXPECT_EQ(first.count(), filled.count());
  EXPECT_EQ(first.sum(), filled.sum());
  EXPECT_EQ(first.min(), filled.min());
  EXPECT_EQ(first.max(), filled.max());
  EXPECT_NEAR(first.quantile(0.5), filled.quantile(0.5), 0.02);
}

TEST(TDigest, MergeCombinesStatisticsIncludingBufferedSamples) {
  TDigest low;
  TDigest high;
  for (int i = 0; i < 500; ++i) low.add(i);  // fewer than a buffer: nothing merged yet
  for (int i = 500; i < 1000; ++i) high.add(i, 2);
  low.merge(high);
  EXPECT_EQ(low.count(), 1500);
  EXPECT_EQ(low.sum(), 124'750 + 2 * 374'750);
  EXPECT_EQ(low.min(), 0);
  EXPECT_EQ(low.max(), 999);
  EXPECT_EQ(high.count(), 1000);  // the source is unchanged
  EXPECT_NEAR(low.quantile(1.0 / 3), 500, 10);
  EXPECT_EQ(total_count(low.centroids()), 1500);
}

TEST(TDigest, SelfMergeDoublesEverySample) {
  TDigest digest;
  for (double value : log_normal_samples(20'000, 8)) digest.add(value);
  const double median = digest.quantile(0.5);
  digest.merge(digest);
  EXPECT_EQ(digest.count(), 40'000);
  EXPECT_NEAR(digest.quantile(0.5), median, 0.02);
  EXPECT_EQ(total_count(digest.centroids()), 40'000);
}

TEST(TDigest, HeavyCentroidsAreSplitToFitInt32) {
  TDigest digest;
  digest.add(1.5, 3'000'000'000);
  digest.add(1.5, 3'000'000'000);
  digest.add(7, 5);
  TDigest merged;
  merged.merge(digest);
  merged.merge(digest);
  for (const TDigest* each : {&digest, &merged}) {
    const std::vector<Centroid> centroids = each->centroids();
    EXPECT_EQ(total_count(centroids), each->count());
    for (const Centroid& centroid : centroids) {
      EXPECT_GE(centroid.count, 1);
      EXPECT_LE(centroid.count, TDigest::kMaxCentroidCount);
    }
    EXPECT_EQ(each->quantile(0.5), 1.5);
    EXPECT_EQ(each->quantile(1), 7);
  }
}

TEST(TDigest, ClearForgetsEverythingAndStaysUsable) {
  TDigest digest(50);
  for (double value : log_normal_samples(5'000, 9)) digest.add(value);
  digest.clear();
  EXPECT_EQ(digest.count(), 0);
  EXPECT_EQ(digest.sum(), 0);
  EXPECT_TRUE(std::isnan(digest.quantile(0.5)));
  EXPECT_EQ(digest.compression(), 50);
  digest.add(4);
  EXPECT_EQ(digest.quantile(0.5), 4);
  EXPECT_EQ(digest.min(), 4);
}

TEST(TDigest, CopiesAreIndependentAndMovesLeaveAnEmptyDigest) {
  TDigest original;
  for (double value : log_normal_samples(3'000, 11)) original.add(value);
  TDigest copy = original;
  EXPECT_EQ(copy.quantile(0.9), original.quantile(0.9));
  copy.add(1e9);
  EXPECT_NE(copy.max(), original.max());

  const double p90 = original.quantile(0.9);
  TDigest moved = std::move(original);
  EXPECT_EQ(moved.quantile(0.9), p90);
  EXPECT_EQ(original.count(), 0);  // NOLINT(bugprone-use-after-move): the documented moved-from state
  EXPECT_TRUE(original.centroids().empty());
  original.add(2);
  EXPECT_EQ(original.quantile(0.5), 2);
  copy = std::move(moved);
  EXPECT_EQ(copy.quantile(0.9), p90);
  EXPECT_EQ(moved.count(), 0);  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace wavefront::histogram
