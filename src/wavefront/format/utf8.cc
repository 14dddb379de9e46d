// Strict UTF-8 decoding and character classes; see utf8.h.
#include "wavefront/format/utf8.h"

namespace wavefront::format {

char32_t decode_utf8(std::string_view text, std::size_t& position) noexcept {
  const auto byte_at = [&](std::size_t index) { return static_cast<unsigned char>(text[index]); };
  const unsigned char lead = byte_at(position);
  if (lead < 0x80) {
    ++position;
    return lead;
  }
  std::size_t length = 0;
  char32_t code_point = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    minimum = 0x10000;
  } else {
    ++position;
    return kInvalidCodePoint;
  }
  if (text.size() - position < length) {
    ++position;
    return kInvalidCodePoint;
  }
  for (std::size_t offset = 1; offset < length; ++offset) {
    const unsigned char continuation = byte_at(position + offset);
    if ((continuation & 0xC0) != 0x80) {
      ++position;
      return kInvalidCodePoint;
    }
    code_point = (code_point << 6) | (continuation & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    ++position;
    return kInvalidCodePoint;
  }
  position += length;
  return code_point;
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t position = 0;
  while (position < text.size()) {
    if (static_cast<unsigned char>(text[position]) < 0x80) {
      ++position;
      continue;
    }
    if (decode_utf8(text, position) == kInvalidCodePoint) return false;
  }
  return true;
}

std::size_t utf16_length(std::string_view valid_utf8) noexcept {
  // One unit per lead byte, two for the 4-byte sequences outside the Basic Multilingual Plane.
  std::size_t length = 0;
  for (char c : valid_utf8) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) length += (byte >= 0xF0) ? 2 : 1;
  }
  return length;
}

bool is_java_whitespace(char32_t code_point) noexcept {
  // Character.isWhitespace: Unicode space, line and paragraph separators except the no-break
  // spaces (U+00A0, U+2007, U+202F), plus the ASCII controls TAB..CR and U+001C..U+001F.
  if (code_point <= 0x20) {
    return code_point == 0x20 || (code_point >= 0x09 && code_point <= 0x0D) ||
           (code_point >= 0x1C && code_point <= 0x1F);
  }
  switch (code_point) {
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return (code_point >= 0x2000 && code_point <= 0x200A && code_point != 0x2007);
  }
}

}  // namespace wavefront::format
