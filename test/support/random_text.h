// Deterministic random inputs for the property test: strings mixing clean names, whitespace, control
// characters, quotes, backslashes, multi-byte UTF-8 (2-, 3- and 4-byte, U+3000, U+2028) and invalid
// UTF-8 (stray continuation bytes, truncated and overlong sequences, surrogates, > U+10FFFF); strings of
// an exact length near a limit; numbers, timestamps and span ids including bad ones.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wavefront::testing {

class RandomText {
 public:
  explicit RandomText(std::uint64_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(rng_);
  }

  // Letters, digits and the other characters allowed in names.
  std::string clean(std::size_t max_length) {
    static const std::string kChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._,-/";
    std::string out;
    const std::size_t length = 1 + below(max_length);
    for (std::size_t i = 0; i < length; ++i) out += kChars[below(kChars.size())];
    return out;
  }

  // One random "atom": a character or byte sequence, invalid UTF-8 with probability `invalid`.
  std::string atom(double invalid) {
    static const std::vector<std::string> kValid = {"a",
                                                    "Z",
                                                    "7",
                                                    ".",
                                                    "_",
                                                    ",",
                                                    "-",
                                                    "/",
                                                    "~",
                                                    " ",
                                                    " ",
                                                    "\t",
                                                    "\n",
                                                    "\r",
                                                    "\v",
                                                    "\f",
                                                    std::string(1, '\0'),
                                                    "\x01",
                                                    "\x1b",
                                                    "\x1c",
                                                    "\x1f",
                                                    "\x7f",
                                                    "\"",
                                                    "\"",
                                                    "\\",
                                                    "\\",
                                                    "\\\"",
                                                    "\\n",
                                                    "=",
                                                    "#",
                                                    "!",
                                                    "@",
                                                    "{",
                                                    "}",
                                                    ":",
                                                    "'",
                                                    "\xC3\xA9" /* é */,
                                                    "\xE2\x88\x86" /* ∆ */,
                                                    "\xCE\x94" /* Δ */,
                                                    "\xE3\x80\x80" /* U+3000 */,
                                                    "\xE2\x80\xA8" /* U+2028 */,
                                                    "\xE2\x80\xA9",
                                                    "\xC2\xA0" /* U+00A0 */,
                                                    "\xE2\x80\x87" /* U+2007 */,
                                                    "\xE1\x9A\x80" /* U+1680 */,
                                                    "\xC2\x85" /* U+0085 */,
                                                    "\xF0\x9F\x98\x80" /* 😀 */,
                                                    "\xF0\x9D\x84\x9E" /* 𝄞 */,
                                                    "\xE4\xB8\xAD" /* 中 */,
                                                    "\xEF\xBB\xBF" /* U+FEFF */,
                                                    "\xF4\x8F\xBF\xBF"};
    static const std::vector<std::string> kInvalid = {"\x80",
                                                      "\xBF",
                                                      "\xE2\x88",
                                                      "\xF0\x9F\x98",
                                                      "\xC0\xAF",
                                                      "\xE0\x80\xAF",
                                                      "\xF0\x80\x80\x80",
                                                      "\xED\xA0\x80",
                                                      "\xED\xBF\xBF",
                                                      "\xF4\x90\x80\x80",
                                                      "\xF5\x80\x80\x80",
                                                      "\xFE",
                                                      "\xFF",
                                                      "\xC1\xBF",
                                                      "\xC3"};
    return chance(invalid) ? pick(kInvalid) : pick(kValid);
  }

  std::string wild(std::size_t max_atoms, double invalid) {
    std::string out;
    const std::size_t count = below(max_atoms + 1);
    for (std::size_t i = 0; i < count; ++i) out += atom(invalid);
    return out;
  }

  // Only whitespace, some of it the Unicode kind Java counts as whitespace.
  std::string blank() {
    static const std::vector<std::string> kBlank = {
        " ", "\t", "\n", "\r", "\v", "\f", "\xE3\x80\x80", "\xE2\x80\xA8", "\xE2\x80\x83", "\x1c"};
    std::string out;
    const std::size_t count = below(4);
    for (std::size_t i = 0; i < count; ++i) out += pick(kBlank);
    return out;
  }

  // A name (sanitized per code point) of exactly `code_points` code points, first character `lead`.
  std::string long_name(std::size_t code_points, std::string_view lead = "n") {
    static const std::vector<std::string> kAtoms = {"a", "a", "a", "b", " ", "\xC3\xA9", "\xF0\x9F\x98\x80",
                                                    "\""};
    std::string out(lead);
    const std::size_t lead_points = lead == "\xE2\x88\x86~" ? 2 : 1;
    for (std::size_t i = lead_points; i < code_points; ++i) out += pick(kAtoms);
    return out;
  }

  // A value whose escaped, read-back form is exactly `units` UTF-16 code units long (units >= 2).
  std::string long_value(std::size_t units) {
    static const std::vector<std::pair<std::string, std::size_t>> kAtoms = {{"a", 1},
                                                                            {"b", 1},
                                                                            {" ", 1},
                                                                            {"\"", 1},
                                                                            {"\n", 2},
                                                                            {"\r", 2},
                                                                            {"\t", 1},
                                                                            {"\x01", 1},
                                                                            {"\xC3\xA9", 1},
                                                                            {"\xF0\x9F\x98\x80", 2},
                                                                            {"\xE4\xB8\xAD", 1},
                                                                            {"\\", 1}};
    std::string out = "v";
    std::size_t length = 1;
    while (length + 1 < units) {
      const auto& [text, size] = chance(0.5) ? kAtoms[0] : pick(kAtoms);
      if (length + size + 1 > units) continue;
      out += text;
      length += size;
    }
    return out + "z";
  }

  // A string for any text position: mostly clean, sometimes wild, empty, blank, one of `specials`,
  // or (if `limit` > 0) a value of length near `limit`; invalid UTF-8 in a few per cent of wild ones.
  std::string text(std::size_t limit, const std::vector<std::string>& specials, bool name_like) {
    const std::size_t roll = below(100);
    if (roll < 55) return clean(8);
    if (roll < 80) return wild(10, 0.04);
    if (roll < 84) return "";
    if (roll < 88) return blank();
    if (roll < 94 && !specials.empty()) return pick(specials);
    if (limit > 3) {
      const std::size_t target = limit - 2 + below(5);
      static const std::vector<std::string> kLeads = {
          "n", "n", "~", "\xE2\x88\x86", "\xCE\x94", "\xE2\x88\x86~"};
      return name_like ? long_name(target, pick(kLeads)) : long_value(target);
    }
    return clean(3) + atom(0.1) + clean(3);
  }

  double number() {
    switch (below(30)) {
      case 0:
        return static_cast<double>(between(-100, 100));
      case 1:
        return std::numeric_limits<double>::quiet_NaN();
      case 2:
        return chance(0.5) ? std::numeric_limits<double>::infinity()
                           : -std::numeric_limits<double>::infinity();
      case 3:
        return chance(0.5) ? 0.0 : -0.0;
      case 4:
        return pick(std::vector<double>{0.1, 1e-7, 1e21, 5e-324, 1.7976931348623157e308, 42.5, -3.25});
      case 5: {
        std::uint64_t bits = rng_();
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return std::isfinite(value) ? value : 1.5;
      }
      case 6:
        return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
      default:
        return std::uniform_real_distribution<double>(0, 1e6)(rng_);
    }
  }

  // A span id: usually canonical lower- or upper-case, sometimes malformed.
  std::string uuid() {
    static const char kHex[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 36; ++i) id += (i == 8 || i == 13 || i == 18 || i == 23) ? '-' : kHex[below(16)];
    const std::size_t roll = below(100);
    if (roll < 80) return id;
    if (roll < 88) {
      for (char& c : id) c = static_cast<char>(c >= 'a' && c <= 'f' && chance(0.7) ? c - 'a' + 'A' : c);
      return id;
    }
    switch (below(8)) {
      case 0:
        return id.substr(1);
      case 1:
        return id + "0";
      case 2:
        return "{" + id + "}";
      case 3:
        return id.replace(8, 1, "0");
      case 4:
        return id.replace(3, 1, "g");
      case 5:
        return "";
      case 6:
        return id.replace(5, 1, "\xC3\xA9").substr(0, 36);
      default:
        return id.replace(13, 1, " ");
    }
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace wavefront::testing
