// A span line on its own, with or without the `_spanLogs` marker (private).
//
// format_span() writes the marker only when it also writes the span-logs line. The line reader needs
// the span line of a span read from the wire, whose span-logs line travels separately.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wavefront/format.h"

namespace wavefront::format {

// Appends one span line (rolled back on refusal), with `"_spanLogs"="true"` when has_span_logs.
Status format_span_line(std::string& out, std::string_view name, std::int64_t start_ms,
                        std::int64_t duration_ms, std::string_view source, std::string_view trace_id,
                        std::string_view span_id, Strings parents, Strings follows_from, TagList tags,
                        bool has_span_logs, const FormatOptions& options);

// Appends span logs as the elements of a span-logs line's "logs" array
// ({"timestamp":<µs>,"fields":{...}},...). Refuses field text that is not UTF-8 and, when
// `require_positive_timestamps`, a timestamp that is not positive. Shared by the span formatter and
// the reader's canonical form.
Status append_span_log_entries(std::string& out, SpanLogs span_logs, bool require_positive_timestamps);

}  // namespace wavefront::format
