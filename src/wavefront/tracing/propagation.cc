// W3C Trace Context, B3 (single and multi-header) and W3C baggage; see include/wavefront/trace_context.h.
#include <algorithm>

#include "wavefront/trace_context.h"
#include "wavefront/tracing/ascii.h"

namespace wavefront {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::size_t kTraceparentLength = 55;    // 00-<32 hex>-<16 hex>-<2 hex>
constexpr std::size_t kMaxBaggageBytes = 8192;    // W3C baggage: at least 8192 bytes per header
constexpr std::size_t kMaxBaggageMembers = 180;   // W3C baggage: at least 180 members
constexpr std::size_t kMaxTracestateBytes = 512;  // W3C trace context: propagate at least 512 bytes

int hex_value(char digit, bool upper_allowed) noexcept {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (upper_allowed && digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

// Exactly 16 hex digits into `value`.
bool parse_hex64(std::string_view text, bool upper_allowed, std::uint64_t& value) noexcept {
  if (text.size() != 16) return false;
  std::uint64_t parsed = 0;
  for (char digit : text) {
    const int nibble = hex_value(digit, upper_allowed);
    if (nibble < 0) return false;
    parsed = (parsed << 4U) | static_cast<std::uint64_t>(nibble);
  }
  value = parsed;
  return true;
}

// 16 or 32 hex digits (32 only when `allow_short` is false).
bool parse_id(std::string_view text, bool allow_short, bool upper_allowed, Id128& id) noexcept {
  Id128 parsed;
  if (text.size() == 32) {
    if (!parse_hex64(text.substr(0, 16), upper_allowed, parsed.high) ||
        !parse_hex64(text.substr(16), upper_allowed, parsed.low)) {
      return false;
    }
  } else if (!(allow_short && parse_hex64(text, upper_allowed, parsed.low))) {
    return false;
  }
  if (parsed.empty()) return false;  // all zeros is "no id" in both formats
  id = parsed;
  return true;
}

char* put_hex64(std::uint64_t value, char* out) noexcept {
  for (unsigned shift = 64; shift != 0;) {
    shift -= 4;
    *out++ = kHexDigits[(value >> shift) & 0xFU];
  }
  return out;
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// traceparent (https://www.w3.org/TR/trace-context/#traceparent-header). Lower-case hex only; a
// version other than 00 is read as 00 when its first 55 characters are (forward compatibility).
bool parse_traceparent(std::string_view text, SpanContext& context) noexcept {
  text = trim(text);
  if (text.size() < kTraceparentLength) return false;
  const int version_high = hex_value(text[0], false);
  const int version_low = hex_value(text[1], false);
  if (version_high < 0 || version_low < 0 || (version_high == 0xF && version_low == 0xF)) return false;
  const bool version_zero = version_high == 0 && version_low == 0;
  if (version_zero ? text.size() != kTraceparentLength
                   : (text.size() > kTraceparentLength && text[kTraceparentLength] != '-')) {
    return false;
  }
  if (text[2] != '-' || text[35] != '-' || text[52] != '-') return false;
  Id128 trace_id;
  Id128 span_id;
  if (!parse_id(text.substr(3, 32), false, false, trace_id)) return false;
  if (!parse_id(text.substr(36, 16), true, false, span_id)) return false;
  const int flags_high = hex_value(text[53], false);
  const int flags_low = hex_value(text[54], false);
  if (flags_high < 0 || flags_low < 0) return false;
  context.trace_id = trace_id;
  context.span_id = span_id;
  context.sampling = (flags_low & 1) != 0 ? SamplingDecision::keep : SamplingDecision::drop;
  return true;
}

bool parse_b3_sampling(std::string_view text, SpanContext& context) noexcept {
  if (text == "1" || text == "true") {
    context.sampling = SamplingDecision::keep;
  } else if (text == "0" || text == "false") {
    context.sampling = SamplingDecision::drop;
  } else if (text == "d") {
    context.sampling = SamplingDecision::keep;
    context.debug = true;
  } else {
    return false;
  }
  return true;
}

// b3: {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]], or {SamplingState} alone
// (https://github.com/openzipkin/b3-propagation#single-header).
bool parse_b3_single(std::string_view text, SpanContext& context) noexcept {
  text = trim(text);
  SpanContext parsed;
  if (text.size() == 1) {  // a sampling decision without ids
    if (!parse_b3_sampling(text, parsed)) return false;
    context.sampling = parsed.sampling;
    context.debug = parsed.debug;
    return false;  // no trace to join
  }
  std::string_view fields[4];
  std::size_t count = 0;
  while (count < 4) {
    const std::size_t dash = text.find('-');
    fields[count++] = text.substr(0, dash);
    if (dash == std::string_view::npos) break;
    text.remove_prefix(dash + 1);
    if (count == 4) return false;  // a fifth field
  }
  if (count < 2) return false;
  if (!parse_id(fields[0], true, true, parsed.trace_id)) return false;
  if (!parse_id(fields[1], true, true, parsed.span_id) || fields[1].size() != 16) return false;
  if (count >= 3 && !parse_b3_sampling(fields[2], parsed)) return false;
  if (count == 4) {
    Id128 parent;
    if (!parse_id(fields[3], true, true, parent) || fields[3].size() != 16) return false;
  }
  context.trace_id = parsed.trace_id;
  context.span_id = parsed.span_id;
  context.sampling = parsed.sampling;
  context.debug = parsed.debug;
  return true;
}

bool parse_b3_multi(const HeaderReader& headers, SpanContext& context) noexcept {
  SpanContext parsed;
  const std::string_view flags = trim(headers.get("X-B3-Flags"));
  const std::string_view sampled = trim(headers.get("X-B3-Sampled"));
  if (flags == "1") {
    parsed.debug = true;
    parsed.sampling = SamplingDecision::keep;
  } else if (!sampled.empty() && !parse_b3_sampling(sampled, parsed)) {
    parsed.sampling = SamplingDecision::unset;  // unreadable: let this side decide
  }
  const std::string_view trace_text = trim(headers.get("X-B3-TraceId"));
  const std::string_view span_text = trim(headers.get("X-B3-SpanId"));
  if (trace_text.empty() && span_text.empty()) {
    context.sampling = parsed.sampling;  // a decision without ids (e.g. X-B3-Sampled: 0)
    context.debug = parsed.debug;
    return false;
  }
  if (!parse_id(trace_text, true, true, parsed.trace_id)) return false;
  if (span_text.size() != 16 || !parse_id(span_text, true, true, parsed.span_id)) return false;
  context.trace_id = parsed.trace_id;
  context.span_id = parsed.span_id;
  context.sampling = parsed.sampling;
  context.debug = parsed.debug;
  return true;
}

// baggage-octet (https://www.w3.org/TR/baggage/#value): everything else is percent-encoded.
bool is_baggage_octet(unsigned char octet) noexcept {
  return octet == 0x21 || (octet >= 0x23 && octet <= 0x2B) || (octet >= 0x2D && octet <= 0x3A) ||
         (octet >= 0x3C && octet <= 0x5B) || (octet >= 0x5D && octet <= 0x7E);
}

// RFC 7230 token characters: what a baggage key may hold.
bool is_token(std::string_view text) noexcept {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char letter) {
    const auto octet = static_cast<unsigned char>(letter);
    if (octet <= 0x20 || octet >= 0x7F) return false;
    return std::string_view("\"(),/:;<=>?@[\\]{}").find(letter) == std::string_view::npos;
  });
}

void parse_baggage(std::string_view text, SpanContext& context) {
  if (text.size() > kMaxBaggageBytes) return;  // larger than any sender may send: ignore it whole
  std::size_t members = 0;
  while (!text.empty() && members < kMaxBaggageMembers) {
    const std::size_t comma = text.find(',');
    std::string_view member = text.substr(0, comma);
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
    member = member.substr(0, member.find(';'));  // properties are not kept
    const std::size_t equals = member.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = trim(member.substr(0, equals));
    const std::string_view encoded = trim(member.substr(equals + 1));
    if (!is_token(key)) continue;
    std::string value;
    value.reserve(encoded.size());
    bool well_formed = true;
    for (std::size_t index = 0; index < encoded.size(); ++index) {
      if (encoded[index] != '%') {
        value.push_back(encoded[index]);
        continue;
      }
      const int high = index + 2 < encoded.size() ? hex_value(encoded[index + 1], true) : -1;
      const int low = index + 2 < encoded.size() ? hex_value(encoded[index + 2], true) : -1;
      if (high < 0 || low < 0) {
        well_formed = false;
        break;
      }
      value.push_back(static_cast<char>(high * 16 + low));
      index += 2;
    }
    if (!well_formed) continue;
    context.set_baggage_item(key, value);
    ++members;
  }
}

void inject_baggage(const SpanContext& context, HeaderWriter& headers) {
  if (context.baggage.empty()) return;
  std::string text;
  for (const auto& [key, value] : context.baggage) {
    if (!is_token(key)) continue;
    if (!text.empty()) text.push_back(',');
    text.append(key).push_back('=');
    for (char letter : value) {
      const auto octet = static_cast<unsigned char>(letter);
      if (is_baggage_octet(octet) && letter != '%') {  // values are percent-decoded: encode %
        text.push_back(letter);
      } else {
        text.push_back('%');
        text.push_back(kHexDigits[octet >> 4U] - (octet >> 4U >= 10 ? 'a' - 'A' : 0));
        text.push_back(kHexDigits[octet & 0xFU] - ((octet & 0xFU) >= 10 ? 'a' - 'A' : 0));
      }
    }
  }
  if (!text.empty()) headers.set("baggage", text);
}

}  // namespace

std::string_view SpanContext::baggage_item(std::string_view key) const noexcept {
  for (const auto& [item_key, value] : baggage) {
    if (item_key == key) return value;
  }
  return {};
}

void SpanContext::set_baggage_item(std::string_view key, std::string_view value) {
  for (auto& [item_key, item_value] : baggage) {
    if (item_key == key) {
      item_value.assign(value);
      return;
    }
  }
  baggage.emplace_back(std::string(key), std::string(value));
}

void HeaderMap::set(std::string_view name, std::string_view value) {
  for (auto& [item_name, item_value] : items_) {
    if (tracing::equals_ignore_case(item_name, name)) {
      item_value.assign(value);
      return;
    }
  }
  items_.emplace_back(std::string(name), std::string(value));
}

std::string_view HeaderMap::get(std::string_view name) const {
  for (const auto& [item_name, item_value] : items_) {
    if (tracing::equals_ignore_case(item_name, name)) return item_value;
  }
  return {};
}

void inject_context(const SpanContext& context, PropagationFormat format, HeaderWriter& headers) {
  if (!context.valid()) return;
  const bool sampled = context.sampling == SamplingDecision::keep || context.debug;
  char text[kTraceparentLength + 16];
  char* out = text;
  switch (format) {
    case PropagationFormat::w3c:
      *out++ = '0';
      *out++ = '0';
      *out++ = '-';
      out = put_hex64(context.trace_id.high, out);
      out = put_hex64(context.trace_id.low, out);
      *out++ = '-';
      out = put_hex64(context.span_id.low, out);
      *out++ = '-';
      *out++ = '0';
      *out++ = sampled ? '1' : '0';
      headers.set("traceparent", std::string_view(text, static_cast<std::size_t>(out - text)));
      if (!context.tracestate.empty() && context.tracestate.size() <= kMaxTracestateBytes) {
        headers.set("tracestate", context.tracestate);
      }
      break;
    case PropagationFormat::b3_single:
      if (context.trace_id.high != 0) out = put_hex64(context.trace_id.high, out);
      out = put_hex64(context.trace_id.low, out);
      *out++ = '-';
      out = put_hex64(context.span_id.low, out);
      if (context.sampling != SamplingDecision::unset || context.debug) {
        *out++ = '-';
        *out++ = context.debug ? 'd' : (sampled ? '1' : '0');
      }
      headers.set("b3", std::string_view(text, static_cast<std::size_t>(out - text)));
      break;
    case PropagationFormat::b3_multi:
      if (context.trace_id.high != 0) out = put_hex64(context.trace_id.high, out);
      out = put_hex64(context.trace_id.low, out);
      headers.set("X-B3-TraceId", std::string_view(text, static_cast<std::size_t>(out - text)));
      put_hex64(context.span_id.low, text);
      headers.set("X-B3-SpanId", std::string_view(text, 16));
      if (context.debug) {
        headers.set("X-B3-Flags", "1");
      } else if (context.sampling != SamplingDecision::unset) {
        headers.set("X-B3-Sampled", sampled ? "1" : "0");
      }
      break;
  }
  inject_baggage(context, headers);
}

SpanContext extract_context(const HeaderReader& headers) {
  SpanContext context;
  bool found = false;
  if (const std::string_view traceparent = headers.get("traceparent"); !traceparent.empty()) {
    found = parse_traceparent(traceparent, context);
    if (found) {
      const std::string_view tracestate = trim(headers.get("tracestate"));
      if (tracestate.size() <= kMaxTracestateBytes) context.tracestate.assign(tracestate);
    }
  }
  if (!found) {
    if (const std::string_view b3 = headers.get("b3"); !b3.empty()) found = parse_b3_single(b3, context);
  }
  if (!found && context.sampling == SamplingDecision::unset) found = parse_b3_multi(headers, context);
  if (!found) {
    const SamplingDecision sampling = context.sampling;  // a bare B3 decision survives
    const bool debug = context.debug;
    context = SpanContext();
    context.sampling = sampling;
    context.debug = debug;
  }
  if (const std::string_view baggage = headers.get("baggage"); !baggage.empty()) {
    parse_baggage(baggage, context);
  }
  return context;
}

}  // namespace wavefront
