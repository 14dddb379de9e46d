// Turning application data into Wavefront wire lines: one pure function per data type.
//
// Each function validates and sanitizes its arguments exactly as the wire-format contract says, then
// appends the finished line(s), each ending in '\n', to a caller-supplied `std::string`. On refusal it
// appends nothing and returns the error code and a message naming the field, the rule and the
// offending value. The senders call these on the caller's thread; tools and tests call them directly:
//
//   std::string out;
//   wavefront::Status status = wavefront::format_metric(out, "cpu.usage", 42.5, std::nullopt,
//                                                       "host-01", {{"env", "prod"}});
//   // out == "\"cpu.usage\" 42.5 source=\"host-01\" \"env\"=\"prod\"\n"
//
// At the end, two helpers for programs that read data meant for Wavefront and report on it: the
// library's quoting of offending values and its reading of timestamps by magnitude.
//
// Once `out` has capacity, formatting allocates nothing. No function here throws except on memory
// exhaustion.
//
// Thread-safety: all functions are reentrant; a FormatOptions may be shared between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wavefront/export.h"
#include "wavefront/status.h"
#include "wavefront/types.h"

namespace wavefront {

// Size limits, in UTF-16 code units as the proxy measures them. Defaults are Wavefront's documented
// customer limits; raise them only if your cluster's limits were raised.
struct Limits {
  std::size_t max_name_length = 256;              // metric and distribution names
  std::size_t max_source_length = 128;            // sources of points, distributions and spans
  std::size_t max_point_tags = 20;                // point tags per metric or distribution
  std::size_t max_tag_key_length = 64;            // point tag key
  std::size_t max_tag_value_length = 255;         // point tag value
  std::size_t max_tag_length = 254;               // point tag key + value
  std::size_t max_span_name_length = 128;         // span name
  std::size_t max_span_annotations = 50;          // span tags + parents + follows-from + _spanLogs
  std::size_t max_span_tag_key_length = 128;      // span tag key
  std::size_t max_span_tag_value_length = 128;    // span tag value
  std::size_t max_span_logs_line_length = 32768;  // one span-logs JSON line
};

// The machine's host name (cached after the first call); the default source.
WAVEFRONT_API const std::string& local_host_name();

// What every format call needs besides its arguments.
struct FormatOptions {
  Limits limits;
  // Used when a call's source is empty or blank. If this is empty too, such calls are refused
  // with invalid_source.
  std::string default_source = local_host_name();
};

// Shared default options (customer limits, host name as the default source).
WAVEFRONT_API const FormatOptions& default_format_options();

// A metric (gauge or counter value). A name that already starts with `∆` or `Δ` is a delta counter
// to the proxy, so its value must be > 0 (negative_delta otherwise).
WAVEFRONT_API Status format_metric(std::string& out, std::string_view name, double value, Timestamp timestamp,
                                   std::string_view source, TagList tags,
                                   const FormatOptions& options = default_format_options());

// A delta counter: the name gets the `∆` prefix unless it has `∆` or `Δ` already. A value of 0
// appends nothing and is not an error; a negative value is refused with negative_delta.
WAVEFRONT_API Status format_delta_counter(std::string& out, std::string_view name, double value,
                                          Timestamp timestamp, std::string_view source, TagList tags,
                                          const FormatOptions& options = default_format_options());

// A distribution: one line per granularity, centroids in the caller's order with adjacent equal
// means merged and zero counts skipped.
WAVEFRONT_API Status format_distribution(std::string& out, std::string_view name, Centroids centroids,
                                         GranularitySet granularities, Timestamp timestamp,
                                         std::string_view source, TagList tags,
                                         const FormatOptions& options = default_format_options());

// A span: its line goes to `span_out`; when `span_logs` is not empty the span carries
// `"_spanLogs"="true"` and one span-logs JSON line goes to `span_logs_out`. Ids are canonical
// 8-4-4-4-12 UUIDs (either case accepted; written lower-case). Span tags may repeat a key.
WAVEFRONT_API Status format_span(std::string& span_out, std::string& span_logs_out, std::string_view name,
                                 std::int64_t start_ms, std::int64_t duration_ms, std::string_view source,
                                 std::string_view trace_id, std::string_view span_id, Strings parents,
                                 Strings follows_from, TagList tags, SpanLogs span_logs,
                                 const FormatOptions& options = default_format_options());

// An event as the `@Event` line a proxy accepts. An end time of 0 or not after the start becomes
// start + 1 (an instant event).
WAVEFRONT_API Status format_event(std::string& out, std::string_view name, std::int64_t start_ms,
                                  std::int64_t end_ms, std::string_view source, TagList annotations,
                                  Strings tags, const FormatOptions& options = default_format_options());

// The same event as the JSON body of one direct-ingestion `POST /api/v2/event` (no trailing newline).
WAVEFRONT_API Status format_event_json(std::string& out, std::string_view name, std::int64_t start_ms,
                                       std::int64_t end_ms, std::string_view source, TagList annotations,
                                       Strings tags, const FormatOptions& options = default_format_options());

// Helpers for programs that read data meant for Wavefront and report on it (wfsend's importers do).

// A short, printable rendering of an offending value for an error message: quoted, at most 48 code
// points (a longer value is cut and followed by `... (N bytes)`), quotes and backslashes escaped, control
// characters and invalid UTF-8 bytes shown as \xNN. The library's own error messages quote values this way.
WAVEFRONT_API std::string quote_for_message(std::string_view value);

// The timestamp a Wavefront proxy reads from a number on a line, by magnitude: below 10^12 seconds
// (a fraction kept to the millisecond, truncated), below 10^13 milliseconds, below 10^16
// microseconds, else nanoseconds. Whole seconds stay seconds; everything else becomes milliseconds.
// Check that the number is finite first (the result of a non-finite one is unspecified).
WAVEFRONT_API Timestamp timestamp_by_magnitude(double number) noexcept;

}  // namespace wavefront
