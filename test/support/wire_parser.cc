// The line grammars of the strict wire parser (see wire_parser.h): metric, distribution, span,
// span-logs JSON and event lines, kind detection and splitting of a buffer into lines.
#include "support/wire_parser.h"

#include <algorithm>
#include <string>

#include "support/wire_lexer.h"

namespace wavefront::testing {
namespace {

using wire_detail::fail_at;
using wire_detail::Lexer;
using wire_detail::LineError;

constexpr std::int64_t kMaxCentroidCount = 2147483647;

// Runs `parse` on a lexer over `line` and turns a LineError into "column N: message".
template <class T, class Parse>
ParseResult<T> run(std::string_view line, Parse parse) {
  try {
    Lexer lexer(line);
    lexer.check_line();
    T result;
    parse(lexer, result);
    lexer.expect_end();
    return result;
  } catch (const LineError& error) {
    return ParseResult<T>::failure("column " + std::to_string(error.offset + 1) + ": " + error.message);
  }
}

bool contains_key(const KeyValues& tags, const std::string& key) {
  return std::any_of(tags.begin(), tags.end(), [&](const auto& tag) { return tag.first == key; });
}

// ` "<key>"="<value>"` repeated to the end of the line: point tags, unique keys, none reserved.
void point_tags(Lexer& lexer, KeyValues* tags) {
  while (!lexer.at_end()) {
    lexer.space();
    const std::size_t start = lexer.pos();
    std::string key = lexer.quoted_name("tag key");
    if (key == "source" || key == "host" || key == "tag") fail_at(start, "reserved tag key '" + key + "'");
    if (contains_key(*tags, key)) fail_at(start, "duplicate point tag key '" + key + "'");
    lexer.expect("=", "'=' after the tag key");
    std::string value = lexer.quoted_value("tag value");
    tags->emplace_back(std::move(key), std::move(value));
  }
}

// ` source="<source>"`
std::string source(Lexer& lexer, std::string_view key = "source=") {
  lexer.expect(key, std::string(key) + "\"...\"");
  return lexer.quoted_value("source");
}

void metric(Lexer& lexer, MetricLine& out) {
  out.name = lexer.quoted_name("metric name");
  lexer.space();
  const std::size_t value_start = lexer.pos();
  out.value = lexer.number("value");
  out.value_text = std::string(lexer.line().substr(value_start, lexer.pos() - value_start));
  lexer.space();
  if (lexer.peek() >= '0' && lexer.peek() <= '9') {
    out.timestamp = lexer.positive_integer("timestamp");
    lexer.space();
  }
  out.source = source(lexer);
  point_tags(lexer, &out.tags);
}

void distribution(Lexer& lexer, DistributionLine& out) {
  lexer.expect("!", "'!M', '!H' or '!D'");
  out.granularity = lexer.peek();
  if (out.granularity != 'M' && out.granularity != 'H' && out.granularity != 'D') {
    fail_at(lexer.pos(), "unknown granularity");
  }
  lexer.expect(std::string(1, out.granularity), "a granularity");
  lexer.space();
  if (lexer.peek() >= '0' && lexer.peek() <= '9') {
    out.timestamp = lexer.positive_integer("timestamp");
    lexer.space();
  }
  do {
    lexer.expect("#", "'#<count>'");
    const std::size_t start = lexer.pos();
    WireCentroid centroid;
    centroid.count = lexer.positive_integer("centroid count");
    if (centroid.count > kMaxCentroidCount) fail_at(start, "centroid count above 2^31-1");
    lexer.space();
    centroid.mean = lexer.number("centroid mean");
    lexer.space();
    out.centroids.push_back(centroid);
  } while (lexer.peek() == '#');
  out.name = lexer.quoted_name("distribution name");
  lexer.space();
  out.source = source(lexer);
  point_tags(lexer, &out.tags);
}

void span(Lexer& lexer, SpanLine& out) {
  out.name = lexer.quoted_value("span name");
  lexer.space();
  out.source = source(lexer);
  lexer.space();
  lexer.expect("traceId=", "traceId=<uuid>");
  out.trace_id = lexer.uuid("traceId");
  lexer.space();
  lexer.expect("spanId=", "spanId=<uuid>");
  out.span_id = lexer.uuid("spanId");
  while (true) {
    lexer.space();
    const std::size_t start = lexer.pos();
    if (lexer.accept("parent=")) {
      if (!out.follows_from.empty() || !out.tags.empty())
        fail_at(start, "parent= after followsFrom= or tags");
      out.parents.push_back(lexer.uuid("parent"));
    } else if (lexer.accept("followsFrom=")) {
      if (!out.tags.empty()) fail_at(start, "followsFrom= after tags");
      out.follows_from.push_back(lexer.uuid("followsFrom"));
    } else if (lexer.peek() == '"') {
      if (contains_key(out.tags, "_spanLogs")) fail_at(start, "tag after \"_spanLogs\"");
      std::string key = lexer.quoted_name("span tag key");
      if (std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        fail_at(start, "span tag key made only of digits");
      }
      for (const char* reserved : {"source", "host", "tag", "traceId", "spanId", "parent", "followsFrom"}) {
        if (key == reserved) fail_at(start, "reserved span tag key '" + key + "'");
      }
      lexer.expect("=", "'=' after the tag key");
      std::string value = lexer.quoted_value("span tag value");
      if (key == "_spanLogs" && value != "true") fail_at(start, "\"_spanLogs\" must be \"true\"");
      out.tags.emplace_back(std::move(key), std::move(value));
    } else {
      break;
    }
  }
  out.start_ms = lexer.positive_integer("start time");
  lexer.space();
  out.duration_ms = lexer.integer("duration");
}

void event(Lexer& lexer, EventLine& out) {
  lexer.expect("@Event", "'@Event'");
  lexer.space();
  out.start_ms = lexer.positive_integer("start time");
  lexer.space();
  const std::size_t end_start = lexer.pos();
  out.end_ms = lexer.positive_integer("end time");
  if (out.end_ms <= out.start_ms) fail_at(end_start, "end time not after the start time");
  lexer.space();
  out.name = lexer.quoted_value("event name");
  while (true) {
    if (lexer.at_end()) fail_at(lexer.pos(), "missing host=\"...\"");
    lexer.space();
    if (lexer.next_is("host=")) break;
    const std::size_t start = lexer.pos();
    std::string key = lexer.quoted_name("annotation key");
    if (key == "host" || key == "tag") fail_at(start, "reserved annotation key '" + key + "'");
    lexer.expect("=", "'=' after the annotation key");
    std::string value = lexer.quoted_value("annotation value");
    out.annotations.emplace_back(std::move(key), std::move(value));
  }
  out.host = source(lexer, "host=");
  while (!lexer.at_end()) {
    lexer.space();
    lexer.expect("tag=", "tag=\"...\"");
    out.tags.push_back(lexer.quoted_value("event tag"));
  }
}

// Strict JSON strings: only \" \\ \n \r \t and lower-case \u00XX for the other controls.
std::string json_string(Lexer& lexer, std::string_view what) {
  const std::size_t open = lexer.pos();
  lexer.expect("\"", "a JSON string for " + std::string(what));
  std::string value;
  while (true) {
    if (lexer.at_end()) fail_at(open, "unterminated JSON string for " + std::string(what));
    const std::size_t at = lexer.pos();
    const char c = lexer.peek();
    lexer.advance();
    if (c == '"') return value;
    if (static_cast<unsigned char>(c) < 0x20) fail_at(at, "raw control character in a JSON string");
    if (c != '\\') {
      value += c;
      continue;
    }
    if (lexer.at_end()) fail_at(at, "unterminated escape");
    const char escaped = lexer.peek();
    lexer.advance();
    if (escaped == '"' || escaped == '\\') {
      value += escaped;
    } else if (escaped == 'n' || escaped == 'r' || escaped == 't') {
      value += escaped == 'n' ? '\n' : escaped == 'r' ? '\r' : '\t';
    } else if (escaped == 'u') {
      unsigned code = 0;
      for (int i = 0; i < 4; ++i) {
        const char h = lexer.peek();
        const bool digit = h >= '0' && h <= '9';
        if (!digit && !(h >= 'a' && h <= 'f')) fail_at(lexer.pos(), "\\u needs four lower-case hex digits");
        code = code * 16 + static_cast<unsigned>(digit ? h - '0' : h - 'a' + 10);
        lexer.advance();
      }
      if (code >= 0x20 || code == '\n' || code == '\r' || code == '\t') {
        fail_at(at, "\\u escape for a character that must not be escaped that way");
      }
      value += static_cast<char>(code);
    } else {
      fail_at(at, "JSON escape not allowed here");
    }
  }
}

std::string json_uuid(Lexer& lexer, std::string_view what) {
  const std::size_t start = lexer.pos();
  std::string text = json_string(lexer, what);
  Lexer id(text);
  try {
    id.uuid(what);
    id.expect_end();
  } catch (const LineError& error) {
    fail_at(start, error.message);
  }
  return text;
}

void span_logs(Lexer& lexer, SpanLogsLine& out) {
  lexer.expect("{\"traceId\":", "'{\"traceId\":'");
  out.trace_id = json_uuid(lexer, "traceId");
  lexer.expect(",\"spanId\":", "',\"spanId\":'");
  out.span_id = json_uuid(lexer, "spanId");
  if (lexer.accept(",\"_spanSecondaryId\":")) json_string(lexer, "_spanSecondaryId");
  lexer.expect(",\"logs\":[", "',\"logs\":['");
  do {
    SpanLogRecord record;
    lexer.expect("{\"timestamp\":", "'{\"timestamp\":'");
    record.timestamp = lexer.integer("log timestamp", true);
    lexer.expect(",\"fields\":{", "',\"fields\":{'");
    if (!lexer.accept("}")) {
      do {
        std::string key = json_string(lexer, "field key");
        lexer.expect(":", "':' after a field key");
        std::string value = json_string(lexer, "field value");
        record.fields.emplace_back(std::move(key), std::move(value));
      } while (lexer.accept(","));
      lexer.expect("}", "'}' closing the fields");
    }
    lexer.expect("}", "'}' closing a log");
    out.logs.push_back(std::move(record));
  } while (lexer.accept(","));
  lexer.expect("],\"span\":", "'],\"span\":'");
  const std::size_t span_start = lexer.pos();
  out.span_text = json_string(lexer, "span");
  lexer.expect("}", "'}' closing the object");
  ParseResult<SpanLine> parsed = parse_span_line(out.span_text);
  if (!parsed.ok()) fail_at(span_start, "embedded span line: " + parsed.error());
  out.span = *parsed;
  if (out.span.trace_id != out.trace_id || out.span.span_id != out.span_id) {
    fail_at(span_start, "embedded span has other ids");
  }
  if (out.span.tags.empty() || out.span.tags.back().first != "_spanLogs") {
    fail_at(span_start, "embedded span lacks \"_spanLogs\"=\"true\"");
  }
}

}  // namespace

const char* line_kind_name(LineKind kind) {
  switch (kind) {
    case LineKind::metric:
      return "metric";
    case LineKind::distribution:
      return "distribution";
    case LineKind::span:
      return "span";
    case LineKind::span_logs:
      return "span_logs";
    case LineKind::event:
      return "event";
  }
  return "?";
}

ParseResult<MetricLine> parse_metric_line(std::string_view line) { return run<MetricLine>(line, metric); }
ParseResult<DistributionLine> parse_distribution_line(std::string_view line) {
  return run<DistributionLine>(line, distribution);
}
ParseResult<SpanLine> parse_span_line(std::string_view line) { return run<SpanLine>(line, span); }
ParseResult<SpanLogsLine> parse_span_logs_line(std::string_view line) {
  return run<SpanLogsLine>(line, span_logs);
}
ParseResult<EventLine> parse_event_line(std::string_view line) { return run<EventLine>(line, event); }

LineKind detect_line_kind(std::string_view line) {
  if (line.substr(0, 2) == "!M" || line.substr(0, 2) == "!H" || line.substr(0, 2) == "!D") {
    return LineKind::distribution;
  }
  if (line.substr(0, 6) == "@Event") return LineKind::event;
  if (line.substr(0, 1) == "{") return LineKind::span_logs;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (quoted) {
      if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '"') {
        ++i;
      } else if (line[i] == '"') {
        quoted = false;
      }
    } else if (line[i] == '"') {
      quoted = true;
    } else if ((i == 0 || line[i - 1] == ' ') && line.substr(i, 8) == "traceId=") {
      return LineKind::span;
    }
  }
  return LineKind::metric;
}

ParseResult<WireLine> parse_wire_line(std::string_view line, std::optional<LineKind> expected) {
  const LineKind detected = detect_line_kind(line);
  if (expected && *expected != detected) {
    return ParseResult<WireLine>::failure(std::string("expected a ") + line_kind_name(*expected) +
                                          " line, found what the proxy reads as a " +
                                          line_kind_name(detected) + " line");
  }
  WireLine result;
  result.kind = detected;
  auto wrap = [&](auto parsed) -> ParseResult<WireLine> {
    if (!parsed.ok()) return ParseResult<WireLine>::failure(parsed.error());
    result.data = *parsed;
    return result;
  };
  switch (detected) {
    case LineKind::metric:
      return wrap(parse_metric_line(line));
    case LineKind::distribution:
      return wrap(parse_distribution_line(line));
    case LineKind::span:
      return wrap(parse_span_line(line));
    case LineKind::span_logs:
      return wrap(parse_span_logs_line(line));
    case LineKind::event:
      return wrap(parse_event_line(line));
  }
  return ParseResult<WireLine>::failure("unknown line kind");
}

ParseResult<std::vector<WireLine>> parse_wire_lines(std::string_view text, std::optional<LineKind> expected) {
  using Result = ParseResult<std::vector<WireLine>>;
  std::vector<WireLine> lines;
  if (text.empty()) return lines;
  if (text.back() != '\n') return Result::failure("the buffer does not end with a newline");
  std::size_t number = 1;
  for (std::size_t start = 0; start < text.size(); ++number) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end - start);
    if (line.empty()) return Result::failure("line " + std::to_string(number) + ": empty line");
    ParseResult<WireLine> parsed = parse_wire_line(line, expected);
    if (!parsed.ok()) return Result::failure("line " + std::to_string(number) + ": " + parsed.error());
    lines.push_back(*parsed);
    start = end + 1;
  }
  return lines;
}

}  // namespace wavefront::testing
