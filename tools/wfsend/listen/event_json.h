// Turning the JSON body of a direct-ingestion `POST /api/v2/event` into the canonical `@Event` line,
// for `wfsend listen` (its HTTP session calls this once per request).
//
// The body is one object: {"name":..., "startTime":ms, "endTime":ms, "annotations":{...},
// "hosts":[...], "tags":[...]}. name and startTime are required; endTime 0 or absent makes an instant
// event; unknown members are ignored, as the service does. Members of the wrong type, or more than one
// host (an `@Event` line written by this library carries one), are refused with malformed_line. The
// event is then validated and written by wavefront::format_event, so the rules are the library's.
//
// Thread-safety: reentrant; the parser passed in is not thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "wavefront/format.h"
#include "wavefront/status.h"
#include "wavefront/wire/json.h"

namespace wfsend::listen {

// Appends the event's `@Event` line (with '\n') to `out`, or returns why the body is refused.
wavefront::Status event_line_from_json(std::string_view body, wavefront::json::JsonParser& parser,
                                       const wavefront::FormatOptions& options, std::string& out);

}  // namespace wfsend::listen
