// Nanoseconds and heap allocations per formatted line, for every data type, against a std::ostringstream
// baseline that writes the same bytes (see baseline_formatter.h and docs/benchmarks.md).
//
// Every benchmark formats one realistic point per iteration into the same output std::string, cleared
// each time, so its capacity is warm. `allocs_per_line` counts every global operator new during the
// timed loop (alloc_counter.h), after a few warm-up calls. `VerifyBaselineMatchesLibrary` checks once
// that each baseline writes byte for byte what the library writes for the benchmarked input.
//
//   format_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//   format_bench --print_lines     # show the benchmarked lines and exit
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_counter.h"
#include "baseline_formatter.h"
#include "wavefront/format.h"
#include "wavefront/types.h"

namespace wavefront_bench {
namespace {

using baseline::LogRecord;
using baseline::StringPairs;

constexpr int kWarmUpCalls = 4;

// The points every benchmark formats: typical names, hosts and tags of a service. Doubles are chosen
// so that the baseline's setprecision(17) form is also the shortest one (see baseline_formatter.h).
struct Inputs {
  std::string metric_name = "cpu.usage.user";
  double metric_value = 42.5;
  std::int64_t metric_timestamp = 1700000000;
  std::string source = "host-01.example.com";
  StringPairs three_tags = {{"env", "prod"}, {"region", "us-west-2"}, {"service", "checkout"}};
  StringPairs no_tags;

  std::string gauge_name = "jvm.memory.heap.used";
  double gauge_value = 268435456;

  std::string counter_name = "checkout.orders.completed";
  double counter_value = 3;
  StringPairs counter_tags = {{"env", "prod"}, {"service", "checkout"}};

  std::string distribution_name = "http.server.request.latency";
  std::int64_t distribution_timestamp = 1700000040;
  std::vector<wavefront::Centroid> centroids = {{0.5, 12}, {1.25, 40},  {2.5, 85}, {3.75, 130}, {5, 96},
                                                {7.5, 54}, {12.25, 23}, {20, 9},   {35.5, 3},   {120.125, 1}};

  std::string span_name = "GET /api/v1/cart";
  std::int64_t span_start_ms = 1700000000123;
  std::int64_t span_duration_ms = 45;
  std::string trace_id = "7b3bf470-9456-11e8-9eb6-529269fb1459";
  std::string span_id = "0313bafe-9457-11e8-9eb6-529269fb1459";
  std::vector<std::string> parents = {"2f64e538-9457-11e8-9eb6-529269fb1459"};
  StringPairs span_tags = {
      {"application", "shop"}, {"service", "checkout"}, {"cluster", "us-west-2"}, {"shard", "primary"}};
  std::vector<LogRecord> log_records = {
      {1700000000130000, {{"event", "error"}, {"message", "upstream timeout after 30 ms"}}}};
  // The library's view of log_records (built in the constructor; views into log_records).
  std::vector<wavefront::SpanLog> span_logs;

  std::string event_name = "Deploy \"checkout\" v42";
  std::int64_t event_start_ms = 1700000000000;
  std::int64_t event_end_ms = 1700000060000;
  std::string event_source = "ci-runner-07.example.com";
  StringPairs annotations = {
      {"severity", "info"}, {"type", "deploy"}, {"details", "rolled out to us-west-2"}};
  std::vector<std::string> event_tags = {"release", "checkout"};

  Inputs() {
    for (const LogRecord& record : log_records) span_logs.emplace_back(record.timestamp_us, record.fields);
  }
  // span_logs points into this object's log_records: no copies.
  Inputs(const Inputs&) = delete;
  Inputs& operator=(const Inputs&) = delete;
};

const Inputs& inputs() {
  static const Inputs& kInputs = *new Inputs();  // leaked on purpose: no static destructors
  return kInputs;
}

// Where one call writes: `line`, and `extra` for the span-logs line of a span.
struct Buffers {
  std::string line;
  std::string extra;

  void clear() {
    line.clear();
    extra.clear();
  }
  std::string joined() const { return line + extra; }
};

// One formatter under test; returns false if the library refused the input.
using FormatFunction = bool (*)(Buffers&);

bool ours_metric_3_tags(Buffers& out) {
  const Inputs& in = inputs();
  return wavefront::format_metric(out.line, in.metric_name, in.metric_value, in.metric_timestamp, in.source,
                                  in.three_tags)
      .ok();
}
bool baseline_metric_3_tags(Buffers& out) {
  const Inputs& in = inputs();
  baseline::format_metric(out.line, in.metric_name, in.metric_value, in.metric_timestamp, in.source,
                          in.three_tags);
  return true;
}
// The best case for a stream: one std::ostringstream kept across calls, emptied each time.
bool baseline_metric_3_tags_reused_stream(Buffers& out) {
  static std::ostringstream& stream = *new std::ostringstream();
  const Inputs& in = inputs();
  stream.str(std::string());
  baseline::write_metric(stream, in.metric_name, in.metric_value, in.metric_timestamp, in.source,
                         in.three_tags);
  out.line += stream.str();
  return true;
}

bool ours_metric_0_tags(Buffers& out) {
  const Inputs& in = inputs();
  return wavefront::format_metric(out.line, in.gauge_name, in.gauge_value, in.metric_timestamp, in.source,
                                  in.no_tags)
      .ok();
}
bool baseline_metric_0_tags(Buffers& out) {
  const Inputs& in = inputs();
  baseline::format_metric(out.line, in.gauge_name, in.gauge_value, in.metric_timestamp, in.source,
                          in.no_tags);
  return true;
}

bool ours_delta_counter(Buffers& out) {
  const Inputs& in = inputs();
  return wavefront::format_delta_counter(out.line, in.counter_name, in.counter_value, std::nullopt, in.source,
                                         in.counter_tags)
      .ok();
}
bool baseline_delta_counter(Buffers& out) {
  const Inputs& in = inputs();
  baseline::format_delta_counter(out.line, in.counter_name, in.counter_value, std::nullopt, in.source,
                                 in.counter_tags);
  return true;
}

bool ours_distribution(Buffers& out) {
  const Inputs& in = inputs();
  return wavefront::format_distribution(out.line, in.distribution_name, in.centroids,
                                        wavefront::Granularity::minute, in.distribution_timestamp, in.source,
                                        in.three_tags)
      .ok();
}
bool baseline_distribution(Buffers& out) {
  const Inputs& in = inputs();
  baseline::format_distribution(out.line, in.distribution_name, in.centroids, 'M', in.distribution_timestamp,
                                in.source, in.three_tags);
  return true;
}

bool ours_span(Buffers& out) {
  const Inputs& in = inputs();
  return wavefront::format_span(out.line, out.extra, in.span_name, in.span_start_ms, in.span_duration_ms,
                                in.source, in.trace_id, in.span_id, in.parents, {}, in.span_tags, {})
      .ok();
}
bool baseline_span(Buffers& out) {
  const Inputs& in = inputs();
  baseline::format_span(out.line, out.extra, in.span_name, in.span_start_ms, in.span_duration_ms, in.source,
                        in.trace_id, in.span_id, in.parents, in.span_tags, {});
  return true;
}

bool ours_span_with_log(Buffers& out) {
  const Inputs& in = inputs();
  return wavefront::format_span(out.line, out.extra, in.span_name, in.span_start_ms, in.span_duration_ms,
                                in.source, in.trace_id, in.span_id, in.parents, {}, in.span_tags,
                                in.span_logs)
      .ok();
}
bool baseline_span_with_log(Buffers& out) {
  const Inputs& in = inputs();
  baseline::format_span(out.line, out.extra, in.span_name, in.span_start_ms, in.span_duration_ms, in.source,
                        in.trace_id, in.span_id, in.parents, in.span_tags, in.log_records);
  return true;
}

bool ours_event_line(Buffers& out) {
  const Inputs& in = inputs();
  return wavefront::format_event(out.line, in.event_name, in.event_start_ms, in.event_end_ms, in.event_source,
                                 in.annotations, in.event_tags)
      .ok();
}
bool baseline_event_line(Buffers& out) {
  const Inputs& in = inputs();
  baseline::format_event(out.line, in.event_name, in.event_start_ms, in.event_end_ms, in.event_source,
                         in.annotations, in.event_tags);
  return true;
}

bool ours_event_json(Buffers& out) {
  const Inputs& in = inputs();
  return wavefront::format_event_json(out.line, in.event_name, in.event_start_ms, in.event_end_ms,
                                      in.event_source, in.annotations, in.event_tags)
      .ok();
}
bool baseline_event_json(Buffers& out) {
  const Inputs& in = inputs();
  baseline::format_event_json(out.line, in.event_name, in.event_start_ms, in.event_end_ms, in.event_source,
                              in.annotations, in.event_tags);
  return true;
}

// A data type benchmarked twice: through the library, and through the baseline.
struct Case {
  const char* name;
  FormatFunction ours;
  FormatFunction baseline;
};

constexpr Case kCases[] = {
    {"Metric3Tags", ours_metric_3_tags, baseline_metric_3_tags},
    {"Metric0Tags", ours_metric_0_tags, baseline_metric_0_tags},
    {"DeltaCounter2Tags", ours_delta_counter, baseline_delta_counter},
    {"Distribution10Centroids", ours_distribution, baseline_distribution},
    {"Span4Tags", ours_span, baseline_span},
    {"Span4TagsWith1Log", ours_span_with_log, baseline_span_with_log},
    {"EventLine", ours_event_line, baseline_event_line},
    {"EventJson", ours_event_json, baseline_event_json},
};

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
  for (const Case& test_case : kCases)
    add(compare_outputs(test_case.name, test_case.ours, test_case.baseline));
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
    benchmark::DoNotOptimize(kCases[0].ours(buffers));
  }
}

void print_lines() {
  for (const Case& test_case : kCases) {
    Buffers buffers;
    const bool ok = test_case.ours(buffers);
    std::printf("%s%s:\n%s%s", test_case.name, ok ? "" : " (refused)", buffers.line.c_str(),
                buffers.extra.c_str());
    if (buffers.extra.empty() && (buffers.line.empty() || buffers.line.back() != '\n')) std::printf("\n");
  }
}

void register_benchmarks() {
  for (const Case& test_case : kCases) {
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
