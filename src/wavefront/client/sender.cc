// The one dispatch from the typed and positional sends to an implementation's submit(); see
// include/wavefront/sender.h. A new data type needs its send here and nowhere else.
#include "wavefront/sender.h"

#include <bitset>
#include <string>
#include <utility>

#include "wavefront/format/span.h"

namespace wavefront {
namespace {

// Reused by every send on this thread: formatting allocates nothing once warm.
thread_local std::string t_lines;
thread_local std::string t_span_logs;

std::size_t granularity_count(GranularitySet granularities) {
  return std::bitset<8>(granularities.bits()).count();
}

}  // namespace

Sender::Sender(FormatOptions options, bool events_as_json)
    : format_(std::move(options)), events_as_json_(events_as_json) {}

template <class Format>
Status Sender::dispatch(DataType type, std::size_t items, Format&& format) {
  t_lines.clear();
  Status status = format(t_lines);
  if (!status.ok()) return submit(FormattedLines{type, {}, 0, std::move(status)});
  return submit(FormattedLines{type, t_lines, t_lines.empty() ? 0 : items, Status()});
}

Status Sender::send_metric(std::string_view name, double value, Timestamp timestamp, std::string_view source,
                           TagList tags) {
  return dispatch(DataType::metric, 1, [&](std::string& out) {
    return format_metric(out, name, value, timestamp, source, tags, format_);
  });
}

Status Sender::send_delta_counter(std::string_view name, double value, Timestamp timestamp,
                                  std::string_view source, TagList tags) {
  return dispatch(DataType::metric, 1, [&](std::string& out) {
    return format_delta_counter(out, name, value, timestamp, source, tags, format_);
  });
}

Status Sender::send_distribution(std::string_view name, Centroids centroids, GranularitySet granularities,
                                 Timestamp timestamp, std::string_view source, TagList tags) {
  return dispatch(DataType::distribution, granularity_count(granularities), [&](std::string& out) {
    return format_distribution(out, name, centroids, granularities, timestamp, source, tags, format_);
  });
}

Status Sender::send_span(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                         std::string_view source, std::string_view trace_id, std::string_view span_id,
                         Strings parents, Strings follows_from, TagList tags, SpanLogs span_logs) {
  t_lines.clear();
  t_span_logs.clear();
  Status status = format_span(t_lines, t_span_logs, name, start_ms, duration_ms, source, trace_id, span_id,
                              parents, follows_from, tags, span_logs, format_);
  return submit_span(std::move(status), !span_logs.empty());
}

Status Sender::send_span(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                         std::string_view source, Id128 trace_id, Id128 span_id, Id128 parent, TagList tags,
                         SpanLogs span_logs) {
  t_lines.clear();
  t_span_logs.clear();
  Status status = format::format_span_line_ids(t_lines, name, start_ms, duration_ms, source, trace_id,
                                               span_id, parent, tags, !span_logs.empty(), format_);
  if (status.ok() && !span_logs.empty()) {
    const std::string_view span_line(t_lines.data(), t_lines.size() - 1);  // without '\n'
    status = format::format_span_logs_line(t_span_logs, span_line, trace_id, span_id, span_logs, format_);
  }
  return submit_span(std::move(status), !span_logs.empty());
}

Status Sender::submit_span(Status status, bool has_span_logs) {
  if (!status.ok()) {
    Status refused = submit(FormattedLines{DataType::span, {}, 0, status});
    if (has_span_logs) submit(FormattedLines{DataType::span_log, {}, 0, std::move(status)});
    return refused;
  }
  Status span_status = submit(FormattedLines{DataType::span, t_lines, 1, Status()});
  if (t_span_logs.empty()) return span_status;
  Status logs_status = submit(FormattedLines{DataType::span_log, t_span_logs, 1, Status()});
  return span_status.ok() ? logs_status : span_status;
}

Status Sender::send_event(std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                          std::string_view source, TagList annotations, Strings tags) {
  return dispatch(DataType::event, 1, [&](std::string& out) {
    if (!events_as_json_)
      return format_event(out, name, start_ms, end_ms, source, annotations, tags, format_);
    Status status = format_event_json(out, name, start_ms, end_ms, source, annotations, tags, format_);
    if (status.ok()) out += '\n';  // JSON escapes newlines: one object per line
    return status;
  });
}

Status Sender::send(const MetricPoint& metric) {
  return send_metric(metric.name(), metric.value(), metric.timestamp(), metric.source(), metric.tags());
}

Status Sender::send(const DeltaPoint& counter) {
  return send_delta_counter(counter.name(), counter.value(), counter.timestamp(), counter.source(),
                            counter.tags());
}

Status Sender::send(const DistributionPoint& distribution) {
  return send_distribution(distribution.name(), distribution.centroids(), distribution.granularities(),
                           distribution.timestamp(), distribution.source(), distribution.tags());
}

Status Sender::send(const SpanPoint& span) {
  std::vector<SpanLog> logs;
  logs.reserve(span.logs().size());
  for (const auto& [timestamp_us, fields] : span.logs()) logs.emplace_back(timestamp_us, TagList(fields));
  return send_span(span.name(), span.start_ms(), span.duration_ms(), span.source(), span.trace_id(),
                   span.span_id(), span.parents(), span.follows_from(), span.tags(), logs);
}

Status Sender::send(const EventPoint& event) {
  return send_event(event.name(), event.start_ms(), event.end_ms(), event.source(), event.annotations(),
                    event.tags());
}

}  // namespace wavefront
