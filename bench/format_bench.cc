// Nanoseconds and heap allocations per formatted line, for every data type, against a std::ostringstream
// baseline that writes the same bytes (see baseline_formatter.h and docs/benchmarks.md).
//
// Every benchmark formats one realistic point per iteration (format_cases.h) into the same output
// std::string, cleared each time, so its capacity is warm. `allocs_per_line` counts every global
// operator new during the timed loop (alloc_counter.h), after a few warm-up calls.
// `VerifyBaselineMatchesLibrary` checks once that each baseline writes byte for byte what the library
// writes for the benchmarked input; the program also exits with status 1 if one does not.
//
//   format_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//   format_bench --print_lines     # show the benchmarked lines and exit
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "alloc_counter.h"
#include "format_cases.h"

namespace wavefront_bench {
namespace {

constexpr int kWarmUpCalls = 4;

// Formats one point per iteration into warm buffers and reports items/s and allocations per line.
void run_formatter(benchmark::State& state, FormatFunction format) {
  Buffers buffers;
  for (int call = 0; call < kWarmUpCalls; ++call) {
    buffers.clear();
    if (!format(buffers)) {
      state.SkipWithError("the library refused the benchmark input");
      return;
    }
  }
  const std::uint64_t allocations_before = allocation_count();
  for (auto _ : state) {
    buffers.clear();
    bool ok = format(buffers);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(buffers.line.data());
    benchmark::DoNotOptimize(buffers.extra.data());
    benchmark::ClobberMemory();
  }
  const std::uint64_t allocations = allocation_count() - allocations_before;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["allocs_per_line"] =
      benchmark::Counter(static_cast<double>(allocations), benchmark::Counter::kAvgIterations);
}

std::string without_final_newline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// Empty if `baseline` writes exactly what `ours` writes; otherwise what differs.
std::string compare_outputs(std::string_view name, FormatFunction ours, FormatFunction baseline) {
  Buffers expected;
  Buffers actual;
  if (!ours(expected)) return std::string(name) + ": the library refused the benchmark input";
  baseline(actual);
  if (expected.line == actual.line && expected.extra == actual.extra) return std::string();
  return std::string(name) + ": the baseline writes other bytes than the library\n  library:  " +
         without_final_newline(expected.joined()) + "\n  baseline: " + without_final_newline(actual.joined());
}

// Every difference between a baseline and the library, one per line; empty if there is none.
std::string compare_all_baselines() {
  std::string problems;
  const auto add = [&problems](const std::string& problem) {
    if (!problem.empty()) problems += problem + "\n";
  };
  for (const Case& test_case : format_cases()) {
    add(compare_outputs(test_case.name, test_case.ours, test_case.baseline));
  }
  add(compare_outputs("Metric3Tags (reused stream)", ours_metric_3_tags,
                      baseline_metric_3_tags_reused_stream));
  return problems;
}

void verify_baseline_matches_library(benchmark::State& state) {
  const std::string problems = compare_all_baselines();
  if (!problems.empty()) {
    state.SkipWithError(problems.c_str());
    return;
  }
  for (auto _ : state) {
    Buffers buffers;
    benchmark::DoNotOptimize(format_cases().front().ours(buffers));
  }
}

void print_lines() {
  for (const Case& test_case : format_cases()) {
    Buffers buffers;
    const bool ok = test_case.ours(buffers);
    std::printf("%s%s:\n%s%s", test_case.name, ok ? "" : " (refused)", buffers.line.c_str(),
                buffers.extra.c_str());
    if (buffers.extra.empty() && (buffers.line.empty() || buffers.line.back() != '\n')) std::printf("\n");
  }
}

// `--repeat CASE N`: formats CASE's line (ours and then the baseline) N times each, outside Google
// Benchmark, so that an instruction count (valgrind --tool=callgrind) divides exactly by N.
int repeat(const char* name, long times) {
  for (const Case& test_case : format_cases()) {
    if (std::strcmp(test_case.name, name) != 0) continue;
    Buffers buffers;
    for (long index = 0; index < times; ++index) {
      buffers.clear();
      benchmark::DoNotOptimize(test_case.ours(buffers));
    }
    for (long index = 0; index < times; ++index) {
      buffers.clear();
      benchmark::DoNotOptimize(test_case.baseline(buffers));
    }
    return 0;
  }
  std::fprintf(stderr, "format_bench: no case %s\n", name);
  return 1;
}

void register_benchmarks() {
  for (const Case& test_case : format_cases()) {
    const std::string name(test_case.name);
    benchmark::RegisterBenchmark((name + "/wavefront").c_str(), run_formatter, test_case.ours);
    benchmark::RegisterBenchmark((name + "/ostringstream").c_str(), run_formatter, test_case.baseline);
    if (test_case.ours == ours_metric_3_tags) {
      benchmark::RegisterBenchmark((name + "/ostringstream_reused").c_str(), run_formatter,
                                   baseline_metric_3_tags_reused_stream);
    }
  }
  // Last, so that a CSV report takes its columns (allocs_per_line) from a formatter's row.
  benchmark::RegisterBenchmark("VerifyBaselineMatchesLibrary", verify_baseline_matches_library)
      ->Iterations(1);
}

}  // namespace
}  // namespace wavefront_bench

int main(int argc, char** argv) {
  for (int index = 1; index < argc; ++index) {
    if (std::strcmp(argv[index], "--print_lines") == 0) {
      wavefront_bench::print_lines();
      return 0;
    }
    if (std::strcmp(argv[index], "--repeat") == 0 && index + 2 < argc) {
      return wavefront_bench::repeat(argv[index + 1], std::strtol(argv[index + 2], nullptr, 10));
    }
  }
  // Besides the skipped benchmark, fail loudly (exit status 1) if a baseline stopped matching.
  const std::string problems = wavefront_bench::compare_all_baselines();
  if (!problems.empty()) std::fprintf(stderr, "format_bench: %s", problems.c_str());
  wavefront_bench::register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return problems.empty() ? 0 : 1;
}
