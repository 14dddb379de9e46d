// Trace and span identities, the context a span hands to its children, and its propagation in headers.
//
// A `SpanContext` is what crosses a process boundary: the trace id, the span id, the sampling
// decision and the baggage. `Tracer::inject` writes it into the headers of an outgoing request and
// `Tracer::extract` reads it back on the other side, through two one-method interfaces that any HTTP
// library can adapt to (`HeaderWriter`, `HeaderReader`); `HeaderMap` is a ready-made carrier:
//
//   wavefront::HeaderMap headers;
//   tracer.inject(span.context(), headers);             // traceparent: 00-<trace>-<span>-01
//   ... send the request with headers.items() ...
//   auto parent = tracer.extract(request_headers);      // invalid when absent or malformed
//   auto span = tracer.start_span("handle", parent);    // a new trace when parent is invalid
//
// Formats: W3C Trace Context (`traceparent`, `tracestate`), B3 single (`b3`) and B3 multi
// (`X-B3-TraceId`, `X-B3-SpanId`, `X-B3-ParentSpanId`, `X-B3-Sampled`, `X-B3-Flags`), with baggage in
// the W3C `baggage` header for every format. Ids map to Wavefront UUIDs bit for bit: a 128-bit trace id
// is the UUID's 32 hex digits; a 64-bit id (span ids, 16-digit B3 trace ids) is the UUID
// `00000000-0000-0000-xxxx-xxxxxxxxxxxx` (docs/tracing.md). Malformed headers never throw: extraction
// gives an invalid context, and the span started from it begins a new trace.
//
// Thread-safety: Id128 and SpanContext are values; HeaderMap is not synchronised. Nothing here keeps
// state, so fork and exit need no care.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wavefront/export.h"

namespace wavefront {

// A 128-bit id; zero is "no id". As a Wavefront UUID, `high` is the first 16 hex digits.
struct Id128 {
  std::uint64_t high = 0;
  std::uint64_t low = 0;

  bool empty() const noexcept { return high == 0 && low == 0; }
  friend bool operator==(Id128 left, Id128 right) noexcept {
    return left.high == right.high && left.low == right.low;
  }
  friend bool operator!=(Id128 left, Id128 right) noexcept { return !(left == right); }
};

// Writes the id as a lower-case canonical UUID (36 characters) at `out`.
WAVEFRONT_API void write_uuid(Id128 id, char* out) noexcept;
WAVEFRONT_API std::string uuid_string(Id128 id);
// Parses a canonical UUID (either case); false, leaving `id` as it was, when malformed.
WAVEFRONT_API bool parse_uuid(std::string_view text, Id128& id) noexcept;
// A random non-zero id from a per-thread generator (reseeded in a child of fork). `bits` is 64
// (the high half is zero, as W3C and B3 span ids need) or 128.
WAVEFRONT_API Id128 random_id(int bits) noexcept;

enum class SamplingDecision : std::uint8_t { unset, keep, drop };

struct WAVEFRONT_API SpanContext {
  Id128 trace_id;
  Id128 span_id;
  SamplingDecision sampling = SamplingDecision::unset;
  bool debug = false;      // B3 debug flag: always kept, and passed on
  std::string tracestate;  // W3C tracestate, passed on unchanged
  std::vector<std::pair<std::string, std::string>> baggage;

  // Both ids set: a context a span can be a child of.
  bool valid() const noexcept { return !trace_id.empty() && !span_id.empty(); }
  // The baggage item's value, or empty.
  std::string_view baggage_item(std::string_view key) const noexcept;
  // Sets or replaces a baggage item.
  void set_baggage_item(std::string_view key, std::string_view value);
};

// Where inject writes headers. Names are given in lower case except the B3 multi-header names,
// which are given as B3 spells them (X-B3-TraceId); HTTP header names are case-insensitive anyway.
class WAVEFRONT_API HeaderWriter {
 public:
  virtual ~HeaderWriter() = default;
  virtual void set(std::string_view name, std::string_view value) = 0;
};

// Where extract reads headers: the value of the header `name` (compare case-insensitively), or an
// empty view when absent. When a header repeats, join the values with "," as HTTP does.
class WAVEFRONT_API HeaderReader {
 public:
  virtual ~HeaderReader() = default;
  virtual std::string_view get(std::string_view name) const = 0;
};

// Headers in a vector, looked up case-insensitively: a carrier for tests, examples and glue code.
class WAVEFRONT_API HeaderMap : public HeaderWriter, public HeaderReader {
 public:
  HeaderMap() = default;
  HeaderMap(std::initializer_list<std::pair<std::string, std::string>> items) : items_(items) {}
  explicit HeaderMap(std::vector<std::pair<std::string, std::string>> items) : items_(std::move(items)) {}
  void set(std::string_view name, std::string_view value) override;
  std::string_view get(std::string_view name) const override;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  void clear() { items_.clear(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

enum class PropagationFormat : std::uint8_t { w3c, b3_single, b3_multi };

// Writes `context` in `format`, plus a `baggage` header when there is baggage. An invalid context
// writes nothing.
WAVEFRONT_API void inject_context(const SpanContext& context, PropagationFormat format,
                                  HeaderWriter& headers);
// Reads a context: traceparent first, then b3, then the X-B3 headers; baggage from `baggage`. Returns
// an invalid context (baggage kept) when no well-formed trace header is present.
WAVEFRONT_API SpanContext extract_context(const HeaderReader& headers);

}  // namespace wavefront
