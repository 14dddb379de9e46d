// Pieces LineReader's source files share (private).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wavefront/line_reader.h"
#include "wavefront/wire/json.h"
#include "wavefront/wire/tokenizer.h"

namespace wavefront {

// The reader's reusable parsing state, kept out of the public header.
struct LineReader::Tokens {
  std::vector<wire::Token> list;
  json::JsonParser json;
  json::Value root;
  std::vector<std::pair<std::int64_t, std::size_t>> log_shapes;  // span logs: timestamp, field count
};

namespace wire {

// 1-based column in code points of a byte offset (invalid bytes count one each).
std::size_t column_of(std::string_view line, std::size_t byte_offset) noexcept;

// A value for a message: shortened, quoted, control bytes shown as \xNN.
std::string quote(std::string_view value);

// Byte index of the first character the proxy refuses in a metric name or tag key, or npos.
std::size_t first_illegal_name_byte(std::string_view name) noexcept;

// "the character ' ' (U+0020)" for the character starting at name[index].
std::string describe_character(std::string_view name, std::size_t index);

}  // namespace wire
}  // namespace wavefront
