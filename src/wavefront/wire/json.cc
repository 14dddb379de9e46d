// See wavefront/json.h.
#include "wavefront/json.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace wavefront {

const JsonValue* JsonValue::find(std::string_view key) const noexcept {
  if (type != JsonType::object) return nullptr;
  for (const auto& member : members) {
    if (member.first == key) return &member.second;
  }
  return nullptr;
}

std::optional<std::int64_t> json_as_int64(const JsonValue& value) noexcept {
  if (value.type != JsonType::number) return std::nullopt;
  std::int64_t result = 0;
  const char* begin = value.text.data();
  const char* end = begin + value.text.size();
  const auto [last, error] = std::from_chars(begin, end, result);
  if (error != std::errc() || last != end) return std::nullopt;
  return result;
}

std::optional<double> json_as_double(const JsonValue& value) noexcept {
  if (value.type != JsonType::number) return std::nullopt;
  double result = 0;
  const char* begin = value.text.data();
  const char* end = begin + value.text.size();
  const auto [last, error] = std::from_chars(begin, end, result);
  if (last != end) return std::nullopt;
  // Out of range: from_chars leaves the result alone; JSON readers give ±infinity or 0.
  if (error == std::errc::result_out_of_range) {
    return std::strtod(std::string(value.text).c_str(), nullptr);
  }
  if (error != std::errc()) return std::nullopt;
  return result;
}

std::string_view json_type_name(JsonType type) noexcept {
  switch (type) {
    case JsonType::null:
      return "null";
    case JsonType::boolean:
      return "boolean";
    case JsonType::number:
      return "number";
    case JsonType::string:
      return "string";
    case JsonType::array:
      return "array";
    case JsonType::object:
      return "object";
  }
  return "unknown";
}

Status JsonParser::parse(std::string_view text, JsonValue& out) {
  text_ = text;
  position_ = 0;
  error_offset_ = 0;
  arena_.clear();
  arena_.reserve(text.size());
  out = JsonValue();
  if (Status status = parse_value(out, 0); !status.ok()) return status;
  skip_blanks();
  if (position_ != text_.size()) return fail("unexpected text after the JSON value");
  return Status();
}

Status JsonParser::fail(std::string message) {
  error_offset_ = position_;
  return Status(ErrorCode::malformed_line, std::move(message));
}

void JsonParser::skip_blanks() noexcept {
  while (position_ < text_.size()) {
    const char c = text_[position_];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    ++position_;
  }
}

Status JsonParser::parse_value(JsonValue& out, std::size_t depth) {
  if (depth >= kMaxDepth) return fail("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
  skip_blanks();
  if (position_ >= text_.size()) return fail("expected a JSON value, found the end of the line");
  const char c = text_[position_];
  if (c == '"') {
    out.type = JsonType::string;
    return parse_string(out.text);
  }
  if (c == '{') {
    out.type = JsonType::object;
    ++position_;
    skip_blanks();
    if (position_ < text_.size() && text_[position_] == '}') {
      ++position_;
      return Status();
    }
    for (;;) {
      skip_blanks();
      if (position_ >= text_.size() || text_[position_] != '"') return fail("expected a quoted member name");
      std::string_view key;
      if (Status status = parse_string(key); !status.ok()) return status;
      skip_blanks();
      if (position_ >= text_.size() || text_[position_] != ':')
        return fail("expected ':' after a member name");
      ++position_;
      out.members.emplace_back(key, JsonValue());
      if (Status status = parse_value(out.members.back().second, depth + 1); !status.ok()) return status;
      skip_blanks();
      if (position_ < text_.size() && text_[position_] == ',') {
        ++position_;
        continue;
      }
      if (position_ < text_.size() && text_[position_] == '}') {
        ++position_;
        return Status();
      }
      return fail("expected ',' or '}' in an object");
    }
  }
  if (c == '[') {
    out.type = JsonType::array;
    ++position_;
    skip_blanks();
    if (position_ < text_.size() && text_[position_] == ']') {
      ++position_;
      return Status();
    }
    for (;;) {
      out.items.emplace_back();
      if (Status status = parse_value(out.items.back(), depth + 1); !status.ok()) return status;
      skip_blanks();
      if (position_ < text_.size() && text_[position_] == ',') {
        ++position_;
        continue;
      }
      if (position_ < text_.size() && text_[position_] == ']') {
        ++position_;
        return Status();
      }
      return fail("expected ',' or ']' in an array");
    }
  }
  if (c == '-' || (c >= '0' && c <= '9')) return parse_number(out);
  for (std::string_view word :
       {std::string_view("true"), std::string_view("false"), std::string_view("null")}) {
    if (text_.substr(position_, word.size()) == word) {
      position_ += word.size();
      out.type = word == "null" ? JsonType::null : JsonType::boolean;
      out.boolean = word == "true";
      return Status();
    }
  }
  return fail("expected a JSON value");
}

Status JsonParser::parse_number(JsonValue& out) {
  // JSON grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  const std::size_t start = position_;
  auto digits = [this] {
    const std::size_t first = position_;
    while (position_ < text_.size() && text_[position_] >= '0' && text_[position_] <= '9') ++position_;
    return position_ - first;
  };
  if (text_[position_] == '-') ++position_;
  if (position_ < text_.size() && text_[position_] == '0') {
    ++position_;
  } else if (digits() == 0) {
    return fail("a number needs digits");
  }
  if (position_ < text_.size() && text_[position_] == '.') {
    ++position_;
    if (digits() == 0) return fail("a number needs digits after '.'");
  }
  if (position_ < text_.size() && (text_[position_] == 'e' || text_[position_] == 'E')) {
    ++position_;
    if (position_ < text_.size() && (text_[position_] == '+' || text_[position_] == '-')) ++position_;
    if (digits() == 0) return fail("a number needs digits in its exponent");
  }
  out.type = JsonType::number;
  out.text = text_.substr(start, position_ - start);
  return Status();
}

namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

}  // namespace

Status JsonParser::parse_string(std::string_view& out) {
  ++position_;  // the opening quote
  const std::size_t start = position_;
  // Fast path: no escape before the closing quote → a view into the text.
  while (position_ < text_.size()) {
    const char c = text_[position_];
    if (c == '"') {
      out = text_.substr(start, position_ - start);
      ++position_;
      return Status();
    }
    if (c == '\\') break;
    if (static_cast<unsigned char>(c) < 0x20) return fail("raw control character in a JSON string");
    ++position_;
  }
  if (position_ >= text_.size()) return fail("unterminated JSON string");
  // Escapes: unescape into the arena. Its capacity is the text's length and unescaping never grows a
  // string, so earlier views into it stay valid.
  const std::size_t arena_start = arena_.size();
  arena_.append(text_.substr(start, position_ - start));
  while (position_ < text_.size()) {
    const char c = text_[position_];
    if (c == '"') {
      out = std::string_view(arena_).substr(arena_start);
      ++position_;
      return Status();
    }
    if (static_cast<unsigned char>(c) < 0x20) return fail("raw control character in a JSON string");
    if (c != '\\') {
      arena_ += c;
      ++position_;
      continue;
    }
    if (position_ + 1 >= text_.size()) break;
    const char escape = text_[position_ + 1];
    position_ += 2;
    switch (escape) {
      case '"':
      case '\\':
      case '/':
        arena_ += escape;
        break;
      case 'b':
        arena_ += '\b';
        break;
      case 'f':
        arena_ += '\f';
        break;
      case 'n':
        arena_ += '\n';
        break;
      case 'r':
        arena_ += '\r';
        break;
      case 't':
        arena_ += '\t';
        break;
      case 'u': {
        auto read_hex4 = [this](std::uint32_t& value) {
          if (position_ + 4 > text_.size()) return false;
          value = 0;
          for (int i = 0; i < 4; ++i) {
            const int digit = hex_value(text_[position_ + static_cast<std::size_t>(i)]);
            if (digit < 0) return false;
            value = value * 16 + static_cast<std::uint32_t>(digit);
          }
          position_ += 4;
          return true;
        };
        std::uint32_t code_point = 0;
        if (!read_hex4(code_point)) return fail("\\u needs four hex digits");
        if (code_point >= 0xD800 && code_point <= 0xDBFF) {
          std::uint32_t low = 0;
          if (text_.substr(position_, 2) != "\\u") return fail("a high surrogate must be followed by \\u");
          position_ += 2;
          if (!read_hex4(low) || low < 0xDC00 || low > 0xDFFF) return fail("invalid low surrogate");
          code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
        } else if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
          return fail("lone low surrogate");
        }
        append_utf8(arena_, code_point);
        break;
      }
      default:
        position_ -= 1;
        return fail(std::string("invalid escape \\") + escape);
    }
  }
  return fail("unterminated JSON string");
}

}  // namespace wavefront
