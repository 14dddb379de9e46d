// A strict parser of Wavefront wire lines, written from the wire-format contract (not from src/).
//
// Tests use it to judge every byte the library writes: it reads one line the way the Wavefront proxy
// reads it (quoted strings where only backslash-quote is an escape) and additionally refuses anything the
// contract says the library must never write (raw control characters, invalid UTF-8, doubled spaces,
// non-shortest numbers, upper-case ids, ...). Each refusal names the rule and the 1-based byte column.
//
//   auto parsed = wavefront::testing::parse_metric_line(R"("cpu" 1 source="h" "env"="prod")");
//   ASSERT_TRUE(parsed.ok()) << parsed.error();
//   EXPECT_EQ(parsed->tags[0].second, "prod");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace wavefront::testing {

// Key/value pairs in wire order, values as the proxy reads them back (`\"` already turned into `"`).
using KeyValues = std::vector<std::pair<std::string, std::string>>;

// `"<name>" <value> [<timestamp>] source="<source>" ["<key>"="<value>" ...]`
struct MetricLine {
  std::string name;
  double value = 0;
  std::string value_text;  // the number exactly as written
  std::optional<std::int64_t> timestamp;
  std::string source;
  KeyValues tags;
};

struct WireCentroid {
  std::int64_t count = 0;
  double mean = 0;
};

// `!M|!H|!D [<timestamp>] #<count> <mean> ... "<name>" source="<source>" [tags]`
struct DistributionLine {
  char granularity = 'M';  // 'M', 'H' or 'D'
  std::optional<std::int64_t> timestamp;
  std::vector<WireCentroid> centroids;
  std::string name;
  std::string source;
  KeyValues tags;
};

// `"<name>" source="<source>" traceId=<id> spanId=<id> [parent=<id>]* [followsFrom=<id>]* [tags] <start>
// <duration>`
struct SpanLine {
  std::string name;
  std::string source;
  std::string trace_id;
  std::string span_id;
  std::vector<std::string> parents;
  std::vector<std::string> follows_from;
  KeyValues tags;  // includes "_spanLogs" when present (it must then be the last tag)
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 0;
};

struct SpanLogRecord {
  std::int64_t timestamp = 0;
  KeyValues fields;  // JSON-unescaped, in order, repeats kept
};

// `{"traceId":"..","spanId":"..","logs":[{"timestamp":<int>,"fields":{..}},..],"span":".."}`
struct SpanLogsLine {
  std::string trace_id;
  std::string span_id;
  std::vector<SpanLogRecord> logs;
  std::string span_text;  // the embedded span line, JSON-unescaped
  SpanLine span;          // span_text parsed
};

// `@Event <start_ms> <end_ms> "<name>" ["<key>"="<value>" ...] host="<source>" [tag="<tag>" ...]`
struct EventLine {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string name;
  KeyValues annotations;
  std::string host;
  std::vector<std::string> tags;
};

enum class LineKind { metric, distribution, span, span_logs, event };

// One parsed line of any kind.
struct WireLine {
  LineKind kind = LineKind::metric;
  std::variant<MetricLine, DistributionLine, SpanLine, SpanLogsLine, EventLine> data;

  const MetricLine& metric() const { return std::get<MetricLine>(data); }
  const DistributionLine& distribution() const { return std::get<DistributionLine>(data); }
  const SpanLine& span() const { return std::get<SpanLine>(data); }
  const SpanLogsLine& span_logs() const { return std::get<SpanLogsLine>(data); }
  const EventLine& event() const { return std::get<EventLine>(data); }
};

// A parsed value, or a message saying what is wrong ("column 12: ...").
template <class T>
class ParseResult {
 public:
  ParseResult(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  static ParseResult failure(std::string message) {
    ParseResult result;
    result.error_ = std::move(message);
    return result;
  }

  bool ok() const { return value_.has_value(); }
  const std::string& error() const { return error_; }
  const T& value() const { return *value_; }
  const T& operator*() const { return *value_; }
  const T* operator->() const { return &*value_; }

 private:
  ParseResult() = default;
  std::optional<T> value_;
  std::string error_;
};

const char* line_kind_name(LineKind kind);

// Each parses exactly one line, given without its trailing newline.
ParseResult<MetricLine> parse_metric_line(std::string_view line);
ParseResult<DistributionLine> parse_distribution_line(std::string_view line);
ParseResult<SpanLine> parse_span_line(std::string_view line);
ParseResult<SpanLogsLine> parse_span_logs_line(std::string_view line);
ParseResult<EventLine> parse_event_line(std::string_view line);

// The kind the proxy would take a line for: `!M`/`!H`/`!D` → distribution, `@Event` → event,
// `{` → span logs, an unquoted `traceId=` token → span, anything else → metric.
LineKind detect_line_kind(std::string_view line);

// One line of the detected kind, or of `expected` (then a line of another kind is an error).
ParseResult<WireLine> parse_wire_line(std::string_view line, std::optional<LineKind> expected = std::nullopt);

// A buffer of lines, each ending in '\n' (an empty buffer is zero lines; an empty line is an error).
ParseResult<std::vector<WireLine>> parse_wire_lines(std::string_view text,
                                                    std::optional<LineKind> expected = std::nullopt);

}  // namespace wavefront::testing
