// A small JSON reader for span-logs lines and wfsend's JSONL input (private).
//
// Parses one JSON text into a tree of Values whose strings are views: into the text itself when a
// string has no escapes, otherwise into the parser's arena (reserved to the text's length, so views
// stay valid until the next parse). Numbers keep their text so integers read back exactly. Object
// members keep their order and repeats. Nesting deeper than kMaxDepth is refused, so hostile input
// cannot exhaust the stack.
//
// Not thread-safe: one JsonParser per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wavefront/status.h"

namespace wavefront::json {

enum class Type : std::uint8_t { null, boolean, number, string, array, object };

struct Value {
  Type type = Type::null;
  bool boolean = false;
  std::string_view text;  // number: as written; string: unescaped
  std::vector<Value> items;
  std::vector<std::pair<std::string_view, Value>> members;

  bool is_string() const noexcept { return type == Type::string; }
  bool is_number() const noexcept { return type == Type::number; }
  bool is_object() const noexcept { return type == Type::object; }
  bool is_array() const noexcept { return type == Type::array; }
  // The first member named `key`, or nullptr (also when this is not an object).
  const Value* find(std::string_view key) const noexcept;
};

// The exact integer a number's text stands for (no fraction, no exponent, in range), if any.
std::optional<std::int64_t> as_int64(const Value& value) noexcept;
// A number's value; nullopt for anything but a number.
std::optional<double> as_double(const Value& value) noexcept;
// "string", "number", ...
std::string_view type_name(Type type) noexcept;

class JsonParser {
 public:
  static constexpr std::size_t kMaxDepth = 64;

  // Parses `text` (surrounding whitespace allowed, nothing else after the value). On failure the
  // Status is malformed_line and error_offset() is the byte offset of the problem.
  Status parse(std::string_view text, Value& out);
  std::size_t error_offset() const noexcept { return error_offset_; }

 private:
  Status parse_value(Value& out, std::size_t depth);
  Status parse_string(std::string_view& out);
  Status parse_number(Value& out);
  Status fail(std::string message);
  void skip_blanks() noexcept;

  std::string_view text_;
  std::size_t position_ = 0;
  std::size_t error_offset_ = 0;
  std::string arena_;
};

}  // namespace wavefront::json
