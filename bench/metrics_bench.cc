// Benchmarks of the metrics layer: counter and delta-counter updates, Histogram::update with one and two
// threads, quantile queries over the current bin, and a registry lookup, next to a simple baseline in
// the same binary: every sample pushed into a vector (under a mutex when threaded) and sorted to answer
// quantiles exactly.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <mutex>
#include <random>
#include <vector>

#include "wavefront/metrics.h"

namespace {

std::vector<double> normal_samples(std::size_t count) {
  std::mt19937_64 random(42);
  std::normal_distribution<double> normal(100, 15);
  std::vector<double> samples(count);
  for (double& sample : samples) sample = normal(random);
  return samples;
}

const std::vector<double>& samples() {
  static const std::vector<double> values = normal_samples(1 << 16);
  return values;
}

void BM_CounterInc(benchmark::State& state) {
  static wavefront::MetricRegistry registry;
  wavefront::Counter& counter = registry.counter("bench.counter", {{"k", "v"}});
  for (auto _ : state) counter.inc();
  benchmark::DoNotOptimize(counter.value());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CounterInc)->Threads(1)->Threads(2)->UseRealTime();

void BM_DeltaCounterInc(benchmark::State& state) {
  static wavefront::MetricRegistry registry;
  wavefront::DeltaCounter& counter = registry.delta_counter("bench.delta");
  for (auto _ : state) counter.inc();
  benchmark::DoNotOptimize(counter.value());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DeltaCounterInc)->Threads(1)->UseRealTime();

void BM_RegistryLookup(benchmark::State& state) {
  static wavefront::MetricRegistry registry;
  for (auto _ : state) benchmark::DoNotOptimize(&registry.counter("bench.lookup", {{"route", "/pay"}}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegistryLookup);

void BM_HistogramUpdate(benchmark::State& state) {
  static wavefront::Histogram* histogram = nullptr;
  if (state.thread_index() == 0) histogram = new wavefront::Histogram();
  const auto& values = samples();
  std::size_t index = static_cast<std::size_t>(state.thread_index()) * 7919;
  for (auto _ : state) histogram->update(values[index++ & (values.size() - 1)]);
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    benchmark::DoNotOptimize(histogram->count());
    delete histogram;
  }
}
BENCHMARK(BM_HistogramUpdate)->Threads(1)->Threads(2)->UseRealTime();
// The same in each calling thread's own CPU time (what the caller pays; the scheduler cannot inflate it).
BENCHMARK(BM_HistogramUpdate)->Name("BM_HistogramUpdate/thread_cpu")->Threads(1)->Threads(2);

// Baseline: keep every sample (a locked vector, as a naive thread-safe histogram would).
void BM_BaselineKeepAllSamples(benchmark::State& state) {
  static std::mutex mutex;
  static std::vector<double>* kept = nullptr;
  if (state.thread_index() == 0) kept = new std::vector<double>();
  const auto& values = samples();
  std::size_t index = static_cast<std::size_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    std::lock_guard<std::mutex> lock(mutex);
    kept->push_back(values[index++ & (values.size() - 1)]);
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    std::sort(kept->begin(), kept->end());  // what answering quantiles exactly then costs
    benchmark::DoNotOptimize(kept->data());
    delete kept;
  }
}
BENCHMARK(BM_BaselineKeepAllSamples)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_BaselineKeepAllSamples)->Name("BM_BaselineKeepAllSamples/thread_cpu")->Threads(1)->Threads(2);

void BM_HistogramQuantile(benchmark::State& state) {
  wavefront::Histogram histogram;
  for (double value : samples()) histogram.update(value);
  for (auto _ : state) benchmark::DoNotOptimize(histogram.quantile(0.99));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramQuantile);

// Baseline: exact quantile from all samples (copy and nth_element, as a query would).
void BM_BaselineExactQuantile(benchmark::State& state) {
  const auto& values = samples();
  std::vector<double> copy;
  for (auto _ : state) {
    copy = values;
    std::nth_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(copy.size() * 99 / 100),
                     copy.end());
    benchmark::DoNotOptimize(copy[copy.size() * 99 / 100]);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BaselineExactQuantile);

}  // namespace

BENCHMARK_MAIN();
