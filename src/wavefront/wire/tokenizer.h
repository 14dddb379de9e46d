// Splitting a data-format line into tokens the way the proxy does (private; used by LineReader).
//
// As java-lib's StringParser: blanks (Java's Character.isWhitespace) separate tokens; a bare word ends
// at a space, a tab or '='; a string quoted with `"` or `'` may hold blanks and ends at the next
// unescaped quote of its kind (`\"` or `\'` is the only escape), and the next token may follow it
// directly. A token is a word or `key=value` where either side may be quoted. Unescaped text goes to
// `scratch`, which the caller reserves to the line's length so that earlier views stay valid.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "wavefront/status.h"

namespace wavefront::wire {

struct Token {
  std::string_view key;    // meaningful when has_key
  std::string_view value;  // the bare word, the quoted string's content, or the tag's value
  std::size_t offset = 0;  // byte offset of the token's first byte
  std::size_t value_offset = 0;
  bool has_key = false;
  bool quoted = false;  // the value was quoted
};

// Java's Character.isWhitespace for the ASCII range: what the proxy skips between tokens.
constexpr bool is_blank(char c) noexcept {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1C' && c <= '\x1F');
}
// What ends a bare word (StringParser.indexOfAnySeparator).
constexpr bool ends_bare_word(char c) noexcept { return c == ' ' || c == '\t' || c == '='; }

// Splits `line` (from byte `start`) into `tokens` (cleared first). On malformed_line, `error_offset`
// is the byte offset of the problem.
Status tokenize(std::string_view line, std::size_t start, std::vector<Token>& tokens, std::string& scratch,
                std::size_t& error_offset);

}  // namespace wavefront::wire
