// A small JSON reader: one JSON text (one line of a JSON-lines file, say) into a tree of values.
//
// The library reads span-logs lines and event bodies with it; `wfsend import --format jsonl` reads its
// input with it, and so may any program that reads JSON written for Wavefront without pulling in a
// JSON library. Strings are views: into the text itself when a string has no escapes, otherwise into
// the parser's arena (reserved to the text's length), so every view stays valid until the next parse()
// on the same parser and while the text lives. Numbers keep their text, so integers read back exactly.
// Object members keep their order and repeats. Nesting deeper than JsonParser::kMaxDepth is refused,
// so hostile input cannot exhaust the stack. On failure parse() names the problem and error_offset()
// gives its byte offset, for `FILE:LINE:COLUMN` messages:
//
//   wavefront::JsonParser parser;
//   wavefront::JsonValue value;
//   if (parser.parse(R"({"name":"cpu","value":1.5})", value).ok()) {
//     const wavefront::JsonValue* name = value.find("name");  // name->text == "cpu"
//   }
//
// Thread-safety: a JsonParser is not thread-safe (one per thread); the free functions are reentrant.
// A JsonValue tree may be read from several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wavefront/export.h"
#include "wavefront/status.h"

namespace wavefront {

enum class JsonType : std::uint8_t { null, boolean, number, string, array, object };

struct WAVEFRONT_API JsonValue {
  JsonType type = JsonType::null;
  bool boolean = false;
  std::string_view text;  // number: as written; string: unescaped
  std::vector<JsonValue> items;
  std::vector<std::pair<std::string_view, JsonValue>> members;

  bool is_string() const noexcept { return type == JsonType::string; }
  bool is_number() const noexcept { return type == JsonType::number; }
  bool is_object() const noexcept { return type == JsonType::object; }
  bool is_array() const noexcept { return type == JsonType::array; }
  // The first member named `key`, or nullptr (also when this is not an object).
  const JsonValue* find(std::string_view key) const noexcept;
};

// The exact integer a number's text stands for (no fraction, no exponent, in range), if any.
WAVEFRONT_API std::optional<std::int64_t> json_as_int64(const JsonValue& value) noexcept;
// A number's value (±infinity or 0 when out of range, as JSON readers do); nullopt for anything but
// a number.
WAVEFRONT_API std::optional<double> json_as_double(const JsonValue& value) noexcept;
// "null", "boolean", "number", "string", "array" or "object", for error messages.
WAVEFRONT_API std::string_view json_type_name(JsonType type) noexcept;

class WAVEFRONT_API JsonParser {
 public:
  static constexpr std::size_t kMaxDepth = 64;

  // Parses `text` (surrounding whitespace allowed, nothing else after the value). On failure the
  // Status is malformed_line with a message, and error_offset() is the byte offset of the problem.
  Status parse(std::string_view text, JsonValue& out);
  std::size_t error_offset() const noexcept { return error_offset_; }

 private:
  Status parse_value(JsonValue& out, std::size_t depth);
  Status parse_string(std::string_view& out);
  Status parse_number(JsonValue& out);
  Status fail(std::string message);
  void skip_blanks() noexcept;

  std::string_view text_;
  std::size_t position_ = 0;
  std::size_t error_offset_ = 0;
  std::string arena_;
};

}  // namespace wavefront
