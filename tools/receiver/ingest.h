// Validating received lines for `wfsend listen`: one LineReader for the whole receiver, the kinds of
// line a port or an HTTP request admits, and the report printed for each refusal.
//
// Connections and HTTP sessions call LineIngester::ingest for every line they split out; it validates
// the line as the proxy would (the library's strict reader), appends its canonical form to the
// caller's output (the output buffer for TCP, the request's staging for HTTP) and counts it in the
// caller's Tally. A refused line is reported on stderr as
//   listen: <origin>: line N: column C: <code>: <message>
// (rate-limited) and counted as rejected under the kind it was read as.
//
// Thread-safety: not thread-safe; owned and used by the receiver's event-loop thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "receiver/options.h"
#include "receiver/output.h"
#include "receiver/stats.h"
#include "wavefront/line_reader.h"
#include "wavefront/status.h"

namespace wfreceiver {

// Which lines a port or a request admits.
enum class LineFilter : std::uint8_t {
  any,           // the push port: each line's kind is detected
  metric,        // f=wavefront
  distribution,  // the distribution port, f=histogram
  tracing,       // the tracing port: spans and span logs
  span,          // f=trace
  span_logs,     // f=spanLogs
  event,         // f=event
};

// The filter for an HTTP `f=` (or `format=`) value, or nullopt for a value the receiver does not know.
std::optional<LineFilter> filter_for_format(std::string_view format) noexcept;

// Where lines come from: the default source for lines without one (the peer's address, as the proxy
// uses) and the label that starts each report ("127.0.0.1:50312", "127.0.0.1:50312 request 2").
struct Origin {
  std::string_view source;
  std::string_view label;
};

class LineIngester {
 public:
  LineIngester(const ReceiverOptions& options, Diagnostics& diagnostics);

  // Reads one line (without its '\n'). Blank lines are skipped uncounted, as the proxy does.
  // Accepted: its canonical form is appended to *out (unless out is null) and counted in tally.
  void ingest(std::string_view line, std::uint64_t number, LineFilter filter, const Origin& origin,
              std::string* out, Tally& tally, Diagnostics::Clock::time_point now);
  // Refuses a line without reading it (too long, unterminated): reported and counted like a bad line.
  void refuse(std::string_view line_start, std::uint64_t number, LineFilter filter, const Origin& origin,
              wavefront::ErrorCode code, std::size_t column, std::string_view message, Tally& tally,
              Diagnostics::Clock::time_point now);
  // Reports a problem that is not about one line ("listen: <label>: <message>"), rate-limited.
  void report(const Origin& origin, std::string_view message, Diagnostics::Clock::time_point now);

  // The kind a line counts under when refused: the filter's, or the detected one.
  static wavefront::LineKind counted_kind(std::string_view line, LineFilter filter) noexcept;
  // The kind to pass to LineReader::read (nullopt: detect).
  static std::optional<wavefront::LineKind> expected_kind(std::string_view line, LineFilter filter) noexcept;

  Diagnostics& diagnostics() noexcept { return diagnostics_; }
  // Format options whose default source is `source` (for events received as JSON).
  const wavefront::FormatOptions& format_options(std::string_view source);

 private:
  void use_source(std::string_view source);

  wavefront::LineReader reader_;
  Diagnostics& diagnostics_;
  std::string current_source_;
  wavefront::FormatOptions format_options_;
  std::string message_;
};

}  // namespace wfreceiver
