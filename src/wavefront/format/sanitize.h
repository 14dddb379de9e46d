// The sanitizing and escaping rules of the wire format (private; spec §3.1, §3.2, §2.4).
//
// Each writer appends one field to `out` without quotes and reports the field's length in UTF-16
// code units as the proxy reads it back, or a problem. On a problem the bytes already appended are
// garbage: callers roll `out` back to where the line started.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wavefront::format {

// What is wrong with a field, before it becomes an error code that depends on the field.
enum class FieldProblem : unsigned char {
  none,
  empty,               // nothing left (names: empty input; values: empty after trimming)
  blank,               // only whitespace as the proxy's Java code sees it
  only_delta,          // a name that is only a delta sign
  trailing_backslash,  // the proxy would read the closing quote as escaped
  invalid_utf8,
};

struct FieldWrite {
  FieldProblem problem = FieldProblem::none;
  std::size_t length = 0;  // UTF-16 code units as read back
};

// A metric name or tag key: characters outside [A-Za-z0-9._,/-] become '-', one per code point; a
// leading '~', '∆' or 'Δ' is kept, and a '~' right after a leading delta sign. Not trimmed.
FieldWrite append_sanitized_name(std::string& out, std::string_view name);

// A value (tag value, source, span or event name): trimmed, then '"' -> \", LF -> \n, CR -> \r,
// other control characters -> '-'. Refuses blank values and a trailing backslash.
FieldWrite append_escaped_value(std::string& out, std::string_view value);

// True if every byte of `name` is ASCII in [A-Za-z0-9._,/-]: append_sanitized_name writes it unchanged.
bool is_clean_name(std::string_view name);

// True if text is printable ASCII without '"' (nothing to escape, nothing to validate).
bool is_plain_ascii(std::string_view text);

// True if append_escaped_value writes `value` unchanged, its length in UTF-16 units being its size:
// printable ASCII without '"', not starting or ending with a space or ending with a backslash.
inline bool is_plain_value(std::string_view value) {
  if (value.empty()) return false;
  const auto front = static_cast<unsigned char>(value.front());
  const auto back = static_cast<unsigned char>(value.back());
  return front > 0x20 && front < 0x7F && back > 0x20 && back < 0x7F && back != '\\' && is_plain_ascii(value);
}

// True if a value is empty or only whitespace after trimming (what the proxy calls blank).
bool is_blank_value(std::string_view value);

// A value for a JSON document (event JSON): trimmed and refused like append_escaped_value, then
// JSON-escaped instead of line-escaped.
FieldWrite append_json_value(std::string& out, std::string_view value);

// Any string as JSON string content (span-log fields are data: escaped, never sanitized). The only
// possible problem is invalid UTF-8.
FieldWrite append_json_string(std::string& out, std::string_view text);

// A short, printable rendering of an offending value for an error message: at most
// kMessageValueLimit code points, control characters and invalid bytes shown as \xNN, quoted.
inline constexpr std::size_t kMessageValueLimit = 48;
std::string quote_for_message(std::string_view value);

// A human-readable explanation of a problem for an error message.
std::string_view describe(FieldProblem problem);

}  // namespace wavefront::format
