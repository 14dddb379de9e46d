// Error code names and Status rendering; see include/wavefront/status.h.
#include "wavefront/status.h"

#include <new>

namespace wavefront {

std::string_view error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::ok:
      return "ok";
    case ErrorCode::invalid_name:
      return "invalid_name";
    case ErrorCode::invalid_source:
      return "invalid_source";
    case ErrorCode::invalid_tag_key:
      return "invalid_tag_key";
    case ErrorCode::invalid_tag_value:
      return "invalid_tag_value";
    case ErrorCode::non_finite_value:
      return "non_finite_value";
    case ErrorCode::negative_delta:
      return "negative_delta";
    case ErrorCode::invalid_timestamp:
      return "invalid_timestamp";
    case ErrorCode::name_too_long:
      return "name_too_long";
    case ErrorCode::source_too_long:
      return "source_too_long";
    case ErrorCode::too_many_tags:
      return "too_many_tags";
    case ErrorCode::tag_key_too_long:
      return "tag_key_too_long";
    case ErrorCode::tag_value_too_long:
      return "tag_value_too_long";
    case ErrorCode::tag_too_long:
      return "tag_too_long";
    case ErrorCode::span_name_too_long:
      return "span_name_too_long";
    case ErrorCode::span_logs_too_long:
      return "span_logs_too_long";
    case ErrorCode::empty_histogram:
      return "empty_histogram";
    case ErrorCode::invalid_centroid:
      return "invalid_centroid";
    case ErrorCode::invalid_id:
      return "invalid_id";
    case ErrorCode::malformed_line:
      return "malformed_line";
    case ErrorCode::invalid_number:
      return "invalid_number";
    case ErrorCode::line_too_long:
      return "line_too_long";
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::not_configured:
      return "not_configured";
    case ErrorCode::closed:
      return "closed";
    case ErrorCode::queue_full:
      return "queue_full";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::io_error:
      return "io_error";
    case ErrorCode::too_large:
      return "too_large";
  }
  return "unknown";
}

std::string_view field_name(Field field) noexcept {
  switch (field) {
    case Field::none:
      return "";
    case Field::name:
      return "name";
    case Field::value:
      return "value";
    case Field::timestamp:
      return "timestamp";
    case Field::source:
      return "source";
    case Field::tags:
      return "tags";
    case Field::centroids:
      return "centroids";
    case Field::granularities:
      return "granularities";
    case Field::start_ms:
      return "start_ms";
    case Field::duration_ms:
      return "duration_ms";
    case Field::end_ms:
      return "end_ms";
    case Field::trace_id:
      return "trace_id";
    case Field::span_id:
      return "span_id";
    case Field::parents:
      return "parents";
    case Field::follows_from:
      return "follows_from";
    case Field::span_logs:
      return "span_logs";
    case Field::annotations:
      return "annotations";
  }
  return "";
}

const std::string& Status::message() const noexcept {
  // Built in static storage and never destroyed: usable while the process exits.
  alignas(std::string) static unsigned char storage[sizeof(std::string)];
  static const std::string* const empty = new (storage) std::string();
  return message_ ? *message_ : *empty;
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  std::string text(error_code_name(code_));
  text += ": ";
  text += message();
  return text;
}

}  // namespace wavefront
