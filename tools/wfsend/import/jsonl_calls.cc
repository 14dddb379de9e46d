// The JSONL importer's half that turns one checked call object into a send call: field types, the
// lists (tags, ids, centroids, span logs) and the column of a library refusal.
#include <cmath>
#include <limits>

#include "wavefront/format.h"
#include "wfsend/import/jsonl_import.h"

namespace wfsend::import {

using wavefront::ErrorCode;
using wavefront::Status;
using Type = wavefront::JsonType;
using Value = wavefront::JsonValue;

namespace {

std::string type_of(const Value& value) { return std::string(wavefront::json_type_name(value.type)); }

bool present(const Value* value) { return value != nullptr && value->type != Type::null; }

// A number, or one of the strings JSON needs for the numbers it cannot write.
std::optional<double> number_of(const Value& value) {
  if (value.is_number()) return wavefront::json_as_double(value);
  if (value.is_string()) {
    if (value.text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (value.text == "Infinity") return std::numeric_limits<double>::infinity();
    if (value.text == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return std::nullopt;
}

// Where in the call a library refusal points: the member named after the refused argument (the call's
// keys are the send calls' parameter names, as Status::field spells them), and within a list given as
// a JSON array the refused element; the whole call when the refusal names no argument.
const Value* refused_value(const Value& call, const Status& status) {
  const std::string_view field = wavefront::field_name(status.field());
  const Value* at = field.empty() ? nullptr : call.find(field);
  if (at == nullptr) return &call;
  if (at->is_array() && status.index() < at->items.size()) return &at->items[status.index()];
  return at;
}

}  // namespace

bool JsonlImporter::read_tags(const Value* value, std::string_view field, std::vector<wavefront::Tag>& out) {
  out.clear();
  if (!present(value)) return true;
  if (value->is_object()) {
    for (const auto& [key, item] : value->members) {
      if (!item.is_string()) {
        return fail(ErrorCode::malformed_line,
                    "\"" + std::string(field) + "\" values must be strings, got " + type_of(item), &item);
      }
      out.emplace_back(key, item.text);
    }
    return true;
  }
  if (!value->is_array()) {
    return fail(ErrorCode::malformed_line,
                "\"" + std::string(field) + "\" must be a list of [key, value] pairs or an object, got " +
                    type_of(*value),
                value);
  }
  for (const Value& pair : value->items) {
    if (!pair.is_array() || pair.items.size() != 2 || !pair.items[0].is_string() ||
        !pair.items[1].is_string()) {
      return fail(ErrorCode::malformed_line,
                  "\"" + std::string(field) + "\" items must be [key, value] pairs of strings", &pair);
    }
    out.emplace_back(pair.items[0].text, pair.items[1].text);
  }
  return true;
}

bool JsonlImporter::read_strings(const Value* value, std::string_view field,
                                 std::vector<std::string_view>& out) {
  out.clear();
  if (!present(value)) return true;
  if (!value->is_array()) {
    return fail(ErrorCode::malformed_line,
                "\"" + std::string(field) + "\" must be a list of strings, got " + type_of(*value), value);
  }
  for (const Value& item : value->items) {
    if (!item.is_string()) {
      return fail(ErrorCode::malformed_line,
                  "\"" + std::string(field) + "\" items must be strings, got " + type_of(item), &item);
    }
    out.push_back(item.text);
  }
  return true;
}

bool JsonlImporter::read_centroids(const Value* value) {
  centroids_.clear();
  if (value == nullptr) return fail(ErrorCode::malformed_line, "missing \"centroids\"", &object_);
  if (!value->is_array()) {
    return fail(ErrorCode::malformed_line,
                "\"centroids\" must be a list of [mean, count], got " + type_of(*value), value);
  }
  for (const Value& pair : value->items) {
    if (!pair.is_array() || pair.items.size() != 2) {
      return fail(ErrorCode::malformed_line, "\"centroids\" items must be [mean, count] pairs", &pair);
    }
    const std::optional<double> mean = number_of(pair.items[0]);
    if (!mean) return fail(ErrorCode::invalid_number, "centroid mean must be a number", &pair.items[0]);
    const std::optional<std::int64_t> count = wavefront::json_as_int64(pair.items[1]);
    if (!count) return fail(ErrorCode::invalid_number, "centroid count must be an integer", &pair.items[1]);
    centroids_.emplace_back(*mean, *count);
  }
  return true;
}

bool JsonlImporter::read_granularities(const Value* value, wavefront::GranularitySet& out) {
  if (!present(value)) {
    out = wavefront::Granularity::minute;
    return true;
  }
  if (!read_strings(value, "granularities", strings_a_)) return false;
  out = wavefront::GranularitySet();
  for (std::size_t index = 0; index < strings_a_.size(); ++index) {
    const std::string_view name = strings_a_[index];
    if (name == "minute") {
      out |= wavefront::Granularity::minute;
    } else if (name == "hour") {
      out |= wavefront::Granularity::hour;
    } else if (name == "day") {
      out |= wavefront::Granularity::day;
    } else {
      return fail(ErrorCode::malformed_line, "granularities are \"minute\", \"hour\" or \"day\"",
                  &value->items[index]);
    }
  }
  return true;
}

bool JsonlImporter::read_span_logs(const Value* value) {
  span_logs_.clear();
  if (!present(value)) return true;
  if (!value->is_array()) {
    return fail(ErrorCode::malformed_line, "\"span_logs\" must be a list, got " + type_of(*value), value);
  }
  if (log_fields_.size() < value->items.size()) log_fields_.resize(value->items.size());
  for (std::size_t index = 0; index < value->items.size(); ++index) {
    const Value& log = value->items[index];
    if (!log.is_object()) {
      return fail(ErrorCode::malformed_line, "span logs must be objects {\"timestamp_us\", \"fields\"}",
                  &log);
    }
    for (const auto& member : log.members) {
      if (member.first != "timestamp_us" && member.first != "fields") {
        return fail(ErrorCode::malformed_line,
                    "unknown span log field " + wavefront::quote_for_message(member.first) +
                        " (fields: timestamp_us, fields)",
                    &member.second);
      }
    }
    const Value* timestamp = log.find("timestamp_us");
    if (timestamp == nullptr)
      return fail(ErrorCode::malformed_line, "span log without \"timestamp_us\"", &log);
    const std::optional<std::int64_t> micros = wavefront::json_as_int64(*timestamp);
    if (!micros) return fail(ErrorCode::invalid_number, "\"timestamp_us\" must be an integer", timestamp);
    if (!read_tags(log.find("fields"), "fields", log_fields_[index])) return false;
    span_logs_.emplace_back(*micros, log_fields_[index]);
  }
  return true;
}

bool JsonlImporter::send_call(const Value& call, std::string_view kind, std::uint64_t line_number) {
  auto string_field = [&](std::string_view key, bool required, std::string_view& out) {
    const Value* value = call.find(key);
    if (!present(value)) {
      if (required) return fail(ErrorCode::malformed_line, "missing \"" + std::string(key) + "\"", &call);
      return true;
    }
    if (!value->is_string()) {
      return fail(ErrorCode::malformed_line,
                  "\"" + std::string(key) + "\" must be a string, got " + type_of(*value), value);
    }
    out = value->text;
    return true;
  };
  auto integer_field = [&](std::string_view key, bool required, std::optional<std::int64_t>& out) {
    const Value* value = call.find(key);
    if (!present(value)) {
      if (required) return fail(ErrorCode::malformed_line, "missing \"" + std::string(key) + "\"", &call);
      return true;
    }
    out = wavefront::json_as_int64(*value);
    if (!out) {
      return fail(ErrorCode::invalid_number,
                  "\"" + std::string(key) + "\" must be an integer, got " +
                      (value->is_number() ? std::string(value->text) : type_of(*value)),
                  value);
    }
    return true;
  };

  // Epoch seconds as Python's time.time() gives them: an integer, or a fraction of a second that is
  // kept to the nearest millisecond. Integers of 10^12 and more are read by magnitude as the proxy
  // reads them (milliseconds, microseconds, nanoseconds).
  auto timestamp_field = [&](wavefront::Timestamp& out) {
    const Value* value = call.find("timestamp");
    if (!present(value)) return true;
    const std::optional<double> number =
        value->is_number() ? wavefront::json_as_double(*value) : std::nullopt;
    if (!number || !std::isfinite(*number)) {
      return fail(ErrorCode::invalid_number,
                  "\"timestamp\" must be a number of epoch seconds, got " +
                      (value->is_number() ? std::string(value->text) : type_of(*value)),
                  value);
    }
    const std::optional<std::int64_t> integer = wavefront::json_as_int64(*value);
    if (integer && *integer < 1000000000000) {
      out = *integer;
    } else if (integer) {
      out = wavefront::timestamp_by_magnitude(*number);
    } else {
      out = *number;
    }
    return true;
  };

  std::string_view name;
  std::string_view source;
  if (!string_field("name", true, name) || !string_field("source", false, source)) return false;
  Status status;
  if (kind == "metric" || kind == "delta" || kind == "distribution") {
    wavefront::Timestamp timestamp;
    if (!timestamp_field(timestamp) || !read_tags(call.find("tags"), "tags", tags_)) {
      return false;
    }
    if (kind == "distribution") {
      wavefront::GranularitySet granularities;
      if (!read_centroids(call.find("centroids")) ||
          !read_granularities(call.find("granularities"), granularities)) {
        return false;
      }
      status = context_.sent(
          context_.sender().send_distribution(name, centroids_, granularities, timestamp, source, tags_));
    } else {
      const Value* value = call.find("value");
      if (value == nullptr) return fail(ErrorCode::malformed_line, "missing \"value\"", &call);
      const std::optional<double> number = number_of(*value);
      if (!number) {
        return fail(ErrorCode::invalid_number,
                    "\"value\" must be a number (or \"NaN\", \"Infinity\", \"-Infinity\"), got " +
                        (value->is_string() ? "\"" + std::string(value->text) + "\"" : type_of(*value)),
                    value);
      }
      status =
          kind == "metric"
              ? context_.send_value(name, *number, timestamp, source, tags_)
              : context_.sent(context_.sender().send_delta_counter(name, *number, timestamp, source, tags_));
    }
  } else if (kind == "span") {
    std::optional<std::int64_t> start_ms;
    std::optional<std::int64_t> duration_ms;
    std::string_view trace_id;
    std::string_view span_id;
    if (!integer_field("start_ms", true, start_ms) || !integer_field("duration_ms", true, duration_ms) ||
        !string_field("trace_id", true, trace_id) || !string_field("span_id", true, span_id) ||
        !read_strings(call.find("parents"), "parents", strings_a_) ||
        !read_strings(call.find("follows_from"), "follows_from", strings_b_) ||
        !read_tags(call.find("tags"), "tags", tags_) || !read_span_logs(call.find("span_logs"))) {
      return false;
    }
    status = context_.sent(context_.sender().send_span(name, *start_ms, *duration_ms, source, trace_id,
                                                       span_id, strings_a_, strings_b_, tags_, span_logs_));
  } else {  // event
    std::optional<std::int64_t> start_ms;
    std::optional<std::int64_t> end_ms;
    if (!integer_field("start_ms", true, start_ms) || !integer_field("end_ms", false, end_ms) ||
        !read_tags(call.find("annotations"), "annotations", tags_) ||
        !read_strings(call.find("tags"), "tags", strings_a_)) {
      return false;
    }
    status = context_.sent(
        context_.sender().send_event(name, *start_ms, end_ms.value_or(0), source, tags_, strings_a_));
  }
  if (!status.ok()) {
    context_.report(status, line_number, column_of(offset_of(refused_value(call, status))));
  }
  return true;
}

}  // namespace wfsend::import
