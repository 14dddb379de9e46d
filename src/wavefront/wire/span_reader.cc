// LineReader: span lines and span-logs JSON lines. See include/wavefront/line_reader.h.
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>

#include "wavefront/format/numbers.h"
#include "wavefront/format/sanitize.h"
#include "wavefront/format/utf8.h"
#include "wavefront/line_reader.h"
#include "wavefront/wire/line_reader_internal.h"
#include "wavefront/wire/number_text.h"

namespace wavefront {

using wire::Token;

namespace {

bool same_id(std::string_view left, std::string_view right) noexcept {
  if (left.size() != right.size()) return false;
  for (std::size_t index = 0; index < left.size(); ++index) {
    if (std::tolower(static_cast<unsigned char>(left[index])) !=
        std::tolower(static_cast<unsigned char>(right[index]))) {
      return false;
    }
  }
  return true;
}

bool is_uuid(std::string_view id) {
  std::string scratch;
  return format::append_uuid(scratch, id);
}

// Java's String.trim() then Double.parseDouble(), for a token that starts with a digit, then
// longValue(): what rawTimestamp reads (trailing "\n" from the Python SDK's embedded span included).
bool read_raw_number(std::string_view text, double& value) {
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= 0x20) text.remove_suffix(1);
  return wire::starts_with_digit(text) && wire::parse_double(text, value) == wire::NumberText::ok &&
         value < 9.2e18;
}

}  // namespace

// SpanDecoder.setDuration: the second number is an end time when it is not below the start; the
// start's magnitude gives the unit of both (seconds, ms, µs, ns), stored as milliseconds.
Status LineReader::read_span_times(const Token& start, const Token& second, ParsedSpan& span) {
  double start_number = 0, second_number = 0;
  offsets_.timestamp = start.offset;
  offsets_.end = second.offset;
  if (!read_raw_number(start.value, start_number)) {
    return fail(ErrorCode::invalid_number, start.offset,
                "span start " + wire::quote(start.value) + " is not a timestamp");
  }
  if (!read_raw_number(second.value, second_number)) {
    return fail(ErrorCode::invalid_number, second.offset,
                "span duration " + wire::quote(second.value) + " is not a number");
  }
  const auto start_ts = static_cast<std::int64_t>(start_number);
  const auto second_ts = static_cast<std::int64_t>(second_number);
  const std::int64_t duration = second_ts - start_ts >= 0 ? second_ts - start_ts : second_ts;
  if (start_ts > 999999999999999999) {
    span.start_ms = start_ts / 1000000;
    span.duration_ms = duration / 1000000;
  } else if (start_ts > 999999999999999) {
    span.start_ms = start_ts / 1000;
    span.duration_ms = duration / 1000;
  } else if (start_ts > 999999999999) {
    span.start_ms = start_ts;
    span.duration_ms = duration;
  } else if (duration <= std::numeric_limits<std::int64_t>::max() / 1000) {
    span.start_ms = start_ts * 1000;
    span.duration_ms = duration * 1000;
  } else {
    // Java's long arithmetic would wrap around here: no real span lasts that long.
    return fail(ErrorCode::invalid_timestamp, second.offset,
                "span duration " + wire::quote(second.value) + " seconds is out of range");
  }
  if (start_ts <= 999999999999 || start_ts > 9999999999999) {
    warn("span-time-unit", start.offset, "span times are not in milliseconds; the proxy converts them");
  }
  return Status();
}

Status LineReader::read_span_tokens(std::size_t first_token, ParsedSpan& span) {
  const std::vector<Token>& tokens = tokens_->list;
  span.name = span.source = span.trace_id = span.span_id = {};
  span.parents.clear();
  span.follows_from.clear();
  span.tags.clear();
  span.has_span_logs = false;
  if (tokens.size() < first_token + 3) {
    return fail(ErrorCode::malformed_line, tokens.empty() ? 0 : tokens.back().offset,
                "a span needs its name, traceId= and spanId= tags, then its start and duration in ms");
  }
  const Token& name = tokens[first_token];
  if (name.has_key) return fail(ErrorCode::malformed_line, name.offset, "a span line starts with its name");
  span.name = name.value;
  offsets_.name = name.offset;

  const Token& start = tokens[tokens.size() - 2];
  const Token& second = tokens[tokens.size() - 1];
  for (const Token* time : {&start, &second}) {
    if (time->has_key || time->quoted) {
      return fail(ErrorCode::malformed_line, time->offset,
                  "a span line ends with its start time and duration in milliseconds");
    }
  }
  if (Status status = read_span_times(start, second, span); !status.ok()) return status;

  // SpanIngesterFormatter: source= and host= both set the source (the last one wins), as do
  // traceId= and spanId= their ids; every other key stays an annotation.
  const Token* source = nullptr;
  for (std::size_t index = first_token + 1; index + 2 < tokens.size(); ++index) {
    const Token& token = tokens[index];
    if (!token.has_key) {
      return fail(ErrorCode::malformed_line, token.offset,
                  "expected a span tag (key=value), found " + wire::quote(token.value));
    }
    const std::string_view key = token.key;
    if (key == "source" || key == "host" || key == "traceId" || key == "spanId") {
      const bool is_source = key == "source" || key == "host";
      std::string_view& slot = is_source ? span.source : key == "traceId" ? span.trace_id : span.span_id;
      if ((is_source && source != nullptr) || (!is_source && !slot.empty())) {
        warn("repeated-tag", token.offset,
             "a second " + std::string(key) + "=; the proxy keeps the last one");
      }
      if (key == "host") warn("host-for-source", token.offset, "host= where SDKs write source=");
      slot = token.value;
      if (is_source) source = &token;
      (is_source          ? offsets_.source
       : key == "traceId" ? offsets_.trace_id
                          : offsets_.span_id) = token.value_offset;
      if (!is_source && !is_uuid(token.value)) {
        warn("non-uuid-id", token.value_offset,
             std::string(key) + " " + wire::quote(token.value) + " is not a UUID");
      }
    } else if (key == "parent" || key == "followsFrom") {
      (key == "parent" ? span.parents : span.follows_from).push_back(token.value);
      (key == "parent" ? offsets_.parents : offsets_.follows_from).push_back(token.value_offset);
      offsets_.annotations.push_back(token.offset);
      if (!is_uuid(token.value)) {
        warn("non-uuid-id", token.value_offset,
             std::string(key) + " " + wire::quote(token.value) + " is not a UUID");
      }
    } else if (key == "_spanLogs") {
      span.has_span_logs = token.value == "true";
      offsets_.annotations.push_back(token.offset);
    } else {
      if (Status status = check_name(key, token.offset, ErrorCode::invalid_tag_key, "span tag key");
          !status.ok()) {
        return status;
      }
      if (key == "tag") {
        warn("reserved-tag-key", token.offset, "span tag key \"tag\": the proxy keeps it, SDKs reserve it");
      }
      if (format::utf16_length(token.value) > options_.format.limits.max_span_tag_value_length) {
        warn("span-tag-value-truncated", token.value_offset,
             "span tag " + wire::quote(key) + " has a value longer than " +
                 std::to_string(options_.format.limits.max_span_tag_value_length) +
                 " characters; the proxy truncates it (WF-433)");
      }
      span.tags.emplace_back(key, token.value);
      offsets_.tags.push_back(token.offset);
      offsets_.annotations.push_back(token.offset);
    }
  }
  if (source != nullptr && format::is_blank_value(source->value)) {
    return fail(ErrorCode::invalid_source, source->value_offset,
                std::string(source->key) + "= is empty; the proxy refuses it (WF-426)");
  }
  if (span.trace_id.empty()) return fail(ErrorCode::malformed_line, name.offset, "the span has no traceId=");
  if (span.span_id.empty()) return fail(ErrorCode::malformed_line, name.offset, "the span has no spanId=");
  return Status();
}

// SpanLogsDecoder, and SpanUtils.handleSpanLogs in the proxy: traceId and spanId are strings; a
// secondary id, the span and a log's fields may be missing or null; the span, when there is one, is
// read as a span line (its ids need not match).
Status LineReader::read_span_logs() {
  json::Value& root = tokens_->root;
  if (Status status = tokens_->json.parse(line_, root); !status.ok()) {
    return fail(ErrorCode::malformed_line, tokens_->json.error_offset(),
                "span logs: " + std::string(status.message()));
  }
  if (!root.is_object()) return fail(ErrorCode::malformed_line, 0, "span logs: a line must be a JSON object");
  // textValue(): the text of a string, nothing for null, absent or any other type.
  auto text_of = [&](std::string_view key) -> std::optional<std::string_view> {
    const json::Value* member = root.find(key);
    if (member == nullptr || !member->is_string()) return std::nullopt;
    return member->text;
  };
  for (std::string_view key : {std::string_view("traceId"), std::string_view("spanId")}) {
    const std::optional<std::string_view> id = text_of(key);
    if (!id) {
      const json::Value* member = root.find(key);
      return fail(ErrorCode::malformed_line, 0,
                  "span logs: \"" + std::string(key) + "\" must be a string" +
                      (member == nullptr ? std::string(" (it is missing)")
                                         : ", not " + std::string(json::type_name(member->type))));
    }
    (key == "traceId" ? parsed_.trace_id : parsed_.span_id) = *id;
  }
  parsed_.span_secondary_id = text_of("spanSecondaryId").value_or(text_of("_spanSecondaryId").value_or(""));
  const std::optional<std::string_view> span_text = text_of("span");
  parsed_.has_span = span_text.has_value();

  const json::Value* logs = root.find("logs");
  if (logs == nullptr || !logs->is_array()) {
    return fail(ErrorCode::malformed_line, 0, "span logs: \"logs\" must be an array");
  }
  std::vector<std::pair<std::int64_t, std::size_t>>& log_shapes = tokens_->log_shapes;
  log_shapes.clear();
  for (const json::Value& log : logs->items) {
    const json::Value* timestamp = log.find("timestamp");
    std::optional<std::int64_t> micros = timestamp != nullptr ? json::as_int64(*timestamp) : std::nullopt;
    if (!micros && timestamp != nullptr && timestamp->is_number()) {
      const std::optional<double> number = json::as_double(*timestamp);  // asLong() truncates
      if (number && std::fabs(*number) < 9.2e18) micros = static_cast<std::int64_t>(*number);
    }
    if (!micros) {
      return fail(ErrorCode::malformed_line, 0,
                  "span logs: each log needs a numeric \"timestamp\" (microseconds)");
    }
    const json::Value* fields = log.find("fields");
    std::size_t count = 0;
    if (fields != nullptr && fields->type != json::Type::null) {
      if (!fields->is_object())
        return fail(ErrorCode::malformed_line, 0, "span logs: \"fields\" must be an object");
      for (const auto& [key, value] : fields->members) {
        if (!value.is_string()) {
          return fail(ErrorCode::malformed_line, 0,
                      "span logs: field " + wire::quote(key) + " must be a string, not " +
                          std::string(json::type_name(value.type)));
        }
        parsed_.log_fields.emplace_back(key, value.text);
        ++count;
      }
    }
    log_shapes.emplace_back(*micros, count);
  }
  std::size_t first_field = 0;
  for (const auto& [micros, count] : log_shapes) {
    parsed_.logs.emplace_back(micros, TagList(parsed_.log_fields.data() + first_field, count));
    first_field += count;
  }
  for (std::string_view id : {parsed_.trace_id, parsed_.span_id}) {
    if (!is_uuid(id)) warn("non-uuid-id", 0, "span logs: id " + wire::quote(id) + " is not a UUID");
  }
  if (!parsed_.has_span) {
    warn("span-logs-without-span", 0, "span logs without their \"span\" (the proxy accepts them)");
    return Status();
  }

  // The embedded span line, read like any span line; refusals point at the "span" string.
  const std::string_view whole_line = line_;
  const std::size_t span_at = whole_line.find("\"span\"");
  span_text_offset_ = span_at == std::string_view::npos ? 0 : span_at;
  line_ = *span_text;
  const std::size_t first_warning = warnings_.size();
  std::size_t error_offset = 0;
  std::size_t start = 0;
  while (start < span_text->size() && wire::is_blank((*span_text)[start])) ++start;
  Status status = wire::tokenize(*span_text, start, tokens_->list, scratch_, error_offset);
  if (!status.ok()) error_column_ = wire::column_of(*span_text, error_offset);
  if (status.ok()) status = read_span_tokens(0, parsed_.span);
  line_ = whole_line;
  const std::size_t span_column = wire::column_of(line_, span_text_offset_);
  for (std::size_t index = first_warning; index < warnings_.size(); ++index)
    warnings_[index].column += span_column;
  if (!status.ok()) {
    const std::size_t inner_column = error_column_;
    error_column_ = span_column + inner_column;
    return Status(status.code(), "span logs: the embedded span: " + std::string(status.message()));
  }
  if (!parsed_.span.has_span_logs) {
    warn("span-logs-marker", span_text_offset_,
         "span logs: the embedded span has no \"_spanLogs\"=\"true\" (SDKs mark a span that has logs)");
  }
  if (!same_id(parsed_.trace_id, parsed_.span.trace_id) || !same_id(parsed_.span_id, parsed_.span.span_id)) {
    warn("span-logs-ids-differ", 0,
         "span logs: traceId/spanId " + wire::quote(parsed_.trace_id) + "/" + wire::quote(parsed_.span_id) +
             " differ from the embedded span's (the proxy keeps both as given)");
  }
  return Status();
}

}  // namespace wavefront
