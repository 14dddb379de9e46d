// An independent reference model of the wire-format contract's sanitizing rules (spec §3.1, §3.2, §3.4,
// §3.6), used by the property test to predict what the library must write or refuse. Written from the
// spec text only; deliberately simple (decode to code points, then apply each rule in order).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wavefront/status.h"

namespace wavefront::testing::reference {

// Strict UTF-8 decoding: nullopt for stray continuation bytes, truncated or overlong sequences,
// surrogates and code points above U+10FFFF.
inline std::optional<std::u32string> decode_utf8(std::string_view text) {
  std::u32string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned lead = static_cast<unsigned char>(text[i]);
    int extra = 0;
    char32_t c = 0;
    if (lead < 0x80) {
      c = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1, c = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2, c = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3, c = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + static_cast<std::size_t>(extra) >= text.size() && extra > 0) return std::nullopt;
    for (int k = 1; k <= extra; ++k) {
      const unsigned next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      c = (c << 6) | (next & 0x3F);
    }
    static constexpr char32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (c < kMinimum[extra] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return std::nullopt;
    out += c;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Length in UTF-16 code units of valid UTF-8 text (what Java's String.length() says).
inline std::size_t utf16_length(std::string_view text) {
  std::size_t length = 0;
  const std::u32string decoded = decode_utf8(text).value_or(U"");
  for (const char32_t c : decoded) length += c > 0xFFFF ? 2 : 1;
  return length;
}

// Java's Character.isWhitespace: what the proxy counts as blank.
inline bool is_java_whitespace(char32_t c) {
  switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x1F:
    case 0x20:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A && c != 0x2007;
  }
}

// The characters trimmed from both ends of a value: space, TAB, LF, VT, FF, CR.
inline bool is_trimmed(char32_t c) { return c == ' ' || (c >= 0x09 && c <= 0x0D); }

// A sanitized string, or the error code that refuses it.
struct Outcome {
  std::string text;
  ErrorCode error = ErrorCode::ok;
  bool ok() const { return error == ErrorCode::ok; }
};

constexpr char32_t kIncrement = 0x2206;   // ∆
constexpr char32_t kGreekDelta = 0x0394;  // Δ

// §3.1: names and tag keys, one '-' per code point outside the allowed set; a leading ~, ∆ or Δ and a
// ~ right after a leading delta kept. `invalid` is the field's code.
inline Outcome sanitize_name(std::string_view raw, ErrorCode invalid) {
  const std::optional<std::u32string> decoded = decode_utf8(raw);
  if (!decoded) return {"", invalid};
  const std::u32string& s = *decoded;
  const bool delta = !s.empty() && (s[0] == kIncrement || s[0] == kGreekDelta);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char32_t c = s[i];
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         c == '.' || c == '_' || c == ',' || c == '-' || c == '/';
    const bool kept_prefix = (i == 0 && (c == '~' || delta)) || (i == 1 && delta && c == '~');
    if (allowed || kept_prefix) {
      append_utf8(out, c);
    } else {
      out += '-';
    }
  }
  if (s.empty() || (s.size() == 1 && delta)) return {"", invalid};
  return {out, ErrorCode::ok};
}

// The value trimmed of space/TAB/LF/VT/FF/CR, or `invalid` for invalid UTF-8. `blank` tells whether
// nothing but Java whitespace is left.
inline Outcome trim_value(std::string_view raw, ErrorCode invalid, bool* blank) {
  std::optional<std::u32string> decoded = decode_utf8(raw);
  if (!decoded) return {"", invalid};
  std::u32string s = *decoded;
  while (!s.empty() && is_trimmed(s.back())) s.pop_back();
  std::size_t first = 0;
  while (first < s.size() && is_trimmed(s[first])) ++first;
  s.erase(0, first);
  *blank = true;
  for (const char32_t c : s) *blank = *blank && is_java_whitespace(c);
  std::string out;
  for (const char32_t c : s) append_utf8(out, c);
  return {out, ErrorCode::ok};
}

// A value as written on a line (§3.2) and as the proxy reads it back.
struct LineValue {
  std::string wire;       // between the quotes
  std::string read_back;  // what the proxy gets: `\"` is `"`, the escaped newline stays two characters
  ErrorCode error = ErrorCode::ok;
  bool blank = false;  // refused because blank (sources then use the default)
  bool ok() const { return error == ErrorCode::ok; }
};

inline LineValue line_value(std::string_view raw, ErrorCode invalid) {
  LineValue result;
  const Outcome trimmed = trim_value(raw, invalid, &result.blank);
  if (!trimmed.ok()) {
    result.blank = false;
    result.error = invalid;
    return result;
  }
  if (result.blank || trimmed.text.back() == '\\') {
    result.error = invalid;
    return result;
  }
  const std::u32string decoded = decode_utf8(trimmed.text).value_or(U"");
  for (const char32_t c : decoded) {
    if (c == '"') {
      result.wire += "\\\"", result.read_back += '"';
    } else if (c == '\n' || c == '\r') {
      const char* escaped = c == '\n' ? "\\n" : "\\r";
      result.wire += escaped, result.read_back += escaped;
    } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
      result.wire += '-', result.read_back += '-';
    } else {
      append_utf8(result.wire, c), append_utf8(result.read_back, c);
    }
  }
  return result;
}

// A value for the event JSON: trimmed and validated like a line value, but not line-escaped.
inline Outcome json_value(std::string_view raw, ErrorCode invalid) {
  bool blank = false;
  Outcome trimmed = trim_value(raw, invalid, &blank);
  if (trimmed.ok() && (blank || trimmed.text.back() == '\\')) trimmed.error = invalid;
  return trimmed;
}

// JSON string escaping for span logs: \" \\ \n \r \t, other controls as lower-case \u00XX.
inline std::string json_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\', out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00", out += kHex[byte >> 4], out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

// A span id: canonical 8-4-4-4-12 hex in either case, returned lower-case; nullopt otherwise.
inline std::optional<std::string> canonical_uuid(std::string_view id) {
  if (id.size() != 36) return std::nullopt;
  std::string out(id);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
      continue;
    }
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return out;
}

}  // namespace wavefront::testing::reference
