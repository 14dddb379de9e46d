// LineReader: dispatch by kind, metrics, distributions, and turning refusals into columns. Spans and
// span logs are in span_reader.cc, events and the canonical form in event_reader.cc.
#include "wavefront/line_reader.h"

#include "wavefront/format/fields.h"
#include "wavefront/format/utf8.h"
#include "wavefront/wire/line_reader_internal.h"
#include "wavefront/wire/number_text.h"

namespace wavefront {

using wire::Token;

std::string_view line_kind_name(LineKind kind) noexcept {
  switch (kind) {
    case LineKind::metric:
      return "metric";
    case LineKind::distribution:
      return "distribution";
    case LineKind::span:
      return "span";
    case LineKind::span_logs:
      return "span_logs";
    case LineKind::event:
      return "event";
  }
  return "unknown";
}

DataType line_data_type(LineKind kind) noexcept {
  switch (kind) {
    case LineKind::metric:
      return DataType::metric;
    case LineKind::distribution:
      return DataType::distribution;
    case LineKind::span:
      return DataType::span;
    case LineKind::span_logs:
      return DataType::span_log;
    case LineKind::event:
      return DataType::event;
  }
  return DataType::metric;
}

LineKind detect_line_kind(std::string_view line) noexcept {
  std::size_t start = 0;
  while (start < line.size() && wire::is_blank(line[start])) ++start;
  const std::string_view text = line.substr(start);
  if (text.size() >= 2 && text[0] == '!' && (text[1] == 'M' || text[1] == 'H' || text[1] == 'D')) {
    return LineKind::distribution;
  }
  if (!text.empty() && text[0] == '@') return LineKind::event;  // @Event; other @ lines are refused
  if (!text.empty() && text[0] == '{') return LineKind::span_logs;
  // A span has a traceId tag: `traceId=` or `"traceId"=` right after a blank.
  for (std::size_t at = text.find("traceId"); at != std::string_view::npos;
       at = text.find("traceId", at + 1)) {
    const bool quoted =
        at >= 2 && text[at - 1] == '"' && wire::is_blank(text[at - 2]) && text.substr(at + 7, 2) == "\"=";
    const bool bare = at >= 1 && wire::is_blank(text[at - 1]) && text.substr(at + 7, 1) == "=";
    if (quoted || bare) return LineKind::span;
  }
  return LineKind::metric;
}

LineReader::LineReader(LineReaderOptions options)
    : options_(std::move(options)), tokens_(std::make_unique<Tokens>()) {}
LineReader::~LineReader() = default;
LineReader::LineReader(LineReader&&) noexcept = default;
LineReader& LineReader::operator=(LineReader&&) noexcept = default;

Status LineReader::fail(ErrorCode code, std::size_t byte_offset, std::string message) {
  error_column_ = wire::column_of(line_, byte_offset);
  return Status(code, std::move(message));
}

void LineReader::warn(std::string_view rule, std::size_t byte_offset, std::string message) {
  warnings_.push_back(ReadWarning{rule, std::move(message), wire::column_of(line_, byte_offset)});
}

Status LineReader::read(std::string_view line, std::optional<LineKind> expected) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  line_ = line;
  error_column_ = 0;
  canonical_.clear();
  warnings_.clear();
  if (line.size() > options_.max_line_length) {
    error_column_ = options_.max_line_length + 1;
    return Status(ErrorCode::line_too_long, "the line is " + std::to_string(line.size()) +
                                                " bytes; the limit is " +
                                                std::to_string(options_.max_line_length));
  }
  scratch_.clear();
  if (scratch_.capacity() < line.size()) scratch_.reserve(line.size());
  parsed_.name = parsed_.source = {};
  parsed_.tags.clear();
  parsed_.timestamp.reset();
  parsed_.centroids.clear();
  parsed_.logs.clear();
  parsed_.log_fields.clear();
  parsed_.event_tags.clear();
  parsed_.span_secondary_id = parsed_.trace_id = parsed_.span_id = {};
  parsed_.has_span = true;
  parsed_.hosts.clear();
  offsets_.name = offsets_.value = offsets_.timestamp = offsets_.source = offsets_.end = 0;
  offsets_.tags.clear();
  offsets_.annotations.clear();
  Status status = read_kind(expected);
  if (status.ok()) status = canonicalize();
  if (!status.ok()) {
    canonical_.clear();
    warnings_.clear();
    if (error_column_ == 0) error_column_ = wire::column_of(line_, locate(status));
  }
  return status;
}

Status LineReader::read_kind(std::optional<LineKind> expected) {
  std::size_t start = 0;
  while (start < line_.size() && wire::is_blank(line_[start])) ++start;
  if (start == line_.size()) return fail(ErrorCode::malformed_line, start, "empty line");
  const LineKind kind = detect_line_kind(line_);
  parsed_.kind = kind;
  if (expected && *expected != kind) {
    return fail(ErrorCode::malformed_line, start,
                "a " + std::string(line_kind_name(kind)) + " line where " +
                    std::string(line_kind_name(*expected)) + " lines are expected");
  }
  if (kind == LineKind::span_logs) return read_span_logs();
  std::size_t error_offset = 0;
  if (Status status = wire::tokenize(line_, start, tokens_->list, scratch_, error_offset); !status.ok()) {
    return fail(status.code(), error_offset, std::string(status.message()));
  }
  switch (kind) {
    case LineKind::metric:
      return read_metric();
    case LineKind::distribution:
      return read_distribution();
    case LineKind::span:
      return read_span_tokens(0, parsed_.span);
    case LineKind::event:
      return read_event();
    case LineKind::span_logs:
      break;
  }
  return Status();
}

// Tags after the fixed fields of a metric or distribution: source/host, and point tags.
Status LineReader::read_point_tags(std::size_t first_token) {
  const std::vector<Token>& tokens = tokens_->list;
  const Token* source = nullptr;
  const Token* host = nullptr;
  for (std::size_t index = first_token; index < tokens.size(); ++index) {
    const Token& token = tokens[index];
    if (!token.has_key) {
      return fail(ErrorCode::malformed_line, token.offset,
                  "expected a tag (key=value), found " + wire::quote(token.value));
    }
    // ReportPointIngesterFormatter keeps tags in a map: a repeated key keeps its last value.
    if (token.key == "source" || token.key == "host") {
      const Token*& slot = token.key == "source" ? source : host;
      if (slot != nullptr) {
        warn("repeated-tag", token.offset,
             "a second " + std::string(token.key) + "=; the proxy keeps the last one");
      }
      slot = &token;
      continue;
    }
    // Written back as `"traceId"=`, the line would be taken for a span.
    if (token.key == "traceId") {
      return fail(ErrorCode::malformed_line, token.offset,
                  "a point tag traceId= makes the line a span to the proxy's port");
    }
    // The proxy stores a point tag `tag` as `_tag` (ReportPointIngesterFormatter).
    const bool renamed = token.key == "tag";
    if (renamed) warn("tag-key-renamed", token.offset, "the point tag key \"tag\" is stored as \"_tag\"");
    if (Status status = check_name(token.key, token.offset, ErrorCode::invalid_tag_key, "tag key");
        !status.ok()) {
      return status;
    }
    for (std::size_t earlier = 0; earlier < parsed_.tags.size(); ++earlier) {
      if (parsed_.tags[earlier].key == (renamed ? "_tag" : token.key)) {
        warn("repeated-tag", token.offset,
             "point tag " + wire::quote(token.key) + " is repeated; the proxy keeps the last value");
        break;
      }
    }
    parsed_.tags.emplace_back(renamed ? std::string_view("_tag") : token.key, token.value);
    offsets_.tags.push_back(token.offset);
  }
  // An explicit blank source is refused, not replaced (Validation.validatePoint: WF-406).
  for (const Token* given : {source, host}) {
    if (given != nullptr && given->value.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos) {
      return fail(ErrorCode::invalid_source, given->value_offset,
                  std::string(given->key) +
                      "= is empty; the proxy refuses it (WF-406: source/host name is "
                      "required); leave it out to get the receiver's default");
    }
  }
  if (host != nullptr && source == nullptr) {
    warn("host-for-source", host->offset, "host= where SDKs write source=");
  }
  // As the proxy does: source= wins; a host= beside it is kept as the tag _host.
  if (source != nullptr) {
    parsed_.source = source->value;
    offsets_.source = source->value_offset;
    if (host != nullptr) {
      parsed_.tags.emplace_back("_host", host->value);
      offsets_.tags.push_back(host->offset);
    }
  } else if (host != nullptr) {
    parsed_.source = host->value;
    offsets_.source = host->value_offset;
  }
  return Status();
}

Status LineReader::check_name(std::string_view name, std::size_t token_offset, ErrorCode code,
                              std::string_view field) {
  const std::size_t bad = wire::first_illegal_name_byte(name);
  if (bad == std::string_view::npos) return Status();
  // The token may be quoted: the name's bytes start one later.
  const std::size_t name_start = token_offset + (line_[token_offset] == '"' ? 1 : 0);
  return fail(
      code, name_start + bad,
      std::string(field) + " " + wire::quote(name) + " has " + wire::describe_character(name, bad) +
          ", which the proxy refuses; names allow A-Z a-z 0-9 . _ , - / (and a leading ~ or delta sign)");
}

Status LineReader::read_metric() {
  const std::vector<Token>& tokens = tokens_->list;
  const Token& name = tokens[0];
  if (name.has_key) return fail(ErrorCode::malformed_line, name.offset, "a metric line starts with its name");
  offsets_.name = name.offset;
  if (Status status = check_name(name.value, name.offset, ErrorCode::invalid_name, "metric name");
      !status.ok()) {
    return status;
  }
  parsed_.name = name.value;
  parsed_.delta = format::has_delta_prefix(name.value);
  if (tokens.size() < 2 || tokens[1].has_key) {
    return fail(ErrorCode::malformed_line, tokens.size() < 2 ? line_.size() : tokens[1].offset,
                "metric " + wire::quote(name.value) + " has no value after its name");
  }
  const Token& value = tokens[1];
  offsets_.value = value.offset;
  if (Status status = read_number(value, "metric value", parsed_.value); !status.ok()) return status;
  std::size_t next = 2;
  if (next < tokens.size() && !tokens[next].has_key && !tokens[next].quoted &&
      wire::starts_with_digit(tokens[next].value)) {
    if (Status status = read_point_timestamp(tokens[next]); !status.ok()) return status;
    ++next;
  }
  return read_point_tags(next);
}

Status LineReader::read_number(const Token& token, std::string_view field, double& value) {
  const wire::NumberText result =
      token.quoted ? wire::NumberText::not_a_number : wire::parse_double(token.value, value);
  if (result == wire::NumberText::not_a_number) {
    return fail(ErrorCode::invalid_number, token.offset,
                std::string(field) + " " + wire::quote(token.value) + " is not a number");
  }
  if (result == wire::NumberText::non_finite) {
    return fail(ErrorCode::non_finite_value, token.offset,
                std::string(field) + " " + wire::quote(token.value) +
                    " is not finite; NaN and infinities are refused");
  }
  return Status();
}

Status LineReader::read_point_timestamp(const Token& token) {
  double timestamp = 0;
  offsets_.timestamp = token.offset;
  if (wire::parse_double(token.value, timestamp) != wire::NumberText::ok) {
    return fail(ErrorCode::invalid_number, token.offset,
                "timestamp " + wire::quote(token.value) + " is not a number");
  }
  // Java's longValue() saturates here; no unit makes this a date the proxy's time filter lets in.
  if (timestamp >= 9.2e18) {
    return fail(ErrorCode::invalid_timestamp, token.offset,
                "timestamp " + wire::quote(token.value) + " is past the year 2262 in any unit");
  }
  parsed_.timestamp = wire::proxy_timestamp(timestamp);
  if (timestamp >= 1e13) {
    warn("timestamp-unit", token.offset,
         "timestamp " + wire::quote(token.value) +
             " is in microseconds or nanoseconds; the proxy keeps milliseconds only");
  }
  return Status();
}

Status LineReader::read_distribution() {
  const std::vector<Token>& tokens = tokens_->list;
  const Token& marker = tokens[0];
  if (marker.has_key || marker.quoted || marker.value.size() != 2) {
    return fail(ErrorCode::malformed_line, marker.offset, "a distribution starts with !M, !H or !D");
  }
  parsed_.granularities = marker.value[1] == 'M'   ? Granularity::minute
                          : marker.value[1] == 'H' ? Granularity::hour
                                                   : Granularity::day;
  std::size_t next = 1;
  if (next < tokens.size() && !tokens[next].has_key && !tokens[next].quoted &&
      wire::starts_with_digit(tokens[next].value)) {
    if (Status status = read_point_timestamp(tokens[next]); !status.ok()) return status;
    ++next;
  }
  offsets_.value = next < tokens.size() ? tokens[next].offset : line_.size();
  while (next < tokens.size() && !tokens[next].has_key && !tokens[next].quoted &&
         tokens[next].value.substr(0, 1) == "#") {
    // StringParser makes '#' a token of its own: `#5 1.0` and `# 5 1.0` are the same centroid.
    if (tokens[next].value == "#" && next + 1 < tokens.size() && !tokens[next + 1].has_key) ++next;
    const Token& count = tokens[next];
    const std::string_view count_text = count.value.substr(count.value.substr(0, 1) == "#" ? 1 : 0);
    std::int64_t centroid_count = 0;
    if (!wire::parse_int64(count_text, centroid_count)) {
      return fail(ErrorCode::invalid_number, count.offset,
                  "centroid count " + wire::quote(count.value) + " is not #<integer>");
    }
    if (next + 1 >= tokens.size() || tokens[next + 1].has_key) {
      return fail(ErrorCode::malformed_line, count.offset,
                  "centroid count " + wire::quote(count.value) + " is not followed by a mean");
    }
    double mean = 0;
    if (Status status = read_number(tokens[next + 1], "centroid mean", mean); !status.ok()) return status;
    parsed_.centroids.emplace_back(mean, centroid_count);
    next += 2;
  }
  if (parsed_.centroids.empty()) {
    return fail(ErrorCode::empty_histogram, offsets_.value, "a distribution needs #<count> <mean> centroids");
  }
  if (next >= tokens.size() || tokens[next].has_key) {
    return fail(ErrorCode::malformed_line, next < tokens.size() ? tokens[next].offset : line_.size(),
                "the centroids must be followed by the distribution's name");
  }
  const Token& name = tokens[next];
  offsets_.name = name.offset;
  if (Status status = check_name(name.value, name.offset, ErrorCode::invalid_name, "distribution name");
      !status.ok()) {
    return status;
  }
  parsed_.name = name.value;
  return read_point_tags(next + 1);
}

}  // namespace wavefront
