// What a traced span costs the calling thread, next to a raw `send_span` of the same span in the same
// run (docs/benchmarks.md, "Tracer"):
//
//   BM_RawSendSpan          send_span with ids already as text, the application tags and 2 span tags
//   BM_RawSendSpanBursts    the same in bursts of 256 with a flush between them: the caller's CPU
//                           time per span while the sender keeps up
//   BM_RawSendSpanBinaryIds the same span with its ids as Id128 values (the send_span form the tracer
//                           uses: UUIDs written from the bytes, no text to check)
//   BM_TracerSampledSpan    start_span (child of a parent context) + 2 set_tag + finish: ids, clocks,
//                           the same send_span, and the RED update (3 delta counters, 1 histogram)
//   BM_TracerSampledOutSpan the same with a sampler that drops everything: no send, RED update only
//   BM_RawFormatSpan, BM_RawFormatSpanBinaryIds, BM_TracerSampledSpanFormatOnly,
//   BM_TracerSampledOutSpanFormatOnly
//                           the same into a sender that only formats the span (no queue, no
//                           threads): the tracer's own cost against the formatting alone, steadier
//   BM_TwoClockReads        two steady_clock::now() calls: the part of a span no tracer can avoid
//   BM_W3cInjectExtract     inject a context as traceparent into a reused carrier, extract it back
//
// Spans go to a ProxyClient whose tracing port is a LineSink on loopback, with a queue large enough that
// nothing is dropped; after the timed loop the benchmark flushes and fails if any span was refused or
// dropped. The tracers' reports and heartbeats are pushed past the run (interval one hour).
//
//   tracer_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "line_sink.h"
#include "wavefront/format.h"
#include "wavefront/proxy_client.h"
#include "wavefront/tracer.h"
#include "wavefront/tracing/span_clock.h"

namespace wavefront_bench {
namespace {

constexpr std::chrono::seconds kDrainTimeout(120);

std::unique_ptr<wavefront::Sender> make_client(std::uint16_t port) {
  wavefront::ProxyClientConfig config;
  config.host = "127.0.0.1";
  config.metrics_port = port;
  config.tracing_port = port;
  config.max_queue_items = 10'000'000;
  config.max_queue_bytes = std::size_t{2} << 30;
  config.self_metrics_interval = std::chrono::milliseconds(0);
  auto client = wavefront::ProxyClient::create(config);
  if (!client) {
    std::fprintf(stderr, "ProxyClient::create: %s\n", client.status().message().c_str());
    std::abort();
  }
  return client.release();
}

// A sender that formats into the senders' reused per-thread string and keeps nothing: the same validation and
// formatting as a client's send, without the queue and the threads behind it, whose cost moves with
// the machine's load. Metrics (the RED reports, pushed past the run) are ignored.
class FormatOnlySender final : public wavefront::Sender {
 public:
  wavefront::FlushResult flush(std::chrono::milliseconds) override { return {}; }
  wavefront::FlushResult close(std::chrono::milliseconds) override { return {}; }
  std::uint64_t failure_count() const override { return 0; }
  wavefront::SenderStats stats() const override { return {}; }

 protected:
  // The base class formatted the point; keep nothing.
  wavefront::Status submit(const wavefront::FormattedLines& lines) override { return lines.status; }
};

wavefront::ApplicationTags application() {
  wavefront::ApplicationTags tags;
  tags.application = "shop";
  tags.service = "checkout";
  return tags;
}

wavefront::TracerConfig tracer_config(bool sampled) {
  wavefront::TracerConfig config;
  config.source = "host-01.example.com";
  config.report_interval = std::chrono::hours(1);
  config.heartbeat_interval = std::chrono::hours(1);
  if (!sampled) config.sampler = std::make_shared<wavefront::ConstantSampler>(false);
  return config;
}

wavefront::SpanContext parent_context() {
  wavefront::SpanContext parent;
  parent.trace_id = wavefront::random_id(128);
  parent.span_id = wavefront::random_id(64);
  return parent;  // no decision: the tracer's sampler decides
}

void check_spans(benchmark::State& state, wavefront::Sender& client, std::uint64_t expected) {
  const wavefront::FlushResult flushed = client.flush(kDrainTimeout);
  const wavefront::TypeStats stats = client.stats()[wavefront::DataType::span];
  if (!flushed.ok() || stats.invalid != 0 || stats.dropped != 0 || stats.accepted != expected) {
    state.SkipWithError("spans were refused, dropped or not all accepted");
  }
}

// The same span as the tracer's: ids already as text, the application tags and 2 span tags.
std::uint64_t raw_spans(benchmark::State& state, wavefront::Sender& sender) {
  const auto tags = application().as_tags();
  const std::string trace_id = wavefront::uuid_string(wavefront::random_id(128));
  const std::string span_id = wavefront::uuid_string(wavefront::random_id(64));
  const std::string parent_id = wavefront::uuid_string(wavefront::random_id(64));
  const std::string_view parents[] = {parent_id};
  std::vector<wavefront::Tag> all;  // built once: the raw call at its cheapest
  for (const auto& [key, value] : tags) all.emplace_back(key, value);
  all.emplace_back("span.kind", "server");
  all.emplace_back("http.method", "POST");
  std::uint64_t calls = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(sender.send_span("checkout", 1700000000123, 12, "host-01.example.com", trace_id,
                                              span_id, parents, {}, all, {}));
    ++calls;
  }
  state.SetItemsProcessed(state.iterations());
  return calls;
}

// The same span with its ids as 128-bit values (Sender::send_span's Id128 form, the tracer's path).
std::uint64_t raw_spans_binary_ids(benchmark::State& state, wavefront::Sender& sender) {
  const auto tags = application().as_tags();
  const wavefront::Id128 trace_id = wavefront::random_id(128);
  const wavefront::Id128 span_id = wavefront::random_id(64);
  const wavefront::Id128 parent_id = wavefront::random_id(64);
  std::vector<wavefront::Tag> all;
  for (const auto& [key, value] : tags) all.emplace_back(key, value);
  all.emplace_back("span.kind", "server");
  all.emplace_back("http.method", "POST");
  std::uint64_t calls = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(sender.send_span("checkout", 1700000000123, 12, "host-01.example.com", trace_id,
                                              span_id, parent_id, all, {}));
    ++calls;
  }
  state.SetItemsProcessed(state.iterations());
  return calls;
}

// Start (child of a parent context) + 2 tags + finish; returns the spans the tracer sent.
std::uint64_t traced_spans(benchmark::State& state, wavefront::Sender& sender, bool sampled) {
  wavefront::Tracer tracer(sender, application(), tracer_config(sampled));
  const wavefront::SpanContext parent = parent_context();
  for (auto _ : state) {
    wavefront::Span span = tracer.start_span("checkout", parent);
    span.set_tag("span.kind", "server");
    span.set_tag("http.method", "POST");
    span.finish();
  }
  const std::uint64_t sent = tracer.spans_sent();
  if (sampled ? sent != static_cast<std::uint64_t>(state.iterations()) : sent != 0) {
    state.SkipWithError("unexpected sampling");
  }
  state.SetItemsProcessed(state.iterations());
  return sent;
}

void BM_RawSendSpan(benchmark::State& state) {
  LineSink sink;
  auto client = make_client(sink.port());
  check_spans(state, *client, raw_spans(state, *client));
}
BENCHMARK(BM_RawSendSpan);

// The raw send while the sender keeps up: bursts of kBurst spans, each timed in the calling thread's
// CPU time (`cpu_ns`, per span), with a flush() after each burst outside the timing, so the staging
// buffers are reused. BM_RawSendSpan lets the producer run ahead of the socket without end, so its
// figure also holds the page faults of an ever-growing backlog.
void BM_RawSendSpanBursts(benchmark::State& state) {
  constexpr int kBurst = 256;
  LineSink sink;
  auto client = make_client(sink.port());
  const auto tags = application().as_tags();
  const std::string trace_id = wavefront::uuid_string(wavefront::random_id(128));
  const std::string span_id = wavefront::uuid_string(wavefront::random_id(64));
  const std::string parent_id = wavefront::uuid_string(wavefront::random_id(64));
  const std::string_view parents[] = {parent_id};
  std::vector<wavefront::Tag> all;
  for (const auto& [key, value] : tags) all.emplace_back(key, value);
  all.emplace_back("span.kind", "server");
  all.emplace_back("http.method", "POST");
  const auto thread_cpu_ns = [] {
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    return static_cast<double>(cpu.tv_sec) * 1e9 + static_cast<double>(cpu.tv_nsec);
  };
  double burst_cpu_ns = 0;
  std::uint64_t calls = 0;
  for (auto _ : state) {
    const double before = thread_cpu_ns();
    const auto start = std::chrono::steady_clock::now();
    for (int span = 0; span < kBurst; ++span) {
      benchmark::DoNotOptimize(client->send_span("checkout", 1700000000123, 12, "host-01.example.com",
                                                 trace_id, span_id, parents, {}, all, {}));
    }
    const auto end = std::chrono::steady_clock::now();
    burst_cpu_ns += thread_cpu_ns() - before;
    calls += kBurst;
    state.SetIterationTime(std::chrono::duration<double>(end - start).count());
    client->flush(kDrainTimeout);
  }
  state.counters["cpu_ns"] = burst_cpu_ns / static_cast<double>(calls);
  state.SetItemsProcessed(static_cast<std::int64_t>(calls));
  check_spans(state, *client, calls);
}
BENCHMARK(BM_RawSendSpanBursts)->UseManualTime();

void BM_RawSendSpanBinaryIds(benchmark::State& state) {
  LineSink sink;
  auto client = make_client(sink.port());
  check_spans(state, *client, raw_spans_binary_ids(state, *client));
}
BENCHMARK(BM_RawSendSpanBinaryIds);

void BM_TracerSampledSpan(benchmark::State& state) {
  LineSink sink;
  auto client = make_client(sink.port());
  check_spans(state, *client, traced_spans(state, *client, true));
}
BENCHMARK(BM_TracerSampledSpan);

void BM_TracerSampledOutSpan(benchmark::State& state) {
  LineSink sink;
  auto client = make_client(sink.port());
  check_spans(state, *client, traced_spans(state, *client, false));
}
BENCHMARK(BM_TracerSampledOutSpan);

// The same three without the client's queue and threads: formatting is the sender's whole work.
void BM_RawFormatSpan(benchmark::State& state) {
  FormatOnlySender sender;
  raw_spans(state, sender);
}
BENCHMARK(BM_RawFormatSpan);

void BM_RawFormatSpanBinaryIds(benchmark::State& state) {
  FormatOnlySender sender;
  raw_spans_binary_ids(state, sender);
}
BENCHMARK(BM_RawFormatSpanBinaryIds);

void BM_TracerSampledSpanFormatOnly(benchmark::State& state) {
  FormatOnlySender sender;
  traced_spans(state, sender, true);
}
BENCHMARK(BM_TracerSampledSpanFormatOnly);

void BM_TracerSampledOutSpanFormatOnly(benchmark::State& state) {
  FormatOnlySender sender;
  traced_spans(state, sender, false);
}
BENCHMARK(BM_TracerSampledOutSpanFormatOnly);

// The floor under any span: its two steady-clock reads (start and finish), for scale.
void BM_TwoClockReads(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(std::chrono::steady_clock::now());
    benchmark::DoNotOptimize(std::chrono::steady_clock::now());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TwoClockReads);

// What a span reads instead: the span clock (the time-stamp counter where usable, span_clock.h).
void BM_TwoSpanClockReads(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(wavefront::tracing::span_clock_ns());
    benchmark::DoNotOptimize(wavefront::tracing::span_clock_ns());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(wavefront::tracing::span_clock_uses_tsc() ? "tsc" : "steady_clock");
}
BENCHMARK(BM_TwoSpanClockReads);

void BM_W3cInjectExtract(benchmark::State& state) {
  wavefront::SpanContext context = parent_context();
  context.sampling = wavefront::SamplingDecision::keep;
  wavefront::HeaderMap headers;
  for (auto _ : state) {
    wavefront::inject_context(context, wavefront::PropagationFormat::w3c, headers);
    wavefront::SpanContext extracted = wavefront::extract_context(headers);
    benchmark::DoNotOptimize(extracted.span_id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_W3cInjectExtract);

}  // namespace
}  // namespace wavefront_bench

BENCHMARK_MAIN();
