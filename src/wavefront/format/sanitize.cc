// Sanitizing, escaping and message quoting; see sanitize.h.
#include "wavefront/format/sanitize.h"

#include <array>

#include "wavefront/format/utf8.h"

namespace wavefront::format {
namespace {

constexpr std::array<bool, 256> make_name_charset() {
  std::array<bool, 256> allowed{};
  for (int c = 'a'; c <= 'z'; ++c) allowed[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) allowed[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) allowed[static_cast<std::size_t>(c)] = true;
  for (char c : {'.', '_', ',', '-', '/'}) allowed[static_cast<unsigned char>(c)] = true;
  return allowed;
}
constexpr std::array<bool, 256> kNameCharset = make_name_charset();

constexpr char32_t kDeltaSign = 0x2206;   // ∆ INCREMENT
constexpr char32_t kGreekDelta = 0x0394;  // Δ GREEK CAPITAL LETTER DELTA

bool is_control(unsigned char byte) { return byte < 0x20 || byte == 0x7F; }

// Validates a trimmed value and decides whether it is blank to the proxy. Shared by both escapers.
FieldProblem check_value(std::string_view trimmed) {
  if (trimmed.empty()) return FieldProblem::empty;
  bool all_whitespace = true;
  std::size_t position = 0;
  while (position < trimmed.size()) {
    const auto byte = static_cast<unsigned char>(trimmed[position]);
    if (byte < 0x80) {
      if (all_whitespace && !is_java_whitespace(byte)) all_whitespace = false;
      ++position;
      continue;
    }
    const char32_t code_point = decode_utf8(trimmed, position);
    if (code_point == kInvalidCodePoint) return FieldProblem::invalid_utf8;
    if (all_whitespace && !is_java_whitespace(code_point)) all_whitespace = false;
  }
  if (all_whitespace) return FieldProblem::blank;
  if (trimmed.back() == '\\') return FieldProblem::trailing_backslash;
  return FieldProblem::none;
}

void append_json_escape(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (byte) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  if (byte < 0x20) {
    const char escape[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]};
    out.append(escape, sizeof escape);
  } else {
    out += static_cast<char>(byte);
  }
}

}  // namespace

FieldWrite append_sanitized_name(std::string& out, std::string_view name) {
  if (name.empty()) return {FieldProblem::empty, 0};
  FieldWrite result;
  std::size_t position = 0;
  bool at_start = true;
  bool after_leading_delta = false;
  while (position < name.size()) {
    const auto byte = static_cast<unsigned char>(name[position]);
    if (byte < 0x80) {
      const bool keep_tilde = byte == '~' && (at_start || after_leading_delta);
      out += (kNameCharset[byte] || keep_tilde) ? static_cast<char>(byte) : '-';
      ++position;
      ++result.length;
      at_start = after_leading_delta = false;
      continue;
    }
    const std::size_t begin = position;
    const char32_t code_point = decode_utf8(name, position);
    if (code_point == kInvalidCodePoint) return {FieldProblem::invalid_utf8, 0};
    if (at_start && (code_point == kDeltaSign || code_point == kGreekDelta)) {
      out.append(name.data() + begin, position - begin);
      after_leading_delta = true;
    } else {
      out += '-';
      after_leading_delta = false;
    }
    at_start = false;
    ++result.length;
  }
  if (after_leading_delta && result.length == 1) result.problem = FieldProblem::only_delta;
  return result;
}

FieldWrite append_escaped_value(std::string& out, std::string_view value) {
  const std::string_view trimmed = trim(value);
  if (const FieldProblem problem = check_value(trimmed); problem != FieldProblem::none) return {problem, 0};
  FieldWrite result;
  result.length = utf16_length(trimmed);
  std::size_t run_start = 0;  // copy runs of ordinary bytes in one append
  for (std::size_t index = 0; index < trimmed.size(); ++index) {
    const auto byte = static_cast<unsigned char>(trimmed[index]);
    if (byte != '"' && !is_control(byte)) continue;
    if (byte == '\t') continue;
    out.append(trimmed.data() + run_start, index - run_start);
    run_start = index + 1;
    if (byte == '"') {
      out += "\\\"";  // read back as one character: length unchanged
    } else if (byte == '\n') {
      out += "\\n";
      ++result.length;  // read back as two characters
    } else if (byte == '\r') {
      out += "\\r";
      ++result.length;
    } else {
      out += '-';
    }
  }
  out.append(trimmed.data() + run_start, trimmed.size() - run_start);
  return result;
}

bool is_blank_value(std::string_view value) {
  const FieldProblem problem = check_value(trim(value));
  return problem == FieldProblem::empty || problem == FieldProblem::blank;
}

FieldWrite append_json_value(std::string& out, std::string_view value) {
  const std::string_view trimmed = trim(value);
  if (const FieldProblem problem = check_value(trimmed); problem != FieldProblem::none) return {problem, 0};
  for (char c : trimmed) append_json_escape(out, static_cast<unsigned char>(c));
  return {FieldProblem::none, utf16_length(trimmed)};
}

FieldWrite append_json_string(std::string& out, std::string_view text) {
  if (!is_valid_utf8(text)) return {FieldProblem::invalid_utf8, 0};
  for (char c : text) append_json_escape(out, static_cast<unsigned char>(c));
  return {FieldProblem::none, utf16_length(text)};
}

std::string quote_for_message(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string quoted = "\"";
  std::size_t position = 0;
  std::size_t code_points = 0;
  while (position < value.size()) {
    if (code_points == kMessageValueLimit) {
      quoted += "\"... (" + std::to_string(value.size()) + " bytes)";
      return quoted;
    }
    const auto byte = static_cast<unsigned char>(value[position]);
    const std::size_t begin = position;
    const char32_t code_point = decode_utf8(value, position);
    if (code_point == kInvalidCodePoint || is_control(byte) || byte == '\\' || byte == '"') {
      if (byte == '\\' || byte == '"') {
        quoted += '\\';
        quoted += static_cast<char>(byte);
      } else {
        const char escape[] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xF]};
        quoted.append(escape, sizeof escape);
      }
      position = begin + 1;
    } else {
      quoted.append(value.data() + begin, position - begin);
    }
    ++code_points;
  }
  quoted += '"';
  return quoted;
}

std::string_view describe(FieldProblem problem) {
  switch (problem) {
    case FieldProblem::none:
      return "valid";
    case FieldProblem::empty:
      return "must not be empty";
    case FieldProblem::blank:
      return "must not be blank (only whitespace)";
    case FieldProblem::only_delta:
      return "must have characters after the delta sign";
    case FieldProblem::trailing_backslash:
      return "must not end with a backslash (the proxy would read the closing quote as escaped)";
    case FieldProblem::invalid_utf8:
      return "must be valid UTF-8";
  }
  return "invalid";
}

}  // namespace wavefront::format
