// LineReader: where a refusal points (the column), and the message helpers. See line_reader.h.
#include <cstdio>

#include "wavefront/format/sanitize.h"
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

// Where a refusal of the formatters (or of the canonical writer) points, as a byte offset into the
// line: the argument they refused (Status::field) and, in a list, the element (Status::index), set
// where each rule is checked. The message text plays no part.
std::size_t LineReader::locate(const Status& status) {
  if (parsed_.kind == LineKind::span_logs) return span_text_offset_;
  const std::size_t index = status.index();
  const auto element = [&](const std::vector<std::size_t>& offsets) {
    return index < offsets.size() ? offsets[index] : offsets_.name;
  };
  // An event's annotations (key=value) are parsed_.tags, at offsets_.tags; its plain tags are
  // parsed_.event_tags, at offsets_.annotations (line_reader.h).
  const bool event = parsed_.kind == LineKind::event;
  switch (status.field()) {
    case Field::name:
      return offsets_.name;
    case Field::source:
      return offsets_.source;
    case Field::value:
    case Field::centroids:
    case Field::granularities:
      return offsets_.value;
    case Field::timestamp:
    case Field::start_ms:
      return offsets_.timestamp;
    case Field::duration_ms:
      return offsets_.end;
    case Field::end_ms:
      return offsets_.end != 0 ? offsets_.end : offsets_.timestamp;
    case Field::trace_id:
      return offsets_.trace_id;
    case Field::span_id:
      return offsets_.span_id;
    case Field::parents:
      return element(offsets_.parents);
    case Field::follows_from:
      return element(offsets_.follows_from);
    case Field::annotations:
      return element(offsets_.tags);
    case Field::tags:
      if (status.code() == ErrorCode::too_many_tags && parsed_.kind == LineKind::span) {
        // Counted over all of a span's annotations in line order: point at the first one too many.
        const std::size_t limit = options_.format.limits.max_span_annotations;
        return offsets_.annotations.size() > limit ? offsets_.annotations[limit] : offsets_.name;
      }
      return element(event ? offsets_.annotations : offsets_.tags);
    case Field::span_logs:
      return span_text_offset_;
    case Field::none:
      break;
  }
  return 0;
}

}  // namespace wavefront
