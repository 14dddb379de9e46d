// The benchmarked points and their library and baseline formatters; see format_cases.h.
#include "format_cases.h"

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "baseline_formatter.h"
#include "wavefront/format.h"
#include "wavefront/types.h"

namespace wavefront_bench {
namespace {

using baseline::LogRecord;
using baseline::StringPairs;

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

bool baseline_metric_3_tags(Buffers& out) {
  const Inputs& in = inputs();
  baseline::format_metric(out.line, in.metric_name, in.metric_value, in.metric_timestamp, in.source,
                          in.three_tags);
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

}  // namespace

bool ours_metric_3_tags(Buffers& out) {
  const Inputs& in = inputs();
  return wavefront::format_metric(out.line, in.metric_name, in.metric_value, in.metric_timestamp, in.source,
                                  in.three_tags)
      .ok();
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

const std::vector<Case>& format_cases() {
  static const std::vector<Case>& kCases = *new std::vector<Case>{
      {"Metric3Tags", ours_metric_3_tags, baseline_metric_3_tags},
      {"Metric0Tags", ours_metric_0_tags, baseline_metric_0_tags},
      {"DeltaCounter2Tags", ours_delta_counter, baseline_delta_counter},
      {"Distribution10Centroids", ours_distribution, baseline_distribution},
      {"Span4Tags", ours_span, baseline_span},
      {"Span4TagsWith1Log", ours_span_with_log, baseline_span_with_log},
      {"EventLine", ours_event_line, baseline_event_line},
      {"EventJson", ours_event_json, baseline_event_json},
  };  // leaked on purpose: no static destructors
  return kCases;
}

}  // namespace wavefront_bench
