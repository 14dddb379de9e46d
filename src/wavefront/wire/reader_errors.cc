// LineReader: where a refusal points (the column), and the message helpers. See line_reader.h.
#include <cstdio>

#include "wavefront/format/numbers.h"
#include "wavefront/format/sanitize.h"
#include "wavefront/format/span.h"
#include "wavefront/format/utf8.h"
#include "wavefront/line_reader.h"
#include "wavefront/wire/line_reader_internal.h"

namespace wavefront {
namespace wire {

std::size_t column_of(std::string_view line, std::size_t byte_offset) noexcept {
  if (byte_offset > line.size()) byte_offset = line.size();
  std::size_t column = 1;
  for (std::size_t position = 0; position < byte_offset;) {
    format::decode_utf8(line, position);
    ++column;
  }
  return column;
}

std::string quote(std::string_view value) { return format::quote_for_message(value); }

namespace {

constexpr bool is_name_byte(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ',' || c == '-' || c == '/';
}

// Length of a leading delta sign (∆ U+2206 or Δ U+0394), or 0.
std::size_t delta_sign_length(std::string_view name) noexcept {
  if (name.substr(0, 3) == "\xE2\x88\x86") return 3;
  if (name.substr(0, 2) == "\xCE\x94") return 2;
  return 0;
}

}  // namespace

std::size_t first_illegal_name_byte(std::string_view name) noexcept {
  std::size_t position = 0;
  if (!name.empty() && name[0] == '~') {
    position = 1;
  } else if (const std::size_t delta = delta_sign_length(name); delta != 0) {
    position = delta;
    if (position < name.size() && name[position] == '~') ++position;
  }
  for (; position < name.size(); ++position) {
    if (!is_name_byte(static_cast<unsigned char>(name[position]))) return position;
  }
  return std::string_view::npos;
}

std::string describe_character(std::string_view name, std::size_t index) {
  std::size_t end = index;
  const char32_t code_point = format::decode_utf8(name, end);
  if (code_point == format::kInvalidCodePoint) return "an invalid UTF-8 byte";
  char code[16];
  std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(code_point));
  return "the character " + format::quote_for_message(name.substr(index, end - index)) + " (" + code + ")";
}

}  // namespace wire

// Which field a formatter refusal is about, as a byte offset into the line. Tag refusals are
// narrowed down by checking the tags one at a time.
std::size_t LineReader::locate(const Status& status) {
  if (parsed_.kind == LineKind::span_logs) return span_text_offset_;
  const FormatOptions& format = options_.format;
  auto first_failing = [&](const std::vector<Tag>& tags, const std::vector<std::size_t>& offsets,
                           auto&& check) -> std::size_t {
    for (std::size_t index = 0; index < tags.size() && index < offsets.size(); ++index) {
      discard_.clear();
      if (!check(tags[index]).ok()) return offsets[index];
    }
    return offsets_.name;
  };
  const ParsedSpan& span = parsed_.span;
  switch (status.code()) {
    case ErrorCode::invalid_name:
    case ErrorCode::name_too_long:
    case ErrorCode::span_name_too_long:
      return offsets_.name;
    case ErrorCode::invalid_source:
    case ErrorCode::source_too_long:
      return offsets_.source;
    case ErrorCode::non_finite_value:
    case ErrorCode::negative_delta:
    case ErrorCode::empty_histogram:
    case ErrorCode::invalid_centroid:
      return offsets_.value;
    case ErrorCode::invalid_timestamp:
      return status.message().find("duration") != std::string_view::npos ? offsets_.end : offsets_.timestamp;
    case ErrorCode::too_many_tags: {
      const std::vector<std::size_t>& offsets =
          parsed_.kind == LineKind::span ? offsets_.annotations : offsets_.tags;
      const std::size_t limit =
          parsed_.kind == LineKind::span ? format.limits.max_span_annotations : format.limits.max_point_tags;
      return offsets.size() > limit ? offsets[limit] : offsets_.name;
    }
    case ErrorCode::invalid_id: {
      discard_.clear();
      if (!format::append_uuid(discard_, span.trace_id)) return offsets_.trace_id;
      if (!format::append_uuid(discard_, span.span_id)) return offsets_.span_id;
      for (std::size_t index = 0; index < span.parents.size(); ++index) {
        if (!format::append_uuid(discard_, span.parents[index])) return offsets_.parents[index];
      }
      for (std::size_t index = 0; index < span.follows_from.size(); ++index) {
        if (!format::append_uuid(discard_, span.follows_from[index])) return offsets_.follows_from[index];
      }
      return offsets_.name;
    }
    case ErrorCode::invalid_tag_key:
    case ErrorCode::invalid_tag_value:
    case ErrorCode::tag_key_too_long:
    case ErrorCode::tag_value_too_long:
    case ErrorCode::tag_too_long:
      break;
    default:
      return 0;
  }
  switch (parsed_.kind) {
    case LineKind::metric:
    case LineKind::distribution:
      return first_failing(parsed_.tags, offsets_.tags, [&](const Tag& tag) {
        return format_metric(discard_, "x", 1, std::nullopt, "s", Tags(&tag, 1), format);
      });
    case LineKind::span:
      return first_failing(span.tags, offsets_.tags, [&](const Tag& tag) {
        return format::format_span_line(discard_, "x", 2, 1, "s", wire::kCheckId, wire::kCheckId, {}, {},
                                        Tags(&tag, 1), false, format);
      });
    case LineKind::event: {
      for (std::size_t index = 0; index < parsed_.event_tags.size(); ++index) {
        discard_.clear();
        if (!format_event(discard_, "x", 1, 0, "s", {}, Strings(&parsed_.event_tags[index], 1), format)
                 .ok()) {
          return offsets_.annotations[index];
        }
      }
      return first_failing(parsed_.tags, offsets_.tags, [&](const Tag& tag) {
        return format_event(discard_, "x", 1, 0, "s", Tags(&tag, 1), {}, format);
      });
    }
    case LineKind::span_logs:
      break;
  }
  return 0;
}

}  // namespace wavefront
