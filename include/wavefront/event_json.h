// Reading a direct-ingestion event (the JSON body of Wavefront's `POST /api/v2/event`) and writing it
// as the canonical `@Event` line. Receivers call this once per request body: `wfsend listen`'s HTTP
// session does (tools/receiver/), and so may any program that accepts events as JSON.
//
// The body is one object: {"name":..., "startTime":ms, "endTime":ms, "annotations":{...},
// "hosts":[...], "tags":[...]}. name and startTime are required; endTime 0 or absent makes an instant
// event; unknown members are ignored, as the service does. Members of the wrong type, or more than one
// host (an `@Event` line carries one source), are refused with malformed_line and a message naming the
// member; JSON that does not parse is refused naming the byte. The event is then validated and written
// by format_event (format.h), so the rules are the library's:
//
//   std::string out;
//   wavefront::Status status = wavefront::event_line_from_json(out, R"({"name":"deploy","startTime":5})",
//                                                           wavefront::default_format_options());
//
// Thread-safety: reentrant; a FormatOptions may be shared between threads.
#pragma once

#include <string>
#include <string_view>

#include "wavefront/export.h"
#include "wavefront/format.h"
#include "wavefront/status.h"

namespace wavefront {

// Appends the event's `@Event` line (with '\n') to `out`, or appends nothing and returns why the body
// is refused.
WAVEFRONT_API Status event_line_from_json(std::string& out, std::string_view json,
                                          const FormatOptions& options);

}  // namespace wavefront
