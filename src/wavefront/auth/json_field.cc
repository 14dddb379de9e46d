// Top-level field lookup in a JSON object; see json_field.h.
#include "wavefront/auth/json_field.h"

#include <charconv>
#include <cstdlib>

namespace wavefront::auth {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  void skip_space() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\t' ||
                                        text_[position_] == '\n' || text_[position_] == '\r')) {
      ++position_;
    }
  }
  bool consume(char expected) {
    skip_space();
    if (position_ < text_.size() && text_[position_] == expected) {
      ++position_;
      return true;
    }
    return false;
  }
  char peek() {
    skip_space();
    return position_ < text_.size() ? text_[position_] : '\0';
  }

  // A JSON string (escapes decoded; \u escapes outside ASCII become '?', enough for tokens).
  std::optional<std::string> string() {
    if (!consume('"')) return std::nullopt;
    std::string value;
    while (position_ < text_.size()) {
      const char c = text_[position_++];
      if (c == '"') return value;
      if (c != '\\') {
        value += c;
        continue;
      }
      if (position_ >= text_.size()) return std::nullopt;
      const char escape = text_[position_++];
      switch (escape) {
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case 'b':
          value += '\b';
          break;
        case 'f':
          value += '\f';
          break;
        case 'u': {
          if (text_.size() - position_ < 4) return std::nullopt;
          const long code = std::strtol(std::string(text_.substr(position_, 4)).c_str(), nullptr, 16);
          value += code < 0x80 ? static_cast<char>(code) : '?';
          position_ += 4;
          break;
        }
        default:
          value += escape;
      }
    }
    return std::nullopt;
  }

  // Skips any value; false on malformed input.
  bool skip_value() {
    const char first = peek();
    if (first == '"') return string().has_value();
    if (first == '{' || first == '[') {
      const char close = first == '{' ? '}' : ']';
      ++position_;
      if (consume(close)) return true;
      for (;;) {
        if (first == '{' && (!string() || !consume(':'))) return false;
        if (!skip_value()) return false;
        if (consume(close)) return true;
        if (!consume(',')) return false;
      }
    }
    const std::size_t start = position_;
    while (position_ < text_.size() && text_[position_] != ',' && text_[position_] != '}' &&
           text_[position_] != ']' && text_[position_] != ' ' && text_[position_] != '\n') {
      ++position_;
    }
    return position_ > start;
  }

  std::string_view raw_token() {
    skip_space();
    const std::size_t start = position_;
    skip_value();
    return text_.substr(start, position_ - start);
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

// Positions a reader at the value of top-level field `name`; false if absent or malformed.
bool find_field(Reader& reader, std::string_view name) {
  if (!reader.consume('{')) return false;
  if (reader.consume('}')) return false;
  for (;;) {
    const auto key = reader.string();
    if (!key || !reader.consume(':')) return false;
    if (*key == name) return true;
    if (!reader.skip_value()) return false;
    if (!reader.consume(',')) return false;
  }
}

}  // namespace

std::optional<std::string> json_string_field(std::string_view json, std::string_view name) {
  Reader reader(json);
  if (!find_field(reader, name)) return std::nullopt;
  return reader.string();
}

std::optional<double> json_number_field(std::string_view json, std::string_view name) {
  Reader reader(json);
  if (!find_field(reader, name)) return std::nullopt;
  const std::string_view token = reader.raw_token();
  double value = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (token.empty() || error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return value;
}

}  // namespace wavefront::auth
