// The token level of the strict wire parser (wire_parser.h): a cursor over one line that reads quoted
// strings the way the Wavefront proxy does, names, numbers and ids, and throws LineError on anything
// the wire-format contract does not allow. Internal to wire_parser.cc; tests use wire_parser.h.
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace wavefront::testing::wire_detail {

// A refusal: 0-based byte offset into the line and what is wrong.
struct LineError {
  std::size_t offset;
  std::string message;
};

[[noreturn]] inline void fail_at(std::size_t offset, std::string message) {
  throw LineError{offset, std::move(message)};
}

// Length of the valid UTF-8 sequence starting at `text[i]`, or 0 if it is not valid (stray
// continuation byte, truncated, overlong, surrogate, above U+10FFFF). `code_point` receives its value.
inline std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t* code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, value = lead & 0x1Fu, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, value = lead & 0x0Fu, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, value = lead & 0x07u, minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
    value = (value << 6) | (byte(i + k) & 0x3Fu);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *code_point = value;
  return length;
}

// Characters Java's Character.isWhitespace accepts (what the proxy calls blank).
inline bool java_whitespace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x205F || c == 0x3000;
}

inline bool name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ',' || c == '-' || c == '/';
}

// Checks a sanitized name or key: [A-Za-z0-9._,/-] with an optional leading `~`, `∆` or `Δ` (and a `~`
// right after a leading delta); not empty and not only a delta sign. Returns the offending offset
// within `name` and a message, or npos.
inline std::pair<std::size_t, std::string> check_name(std::string_view name) {
  constexpr std::string_view kIncrement = "\xE2\x88\x86";  // U+2206
  constexpr std::string_view kDelta = "\xCE\x94";          // U+0394
  std::size_t i = 0;
  bool delta = false;
  if (name.substr(0, kIncrement.size()) == kIncrement) {
    i = kIncrement.size(), delta = true;
  } else if (name.substr(0, kDelta.size()) == kDelta) {
    i = kDelta.size(), delta = true;
  }
  if (i < name.size() && name[i] == '~' && (i == 0 || delta)) ++i;
  if (name.empty()) return {0, "empty name"};
  if (delta && name.size() == i && name[i - 1] != '~') return {0, "name is only a delta sign"};
  for (; i < name.size(); ++i) {
    if (!name_char(name[i])) return {i, "character not allowed in a name"};
  }
  return {std::string_view::npos, ""};
}

class Lexer {
 public:
  explicit Lexer(std::string_view line) : line_(line) {}

  std::string_view line() const { return line_; }
  std::size_t pos() const { return pos_; }
  bool at_end() const { return pos_ >= line_.size(); }
  char peek() const { return at_end() ? '\0' : line_[pos_]; }
  bool next_is(std::string_view literal) const { return line_.substr(pos_, literal.size()) == literal; }

  // The whole line: valid UTF-8, no raw newline.
  void check_line() const {
    for (std::size_t i = 0; i < line_.size();) {
      char32_t c = 0;
      const std::size_t length = utf8_sequence(line_, i, &c);
      if (length == 0) fail_at(i, "invalid UTF-8");
      if (c == '\n') fail_at(i, "raw newline inside a line");
      i += length;
    }
  }

  void advance() { ++pos_; }
  bool accept(std::string_view literal) {
    if (!next_is(literal)) return false;
    pos_ += literal.size();
    return true;
  }
  void expect(std::string_view literal, std::string_view what) {
    if (!accept(literal)) fail_at(pos_, "expected " + std::string(what));
  }
  // Exactly one space between tokens.
  void space() {
    expect(" ", "a space");
    if (peek() == ' ') fail_at(pos_, "more than one space between tokens");
  }
  void expect_end() const {
    if (!at_end()) fail_at(pos_, "unexpected text at the end of the line");
  }

  // A double-quoted string as the proxy reads it: backslash-quote is a quote; any other backslash is
  // kept. Control characters (except TAB) and DEL are refused.
  std::string quoted(std::string_view what) {
    const std::size_t open = pos_;
    expect("\"", "'\"' opening " + std::string(what));
    std::string value;
    while (true) {
      if (at_end()) fail_at(open, "unterminated quoted " + std::string(what));
      const char c = line_[pos_];
      if (c == '"') break;
      if (c == '\\' && pos_ + 1 < line_.size() && line_[pos_ + 1] == '"') {
        value += '"';
        pos_ += 2;
        continue;
      }
      const auto byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && c != '\t') || byte == 0x7F) {
        fail_at(pos_, "raw control character inside quoted " + std::string(what));
      }
      value += c;
      ++pos_;
    }
    ++pos_;
    return value;
  }

  // A quoted sanitized name or tag key.
  std::string quoted_name(std::string_view what) {
    const std::size_t start = pos_ + 1;
    std::string name = quoted(what);
    auto [offset, message] = check_name(name);
    if (offset != std::string_view::npos) fail_at(start + offset, std::string(what) + ": " + message);
    return name;
  }

  // A quoted value (source, tag value, span or event name): not empty, trimmed, not blank to the
  // proxy, not ending in a backslash.
  std::string quoted_value(std::string_view what) {
    const std::size_t start = pos_ + 1;
    std::string value = quoted(what);
    const std::string label(what);
    if (value.empty()) fail_at(start, "empty " + label);
    if (value.back() == '\\') fail_at(pos_ - 2, label + " ends in a backslash");
    if (value.front() == ' ' || value.front() == '\t') fail_at(start, label + " has leading whitespace");
    if (value.back() == ' ' || value.back() == '\t') fail_at(pos_ - 2, label + " has trailing whitespace");
    bool blank = true;
    for (std::size_t i = 0; i < value.size() && blank;) {
      char32_t c = 0;
      const std::size_t length = utf8_sequence(value, i, &c);
      blank = length != 0 && java_whitespace(c);
      i += length == 0 ? 1 : length;
    }
    if (blank) fail_at(start, label + " is blank");
    return value;
  }

  // The text up to the next space or the end of the line.
  std::string_view token() {
    const std::size_t start = pos_;
    while (!at_end() && line_[pos_] != ' ') ++pos_;
    return line_.substr(start, pos_ - start);
  }

  // A decimal integer without sign (or with '-' if allowed), leading zeros or overflow.
  std::int64_t integer(std::string_view what, bool allow_negative = false) {
    const std::size_t start = pos_;
    const bool negative = allow_negative && accept("-");
    const std::size_t digits = pos_;
    while (!at_end() && line_[pos_] >= '0' && line_[pos_] <= '9') ++pos_;
    const std::string label(what);
    if (pos_ == digits) fail_at(start, "expected " + label + " (an integer)");
    if (line_[digits] == '0' && pos_ - digits > 1) fail_at(digits, label + " has leading zeros");
    if (negative && pos_ - digits == 1 && line_[digits] == '0') fail_at(start, label + " is -0");
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(line_.data() + start, line_.data() + pos_, value);
    if (error != std::errc() || end != line_.data() + pos_) fail_at(start, label + " is out of range");
    return value;
  }

  std::int64_t positive_integer(std::string_view what) {
    const std::size_t start = pos_;
    const std::int64_t value = integer(what);
    if (value <= 0) fail_at(start, std::string(what) + " must be positive");
    return value;
  }

  // A finite double written exactly as std::to_chars writes it (shortest round trip).
  double number(std::string_view what) {
    const std::size_t start = pos_;
    const std::string_view text = token();
    const std::string label(what);
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      fail_at(start, label + " is not a number: '" + std::string(text) + "'");
    }
    if (!std::isfinite(value)) fail_at(start, label + " is not finite");
    char shortest[64];
    const auto written = std::to_chars(shortest, shortest + sizeof shortest, value);
    if (std::string_view(shortest, static_cast<std::size_t>(written.ptr - shortest)) != text) {
      fail_at(start, label + " '" + std::string(text) + "' is not the shortest form");
    }
    return value;
  }

  // A lower-case canonical 8-4-4-4-12 UUID.
  std::string uuid(std::string_view what) {
    const std::size_t start = pos_;
    for (std::size_t i = 0; i < 36; ++i) {
      const char c = peek();
      const bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
      const bool ok = hyphen ? c == '-' : ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
      if (!ok) fail_at(pos_, std::string(what) + " is not a lower-case canonical UUID");
      ++pos_;
    }
    if (!at_end() && peek() != ' ') fail_at(pos_, std::string(what) + " is longer than a UUID");
    return std::string(line_.substr(start, 36));
  }

 private:
  std::string_view line_;
  std::size_t pos_ = 0;
};

}  // namespace wavefront::testing::wire_detail
