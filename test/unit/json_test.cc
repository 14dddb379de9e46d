// The private JSON reader behind span-logs lines and JSONL import.
#include "wavefront/wire/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace {

using wavefront::json::JsonParser;
using wavefront::json::Type;
using wavefront::json::Value;

TEST(Json, ReadsEveryKindOfValue) {
  JsonParser parser;
  Value value;
  ASSERT_TRUE(parser.parse(R"( {"a":[1,-2.5e3,true,false,null],"b":{"c":"d"},"a":"again"} )", value).ok());
  ASSERT_TRUE(value.is_object());
  ASSERT_EQ(value.members.size(), 3u);
  const Value* a = value.find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 5u);
  EXPECT_EQ(wavefront::json::as_int64(a->items[0]), 1);
  EXPECT_EQ(wavefront::json::as_double(a->items[1]), -2500.0);
  EXPECT_FALSE(wavefront::json::as_int64(a->items[1]).has_value());
  EXPECT_EQ(a->items[2].type, Type::boolean);
  EXPECT_TRUE(a->items[2].boolean);
  EXPECT_EQ(a->items[4].type, Type::null);
  EXPECT_EQ(value.find("b")->find("c")->text, "d");
  EXPECT_EQ(value.find("missing"), nullptr);
}

TEST(Json, UnescapesStringsIncludingSurrogatePairs) {
  JsonParser parser;
  Value value;
  ASSERT_TRUE(parser.parse(R"(["a\"b\\c\/d\n\t", "\u00e9\ud83d\ude00", "plain"])", value).ok());
  EXPECT_EQ(value.items[0].text, "a\"b\\c/d\n\t");
  EXPECT_EQ(value.items[1].text, "\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(value.items[2].text, "plain");
}

TEST(Json, IntegersReadBackExactly) {
  JsonParser parser;
  Value value;
  ASSERT_TRUE(parser.parse("[9223372036854775807, 9223372036854775808, 1e400]", value).ok());
  EXPECT_EQ(wavefront::json::as_int64(value.items[0]), 9223372036854775807LL);
  EXPECT_FALSE(wavefront::json::as_int64(value.items[1]).has_value());
  EXPECT_TRUE(std::isinf(*wavefront::json::as_double(value.items[2])));
}

TEST(Json, RefusesMalformedTextWithAnOffset) {
  JsonParser parser;
  Value value;
  for (const char* text : {"", "{", "[1,]", "{\"a\" 1}", "\"\\x\"", "\"\\ud800\"", "01", "1.", "-", "tru",
                           "{\"a\":1} x", "\"raw\x01\"", "\"\\u12\""}) {
    EXPECT_FALSE(parser.parse(text, value).ok()) << text;
  }
  EXPECT_FALSE(parser.parse("[1, @]", value).ok());
  EXPECT_EQ(parser.error_offset(), 4u);
  std::string deep(JsonParser::kMaxDepth + 1, '[');
  deep += std::string(JsonParser::kMaxDepth + 1, ']');
  EXPECT_FALSE(parser.parse(deep, value).ok());
  std::string shallow(JsonParser::kMaxDepth - 1, '[');
  shallow += std::string(JsonParser::kMaxDepth - 1, ']');
  EXPECT_TRUE(parser.parse(shallow, value).ok());
}

}  // namespace
