// Sanitizing, escaping and message quoting; see sanitize.h.
#include "wavefront/format/sanitize.h"

#include <array>
#include <cstdint>
#include <cstring>

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

// Bytes the line escaper must look at: '"' and the controls except TAB.
constexpr std::array<bool, 256> make_value_specials() {
  std::array<bool, 256> special{};
  for (int c = 0; c < 0x20; ++c) special[static_cast<std::size_t>(c)] = c != '\t';
  special['"'] = true;
  special[0x7F] = true;
  return special;
}
constexpr std::array<bool, 256> kValueSpecials = make_value_specials();

// Bytes JSON strings escape: '"', '\\' and all controls.
constexpr std::array<bool, 256> make_json_specials() {
  std::array<bool, 256> special{};
  for (int c = 0; c < 0x20; ++c) special[static_cast<std::size_t>(c)] = true;
  special['"'] = true;
  special['\\'] = true;
  return special;
}
constexpr std::array<bool, 256> kJsonSpecials = make_json_specials();

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

// Copies runs that need no escaping in one append; returns the OR of all bytes (>= 0x80: not ASCII).
unsigned char append_json_escaped(std::string& out, std::string_view text) {
  unsigned char seen = 0;
  std::size_t run_start = 0;
  for (std::size_t index = 0; index < text.size(); ++index) {
    const auto byte = static_cast<unsigned char>(text[index]);
    seen |= byte;
    if (!kJsonSpecials[byte]) continue;
    out.append(text.data() + run_start, index - run_start);
    run_start = index + 1;
    append_json_escape(out, byte);
  }
  out.append(text.data() + run_start, text.size() - run_start);
  return seen;
}

}  // namespace

// True if text is printable ASCII without '"' (nothing to escape, nothing to validate). Checks eight
// bytes at a time: a byte is flagged if its high bit is set, it is below 0x20, or it equals '"' or DEL.
bool is_plain_ascii(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const auto has_zero_byte = [](std::uint64_t word) { return (word - kOnes) & ~word & kHighs; };
  std::size_t index = 0;
  for (; index + 8 <= text.size(); index += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + index, sizeof word);
    const std::uint64_t flagged = (word & kHighs) | ((word - 0x20 * kOnes) & ~word & kHighs) |
                                  has_zero_byte(word ^ ('"' * kOnes)) | has_zero_byte(word ^ (0x7F * kOnes));
    if (flagged != 0) return false;
  }
  for (; index < text.size(); ++index) {
    const auto byte = static_cast<unsigned char>(text[index]);
    if (byte >= 0x7F || kValueSpecials[byte]) return false;
  }
  return true;
}

namespace {

// 0x80 in each byte of `word` that a name keeps as it is (kNameCharset), eight bytes at a time. Each byte
// is cut to 7 bits first so that no addition carries into its neighbour; ',' '-' '.' '/' and the digits
// are the one range 0x2C-0x39.
std::uint64_t name_bytes(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const std::uint64_t ascii = ~word & kHighs;
  const std::uint64_t low = word & ~kHighs;
  const std::uint64_t punctuation_or_digit = (low + kOnes * (0x80 - ',')) & ~(low + kOnes * (0x80 - '9' - 1));
  const std::uint64_t folded = low | (kOnes * 0x20);
  const std::uint64_t letter = (folded + kOnes * (0x80 - 'a')) & ~(folded + kOnes * (0x80 - 'z' - 1));
  const std::uint64_t not_underscore = low ^ (kOnes * '_');
  const std::uint64_t underscore = ~((not_underscore + ~kHighs) | not_underscore) & kHighs;  // exact per byte
  return (punctuation_or_digit | letter | underscore) & ascii;
}

}  // namespace

// True if every byte of `name` is in kNameCharset (so the name is written unchanged).
bool is_clean_name(std::string_view name) {
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  std::size_t index = 0;
  for (; index + 8 <= name.size(); index += 8) {
    std::uint64_t word;
    std::memcpy(&word, name.data() + index, sizeof word);
    if (name_bytes(word) != kHighs) return false;
  }
  bool clean = true;
  for (; index < name.size(); ++index) clean &= kNameCharset[static_cast<unsigned char>(name[index])];
  return clean;
}

FieldWrite append_sanitized_name(std::string& out, std::string_view name) {
  if (name.empty()) return {FieldProblem::empty, 0};
  if (is_clean_name(name)) {  // nearly every name: one word-wise check, one append
    out.append(name);
    return {FieldProblem::none, name.size()};
  }
  // ASCII names (nearly all): one scan, one append, then patch the characters to replace.
  {
    unsigned char seen = 0;
    bool clean = true;
    for (char c : name) {
      const auto byte = static_cast<unsigned char>(c);
      seen |= byte;
      clean &= kNameCharset[byte];
    }
    if (seen < 0x80) {
      const std::size_t start = out.size();
      out.append(name);
      if (!clean) {
        for (std::size_t index = start; index < out.size(); ++index) {
          if (!kNameCharset[static_cast<unsigned char>(out[index])]) out[index] = '-';
        }
        if (name[0] == '~') out[start] = '~';
      }
      return {FieldProblem::none, name.size()};
    }
  }
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
  // A value that starts with a printable ASCII character is not blank; validate UTF-8 and count
  // length only if a non-ASCII byte shows up, all in the escaping pass.
  const bool plain_start = !trimmed.empty() && static_cast<unsigned char>(trimmed.front()) > 0x20 &&
                           static_cast<unsigned char>(trimmed.front()) < 0x7F;
  if (!plain_start) {
    if (const FieldProblem problem = check_value(trimmed); problem != FieldProblem::none) return {problem, 0};
  } else if (is_plain_ascii(trimmed)) {
    // The common case: one check, one copy.
    if (trimmed.back() == '\\') return {FieldProblem::trailing_backslash, 0};
    out.append(trimmed.data(), trimmed.size());
    return {FieldProblem::none, trimmed.size()};
  }
  const std::size_t start = out.size();
  std::size_t extra = 0;
  unsigned char seen = 0;
  std::size_t run_start = 0;  // copy runs of ordinary bytes in one append
  for (std::size_t index = 0; index < trimmed.size(); ++index) {
    const auto byte = static_cast<unsigned char>(trimmed[index]);
    seen |= byte;
    if (!kValueSpecials[byte]) continue;
    out.append(trimmed.data() + run_start, index - run_start);
    run_start = index + 1;
    if (byte == '"') {
      out += "\\\"";  // read back as one character: length unchanged
    } else if (byte == '\n') {
      out += "\\n";
      ++extra;  // read back as two characters
    } else if (byte == '\r') {
      out += "\\r";
      ++extra;
    } else {
      out += '-';
    }
  }
  out.append(trimmed.data() + run_start, trimmed.size() - run_start);
  FieldWrite result;
  if (seen < 0x80) {
    result.length = trimmed.size() + extra;
  } else {
    if (plain_start && !is_valid_utf8(trimmed)) {
      out.resize(start);
      return {FieldProblem::invalid_utf8, 0};
    }
    result.length = utf16_length(trimmed) + extra;
  }
  if (plain_start && trimmed.back() == '\\') {
    out.resize(start);
    return {FieldProblem::trailing_backslash, 0};
  }
  return result;
}

bool is_blank_value(std::string_view value) {
  const FieldProblem problem = check_value(trim(value));
  return problem == FieldProblem::empty || problem == FieldProblem::blank;
}

FieldWrite append_json_value(std::string& out, std::string_view value) {
  const std::string_view trimmed = trim(value);
  if (const FieldProblem problem = check_value(trimmed); problem != FieldProblem::none) return {problem, 0};
  const unsigned char seen = append_json_escaped(out, trimmed);
  return {FieldProblem::none, seen < 0x80 ? trimmed.size() : utf16_length(trimmed)};
}

FieldWrite append_json_string(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  const unsigned char seen = append_json_escaped(out, text);
  if (seen < 0x80) return {FieldProblem::none, text.size()};
  if (!is_valid_utf8(text)) {
    out.resize(start);
    return {FieldProblem::invalid_utf8, 0};
  }
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
