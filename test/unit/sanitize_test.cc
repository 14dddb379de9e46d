// Unit tests for name sanitizing, value escaping, JSON escaping and message quoting (spec §3.1, §3.2).
#include "wavefront/format/sanitize.h"

#include <gtest/gtest.h>

namespace wavefront::format {
namespace {

struct Written {
  FieldWrite result;
  std::string out;
};

Written name(std::string_view input) {
  Written written;
  written.result = append_sanitized_name(written.out, input);
  return written;
}

Written value(std::string_view input) {
  Written written;
  written.result = append_escaped_value(written.out, input);
  return written;
}

TEST(SanitizeName, ReplacesEachCodePointOutsideTheSet) {
  EXPECT_EQ(name("my metric:name(1)").out, "my-metric-name-1-");
  EXPECT_EQ(name("caf\xC3\xA9.\xF0\x9F\x98\x80").out, "caf-.-");
  EXPECT_EQ(name("disk/used,pct_1.x-y").out, "disk/used,pct_1.x-y");
  EXPECT_EQ(name(" x ").out, "-x-");  // names are not trimmed
  EXPECT_EQ(name("a\"b\\c\nd").out, "a-b-c-d");
}

TEST(SanitizeName, WordWiseCheckAgreesWithTheCharacterSetForEveryByteAtEveryPosition) {
  const auto allowed = [](unsigned char byte) {
    return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
           byte == '.' || byte == '_' || byte == ',' || byte == '-' || byte == '/';
  };
  const std::string clean = "abcXYZ09._,-/zA9abcdefgh";  // 24 bytes: three words
  for (std::size_t position = 0; position < clean.size(); ++position) {
    for (int byte = 1; byte < 0x80; ++byte) {  // ASCII (other bytes start UTF-8 sequences)
      std::string input = clean;
      input[position] = static_cast<char>(byte);
      std::string expected = input;
      if (!allowed(static_cast<unsigned char>(byte)))
        expected[position] = position == 0 && byte == '~' ? '~' : '-';
      const Written written = name(input);
      ASSERT_EQ(written.out, expected) << "position " << position << " byte " << byte;
      EXPECT_EQ(written.result.length, input.size());
    }
  }
}

TEST(SanitizeName, KeepsLeadingTildeAndDelta) {
  EXPECT_EQ(name("~sdk.x").out, "~sdk.x");
  EXPECT_EQ(name("a~b").out, "a-b");
  EXPECT_EQ(name("~~x").out, "~-x");
  EXPECT_EQ(name("\xE2\x88\x86x").out, "\xE2\x88\x86x");      // ∆x
  EXPECT_EQ(name("\xCE\x94x").out, "\xCE\x94x");              // Δx
  EXPECT_EQ(name("\xE2\x88\x86~x").out, "\xE2\x88\x86~x");    // ∆~x
  EXPECT_EQ(name("\xE2\x88\x86~~x").out, "\xE2\x88\x86~-x");  // only one tilde after the delta
  EXPECT_EQ(name("x\xE2\x88\x86").out, "x-");                 // a delta sign inside is replaced
  EXPECT_EQ(name("~\xE2\x88\x86x").out, "~-x");               // a delta after a tilde is not leading
  EXPECT_EQ(name("\xE2\x88\x86\xE2\x88\x86x").out, "\xE2\x88\x86-x");
}

TEST(SanitizeName, CountsSanitizedLength) {
  EXPECT_EQ(name("abc").result.length, 3u);
  EXPECT_EQ(name("\xE2\x88\x86"
                 "ab")
                .result.length,
            3u);
  EXPECT_EQ(name("\xF0\x9F\x98\x80").result.length, 1u);  // becomes one '-'
}

TEST(SanitizeName, RefusesEmptyOnlyDeltaAndInvalidUtf8) {
  EXPECT_EQ(name("").result.problem, FieldProblem::empty);
  EXPECT_EQ(name("\xE2\x88\x86").result.problem, FieldProblem::only_delta);
  EXPECT_EQ(name("\xCE\x94").result.problem, FieldProblem::only_delta);
  EXPECT_EQ(name("ab\xFF").result.problem, FieldProblem::invalid_utf8);
  EXPECT_EQ(name("\xC0\x80").result.problem, FieldProblem::invalid_utf8);
  EXPECT_EQ(name("~").result.problem, FieldProblem::none);
}

TEST(EscapeValue, TrimsThenEscapes) {
  EXPECT_EQ(value("  padded \n").out, "padded");
  EXPECT_EQ(value("say \"hi\"").out, "say \\\"hi\\\"");
  EXPECT_EQ(value("line1\nline2").out, "line1\\nline2");
  EXPECT_EQ(value("a\rb").out, "a\\rb");
  EXPECT_EQ(value("a\tb").out, "a\tb");
  EXPECT_EQ(value(std::string_view("a\x01"
                                   "b\x7f"
                                   "c\0d",
                                   7))
                .out,
            "a-b-c-d");
  EXPECT_EQ(value("C:\\temp\\x").out, "C:\\temp\\x");
  EXPECT_EQ(value("caf\xC3\xA9").out, "caf\xC3\xA9");
}

TEST(EscapeValue, LengthIsAsTheProxyReadsItBack) {
  EXPECT_EQ(value("ab").result.length, 2u);
  EXPECT_EQ(value("\"").result.length, 1u);    // \" reads back as one quote
  EXPECT_EQ(value("a\nb").result.length, 4u);  // \n stays two characters
  EXPECT_EQ(value("a\rb").result.length, 4u);
  EXPECT_EQ(value("\xF0\x9F\x98\x80").result.length, 2u);
  EXPECT_EQ(value("\xC3\xA9").result.length, 1u);
  EXPECT_EQ(value(" x \n").result.length, 1u);  // trimmed before measuring
}

TEST(EscapeValue, RefusesBlankTrailingBackslashAndInvalidUtf8) {
  EXPECT_EQ(value("").result.problem, FieldProblem::empty);
  EXPECT_EQ(value(" \t\r\n").result.problem, FieldProblem::empty);
  EXPECT_EQ(value("\xE3\x80\x80").result.problem, FieldProblem::blank);               // U+3000
  EXPECT_EQ(value("\xE2\x80\xA8 \xE3\x80\x80").result.problem, FieldProblem::blank);  // U+2028
  EXPECT_EQ(value("\x1C").result.problem, FieldProblem::blank);
  EXPECT_EQ(value("\xC2\xA0").result.problem, FieldProblem::none);  // no-break space is not blank
  EXPECT_EQ(value("C:\\temp\\").result.problem, FieldProblem::trailing_backslash);
  EXPECT_EQ(value("x\\ \n").result.problem, FieldProblem::trailing_backslash);  // after trimming
  EXPECT_EQ(value("\\").result.problem, FieldProblem::trailing_backslash);
  EXPECT_EQ(value("ok\xED\xA0\x80").result.problem, FieldProblem::invalid_utf8);
  EXPECT_TRUE(is_blank_value(" \xE3\x80\x80 "));
  EXPECT_FALSE(is_blank_value(" x "));
}

TEST(EscapeJson, EscapesPerSpec) {
  std::string out;
  EXPECT_EQ(append_json_string(out, std::string_view("\"\\\n\r\t\x01\x08\x0c\x1f\x7f"
                                                     "caf\xC3\xA9",
                                                     15))
                .problem,
            FieldProblem::none);
  EXPECT_EQ(out,
            "\\\"\\\\\\n\\r\\t\\u0001\\u0008\\u000c\\u001f\x7f"
            "caf\xC3\xA9");
  out.clear();
  EXPECT_EQ(append_json_string(out, "\xFF").problem, FieldProblem::invalid_utf8);
  out.clear();
  EXPECT_EQ(append_json_value(out, "  two\nlines \n").problem, FieldProblem::none);
  EXPECT_EQ(out, "two\\nlines");
  out.clear();
  EXPECT_EQ(append_json_value(out, "x\\").problem, FieldProblem::trailing_backslash);
}

TEST(QuoteForMessage, ShortensAndShowsControls) {
  EXPECT_EQ(quote_for_message("ab\"c"), "\"ab\\\"c\"");
  EXPECT_EQ(quote_for_message("a\nb\xFF"), "\"a\\x0Ab\\xFF\"");
  const std::string long_value(500, 'x');
  const std::string quoted = quote_for_message(long_value);
  EXPECT_LT(quoted.size(), 80u);
  EXPECT_NE(quoted.find("(500 bytes)"), std::string::npos);
}

}  // namespace
}  // namespace wavefront::format
