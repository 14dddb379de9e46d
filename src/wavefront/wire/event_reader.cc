// LineReader: events, the canonical form of every kind, and sending through a Sender. See
// include/wavefront/line_reader.h.
#include <limits>

#include "wavefront/line_reader.h"
#include "wavefront/wire/canonical.h"
#include "wavefront/wire/line_reader_internal.h"
#include "wavefront/wire/number_text.h"

namespace wavefront {

using wire::Token;

// EventDecoder + EventIngesterFormatter: `@Event`, a start time, an optional end time (both read by
// magnitude like point timestamps, kept in ms), a name, then key=value pairs where `host` (any number
// of them) gives the hosts, `tag` and `eventTag` the tags, and every other key is an annotation,
// repeated keys kept.
Status LineReader::read_event() {
  const std::vector<Token>& tokens = tokens_->list;
  if (tokens[0].has_key || tokens[0].value != "@Event") {
    return fail(ErrorCode::malformed_line, tokens[0].offset,
                "only @Event lines are supported (not " + wire::quote(tokens[0].value) + ")");
  }
  std::size_t next = 1;
  for (std::int64_t* time : {&parsed_.start_ms, &parsed_.end_ms}) {
    *time = 0;
    const bool is_time = next < tokens.size() && !tokens[next].has_key && !tokens[next].quoted &&
                         wire::starts_with_digit(tokens[next].value);
    if (!is_time) {
      if (time == &parsed_.end_ms) break;  // the end time is optional
      return fail(ErrorCode::malformed_line, next < tokens.size() ? tokens[next].offset : line_.size(),
                  "@Event needs its start time");
    }
    (time == &parsed_.start_ms ? offsets_.timestamp : offsets_.end) = tokens[next].offset;
    double number = 0;
    if (wire::parse_double(tokens[next].value, number) != wire::NumberText::ok || number >= 9.2e18) {
      return fail(ErrorCode::invalid_number, tokens[next].offset,
                  "event time " + wire::quote(tokens[next].value) + " is not a timestamp");
    }
    *time = wire::proxy_timestamp(number).milliseconds();
    if (number < 1e12 || number >= 1e13) {
      warn(
          "event-time-unit", tokens[next].offset,
          "event time " + wire::quote(tokens[next].value) + " is not in milliseconds; the proxy converts it");
    }
    ++next;
  }
  if (next >= tokens.size() || tokens[next].has_key) {
    return fail(ErrorCode::malformed_line, next < tokens.size() ? tokens[next].offset : line_.size(),
                "@Event needs a name after its times");
  }
  parsed_.name = tokens[next].value;
  offsets_.name = tokens[next].offset;
  for (++next; next < tokens.size(); ++next) {
    const Token& token = tokens[next];
    if (!token.has_key) {
      return fail(ErrorCode::malformed_line, token.offset,
                  "expected an annotation (key=value), found " + wire::quote(token.value));
    }
    if (token.key == "host") {
      if (parsed_.hosts.empty()) {
        parsed_.source = token.value;
        offsets_.source = token.value_offset;
      }
      parsed_.hosts.push_back(token.value);
    } else if (token.key == "tag" || token.key == "eventTag") {
      parsed_.event_tags.push_back(token.value);
      offsets_.annotations.push_back(token.offset);
    } else {
      if (Status status = check_name(token.key, token.offset, ErrorCode::invalid_tag_key, "annotation key");
          !status.ok()) {
        return status;
      }
      for (const Tag& earlier : parsed_.tags) {
        if (earlier.key == token.key) {
          warn("repeated-tag", token.offset,
               "annotation " + wire::quote(token.key) + " is repeated; the proxy keeps every value");
          break;
        }
      }
      parsed_.tags.emplace_back(token.key, token.value);
      offsets_.tags.push_back(token.offset);
    }
  }
  // EventIngesterFormatter: no end time, or one not after the start, makes an instant event.
  if (parsed_.end_ms <= parsed_.start_ms && parsed_.start_ms < std::numeric_limits<std::int64_t>::max()) {
    parsed_.end_ms = parsed_.start_ms + 1;
  }
  if (parsed_.hosts.empty()) warn("event-without-host", tokens[0].offset, "the event has no host=");
  return Status();
}

Status LineReader::canonicalize() {
  const FormatOptions& format = options_.format;
  switch (parsed_.kind) {
    case LineKind::metric:
      return format_metric(canonical_, parsed_.name, parsed_.value, parsed_.timestamp, parsed_.source,
                           parsed_.tags, format);
    case LineKind::distribution:
      return format_distribution(canonical_, parsed_.name, parsed_.centroids, parsed_.granularities,
                                 parsed_.timestamp, parsed_.source, parsed_.tags, format);
    case LineKind::span:
      return wire::write_read_span(canonical_, parsed_.span, format);
    case LineKind::span_logs: {
      discard_.clear();
      if (parsed_.has_span) {
        if (Status status = wire::write_read_span(discard_, parsed_.span, format); !status.ok())
          return status;
        discard_.pop_back();  // the '\n'
      }
      return wire::write_read_span_logs(canonical_, parsed_, discard_);
    }
    case LineKind::event:
      return wire::write_read_event(canonical_, parsed_);
  }
  return Status();
}

Status LineReader::send_to(Sender& sender) const {
  const ParsedSpan& span = parsed_.span;
  switch (parsed_.kind) {
    case LineKind::metric:
      return sender.send_metric(parsed_.name, parsed_.value, parsed_.timestamp, parsed_.source, parsed_.tags);
    case LineKind::distribution:
      return sender.send_distribution(parsed_.name, parsed_.centroids, parsed_.granularities,
                                      parsed_.timestamp, parsed_.source, parsed_.tags);
    case LineKind::span:
      return sender.send_span(span.name, span.start_ms, span.duration_ms, span.source, span.trace_id,
                              span.span_id, span.parents, span.follows_from, span.tags, {});
    case LineKind::span_logs:
      if (!parsed_.has_span) {
        return Status(ErrorCode::malformed_line,
                      "span logs without their span cannot be sent through a sender (it sends a span with "
                      "its logs)");
      }
      return sender.send_span(span.name, span.start_ms, span.duration_ms, span.source, span.trace_id,
                              span.span_id, span.parents, span.follows_from, span.tags, parsed_.logs);
    case LineKind::event:
      // A sender writes one host and one value per annotation key: anything more would be lost.
      if (parsed_.hosts.size() > 1) {
        return Status(ErrorCode::malformed_line,
                      "an event with several hosts cannot be sent through a sender");
      }
      for (std::size_t index = 0; index < parsed_.tags.size(); ++index) {
        for (std::size_t later = index + 1; later < parsed_.tags.size(); ++later) {
          if (parsed_.tags[index].key == parsed_.tags[later].key) {
            return Status(ErrorCode::malformed_line,
                          "an event with a repeated annotation key cannot be sent through a sender");
          }
        }
      }
      return sender.send_event(parsed_.name, parsed_.start_ms, parsed_.end_ms, parsed_.source, parsed_.tags,
                               parsed_.event_tags);
  }
  return Status();
}

}  // namespace wavefront
