// LineReader: span lines and span-logs JSON lines. See include/wavefront/line_reader.h.
#include <cctype>

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

}  // namespace

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
  std::int64_t start_ms = 0, second_number = 0;
  offsets_.timestamp = start.offset;
  offsets_.end = second.offset;
  if (!wire::parse_int64(start.value, start_ms)) {
    return fail(ErrorCode::invalid_number, start.offset,
                "span start " + wire::quote(start.value) + " is not an integer (milliseconds)");
  }
  if (!wire::parse_int64(second.value, second_number)) {
    return fail(ErrorCode::invalid_number, second.offset,
                "span duration " + wire::quote(second.value) + " is not an integer (milliseconds)");
  }
  span.start_ms = start_ms;
  // As the proxy reads it: a second number not below the start is the end time.
  span.duration_ms = start_ms > 0 && second_number >= start_ms ? second_number - start_ms : second_number;

  const Token* host = nullptr;
  for (std::size_t index = first_token + 1; index + 2 < tokens.size(); ++index) {
    const Token& token = tokens[index];
    if (!token.has_key) {
      return fail(ErrorCode::malformed_line, token.offset,
                  "expected a span tag (key=value), found " + wire::quote(token.value));
    }
    const std::string_view key = token.key;
    if (key == "source" || key == "traceId" || key == "spanId") {
      std::string_view& slot = key == "source"    ? span.source
                               : key == "traceId" ? span.trace_id
                                                  : span.span_id;
      if (!slot.empty())
        return fail(ErrorCode::malformed_line, token.offset, "a second " + std::string(key) + "=");
      slot = token.value;
      (key == "source"    ? offsets_.source
       : key == "traceId" ? offsets_.trace_id
                          : offsets_.span_id) = token.value_offset;
    } else if (key == "host") {
      if (host != nullptr) return fail(ErrorCode::malformed_line, token.offset, "a second host=");
      host = &token;
    } else if (key == "parent") {
      span.parents.push_back(token.value);
      offsets_.parents.push_back(token.value_offset);
      offsets_.annotations.push_back(token.offset);
    } else if (key == "followsFrom") {
      span.follows_from.push_back(token.value);
      offsets_.follows_from.push_back(token.value_offset);
      offsets_.annotations.push_back(token.offset);
    } else if (key == "_spanLogs") {
      span.has_span_logs = token.value == "true";
      offsets_.annotations.push_back(token.offset);
    } else {
      if (Status status = check_name(key, token.offset, ErrorCode::invalid_tag_key, "span tag key");
          !status.ok()) {
        return status;
      }
      span.tags.emplace_back(key, token.value);
      offsets_.tags.push_back(token.offset);
      offsets_.annotations.push_back(token.offset);
    }
  }
  // As for points: source= wins and a host= beside it stays as the tag _host.
  if (host != nullptr) {
    if (span.source.empty()) {
      span.source = host->value;
      offsets_.source = host->value_offset;
    } else {
      span.tags.emplace_back("_host", host->value);
      offsets_.tags.push_back(host->offset);
      offsets_.annotations.push_back(host->offset);
    }
  }
  if (span.trace_id.empty()) return fail(ErrorCode::malformed_line, name.offset, "the span has no traceId=");
  if (span.span_id.empty()) return fail(ErrorCode::malformed_line, name.offset, "the span has no spanId=");
  return Status();
}

Status LineReader::read_span_logs() {
  json::Value& root = tokens_->root;
  if (Status status = tokens_->json.parse(line_, root); !status.ok()) {
    return fail(ErrorCode::malformed_line, tokens_->json.error_offset(),
                "span logs: " + std::string(status.message()));
  }
  auto string_member = [&](std::string_view key, bool required, std::string_view& out) -> Status {
    const json::Value* member = root.find(key);
    if (member == nullptr) {
      if (!required) return Status();
      return fail(ErrorCode::malformed_line, 0, "span logs: no \"" + std::string(key) + "\" member");
    }
    if (!member->is_string()) {
      return fail(ErrorCode::malformed_line, 0,
                  "span logs: \"" + std::string(key) + "\" must be a string, not " +
                      std::string(json::type_name(member->type)));
    }
    out = member->text;
    return Status();
  };
  if (!root.is_object()) return fail(ErrorCode::malformed_line, 0, "span logs: a line must be a JSON object");
  std::string_view trace_id, span_id, span_text;
  for (Status status : {string_member("traceId", true, trace_id), string_member("spanId", true, span_id),
                        string_member("_spanSecondaryId", false, parsed_.span_secondary_id),
                        string_member("span", true, span_text)}) {
    if (!status.ok()) return status;
  }
  const json::Value* logs = root.find("logs");
  if (logs == nullptr || !logs->is_array()) {
    return fail(ErrorCode::malformed_line, 0, "span logs: \"logs\" must be an array");
  }
  if (logs->items.empty()) return fail(ErrorCode::malformed_line, 0, "span logs: \"logs\" is empty");
  std::vector<std::pair<std::int64_t, std::size_t>>& log_shapes = tokens_->log_shapes;
  log_shapes.clear();
  for (const json::Value& log : logs->items) {
    const json::Value* timestamp = log.find("timestamp");
    const std::optional<std::int64_t> micros =
        timestamp != nullptr ? json::as_int64(*timestamp) : std::nullopt;
    if (!micros) {
      return fail(ErrorCode::malformed_line, 0,
                  "span logs: each log needs an integer \"timestamp\" (microseconds)");
    }
    const json::Value* fields = log.find("fields");
    std::size_t count = 0;
    if (fields != nullptr) {
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
    parsed_.logs.emplace_back(micros, Tags(parsed_.log_fields.data() + first_field, count));
    first_field += count;
  }

  // The embedded span line, read like any span line; refusals point at the "span" string.
  const std::string_view whole_line = line_;
  const std::size_t span_at = whole_line.find("\"span\"");
  span_text_offset_ = span_at == std::string_view::npos ? 0 : span_at;
  line_ = span_text;
  std::size_t error_offset = 0;
  Status status = wire::tokenize(span_text, 0, tokens_->list, scratch_, error_offset);
  if (!status.ok()) error_column_ = wire::column_of(span_text, error_offset);
  if (status.ok()) status = read_span_tokens(0, parsed_.span);
  line_ = whole_line;
  if (!status.ok()) {
    const std::size_t inner_column = error_column_;
    error_column_ = wire::column_of(line_, span_text_offset_) + inner_column;
    return Status(status.code(), "span logs: the embedded span: " + std::string(status.message()));
  }
  if (!same_id(trace_id, parsed_.span.trace_id) || !same_id(span_id, parsed_.span.span_id)) {
    return fail(ErrorCode::malformed_line, 0,
                "span logs: traceId/spanId " + wire::quote(trace_id) + "/" + wire::quote(span_id) +
                    " differ from the embedded span's");
  }
  return Status();
}

}  // namespace wavefront
