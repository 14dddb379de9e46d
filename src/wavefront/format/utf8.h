// UTF-8 decoding and the character classes the wire format cares about (private).
//
// Used by the sanitizers: strict UTF-8 decoding (no overlongs, no surrogates, nothing above
// U+10FFFF), the UTF-16 length the proxy's Java code measures, and Java's idea of whitespace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wavefront::format {

// Sentinel returned by decode_utf8 for a malformed sequence.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point starting at text[position] and advances position past it. On malformed
// input returns kInvalidCodePoint and advances by one byte. Requires position < text.size().
char32_t decode_utf8(std::string_view text, std::size_t& position) noexcept;

// True if every byte sequence in text is well-formed UTF-8.
bool is_valid_utf8(std::string_view text) noexcept;

// Length in UTF-16 code units of text that is known to be valid UTF-8.
std::size_t utf16_length(std::string_view valid_utf8) noexcept;

// Java's Character.isWhitespace, which the proxy uses to decide that a value is blank.
bool is_java_whitespace(char32_t code_point) noexcept;

// The whitespace that values are trimmed of: space, TAB, LF, VT, FF, CR.
constexpr bool is_trimmed_whitespace(char byte) noexcept {
  return byte == ' ' || (byte >= '\t' && byte <= '\r');
}

// Removes leading and trailing trimmed whitespace.
inline std::string_view trim(std::string_view text) noexcept {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_trimmed_whitespace(text[begin])) ++begin;
  while (end > begin && is_trimmed_whitespace(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

}  // namespace wavefront::format
