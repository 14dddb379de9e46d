// Reading lines in the Wavefront data format the way the proxy reads them, and writing them back in
// the canonical form this library sends.
//
// `wfsend lint`, `wfsend listen` and `wfsend import --format lines` are built on it; applications call
// it to check lines they did not write with the formatters (a config file, a relayed stream). The
// grammar is the proxy's, not just what this library writes: unquoted names and values, tags in any
// order, `host=` for `source=`, several blanks between tokens, millisecond/microsecond/nanosecond
// timestamps, a span's end time in place of its duration. Anything the proxy would refuse (an illegal
// character in a name or tag key, a non-number value, a limit exceeded) is refused with the
// contract's error code, a message naming the field and the rule, and the 1-based character column.
//
//   wavefront::LineReader reader;
//   if (wavefront::Status status = reader.read("cpu.usage 42.5 host=web-1 env=prod"); !status.ok())
//     std::cerr << reader.error_column() << ": " << status.message() << "\n";
//   else
//     std::cout << reader.canonical();  // "\"cpu.usage\" 42.5 source=\"web-1\" \"env\"=\"prod\"\n"
//
// Once warm (its buffers grown to the longest line seen), reading allocates nothing on success.
//
// Thread-safety: a LineReader is not thread-safe; use one per thread. The views in parsed() point into
// the line passed to read() and into the reader, and stay valid until the next read().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wavefront/export.h"
#include "wavefront/format.h"
#include "wavefront/sender.h"
#include "wavefront/status.h"
#include "wavefront/types.h"

namespace wavefront {
namespace wire {
struct Token;
}

// What a line holds. Detected from its first bytes as the proxy's push port does: `!M`/`!H`/`!D` a
// distribution, `@Event` an event, `{` span logs, a `traceId=` tag a span, anything else a metric.
enum class LineKind : std::uint8_t { metric, distribution, span, span_logs, event };
inline constexpr std::size_t kLineKindCount = 5;

// "metric", "distribution", "span", "span_logs", "event".
WAVEFRONT_API std::string_view line_kind_name(LineKind kind) noexcept;
// The sender data type a line of this kind is counted under.
WAVEFRONT_API DataType line_data_type(LineKind kind) noexcept;
// The kind a line would be read as (without reading it).
WAVEFRONT_API LineKind detect_line_kind(std::string_view line) noexcept;

// Something the proxy accepts but a correct SDK would not write (a non-UUID id, `host=` for
// `source=`, a span tag value the proxy truncates, ...). `wfsend lint` prints them; `--strict` makes
// them errors. The rules are listed in docs/reading-rules.md.
struct ReadWarning {
  std::string_view rule;  // a stable name, e.g. "non-uuid-id"
  std::string message;
  std::size_t column = 0;  // 1-based character column
};

// A span as read from a span line, or from the "span" member of a span-logs line.
struct ParsedSpan {
  std::string_view name;
  std::string_view source;    // empty when the line has none (then the reader's default source)
  std::string_view trace_id;  // UUIDs, or any other text the proxy takes (a warning)
  std::string_view span_id;
  std::vector<std::string_view> parents;
  std::vector<std::string_view> follows_from;
  std::vector<Tag> tags;       // without `_spanLogs`, repeats kept
  bool has_span_logs = false;  // the line carried "_spanLogs"="true"
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 0;  // an end time on the wire is turned into a duration
};

// The fields of the last line read. Only the members of its kind are meaningful.
struct ParsedLine {
  LineKind kind = LineKind::metric;

  // metric, distribution, event
  std::string_view name;
  std::string_view source;  // empty when the line has none (event: its `host=`)
  std::vector<Tag> tags;    // point tags; an event's annotations
  Timestamp timestamp;      // metric and distribution, seconds or milliseconds as the proxy stores it

  // metric: `delta` is true when the name starts with `∆` or `Δ`
  double value = 0;
  bool delta = false;

  // distribution
  GranularitySet granularities;
  std::vector<Centroid> centroids;

  // span, span_logs (the span embedded in the JSON)
  ParsedSpan span;

  // span_logs
  bool has_span = true;                // false: span logs without a "span" member (or null)
  std::string_view trace_id, span_id;  // the span-logs line's own ids (they may differ from the span's)
  std::string_view span_secondary_id;  // "_spanSecondaryId" / "spanSecondaryId", empty when absent
  std::vector<SpanLog> logs;           // fields view log_fields

  // event (start and end in milliseconds, as the proxy stores them; `source` is the first host)
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::vector<std::string_view> event_tags;
  std::vector<std::string_view> hosts;  // every host= in line order; empty when none

  std::vector<Tag> log_fields;  // storage behind logs[i].fields
};

// How lines are read.
struct LineReaderOptions {
  // Limits and the source written for lines that have none (`source=`/`host=` missing). The proxy
  // uses the sending host's address there; wfsend listen sets the peer address per connection.
  FormatOptions format;
  // Longer lines are refused with line_too_long before any parsing (the proxy's push-port limit
  // is 32 768 characters; 1 MiB covers its tracing ports).
  std::size_t max_line_length = std::size_t{1024} * 1024;
};

class WAVEFRONT_API LineReader {
 public:
  explicit LineReader(LineReaderOptions options = LineReaderOptions());
  ~LineReader();
  LineReader(LineReader&&) noexcept;
  LineReader& operator=(LineReader&&) noexcept;

  // Reads one line, given without its '\n' (a trailing '\r' is ignored). When `expected` is set, a
  // line of another kind is refused with malformed_line (a tracing port that receives a metric).
  // Returns ok, or the refusal; error_column() then says where.
  Status read(std::string_view line, std::optional<LineKind> expected = std::nullopt);

  // The last line read successfully.
  const ParsedLine& parsed() const noexcept { return parsed_; }
  // Its canonical form as this library's formatters write it, ending in '\n' (a span-logs line gives
  // its span-logs JSON line only).
  std::string_view canonical() const noexcept { return canonical_; }
  // 1-based character (code point) column of the last refusal; 0 after a success.
  std::size_t error_column() const noexcept { return error_column_; }
  // What the last line did that the proxy accepts but a correct SDK would not (after a success).
  const std::vector<ReadWarning>& warnings() const noexcept { return warnings_; }

  // Sends the last line read through a sender's typed call (a span-logs line sends its span together
  // with its logs, which writes both lines again). The sender's rules apply: what the proxy accepts
  // beyond them (non-UUID ids, span logs without their span, several event hosts or repeated
  // annotation keys) is refused rather than changed.
  Status send_to(Sender& sender) const;

  const LineReaderOptions& options() const noexcept { return options_; }
  // Changes the source used for lines without one (e.g. per connection).
  void set_default_source(std::string_view source) { options_.format.default_source.assign(source); }

 private:
  // Where each field of the last line started (byte offsets), to point refusals at a column.
  struct FieldOffsets {
    std::size_t name = 0, value = 0, timestamp = 0, source = 0, end = 0;
    std::vector<std::size_t> tags;         // parallel to parsed().tags / span.tags
    std::vector<std::size_t> annotations;  // a span's annotations in line order; an event's tags
    std::size_t trace_id = 0, span_id = 0;
    std::vector<std::size_t> parents, follows_from;
  };

  Status fail(ErrorCode code, std::size_t byte_offset, std::string message);
  void warn(std::string_view rule, std::size_t byte_offset, std::string message);
  Status read_span_times(const wire::Token& start, const wire::Token& second, ParsedSpan& span);
  Status read_kind(std::optional<LineKind> expected);
  Status read_metric();
  Status read_distribution();
  Status read_point_tags(std::size_t first_token);
  Status read_point_timestamp(const wire::Token& token);
  Status read_number(const wire::Token& token, std::string_view field, double& value);
  Status check_name(std::string_view name, std::size_t token_offset, ErrorCode code, std::string_view field);
  Status read_span_tokens(std::size_t first_token, ParsedSpan& span);
  Status read_span_logs();
  Status read_event();
  Status canonicalize();
  std::size_t locate(const Status& status);

  LineReaderOptions options_;
  std::string_view line_;
  ParsedLine parsed_;
  std::string canonical_;
  std::string scratch_;  // unescaped strings; reserved to the line's length so views stay valid
  std::string discard_;
  std::size_t error_column_ = 0;
  std::vector<ReadWarning> warnings_;
  std::size_t span_text_offset_ = 0;  // span logs: where the embedded span's JSON string starts
  FieldOffsets offsets_;
  struct Tokens;
  std::unique_ptr<Tokens> tokens_;  // the tokenizer's output and the JSON parser, reused
};

}  // namespace wavefront
