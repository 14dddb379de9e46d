// Writing what LineReader read where the proxy accepts more than this library's senders write
// (private): spans with ids that are not UUIDs or a `tag` key, span logs with or without their span,
// events with several hosts, none, or repeated annotation keys. Each line says what the proxy would
// store, in the senders' canonical spelling wherever that can say it.
#pragma once

#include <string>

#include "wavefront/format.h"
#include "wavefront/line_reader.h"

namespace wavefront::wire {

// A span line read from the wire, ending in '\n' (rolled back on refusal).
Status write_read_span(std::string& out, const ParsedSpan& span, const FormatOptions& options);

// A span-logs JSON line, ending in '\n'; `span_line` (without '\n') is written as "span" when the
// line had one.
Status write_read_span_logs(std::string& out, const ParsedLine& parsed, std::string_view span_line);

// An @Event line, ending in '\n'.
Status write_read_event(std::string& out, const ParsedLine& parsed);

}  // namespace wavefront::wire
