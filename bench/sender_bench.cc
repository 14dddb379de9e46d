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
//
//   sender_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

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
  std::unique_ptr<wavefront::Sender> client;
};
SendFixture* g_fixture = nullptr;

std::unique_ptr<wavefront::Sender> make_client(std::uint16_t port) {
  wavefront::ProxyClientConfig config;
  config.host = "127.0.0.1";
  config.metrics_port = port;
  config.max_queue_items = 10'000'000;
  config.max_queue_bytes = std::size_t{2} << 30;
  config.self_metrics_interval = std::chrono::milliseconds(0);  // only the benchmark's lines on the wire
  auto client = wavefront::ProxyClient::create(config);
  if (!client) {
    std::fprintf(stderr, "ProxyClient::create: %s\n", client.status().message().c_str());
    std::abort();
  }
  return client.release();
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

void BM_SendMetric3Tags(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_fixture = new SendFixture();
    g_fixture->client = make_client(g_fixture->sink.port());
  }
  std::uint64_t call = 0;
  for (auto _ : state) {
    // Refusals and drops are counted in the client's stats, which thread 0 checks below.
    const wavefront::Status status = send_point(*g_fixture->client, call++);
    benchmark::DoNotOptimize(status);
  }
  report_per_thread_cost(state);
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
BENCHMARK(BM_SendMetric3Tags)->Threads(1)->Threads(2)->UseRealTime();

// The baseline: the same call's formatting alone, each thread into its own reused std::string.
void BM_FormatMetric3Tags(benchmark::State& state) {
  std::string line;
  line.reserve(256);
  std::uint64_t call = 0;
  bool all_ok = true;
  for (auto _ : state) {
    line.clear();
    const wavefront::Status status = format_point(line, call++);
    all_ok = all_ok && status.ok();
    benchmark::DoNotOptimize(line.data());
    benchmark::ClobberMemory();
  }
  if (!all_ok) state.SkipWithError("the library refused the benchmark input");
  report_per_thread_cost(state);
}
BENCHMARK(BM_FormatMetric3Tags)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace wavefront_bench

BENCHMARK_MAIN();
