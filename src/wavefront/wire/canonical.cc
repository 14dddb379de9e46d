// See canonical.h. The rules cited are java-lib's Validation.validateSpan and the decoders.
#include "wavefront/wire/canonical.h"

#include <limits>

#include "wavefront/format/fields.h"
#include "wavefront/format/numbers.h"
#include "wavefront/format/sanitize.h"
#include "wavefront/format/span.h"
#include "wavefront/format/tags.h"

namespace wavefront::wire {
namespace {

constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
// Keys the reader takes out of a span's annotations; none of them reaches the tag list.
constexpr std::string_view kSpanTakenKeys[] = {"source", "host", "traceId", "spanId", "_spanLogs"};
constexpr std::int64_t kFirstMillisecondOnWire = 1000000000000;  // the proxy reads less as seconds

// A UUID in lower case, bare; any other id double-quoted (the proxy takes any string).
Status write_line_id(std::string& out, std::string_view id, std::string_view field, Field argument,
                     std::size_t index = Status::kNoIndex) {
  if (format::append_uuid(out, id)) return Status();
  // The value writer would replace a control character, changing the id: refused instead.
  for (const char byte : id) {
    if (static_cast<unsigned char>(byte) < 0x20 || byte == '\x7F') {
      return Status(ErrorCode::invalid_id, std::string(field) + " " + format::quote_for_message(id) +
                                               " has a control character, which cannot be written back as is")
          .at(argument, index);
    }
  }
  out += '"';
  const format::FieldRules rules{field, ErrorCode::invalid_id, kNoLimit, ErrorCode::invalid_id};
  if (Status status = format::write_value(out, id, rules); !status.ok()) return status.at(argument, index);
  out += '"';
  return Status();
}

void write_json_id(std::string& out, std::string_view id) {
  if (!format::append_uuid(out, id)) format::append_json_string(out, id);
}

// The proxy reads a number below 10^12 as seconds and below 10^13 as milliseconds (see number_text.h).
constexpr std::int64_t kFirstMicrosecondOnWire = 10 * kFirstMillisecondOnWire;
constexpr std::int64_t kLastSecondOnWire = kFirstMillisecondOnWire - 1;

// An event time in milliseconds, written where the proxy reads it back as the same instant:
// milliseconds, else whole seconds, else microseconds.
Status append_event_time(std::string& out, std::int64_t milliseconds) {
  if (milliseconds >= kFirstMillisecondOnWire && milliseconds < kFirstMicrosecondOnWire) {
    format::append_int(out, milliseconds);
  } else if (milliseconds > 0 && milliseconds % 1000 == 0 && milliseconds / 1000 <= kLastSecondOnWire) {
    format::append_int(out, milliseconds / 1000);
  } else if (milliseconds >= kFirstMillisecondOnWire / 100 && milliseconds < kFirstMillisecondOnWire) {
    format::append_int(out, milliseconds);
    out += "000";
  } else {
    return Status(ErrorCode::invalid_timestamp, "event time " + std::to_string(milliseconds) +
                                                    " ms cannot be written so that the proxy reads it back");
  }
  return Status();
}

// SpanDecoder.setDuration reads the second number as an end time when it is not below the start, and
// the start's magnitude as its unit: write them so that it reads back these milliseconds.
Status write_span_times(std::string& out, std::int64_t start_ms, std::int64_t duration_ms) {
  // The proxy reads both numbers through a double: beyond 2^53 they would not read back exactly.
  constexpr std::int64_t kExactInDouble = std::int64_t{1} << 53;
  if (start_ms <= 0 || duration_ms < 0 || duration_ms > kExactInDouble - start_ms) {
    return Status(ErrorCode::invalid_timestamp, "span start " + std::to_string(start_ms) + " ms, duration " +
                                                    std::to_string(duration_ms) + " ms is not a time span")
        .at(Field::duration_ms);
  }
  out += ' ';
  if (start_ms >= kFirstMillisecondOnWire && start_ms < kFirstMicrosecondOnWire) {
    format::append_int(out, start_ms);
    out += ' ';
    format::append_int(out, duration_ms < start_ms ? duration_ms : start_ms + duration_ms);
    return Status();
  }
  if (start_ms % 1000 != 0 || duration_ms % 1000 != 0 || start_ms / 1000 > kLastSecondOnWire) {
    return Status(ErrorCode::invalid_timestamp, "span start " + std::to_string(start_ms) + " ms, duration " +
                                                    std::to_string(duration_ms) +
                                                    " ms cannot be written so that the proxy reads them back")
        .at(Field::duration_ms);
  }
  format::append_int(out, start_ms / 1000);  // seconds; the end (never below the start) follows
  out += ' ';
  format::append_int(out, (start_ms + duration_ms) / 1000);
  return Status();
}

Status span_line(std::string& out, const ParsedSpan& span, const FormatOptions& options) {
  const Limits& limits = options.limits;
  const std::size_t annotations =
      span.parents.size() + span.follows_from.size() + span.tags.size() + (span.has_span_logs ? 1 : 0);
  if (annotations > limits.max_span_annotations) {
    return Status(ErrorCode::too_many_tags, "span has " + std::to_string(annotations) +
                                                " annotations; the proxy refuses more than " +
                                                std::to_string(limits.max_span_annotations) + " (WF-430)")
        .at(Field::tags);
  }
  if (span.name.find('*') != std::string_view::npos) {
    return Status(ErrorCode::invalid_name, "span name " + format::quote_for_message(span.name) +
                                               " has '*', which the proxy refuses (WF-415)")
        .at(Field::name);
  }
  out += '"';
  const format::FieldRules name_rules{"span name", ErrorCode::invalid_name, limits.max_span_name_length,
                                      ErrorCode::span_name_too_long};
  if (Status status = format::write_value(out, span.name, name_rules); !status.ok())
    return status.at(Field::name);
  out += "\" source=\"";
  if (Status status = format::write_source(out, span.source, options); !status.ok()) {
    return status.at(Field::source);
  }
  out += "\" traceId=";
  if (Status status = write_line_id(out, span.trace_id, "traceId", Field::trace_id); !status.ok())
    return status;
  out += " spanId=";
  if (Status status = write_line_id(out, span.span_id, "spanId", Field::span_id); !status.ok()) return status;
  for (std::size_t index = 0; index < span.parents.size(); ++index) {
    out += " parent=";
    if (Status status = write_line_id(out, span.parents[index], "parent", Field::parents, index);
        !status.ok())
      return status;
  }
  for (std::size_t index = 0; index < span.follows_from.size(); ++index) {
    out += " followsFrom=";
    if (Status status =
            write_line_id(out, span.follows_from[index], "followsFrom", Field::follows_from, index);
        !status.ok())
      return status;
  }
  // Values over the limit are truncated by the proxy, not refused: kept here (lint warns).
  const format::TagRules tag_rules{"span tag",
                                   limits.max_span_tag_key_length,
                                   kNoLimit,
                                   0,
                                   kSpanTakenKeys,
                                   std::size(kSpanTakenKeys),
                                   true,
                                   false,
                                   0};
  if (Status status = format::append_tags(out, span.tags, tag_rules); !status.ok()) return status;
  if (span.has_span_logs) out += " \"_spanLogs\"=\"true\"";
  if (Status status = write_span_times(out, span.start_ms, span.duration_ms); !status.ok()) return status;
  out += '\n';
  return Status();
}

Status span_logs_line(std::string& out, const ParsedLine& parsed, std::string_view span_text) {
  out += "{\"traceId\":\"";
  write_json_id(out, parsed.trace_id);
  out += "\",\"spanId\":\"";
  write_json_id(out, parsed.span_id);
  out += '"';
  if (!parsed.span_secondary_id.empty()) {
    out += ",\"_spanSecondaryId\":\"";
    format::append_json_string(out, parsed.span_secondary_id);
    out += '"';
  }
  out += ",\"logs\":[";
  if (Status status = format::append_span_log_entries(out, parsed.logs, false); !status.ok()) {
    return status;  // located as Field::span_logs by append_span_log_entries
  }
  out += ']';
  if (parsed.has_span) {
    out += ",\"span\":\"";
    format::append_json_string(out, span_text);
    out += '"';
  }
  out += "}\n";
  return Status();
}

Status event_line(std::string& out, const ParsedLine& parsed) {
  const std::int64_t end_ms = parsed.end_ms > parsed.start_ms ? parsed.end_ms : parsed.start_ms + 1;
  if (parsed.start_ms <= 0 || parsed.start_ms == std::numeric_limits<std::int64_t>::max()) {
    return Status(ErrorCode::invalid_timestamp, "event start " + std::to_string(parsed.start_ms) +
                                                    " ms is not a time an event can start at")
        .at(Field::start_ms);
  }
  out += "@Event ";
  if (Status status = append_event_time(out, parsed.start_ms); !status.ok())
    return status.at(Field::start_ms);
  out += ' ';
  if (Status status = append_event_time(out, end_ms); !status.ok()) return status.at(Field::end_ms);
  out += " \"";
  const format::FieldRules name_rules{"event name", ErrorCode::invalid_name, kNoLimit,
                                      ErrorCode::name_too_long};
  if (Status status = format::write_value(out, parsed.name, name_rules); !status.ok()) {
    return status.at(Field::name);
  }
  out += '"';
  // Repeated annotation keys stay repeated: the proxy keeps every value (EventIngesterFormatter).
  const format::TagRules annotation_rules{
      "event annotation", kNoLimit, kNoLimit, 0, nullptr, 0, false, false, 0};
  if (Status status = format::append_tags(out, parsed.tags, annotation_rules); !status.ok()) {
    return status.at(Field::annotations, status.index());
  }
  const format::FieldRules host_rules{"event host", ErrorCode::invalid_source, kNoLimit,
                                      ErrorCode::source_too_long};
  const format::FieldRules tag_rules{"event tag", ErrorCode::invalid_tag_value, kNoLimit,
                                     ErrorCode::tag_value_too_long};
  for (std::size_t index = 0; index < parsed.hosts.size(); ++index) {
    out += " host=\"";
    if (Status status = format::write_value(out, parsed.hosts[index], host_rules); !status.ok()) {
      return status.at(Field::source, index);
    }
    out += '"';
  }
  for (std::size_t index = 0; index < parsed.event_tags.size(); ++index) {
    out += " tag=\"";
    if (Status status = format::write_value(out, parsed.event_tags[index], tag_rules); !status.ok()) {
      return status.at(Field::tags, index);
    }
    out += '"';
  }
  out += '\n';
  return Status();
}

template <class Write>
Status rolled_back(std::string& out, Write write) {
  const std::size_t start = out.size();
  Status status = write();
  if (!status.ok()) out.resize(start);
  return status;
}

}  // namespace

Status write_read_span(std::string& out, const ParsedSpan& span, const FormatOptions& options) {
  return rolled_back(out, [&] { return span_line(out, span, options); });
}

Status write_read_span_logs(std::string& out, const ParsedLine& parsed, std::string_view span_line_text) {
  return rolled_back(out, [&] { return span_logs_line(out, parsed, span_line_text); });
}

Status write_read_event(std::string& out, const ParsedLine& parsed) {
  return rolled_back(out, [&] { return event_line(out, parsed); });
}

}  // namespace wavefront::wire
