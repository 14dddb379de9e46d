// What the t-digest behind Histogram costs: ns per added sample (amortized over 1,000,000 adds, merge
// passes included), ns per quantile and CDF query, and merging ten digests, next to the simple baseline
// in the same binary and run: keep every sample in a std::vector and sort it to read exact quantiles.
//
// Inputs are 1,000,000 standard-normal samples (fixed seed), drawn once before any timing, so every add
// sees a fresh, unpredictable value as a real latency stream would give. `time_per_sample` is CPU time
// per sample (items_per_second inverted); alloc_counter.cc replaces the global operator new to count
// allocations.
//
//   t_digest_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "alloc_counter.h"
#include "wavefront/histogram/t_digest.h"

namespace wavefront_bench {
namespace {

using wavefront::histogram::TDigest;

constexpr std::size_t kSamples = 1'000'000;
constexpr int kDigestsMerged = 10;
constexpr double kQuantiles[] = {0.5, 0.9, 0.99, 0.999, 0.01, 0.25, 0.75, 0.95};

const std::vector<double>& normal_samples() {
  static const std::vector<double> samples = [] {
    std::mt19937_64 random(42);
    std::normal_distribution<double> normal;
    std::vector<double> values(kSamples);
    for (double& value : values) value = normal(random);
    return values;
  }();
  return samples;
}

// items_per_second, and its inverse `time_per_sample` (printed with an SI prefix: 20.1n is 20.1 ns).
void report_per_sample(benchmark::State& state, std::size_t samples_per_iteration) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples_per_iteration));
  state.counters["time_per_sample"] =
      benchmark::Counter(static_cast<double>(samples_per_iteration),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Adds every sample to `digest` (cleared first, so its memory stays warm) and merges what is left in
// its buffer.
void fill(TDigest& digest, const std::vector<double>& samples) {
  digest.clear();
  for (double value : samples) digest.add(value);
  benchmark::DoNotOptimize(digest.centroid_count());
}

// Adds 1,000,000 samples per iteration after one warm-up pass; arg = compression. `allocs_per_sample`
// counts every heap allocation in the timed loop (alloc_counter.h): 0 once warm.
void run_add(benchmark::State& state, const std::vector<double>& samples) {
  TDigest digest(static_cast<double>(state.range(0)));
  fill(digest, samples);
  const std::uint64_t allocations_before = allocation_count();
  for (auto _ : state) fill(digest, samples);
  const auto added = static_cast<double>(state.iterations()) * static_cast<double>(samples.size());
  state.counters["allocs_per_sample"] = static_cast<double>(allocation_count() - allocations_before) / added;
  state.counters["centroids"] = static_cast<double>(digest.centroid_count());
  report_per_sample(state, samples.size());
}

void BM_TDigestAdd(benchmark::State& state) { run_add(state, normal_samples()); }
BENCHMARK(BM_TDigestAdd)->Arg(100)->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMillisecond);

// The same samples in ascending order: every merge pass appends to the upper end.
void BM_TDigestAddSorted(benchmark::State& state) {
  static const std::vector<double> sorted = [] {
    std::vector<double> samples = normal_samples();
    std::sort(samples.begin(), samples.end());
    return samples;
  }();
  run_add(state, sorted);
}
BENCHMARK(BM_TDigestAddSorted)->Arg(100)->Unit(benchmark::kMillisecond);

// Baseline: the same samples kept in a vector (capacity warm) and sorted once, as exact quantiles need.
void BM_SortBaselineAdd(benchmark::State& state) {
  const std::vector<double>& samples = normal_samples();
  std::vector<double> kept;
  kept.reserve(samples.size());
  for (auto _ : state) {
    kept.clear();
    for (double value : samples) kept.push_back(value);
    std::sort(kept.begin(), kept.end());
    benchmark::DoNotOptimize(kept[kept.size() / 2]);
  }
  report_per_sample(state, samples.size());
}
BENCHMARK(BM_SortBaselineAdd)->Unit(benchmark::kMillisecond);

TDigest full_digest() {
  TDigest digest;
  for (double value : normal_samples()) digest.add(value);
  digest.centroid_count();  // merges the buffer, so that queries find it empty
  return digest;
}

// One quantile query on a digest of 1,000,000 samples (q cycles through eight values).
void BM_TDigestQuantile(benchmark::State& state) {
  const TDigest digest = full_digest();
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(digest.quantile(kQuantiles[next]));
    next = (next + 1) % std::size(kQuantiles);
  }
  state.counters["centroids"] = static_cast<double>(digest.centroid_count());
}
BENCHMARK(BM_TDigestQuantile);

// One CDF query on the same digest.
void BM_TDigestCdf(benchmark::State& state) {
  const TDigest digest = full_digest();
  const double points[] = {0.0, 1.3, 2.3, 3.1, -2.3, -0.7, 0.7, 1.6};
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(digest.cdf(points[next]));
    next = (next + 1) % std::size(points);
  }
}
BENCHMARK(BM_TDigestCdf);

// Baseline: a quantile read from the sorted samples.
void BM_SortBaselineQuantile(benchmark::State& state) {
  std::vector<double> sorted = normal_samples();
  std::sort(sorted.begin(), sorted.end());
  std::size_t next = 0;
  for (auto _ : state) {
    const double q = kQuantiles[next];
    benchmark::DoNotOptimize(sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))]);
    next = (next + 1) % std::size(kQuantiles);
  }
}
BENCHMARK(BM_SortBaselineQuantile);

// Merging ten digests of 100,000 samples each (interleaved parts) into a fresh one, then reading the
// centroids to send: what Histogram does for every completed bin of a ten-thread process.
void BM_TDigestMergeTen(benchmark::State& state) {
  std::vector<TDigest> parts(kDigestsMerged);
  const std::vector<double>& samples = normal_samples();
  for (std::size_t i = 0; i < samples.size(); ++i) parts[i % kDigestsMerged].add(samples[i]);
  for (TDigest& part : parts) part.centroid_count();
  std::vector<wavefront::Centroid> centroids;
  for (auto _ : state) {
    TDigest merged;
    for (const TDigest& part : parts) merged.merge(part);
    merged.centroids(centroids);
    benchmark::DoNotOptimize(centroids.data());
  }
  state.counters["centroids"] = static_cast<double>(centroids.size());
}
BENCHMARK(BM_TDigestMergeTen)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace wavefront_bench

BENCHMARK_MAIN();
