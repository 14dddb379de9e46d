// Span lines and their span-logs JSON lines (spec §2.3, §2.4).
#include <string>

#include "wavefront/format.h"
#include "wavefront/format/fields.h"
#include "wavefront/format/numbers.h"
#include "wavefront/format/sanitize.h"
#include "wavefront/format/span.h"
#include "wavefront/format/tags.h"
#include "wavefront/format/utf8.h"
#include "wavefront/trace_context.h"

namespace wavefront {
namespace {

constexpr std::string_view kSpanReservedKeys[] = {"source", "host",   "tag",         "traceId",
                                                  "spanId", "parent", "followsFrom", "_spanLogs"};

Status write_id(std::string& out, std::string_view id, std::string_view field, Field argument,
                std::size_t index = Status::kNoIndex) {
  if (format::append_uuid(out, id)) return Status();
  return Status(ErrorCode::invalid_id, std::string(field) + " must be a UUID in canonical 8-4-4-4-12 form: " +
                                           format::quote_for_message(id))
      .at(argument, index);
}

// The parts of a span line before and after its ids, shared by the text-id and the 128-bit-id writers.
Status write_span_head(std::string& out, std::string_view name, std::string_view source,
                       std::size_t annotations, const Limits& limits, const FormatOptions& options) {
  if (annotations > limits.max_span_annotations) {
    return Status(ErrorCode::too_many_tags,
                  "span " + format::quote_for_message(name) + " has " + std::to_string(annotations) +
                      " annotations (tags, parents, follows-from, _spanLogs); the limit is " +
                      std::to_string(limits.max_span_annotations))
        .at(Field::tags);
  }
  out += '"';
  const format::FieldRules name_rules{"span name", ErrorCode::invalid_name, limits.max_span_name_length,
                                      ErrorCode::span_name_too_long};
  if (Status status = format::write_value(out, name, name_rules); !status.ok()) return status.at(Field::name);
  out += "\" source=\"";
  if (Status status = format::write_source(out, source, options); !status.ok())
    return status.at(Field::source);
  out += "\" traceId=";
  return Status();
}

Status write_span_tail(std::string& out, std::int64_t start_ms, std::int64_t duration_ms, TagList tags,
                       bool has_logs, const Limits& limits) {
  const format::TagRules tag_rules{"span tag",
                                   limits.max_span_tag_key_length,
                                   limits.max_span_tag_value_length,
                                   0,
                                   kSpanReservedKeys,
                                   std::size(kSpanReservedKeys),
                                   true,
                                   false,
                                   0};
  if (Status status = format::append_tags(out, tags, tag_rules); !status.ok()) return status;
  if (has_logs) out += " \"_spanLogs\"=\"true\"";
  if (Status status = format::check_timestamp(start_ms, "span start_ms"); !status.ok()) {
    return status.at(Field::start_ms);
  }
  if (duration_ms < 0) {
    return Status(ErrorCode::invalid_timestamp,
                  "span duration_ms is " + std::to_string(duration_ms) + "; durations must not be negative")
        .at(Field::duration_ms);
  }
  if (duration_ms >= start_ms) {
    return Status(ErrorCode::invalid_timestamp, "span duration_ms " + std::to_string(duration_ms) +
                                                    " is not smaller than start_ms " +
                                                    std::to_string(start_ms) +
                                                    " (the proxy would read it as an end time); start_ms is "
                                                    "milliseconds since the epoch")
        .at(Field::duration_ms);
  }
  out += ' ';
  format::append_int(out, start_ms);
  out += ' ';
  format::append_int(out, duration_ms);
  out += '\n';
  return Status();
}

Status write_span_line(std::string& out, std::string_view name, std::int64_t start_ms,
                       std::int64_t duration_ms, std::string_view source, std::string_view trace_id,
                       std::string_view span_id, Strings parents, Strings follows_from, TagList tags,
                       bool has_logs, const Limits& limits, const FormatOptions& options) {
  const std::size_t annotations = parents.size() + follows_from.size() + tags.size() + (has_logs ? 1 : 0);
  if (Status status = write_span_head(out, name, source, annotations, limits, options); !status.ok()) {
    return status;
  }
  if (Status status = write_id(out, trace_id, "trace_id", Field::trace_id); !status.ok()) return status;
  out += " spanId=";
  if (Status status = write_id(out, span_id, "span_id", Field::span_id); !status.ok()) return status;
  for (std::size_t index = 0; index < parents.size(); ++index) {
    out += " parent=";
    if (Status status = write_id(out, parents[index], "parent id", Field::parents, index); !status.ok()) {
      return status;
    }
  }
  for (std::size_t index = 0; index < follows_from.size(); ++index) {
    out += " followsFrom=";
    if (Status status = write_id(out, follows_from[index], "follows_from id", Field::follows_from, index);
        !status.ok()) {
      return status;
    }
  }
  return write_span_tail(out, start_ms, duration_ms, tags, has_logs, limits);
}

// 128-bit ids need no check: every value is a UUID. They are written from their bytes (write_uuid).
void append_uuid_of(std::string& out, Id128 id) {
  char text[36];
  write_uuid(id, text);
  out.append(text, sizeof text);
}

Status write_span_logs_line(std::string& out, std::string_view span_line, std::string_view trace_id,
                            std::string_view span_id, SpanLogs span_logs, const Limits& limits) {
  const std::size_t line_start = out.size();
  out += "{\"traceId\":\"";
  format::append_uuid(out, trace_id);  // validated by the span line already
  out += "\",\"spanId\":\"";
  format::append_uuid(out, span_id);
  out += "\",\"logs\":[";
  if (Status status = format::append_span_log_entries(out, span_logs, true); !status.ok()) return status;
  out += "],\"span\":\"";
  format::append_json_string(out, span_line);  // our own valid UTF-8
  out += "\"}";
  // UTF-16 units never exceed UTF-8 bytes, so count them only when the bytes are over the limit.
  const std::size_t bytes = out.size() - line_start;
  const std::size_t length = bytes <= limits.max_span_logs_line_length
                                 ? bytes
                                 : format::utf16_length(std::string_view(out).substr(line_start));
  if (length > limits.max_span_logs_line_length) {
    return Status(ErrorCode::span_logs_too_long, "span-logs line is " + std::to_string(length) +
                                                     " characters (UTF-16 units); the limit is " +
                                                     std::to_string(limits.max_span_logs_line_length))
        .at(Field::span_logs);
  }
  out += '\n';
  return Status();
}

}  // namespace

Status format::format_span_line(std::string& out, std::string_view name, std::int64_t start_ms,
                                std::int64_t duration_ms, std::string_view source, std::string_view trace_id,
                                std::string_view span_id, Strings parents, Strings follows_from, TagList tags,
                                bool has_span_logs, const FormatOptions& options) {
  const std::size_t start = out.size();
  Status status = write_span_line(out, name, start_ms, duration_ms, source, trace_id, span_id, parents,
                                  follows_from, tags, has_span_logs, options.limits, options);
  if (!status.ok()) out.resize(start);
  return status;
}

Status format::format_span_line_ids(std::string& out, std::string_view name, std::int64_t start_ms,
                                    std::int64_t duration_ms, std::string_view source, Id128 trace_id,
                                    Id128 span_id, Id128 parent, TagList tags, bool has_span_logs,
                                    const FormatOptions& options) {
  const std::size_t start = out.size();
  const Limits& limits = options.limits;
  const std::size_t annotations = (parent.empty() ? 0 : 1) + tags.size() + (has_span_logs ? 1 : 0);
  Status status = write_span_head(out, name, source, annotations, limits, options);
  if (status.ok()) {
    append_uuid_of(out, trace_id);
    out.append(" spanId=", 8);
    append_uuid_of(out, span_id);
    if (!parent.empty()) {
      out.append(" parent=", 8);
      append_uuid_of(out, parent);
    }
    status = write_span_tail(out, start_ms, duration_ms, tags, has_span_logs, limits);
  }
  if (!status.ok()) out.resize(start);
  return status;
}

Status format::format_span_logs_line(std::string& out, std::string_view span_line, Id128 trace_id,
                                     Id128 span_id, SpanLogs span_logs, const FormatOptions& options) {
  const std::size_t start = out.size();
  char trace_text[36];
  char span_text[36];
  write_uuid(trace_id, trace_text);
  write_uuid(span_id, span_text);
  Status status = write_span_logs_line(out, span_line, std::string_view(trace_text, 36),
                                       std::string_view(span_text, 36), span_logs, options.limits);
  if (!status.ok()) out.resize(start);
  return status;
}

Status format_span(std::string& span_out, std::string& span_logs_out, std::string_view name,
                   std::int64_t start_ms, std::int64_t duration_ms, std::string_view source,
                   std::string_view trace_id, std::string_view span_id, Strings parents, Strings follows_from,
                   TagList tags, SpanLogs span_logs, const FormatOptions& options) {
  const std::size_t span_start = span_out.size();
  const std::size_t logs_start = span_logs_out.size();
  Status status = write_span_line(span_out, name, start_ms, duration_ms, source, trace_id, span_id, parents,
                                  follows_from, tags, !span_logs.empty(), options.limits, options);
  if (status.ok() && !span_logs.empty()) {
    const std::string_view span_line =
        std::string_view(span_out).substr(span_start, span_out.size() - span_start - 1);  // without '\n'
    if (&span_out == &span_logs_out) {
      // One buffer for both: format the span-logs line from a copy, since appending may move the span.
      const std::string span_copy(span_line);
      status = write_span_logs_line(span_logs_out, span_copy, trace_id, span_id, span_logs, options.limits);
    } else {
      status = write_span_logs_line(span_logs_out, span_line, trace_id, span_id, span_logs, options.limits);
    }
  }
  if (!status.ok()) {
    span_out.resize(span_start);
    if (&span_out != &span_logs_out) span_logs_out.resize(logs_start);
  }
  return status;
}

Status format::append_span_log_entries(std::string& out, SpanLogs span_logs,
                                       bool require_positive_timestamps) {
  for (std::size_t index = 0; index < span_logs.size(); ++index) {
    const SpanLog log = span_logs[index];
    if (index != 0) out += ',';
    if (require_positive_timestamps && log.timestamp_us <= 0) {
      return format::check_timestamp(log.timestamp_us, "span log " + std::to_string(index) + " timestamp_us")
          .at(Field::span_logs, index);
    }
    out += "{\"timestamp\":";
    format::append_int(out, log.timestamp_us);
    out += ",\"fields\":{";
    for (std::size_t field_index = 0; field_index < log.fields.size(); ++field_index) {
      const Tag entry = log.fields[field_index];
      if (field_index != 0) out += ',';
      out += '"';
      if (format::append_json_string(out, entry.key).problem != format::FieldProblem::none) {
        return format::problem_error(ErrorCode::invalid_tag_key, "span log field key",
                                     format::FieldProblem::invalid_utf8, entry.key)
            .at(Field::span_logs, index);
      }
      out += "\":\"";
      if (format::append_json_string(out, entry.value).problem != format::FieldProblem::none) {
        return format::problem_error(ErrorCode::invalid_tag_value,
                                     "span log field value for key " + format::quote_for_message(entry.key),
                                     format::FieldProblem::invalid_utf8, entry.value)
            .at(Field::span_logs, index);
      }
      out += '"';
    }
    out += "}}";
  }
  return Status();
}

}  // namespace wavefront
