// A span line on its own, with or without the `_spanLogs` marker (private).
//
// format_span() writes the marker only when it also writes the span-logs line. The line reader needs
// the span line of a span read from the wire, whose span-logs line travels separately.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wavefront/format.h"
#include "wavefront/trace_context.h"

namespace wavefront::format {

// Appends one span line (rolled back on refusal), with `"_spanLogs"="true"` when has_span_logs.
Status format_span_line(std::string& out, std::string_view name, std::int64_t start_ms,
                        std::int64_t duration_ms, std::string_view source, std::string_view trace_id,
                        std::string_view span_id, Strings parents, Strings follows_from, TagList tags,
                        bool has_span_logs, const FormatOptions& options);

// The same span line with 128-bit ids (a tracer's): the ids are written as UUIDs from their bytes,
// with no text to check. `parent` empty: no parent. Byte for byte what format_span_line writes for
// the ids' UUID text.
Status format_span_line_ids(std::string& out, std::string_view name, std::int64_t start_ms,
                            std::int64_t duration_ms, std::string_view source, Id128 trace_id, Id128 span_id,
                            Id128 parent, TagList tags, bool has_span_logs, const FormatOptions& options);

// Appends the span-logs line of a span whose line (without its '\n') is `span_line` (rolled back on
// refusal).
Status format_span_logs_line(std::string& out, std::string_view span_line, Id128 trace_id, Id128 span_id,
                             SpanLogs span_logs, const FormatOptions& options);

// Appends span logs as the elements of a span-logs line's "logs" array
// ({"timestamp":<µs>,"fields":{...}},...). Refuses field text that is not UTF-8 and, when
// `require_positive_timestamps`, a timestamp that is not positive. Shared by the span formatter and
// the reader's canonical form.
Status append_span_log_entries(std::string& out, SpanLogs span_logs, bool require_positive_timestamps);

}  // namespace wavefront::format
