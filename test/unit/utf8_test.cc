// Unit tests for strict UTF-8 decoding, UTF-16 lengths, Java whitespace and trimming.
#include "wavefront/format/utf8.h"

#include <gtest/gtest.h>

namespace wavefront::format {
namespace {

TEST(Utf8, DecodesEveryLength) {
  const std::string_view text = "a\xC3\xA9\xE2\x88\x86\xF0\x9F\x98\x80";  // a é ∆ 😀
  std::size_t position = 0;
  EXPECT_EQ(decode_utf8(text, position), U'a');
  EXPECT_EQ(decode_utf8(text, position), 0xE9u);
  EXPECT_EQ(decode_utf8(text, position), 0x2206u);
  EXPECT_EQ(decode_utf8(text, position), 0x1F600u);
  EXPECT_EQ(position, text.size());
}

TEST(Utf8, RefusesMalformedSequences) {
  for (std::string_view bad : {"\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xF0\x80\x80\x80",
                               "\xED\xA0\x80", "\xED\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF",
                               "\xC3", "\xE2\x88", "\xF0\x9F\x98", "\xC3\x28", "\xE2\x28\xA1"}) {
    EXPECT_FALSE(is_valid_utf8(bad)) << testing::PrintToString(bad);
  }
  for (std::string_view good :
       {"", "plain", "\xC2\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_TRUE(is_valid_utf8(good)) << testing::PrintToString(good);
  }
}

TEST(Utf8, MalformedByteAdvancesByOne) {
  std::size_t position = 0;
  EXPECT_EQ(decode_utf8("\xE2\x28\xA1", position), kInvalidCodePoint);
  EXPECT_EQ(position, 1u);
}

TEST(Utf8, CountsUtf16Units) {
  EXPECT_EQ(utf16_length("abc"), 3u);
  EXPECT_EQ(utf16_length("\xC3\xA9"), 1u);          // é
  EXPECT_EQ(utf16_length("\xE3\x80\x80"), 1u);      // U+3000
  EXPECT_EQ(utf16_length("\xF0\x9F\x98\x80"), 2u);  // emoji: a surrogate pair
}

TEST(Utf8, JavaWhitespace) {
  for (char32_t space :
       {U' ', U'\t', U'\n', U'\v', U'\f', U'\r', char32_t{0x1C}, char32_t{0x1F}, char32_t{0x1680},
        char32_t{0x2000}, char32_t{0x2006}, char32_t{0x2008}, char32_t{0x200A}, char32_t{0x2028},
        char32_t{0x2029}, char32_t{0x205F}, char32_t{0x3000}}) {
    EXPECT_TRUE(is_java_whitespace(space)) << static_cast<unsigned>(space);
  }
  // No-break spaces are not whitespace to Java; neither are ordinary characters.
  for (char32_t other : {U'a', char32_t{0x00A0}, char32_t{0x2007}, char32_t{0x202F}, char32_t{0x200B},
                         char32_t{0x180E}, char32_t{0x85}}) {
    EXPECT_FALSE(is_java_whitespace(other)) << static_cast<unsigned>(other);
  }
}

TEST(Utf8, TrimsOnlyAsciiWhitespace) {
  EXPECT_EQ(trim(" \t\n\v\f\rx y\r\n "), "x y");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim("\xE3\x80\x80x"), "\xE3\x80\x80x");  // U+3000 is not trimmed (but counts as blank)
}

}  // namespace
}  // namespace wavefront::format
