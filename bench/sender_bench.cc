// What one `send_metric` costs the calling thread on a ProxyClient writing to a real loopback socket,
// next to formatting the same line alone into a reused std::string, in the same binary and run
// (docs/benchmarks.md, "Proxy client (TCP)").
//
// The client points at a LineSink (line_sink.h) and has a queue large enough (10 million lines, 2 GiB)
// that nothing is dropped however far the producers run ahead of the socket, so every timed call does
// the whole accepted path: format into the thread's buffer, then append to the queue under its lock.
// After the timed loop the benchmark flushes, checks that every line was accepted and reached the sink,
// and skips with an error if anything was dropped or refused.
//
// Times are wall-clock (UseRealTime). With N threads Google Benchmark reports wall time divided by all
// the calls of all threads; `per_call` is the cost seen by one calling thread (wall time * N / calls).
// `cpu_ns` is each calling thread's own CPU time per call (CLOCK_THREAD_CPUTIME_ID, averaged over the
// threads), which other threads running on the same cores cannot inflate; `sleeps_per_10k` is the
// calling threads' voluntary context switches (getrusage RUSAGE_THREAD) per 10,000 sends: how often a
// producer went to sleep, for a lock or otherwise.
//
// The send benchmarks take the client's staging_bytes as their argument: 0 is the path before
// per-thread staging (every send appends under the queue's mutex), 65536 the default.
//
//   sender_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "line_sink.h"
#include "wavefront/format.h"
#include "wavefront/proxy_client.h"
#include "wavefront/series.h"

namespace wavefront_bench {
namespace {

constexpr std::int64_t kTimestamp = 1700000000;
constexpr std::chrono::seconds kDrainTimeout(120);

// The value of the i-th call: 1024 different values, all with short decimal forms (40, 40.125, ...).
double value_of(std::uint64_t call) { return 40.0 + static_cast<double>(call % 1024) * 0.125; }

wavefront::Status send_point(wavefront::Sender& sender, std::uint64_t call) {
  return sender.send_metric("cpu.usage.user", value_of(call), kTimestamp, "host-01.example.com",
                            {{"env", "prod"}, {"region", "us-west-2"}, {"service", "checkout"}});
}

wavefront::Status format_point(std::string& out, std::uint64_t call) {
  return wavefront::format_metric(out, "cpu.usage.user", value_of(call), kTimestamp, "host-01.example.com",
                                  {{"env", "prod"}, {"region", "us-west-2"}, {"service", "checkout"}});
}

// Shared by the threads of one benchmark run: thread 0 creates them before the start barrier of the
// timed loop and destroys them after its end barrier, so the other threads only use them in between.
struct SendFixture {
  LineSink sink;
  std::unique_ptr<wavefront::ProxyClient> client;
  wavefront::Series series;  // the benchmark's point as a pre-registered series
};
SendFixture* g_fixture = nullptr;

std::unique_ptr<wavefront::ProxyClient> make_client(std::uint16_t port, std::size_t staging_bytes) {
  wavefront::ProxyClientConfig config;
  config.host = "127.0.0.1";
  config.metrics_port = port;
  config.max_queue_items = 10'000'000;
  config.max_queue_bytes = std::size_t{2} << 30;
  config.self_metrics_interval = std::chrono::milliseconds(0);  // only the benchmark's lines on the wire
  config.staging_bytes = staging_bytes;
  auto client = wavefront::ProxyClient::create(config);
  if (!client) {
    std::fprintf(stderr, "ProxyClient::create: %s\n", client.status().message().c_str());
    std::abort();
  }
  return std::unique_ptr<wavefront::ProxyClient>(
      static_cast<wavefront::ProxyClient*>(client.release().release()));
}

// Empty when every accepted line reached the sink and nothing was dropped or refused.
std::string check_nothing_lost(SendFixture& fixture, std::uint64_t calls) {
  const wavefront::FlushResult flushed = fixture.client->flush(kDrainTimeout);
  if (!flushed.ok()) return "flush: " + flushed.status.message();
  const wavefront::TypeStats stats = fixture.client->stats()[wavefront::DataType::metric];
  if (stats.invalid != 0) return std::to_string(stats.invalid) + " points were refused as invalid";
  if (stats.dropped != 0) return std::to_string(stats.dropped) + " points were dropped";
  if (stats.accepted != calls) {
    return std::to_string(stats.accepted) + " points accepted for " + std::to_string(calls) + " calls";
  }
  if (!fixture.sink.wait_for_lines(calls, kDrainTimeout)) {
    return "the sink received " + std::to_string(fixture.sink.lines()) + " of " + std::to_string(calls) +
           " lines";
  }
  return std::string();
}

// Per calling thread: wall-clock seconds per call, printed with an SI prefix ("206.9ns"): calls
// per second, divided by the thread count, inverted.
void report_per_thread_cost(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["per_call"] = benchmark::Counter(
      static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kAvgThreads | benchmark::Counter::kInvert);
}

// The calling thread's CPU time and voluntary context switches, read before and after the timed loop.
struct ThreadUsage {
  double cpu_ns = 0;
  double voluntary_switches = 0;

  static ThreadUsage now() {
    ThreadUsage usage;
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    usage.cpu_ns = static_cast<double>(cpu.tv_sec) * 1e9 + static_cast<double>(cpu.tv_nsec);
    rusage self{};
    getrusage(RUSAGE_THREAD, &self);
    usage.voluntary_switches = static_cast<double>(self.ru_nvcsw);
    return usage;
  }
};

void report_thread_usage(benchmark::State& state, const ThreadUsage& before) {
  const ThreadUsage after = ThreadUsage::now();
  const double calls = static_cast<double>(state.iterations());
  state.counters["cpu_ns"] =
      benchmark::Counter((after.cpu_ns - before.cpu_ns) / calls, benchmark::Counter::kAvgThreads);
  state.counters["sleeps_per_10k"] =
      benchmark::Counter((after.voluntary_switches - before.voluntary_switches) * 10000 / calls,
                         benchmark::Counter::kAvgThreads);
}

void start_fixture(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_fixture = new SendFixture();
    g_fixture->client = make_client(g_fixture->sink.port(), static_cast<std::size_t>(state.range(0)));
    wavefront::Expected<wavefront::Series> series = g_fixture->client->series(
        "cpu.usage.user", {{"env", "prod"}, {"region", "us-west-2"}, {"service", "checkout"}},
        "host-01.example.com");
    if (!series) {
      std::fprintf(stderr, "series: %s\n", series.status().message().c_str());
      std::abort();
    }
    g_fixture->series = *series;
  }
}

void finish_fixture(benchmark::State& state) {
  if (state.thread_index() == 0) {
    // Every thread ran the same number of iterations.
    const std::string problem =
        check_nothing_lost(*g_fixture, static_cast<std::uint64_t>(state.iterations()) *
                                           static_cast<std::uint64_t>(state.threads()));
    if (!problem.empty()) state.SkipWithError(problem.c_str());
    g_fixture->client->close(kDrainTimeout);
    delete g_fixture;
    g_fixture = nullptr;
  }
}

void BM_SendMetric3Tags(benchmark::State& state) {
  start_fixture(state);
  std::uint64_t call = 0;
  ThreadUsage before;
  bool first = true;
  for (auto _ : state) {
    if (first) {  // after the start barrier: the fixture's setup is not counted
      before = ThreadUsage::now();
      first = false;
    }
    // Refusals and drops are counted in the client's stats, which thread 0 checks below.
    const wavefront::Status status = send_point(*g_fixture->client, call++);
    benchmark::DoNotOptimize(status);
  }
  report_thread_usage(state, before);
  finish_fixture(state);
}
BENCHMARK(BM_SendMetric3Tags)->Arg(0)->Arg(65536)->Threads(1)->Threads(2)->UseRealTime();

// The same point through a pre-registered series (series.h): only value and timestamp are written.
void BM_SeriesSend3Tags(benchmark::State& state) {
  start_fixture(state);
  std::uint64_t call = 0;
  ThreadUsage before;
  bool first = true;
  for (auto _ : state) {
    if (first) {
      before = ThreadUsage::now();
      first = false;
    }
    const wavefront::Status status = g_fixture->series.send(value_of(call++), kTimestamp);
    benchmark::DoNotOptimize(status);
  }
  report_thread_usage(state, before);
  report_per_thread_cost(state);
  finish_fixture(state);
}
BENCHMARK(BM_SeriesSend3Tags)->Arg(0)->Arg(65536)->Threads(1)->Threads(2)->UseRealTime();

// Caller cost while the sender keeps up: bursts of kBurst sends, each timed in the calling thread's
// CPU time, with a flush() after each burst outside the timing. The timed loops above let the
// producers run ahead of the socket without end, so their figures also hold the cost of new memory
// for an ever-growing backlog (page faults in the staging buffers); here the staging buffers are
// reused, as in a program whose sender keeps up. Argument: 0 send_metric, 1 Series::send.
constexpr int kBurst = 512;

void BM_SendBursts(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_fixture = new SendFixture();
    g_fixture->client = make_client(g_fixture->sink.port(), 65536);
    g_fixture->series = *g_fixture->client->series(
        "cpu.usage.user", {{"env", "prod"}, {"region", "us-west-2"}, {"service", "checkout"}},
        "host-01.example.com");
  }
  const bool series = state.range(0) == 1;
  std::uint64_t call = 0;
  double burst_cpu_ns = 0;
  double switches = 0;
  for (auto _ : state) {
    const ThreadUsage before = ThreadUsage::now();
    const auto start = std::chrono::steady_clock::now();
    for (int send = 0; send < kBurst; ++send) {
      const wavefront::Status status =
          series ? g_fixture->series.send(value_of(call), kTimestamp) : send_point(*g_fixture->client, call);
      ++call;
      benchmark::DoNotOptimize(status);
    }
    const auto end = std::chrono::steady_clock::now();
    const ThreadUsage after = ThreadUsage::now();
    burst_cpu_ns += after.cpu_ns - before.cpu_ns;
    switches += after.voluntary_switches - before.voluntary_switches;
    state.SetIterationTime(std::chrono::duration<double>(end - start).count());
    g_fixture->client->flush(kDrainTimeout);
  }
  const double sends = static_cast<double>(call);
  state.counters["cpu_ns"] = benchmark::Counter(burst_cpu_ns / sends, benchmark::Counter::kAvgThreads);
  state.counters["sleeps_per_10k"] =
      benchmark::Counter(switches * 10000 / sends, benchmark::Counter::kAvgThreads);
  state.SetItemsProcessed(static_cast<std::int64_t>(call));
  if (state.thread_index() == 0) {
    const std::string problem =
        check_nothing_lost(*g_fixture, call * static_cast<std::uint64_t>(state.threads()));
    if (!problem.empty()) state.SkipWithError(problem.c_str());
    g_fixture->client->close(kDrainTimeout);
    delete g_fixture;
    g_fixture = nullptr;
  }
}
BENCHMARK(BM_SendBursts)->Arg(0)->Arg(1)->Threads(1)->Threads(2)->UseManualTime();

// The baseline: the same call's formatting alone, each thread into its own reused std::string.
void BM_FormatMetric3Tags(benchmark::State& state) {
  std::string line;
  line.reserve(256);
  std::uint64_t call = 0;
  bool all_ok = true;
  const ThreadUsage before = ThreadUsage::now();
  for (auto _ : state) {
    line.clear();
    const wavefront::Status status = format_point(line, call++);
    all_ok = all_ok && status.ok();
    benchmark::DoNotOptimize(line.data());
    benchmark::ClobberMemory();
  }
  if (!all_ok) state.SkipWithError("the library refused the benchmark input");
  report_thread_usage(state, before);
  report_per_thread_cost(state);
}
BENCHMARK(BM_FormatMetric3Tags)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace wavefront_bench

BENCHMARK_MAIN();
