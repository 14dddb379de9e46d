// The sender interface: what application code calls to send data, whichever client is behind it.
//
// `ProxyClient` (raw TCP to a Wavefront proxy) and the HTTP clients implement it, so code written
// against `Sender&` works with any of them. Sends validate and format on the caller's thread, append
// the line to a bounded in-memory queue and return at once; a background thread delivers. A send
// never blocks on the network and never throws. Its Status says whether the point was refused
// (invalid input: nothing else is affected), dropped (queue full, sender closed, data type not
// configured), or accepted for delivery. Every point ends up delivered or counted under a reason
// in `stats()`.
//
// Every point goes through one non-virtual path: the typed `send(point)` and the positional
// `send_*` calls format the point once on the caller's thread, then hand the finished lines to the
// implementation's single override, `submit` (so adding a data type touches sender.cc alone).
//
// Thread-safety: every method may be called from any number of threads concurrently.
// fork() and exit(): see queued_sender.h (the clients) and docs/design.md, "Lifecycle".
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "wavefront/export.h"
#include "wavefront/format.h"
#include "wavefront/points.h"
#include "wavefront/status.h"
#include "wavefront/trace_context.h"
#include "wavefront/types.h"

namespace wavefront {

// The five kinds of data, each with its own queue and counters.
enum class DataType : std::uint8_t { metric, distribution, span, span_log, event };
inline constexpr std::size_t kDataTypeCount = 5;

// The data type's name wherever the library and wfsend print one (logs, stats, `wfsend listen`,
// `wfsend import`'s summary): "metric", "distribution", "span", "span_logs", "event", the same words
// as line_kind_name() (line_reader.h). Self-metric names keep the spec's "points", "histograms", ...
WAVEFRONT_API std::string_view data_type_name(DataType type) noexcept;

// Why accepted data was not delivered.
enum class DropReason : std::uint8_t {
  queue_full,       // the data type's queue was at its item or byte bound
  closed,           // sent after close()
  not_configured,   // no destination for this data type (e.g. no tracing port)
  rejected,         // the receiver refused the batch for good (HTTP 400)
  expired,          // retried for longer than the maximum retry age
  unsent_at_close,  // still queued when close()'s deadline passed
  too_large,        // one item larger than the whole queue may hold (max_queue_items/max_queue_bytes)
};
inline constexpr std::size_t kDropReasonCount = 7;

WAVEFRONT_API std::string_view drop_reason_name(DropReason reason) noexcept;

// Counters for one data type. Items are wire lines (a distribution sent for two granularities is
// two lines). At every moment: accepted == delivered + queued + dropped.
struct TypeStats {
  std::uint64_t accepted = 0;   // passed validation
  std::uint64_t invalid = 0;    // refused by validation (not part of `accepted`)
  std::uint64_t delivered = 0;  // written to the proxy's socket, or acknowledged with HTTP 2xx
  std::uint64_t queued = 0;     // waiting in memory, including batches being retried
  std::uint64_t queued_bytes = 0;
  std::uint64_t dropped = 0;  // sum of dropped_by_reason
  std::array<std::uint64_t, kDropReasonCount> dropped_by_reason{};
  std::uint64_t report_errors = 0;  // failed delivery attempts (each retried or dropped)
  // Raw TCP only (always zero over HTTP). When a connection breaks, the lines the proxy's TCP never
  // acknowledged are written again on the next connection and counted here (a line the proxy did
  // receive although its acknowledgement had not arrived yet then arrives twice).
  std::uint64_t resent = 0;
  // Raw TCP only (always zero over HTTP): delivered lines that a broken connection may have lost.
  // Those the proxy's TCP acknowledged but, judging by the receive window it last advertised, may
  // not yet have handed to the proxy process; plus lines owed a resend that could not be re-sent
  // (resend_window_bytes overflowed, or the client closed first). An estimate: see docs/design.md,
  // "What the protocols cannot promise".
  std::uint64_t possibly_lost = 0;
  std::uint64_t capacity_items = 0;  // the queue's bounds, for remaining-capacity gauges
  std::uint64_t capacity_bytes = 0;
  std::map<int, std::uint64_t> responses;  // HTTP status code -> requests answered with it
};

struct SenderStats {
  // The user's data, per data type: every line the application sent, and only those (40,000 metrics
  // sent, 40,000 accepted).
  std::array<TypeStats, kDataTypeCount> types{};
  // The library's own self-metrics (~sdk.cpp.core.sender.*, every self_metrics_interval), sent as
  // metrics through a queue of their own and counted only here. HTTP `responses` and the raw TCP
  // estimates (`resent`, `possibly_lost`) stay per destination in `types[metric]`.
  TypeStats self_metrics;
  std::uint64_t connects = 0;  // connections opened (TCP) — reconnects included
  const TypeStats& operator[](DataType type) const { return types[static_cast<std::size_t>(type)]; }
};

// What flush() and close() achieved before their deadline.
struct FlushResult {
  Status status;                 // ok, or timeout
  std::uint64_t items_left = 0;  // lines still queued when the call returned
  bool ok() const noexcept { return status.ok(); }
};

// What a typed send hands to an implementation: the lines one call formatted for one data type.
struct FormattedLines {
  DataType type = DataType::metric;
  // Whole wire lines, each ending in '\n' (direct-ingestion events: one JSON object per line). Empty
  // when `status` is a refusal, or for a delta counter of 0 (valid; nothing to send).
  std::string_view lines;
  std::size_t items = 0;  // how many lines `lines` holds (the formatter's count, never re-scanned)
  Status status;          // ok, or why the point was refused (count it as invalid)
};

class WAVEFRONT_API Sender {
 public:
  virtual ~Sender() = default;
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // The typed points of points.h: required fields in the constructor, optional ones by name.
  Status send(const MetricPoint& metric);
  Status send(const DeltaPoint& counter);
  Status send(const DistributionPoint& distribution);
  Status send(const SpanPoint& span);
  Status send(const EventPoint& event);

  // The Python SDK's positional calls. A metric value (gauge or counter); timestamp: {} for "now",
  // epoch seconds, or a std::chrono::system_clock::time_point (milliseconds kept); an empty source
  // is the configured default source.
  Status send_metric(std::string_view name, double value, Timestamp timestamp = {},
                     std::string_view source = {}, TagList tags = {});
  // A delta counter increment; 0 sends nothing, negative is refused.
  Status send_delta_counter(std::string_view name, double value, Timestamp timestamp = {},
                            std::string_view source = {}, TagList tags = {});
  // A distribution (histogram) for one or more granularities.
  Status send_distribution(std::string_view name, Centroids centroids, GranularitySet granularities,
                           Timestamp timestamp = {}, std::string_view source = {}, TagList tags = {});
  // A span, with its span logs if any (sent as a separate span-logs line).
  Status send_span(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                   std::string_view source, std::string_view trace_id, std::string_view span_id,
                   Strings parents = {}, Strings follows_from = {}, TagList tags = {},
                   SpanLogs span_logs = {});
  // The same span with its ids as 128-bit values (trace_context.h), as a tracer holds them: they are
  // written as UUIDs straight from their bytes, with no text to format and check. `parent` empty:
  // a root span. The lines on the wire are the ones the string form sends for the same ids.
  Status send_span(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                   std::string_view source, Id128 trace_id, Id128 span_id, Id128 parent, TagList tags = {},
                   SpanLogs span_logs = {});
  // An event; end_ms 0 makes an instant event.
  Status send_event(std::string_view name, std::int64_t start_ms, std::int64_t end_ms = 0,
                    std::string_view source = {}, TagList annotations = {}, Strings tags = {});

  // Delivers everything queued before the call, waiting up to `timeout`.
  virtual FlushResult flush(std::chrono::milliseconds timeout) = 0;
  // Stops accepting data, delivers everything queued within `timeout` (what is left is dropped as
  // unsent_at_close), stops the background thread and closes connections. Idempotent and safe from
  // several threads at once: every caller gets the first close's result, waiting for it at most until
  // its own deadline (plus ~100 ms); an earlier deadline also shortens the close under way.
  virtual FlushResult close(std::chrono::milliseconds timeout) = 0;

  // Points that did not make it: invalid + dropped + failed delivery attempts, all data types.
  virtual std::uint64_t failure_count() const = 0;
  // A consistent snapshot of the counters.
  virtual SenderStats stats() const = 0;

  // How this sender formats: limits and default source, and whether events are JSON objects.
  const FormatOptions& format_options() const noexcept { return format_; }
  bool events_as_json() const noexcept { return events_as_json_; }

 protected:
  explicit Sender(FormatOptions options = default_format_options(), bool events_as_json = false);

  // The one method an implementation overrides: the lines one typed send formatted, for one data
  // type (a span with logs makes two calls: span, then span_log), or its refusal. Called on the
  // sending thread; must be thread-safe.
  virtual Status submit(const FormattedLines& lines) = 0;
  // Lets a sender that wraps others (MultiSender) hand them lines it formatted.
  static Status submit_to(Sender& target, const FormattedLines& lines) { return target.submit(lines); }

 private:
  // The one dispatch: formats on this thread, then submits (a refusal is submitted too).
  template <class Format>
  Status dispatch(DataType type, std::size_t items, Format&& format);
  // Submits a formatted span (and its span-logs line), or its refusal, for both send_span forms.
  Status submit_span(Status status, bool has_span_logs);

  FormatOptions format_;
  bool events_as_json_;
};

}  // namespace wavefront
